package manage

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
)

// issueLink makes a one-time secure link for the user and returns its
// token.
func (h *harness) issueLink(envID, userID string) string {
	h.t.Helper()
	links := securelink.New(securelink.Deps{Users: h.store, PublicURL: publicURL, Now: func() time.Time { return h.now }})
	link, err := links.Issue(h.t.Context(), envID, userID)
	if err != nil {
		h.t.Fatalf("issue link: %v", err)
	}
	u, err := url.Parse(link)
	if err != nil || u.Path != paths.Build(paths.SecureLink, envID) || u.Query().Get("user") != userID {
		h.t.Fatalf("link %q", link)
	}
	return u.Query().Get("token")
}

func secureForm(userID, token string) string {
	return url.Values{"user": {userID}, "token": {token}}.Encode()
}

const formCT = "application/x-www-form-urlencoded"

// TestSecureByLink: the emailed one-time link secures the account without
// a sign-on, once, for its user in its environment, for 24 hours.
func TestSecureByLink(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	h.now = t0.Add(time.Minute)
	token := h.issueLink(defaultEnv, aliceID)
	bobToken := h.issueLink(defaultEnv, bobID)
	carolToken := h.issueLink(otherEnv, carolID)
	page := paths.Build(paths.SecureLink, defaultEnv)

	// GET only asks: nothing changes (mail scanners follow links).
	before := snapshot(t, h.user(defaultEnv, aliceID))
	res := h.do(http.MethodGet, page+"?"+secureForm(aliceID, token), "", "")
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `id="secure-submit"`) ||
		!strings.Contains(string(res.body), token) || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("page: %d %s", res.status, res.body)
	}
	if snapshot(t, h.user(defaultEnv, aliceID)) != before || !h.session(aliceOtherSID).RevokedAt.IsZero() {
		t.Fatal("the page changed something")
	}

	refused := []struct {
		name, path, user, token string
	}{
		{"wrongToken", page, aliceID, strings.Repeat("A", securelink.TokenLen)},
		{"anotherUsersToken", page, aliceID, bobToken},
		{"tokenUnderAnotherUser", page, bobID, token},
		{"otherEnvironment", paths.Build(paths.SecureLink, otherEnv), aliceID, token},
		{"foreignEnvironmentsToken", page, aliceID, carolToken},
		{"unknownEnvironment", paths.Build(paths.SecureLink, missingEnv), aliceID, token},
		{"unknownUser", page, missingID, token},
		{"shortToken", page, aliceID, token[:20]},
		{"noToken", page, aliceID, ""},
		{"badUserID", page, "alice", token},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				var res response
				if method == http.MethodGet {
					res = h.do(method, tt.path+"?"+secureForm(tt.user, tt.token), "", "")
				} else {
					res = h.do(method, tt.path, "", secureForm(tt.user, tt.token), formCT)
				}
				if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "This link does not work") {
					t.Fatalf("%s: %d %s", method, res.status, res.body)
				}
			}
		})
	}
	if snapshot(t, h.user(defaultEnv, aliceID)) != before || !h.session(aliceOtherSID).RevokedAt.IsZero() {
		t.Fatal("a refused link changed something")
	}
	if findEvent(h, audit.ActionAccountSecured) != nil {
		t.Fatal("a refused link recorded a secured account")
	}

	// The link works: every session ends, a new password is required,
	// methods freeze, the user and the administrators are told.
	res = h.do(http.MethodPost, page, "", secureForm(aliceID, token), formCT)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), "Your account is secured") {
		t.Fatalf("secure: %d %s", res.status, res.body)
	}
	u := h.user(defaultEnv, aliceID)
	if !u.MustChangePassword || !u.FrozenUntil.Equal(h.now.Add(MethodFreeze)) || len(u.SecureLinks) != 0 {
		t.Fatalf("user must change %v, frozen until %v, links %d", u.MustChangePassword, u.FrozenUntil, len(u.SecureLinks))
	}
	for _, sid := range []string{aliceSID, aliceOtherSID, aliceThirdSID} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Errorf("session %s still live", sid)
		}
	}
	if !h.session(bobSID).RevokedAt.IsZero() || h.user(defaultEnv, bobID).MustChangePassword {
		t.Fatal("bob's account was touched")
	}
	ev := findEvent(h, audit.ActionAccountSecured)
	if ev == nil || ev.UserID != aliceID || ev.Details["by"] != "emailLink" || ev.Details["sessionsEnded"] != "3" {
		t.Fatalf("event %+v", ev)
	}
	var told bool
	for _, e := range h.events(adminEnv) {
		told = told || (e.Action == audit.ActionAccountSecured && e.Details["environmentId"] == defaultEnv && e.Details["userId"] == aliceID)
	}
	if !told {
		t.Fatalf("the Administrators environment has no ACCOUNT_SECURED naming alice: %+v", h.events(adminEnv))
	}
	if mails := h.mail.to("alice@example.com"); len(mails) != 1 || !strings.Contains(mails[0].Subject, "secured") {
		t.Fatalf("mails to alice: %+v", mails)
	}

	// Replay: refused, nothing recorded again.
	n := len(h.events(defaultEnv))
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		var res response
		if method == http.MethodGet {
			res = h.do(method, page+"?"+secureForm(aliceID, token), "", "")
		} else {
			res = h.do(method, page, "", secureForm(aliceID, token), formCT)
		}
		if res.status != http.StatusBadRequest {
			t.Fatalf("replayed %s: %d %s", method, res.status, res.body)
		}
	}
	if len(h.events(defaultEnv)) != n {
		t.Fatal("a replayed link recorded something")
	}

	// Expired: bob's link stops working after 24 hours.
	h.now = t0.Add(time.Minute + securelink.TTL)
	before = snapshot(t, h.user(defaultEnv, bobID))
	if res := h.do(http.MethodPost, page, "", secureForm(bobID, bobToken), formCT); res.status != http.StatusBadRequest {
		t.Fatalf("expired link: %d %s", res.status, res.body)
	}
	if snapshot(t, h.user(defaultEnv, bobID)) != before || !h.session(bobSID).RevokedAt.IsZero() {
		t.Fatal("an expired link changed something")
	}
}

// TestSecureLinkParallelUse: a second use of the link that reads it while
// the first is about to write gets the refusal; one use secures.
func TestSecureLinkParallelUse(t *testing.T) {
	h := newHarness(t)
	token := h.issueLink(defaultEnv, aliceID)
	page := paths.Build(paths.SecureLink, defaultEnv)
	var second response
	fired := false
	h.store.beforeUpdateUser = func(*store.User) {
		if fired {
			return
		}
		fired = true
		second = h.do(http.MethodPost, page, "", secureForm(aliceID, token), formCT)
	}
	first := h.do(http.MethodPost, page, "", secureForm(aliceID, token), formCT)
	h.store.beforeUpdateUser = nil
	if !fired {
		t.Fatal("the hook did not run")
	}
	ok := 0
	for _, r := range []response{first, second} {
		switch r.status {
		case http.StatusOK:
			ok++
		case http.StatusBadRequest:
		default:
			t.Fatalf("status %d %s", r.status, r.body)
		}
	}
	if ok != 1 {
		t.Fatalf("%d uses of one link succeeded (first %d, second %d)", ok, first.status, second.status)
	}
	secured := 0
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionAccountSecured {
			secured++
		}
	}
	if secured != 1 {
		t.Fatalf("%d ACCOUNT_SECURED events", secured)
	}
}
