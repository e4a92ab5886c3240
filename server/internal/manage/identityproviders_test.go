package manage

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// testBoxKey is the harness's secret box key, so tests can open what the
// API sealed.
var testBoxKey = []byte(strings.Repeat("k", secret.KeyLen))

func testBox(t *testing.T) *secret.Box {
	t.Helper()
	b, err := secret.NewBox(testBoxKey)
	if err != nil {
		t.Fatalf("new box: %v", err)
	}
	return b
}

const upstreamIdP = `{"name":"Upstream","enabled":true,"issuer":"https://idp.example.test/as","clientId":"downstream","clientSecret":"s3cret-value"}`

// createIdP creates a provider in env as the star administrator and
// returns it.
func (h *harness) createIdP(env, body string) resource.ExternalIdentityProvider {
	h.t.Helper()
	res := h.do(http.MethodPost, paths.Build(paths.IdentityProviders, env), "star", body)
	if res.status != http.StatusCreated {
		h.t.Fatalf("create identity provider: status %d: %s", res.status, res.body)
	}
	var out resource.ExternalIdentityProvider
	res.decode(h.t, &out)
	return out
}

// TestIdentityProviderAccess: readers read, Environment Admins write,
// users and other environments' administrators do neither; another
// environment's provider is a 404.
func TestIdentityProviderAccess(t *testing.T) {
	h := newHarness(t)
	d := defaultEnv
	idp := h.createIdP(d, upstreamIdP)
	carolIdP := h.createIdP(otherEnv, upstreamIdP)
	one := paths.Build(paths.IdentityProvider, d, idp.ID)
	list := paths.Build(paths.IdentityProviders, d)
	tests := []struct {
		name, principal, method, path, body string
		want                                int
	}{
		{"no_token", "", http.MethodGet, list, "", http.StatusUnauthorized},
		{"user_lists", "alice", http.MethodGet, list, "", http.StatusForbidden},
		{"user_creates", "alice", http.MethodPost, list, upstreamIdP, http.StatusForbidden},
		{"user_with_roles_claim_deletes", "aliceWithRoles", http.MethodDelete, one, "", http.StatusForbidden},
		{"env_worker_not_admin_puts", "defaultWorker", http.MethodPut, one, upstreamIdP, http.StatusForbidden},
		{"read_only_lists", "readOnly", http.MethodGet, list, "", http.StatusOK},
		{"read_only_gets", "readOnly", http.MethodGet, one, "", http.StatusOK},
		{"read_only_creates", "readOnly", http.MethodPost, list, upstreamIdP, http.StatusForbidden},
		{"read_only_deletes", "readOnly", http.MethodDelete, one, "", http.StatusForbidden},
		{"identity_admin_puts", "idAdmin", http.MethodPut, one, upstreamIdP, http.StatusForbidden},
		{"admin_of_default_creates_other_env", "envAdmin", http.MethodPost, paths.Build(paths.IdentityProviders, otherEnv), upstreamIdP, http.StatusForbidden},
		{"other_env_idp_under_default", "star", http.MethodGet, paths.Build(paths.IdentityProvider, d, carolIdP.ID), "", http.StatusNotFound},
		{"other_env_idp_delete_under_default", "star", http.MethodDelete, paths.Build(paths.IdentityProvider, d, carolIdP.ID), "", http.StatusNotFound},
		{"missing_env", "star", http.MethodGet, paths.Build(paths.IdentityProviders, missingEnv), "", http.StatusNotFound},
		{"malformed_id", "star", http.MethodGet, paths.Build(paths.IdentityProvider, d, "nope"), "", http.StatusNotFound},
		{"unknown_id_put", "envAdmin", http.MethodPut, paths.Build(paths.IdentityProvider, d, missingID), upstreamIdP, http.StatusNotFound},
		{"env_admin_puts", "envAdmin", http.MethodPut, one, strings.Replace(upstreamIdP, `"Upstream"`, `"Renamed"`, 1), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, []any{h.env(d).IdentityProviders, h.env(otherEnv).IdentityProviders})
			res := h.do(tt.method, tt.path, tt.principal, tt.body)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if tt.want >= 400 {
				if after := snapshot(t, []any{h.env(d).IdentityProviders, h.env(otherEnv).IdentityProviders}); after != before {
					t.Errorf("identity providers changed by a refused request")
				}
			}
		})
	}
}

