package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// selfServiceWith answers the Default environment's self-service switches
// with one of them set to on.
func (e *env) selfServiceWith(t *testing.T, tok, setting string, on bool) {
	t.Helper()
	ss := paths.Build(paths.SelfService, e.srv.Bootstrap.DefaultEnvID)
	var cur map[string]any
	if err := json.Unmarshal(wantStatus(t, e.api("GET", ss, tok, ""), 200), &cur); err != nil {
		t.Fatal(err)
	}
	cur[setting] = on
	b, _ := json.Marshal(cur)
	wantStatus(t, e.api("PUT", ss, tok, string(b)), 200)
}

// TestFeatureOffAfterTokenIssued: a token issued while a self-service
// feature was on is refused 403 FEATURE_DISABLED on the very next request
// after an administrator turns the feature off, for every feature, while
// the other features and administrators keep working; turning it back on
// lets the same token through again.
func TestFeatureOffAfterTokenIssued(t *testing.T) {
	e := newSQLiteEnv(t)
	admin := e.adminToken()
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("fay", "fay@example.com", userPassword)
	scopes := "openid p1:read:user p1:read:device p1:read:userPassword p1:read:sessions p1:read:userLinkedAccounts p1:read:userConsent"
	tok := e.browser().signOnScoped(scopes, "fay", userPassword, "fay.mfa@example.com").AccessToken
	features := []struct {
		setting string
		path    string
	}{
		{"manageProfile", paths.Build(paths.User, envID, u.ID)},
		{"manageAuthentication", paths.Build(paths.Devices, envID, u.ID)},
		{"changePassword", paths.Build(paths.UserPassword, envID, u.ID)},
		{"manageSessions", paths.Build(paths.Sessions, envID, u.ID)},
		{"manageLinkedAccounts", paths.Build(paths.LinkedAccounts, envID, u.ID)},
		{"viewAgreements", paths.Build(paths.UserAgreementConsents, envID, u.ID)},
	}
	for _, f := range features {
		wantStatus(t, e.api("GET", f.path, tok, ""), 200)
	}
	for _, f := range features {
		t.Run(f.setting, func(t *testing.T) {
			e.selfServiceWith(t, admin, f.setting, false)
			body := wantStatus(t, e.api("GET", f.path, tok, ""), 403)
			var ae apierr.Error
			if err := json.Unmarshal(body, &ae); err != nil {
				t.Fatal(err)
			}
			if ae.Code != apierr.InsufficientPermission || len(ae.Details) != 1 ||
				ae.Details[0].Code != apierr.DetailFeatureDisabled || ae.Details[0].Target != f.setting {
				t.Fatalf("error %s", body)
			}
			for _, other := range features {
				if other.setting != f.setting {
					wantStatus(t, e.api("GET", other.path, tok, ""), 200)
				}
			}
			// Administrators are not affected.
			wantStatus(t, e.api("GET", f.path, admin, ""), 200)
			e.selfServiceWith(t, admin, f.setting, true)
			wantStatus(t, e.api("GET", f.path, tok, ""), 200)
		})
	}
}

// TestSecretRotation: after POST …/secret the old secret is refused at
// /as/token and tokens issued under it stop; the new one works.
func TestSecretRotation(t *testing.T) {
	e := newSQLiteEnv(t)
	admin := e.adminToken()
	envID := e.srv.Bootstrap.DefaultEnvID
	body := `{"name":"Sync","type":"WORKER","roles":[{"role":"Identity Data Admin","environmentId":"` + envID + `"}]}`
	app := decode[resource.Application](t, respWant(t, e.api("POST", paths.Build(paths.Applications, envID), admin, body), 201))
	tokenWith := func(secret string) *http.Response {
		return e.form(paths.Build(paths.Token, envID), url.Values{"grant_type": {"client_credentials"},
			"client_id": {app.ID}, "client_secret": {secret}})
	}
	old := decode[resource.TokenResponse](t, respWant(t, tokenWith(app.ClientSecret), 200)).AccessToken
	users := paths.Build(paths.Users, envID)
	wantStatus(t, e.api("GET", users, old, ""), 200)

	e.clock.Add(2 * time.Second) // token times are whole seconds
	sec := decode[resource.ApplicationSecret](t, respWant(t, e.api("POST", paths.Build(paths.ApplicationSecret, envID, app.ID), admin, ""), 200))
	if sec.Secret == "" || sec.Secret == app.ClientSecret {
		t.Fatalf("new secret %q", sec.Secret)
	}
	resp := tokenWith(app.ClientSecret)
	b := wantStatus(t, resp, http.StatusUnauthorized)
	var oe struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(b, &oe); oe.Error != "invalid_client" {
		t.Fatalf("old secret: %s", b)
	}
	wantStatus(t, e.api("GET", users, old, ""), 401)
	fresh := decode[resource.TokenResponse](t, respWant(t, tokenWith(sec.Secret), 200)).AccessToken
	wantStatus(t, e.api("GET", users, fresh, ""), 200)

	// Deleting the worker ends its tokens too.
	wantStatus(t, e.api("DELETE", paths.Build(paths.Application, envID, app.ID), admin, ""), 204)
	wantStatus(t, e.api("GET", users, fresh, ""), 401)
	wantStatus(t, tokenWith(sec.Secret), http.StatusUnauthorized)
}

