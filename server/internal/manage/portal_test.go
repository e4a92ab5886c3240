package manage

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// createPortalApp creates a single-page app through the API and returns it.
func (h *harness) createPortalApp(t *testing.T, body string) resource.Application {
	t.Helper()
	res := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin", body)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var app resource.Application
	res.decode(t, &app)
	return app
}

func TestApplicationPortalFields(t *testing.T) {
	h := newHarness(t)
	app := h.createPortalApp(t, `{"name":"Wiki","type":"SINGLE_PAGE_APP","redirectUris":["https://wiki.example.com/cb"],
		"portal":{"show":true,"iconUrl":"data:image/png;base64,iVBORw0KGgo=","startUrl":"https://wiki.example.com/login"}}`)
	if app.Portal == nil || !app.Portal.Show || app.Portal.StartURL != "https://wiki.example.com/login" || app.Portal.Name != "" {
		t.Fatalf("created portal %+v", app.Portal)
	}
	self := paths.Build(paths.Application, defaultEnv, app.ID)

	// Merge patch: the name alone changes the name; the rest stays.
	res := h.do(http.MethodPatch, self, "envAdmin", `{"portal":{"name":"Team wiki"}}`)
	if res.status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	stored, _ := h.store.GetApplication(t.Context(), defaultEnv, app.ID)
	want := store.AppPortal{Show: true, Name: "Team wiki", IconURL: "data:image/png;base64,iVBORw0KGgo=", StartURL: "https://wiki.example.com/login"}
	if stored.Portal == nil || *stored.Portal != want {
		t.Fatalf("stored portal %+v", stored.Portal)
	}
	// A GET sent back unchanged is accepted.
	if res := h.do(http.MethodPatch, self, "envAdmin", string(h.do(http.MethodGet, self, "readOnly", "").body)); res.status != http.StatusOK {
		t.Fatalf("round trip: %d %s", res.status, res.body)
	}
	// null icon removes it; portal null removes the tile.
	if res := h.do(http.MethodPatch, self, "envAdmin", `{"portal":{"iconUrl":null}}`); res.status != http.StatusOK {
		t.Fatalf("icon null: %d %s", res.status, res.body)
	}
	if s, _ := h.store.GetApplication(t.Context(), defaultEnv, app.ID); s.Portal.IconURL != "" || s.Portal.Name != "Team wiki" {
		t.Fatalf("after icon null %+v", s.Portal)
	}
	if res := h.do(http.MethodPatch, self, "envAdmin", `{"portal":null}`); res.status != http.StatusOK {
		t.Fatalf("portal null: %d %s", res.status, res.body)
	}
	if s, _ := h.store.GetApplication(t.Context(), defaultEnv, app.ID); s.Portal != nil {
		t.Fatalf("after portal null %+v", s.Portal)
	}
	// Only Environment Admins set it.
	if res := h.do(http.MethodPatch, self, "readOnly", `{"portal":{"show":true,"startUrl":"https://x.example.com/"}}`); res.status != http.StatusForbidden {
		t.Fatalf("read-only admin: %d %s", res.status, res.body)
	}
}

