package manage

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// Alice's sessions in these tests: the one the session principals use,
// two others, one signed off, one expired; and one of Bob's.
const (
	aliceSID      = "00000000-0000-7000-8000-0000000005a1"
	aliceOtherSID = "00000000-0000-7000-8000-0000000005a2"
	aliceThirdSID = "00000000-0000-7000-8000-0000000005a3"
	aliceEndedSID = "00000000-0000-7000-8000-0000000005a4"
	aliceOldSID   = "00000000-0000-7000-8000-0000000005a5"
	bobSID        = "00000000-0000-7000-8000-0000000005b1"
)

const chromeLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

// sessionPrincipal is Alice signed on in aliceSID with scopes, her MFA
// done at mfaAt (zero: password only).
func sessionPrincipal(sid string, mfaAt time.Time, scopes ...string) *authn.Principal {
	return &authn.Principal{EnvID: defaultEnv, Subject: aliceID, SessionID: sid, Scopes: scope.Set(scopes),
		Session: &store.Session{EnvironmentID: defaultEnv, ID: sid, UserID: aliceID, MFAAt: mfaAt}}
}

// withSessions stores the sessions above.
func (h *harness) withSessions() {
	h.t.Helper()
	ctx := h.t.Context()
	for i, s := range []*store.Session{
		{ID: aliceSID, UserID: aliceID, UserAgent: chromeLinux, IP: "192.0.2.10", AMR: []string{"pwd", "otp", "mfa"}},
		{ID: aliceOtherSID, UserID: aliceID, IP: "198.51.100.7", AMR: []string{"pwd"},
			UserAgent:  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			Locations:  []store.SessionLocation{{IP: "203.0.113.4", At: t0.Add(time.Hour)}, {IP: "198.51.100.7", At: t0}},
			LastUsedAt: t0.Add(time.Hour)},
		{ID: aliceThirdSID, UserID: aliceID, IP: "192.0.2.11"},
		{ID: aliceEndedSID, UserID: aliceID, RevokedAt: t0},
		{ID: aliceOldSID, UserID: aliceID, ExpiresAt: t0},
		{ID: bobSID, UserID: bobID},
	} {
		s.EnvironmentID = defaultEnv
		s.CreatedAt = t0.Add(-time.Duration(6-i) * time.Minute)
		s.PasswordAt = s.CreatedAt
		if s.ExpiresAt.IsZero() {
			s.ExpiresAt = t0.Add(12 * time.Hour)
		}
		if err := h.store.CreateSession(ctx, s); err != nil {
			h.t.Fatal(err)
		}
	}
}

func sessionURL(env, user, sid string) string { return paths.Build(paths.Session, env, user, sid) }
func sessionsURL(env, user string) string     { return paths.Build(paths.Sessions, env, user) }
func eventsURL(env, user string) string       { return paths.Build(paths.UserEvents, env, user) }