// TestCreatedEnvironmentIsProvisioned: a new environment gets what
// bootstrap gives one: its MyAccount application and signing keys.
func TestCreatedEnvironmentIsProvisioned(t *testing.T) {
	e := newSQLiteEnv(t)
	admin := e.adminToken()
	env := decode[resource.Environment](t, respWant(t, e.api("POST", paths.Environments, admin, `{"name":"Partners","type":"SANDBOX"}`), 201))
	apps := decode[resource.List[resource.Application]](t, respWant(t, e.api("GET", paths.Build(paths.Applications, env.ID), admin, ""), 200))
	list := apps.Embedded["applications"]
	if len(list) != 1 || !list[0].MyAccount || list[0].ID != bootstrap.MyAccountClientID(env.ID) || len(list[0].RedirectURIs) != 2 {
		t.Fatalf("applications %+v", list)
	}
	b := wantStatus(t, e.api("GET", paths.Build(paths.JWKS, env.ID), "", ""), 200)
	var jwks struct {
		Keys []any `json:"keys"`
	}
	if json.Unmarshal(b, &jwks); len(jwks.Keys) == 0 {
		t.Fatalf("no signing keys: %s", b)
	}
	policies := decode[resource.List[resource.SignOnPolicy]](t, respWant(t, e.api("GET", paths.Build(paths.SignOnPolicies, env.ID), admin, ""), 200))
	if p := policies.Embedded["signOnPolicies"]; len(p) != 1 || p[0].Kind != resource.PolicyPasswordMFA {
		t.Fatalf("sign-on policies %+v", p)
	}
}

// TestDeletedEnvironmentGone: after DELETE, the environment's tokens,
// sign-on (a new authorization request and a flow already started) and
// every management endpoint answer as if it never existed.
func TestDeletedEnvironmentGone(t *testing.T) {
	e := newSQLiteEnv(t)
	admin := e.adminToken()
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("gus", "gus@example.com", userPassword)
	tr := e.browser().signOnScoped("openid p1:read:user", "gus", userPassword, "gus.mfa@example.com")
	userURL := paths.Build(paths.User, envID, u.ID)
	wantStatus(t, e.api("GET", userURL, tr.AccessToken, ""), 200)
	b := e.browser()
	p := newPKCE()
	flowID := b.startFlow(p)

	wantStatus(t, e.api("DELETE", paths.Build(paths.Environment, envID), admin, ""), 204)

	wantStatus(t, e.api("GET", userURL, tr.AccessToken, ""), 401)
	for _, path := range []string{paths.Build(paths.Environment, envID), paths.Build(paths.Users, envID), userURL,
		paths.Build(paths.SelfService, envID), paths.Build(paths.Applications, envID)} {
		wantStatus(t, e.api("GET", path, admin, ""), 404)
	}
	envs := decode[resource.List[resource.Environment]](t, respWant(t, e.api("GET", paths.Environments, admin, ""), 200))
	for _, x := range envs.Embedded["environments"] {
		if x.ID == envID {
			t.Fatal("deleted environment listed")
		}
	}
	// Sign-on: a new request, the flow started before, and the token
	// endpoint.
	resp := b.do("GET", e.authorizeURL(newPKCE(), nil), "", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	resp = b.action(flowID, "usernamePassword.check", resource.UsernamePassword{Username: "gus", Password: userPassword})
	if resp.StatusCode != http.StatusNotFound {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("flow after delete: %d %s", resp.StatusCode, body)
	}
	if tr.RefreshToken != "" {
		resp = e.form(paths.Build(paths.Token, envID), url.Values{"grant_type": {"refresh_token"},
			"refresh_token": {tr.RefreshToken}, "client_id": {bootstrap.MyAccountClientID(envID)}})
		wantStatus(t, resp, http.StatusNotFound)
	}
	// The Administrators environment cannot go.
	wantStatus(t, e.api("DELETE", paths.Build(paths.Environment, e.srv.Bootstrap.AdminEnvID), admin, ""), 400)
}

// TestApplicationSignOnPolicy: an additional sign-on policy applies to the
// applications it names: with a PASSWORD policy on MyAccount, sign-on
// ends after the password where the default policy asks for MFA; deleted,
// the default applies again.
func TestApplicationSignOnPolicy(t *testing.T) {
	e := newSQLiteEnv(t)
	admin := e.adminToken()
	envID := e.srv.Bootstrap.DefaultEnvID
	e.createUser("hal", "hal@example.com", userPassword)
	status := func() string {
		b := e.browser()
		id := b.startFlow(newPKCE())
		f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check",
			resource.UsernamePassword{Username: "hal", Password: userPassword}), 200))
		return f.Status
	}
	if got := status(); got != resource.FlowMFAEnrollmentRequired {
		t.Fatalf("default policy: %s", got)
	}
	body := `{"name":"Password only","kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST",` +
		`"applications":[{"id":"` + bootstrap.MyAccountClientID(envID) + `"}]}`
	pol := decode[resource.SignOnPolicy](t, respWant(t, e.api("POST", paths.Build(paths.SignOnPolicies, envID), admin, body), 201))
	if got := status(); got != resource.FlowCompleted {
		t.Fatalf("MyAccount's PASSWORD policy: %s", got)
	}
	wantStatus(t, e.api("DELETE", paths.Build(paths.SignOnPolicy, envID, pol.ID), admin, ""), 204)
	if got := status(); got != resource.FlowMFAEnrollmentRequired {
		t.Fatalf("after delete: %s", got)
	}
}