func TestApplicationPortalRefused(t *testing.T) {
	h := newHarness(t)
	myApp := paths.Build(paths.Application, defaultEnv, myAppID)
	worker := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin", `{"name":"CI","type":"WORKER"}`)
	var w resource.Application
	worker.decode(t, &w)
	workerPath := paths.Build(paths.Application, defaultEnv, w.ID)
	bigIcon := "data:image/png;base64," + strings.Repeat("A", valid.MaxIconDataURL)
	tests := []struct {
		name string
		path string
		body string
		want []string
	}{
		{"javascript_start", myApp, `{"portal":{"show":true,"startUrl":"javascript:alert(document.cookie)"}}`, []string{"portal.startUrl:INVALID_VALUE"}},
		{"plain_http_start", myApp, `{"portal":{"show":true,"startUrl":"http://app.example.com/"}}`, []string{"portal.startUrl:INVALID_VALUE"}},
		{"ftp_start", myApp, `{"portal":{"show":true,"startUrl":"ftp://app.example.com/"}}`, []string{"portal.startUrl:INVALID_VALUE"}},
		{"relative_start", myApp, `{"portal":{"show":true,"startUrl":"/elsewhere"}}`, []string{"portal.startUrl:INVALID_VALUE"}},
		{"show_without_start", myApp, `{"portal":{"show":true}}`, []string{"portal.startUrl:REQUIRED_VALUE"}},
		{"javascript_icon", myApp, `{"portal":{"show":true,"startUrl":"https://a.example.com/","iconUrl":"javascript:alert(1)"}}`, []string{"portal.iconUrl:INVALID_VALUE"}},
		{"html_data_icon", myApp, `{"portal":{"show":true,"startUrl":"https://a.example.com/","iconUrl":"data:text/html;base64,PHA+"}}`, []string{"portal.iconUrl:INVALID_VALUE"}},
		{"oversized_icon", myApp, `{"portal":{"show":true,"startUrl":"https://a.example.com/","iconUrl":"` + bigIcon + `"}}`, []string{"portal.iconUrl:" + apierr.DetailSizeLimit}},
		{"control_name", myApp, `{"portal":{"show":true,"startUrl":"https://a.example.com/","name":"a\u0007b"}}`, []string{"portal.name:INVALID_VALUE"}},
		{"groups_unknown", myApp, `{"portal":{"show":true,"startUrl":"https://a.example.com/","groups":[]}}`, []string{"portal.groups:UNKNOWN_ATTRIBUTE"}},
		{"show_not_bool", myApp, `{"portal":{"show":"yes","startUrl":"https://a.example.com/"}}`, []string{"portal.show:INVALID_VALUE"}},
		{"not_object", myApp, `{"portal":"https://a.example.com/"}`, []string{"portal:INVALID_VALUE"}},
		{"worker", workerPath, `{"portal":{"show":true,"startUrl":"https://a.example.com/"}}`, []string{"portal:INVALID_VALUE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			id := tt.path[strings.LastIndexByte(tt.path, '/')+1:]
			before, _ := h.store.GetApplication(t.Context(), defaultEnv, id)
			res := h.do(http.MethodPatch, tt.path, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if got := res.targets(t); !slices.Equal(got, tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			after, _ := h.store.GetApplication(t.Context(), defaultEnv, id)
			if after.Version != before.Version || after.Portal != nil {
				t.Fatalf("changed: %+v", after)
			}
		})
	}
	// The same checks on create: nothing is stored.
	n := len(mustList(t, h))
	res := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin",
		`{"name":"X","type":"SINGLE_PAGE_APP","redirectUris":["https://x.example.com/"],"portal":{"show":true,"startUrl":"javascript:void(0)"}}`)
	if res.status != http.StatusBadRequest || !slices.Equal(res.targets(t), []string{"portal.startUrl:INVALID_VALUE"}) {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if got := len(mustList(t, h)); got != n {
		t.Fatalf("%d applications after a refused create, want %d", got, n)
	}
}

func mustList(t *testing.T, h *harness) []store.Application {
	t.Helper()
	apps, err := h.store.ListApplications(t.Context(), defaultEnv)
	if err != nil {
		t.Fatal(err)
	}
	return apps
}

func TestListUserApplications(t *testing.T) {
	h := newHarness(t)
	visible := h.createPortalApp(t, `{"name":"Zeta","type":"SINGLE_PAGE_APP","redirectUris":["https://zeta.example.com/cb"],
		"portal":{"show":true,"name":"Alpha tools","iconUrl":"https://cdn.example.com/a.png","startUrl":"https://zeta.example.com/login"}}`)
	plain := h.createPortalApp(t, `{"name":"Beta","type":"SINGLE_PAGE_APP","redirectUris":["https://beta.example.com/cb"],
		"portal":{"show":true,"startUrl":"http://localhost:4000/"}}`)
	h.createPortalApp(t, `{"name":"Hidden","type":"SINGLE_PAGE_APP","redirectUris":["https://hidden.example.com/cb"],
		"portal":{"show":false,"startUrl":"https://hidden.example.com/"}}`)
	h.createPortalApp(t, `{"name":"Off","type":"SINGLE_PAGE_APP","enabled":false,"redirectUris":["https://off.example.com/cb"],
		"portal":{"show":true,"startUrl":"https://off.example.com/"}}`)
	h.createPortalApp(t, `{"name":"NoPortal","type":"SINGLE_PAGE_APP","redirectUris":["https://none.example.com/cb"]}`)
	// The same tile in another environment is not Alice's.
	if res := h.do(http.MethodPost, paths.Build(paths.Applications, otherEnv), "star", `{"name":"Elsewhere","type":"SINGLE_PAGE_APP",
		"redirectUris":["https://else.example.com/cb"],"portal":{"show":true,"startUrl":"https://else.example.com/"}}`); res.status != http.StatusCreated {
		t.Fatalf("other env app: %d %s", res.status, res.body)
	}

	mine := paths.Build(paths.UserApplications, defaultEnv, aliceID)
	res := h.do(http.MethodGet, mine, "alice", "")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var list resource.List[resource.PortalApplication]
	res.decode(t, &list)
	got := list.Embedded["applications"]
	want := []resource.PortalApplication{
		{ID: visible.ID, Name: "Alpha tools", IconURL: "https://cdn.example.com/a.png", StartURL: "https://zeta.example.com/login"},
		{ID: plain.ID, Name: "Beta", StartURL: "http://localhost:4000/"},
	}
	if !slices.Equal(got, want) || list.Count != 2 {
		t.Fatalf("applications %+v, want %+v", got, want)
	}
	for _, leak := range []string{"redirectUris", "zeta.example.com/cb", "secret", "roles", "Hidden", "Off", "NoPortal", "Elsewhere", "enabled"} {
		if strings.Contains(string(res.body), leak) {
			t.Fatalf("body shows %q: %s", leak, res.body)
		}
	}

	denied := []struct {
		name      string
		path      string
		principal string
		status    int
		code      string
	}{
		{"other_user", paths.Build(paths.UserApplications, defaultEnv, bobID), "alice", 404, apierr.NotFound},
		{"missing_user", paths.Build(paths.UserApplications, defaultEnv, missingID), "alice", 404, apierr.NotFound},
		{"other_environment", paths.Build(paths.UserApplications, defaultEnv, carolID), "carol", 404, apierr.NotFound},
		{"own_id_in_other_environment", paths.Build(paths.UserApplications, otherEnv, aliceID), "alice", 404, apierr.NotFound},
		{"missing_scope", mine, "aliceNoScopes", 403, apierr.InsufficientPermission},
		{"password_scopes_only", mine, "alicePassword", 403, apierr.InsufficientPermission},
		{"no_token", mine, "", 401, ""},
		{"worker_without_roles", mine, "defaultWorker", 404, ""},
	}
	for _, tt := range denied {
		t.Run(tt.name, func(t *testing.T) {
			res := h.do(http.MethodGet, tt.path, tt.principal, "")
			if res.status != tt.status && !(tt.code == "" && res.status >= 400 && res.status < 500) {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.code != "" && res.code(t) != tt.code {
				t.Fatalf("code %s, want %s", res.code(t), tt.code)
			}
			if strings.Contains(string(res.body), visible.ID) {
				t.Fatalf("denied answer lists applications: %s", res.body)
			}
		})
	}

	// A disabled user sees no tiles.
	u := h.user(defaultEnv, aliceID)
	u.Enabled = false
	if err := h.store.UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	res = h.do(http.MethodGet, mine, "alice", "")
	var none resource.List[resource.PortalApplication]
	res.decode(t, &none)
	if res.status != http.StatusOK || len(none.Embedded["applications"]) != 0 {
		t.Fatalf("disabled user: %d %s", res.status, res.body)
	}
}