// TestSessionsAccess: who may list, read, end sessions, read activity and
// secure an account, and the refusals PingOne gives.
func TestSessionsAccess(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	d := defaultEnv
	tests := []struct {
		name, principal, method, path string
		want                          int
	}{
		{"no_token", "", http.MethodGet, sessionsURL(d, aliceID), http.StatusUnauthorized},
		{"self_lists", "aliceReadSess", http.MethodGet, sessionsURL(d, aliceID), http.StatusOK},
		{"self_lists_without_scope", "aliceNoScopes", http.MethodGet, sessionsURL(d, aliceID), http.StatusForbidden},
		{"self_lists_other_user", "aliceSessions", http.MethodGet, sessionsURL(d, bobID), http.StatusNotFound},
		{"other_environment_user", "carol", http.MethodGet, sessionsURL(d, aliceID), http.StatusNotFound},
		{"self_under_other_environment", "aliceSessions", http.MethodGet, sessionsURL(otherEnv, aliceID), http.StatusNotFound},
		{"self_reads_one", "aliceReadSess", http.MethodGet, sessionURL(d, aliceID, aliceOtherSID), http.StatusOK},
		{"another_users_session_id", "aliceSessions", http.MethodGet, sessionURL(d, aliceID, bobSID), http.StatusNotFound},
		{"another_users_session_deleted", "aliceSessions", http.MethodDelete, sessionURL(d, aliceID, bobSID), http.StatusNotFound},
		{"session_under_other_environment", "star", http.MethodGet, sessionURL(otherEnv, aliceID, aliceOtherSID), http.StatusNotFound},
		{"ended_session", "aliceSessions", http.MethodGet, sessionURL(d, aliceID, aliceEndedSID), http.StatusNotFound},
		{"expired_session", "aliceSessions", http.MethodGet, sessionURL(d, aliceID, aliceOldSID), http.StatusNotFound},
		{"unknown_session", "aliceSessions", http.MethodGet, sessionURL(d, aliceID, missingID), http.StatusNotFound},
		{"bad_session_id", "aliceSessions", http.MethodGet, sessionURL(d, aliceID, "not-a-uuid"), http.StatusNotFound},
		{"delete_without_scope", "aliceReadSess", http.MethodDelete, sessionURL(d, aliceID, aliceOtherSID), http.StatusForbidden},
		{"delete_all_without_scope", "aliceReadSess", http.MethodDelete, sessionsURL(d, aliceID), http.StatusForbidden},
		{"read_only_lists", "readOnly", http.MethodGet, sessionsURL(d, aliceID), http.StatusOK},
		{"read_only_deletes", "readOnly", http.MethodDelete, sessionURL(d, aliceID, aliceOtherSID), http.StatusForbidden},
		{"admin_other_environment", "envAdmin", http.MethodGet, sessionsURL(otherEnv, carolID), http.StatusNotFound},
		{"events_own", "aliceReadSess", http.MethodGet, eventsURL(d, aliceID), http.StatusOK},
		{"events_without_scope", "aliceNoScopes", http.MethodGet, eventsURL(d, aliceID), http.StatusForbidden},
		{"events_of_another_user", "aliceSessions", http.MethodGet, eventsURL(d, bobID), http.StatusNotFound},
		{"events_other_environment", "carol", http.MethodGet, eventsURL(d, aliceID), http.StatusNotFound},
		{"events_self_under_other_environment", "aliceSessions", http.MethodGet, eventsURL(otherEnv, aliceID), http.StatusNotFound},
		{"events_unknown_user", "star", http.MethodGet, eventsURL(d, missingID), http.StatusNotFound},
		{"events_read_only", "readOnly", http.MethodGet, eventsURL(d, aliceID), http.StatusOK},
		{"secure_other_user", "aliceSessions", http.MethodPost, paths.Build(paths.User, d, bobID), http.StatusNotFound},
		{"secure_without_scope", "aliceReadSess", http.MethodPost, paths.Build(paths.User, d, aliceID), http.StatusForbidden},
		{"secure_read_only_admin", "readOnly", http.MethodPost, paths.Build(paths.User, d, aliceID), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			var res response
			if tt.method == http.MethodPost {
				res = h.do(tt.method, tt.path, tt.principal, "{}", paths.ActionUserSecure)
			} else {
				res = h.do(tt.method, tt.path, tt.principal, "")
			}
			wantStatus(t, res, tt.want)
		})
	}
	// None of the refused deletes ended anything.
	for _, sid := range []string{aliceSID, aliceOtherSID, aliceThirdSID, bobSID} {
		if s := h.session(sid); !s.RevokedAt.IsZero() {
			t.Errorf("session %s was ended by a refused request", sid)
		}
	}
}

func TestListSessions(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	var l resource.List[resource.UserSession]
	res := h.do(http.MethodGet, sessionsURL(defaultEnv, aliceID), "aliceReadSess", "")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	res.decode(t, &l)
	got := l.Embedded["sessions"]
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	// Live ones only, newest first.
	if want := []string{aliceThirdSID, aliceOtherSID, aliceSID}; !slices.Equal(ids, want) {
		t.Fatalf("listed %v, want %v", ids, want)
	}
	cur, other := got[2], got[1]
	if !cur.Current || other.Current || got[0].Current {
		t.Errorf("current flags: %v %v %v", got[0].Current, other.Current, cur.Current)
	}
	if cur.Browser.Name != "Chrome" || cur.Browser.Version != "131.0.0.0" || cur.OperatingSystem.Name != "Linux" ||
		cur.Device.Type != resource.SessionDesktop || !slices.Equal(cur.Methods, []string{"pwd", "otp", "mfa"}) {
		t.Errorf("current session described as %+v", cur)
	}
	if other.Device.Type != resource.SessionMobile || other.OperatingSystem.Name != "iOS" || other.LastSignOn.RemoteIP != "198.51.100.7" ||
		len(other.Locations) != 2 || other.Locations[0].RemoteIP != "203.0.113.4" || !other.ActiveAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("other session described as %+v", other)
	}
	if got[0].Device.Type != resource.SessionUnknown || len(got[0].Locations) != 1 || got[0].Locations[0].RemoteIP != "192.0.2.11" ||
		got[0].Methods == nil || !got[0].ActiveAt.Equal(got[0].CreatedAt) {
		t.Errorf("session without user agent described as %+v", got[0])
	}
	if cur.Links["self"].Href != publicURL+sessionURL(defaultEnv, aliceID, aliceSID) || cur.User.ID != aliceID {
		t.Errorf("links %+v user %+v", cur.Links, cur.User)
	}
	var one resource.UserSession
	h.do(http.MethodGet, sessionURL(defaultEnv, aliceID, aliceOtherSID), "readOnly", "").decode(t, &one)
	if snapshot(t, one) != snapshot(t, other) {
		t.Errorf("GET one differs from the list:\n%s\n%s", snapshot(t, one), snapshot(t, other))
	}
}

