package manage

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func securityURL(env string) string { return paths.Build(paths.SecurityEvents, env) }

// TestSecurityEventsAccess: administrators of the environment (read-only
// ones too) read its security events; end users and workers of the
// environment get 403, an administrator of another environment the 403 of
// every admin-only list.
func TestSecurityEventsAccess(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, principal, path string
		want                  int
	}{
		{"no_token", "", securityURL(defaultEnv), http.StatusUnauthorized},
		{"star", "star", securityURL(defaultEnv), http.StatusOK},
		{"environment_admin", "envAdmin", securityURL(defaultEnv), http.StatusOK},
		{"identity_data_admin", "idAdmin", securityURL(defaultEnv), http.StatusOK},
		{"read_only_admin", "readOnly", securityURL(defaultEnv), http.StatusOK},
		{"worker", "worker", securityURL(defaultEnv), http.StatusOK},
		{"end_user", "aliceSessions", securityURL(defaultEnv), http.StatusForbidden},
		{"end_user_claiming_roles", "aliceWithRoles", securityURL(defaultEnv), http.StatusForbidden},
		{"end_user_of_other_environment", "carol", securityURL(defaultEnv), http.StatusForbidden},
		{"worker_of_the_environment", "defaultWorker", securityURL(defaultEnv), http.StatusForbidden},
		{"admin_of_another_environment", "envAdmin", securityURL(otherEnv), http.StatusForbidden},
		{"read_only_of_another_environment", "readOnly", securityURL(otherEnv), http.StatusForbidden},
		{"unknown_environment", "star", securityURL(missingEnv), http.StatusNotFound},
		{"bad_environment_id", "star", "/v1/environments/not-a-uuid/securityEvents", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, tt.path, tt.principal, "")
			wantStatus(t, res, tt.want)
		})
	}
}

// TestUserEventsForAdministrators: every administrator role of the
// environment reads a user's activity; another environment's do not.
func TestUserEventsForAdministrators(t *testing.T) {
	h := newHarness(t)
	h.store.AddEvent(t.Context(), &store.Event{EnvironmentID: defaultEnv, ID: "01950000-0000-7000-8000-0000000000e1",
		Action: audit.ActionSignOnPassword, Outcome: audit.OutcomeFailure, UserID: aliceID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
	for _, tt := range []struct {
		name, principal, path string
		want                  int
	}{
		{"star", "star", eventsURL(defaultEnv, aliceID), http.StatusOK},
		{"environment_admin", "envAdmin", eventsURL(defaultEnv, aliceID), http.StatusOK},
		{"identity_data_admin", "idAdmin", eventsURL(defaultEnv, aliceID), http.StatusOK},
		{"read_only_admin", "readOnly", eventsURL(defaultEnv, aliceID), http.StatusOK},
		{"environment_admin_elsewhere", "envAdmin", eventsURL(otherEnv, carolID), http.StatusNotFound},
		{"identity_data_admin_elsewhere", "idAdmin", eventsURL(otherEnv, carolID), http.StatusNotFound},
		{"other_user", "carol", eventsURL(otherEnv, aliceID), http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, tt.path, tt.principal, "")
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if tt.want == http.StatusOK {
				var l resource.List[resource.UserEvent]
				res.decode(t, &l)
				if ev := l.Embedded["events"]; len(ev) != 1 || ev[0].Action != audit.ActionSignOnPassword {
					t.Fatalf("events %+v", ev)
				}
			}
		})
	}
}

