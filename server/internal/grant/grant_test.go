package grant

import (
	"slices"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/scope"
)

func TestScopes(t *testing.T) {
	// A synthetic feature with a write scope, so the reduced-scopes rule is
	// exercised before the real write features exist.
	feats := []Feature{
		{Name: "profile", Enabled: func(s store.SelfService) bool { return s.ManageProfile },
			Scopes: []string{scope.ReadUser, scope.UpdateUser}},
		{Name: "auth", Enabled: func(s store.SelfService) bool { return s.ManageAuthentication },
			Scopes: []string{scope.ReadDevice, scope.CreateDevice}},
	}
	all := scope.Parse("openid email p1:read:user p1:update:user p1:read:device p1:create:device p1:delete:sessions")
	on := store.SelfService{ManageProfile: true, ManageAuthentication: true}
	pw := scope.Parse("openid p1:read:userPassword p1:validate:userPassword p1:reset:userPassword")
	ss := scope.Parse("openid p1:read:sessions p1:delete:sessions")
	oc := scope.Parse("openid p1:read:oauthConsent p1:update:oauthConsent")
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"full_after_mfa", Input{Requested: all, SelfService: on, Features: feats, ReducedScopes: true, MFADone: true},
			"openid email p1:read:user p1:update:user p1:read:device p1:create:device"},
		{"reduced_before_mfa", Input{Requested: all, SelfService: on, Features: feats, ReducedScopes: true},
			"openid email p1:read:user p1:read:device"},
		{"reduced_first_device_keeps_create", Input{Requested: all, SelfService: on, Features: feats, ReducedScopes: true, NoActiveDevice: true},
			"openid email p1:read:user p1:read:device p1:create:device"},
		{"reduction_off", Input{Requested: all, SelfService: on, Features: feats},
			"openid email p1:read:user p1:update:user p1:read:device p1:create:device"},
		{"feature_off", Input{Requested: all, SelfService: store.SelfService{ManageProfile: true}, Features: feats, MFADone: true},
			"openid email p1:read:user p1:update:user"},
		{"only_requested", Input{Requested: scope.Parse("openid p1:read:device"), SelfService: on, Features: feats},
			"openid p1:read:device"},
		{"unknown_dropped", Input{Requested: scope.Parse("openid admin:everything"), SelfService: on, Features: feats},
			"openid"},
		{"default_table", Input{Requested: all, SelfService: on, ReducedScopes: true},
			"openid email p1:read:user p1:read:device"},
		{"password_reduced_keeps_read_and_validate", Input{Requested: pw, SelfService: store.SelfService{ChangePassword: true}, ReducedScopes: true},
			"openid p1:read:userPassword p1:validate:userPassword"},
		{"password_after_mfa", Input{Requested: pw, SelfService: store.SelfService{ChangePassword: true}, ReducedScopes: true, MFADone: true},
			"openid p1:read:userPassword p1:validate:userPassword p1:reset:userPassword"},
		{"password_switched_off", Input{Requested: pw, SelfService: on, MFADone: true}, "openid"},
		{"sessions_reduced_reads_only", Input{Requested: ss, SelfService: store.SelfService{ManageSessions: true}, ReducedScopes: true},
			"openid p1:read:sessions"},
		{"sessions_after_mfa", Input{Requested: ss, SelfService: store.SelfService{ManageSessions: true}, ReducedScopes: true, MFADone: true},
			"openid p1:read:sessions p1:delete:sessions"},
		{"sessions_switched_off", Input{Requested: ss, SelfService: on, MFADone: true}, "openid"},
		{"oauth_consents_on", Input{Requested: oc, SelfService: store.SelfService{ManageOAuthConsents: true}, ReducedScopes: true, MFADone: true},
			"openid p1:read:oauthConsent p1:update:oauthConsent"},
		{"oauth_consents_reduced_reads_only", Input{Requested: oc, SelfService: store.SelfService{ManageOAuthConsents: true}, ReducedScopes: true},
			"openid p1:read:oauthConsent"},
		{"oauth_consents_switched_off", Input{Requested: oc, SelfService: on, MFADone: true}, "openid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scopes(tt.in)
			if !slices.Equal(got, scope.Parse(tt.want)) {
				t.Fatalf("got %q, want %q", got.String(), tt.want)
			}
		})
	}
}

// TestOff: every scope of a switched-off feature maps to its switch, and
// nothing of a feature that is on.
func TestOff(t *testing.T) {
	off := Off(store.SelfService{ManageProfile: true, ManageAuthentication: true})
	for _, sc := range []string{scope.ReadUserPassword, scope.ResetUserPassword, scope.DeleteSessions, scope.ReadUserConsent, scope.UpdateOAuthConsent} {
		if _, ok := off[sc]; !ok {
			t.Errorf("%s not off", sc)
		}
	}
	for _, sc := range []string{scope.ReadUser, scope.UpdateUser, scope.CreateDevice, scope.OpenID} {
		if f, ok := off[sc]; ok {
			t.Errorf("%s off (%s)", sc, f.Setting)
		}
	}
	if off[scope.ReadUserPassword].Setting != "changePassword" || off[scope.ReadLinkedAccounts].Setting != "manageLinkedAccounts" {
		t.Fatalf("settings %q %q", off[scope.ReadUserPassword].Setting, off[scope.ReadLinkedAccounts].Setting)
	}
}
