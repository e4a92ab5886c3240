package manage

import (
	"net/http"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	linkGoogle = "00000000-0000-7000-8000-0000000001a1"
	linkOther  = "00000000-0000-7000-8000-0000000001a2"
	linkCarol  = "00000000-0000-7000-8000-0000000001a3"
)

// withLinks gives Alice two linked accounts (the first through a
// configured provider), and Carol of the other environment one; password
// says whether Alice keeps a password.
func (h *harness) withLinks(password bool) string {
	h.t.Helper()
	idp := h.createIdP(defaultEnv, upstreamIdP)
	ctx := h.t.Context()
	for _, x := range []struct {
		env, user string
		links     []store.LinkedAccount
	}{
		{defaultEnv, aliceID, []store.LinkedAccount{
			{ID: linkGoogle, IdentityProviderID: idp.ID, Issuer: idp.Issuer, Subject: "alice-sub", CreatedAt: t0},
			{ID: linkOther, IdentityProviderID: missingID, Issuer: "https://gone.example.test", Subject: "alice-2", CreatedAt: t0},
		}},
		{otherEnv, carolID, []store.LinkedAccount{{ID: linkCarol, IdentityProviderID: missingID, Issuer: "https://x.example.test", Subject: "carol", CreatedAt: t0}}},
	} {
		u, err := h.store.GetUser(ctx, x.env, x.user)
		if err != nil {
			h.t.Fatalf("get user: %v", err)
		}
		u.LinkedAccounts = x.links
		if password {
			u.PasswordHash = "$argon2id$stored"
		}
		if err := h.store.UpdateUser(ctx, u); err != nil {
			h.t.Fatalf("update user: %v", err)
		}
	}
	return idp.ID
}

func linkURL(env, user, id string) string { return paths.Build(paths.LinkedAccount, env, user, id) }

// TestLinkedAccountsRead: the user reads their own (with the provider's
// name while it exists), readers of the environment any; another user's,
// another environment's or a missing scope is refused.
func TestLinkedAccountsRead(t *testing.T) {
	h := newHarness(t)
	idpID := h.withLinks(true)
	var list struct {
		Embedded struct {
			LinkedAccounts []resource.LinkedAccount `json:"linkedAccounts"`
		} `json:"_embedded"`
	}
	res := h.do(http.MethodGet, paths.Build(paths.LinkedAccounts, defaultEnv, aliceID), "aliceLinkedRead", "")
	if res.status != http.StatusOK {
		t.Fatalf("list: %d %s", res.status, res.body)
	}
	res.decode(t, &list)
	got := list.Embedded.LinkedAccounts
	if len(got) != 2 || got[0].ID != linkGoogle || got[0].Name != "Upstream" || got[0].IdentityProvider.ID != idpID ||
		got[0].ExternalID != "alice-sub" || got[1].Name != "" || got[0].User.ID != aliceID {
		t.Fatalf("list: %s", res.body)
	}
	tests := []struct {
		name, principal, path string
		want                  int
	}{
		{"no_token", "", paths.Build(paths.LinkedAccounts, defaultEnv, aliceID), http.StatusUnauthorized},
		{"own_one", "aliceLinkedRead", linkURL(defaultEnv, aliceID, linkGoogle), http.StatusOK},
		{"missing_scope", "alice", paths.Build(paths.LinkedAccounts, defaultEnv, aliceID), http.StatusForbidden},
		{"other_user", "aliceLinkedRead", paths.Build(paths.LinkedAccounts, defaultEnv, bobID), http.StatusNotFound},
		{"other_env", "aliceLinkedRead", paths.Build(paths.LinkedAccounts, otherEnv, carolID), http.StatusNotFound},
		{"other_env_account_id", "aliceLinkedRead", linkURL(defaultEnv, aliceID, linkCarol), http.StatusNotFound},
		{"unknown_id", "aliceLinkedRead", linkURL(defaultEnv, aliceID, missingID), http.StatusNotFound},
		{"malformed_id", "aliceLinkedRead", linkURL(defaultEnv, aliceID, "x"), http.StatusNotFound},
		{"read_only_admin", "readOnly", paths.Build(paths.LinkedAccounts, defaultEnv, aliceID), http.StatusOK},
		{"admin_of_default_other_env", "envAdmin", paths.Build(paths.LinkedAccounts, otherEnv, carolID), http.StatusNotFound},
		{"missing_user", "star", paths.Build(paths.LinkedAccounts, defaultEnv, missingID), http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := h.do(http.MethodGet, tt.path, tt.principal, ""); res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
		})
	}
}