func TestDeleteSession(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	// One's own current session: refused, sign off instead.
	res := h.do(http.MethodDelete, sessionURL(defaultEnv, aliceID, aliceSID), "aliceSessions", "")
	if res.status != http.StatusBadRequest || res.code(t) != apierr.RequestFailed ||
		!slices.Contains(res.targets(t), "sessionId:"+apierr.DetailInvalidAction) || !strings.Contains(string(res.body), "Sign off") {
		t.Fatalf("deleting the current session: %d %s", res.status, res.body)
	}
	if !h.session(aliceSID).RevokedAt.IsZero() {
		t.Fatal("the refused delete ended the current session")
	}
	// Another one ends at once; a second delete finds nothing.
	res = h.do(http.MethodDelete, sessionURL(defaultEnv, aliceID, aliceOtherSID), "aliceSessions", "")
	if res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if s := h.session(aliceOtherSID); !s.RevokedAt.Equal(t0) {
		t.Fatalf("session not ended: %+v", s)
	}
	if res := h.do(http.MethodDelete, sessionURL(defaultEnv, aliceID, aliceOtherSID), "aliceSessions", ""); res.status != http.StatusNotFound {
		t.Fatalf("second delete: %d", res.status)
	}
	ev := findEvent(h, audit.ActionSessionSignedOff)
	if ev == nil || ev.UserID != aliceID || ev.ActorID != aliceID || ev.Details["sessionId"] != aliceOtherSID {
		t.Fatalf("sign-off event %+v", ev)
	}
	// An administrator may end any of them, the user's "current" included
	// (it is not the administrator's).
	h.do(http.MethodDelete, sessionURL(defaultEnv, aliceID, aliceSID), "idAdmin", "")
	if h.session(aliceSID).RevokedAt.IsZero() {
		t.Fatal("the administrator's delete did not end the session")
	}
	if !h.session(aliceThirdSID).RevokedAt.IsZero() || !h.session(bobSID).RevokedAt.IsZero() {
		t.Fatal("a delete ended a session it did not name")
	}
}

func TestDeleteOtherSessions(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	before := len(h.events(defaultEnv))
	if res := h.do(http.MethodDelete, sessionsURL(defaultEnv, aliceID), "aliceSessions", ""); res.status != http.StatusNoContent {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if !h.session(aliceSID).RevokedAt.IsZero() {
		t.Fatal("the current session was ended")
	}
	for _, sid := range []string{aliceOtherSID, aliceThirdSID} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Errorf("session %s still live", sid)
		}
	}
	if !h.session(bobSID).RevokedAt.IsZero() {
		t.Fatal("bob's session was ended")
	}
	if n := len(h.events(defaultEnv)) - before; n != 2 {
		t.Fatalf("%d events, want one per ended session", n)
	}
	var l resource.List[resource.UserSession]
	h.do(http.MethodGet, sessionsURL(defaultEnv, aliceID), "aliceSessions", "").decode(t, &l)
	if s := l.Embedded["sessions"]; len(s) != 1 || !s[0].Current {
		t.Fatalf("after signing the others off: %+v", s)
	}
}