func TestSecurityEvents(t *testing.T) {
	h := newHarness(t)
	n := 0
	add := func(at time.Duration, action, outcome, user, ip string, details map[string]string) string {
		t.Helper()
		n++
		e := &store.Event{EnvironmentID: defaultEnv, ID: strings.Replace("01950000-0000-7000-8000-0000000000XX", "XX", hex2(n), 1),
			Action: action, Outcome: outcome, UserID: user, IP: ip, Details: details,
			CreatedAt: t0.Add(at), ExpiresAt: t0.Add(at + 90*24*time.Hour)}
		if err := h.store.AddEvent(t.Context(), e); err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	fail := func(at time.Duration, user, ip string) string {
		return add(at, audit.ActionSignOnPassword, audit.OutcomeFailure, user, ip, nil)
	}
	// Bob: five failures within 10 minutes from one address, then a lockout.
	var bobLast string
	for i := range 5 {
		bobLast = fail(time.Duration(i)*2*time.Minute, bobID, "203.0.113.9")
	}
	lockout := add(9*time.Minute, audit.ActionAccountLocked, audit.OutcomeSuccess, bobID, "203.0.113.9", map[string]string{"reason": "password"})
	// Alice: four failures (no burst), and five spread over 40 minutes
	// (chained, but never five within 10 minutes: no burst).
	for i := range 4 {
		fail(20*time.Minute+time.Duration(i)*time.Minute, aliceID, "192.0.2.1")
	}
	for i := range 5 {
		fail(time.Hour+time.Duration(i)*9*time.Minute, aliceID, "192.0.2.1")
	}
	// One address trying many usernames (some unknown): an address burst.
	var sprayLast string
	for i := range 6 {
		user := ""
		if i%2 == 0 {
			user = carolID // any id: the address is what groups them
		}
		sprayLast = fail(3*time.Hour+time.Duration(i)*time.Minute, user, "198.51.100.77")
	}
	// Successes and other actions are not security events.
	add(4*time.Hour, audit.ActionSignOnPassword, audit.OutcomeSuccess, aliceID, "192.0.2.1", nil)
	add(4*time.Hour+time.Minute, audit.ActionDeviceRenamed, audit.OutcomeSuccess, aliceID, "192.0.2.1", nil)
	secured := add(5*time.Hour, audit.ActionAccountSecured, audit.OutcomeSuccess, aliceID, "192.0.2.1",
		map[string]string{"by": "emailLink", "city": "Berlin", "country": "Germany"})
	h.now = t0.Add(6 * time.Hour)

	get := func(t *testing.T, q string) resource.List[resource.SecurityEvent] {
		t.Helper()
		res := h.do(http.MethodGet, securityURL(defaultEnv)+q, "readOnly", "")
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", q, res.status, res.body)
		}
		var l resource.List[resource.SecurityEvent]
		res.decode(t, &l)
		return l
	}
	t.Run("newestFirst", func(t *testing.T) {
		h.use(t)
		l := get(t, "")
		var got []string
		for _, e := range l.Embedded["securityEvents"] {
			got = append(got, e.Kind+":"+e.GroupedBy)
		}
		want := []string{"ACCOUNT_SECURED:", "SIGNON_FAILURE_BURST:IP", "ACCOUNT_LOCKED:", "SIGNON_FAILURE_BURST:USER"}
		if !slices.Equal(got, want) || l.Links["next"].Href != "" {
			t.Fatalf("kinds %v, want %v (next %q)", got, want, l.Links["next"].Href)
		}
		ev := l.Embedded["securityEvents"]
		if s := ev[0]; s.ID != secured || s.User == nil || s.User.ID != aliceID || s.User.Username != "alice" || s.City != "Berlin" || s.Country != "Germany" || s.Details["by"] != "emailLink" {
			t.Errorf("secured %+v", s)
		}
		if b := ev[1]; b.RemoteIP != "198.51.100.77" || b.Count != 6 || b.User != nil || b.Details["users"] != "1" ||
			!b.FirstAt.Equal(t0.Add(3*time.Hour)) || !b.CreatedAt.Equal(t0.Add(3*time.Hour+5*time.Minute)) || b.ID == sprayLast {
			t.Errorf("address burst %+v", b)
		}
		if lo := ev[2]; lo.ID != lockout || lo.User.ID != bobID || lo.User.Username != "bob" || lo.RemoteIP != "203.0.113.9" || lo.Details["reason"] != "password" {
			t.Errorf("lockout %+v", lo)
		}
		if b := ev[3]; b.ID != bobLast || b.User.ID != bobID || b.Count != 5 || b.RemoteIP != "203.0.113.9" ||
			!b.FirstAt.Equal(t0) || !b.CreatedAt.Equal(t0.Add(8*time.Minute)) {
			t.Errorf("bob's burst %+v", b)
		}
	})
	t.Run("pages", func(t *testing.T) {
		h.use(t)
		var got []string
		q := "?limit=1"
		for range 10 {
			l := get(t, q)
			for _, e := range l.Embedded["securityEvents"] {
				got = append(got, e.ID)
			}
			next := l.Links["next"].Href
			if next == "" {
				break
			}
			q = strings.TrimPrefix(next, publicURL+securityURL(defaultEnv))
		}
		var all []string
		for _, e := range get(t, "").Embedded["securityEvents"] {
			all = append(all, e.ID)
		}
		if !slices.Equal(got, all) {
			t.Fatalf("paged %v, want %v", got, all)
		}
	})
	t.Run("filterByKind", func(t *testing.T) {
		h.use(t)
		l := get(t, "?filter="+url.QueryEscape(`kind eq "SIGNON_FAILURE_BURST"`))
		if ev := l.Embedded["securityEvents"]; len(ev) != 2 || ev[0].Kind != resource.SecurityFailureBurst || ev[1].Kind != resource.SecurityFailureBurst {
			t.Fatalf("bursts %+v", ev)
		}
		l = get(t, "?filter="+url.QueryEscape(`kind eq "ACCOUNT_LOCKED" or kind eq "ACCOUNT_SECURED"`))
		if ev := l.Embedded["securityEvents"]; len(ev) != 2 || ev[0].ID != secured || ev[1].ID != lockout {
			t.Fatalf("lockouts and secured %+v", ev)
		}
	})
	t.Run("otherEnvironmentEmpty", func(t *testing.T) {
		h.use(t)
		res := h.do(http.MethodGet, securityURL(otherEnv), "star", "")
		var l resource.List[resource.SecurityEvent]
		res.decode(t, &l)
		if res.status != http.StatusOK || len(l.Embedded["securityEvents"]) != 0 {
			t.Fatalf("%d %s", res.status, res.body)
		}
	})
	t.Run("deletedUserKeepsTheID", func(t *testing.T) {
		h.use(t)
		if err := h.store.DeleteUser(t.Context(), defaultEnv, bobID); err != nil {
			t.Fatal(err)
		}
		ev := get(t, "?filter="+url.QueryEscape(`kind eq "ACCOUNT_LOCKED"`)).Embedded["securityEvents"]
		if len(ev) != 1 || ev[0].User == nil || ev[0].User.ID != bobID || ev[0].User.Username != "" {
			t.Fatalf("a deleted user's lockout: %+v", ev)
		}
	})
	t.Run("badQueries", func(t *testing.T) {
		for _, q := range []struct{ name, query, target string }{
			{"unknownAttribute", "?filter=" + url.QueryEscape(`action eq "ACCOUNT_LOCKED"`), "filter"},
			{"foreignCursor", "?cursor=bm90LWEtY3Vyc29y", "cursor"},
			{"limitTooLarge", "?limit=1000", "limit"},
		} {
			t.Run(q.name, func(t *testing.T) {
				h.use(t)
				res := h.do(http.MethodGet, securityURL(defaultEnv)+q.query, "readOnly", "")
				if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData || !slices.Contains(res.targets(t), q.target+":INVALID_VALUE") {
					t.Fatalf("%d %s", res.status, res.body)
				}
			})
		}
	})
}

func hex2(n int) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[n/16%16], digits[n%16]})
}
