//go:build !js

package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// linkedServer fakes the linked accounts API in front of a securityServer:
// unlinking the last account is refused as the server refuses it for a
// user without a password.
type linkedServer struct {
	mu      sync.Mutex
	next    http.Handler
	links   []resource.LinkedAccount
	deletes []string
}

func (s *linkedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	list := paths.Build(paths.LinkedAccounts, testEnv, userID)
	if !strings.HasPrefix(r.URL.Path, list) {
		s.next.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if v != nil {
			_ = json.NewEncoder(w).Encode(v)
		}
	}
	switch {
	case r.Method == "GET" && r.URL.Path == list:
		reply(200, resource.NewList("linkedAccounts", s.links, "x", ""))
	case r.Method == "DELETE":
		id := strings.TrimPrefix(r.URL.Path, list+"/")
		s.deletes = append(s.deletes, id)
		i := slices.IndexFunc(s.links, func(l resource.LinkedAccount) bool { return l.ID == id })
		switch {
		case i < 0:
			reply(404, apierr.NotFoundError("no"))
		case len(s.links) == 1:
			reply(400, apierr.New(400, apierr.RequestFailed, "This is the only way to sign on to the account. Set a password or link another account first.",
				apierr.Field(apierr.DetailInvalidAction, "linkedAccountId", "no")))
		default:
			s.links = slices.Delete(s.links, i, i+1)
			reply(204, nil)
		}
	default:
		reply(404, apierr.NotFoundError("no"))
	}
}

func TestMyAccountLinkedAccounts(t *testing.T) {
	p, ss, _ := securityPage(t, scope.ReadSessions, scope.ReadLinkedAccounts, scope.DeleteLinkedAccounts)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	ls := &linkedServer{next: ss, links: []resource.LinkedAccount{
		{ID: "l1", Name: "Upstream", ExternalID: "x", CreatedAt: at},
		{ID: "l2", ExternalID: "y", CreatedAt: at},
	}}
	srv := httptest.NewServer(ls)
	t.Cleanup(srv.Close)
	p.acct.api = apiclient.New(apiclient.Config{BaseURL: srv.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: srv.Client()}})
	ctx, e := newHarness(t)
	p.tab = tabSessions
	p.loadSecurity(ctx, tabSessions)
	e.ConsumeAll()
	doc := render(t, p)
	rows := byClass(mustID(t, doc, "linked-list"), "linked-account")
	if len(rows) != 2 || !strings.Contains(text(rows[0]), "Upstream") || !strings.Contains(text(rows[1]), T(MsgLinkedUnknown)) {
		t.Fatalf("%d rows:\n%s", len(rows), dump(doc))
	}

	// Unlink asks first; Cancel sends nothing.
	p.unlinkAccount(ctx, "l2")
	mustID(t, render(t, p), "confirm-unlink-l2")
	p.linkedPanel().(*LinkedAccountsPanel).OnCancel(ctx)
	if byID(render(t, p), "confirm-unlink-l2") != nil || len(ls.deletes) != 0 {
		t.Fatalf("after cancel: %v", ls.deletes)
	}
	p.unlinkAccount(ctx, "l2")
	p.unlinkAccount(ctx, "l2") // "Yes, unlink"
	if b := byID(render(t, p), "confirm-unlink-l2"); b == nil {
		t.Fatal("the confirm button left the page before the answer (go-app would drop it)")
	} else if _, disabled := attr(b, "disabled"); !disabled {
		t.Error("the confirm button is not disabled while the unlink is under way")
	}
	e.ConsumeAll()
	doc = render(t, p)
	if n := len(byClass(mustID(t, doc, "linked-list"), "linked-account")); n != 1 || text(mustID(t, doc, "linked-notice")) != T(MsgLinkedDone) {
		t.Fatalf("after the unlink: %d rows\n%s", n, dump(doc))
	}

	// The last way to sign on: the server's refusal shows, the row stays.
	p.unlinkAccount(ctx, "l1")
	p.unlinkAccount(ctx, "l1")
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "linked-error")); !strings.Contains(got, "only way to sign on") {
		t.Errorf("error = %q", got)
	}
	if n := len(byClass(mustID(t, doc, "linked-list"), "linked-account")); n != 1 || len(ls.deletes) != 2 {
		t.Errorf("after the refusal: %d rows, deletes %v", n, ls.deletes)
	}
}

func TestLinkedAccountsReadOnly(t *testing.T) {
	doc := render(t, &LinkedAccountsPanel{Loaded: true, Accounts: []resource.LinkedAccount{{ID: "l1", Name: "Upstream"}}})
	if byID(doc, "unlink-l1") != nil {
		t.Error("Unlink offered without the delete scope")
	}
	empty := render(t, &LinkedAccountsPanel{Loaded: true})
	mustID(t, empty, "linked-empty")
}