func TestDisableUserEndsSessions(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	if res := h.do(http.MethodPatch, paths.Build(paths.User, defaultEnv, aliceID), "idAdmin", `{"enabled":false}`); res.status != http.StatusOK {
		t.Fatalf("disable: %d %s", res.status, res.body)
	}
	for _, sid := range []string{aliceSID, aliceOtherSID, aliceThirdSID} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Errorf("session %s of a disabled user is live", sid)
		}
	}
	if !h.session(bobSID).RevokedAt.IsZero() {
		t.Error("bob's session was ended")
	}
	ev := findEvent(h, audit.ActionSessionSignedOff)
	if ev == nil || ev.Details["reason"] != "user disabled" || ev.Details["sessionsEnded"] != "3" {
		t.Fatalf("event %+v", ev)
	}
}

// findEvent returns the newest event of action in Default.
func findEvent(h *harness, action string) *store.Event {
	for _, e := range h.events(defaultEnv) {
		if e.Action == action {
			return &e
		}
	}
	return nil
}

func TestUserEvents(t *testing.T) {
	h := newHarness(t)
	rec := audit.New(audit.Deps{Events: h.store, Now: func() time.Time { return h.now }})
	actions := []string{audit.ActionSignOnPassword, audit.ActionSignOnMFA, audit.ActionDeviceRenamed,
		audit.ActionSignOnPassword, audit.ActionPasswordChanged, audit.ActionSignOnCompleted, audit.ActionSessionSignedOff}
	for i, a := range actions {
		h.now = t0.Add(time.Duration(i) * time.Minute)
		outcome := audit.OutcomeSuccess
		if i == 3 {
			outcome = audit.OutcomeFailure
		}
		rec.Record(t.Context(), store.Event{EnvironmentID: defaultEnv, Action: a, Outcome: outcome, ActorType: audit.ActorUser,
			ActorID: aliceID, UserID: aliceID, IP: "192.0.2.10", UserAgent: chromeLinux,
			Details: map[string]string{"clientId": myAppID, "step": a}})
	}
	rec.Record(t.Context(), store.Event{EnvironmentID: defaultEnv, Action: audit.ActionSignOnPassword, Outcome: audit.OutcomeFailure, UserID: bobID})
	// An event that slipped a secret into its details (the recorder drops
	// such keys; one written around it must not be shown either).
	leaky := store.Event{EnvironmentID: defaultEnv, ID: "01950000-0000-7000-8000-000000000001", Action: audit.ActionSignOnMFA,
		Outcome: audit.OutcomeFailure, UserID: aliceID, CreatedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(time.Hour),
		Details: map[string]string{"otp": "123456", "reason": "wrong"}}
	if err := h.store.AddEvent(t.Context(), &leaky); err != nil {
		t.Fatal(err)
	}
	h.now = t0.Add(10 * time.Minute)

	get := func(t *testing.T, q string) resource.List[resource.UserEvent] {
		t.Helper()
		res := h.do(http.MethodGet, eventsURL(defaultEnv, aliceID)+q, "aliceReadSess", "")
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", q, res.status, res.body)
		}
		var l resource.List[resource.UserEvent]
		res.decode(t, &l)
		return l
	}
	t.Run("pagesNewestFirst", func(t *testing.T) {
		h.use(t)
		var seen []string
		q := "?limit=3"
		for range 5 {
			l := get(t, q)
			for _, e := range l.Embedded["events"] {
				seen = append(seen, e.Action)
			}
			next := l.Links["next"].Href
			if next == "" {
				break
			}
			q = strings.TrimPrefix(next, publicURL+eventsURL(defaultEnv, aliceID))
		}
		want := []string{audit.ActionSessionSignedOff, audit.ActionSignOnCompleted, audit.ActionPasswordChanged,
			audit.ActionSignOnPassword, audit.ActionDeviceRenamed, audit.ActionSignOnMFA, audit.ActionSignOnPassword, audit.ActionSignOnMFA}
		if !slices.Equal(seen, want) {
			t.Fatalf("actions %v, want %v", seen, want)
		}
	})
	t.Run("shape", func(t *testing.T) {
		h.use(t)
		e := get(t, "?limit=1").Embedded["events"][0]
		if e.RemoteIP != "192.0.2.10" || e.Browser == nil || e.Browser.Name != "Chrome" || e.OS == nil || e.OS.Name != "Linux" ||
			e.Actor.ID != aliceID || e.Details["clientId"] != myAppID || !e.CreatedAt.Equal(t0.Add(6*time.Minute)) {
			t.Fatalf("event %+v", e)
		}
	})
	t.Run("filterByKind", func(t *testing.T) {
		h.use(t)
		l := get(t, "?filter="+url.QueryEscape(resource.EventKindFilter("signOn")))
		var got []string
		for _, e := range l.Embedded["events"] {
			got = append(got, e.Action+":"+e.Outcome)
		}
		want := []string{"SIGNON_COMPLETED:SUCCESS", "SIGNON_PASSWORD:FAILURE", "SIGNON_MFA:SUCCESS", "SIGNON_PASSWORD:SUCCESS", "SIGNON_MFA:FAILURE"}
		if !slices.Equal(got, want) {
			t.Fatalf("sign-on events %v, want %v", got, want)
		}
		l = get(t, "?limit=1&filter="+url.QueryEscape(`action eq "SIGNON_PASSWORD" and outcome eq "FAILURE"`))
		if ev := l.Embedded["events"]; len(ev) != 1 || ev[0].Outcome != "FAILURE" || l.Links["next"].Href != "" {
			t.Fatalf("failed password sign-ons: %+v next %q", ev, l.Links["next"].Href)
		}
	})
	t.Run("neverSecrets", func(t *testing.T) {
		h.use(t)
		res := h.do(http.MethodGet, eventsURL(defaultEnv, aliceID)+"?limit=100", "aliceReadSess", "")
		if strings.Contains(string(res.body), "123456") || strings.Contains(string(res.body), `"otp"`) {
			t.Fatalf("activity shows a secret: %s", res.body)
		}
		if !strings.Contains(string(res.body), `"reason":"wrong"`) {
			t.Fatalf("the harmless detail was dropped too: %s", res.body)
		}
	})
	t.Run("expiredNotShown", func(t *testing.T) {
		h.use(t)
		h.now = t0.Add(2 * time.Hour) // the leaky one expired at t0+1h
		defer func() { h.now = t0.Add(10 * time.Minute) }()
		if n := len(get(t, "?limit=100").Embedded["events"]); n != len(actions) {
			t.Fatalf("%d events, want %d", n, len(actions))
		}
	})
	t.Run("badQueries", func(t *testing.T) {
		for _, q := range []struct{ name, query, target string }{
			{"unknownAttribute", "?filter=" + url.QueryEscape(`ip eq "1.2.3.4"`), "filter"},
			{"otherOperator", "?filter=" + url.QueryEscape(`action sw "SIGN"`), "filter"},
			{"foreignCursor", "?cursor=bm90LWEtY3Vyc29y", "cursor"},
			{"limitTooLarge", "?limit=1000", "limit"},
		} {
			t.Run(q.name, func(t *testing.T) {
				h.use(t)
				res := h.do(http.MethodGet, eventsURL(defaultEnv, aliceID)+q.query, "aliceReadSess", "")
				if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData || !slices.Contains(res.targets(t), q.target+":INVALID_VALUE") {
					t.Fatalf("%d %s", res.status, res.body)
				}
			})
		}
	})
}

