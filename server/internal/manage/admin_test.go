package manage

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestAdminAccess: who may call the administration endpoints. End-user
// tokens, Identity Data Admins on environment settings, administrators of
// another environment and read-only administrators writing are refused
// before anything is read or written.
func TestAdminAccess(t *testing.T) {
	h := newHarness(t)
	d := defaultEnv
	env := paths.Build(paths.Environment, d)
	newEnv := `{"name":"Staging","type":"SANDBOX"}`
	app := paths.Build(paths.Application, d, myAppID)
	secret := paths.Build(paths.ApplicationSecret, d, myAppID)
	enabled := paths.Build(paths.UserEnabled, d, bobID)
	bob := paths.Build(paths.User, d, bobID)
	tests := []struct {
		name, principal, method, path, body string
		want                                int
	}{
		{"no_token_creates_environment", "", http.MethodPost, paths.Environments, newEnv, http.StatusUnauthorized},

		// End users, even with roles claimed in their token.
		{"user_creates_environment", "alice", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},
		{"user_with_roles_creates_environment", "aliceWithRoles", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},
		{"user_renames_environment", "alice", http.MethodPatch, env, `{"name":"x"}`, http.StatusForbidden},
		{"user_puts_environment", "alice", http.MethodPut, env, `{"name":"x","type":"SANDBOX"}`, http.StatusForbidden},
		{"user_deletes_environment", "alice", http.MethodDelete, env, "", http.StatusForbidden},
		{"user_deletes_user", "alice", http.MethodDelete, bob, "", http.StatusForbidden},
		{"user_deletes_self", "alice", http.MethodDelete, paths.Build(paths.User, d, aliceID), "", http.StatusForbidden},
		{"user_reads_enabled", "alice", http.MethodGet, paths.Build(paths.UserEnabled, d, aliceID), "", http.StatusForbidden},
		{"user_enables_self", "alice", http.MethodPut, paths.Build(paths.UserEnabled, d, aliceID), `{"enabled":true}`, http.StatusForbidden},
		{"user_deletes_application", "alice", http.MethodDelete, app, "", http.StatusForbidden},
		{"user_rotates_secret", "alice", http.MethodPost, secret, "", http.StatusForbidden},
		{"user_puts_self_service", "alice", http.MethodPut, paths.Build(paths.SelfService, d), `{}`, http.StatusForbidden},
		{"self_worker_creates_environment", "defaultAdminWorker", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},

		// Identity Data Admin: users yes, environment settings no.
		{"identity_admin_creates_environment", "idAdmin", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},
		{"identity_admin_renames_environment", "idAdmin", http.MethodPatch, env, `{"name":"x"}`, http.StatusForbidden},
		{"identity_admin_deletes_environment", "idAdmin", http.MethodDelete, env, "", http.StatusForbidden},
		{"identity_admin_deletes_application", "idAdmin", http.MethodDelete, app, "", http.StatusForbidden},
		{"identity_admin_rotates_secret", "idAdmin", http.MethodPost, secret, "", http.StatusForbidden},
		{"identity_admin_reads_enabled", "idAdmin", http.MethodGet, enabled, "", http.StatusOK},

		// Environment Admin of Default only: not over "*", not elsewhere.
		{"env_admin_creates_environment", "envAdmin", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},
		{"env_admin_deletes_own_environment", "envAdmin", http.MethodDelete, env, "", http.StatusForbidden},
		{"env_admin_renames_other_environment", "envAdmin", http.MethodPatch, paths.Build(paths.Environment, otherEnv), `{"name":"x"}`, http.StatusForbidden},
		{"env_admin_deletes_user_of_other_environment", "envAdmin", http.MethodDelete, paths.Build(paths.User, otherEnv, carolID), "", http.StatusForbidden},
		{"env_admin_disables_user_of_other_environment", "envAdmin", http.MethodPut, paths.Build(paths.UserEnabled, otherEnv, carolID), `{"enabled":false}`, http.StatusForbidden},
		{"env_admin_rotates_secret_of_other_environment", "envAdmin", http.MethodPost, paths.Build(paths.ApplicationSecret, otherEnv, myAppID), "", http.StatusForbidden},
		{"env_admin_deletes_application_of_other_environment", "envAdmin", http.MethodDelete, paths.Build(paths.Application, otherEnv, myAppID), "", http.StatusForbidden},
		{"worker_creates_environment", "worker", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},
		{"star_deletes_user_under_wrong_environment", "star", http.MethodDelete, paths.Build(paths.User, d, carolID), "", http.StatusNotFound},
		{"star_rotates_missing_application", "star", http.MethodPost, paths.Build(paths.ApplicationSecret, d, missingID), "", http.StatusNotFound},

		// Read Only writing.
		{"read_only_reads_enabled", "readOnly", http.MethodGet, enabled, "", http.StatusOK},
		{"read_only_disables_user", "readOnly", http.MethodPut, enabled, `{"enabled":false}`, http.StatusForbidden},
		{"read_only_deletes_user", "readOnly", http.MethodDelete, bob, "", http.StatusForbidden},
		{"read_only_renames_environment", "readOnly", http.MethodPatch, env, `{"name":"x"}`, http.StatusForbidden},
		{"read_only_deletes_application", "readOnly", http.MethodDelete, app, "", http.StatusForbidden},
		{"read_only_rotates_secret", "readOnly", http.MethodPost, secret, "", http.StatusForbidden},
		{"read_only_creates_environment", "readOnly", http.MethodPost, paths.Environments, newEnv, http.StatusForbidden},
	}
	before := snapshot(t, h.env(d))
	bobBefore := snapshot(t, h.user(d, bobID))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(tt.method, tt.path, tt.principal, tt.body)
			wantStatus(t, res, tt.want)
		})
	}
	if snapshot(t, h.env(d)) != before || snapshot(t, h.user(d, bobID)) != bobBefore {
		t.Fatal("a refused request changed the environment or bob")
	}
	if len(h.provisioned) != 0 {
		t.Fatalf("refused requests provisioned %v", h.provisioned)
	}
}

