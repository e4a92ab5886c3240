package authn

import (
	"errors"
	"slices"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/scope"
)

// TestFeaturesOff: a user token's scopes of switched-off features are
// dropped per request, and Self answers them with FEATURE_DISABLED naming
// the switch, while other missing scopes stay a plain 403 and
// administrators by role pass.
func TestFeaturesOff(t *testing.T) {
	const env, user = "00000000-0000-4000-8000-00000000000d", "00000000-0000-7000-8000-0000000000b1"
	all := scope.Parse("openid p1:read:user p1:update:user p1:read:device p1:read:userPassword p1:read:oauthConsent")
	tests := []struct {
		name      string
		ss        store.SelfService
		need      string
		wantScope string // the scopes left
		wantOff   string // the switch named in the 403, "" for none
		wantErr   bool
	}{
		{"all_on", store.SelfService{ManageProfile: true, ManageAuthentication: true, ChangePassword: true, ManageOAuthConsents: true},
			scope.UpdateUser, all.String(), "", false},
		{"profile_off", store.SelfService{ManageAuthentication: true, ChangePassword: true, ManageOAuthConsents: true},
			scope.UpdateUser, "openid p1:read:device p1:read:userPassword p1:read:oauthConsent", "manageProfile", true},
		{"password_off", store.SelfService{ManageProfile: true, ManageAuthentication: true, ManageOAuthConsents: true},
			scope.ReadUserPassword, "openid p1:read:user p1:update:user p1:read:device p1:read:oauthConsent", "changePassword", true},
		{"oauth_consents_off", store.SelfService{ManageProfile: true, ManageAuthentication: true, ChangePassword: true},
			scope.ReadOAuthConsent, "openid p1:read:user p1:update:user p1:read:device p1:read:userPassword", "manageOAuthConsents", true},
		{"never_granted_is_plain_403", store.SelfService{ManageProfile: true, ManageAuthentication: true, ChangePassword: true, ManageOAuthConsents: true},
			scope.DeleteSessions, all.String(), "", true},
	}
	app := fiber.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Principal{EnvID: env, Subject: user, SessionID: "s", Scopes: slices.Clone(all)}
			dropFeaturesOff(p, tt.ss)
			if p.Scopes.String() != tt.wantScope {
				t.Fatalf("scopes %q, want %q", p.Scopes.String(), tt.wantScope)
			}
			c := app.AcquireCtx(&fasthttp.RequestCtx{})
			defer app.ReleaseCtx(c)
			Set(c, p)
			err := Self(c, env, user, tt.need, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Self: %v", err)
			}
			var ae *apierr.Error
			if err != nil && (!errors.As(err, &ae) || ae.Status != 403 || ae.Code != apierr.InsufficientPermission) {
				t.Fatalf("Self: %v", err)
			}
			gotOff := ""
			if ae != nil && len(ae.Details) == 1 && ae.Details[0].Code == apierr.DetailFeatureDisabled {
				gotOff = ae.Details[0].Target
			}
			if gotOff != tt.wantOff {
				t.Fatalf("switch named %q, want %q (%v)", gotOff, tt.wantOff, err)
			}
			// An administrator by role is not affected.
			admin := &Principal{EnvID: "00000000-0000-4000-8000-00000000000a", Subject: "a", SessionID: "x", Admin: true,
				Roles: []store.RoleAssignment{{Role: "Environment Admin", EnvironmentID: env}}}
			Set(c, admin)
			if err := Self(c, env, user, tt.need, []string{"Environment Admin"}); err != nil {
				t.Fatalf("administrator refused: %v", err)
			}
		})
	}
}
