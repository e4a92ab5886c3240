//go:build !js

package ui

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// securityAPI fakes GET …/securityEvents: two pages of events, the
// filter narrowing them by kind.
type securityAPI struct {
	mu    sync.Mutex
	seen  []string // the query of each call
	fails bool
}

func (s *securityAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reply := jsonReply(w)
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path != paths.Build(paths.SecurityEvents, testEnv) {
		reply(404, map[string]string{"code": "NOT_FOUND", "message": r.URL.Path})
		return
	}
	s.seen = append(s.seen, r.URL.RawQuery)
	if s.fails {
		reply(403, map[string]string{"code": "INSUFFICIENT_PERMISSIONS", "message": "You may not read security events."})
		return
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	all := []resource.SecurityEvent{
		{ID: "e1", Kind: resource.SecurityFailureBurst, GroupedBy: resource.BurstByUser, User: &resource.UserRef{ID: "u-1", Username: "ines"}, Count: 6,
			RemoteIP: "192.0.2.7", City: "Berlin", Country: "Germany", FirstAt: at.Add(-5 * time.Minute), CreatedAt: at},
		{ID: "e2", Kind: resource.SecurityLockout, User: &resource.UserRef{ID: "u-2"}, Count: 1, CreatedAt: at.Add(-time.Hour)},
	}
	q := r.URL.Query()
	var out []resource.SecurityEvent
	for _, e := range all {
		if f := q.Get("filter"); f == "" || strings.Contains(f, `"`+e.Kind+`"`) {
			out = append(out, e)
		}
	}
	next := ""
	if q.Get("cursor") == "" && q.Get("filter") == "" {
		out, next = out[:1], "http://x"+paths.Build(paths.SecurityEvents, testEnv)+"?cursor=c2"
	} else if q.Get("cursor") == "c2" {
		out = out[1:]
	}
	reply(200, resource.NewList("securityEvents", out, "self", next))
}

func TestAdminSecurityEvents(t *testing.T) {
	api := &securityAPI{}
	s := &AdminSecurity{C: consoleContext(t, api)}
	ctx, e := newHarness(t)
	s.load(ctx)
	e.ConsumeAll()
	doc := render(t, s)
	rows := byClass(doc, "security-event")
	if len(rows) != 1 || !strings.Contains(text(rows[0]), "6 failed sign-ons for user ines") || !strings.Contains(text(rows[0]), "192.0.2.7 (Berlin, Germany)") {
		t.Fatalf("first page:\n%s", dump(mustID(t, doc, "security-events")))
	}
	// Load more follows the cursor.
	s.onMore(ctx, app.Event{})
	e.ConsumeAll()
	if len(s.events) != 2 || s.next != "" || byID(render(t, s), "security-more") != nil {
		t.Fatalf("after Load more: %d events, next %q", len(s.events), s.next)
	}
	if got := api.seen[len(api.seen)-1]; !strings.Contains(got, "cursor=c2") {
		t.Errorf("Load more asked %q", got)
	}
	// A kind: the list is read again with the filter.
	s.kind = resource.SecurityLockout
	s.l.loadedFor = ""
	s.load(ctx)
	e.ConsumeAll()
	if got := api.seen[len(api.seen)-1]; !strings.Contains(got, "filter=kind+eq+%22ACCOUNT_LOCKED%22") {
		t.Errorf("filtered read asked %q", got)
	}
	if len(s.events) != 1 || s.events[0].Kind != resource.SecurityLockout || !strings.Contains(securityEventText(s.events[0]), "locked out") ||
		!strings.Contains(securityEventText(s.events[0]), "u-2") { // a deleted user: the id is all there is
		t.Fatalf("filtered events %+v", s.events)
	}
}

func TestAdminSecurityRefused(t *testing.T) {
	api := &securityAPI{fails: true}
	s := &AdminSecurity{C: consoleContext(t, api)}
	ctx, e := newHarness(t)
	s.load(ctx)
	e.ConsumeAll()
	if !strings.Contains(s.errText, "may not read security events") || len(s.events) != 0 {
		t.Fatalf("error %q, events %v", s.errText, s.events)
	}
}
