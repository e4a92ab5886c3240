package manage

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestWorkerSecretShownOnce: the create response carries the client secret;
// the store holds only its hash; no later read shows either.
func TestWorkerSecretShownOnce(t *testing.T) {
	h := newHarness(t)
	res := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin",
		`{"name":"CI","type":"WORKER","roles":[{"role":"Identity Data Admin","environmentId":"`+defaultEnv+`"}]}`)
	if res.status != http.StatusCreated {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var app resource.Application
	res.decode(t, &app)
	if app.ClientSecret == "" || app.Type != resource.AppWorker || app.Protocol != ProtocolOIDC || !app.Enabled ||
		len(app.Roles) != 1 || app.Roles[0].Role != resource.RoleIdentityDataAdmin {
		t.Fatalf("created %+v", app)
	}
	if res.header.Get("Location") != publicURL+paths.Build(paths.Application, defaultEnv, app.ID) {
		t.Fatalf("Location %q", res.header.Get("Location"))
	}
	stored, err := h.store.GetApplication(t.Context(), defaultEnv, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.SecretHash != opaque.Hash(app.ClientSecret) || stored.SecretHash == app.ClientSecret || stored.SecretChangedAt.IsZero() {
		t.Fatalf("stored secret hash %q", stored.SecretHash)
	}
	for _, path := range []string{paths.Build(paths.Application, defaultEnv, app.ID), paths.Build(paths.Applications, defaultEnv)} {
		got := h.do(http.MethodGet, path, "readOnly", "")
		if got.status != http.StatusOK || !strings.Contains(string(got.body), app.ID) {
			t.Fatalf("GET %s: %d %s", path, got.status, got.body)
		}
		for _, leak := range []string{app.ClientSecret, stored.SecretHash, "clientSecret", "secretHash"} {
			if strings.Contains(string(got.body), leak) {
				t.Fatalf("GET %s shows %q: %s", path, leak, got.body)
			}
		}
	}
	for _, e := range h.events(defaultEnv) {
		if s := snapshot(t, e); strings.Contains(s, app.ClientSecret) || strings.Contains(s, stored.SecretHash) {
			t.Fatalf("audit event holds the secret: %s", s)
		}
		if e.Action == audit.ActionApplicationCreated && e.Details["clientId"] != app.ID {
			t.Fatalf("APPLICATION_CREATED event %+v", e)
		}
	}
}

func TestCreateApplication(t *testing.T) {
	h := newHarness(t)
	apps := paths.Build(paths.Applications, defaultEnv)
	tests := []struct {
		name      string
		principal string
		body      string
		status    int
		want      []string
	}{
		{"spa", "envAdmin", `{"name":"Portal","type":"SINGLE_PAGE_APP","redirectUris":["https://portal.example.com/cb","http://localhost:3000/"]}`, 201, nil},
		{"worker_every_environment_by_star_admin", "star", `{"name":"Ops","type":"WORKER","roles":[{"role":"Environment Admin","environmentId":"*"}]}`, 201, nil},
		{"worker_without_roles", "envAdmin", `{"name":"Idle","type":"WORKER","protocol":"OPENID_CONNECT"}`, 201, nil},
		{"worker_every_environment_by_env_admin", "envAdmin", `{"name":"Ops","type":"WORKER","roles":[{"role":"Environment Admin","environmentId":"*"}]}`, 400,
			[]string{"roles[0].environmentId:INVALID_VALUE"}},
		{"worker_other_environment", "star", `{"name":"Ops","type":"WORKER","roles":[{"role":"Read Only","environmentId":"` + otherEnv + `"}]}`, 400,
			[]string{"roles[0].environmentId:INVALID_VALUE"}},
		{"worker_bad_role", "star", `{"name":"Ops","type":"WORKER","roles":[{"role":"Root","environmentId":"` + defaultEnv + `"},{"role":"Read Only"}]}`, 400,
			[]string{"roles[0].role:INVALID_VALUE", "roles[1].environmentId:REQUIRED_VALUE"}},
		{"worker_role_operator", "star", `{"name":"Ops","type":"WORKER","roles":[{"role":{"$ne":""},"environmentId":"` + defaultEnv + `"}]}`, 400,
			[]string{"roles[0].role:INVALID_VALUE"}},
		{"worker_with_redirect", "star", `{"name":"Ops","type":"WORKER","redirectUris":["https://x.example.com/"]}`, 400,
			[]string{"redirectUris:INVALID_VALUE"}},
		{"spa_with_roles", "star", `{"name":"P","type":"SINGLE_PAGE_APP","redirectUris":["https://x.example.com/"],"roles":[]}`, 400,
			[]string{"roles:INVALID_VALUE"}},
		{"spa_fragment", "star", `{"name":"P","type":"SINGLE_PAGE_APP","redirectUris":["https://x.example.com/#cb"]}`, 400,
			[]string{"redirectUris[0]:INVALID_VALUE"}},
		{"spa_relative_and_ftp", "star", `{"name":"P","type":"SINGLE_PAGE_APP","redirectUris":["/cb","ftp://x.example.com/","javascript:alert(1)"]}`, 400,
			[]string{"redirectUris[0]:INVALID_VALUE", "redirectUris[1]:INVALID_VALUE", "redirectUris[2]:INVALID_VALUE"}},
		{"spa_too_many", "star", `{"name":"P","type":"SINGLE_PAGE_APP","redirectUris":[` + strings.Repeat(`"https://x.example.com/",`, 10) + `"https://y.example.com/"]}`, 400,
			[]string{"redirectUris:INVALID_VALUE"}},
		{"spa_no_redirect", "star", `{"name":"P","type":"SINGLE_PAGE_APP"}`, 400, []string{"redirectUris:REQUIRED_VALUE"}},
		{"missing_name_and_type", "star", `{}`, 400, []string{"name:REQUIRED_VALUE", "type:REQUIRED_VALUE"}},
		{"bad_type_and_protocol", "star", `{"name":"x","type":"SERVICE","protocol":"SAML"}`, 400, []string{"type:INVALID_VALUE", "protocol:INVALID_VALUE"}},
		{"blank_name", "star", `{"name":"  ","type":"WORKER"}`, 400, []string{"name:INVALID_VALUE"}},
		{"client_secret_chosen", "star", `{"name":"x","type":"WORKER","clientSecret":"mine"}`, 400, []string{"clientSecret:READ_ONLY"}},
		{"my_account_flag", "star", `{"name":"x","type":"WORKER","myAccount":true}`, 400, []string{"myAccount:READ_ONLY"}},
		{"unknown", "star", `{"name":"x","type":"WORKER","grantTypes":["password"]}`, 400, []string{"grantTypes:UNKNOWN_ATTRIBUTE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before, err := h.store.ListApplications(t.Context(), defaultEnv)
			if err != nil {
				t.Fatal(err)
			}
			res := h.do(http.MethodPost, apps, tt.principal, tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			after, err := h.store.ListApplications(t.Context(), defaultEnv)
			if err != nil {
				t.Fatal(err)
			}
			if tt.status != http.StatusCreated {
				if got := res.targets(t); !slices.Equal(got, tt.want) {
					t.Fatalf("details %v, want %v", got, tt.want)
				}
				if len(after) != len(before) {
					t.Fatal("a refused application was created")
				}
				return
			}
			var app resource.Application
			res.decode(t, &app)
			stored, err := h.store.GetApplication(t.Context(), defaultEnv, app.ID)
			if err != nil || stored.Name != app.Name || stored.Type != app.Type {
				t.Fatalf("stored %+v, %v", stored, err)
			}
			if (app.Type == resource.AppWorker) != (app.ClientSecret != "") {
				t.Fatalf("type %s with secret %v", app.Type, app.ClientSecret != "")
			}
		})
	}
}

func TestPatchApplication(t *testing.T) {
	h := newHarness(t)
	myApp := paths.Build(paths.Application, defaultEnv, myAppID)

	// The MyAccount switch PingOne calls "allow user actions according to
	// granted authentication scopes", and more redirect URIs.
	res := h.do(http.MethodPatch, myApp, "envAdmin",
		`{"allowUserActionsByAuthenticationScopes":true,"redirectUris":["`+publicURL+`/`+defaultEnv+`/myaccount/","https://m.example.com/"]}`)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	stored, _ := h.store.GetApplication(t.Context(), defaultEnv, myAppID)
	if !stored.ReducedScopes || len(stored.RedirectURIs) != 2 {
		t.Fatalf("stored %+v", stored)
	}

	// A worker: roles and enabled; a GET body sent back is accepted.
	created := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "star",
		`{"name":"Ops","type":"WORKER","roles":[{"role":"Environment Admin","environmentId":"*"}]}`)
	var w resource.Application
	created.decode(t, &w)
	worker := paths.Build(paths.Application, defaultEnv, w.ID)
	got := h.do(http.MethodGet, worker, "envAdmin", "").json(t)
	got["name"] = "Ops renamed"
	// envAdmin holds no role over "*" but may send the worker's roles back unchanged.
	if res := h.do(http.MethodPatch, worker, "envAdmin", snapshot(t, got)); res.status != http.StatusOK {
		t.Fatalf("round trip: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodPatch, worker, "envAdmin", `{"roles":[{"role":"Read Only","environmentId":"`+defaultEnv+`"}],"enabled":false}`); res.status != http.StatusOK {
		t.Fatalf("roles: %d %s", res.status, res.body)
	}
	ws, _ := h.store.GetApplication(t.Context(), defaultEnv, w.ID)
	if ws.Name != "Ops renamed" || ws.Enabled || len(ws.Roles) != 1 || ws.Roles[0].Role != resource.RoleReadOnly ||
		ws.SecretHash == "" {
		t.Fatalf("stored worker %+v", ws)
	}

	refused := []struct {
		name string
		path string
		body string
		want []string
	}{
		{"roles_on_spa", myApp, `{"roles":[{"role":"Read Only","environmentId":"` + defaultEnv + `"}]}`, []string{"roles:INVALID_VALUE"}},
		{"redirect_on_worker", worker, `{"redirectUris":["https://x.example.com/"]}`, []string{"redirectUris:INVALID_VALUE"}},
		{"reduced_scopes_on_worker", worker, `{"allowUserActionsByAuthenticationScopes":true}`, []string{"allowUserActionsByAuthenticationScopes:READ_ONLY"}},
		{"star_role_by_env_admin", worker, `{"roles":[{"role":"Environment Admin","environmentId":"*"}]}`, []string{"roles[0].environmentId:INVALID_VALUE"}},
		{"client_secret", worker, `{"clientSecret":"new"}`, []string{"clientSecret:READ_ONLY"}},
		{"type", myApp, `{"type":"WORKER"}`, []string{"type:READ_ONLY"}},
		{"my_account_flag", myApp, `{"myAccount":false}`, []string{"myAccount:READ_ONLY"}},
		{"empty_redirects", myApp, `{"redirectUris":[]}`, []string{"redirectUris:INVALID_VALUE"}},
		{"enabled_operator", myApp, `{"enabled":{"$ne":false},"name":"  "}`, []string{"name:INVALID_VALUE", "enabled:INVALID_VALUE"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			id := tt.path[strings.LastIndexByte(tt.path, '/')+1:]
			before, _ := h.store.GetApplication(t.Context(), defaultEnv, id)
			res := h.do(http.MethodPatch, tt.path, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if got := res.targets(t); !slices.Equal(got, tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			after, _ := h.store.GetApplication(t.Context(), defaultEnv, id)
			if snapshot(t, before) != snapshot(t, after) {
				t.Fatal("a refused patch changed the application")
			}
		})
	}
	var updates int
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionApplicationUpdated {
			updates++
		}
	}
	if updates != 3 {
		t.Fatalf("%d APPLICATION_UPDATED events, want 3", updates)
	}
}
