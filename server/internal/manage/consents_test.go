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

// consentFixture gives alice and bob a consent to a new agreement.
func (h *harness) consentFixture(t *testing.T) (agID string) {
	t.Helper()
	agID, langID, revID := h.agreementFixture(t)
	for _, id := range []string{aliceID, bobID} {
		u := h.user(defaultEnv, id)
		u.AgreementConsents = []store.AgreementConsent{{AgreementID: agID, LanguageID: langID, Locale: "fr", RevisionID: revID, ConsentedAt: t0}}
		if err := h.store.UpdateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	return agID
}

// TestAgreementConsentAccess: the user reads and revokes only their own
// consents with p1:read:userConsent; administrators by role; others 404.
func TestAgreementConsentAccess(t *testing.T) {
	h := newHarness(t)
	agID := h.consentFixture(t)
	mine := paths.Build(paths.UserAgreementConsent, defaultEnv, aliceID, agID)
	bobs := paths.Build(paths.UserAgreementConsent, defaultEnv, bobID, agID)
	rv := paths.ActionConsentRevoke
	tests := []struct {
		name, principal, method, path, ct string
		want                              int
	}{
		{"no_token", "", http.MethodGet, mine, "", http.StatusUnauthorized},
		{"missing_scope_list", "alice", http.MethodGet, paths.Build(paths.UserAgreementConsents, defaultEnv, aliceID), "", http.StatusForbidden},
		{"missing_scope_revoke", "alice", http.MethodPost, mine, rv, http.StatusForbidden},
		{"other_users_consents", "aliceConsent", http.MethodGet, paths.Build(paths.UserAgreementConsents, defaultEnv, bobID), "", http.StatusNotFound},
		{"other_users_consent", "aliceConsent", http.MethodGet, bobs, "", http.StatusNotFound},
		{"revoke_other_users", "aliceConsent", http.MethodPost, bobs, rv, http.StatusNotFound},
		{"other_env", "aliceConsent", http.MethodGet, paths.Build(paths.UserAgreementConsent, otherEnv, aliceID, agID), "", http.StatusNotFound},
		{"star_other_env_user", "star", http.MethodGet, paths.Build(paths.UserAgreementConsents, otherEnv, aliceID), "", http.StatusNotFound},
		{"unknown_agreement", "aliceConsent", http.MethodGet, paths.Build(paths.UserAgreementConsent, defaultEnv, aliceID, missingID), "", http.StatusNotFound},
		{"revoke_unknown_agreement", "aliceConsent", http.MethodPost, paths.Build(paths.UserAgreementConsent, defaultEnv, aliceID, missingID), rv, http.StatusNotFound},
		{"wrong_media_type", "aliceConsent", http.MethodPost, mine, "application/json", http.StatusUnsupportedMediaType},
		{"other_action", "aliceConsent", http.MethodPost, mine, "application/vnd.pingidentity.consent.grant+json", http.StatusUnsupportedMediaType},
		{"read_only_reads", "readOnly", http.MethodGet, bobs, "", http.StatusOK},
		{"read_only_revokes", "readOnly", http.MethodPost, bobs, rv, http.StatusForbidden},
		{"admin_of_default_other_env", "envAdmin", http.MethodGet, paths.Build(paths.UserAgreementConsents, otherEnv, carolID), "", http.StatusNotFound},
		{"own_reads", "aliceConsent", http.MethodGet, mine, "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, []any{h.user(defaultEnv, aliceID).AgreementConsents, h.user(defaultEnv, bobID).AgreementConsents})
			body := ""
			if tt.ct != "" {
				body = "{}"
			}
			res := h.do(tt.method, tt.path, tt.principal, body, tt.ct)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if snapshot(t, []any{h.user(defaultEnv, aliceID).AgreementConsents, h.user(defaultEnv, bobID).AgreementConsents}) != before {
				t.Errorf("consents changed")
			}
		})
	}
}

// TestAgreementConsentRevoke: list, revoke (PENDING, removed from the
// user), a second revoke is 404, and an administrator revokes bob's.
func TestAgreementConsentRevoke(t *testing.T) {
	h := newHarness(t)
	agID := h.consentFixture(t)
	var list resource.List[resource.UserAgreementConsent]
	h.do(http.MethodGet, paths.Build(paths.UserAgreementConsents, defaultEnv, aliceID), "aliceConsent", "").decode(t, &list)
	got := list.Embedded["agreementConsents"]
	if len(got) != 1 || got[0].Status != resource.ConsentAccepted || got[0].Agreement.ID != agID || got[0].Name != "Terms" ||
		got[0].Locale != "fr" || got[0].Revision == nil || got[0].ConsentedAt == nil || !got[0].ConsentedAt.Equal(t0) {
		t.Fatalf("list %+v", got)
	}
	mine := paths.Build(paths.UserAgreementConsent, defaultEnv, aliceID, agID)
	res := h.do(http.MethodPost, mine, "aliceConsent", "{}", paths.ActionConsentRevoke)
	if res.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	var k resource.UserAgreementConsent
	res.decode(t, &k)
	if k.Status != resource.ConsentPending || k.Revision != nil {
		t.Errorf("after revoke %+v", k)
	}
	if n := len(h.user(defaultEnv, aliceID).AgreementConsents); n != 0 {
		t.Errorf("%d consents left", n)
	}
	if n := len(h.user(defaultEnv, bobID).AgreementConsents); n != 1 {
		t.Errorf("bob's consent touched")
	}
	if !slices.ContainsFunc(h.events(defaultEnv), func(e store.Event) bool {
		return e.Action == audit.ActionAgreementConsent && e.UserID == aliceID && e.Details["change"] == "revoked"
	}) {
		t.Errorf("no audit event")
	}
	var k2 resource.UserAgreementConsent
	h.do(http.MethodGet, mine, "aliceConsent", "").decode(t, &k2)
	if k2.Status != resource.ConsentPending {
		t.Errorf("get after revoke %+v", k2)
	}
	if res := h.do(http.MethodPost, mine, "aliceConsent", "{}", paths.ActionConsentRevoke); res.status != http.StatusNotFound {
		t.Errorf("second revoke: %d", res.status)
	}
	if res := h.do(http.MethodPost, paths.Build(paths.UserAgreementConsent, defaultEnv, bobID, agID), "idAdmin", "{}", paths.ActionConsentRevoke); res.status != http.StatusOK {
		t.Errorf("admin revoke: %d %s", res.status, res.body)
	}
	if n := len(h.user(defaultEnv, bobID).AgreementConsents); n != 0 {
		t.Errorf("admin revoke left %d", n)
	}
}
