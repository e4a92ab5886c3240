//go:build !js

package ui

import (
	"encoding/json"
	"io"
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

// securityServer fakes the sessions, events and user.secure API of one
// user; anything else goes to next (the fixture's auth server).
type securityServer struct {
	mu       sync.Mutex
	next     http.Handler
	sessions []resource.UserSession
	events   []resource.UserEvent
	ended    bool // every call answers 401: the session was signed off elsewhere
	stale    bool // user.secure answers MFA_REQUIRED
	calls    []string
}

func (s *securityServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if v != nil {
			_ = json.NewEncoder(w).Encode(v)
		}
	}
	sessions, user, events := paths.Build(paths.Sessions, testEnv, userID), paths.Build(paths.User, testEnv, userID),
		paths.Build(paths.UserEvents, testEnv, userID)
	if !strings.HasPrefix(r.URL.Path, sessions) && r.URL.Path != user && r.URL.Path != events {
		s.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.calls = append(s.calls, strings.TrimSpace(r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Content-Type")+" "+string(body)))
	if s.ended || r.Header.Get("Authorization") != "Bearer tok" {
		reply(401, apierr.Unauthorized("gone"))
		return
	}
	switch {
	case r.Method == "GET" && r.URL.Path == sessions:
		reply(200, resource.NewList("sessions", s.sessions, "x", ""))
	case r.Method == "DELETE" && r.URL.Path == sessions:
		s.sessions = slices.DeleteFunc(s.sessions, func(x resource.UserSession) bool { return !x.Current })
		reply(204, nil)
	case r.Method == "DELETE":
		id := strings.TrimPrefix(r.URL.Path, sessions+"/")
		n := len(s.sessions)
		s.sessions = slices.DeleteFunc(s.sessions, func(x resource.UserSession) bool { return x.ID == id })
		if n == len(s.sessions) {
			reply(404, apierr.NotFoundError("no"))
			return
		}
		reply(204, nil)
	case r.Method == "GET" && r.URL.Path == events:
		// Two a page; the cursor is the index of the next one.
		start := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			start = int(c[0] - '0')
		}
		var page []resource.UserEvent
		for i := start; i < len(s.events); i++ {
			if f := r.URL.Query().Get("filter"); f != "" && !strings.Contains(f, `"`+s.events[i].Action+`"`) {
				continue
			}
			page = append(page, s.events[i])
		}
		next := ""
		if len(page) > 2 {
			page, next = page[:2], "http://x/events?cursor="+string(rune('0'+start+2))
		}
		reply(200, resource.NewList("events", page, "x", next))
	case r.Method == "POST" && r.URL.Path == user && s.stale:
		reply(403, apierr.Error{Code: apierr.InsufficientPermission, Message: "verify first",
			Details: []apierr.Detail{{Code: apierr.DetailMFARequired, Target: "session"}}})
	case r.Method == "POST" && r.URL.Path == user:
		s.sessions = slices.DeleteFunc(s.sessions, func(x resource.UserSession) bool { return !x.Current })
		reply(200, resource.AccountSecured{SessionsEnded: 1, MustChangePassword: true,
			MethodsFrozenUntil: time.Date(2025, 1, 3, 3, 4, 5, 0, time.UTC)})
	default:
		reply(404, apierr.NotFoundError("no"))
	}
}

func (s *securityServer) callList() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// securityPage is a signed-on MyAccount page on a securityServer.
func securityPage(t *testing.T, scopes ...string) (*MyAccountPage, *securityServer, *accountFixture) {
	t.Helper()
	f := newAccountFixture(t, "openid")
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	ss := &securityServer{next: f.srv,
		sessions: []resource.UserSession{
			{ID: "s2", Browser: resource.SessionBrowser{Name: "Firefox", Version: "128.0"}, OperatingSystem: resource.SessionOS{Name: "Windows"},
				Device: resource.SessionDevice{Type: resource.SessionDesktop}, Methods: []string{"pwd", "otp", "mfa"},
				Locations: []resource.SessionLocation{{RemoteIP: "203.0.113.9", At: at}, {RemoteIP: "198.51.100.4", At: at}}, CreatedAt: at, ActiveAt: at},
			{ID: "s1", Current: true, Browser: resource.SessionBrowser{Name: "Safari", Version: "17.5"}, OperatingSystem: resource.SessionOS{Name: "iOS"},
				Device: resource.SessionDevice{Type: resource.SessionMobile}, Locations: []resource.SessionLocation{{RemoteIP: "192.0.2.1", At: at}},
				CreatedAt: at, ActiveAt: at},
		},
		events: []resource.UserEvent{
			{ID: "e4", Action: "SESSION_SIGNED_OFF", Outcome: "SUCCESS", CreatedAt: at},
			{ID: "e3", Action: "SIGNON_COMPLETED", Outcome: "SUCCESS", CreatedAt: at, Details: map[string]string{"unfamiliar": "true"},
				Browser: &resource.SessionBrowser{Name: "Firefox", Version: "128.0"}, OS: &resource.SessionOS{Name: "Windows"}, RemoteIP: "203.0.113.9"},
			{ID: "e2", Action: "SIGNON_PASSWORD", Outcome: "FAILURE", CreatedAt: at, RemoteIP: "203.0.113.9"},
			{ID: "e1", Action: "SOMETHING_NEW", Outcome: "FAILURE", CreatedAt: at},
		},
	}
	srv := httptest.NewServer(ss)
	t.Cleanup(srv.Close)
	f.acct.api = apiclient.New(apiclient.Config{BaseURL: srv.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: srv.Client()}})
	granted := scope.Set(scopes)
	p := &MyAccountPage{acct: f.acct, sess: &session{accessToken: "tok", sub: userID, scopes: granted}, scopes: granted,
		phase: phaseReady, loaded: true, user: &resource.User{Username: "jane"}}
	return p, ss, f
}

func TestMyAccountSessionsTab(t *testing.T) {
	p, ss, _ := securityPage(t, scope.ReadSessions, scope.DeleteSessions)
	ctx, e := newHarness(t)
	p.tab = tabSessions
	p.loadSecurity(ctx, tabSessions)
	e.ConsumeAll()
	doc := render(t, p)
	rows := byClass(mustID(t, doc, "session-list"), "session")
	if len(rows) != 2 {
		t.Fatalf("%d rows:\n%s", len(rows), dump(doc))
	}
	if got := text(rows[0]); !strings.Contains(got, "Firefox 128 on Windows") || !strings.Contains(got, "Computer · 203.0.113.9") ||
		!strings.Contains(got, "password, one-time passcode") || !strings.Contains(got, "198.51.100.4") || strings.Contains(got, "This browser") {
		t.Errorf("other session row: %q", got)
	}
	if got := text(rows[1]); !hasClass(rows[1], "session-current") || !strings.Contains(got, "This browser") ||
		!strings.Contains(got, "Mobile phone · 192.0.2.1") {
		t.Errorf("current session row: %q", got)
	}
	if byID(doc, "signoff-s1") != nil {
		t.Error("the current session offers Sign off")
	}

	// Sign off asks first; Cancel sends nothing.
	p.signOffSession(ctx, "s2")
	mustID(t, render(t, p), "confirm-signoff-s2")
	p.sessionsPanel().(*SessionsPanel).OnCancel(ctx)
	if byID(render(t, p), "confirm-signoff-s2") != nil || len(ss.callList()) != 1 {
		t.Fatalf("after cancel: %v", ss.callList())
	}
	p.signOffSession(ctx, "s2")
	p.signOffSession(ctx, "s2") // "Yes, sign off"
	if b := byID(render(t, p), "confirm-signoff-s2"); b == nil {
		t.Fatal("the confirm button left the page before the answer (go-app would drop it)")
	} else if _, disabled := attr(b, "disabled"); !disabled {
		t.Error("the confirm button is not disabled while the sign-off is under way")
	}
	e.ConsumeAll()
	doc = render(t, p)
	if n := len(byClass(mustID(t, doc, "session-list"), "session")); n != 1 || !strings.Contains(text(mustID(t, doc, "sessions-notice")), "signed off") {
		t.Fatalf("after the sign-off: %d rows\n%s", n, dump(doc))
	}
	if byID(doc, "signoff-others") != nil {
		t.Error("Sign off all other sessions offered with no other session")
	}
	if got := ss.callList(); got[len(got)-2] != "DELETE "+paths.Build(paths.Session, testEnv, userID, "s2") {
		t.Errorf("calls %q", got)
	}

	// A session already gone: the list is refreshed, no error.
	p.sessions.list = append(p.sessions.list, resource.UserSession{ID: "s9"})
	p.signOffSession(ctx, "s9")
	p.signOffSession(ctx, "s9")
	e.ConsumeAll()
	if p.sessions.err != "" || p.sessions.notice != T(MsgSessionGone) || len(p.sessions.list) != 1 {
		t.Errorf("gone: %+v", p.sessions)
	}
}

func TestMyAccountSignOffOthersAndReducedScopes(t *testing.T) {
	p, ss, _ := securityPage(t, scope.ReadSessions, scope.DeleteSessions)
	ctx, e := newHarness(t)
	p.tab = tabSessions
	p.loadSessions(ctx)
	e.ConsumeAll()
	p.signOffSession(ctx, allOthers)
	if got := text(mustID(t, render(t, p), "confirm-text-others")); !strings.Contains(got, "all 1 other sessions") {
		t.Errorf("question %q", got)
	}
	p.signOffSession(ctx, allOthers)
	e.ConsumeAll()
	if len(p.sessions.list) != 1 || p.sessions.notice != T(MsgSessionsOthersDone) {
		t.Fatalf("after all others: %+v", p.sessions)
	}
	if got := ss.callList(); !slices.Contains(got, "DELETE "+paths.Build(paths.Sessions, testEnv, userID)) {
		t.Errorf("calls %q", got)
	}

	// Reduced scopes: read only, with the step-up offered.
	p, _, _ = securityPage(t, scope.ReadSessions)
	p.tab = tabSessions
	p.loadSessions(ctx)
	e.ConsumeAll()
	doc := render(t, p)
	mustID(t, doc, "sessions-verify")
	if byID(doc, "signoff-s2") != nil || byID(doc, "signoff-others") != nil {
		t.Error("sign-off offered without the delete scope")
	}
}

// TestMyAccountSessionEndedGoesToSignOn: this session was signed off
// elsewhere; the next action sends the browser to an interactive sign-on.
func TestMyAccountSessionEndedGoesToSignOn(t *testing.T) {
	p, ss, f := securityPage(t, scope.ReadSessions)
	ss.ended = true
	ctx, e := newHarness(t)
	p.tab = tabActivity
	p.onSelectTab(ctx, tabSessions)
	e.ConsumeAll()
	to := f.browser.last()
	if !strings.Contains(to, "/as/authorize") || strings.Contains(to, "prompt=none") || p.phase != phaseLeaving {
		t.Fatalf("redirect %q, phase %v", to, p.phase)
	}
}

func TestMyAccountActivityTab(t *testing.T) {
	p, ss, _ := securityPage(t, scope.ReadSessions, scope.DeleteSessions)
	ctx, e := newHarness(t)
	p.tab = tabActivity
	p.loadSecurity(ctx, tabActivity)
	e.ConsumeAll()
	doc := render(t, p)
	rows := byClass(mustID(t, doc, "activity-list"), "event")
	if len(rows) != 2 || byID(doc, "activity-more") == nil {
		t.Fatalf("first page: %d rows\n%s", len(rows), dump(doc))
	}
	if got := text(rows[1]); !strings.Contains(got, "Signed on from a new device or place") || !strings.Contains(got, "Firefox 128 on Windows · 203.0.113.9") {
		t.Errorf("row %q", got)
	}
	p.loadActivity(ctx, true)
	e.ConsumeAll()
	doc = render(t, p)
	rows = byClass(mustID(t, doc, "activity-list"), "event")
	if len(rows) != 4 || byID(doc, "activity-more") != nil {
		t.Fatalf("after load more: %d rows", len(rows))
	}
	if got := text(rows[2]); !strings.Contains(got, "Sign-on failed") {
		t.Errorf("failed sign-on reads %q", got)
	}
	if got := text(rows[3]); !strings.Contains(got, "SOMETHING_NEW (failed)") {
		t.Errorf("unknown action reads %q", got)
	}

	// A kind narrows the list with its filter.
	p.chooseKind(ctx, "signOn")
	e.ConsumeAll()
	doc = render(t, p)
	// go-app writes a true attribute bare (aria-pressed) and false as "false".
	if v, ok := attr(mustID(t, doc, "kind-signOn"), "aria-pressed"); !ok || v == "false" {
		t.Errorf("chosen kind aria-pressed=%q", v)
	}
	if v, _ := attr(mustID(t, doc, "kind-all"), "aria-pressed"); v != "false" {
		t.Errorf("other kind aria-pressed=%q", v)
	}
	var actions []string
	for _, ev := range p.activity.events {
		actions = append(actions, ev.Action)
	}
	if !slices.Equal(actions, []string{"SIGNON_COMPLETED", "SIGNON_PASSWORD"}) {
		t.Errorf("sign-ons: %v", actions)
	}
	calls := ss.callList()
	if last := calls[len(calls)-1]; !strings.Contains(last, "filter=action+eq+%22SIGNON_PASSWORD%22") {
		t.Errorf("filter not sent: %q", last)
	}
}

func TestMyAccountSecureAccount(t *testing.T) {
	p, ss, _ := securityPage(t, scope.ReadSessions, scope.DeleteSessions)
	ctx, e := newHarness(t)
	p.tab = fragmentSecure
	p.secureFragment(ctx)
	if p.tab != tabActivity || !p.activity.securing || p.pageURL.Fragment != tabActivity {
		t.Fatalf("#secure: tab %q securing %v url %q", p.tab, p.activity.securing, p.pageURL.Fragment)
	}
	doc := render(t, p)
	mustID(t, doc, "secure-dialog")
	if byID(doc, "secure-account") != nil {
		t.Error("the button shows beside its open dialog")
	}

	// Stale MFA: the dialog offers the step-up instead.
	ss.stale = true
	p.secureAccount(ctx)
	if b := byID(render(t, p), "confirm-secure"); b == nil {
		t.Fatal("the confirm button left the page before the answer")
	}
	e.ConsumeAll()
	if !p.activity.needVerify || p.activity.secured != nil {
		t.Fatalf("stale MFA: %+v", p.activity)
	}
	mustID(t, render(t, p), "secure-verify")

	ss.stale = false
	p.activity.needVerify = false
	p.secureAccount(ctx)
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "secure-done")); !strings.Contains(got, "1 other session was signed off") {
		t.Fatalf("done: %q", got)
	}
	if byID(doc, "secure-dialog") != nil {
		t.Error("the dialog stays open after securing")
	}
	found := false
	for _, c := range ss.callList() {
		found = found || c == "POST "+paths.Build(paths.User, testEnv, userID)+" "+paths.ActionUserSecure+" {}"
	}
	if !found {
		t.Errorf("calls %q", ss.callList())
	}
}

func TestFrozenMethodsText(t *testing.T) {
	err := &apierr.Error{Status: 403, Code: apierr.InsufficientPermission, Details: []apierr.Detail{{Code: apierr.DetailAccountFrozen,
		InnerError: map[string]any{"frozenUntil": "2025-01-03T03:04:05Z"}}}}
	r := failed(err)
	if !strings.Contains(r.err, "cannot be changed until") || r.needVerify {
		t.Fatalf("frozen: %+v", r)
	}
}