// TestLinkedAccountsDelete: refusals change nothing; the user unlinks
// after a fresh MFA, an Identity Data Admin any time; the last way to sign
// on stays.
func TestLinkedAccountsDelete(t *testing.T) {
	h := newHarness(t)
	h.withLinks(false) // Alice has no password: her linked accounts are her way in
	tests := []struct {
		name, principal, path string
		want                  int
		code                  string
	}{
		{"no_token", "", linkURL(defaultEnv, aliceID, linkOther), http.StatusUnauthorized, ""},
		{"read_scope_only", "aliceLinkedRead", linkURL(defaultEnv, aliceID, linkOther), http.StatusForbidden, ""},
		{"password_only_session", "aliceLinkedNoMFA", linkURL(defaultEnv, aliceID, linkOther), http.StatusForbidden, "session:MFA_REQUIRED"},
		{"other_user", "aliceLinked", linkURL(defaultEnv, bobID, linkOther), http.StatusNotFound, ""},
		{"other_env", "aliceLinked", linkURL(otherEnv, carolID, linkCarol), http.StatusNotFound, ""},
		{"other_users_account_id", "aliceLinked", linkURL(defaultEnv, aliceID, linkCarol), http.StatusNotFound, ""},
		{"read_only_admin", "readOnly", linkURL(defaultEnv, aliceID, linkOther), http.StatusForbidden, ""},
		{"admin_of_default_other_env", "envAdmin", linkURL(otherEnv, carolID, linkCarol), http.StatusNotFound, ""},
		{"own_with_mfa", "aliceLinked", linkURL(defaultEnv, aliceID, linkOther), http.StatusNoContent, ""},
		{"again_is_gone", "aliceLinked", linkURL(defaultEnv, aliceID, linkOther), http.StatusNotFound, ""},
		{"last_way_to_sign_on", "aliceLinked", linkURL(defaultEnv, aliceID, linkGoogle), http.StatusBadRequest, "linkedAccountId:INVALID_ACTION"},
		{"last_way_admin_too", "idAdmin", linkURL(defaultEnv, aliceID, linkGoogle), http.StatusBadRequest, "linkedAccountId:INVALID_ACTION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, []any{h.user(defaultEnv, aliceID).LinkedAccounts, h.user(otherEnv, carolID).LinkedAccounts})
			res := h.do(http.MethodDelete, tt.path, tt.principal, "")
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if tt.code != "" {
				mustContain(t, res.targets(t), tt.code)
			}
			if tt.want >= 400 {
				if after := snapshot(t, []any{h.user(defaultEnv, aliceID).LinkedAccounts, h.user(otherEnv, carolID).LinkedAccounts}); after != before {
					t.Error("linked accounts changed by a refused request")
				}
			}
		})
	}
	if n := len(h.user(defaultEnv, aliceID).LinkedAccounts); n != 1 {
		t.Fatalf("alice has %d linked accounts, want 1", n)
	}
	events := 0
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionLinkedAccountDeleted {
			events++
		}
	}
	if events != 1 {
		t.Errorf("%d unlink events, want 1", events)
	}

	// With a password the last linked account may go (by an administrator).
	u := h.user(defaultEnv, aliceID)
	u.PasswordHash = "$argon2id$stored"
	if err := h.store.UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if res := h.do(http.MethodDelete, linkURL(defaultEnv, aliceID, linkGoogle), "idAdmin", ""); res.status != http.StatusNoContent {
		t.Fatalf("admin unlinks with a password kept: %d %s", res.status, res.body)
	}
	if n := len(h.user(defaultEnv, aliceID).LinkedAccounts); n != 0 {
		t.Errorf("alice has %d linked accounts, want 0", n)
	}
}
