package manage

import (
	"net/http"
	"slices"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	printerID    = "00000000-0000-4000-8000-0000000000d7"
	aliceKID     = "00000000-0000-7000-8000-0000000000e7"
	bobKID       = "00000000-0000-7000-8000-0000000000e8"
	revokeStatus = `{"status":"REVOKED"}`
)

// oauthConsentFixture makes a third-party application and gives alice and
// bob a consent to it.
func (h *harness) oauthConsentFixture(t *testing.T) {
	t.Helper()
	if err := h.store.CreateApplication(t.Context(), &store.Application{EnvironmentID: defaultEnv, ID: printerID, Name: "Photo Printer",
		Type: resource.AppSinglePage, Enabled: true, RedirectURIs: []string{"https://printer.example/cb"}, RequireConsent: true,
		CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	for id, kid := range map[string]string{aliceID: aliceKID, bobID: bobKID} {
		u := h.user(defaultEnv, id)
		u.OAuthConsents = []store.OAuthConsent{{ID: kid, ClientID: printerID, Scopes: []string{"openid", "profile"}, GrantedAt: t0, UpdatedAt: t0}}
		if err := h.store.UpdateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOAuthConsentAccess: the user reads with p1:read:oauthConsent and
// revokes with p1:update:oauthConsent, only their own; administrators by
// role; another user's or environment's consent is a 404 and nothing
// changes on any refusal.
func TestOAuthConsentAccess(t *testing.T) {
	h := newHarness(t)
	h.oauthConsentFixture(t)
	mine := paths.Build(paths.UserOAuthConsent, defaultEnv, aliceID, aliceKID)
	bobs := paths.Build(paths.UserOAuthConsent, defaultEnv, bobID, bobKID)
	rv := paths.ActionConsentRevoke
	tests := []struct {
		name, principal, method, path, ct, body string
		want                                    int
	}{
		{"no_token", "", http.MethodGet, mine, "", "", http.StatusUnauthorized},
		{"missing_scope_list", "aliceConsent", http.MethodGet, paths.Build(paths.UserOAuthConsents, defaultEnv, aliceID), "", "", http.StatusForbidden},
		{"missing_scope_get", "alice", http.MethodGet, mine, "", "", http.StatusForbidden},
		{"missing_scope_revoke", "aliceOAuthRead", http.MethodPatch, mine, rv, revokeStatus, http.StatusForbidden},
		{"other_users_list", "aliceOAuth", http.MethodGet, paths.Build(paths.UserOAuthConsents, defaultEnv, bobID), "", "", http.StatusNotFound},
		{"other_users_consent", "aliceOAuth", http.MethodGet, bobs, "", "", http.StatusNotFound},
		{"bobs_consent_under_alice", "aliceOAuth", http.MethodGet, paths.Build(paths.UserOAuthConsent, defaultEnv, aliceID, bobKID), "", "", http.StatusNotFound},
		{"revoke_other_users", "aliceOAuth", http.MethodPatch, bobs, rv, revokeStatus, http.StatusNotFound},
		{"revoke_bobs_under_alice", "aliceOAuth", http.MethodPatch, paths.Build(paths.UserOAuthConsent, defaultEnv, aliceID, bobKID), rv, revokeStatus, http.StatusNotFound},
		{"other_env", "aliceOAuth", http.MethodGet, paths.Build(paths.UserOAuthConsent, otherEnv, aliceID, aliceKID), "", "", http.StatusNotFound},
		{"revoke_other_env", "aliceOAuth", http.MethodPatch, paths.Build(paths.UserOAuthConsent, otherEnv, aliceID, aliceKID), rv, revokeStatus, http.StatusNotFound},
		{"admin_other_env", "envAdmin", http.MethodGet, paths.Build(paths.UserOAuthConsents, otherEnv, carolID), "", "", http.StatusNotFound},
		{"unknown_consent", "aliceOAuth", http.MethodGet, paths.Build(paths.UserOAuthConsent, defaultEnv, aliceID, missingID), "", "", http.StatusNotFound},
		{"malformed_id", "aliceOAuth", http.MethodGet, paths.Build(paths.UserOAuthConsent, defaultEnv, aliceID, "not-a-uuid"), "", "", http.StatusNotFound},
		{"wrong_media_type", "aliceOAuth", http.MethodPatch, mine, "application/json", revokeStatus, http.StatusUnsupportedMediaType},
		{"other_action", "aliceOAuth", http.MethodPatch, mine, "application/vnd.pingidentity.consent.accept+json", revokeStatus, http.StatusUnsupportedMediaType},
		{"other_status", "aliceOAuth", http.MethodPatch, mine, rv, `{"status":"ACCEPTED"}`, http.StatusBadRequest},
		{"unknown_field", "aliceOAuth", http.MethodPatch, mine, rv, `{"status":"REVOKED","scopes":[]}`, http.StatusBadRequest},
		{"read_only_reads", "readOnly", http.MethodGet, bobs, "", "", http.StatusOK},
		{"read_only_revokes", "readOnly", http.MethodPatch, bobs, rv, revokeStatus, http.StatusForbidden},
		{"history_missing_scope", "alice", http.MethodGet, paths.Build(paths.UserConsentHistory, defaultEnv, aliceID), "", "", http.StatusForbidden},
		{"history_other_user", "aliceOAuth", http.MethodGet, paths.Build(paths.UserConsentHistory, defaultEnv, bobID), "", "", http.StatusNotFound},
		{"history_other_env", "aliceConsent", http.MethodGet, paths.Build(paths.UserConsentHistory, otherEnv, aliceID), "", "", http.StatusNotFound},
		{"own_reads", "aliceOAuthRead", http.MethodGet, mine, "", "", http.StatusOK},
		{"own_history_with_agreement_scope", "aliceConsent", http.MethodGet, paths.Build(paths.UserConsentHistory, defaultEnv, aliceID), "", "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, []any{h.user(defaultEnv, aliceID).OAuthConsents, h.user(defaultEnv, bobID).OAuthConsents})
			res := h.do(tt.method, tt.path, tt.principal, tt.body, tt.ct)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if snapshot(t, []any{h.user(defaultEnv, aliceID).OAuthConsents, h.user(defaultEnv, bobID).OAuthConsents}) != before {
				t.Errorf("consents changed")
			}
		})
	}
}

// TestOAuthConsentRevoke: list (with the application's name), revoke
// (REVOKED, removed, audited), revoke twice 404, an administrator revokes
// bob's, and the history shows the revocations.
func TestOAuthConsentRevoke(t *testing.T) {
	h := newHarness(t)
	h.oauthConsentFixture(t)
	var list resource.List[resource.UserOAuthConsent]
	h.do(http.MethodGet, paths.Build(paths.UserOAuthConsents, defaultEnv, aliceID), "aliceOAuthRead", "").decode(t, &list)
	got := list.Embedded["oauthConsents"]
	if len(got) != 1 || got[0].ID != aliceKID || got[0].Application.ID != printerID || got[0].Application.Name != "Photo Printer" ||
		!slices.Equal(got[0].Scopes, []string{"openid", "profile"}) || !got[0].GrantedAt.Equal(t0) || got[0].Status != resource.OAuthConsentAccepted {
		t.Fatalf("list %+v", got)
	}
	mine := paths.Build(paths.UserOAuthConsent, defaultEnv, aliceID, aliceKID)
	res := h.do(http.MethodPatch, mine, "aliceOAuth", revokeStatus, paths.ActionConsentRevoke)
	if res.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	var k resource.UserOAuthConsent
	res.decode(t, &k)
	if k.Status != resource.OAuthConsentRevoked || k.Application.ID != printerID {
		t.Errorf("after revoke %+v", k)
	}
	if n := len(h.user(defaultEnv, aliceID).OAuthConsents); n != 0 {
		t.Errorf("%d consents left", n)
	}
	if n := len(h.user(defaultEnv, bobID).OAuthConsents); n != 1 {
		t.Errorf("bob's consent touched")
	}
	if !slices.ContainsFunc(h.events(defaultEnv), func(e store.Event) bool {
		return e.Action == audit.ActionOAuthConsent && e.UserID == aliceID && e.Details["change"] == "revoked" && e.Details["clientId"] == printerID
	}) {
		t.Errorf("no audit event")
	}
	if res := h.do(http.MethodPatch, mine, "aliceOAuth", revokeStatus, paths.ActionConsentRevoke); res.status != http.StatusNotFound {
		t.Errorf("second revoke: %d", res.status)
	}
	if res := h.do(http.MethodGet, mine, "aliceOAuth", ""); res.status != http.StatusNotFound {
		t.Errorf("get after revoke: %d", res.status)
	}
	// An administrator revokes bob's.
	if res := h.do(http.MethodPatch, paths.Build(paths.UserOAuthConsent, defaultEnv, bobID, bobKID), "idAdmin", revokeStatus, paths.ActionConsentRevoke); res.status != http.StatusOK {
		t.Errorf("admin revoke: %d %s", res.status, res.body)
	}
	if n := len(h.user(defaultEnv, bobID).OAuthConsents); n != 0 {
		t.Errorf("admin revoke left %d", n)
	}
	var hist resource.List[resource.ConsentHistoryEntry]
	h.do(http.MethodGet, paths.Build(paths.UserConsentHistory, defaultEnv, aliceID), "aliceOAuthRead", "").decode(t, &hist)
	hs := hist.Embedded["consentHistory"]
	if len(hs) != 1 || hs[0].Kind != resource.ConsentKindApplication || hs[0].Change != resource.ConsentRevoked ||
		hs[0].Target.ID != printerID || hs[0].Name != "Photo Printer" || !slices.Equal(hs[0].Scopes, []string{"openid", "profile"}) ||
		hs[0].Actor.ID != aliceID {
		t.Errorf("alice's history %+v", hs)
	}
}

// TestApplicationRequireConsent: requireConsent is set on create and by
// PATCH for single-page applications, refused for workers and for the
// MyAccount application (first-party).
func TestApplicationRequireConsent(t *testing.T) {
	h := newHarness(t)
	apps := paths.Build(paths.Applications, defaultEnv)
	res := h.do(http.MethodPost, apps, "envAdmin", `{"name":"Printer","type":"SINGLE_PAGE_APP","redirectUris":["https://p.example/cb"],"requireConsent":true}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var app resource.Application
	res.decode(t, &app)
	if !app.RequireConsent {
		t.Errorf("created %+v", app)
	}
	if res := h.do(http.MethodPost, apps, "envAdmin", `{"name":"W","type":"WORKER","requireConsent":true}`); res.status != http.StatusBadRequest {
		t.Errorf("worker with requireConsent: %d %s", res.status, res.body)
	}
	one := paths.Build(paths.Application, defaultEnv, app.ID)
	res = h.do(http.MethodPatch, one, "envAdmin", `{"requireConsent":false}`)
	if res.status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	res.decode(t, &app)
	if app.RequireConsent {
		t.Errorf("patched %+v", app)
	}
	res = h.do(http.MethodPatch, paths.Build(paths.Application, defaultEnv, myAppID), "envAdmin", `{"requireConsent":true}`)
	if res.status != http.StatusBadRequest {
		t.Errorf("MyAccount requireConsent: %d %s", res.status, res.body)
	}
	if a, _ := h.store.GetApplication(t.Context(), defaultEnv, myAppID); a.RequireConsent {
		t.Errorf("MyAccount application became third-party")
	}
}