// TestEventKindsNameActions: every action the documented kinds name is
// one the server records.
func TestEventKindsNameActions(t *testing.T) {
	for _, k := range resource.EventKinds() {
		for _, a := range k.Actions {
			if !slices.Contains(audit.Actions(), a) {
				t.Errorf("kind %s names %s, which is no audit action", k.ID, a)
			}
		}
	}
}

func TestSecureMyAccount(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	user := paths.Build(paths.User, defaultEnv, aliceID)
	nickname := paths.Build(paths.DeviceNickname, defaultEnv, aliceID, "00000000-0000-7000-8000-0000000000e2")

	// Without a fresh MFA in this session: refused, nothing changed.
	before := snapshot(t, h.user(defaultEnv, aliceID))
	res := h.do(http.MethodPost, user, "aliceNoMFA", "{}", paths.ActionUserSecure)
	if res.status != http.StatusForbidden || !slices.Contains(res.targets(t), "session:"+apierr.DetailMFARequired) {
		t.Fatalf("without MFA: %d %s", res.status, res.body)
	}
	h.now = t0.Add(StepUpWindow + time.Second) // the session's MFA is at t0
	res = h.do(http.MethodPost, user, "aliceSessions", "{}", paths.ActionUserSecure)
	if res.status != http.StatusForbidden || !slices.Contains(res.targets(t), "session:"+apierr.DetailMFARequired) {
		t.Fatalf("stale MFA: %d %s", res.status, res.body)
	}
	if snapshot(t, h.user(defaultEnv, aliceID)) != before || !h.session(aliceOtherSID).RevokedAt.IsZero() {
		t.Fatal("a refused secure changed something")
	}
	h.now = t0.Add(time.Minute)
	for _, bad := range []struct{ name, body, ct string }{
		{"unknownField", `{"keepSessions":true}`, paths.ActionUserSecure},
		{"otherAction", `{}`, paths.ActionPasswordUnlock},
		{"plainJSON", `{}`, paths.JSON},
	} {
		res := h.do(http.MethodPost, user, "aliceSessions", bad.body, bad.ct)
		if res.status != http.StatusBadRequest && res.status != http.StatusUnsupportedMediaType {
			t.Fatalf("%s: %d %s", bad.name, res.status, res.body)
		}
	}
	if snapshot(t, h.user(defaultEnv, aliceID)) != before {
		t.Fatal("a refused body changed the user")
	}

	// With it: the other sessions end, this one stays with its refresh
	// tokens cut off, the password must change, methods freeze.
	res = h.do(http.MethodPost, user, "aliceSessions", " {} ", paths.ActionUserSecure)
	if res.status != http.StatusOK {
		t.Fatalf("secure: %d %s", res.status, res.body)
	}
	var out resource.AccountSecured
	res.decode(t, &out)
	until := h.now.Add(MethodFreeze)
	if out.SessionsEnded != 2 || !out.MustChangePassword || !out.MethodsFrozenUntil.Equal(until) {
		t.Fatalf("answer %+v", out)
	}
	u := h.user(defaultEnv, aliceID)
	if !u.MustChangePassword || !u.FrozenUntil.Equal(until) {
		t.Fatalf("user must change %v, frozen until %v", u.MustChangePassword, u.FrozenUntil)
	}
	cur := h.session(aliceSID)
	if !cur.RevokedAt.IsZero() || !cur.RefreshNotBefore.Equal(h.now) {
		t.Fatalf("current session %+v", cur)
	}
	for _, sid := range []string{aliceOtherSID, aliceThirdSID} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Errorf("session %s still live", sid)
		}
	}
	if !h.session(bobSID).RevokedAt.IsZero() {
		t.Error("bob's session ended")
	}
	ev := findEvent(h, audit.ActionAccountSecured)
	if ev == nil || ev.UserID != aliceID || ev.Details["by"] != "self" || ev.Details["sessionsEnded"] != "2" {
		t.Fatalf("event %+v", ev)
	}
	if mails := h.mail.to("alice@example.com"); len(mails) != 1 || !strings.Contains(mails[0].Subject, "secured") {
		t.Fatalf("mails to alice: %+v", mails)
	}

	// Her own method changes are frozen; an administrator's are not.
	res = h.do(http.MethodPut, nickname, "aliceSessions", `{"nickname":"Home"}`)
	if res.status != http.StatusForbidden || !slices.Contains(res.targets(t), "user:"+apierr.DetailAccountFrozen) {
		t.Fatalf("frozen rename: %d %s", res.status, res.body)
	}
	if h.user(defaultEnv, aliceID).Devices[1].Nickname != "Work" {
		t.Fatal("the frozen rename went through")
	}
	if res := h.do(http.MethodPut, nickname, "idAdmin", `{"nickname":"Office"}`); res.status != http.StatusOK {
		t.Fatalf("administrator's rename: %d %s", res.status, res.body)
	}
	// An administrator secures an account: every session ends.
	res = h.do(http.MethodPost, user, "envAdmin", "{}", paths.ActionUserSecure)
	if res.status != http.StatusOK || !h.session(aliceSID).RevokedAt.Equal(h.now) {
		t.Fatalf("administrator's secure: %d %s; current session %+v", res.status, res.body, h.session(aliceSID))
	}
	if ev := findEvent(h, audit.ActionAccountSecured); ev.Details["by"] != "administrator" {
		t.Fatalf("event %+v", ev)
	}
	// The freeze ends on time (her MFA then is fresh again).
	h.now = until
	principals["aliceSessions"].Session.MFAAt = until
	defer func() { principals["aliceSessions"].Session.MFAAt = t0 }()
	if res := h.do(http.MethodPut, nickname, "aliceSessions", `{"nickname":"Home"}`); res.status != http.StatusOK {
		t.Fatalf("rename after the freeze: %d %s", res.status, res.body)
	}
}