// TestEnvironmentLifecycle: create with the bootstrap defaults, rename,
// soft delete; the Administrators environment cannot be deleted.
func TestEnvironmentLifecycle(t *testing.T) {
	h := newHarness(t)
	res := h.do(http.MethodPost, paths.Environments, "star", `{"name":"Staging","type":"PRODUCTION","description":"Pre-release"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var created resource.Environment
	res.decode(t, &created)
	if created.Name != "Staging" || created.Type != resource.EnvProduction || created.Description != "Pre-release" || created.Administrators {
		t.Fatalf("created %+v", created)
	}
	if res.header.Get("Location") != publicURL+paths.Build(paths.Environment, created.ID) {
		t.Fatalf("Location %q", res.header.Get("Location"))
	}
	if !slices.Equal(h.provisioned, []string{created.ID}) {
		t.Fatalf("provisioned %v", h.provisioned)
	}
	stored := h.env(created.ID)
	if !stored.SignOnPolicy.MFA || stored.SignOnPolicy.ID == "" || len(stored.DeviceAuthPolicies) != 1 ||
		!stored.SelfService.ManageProfile || !stored.SelfService.ChangePassword || len(stored.MFASettings.Methods) == 0 ||
		stored.MyAccountClientID == "" {
		t.Fatalf("new environment lacks the bootstrap defaults: %+v", stored)
	}
	envURL := paths.Build(paths.Environment, created.ID)
	for _, path := range []string{envURL, paths.Build(paths.SelfService, created.ID), paths.Build(paths.MFASettings, created.ID)} {
		if res := h.do(http.MethodGet, path, "star", ""); res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
	}

	// Bad input: refused whole, nothing created.
	refused := []struct {
		name, body string
		want       []string
	}{
		{"no_name", `{"type":"SANDBOX"}`, []string{"name:REQUIRED_VALUE"}},
		{"bad_type", `{"name":"X","type":"TEST"}`, []string{"type:INVALID_VALUE"}},
		{"empty_name", `{"name":" ","type":"SANDBOX"}`, []string{"name:INVALID_VALUE"}},
		{"unknown", `{"name":"X","type":"SANDBOX","region":"EU"}`, []string{"region:UNKNOWN_ATTRIBUTE"}},
		{"read_only", `{"name":"X","type":"SANDBOX","administrators":true}`, []string{"administrators:READ_ONLY"}},
	}
	for _, tt := range refused {
		t.Run("create_"+tt.name, func(t *testing.T) {
			h.use(t)
			n := len(h.provisioned)
			res := h.do(http.MethodPost, paths.Environments, "star", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			mustContain(t, res.targets(t), tt.want...)
			if len(h.provisioned) != n {
				t.Fatal("a refused create provisioned an environment")
			}
		})
	}

	// Rename: PATCH one attribute, PUT the whole.
	res = h.do(http.MethodPatch, envURL, "star", `{"name":"Staging EU"}`)
	if res.status != http.StatusOK || h.env(created.ID).Name != "Staging EU" || h.env(created.ID).Type != resource.EnvProduction {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	res = h.do(http.MethodPut, envURL, "star", `{"name":"Sandbox EU","type":"SANDBOX"}`)
	if res.status != http.StatusOK || h.env(created.ID).Name != "Sandbox EU" || h.env(created.ID).Type != resource.EnvSandbox {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	before := snapshot(t, h.env(created.ID))
	for _, body := range []string{`{"name":"Only a name"}`, `{"type":"TEST","name":"x"}`} {
		if res := h.do(http.MethodPut, envURL, "star", body); res.status != http.StatusBadRequest {
			t.Fatalf("PUT %s: %d %s", body, res.status, res.body)
		}
	}
	if snapshot(t, h.env(created.ID)) != before {
		t.Fatal("a refused PUT changed the environment")
	}
	// An Environment Admin of Default renames Default.
	if res := h.do(http.MethodPatch, paths.Build(paths.Environment, defaultEnv), "envAdmin", `{"name":"Customers"}`); res.status != http.StatusOK {
		t.Fatalf("env admin rename: %d %s", res.status, res.body)
	}

	// The Administrators environment stays.
	adminBefore := snapshot(t, h.env(adminEnv))
	res = h.do(http.MethodDelete, paths.Build(paths.Environment, adminEnv), "star", "")
	if res.status != http.StatusBadRequest || !slices.Equal(res.targets(t), []string{"id:" + apierr.DetailProtectedResource}) {
		t.Fatalf("delete Administrators: %d %s", res.status, res.body)
	}
	if snapshot(t, h.env(adminEnv)) != adminBefore {
		t.Fatal("refused delete changed the Administrators environment")
	}

	// Soft delete: the record stays, marked; the environment is gone
	// from the API.
	if res := h.do(http.MethodDelete, envURL, "star", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if !h.env(created.ID).Deleted {
		t.Fatal("not marked deleted")
	}
	var list resource.List[resource.Environment]
	h.do(http.MethodGet, paths.Environments, "star", "").decode(t, &list)
	for _, e := range list.Embedded["environments"] {
		if e.ID == created.ID {
			t.Fatal("deleted environment still listed")
		}
	}
	for _, r := range []struct{ method, path, body string }{
		{http.MethodGet, envURL, ""},
		{http.MethodDelete, envURL, ""},
		{http.MethodPatch, envURL, `{"name":"back"}`},
		{http.MethodGet, paths.Build(paths.Users, created.ID), ""},
		{http.MethodPost, paths.Build(paths.Users, created.ID), `{"username":"x","email":"x@example.com"}`},
		{http.MethodGet, paths.Build(paths.Applications, created.ID), ""},
		{http.MethodGet, paths.Build(paths.SelfService, created.ID), ""},
		{http.MethodPut, paths.Build(paths.MFASettings, created.ID), `{}`},
		{http.MethodGet, paths.Build(paths.SignOnPolicies, created.ID), ""},
	} {
		if res := h.do(r.method, r.path, "star", r.body); res.status != http.StatusNotFound {
			t.Errorf("%s %s after delete: %d %s", r.method, r.path, res.status, res.body)
		}
	}
	var deletes int
	for _, e := range h.events(created.ID) {
		if e.Action == audit.ActionEnvironmentDeleted {
			deletes++
		}
	}
	if deletes != 1 {
		t.Fatalf("%d ENVIRONMENT_DELETED events", deletes)
	}
}

// TestManagePingIDDevices: the switch needs an MFA policy on the MyAccount
// application; on, it adds MyAccount to the device policies and turns on
// reduced scopes once, which then stay separately switchable.
func TestManagePingIDDevices(t *testing.T) {
	h := newHarness(t)
	ss := paths.Build(paths.SelfService, defaultEnv)
	body := func(on bool) string {
		v := "false"
		if on {
			v = "true"
		}
		return `{"manageProfile":true,"manageAuthentication":true,"managePingIdDevices":` + v + `,"changePassword":true,` +
			`"manageLinkedAccounts":false,"manageSessions":false,"viewAgreements":false,"manageOAuthConsents":false}`
	}
	policy := paths.Build(paths.SignOnPolicy, defaultEnv, policyID)

	// Without an MFA step: refused, nothing changes.
	if res := h.do(http.MethodPut, policy, "envAdmin", `{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST"}`); res.status != http.StatusOK {
		t.Fatalf("policy: %d %s", res.status, res.body)
	}
	envBefore := snapshot(t, h.env(defaultEnv))
	appBefore, _ := h.store.GetApplication(t.Context(), defaultEnv, myAppID)
	res := h.do(http.MethodPut, ss, "envAdmin", body(true))
	if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData ||
		!slices.Equal(res.targets(t), []string{"managePingIdDevices:" + apierr.DetailMFAPolicyRequired}) {
		t.Fatalf("without MFA policy: %d %s", res.status, res.body)
	}
	if !strings.Contains(string(res.body), "PASSWORD_MFA") {
		t.Fatalf("the message does not say what to do: %s", res.body)
	}
	appAfter, _ := h.store.GetApplication(t.Context(), defaultEnv, myAppID)
	if snapshot(t, h.env(defaultEnv)) != envBefore || snapshot(t, appAfter) != snapshot(t, appBefore) {
		t.Fatal("a refused switch changed the environment or the MyAccount application")
	}

	// With one: MyAccount joins every device policy, reduced scopes on.
	if res := h.do(http.MethodPut, policy, "envAdmin", `{"kind":"PASSWORD_MFA","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST"}`); res.status != http.StatusOK {
		t.Fatalf("policy: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodPost, paths.Build(paths.DeviceAuthPolicies, defaultEnv), "envAdmin",
		`{"name":"Second","sms":{"enabled":false},"voice":{"enabled":false},"email":{"enabled":true},"totp":{"enabled":true},"fido2":{"enabled":false}}`); res.status != http.StatusCreated {
		t.Fatalf("second device policy: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodPut, ss, "envAdmin", body(true)); res.status != http.StatusOK {
		t.Fatalf("switch on: %d %s", res.status, res.body)
	}
	e := h.env(defaultEnv)
	if !e.SelfService.ManagePingIDDevices || len(e.DeviceAuthPolicies) != 2 {
		t.Fatalf("stored %+v", e.SelfService)
	}
	for _, p := range e.DeviceAuthPolicies {
		if !slices.Equal(p.Applications, []string{myAppID}) {
			t.Fatalf("policy %s applications %v", p.Name, p.Applications)
		}
	}
	var listed resource.List[resource.DeviceAuthPolicy]
	h.do(http.MethodGet, paths.Build(paths.DeviceAuthPolicies, defaultEnv), "readOnly", "").decode(t, &listed)
	for _, p := range listed.Embedded["deviceAuthenticationPolicies"] {
		if len(p.Applications) != 1 || p.Applications[0].ID != myAppID {
			t.Fatalf("API shows policy %s applications %v", p.Name, p.Applications)
		}
	}
	app, _ := h.store.GetApplication(t.Context(), defaultEnv, myAppID)
	if !app.ReducedScopes {
		t.Fatal("reduced scopes not turned on")
	}

	// Reduced scopes can be turned off on the application alone, and a
	// later PUT of the switches (still on) leaves that choice alone.
	if res := h.do(http.MethodPatch, paths.Build(paths.Application, defaultEnv, myAppID), "envAdmin",
		`{"allowUserActionsByAuthenticationScopes":false}`); res.status != http.StatusOK {
		t.Fatalf("patch app: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodPut, ss, "envAdmin", strings.Replace(body(true), `"manageSessions":false`, `"manageSessions":true`, 1)); res.status != http.StatusOK {
		t.Fatalf("second PUT: %d %s", res.status, res.body)
	}
	app, _ = h.store.GetApplication(t.Context(), defaultEnv, myAppID)
	if app.ReducedScopes {
		t.Fatal("a PUT with the switch already on turned reduced scopes back on")
	}
	for _, p := range h.env(defaultEnv).DeviceAuthPolicies {
		if len(p.Applications) != 1 {
			t.Fatalf("applications repeated: %v", p.Applications)
		}
	}
}

// TestUserEnabledAndDelete: disabling and deleting a user end their
// sessions; refused writes change nothing.
func TestUserEnabledAndDelete(t *testing.T) {
	h := newHarness(t)
	h.withSessions()
	enabled := paths.Build(paths.UserEnabled, defaultEnv, aliceID)
	var got resource.UserEnabled
	h.do(http.MethodGet, enabled, "readOnly", "").decode(t, &got)
	if !got.Enabled {
		t.Fatal("alice reads as disabled")
	}
	for _, body := range []string{`{}`, `{"enabled":"no"}`, `{"enabled":false,"locked":true}`, `[]`} {
		before := snapshot(t, h.user(defaultEnv, aliceID))
		if res := h.do(http.MethodPut, enabled, "idAdmin", body); res.status != http.StatusBadRequest {
			t.Fatalf("PUT %s: %d %s", body, res.status, res.body)
		}
		if snapshot(t, h.user(defaultEnv, aliceID)) != before || !h.session(aliceSID).RevokedAt.IsZero() {
			t.Fatalf("refused PUT %s changed alice or her sessions", body)
		}
	}
	res := h.do(http.MethodPut, enabled, "idAdmin", `{"enabled":false}`)
	if res.status != http.StatusOK {
		t.Fatalf("disable: %d %s", res.status, res.body)
	}
	res.decode(t, &got)
	if got.Enabled || h.user(defaultEnv, aliceID).Enabled {
		t.Fatal("still enabled")
	}
	for _, sid := range []string{aliceSID, aliceOtherSID, aliceThirdSID} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Fatalf("session %s survived disabling", sid)
		}
	}
	if !h.session(bobSID).RevokedAt.IsZero() {
		t.Fatal("bob's session ended")
	}
	if res := h.do(http.MethodPut, enabled, "idAdmin", `{"enabled":true}`); res.status != http.StatusOK || !h.user(defaultEnv, aliceID).Enabled {
		t.Fatalf("enable: %d %s", res.status, res.body)
	}

	// Delete: bob's sessions end, his record goes.
	bob := paths.Build(paths.User, defaultEnv, bobID)
	if res := h.do(http.MethodDelete, bob, "idAdmin", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if h.session(bobSID).RevokedAt.IsZero() {
		t.Fatal("bob's session survived his deletion")
	}
	if _, err := h.store.GetUser(t.Context(), defaultEnv, bobID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("bob still stored: %v", err)
	}
	for _, r := range []struct{ method, path string }{{http.MethodGet, bob}, {http.MethodDelete, bob},
		{http.MethodGet, paths.Build(paths.UserEnabled, defaultEnv, bobID)}} {
		if res := h.do(r.method, r.path, "star", ""); res.status != http.StatusNotFound {
			t.Fatalf("%s %s after delete: %d", r.method, r.path, res.status)
		}
	}
	// Administrators do not delete themselves.
	if res := h.do(http.MethodDelete, paths.Build(paths.User, adminEnv, adminID), "star", ""); res.status != http.StatusBadRequest {
		t.Fatalf("delete self: %d %s", res.status, res.body)
	}
	if _, err := h.store.GetUser(t.Context(), adminEnv, adminID); err != nil {
		t.Fatal("the administrator deleted themselves")
	}
}

// TestApplicationSecretAndDelete: rotation answers a new secret once and
// replaces the stored hash; public clients have none; MyAccount stays.
func TestApplicationSecretAndDelete(t *testing.T) {
	h := newHarness(t)
	res := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin",
		`{"name":"Payroll","type":"WEB_APP","redirectUris":["https://payroll.example.com/cb"]}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create web app: %d %s", res.status, res.body)
	}
	var web resource.Application
	res.decode(t, &web)
	if web.ClientSecret == "" || web.PKCEEnforcement != "S256_REQUIRED" || web.TokenEndpointAuthMethod != "CLIENT_SECRET_BASIC" {
		t.Fatalf("web app %+v", web)
	}
	res = h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin",
		`{"name":"Phone","type":"NATIVE_APP","redirectUris":["https://phone.example.com/cb"]}`)
	var native resource.Application
	res.decode(t, &native)
	if res.status != http.StatusCreated || native.ClientSecret != "" || native.TokenEndpointAuthMethod != "NONE" {
		t.Fatalf("native app: %d %s", res.status, res.body)
	}

	secretURL := paths.Build(paths.ApplicationSecret, defaultEnv, web.ID)
	h.now = t0.Add(time.Minute)
	res = h.do(http.MethodPost, secretURL, "envAdmin", "")
	if res.status != http.StatusOK {
		t.Fatalf("rotate: %d %s", res.status, res.body)
	}
	var sec resource.ApplicationSecret
	res.decode(t, &sec)
	stored, _ := h.store.GetApplication(t.Context(), defaultEnv, web.ID)
	if sec.Secret == "" || sec.Secret == web.ClientSecret || stored.SecretHash != opaque.Hash(sec.Secret) ||
		!stored.SecretChangedAt.Equal(h.now) || res.header.Get(headerCacheControl) != "no-store" {
		t.Fatalf("rotation: secret %q, stored %+v", sec.Secret, stored)
	}
	if got := h.do(http.MethodGet, paths.Build(paths.Application, defaultEnv, web.ID), "star", ""); strings.Contains(string(got.body), sec.Secret) {
		t.Fatal("GET shows the rotated secret")
	}
	for _, id := range []string{native.ID, myAppID} {
		before := snapshot(t, h.application(id))
		res := h.do(http.MethodPost, paths.Build(paths.ApplicationSecret, defaultEnv, id), "envAdmin", "")
		if res.status != http.StatusBadRequest || snapshot(t, h.application(id)) != before {
			t.Fatalf("rotate public client %s: %d %s", id, res.status, res.body)
		}
	}

	// Delete.
	before := snapshot(t, h.application(myAppID))
	res = h.do(http.MethodDelete, paths.Build(paths.Application, defaultEnv, myAppID), "envAdmin", "")
	if res.status != http.StatusBadRequest || !slices.Equal(res.targets(t), []string{"id:" + apierr.DetailProtectedResource}) ||
		snapshot(t, h.application(myAppID)) != before {
		t.Fatalf("delete MyAccount: %d %s", res.status, res.body)
	}
	appURL := paths.Build(paths.Application, defaultEnv, web.ID)
	if res := h.do(http.MethodDelete, appURL, "envAdmin", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	for _, r := range []struct{ method, path string }{{http.MethodGet, appURL}, {http.MethodDelete, appURL}, {http.MethodPost, secretURL}} {
		if res := h.do(r.method, r.path, "envAdmin", ""); res.status != http.StatusNotFound {
			t.Fatalf("%s %s after delete: %d", r.method, r.path, res.status)
		}
	}
}

const headerCacheControl = "Cache-Control"

// application reads an application of Default straight from the store.
func (h *harness) application(id string) *store.Application {
	h.t.Helper()
	a, err := h.store.GetApplication(h.t.Context(), defaultEnv, id)
	if err != nil {
		h.t.Fatalf("get application %s: %v", id, err)
	}
	return a
}

// TestDeletedEnvironmentUsers: endpoints that load a user without the
// environment (carol's, devices, sessions, enabled) answer 404 once her
// environment is deleted: the /v1 middleware checks it for every route.
func TestDeletedEnvironmentUsers(t *testing.T) {
	h := newHarness(t)
	carol := paths.Build(paths.User, otherEnv, carolID)
	if res := h.do(http.MethodGet, carol, "star", ""); res.status != http.StatusOK {
		t.Fatalf("before: %d", res.status)
	}
	if res := h.do(http.MethodDelete, paths.Build(paths.Environment, otherEnv), "star", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	for _, r := range []struct{ method, path, body string }{
		{http.MethodGet, carol, ""},
		{http.MethodPatch, carol, `{"nickname":"c"}`},
		{http.MethodDelete, carol, ""},
		{http.MethodGet, paths.Build(paths.Devices, otherEnv, carolID), ""},
		{http.MethodGet, paths.Build(paths.Sessions, otherEnv, carolID), ""},
		{http.MethodPut, paths.Build(paths.UserEnabled, otherEnv, carolID), `{"enabled":false}`},
		{http.MethodGet, paths.Build(paths.UserPassword, otherEnv, carolID), ""},
	} {
		if res := h.do(r.method, r.path, "star", r.body); res.status != http.StatusNotFound || res.code(t) != apierr.NotFound {
			t.Errorf("%s %s: %d %s", r.method, r.path, res.status, res.body)
		}
	}
	if _, err := h.store.GetUser(t.Context(), otherEnv, carolID); err != nil {
		t.Fatalf("soft delete removed carol: %v", err)
	}
}

// TestManagePingIDDevicesWithMFAPolicy: a password-only sign-on policy is
// enough once a device authentication (MFA) policy applies to the
// MyAccount application: users sign on with a password and lift their
// reduced scopes with that policy's step-up. The policy's applications
// are checked: only the environment's applications users sign on to.
func TestManagePingIDDevicesWithMFAPolicy(t *testing.T) {
	h := newHarness(t)
	if res := h.do(http.MethodPut, paths.Build(paths.SignOnPolicy, defaultEnv, policyID), "envAdmin",
		`{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST"}`); res.status != http.StatusOK {
		t.Fatalf("policy: %d %s", res.status, res.body)
	}
	pols := paths.Build(paths.DeviceAuthPolicies, defaultEnv)
	methods := `"sms":{"enabled":false},"voice":{"enabled":false},"email":{"enabled":true},"totp":{"enabled":false},"fido2":{"enabled":false}`
	tests := []struct {
		name   string
		apps   string
		status int
		target string
	}{
		{name: "unknown_application", apps: `[{"id":"0b6f3c1e-1111-4a2b-8c3d-4e5f60718293"}]`, status: http.StatusBadRequest, target: "applications[0].id"},
		{name: "not_an_object", apps: `["` + myAppID + `"]`, status: http.StatusBadRequest},
		{name: "myaccount", apps: `[{"id":"` + strings.ToUpper(myAppID) + `"}]`, status: http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, h.env(defaultEnv).DeviceAuthPolicies)
			res := h.do(http.MethodPost, pols, "envAdmin", `{"name":"MyAccount MFA `+tt.name+`",`+methods+`,"applications":`+tt.apps+`}`)
			if res.status != tt.status {
				t.Fatalf("create: %d %s", res.status, res.body)
			}
			if tt.status != http.StatusCreated {
				if snapshot(t, h.env(defaultEnv).DeviceAuthPolicies) != before {
					t.Fatal("a refused policy changed the stored ones")
				}
				if tt.target != "" && !slices.Contains(res.targets(t), tt.target+":"+apierr.DetailInvalidValue) && !strings.Contains(string(res.body), tt.target) {
					t.Fatalf("details %v", res.targets(t))
				}
			}
		})
	}
	// The MyAccount policy lets the switch on with a password-only sign-on.
	ss := paths.Build(paths.SelfService, defaultEnv)
	on := `{"manageProfile":true,"manageAuthentication":true,"managePingIdDevices":true,"changePassword":true,` +
		`"manageLinkedAccounts":false,"manageSessions":false,"viewAgreements":false,"manageOAuthConsents":false}`
	if res := h.do(http.MethodPut, ss, "envAdmin", on); res.status != http.StatusOK {
		t.Fatalf("switch with an MFA policy on MyAccount: %d %s", res.status, res.body)
	}
	if app, _ := h.store.GetApplication(t.Context(), defaultEnv, myAppID); !app.ReducedScopes {
		t.Fatal("reduced scopes not turned on")
	}
}