// TestIdentityProviderSecret: the client secret is sealed at rest, bound
// to its environment and provider, never shown; PUT without it keeps it,
// null removes it.
func TestIdentityProviderSecret(t *testing.T) {
	h := newHarness(t)
	idp := h.createIdP(defaultEnv, upstreamIdP)
	if !idp.ClientSecretSet || idp.Type != resource.IdentityProviderOIDC || !idp.Enabled {
		t.Fatalf("created %+v", idp)
	}
	want := []string{"openid", "email", "profile"}
	if fmt.Sprint(idp.Scopes) != fmt.Sprint(want) || idp.AttributeMapping.Email != "email" || idp.AttributeMapping.GivenName != "given_name" {
		t.Errorf("defaults: scopes %v mapping %+v", idp.Scopes, idp.AttributeMapping)
	}
	one := paths.Build(paths.IdentityProvider, defaultEnv, idp.ID)
	get := h.do(http.MethodGet, one, "readOnly", "")
	if strings.Contains(string(get.body), "s3cret") || strings.Contains(string(get.body), "clientSecret\"") {
		t.Fatalf("the secret shows: %s", get.body)
	}
	stored := h.env(defaultEnv).IdentityProviders[0]
	if strings.Contains(string(stored.ClientSecretSealed), "s3cret") {
		t.Fatal("the secret is stored in the clear")
	}
	box := testBox(t)
	if s, err := OpenIdentityProviderSecret(box, defaultEnv, stored); err != nil || s != "s3cret-value" {
		t.Fatalf("open: %q, %v", s, err)
	}
	moved := stored
	moved.ID = missingID
	if _, err := OpenIdentityProviderSecret(box, defaultEnv, moved); err == nil {
		t.Error("a sealed secret opened for another provider")
	}
	if _, err := OpenIdentityProviderSecret(box, otherEnv, stored); err == nil {
		t.Error("a sealed secret opened in another environment")
	}

	// A PUT without the secret keeps it.
	res := h.do(http.MethodPut, one, "envAdmin", `{"name":"Upstream","issuer":"https://idp.example.test/as","clientId":"downstream","enabled":false}`)
	if res.status != http.StatusOK {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	if s, err := OpenIdentityProviderSecret(box, defaultEnv, h.env(defaultEnv).IdentityProviders[0]); err != nil || s != "s3cret-value" {
		t.Fatalf("secret after a PUT without it: %q, %v", s, err)
	}
	if h.env(defaultEnv).IdentityProviders[0].Enabled {
		t.Error("enabled left out of a PUT stayed true")
	}
	// null removes it.
	res = h.do(http.MethodPut, one, "envAdmin", `{"name":"Upstream","issuer":"https://idp.example.test/as","clientId":"downstream","clientSecret":null}`)
	var out resource.ExternalIdentityProvider
	res.decode(t, &out)
	if res.status != http.StatusOK || out.ClientSecretSet || h.env(defaultEnv).IdentityProviders[0].ClientSecretSealed != nil {
		t.Fatalf("put null secret: %d %s", res.status, res.body)
	}
	// Echoing the read-only attributes back is accepted.
	res = h.do(http.MethodPut, one, "envAdmin", string(h.do(http.MethodGet, one, "readOnly", "").body))
	if res.status != http.StatusOK {
		t.Fatalf("put what GET shows: %d %s", res.status, res.body)
	}

	// Delete, then it is gone; the audit trail never holds the secret.
	if res := h.do(http.MethodDelete, one, "envAdmin", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodGet, one, "readOnly", ""); res.status != http.StatusNotFound {
		t.Fatalf("get deleted: %d", res.status)
	}
	n := 0
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionIdentityProviderUpdated {
			n++
			if strings.Contains(snapshot(t, e), "s3cret") {
				t.Errorf("audit event holds the secret: %+v", e)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d identity provider events, want 5 (create, 3 updates, delete)", n)
	}
}

// TestIdentityProviderValidation: bad bodies are 400 naming the field, and
// nothing is saved.
func TestIdentityProviderValidation(t *testing.T) {
	h := newHarness(t)
	h.createIdP(defaultEnv, `{"name":"Taken","issuer":"https://other.example.test","clientId":"x"}`)
	base := `"issuer":"https://idp.example.test/as","clientId":"c"`
	tests := []struct {
		name, body, want string
	}{
		{"missing_name", `{` + base + `}`, "name:REQUIRED_VALUE"},
		{"missing_issuer", `{"name":"A","clientId":"c"}`, "issuer:REQUIRED_VALUE"},
		{"missing_client_id", `{"name":"A","issuer":"https://idp.example.test"}`, "clientId:REQUIRED_VALUE"},
		{"blank_name", `{"name":"  ",` + base + `}`, "name:INVALID_VALUE"},
		{"taken_name", `{"name":"taken",` + base + `}`, "name:UNIQUENESS_VIOLATION"},
		{"wrong_type", `{"name":"A","type":"SAML",` + base + `}`, "type:INVALID_VALUE"},
		{"http_issuer", `{"name":"A","issuer":"http://idp.example.test","clientId":"c"}`, "issuer:INVALID_VALUE"},
		{"issuer_with_query", `{"name":"A","issuer":"https://idp.example.test/?x=1","clientId":"c"}`, "issuer:INVALID_VALUE"},
		{"issuer_with_user", `{"name":"A","issuer":"https://u:p@idp.example.test","clientId":"c"}`, "issuer:INVALID_VALUE"},
		{"relative_issuer", `{"name":"A","issuer":"/as","clientId":"c"}`, "issuer:INVALID_VALUE"},
		{"scopes_without_openid", `{"name":"A",` + base + `,"scopes":["email"]}`, "scopes:INVALID_VALUE"},
		{"scope_with_space", `{"name":"A",` + base + `,"scopes":["openid","a b"]}`, "scopes:INVALID_VALUE"},
		{"bad_claim", `{"name":"A",` + base + `,"attributeMapping":{"email":"e mail"}}`, "attributeMapping.email:INVALID_VALUE"},
		{"unknown_mapping", `{"name":"A",` + base + `,"attributeMapping":{"phone":"phone_number"}}`, "attributeMapping.phone:UNKNOWN_ATTRIBUTE"},
		{"secret_with_newline", `{"name":"A",` + base + `,"clientSecret":"a\nb"}`, "clientSecret:INVALID_VALUE"},
		{"read_only_secret_set", `{"name":"A",` + base + `,"clientSecretSet":true}`, "clientSecretSet:READ_ONLY"},
		{"unknown_attribute", `{"name":"A",` + base + `,"color":"red"}`, "color:UNKNOWN_ATTRIBUTE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, h.env(defaultEnv).IdentityProviders)
			res := h.do(http.MethodPost, paths.Build(paths.IdentityProviders, defaultEnv), "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != "INVALID_DATA" {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			mustContain(t, res.targets(t), tt.want)
			if after := snapshot(t, h.env(defaultEnv).IdentityProviders); after != before {
				t.Error("identity providers changed by a refused request")
			}
		})
	}
	t.Run("loopback_http_issuer_accepted", func(t *testing.T) {
		h.createIdP(defaultEnv, `{"name":"Local","issuer":"http://127.0.0.1:8080/env/as","clientId":"c"}`)
	})
}

// TestIdentityProviderLimit: an environment holds at most
// store.MaxIdentityProviders providers.
func TestIdentityProviderLimit(t *testing.T) {
	h := newHarness(t)
	for i := range store.MaxIdentityProviders {
		h.createIdP(defaultEnv, fmt.Sprintf(`{"name":"P%d","issuer":"https://idp.example.test","clientId":"c"}`, i))
	}
	res := h.do(http.MethodPost, paths.Build(paths.IdentityProviders, defaultEnv), "envAdmin", `{"name":"One more","issuer":"https://idp.example.test","clientId":"c"}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "identityProviders:LIMIT_EXCEEDED")
	if n := len(h.env(defaultEnv).IdentityProviders); n != store.MaxIdentityProviders {
		t.Errorf("%d providers stored", n)
	}
	var list struct {
		Embedded struct {
			IdentityProviders []resource.ExternalIdentityProvider `json:"identityProviders"`
		} `json:"_embedded"`
	}
	h.do(http.MethodGet, paths.Build(paths.IdentityProviders, defaultEnv), "readOnly", "").decode(t, &list)
	if len(list.Embedded.IdentityProviders) != store.MaxIdentityProviders {
		t.Errorf("list shows %d", len(list.Embedded.IdentityProviders))
	}
}
