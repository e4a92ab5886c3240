//go:build !js

package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// consoleCall is one request the fake console API received.
type consoleCall struct {
	Method, Path string
	Body         map[string]any
}

// consoleAPI fakes the management API for the console sections: answer
// maps "METHOD path" to a status and body; anything else is a 404
// NOT_FOUND, as the server answers for a route it does not have.
type consoleAPI struct {
	mu     sync.Mutex
	calls  []consoleCall
	answer map[string]func(body map[string]any) (int, any)
}

func (f *consoleAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	f.mu.Lock()
	f.calls = append(f.calls, consoleCall{Method: r.Method, Path: r.URL.Path, Body: body})
	h := f.answer[r.Method+" "+r.URL.Path]
	f.mu.Unlock()
	reply := jsonReply(w)
	if h == nil {
		reply(404, apierr.NotFoundError("The requested resource was not found."))
		return
	}
	reply(h(body))
}

// last is the latest request to method and path (nil when none).
func (f *consoleAPI) last(method, path string) *consoleCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.calls) - 1; i >= 0; i-- {
		if f.calls[i].Method == method && f.calls[i].Path == path {
			c := f.calls[i]
			return &c
		}
	}
	return nil
}

// consoleContext is an Environment Admin's console context over every
// environment, on testEnv, calling api.
func consoleContext(t *testing.T, api http.Handler, roles ...resource.RoleAssignment) *AdminContext {
	t.Helper()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	if roles == nil {
		roles = []resource.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}
	}
	env := resource.Environment{ID: testEnv, Name: "Default", Type: resource.EnvSandbox}
	admins := resource.Environment{ID: "a3d2e1f0-4b5c-4d6e-8f70-9182a3b4c5d6", Name: "Administrators", Administrators: true, Type: resource.EnvProduction}
	return &AdminContext{
		API:   apiclient.New(apiclient.Config{BaseURL: srv.URL, Transport: apiclient.HTTPTransport{Client: srv.Client()}}),
		Token: "tok", Roles: roles, Env: env, AdminEnv: admins.ID, Envs: []resource.Environment{admins, env},
	}
}

func TestAgreementBody(t *testing.T) {
	tests := []struct {
		name string
		in   agreementForm
		want map[string]any
		msg  Msg
	}{
		{name: "nameOnly", in: agreementForm{Name: " Terms "}, want: map[string]any{"name": "Terms", "enabled": false}},
		{name: "description", in: agreementForm{Name: "Terms", Description: "For all"}, want: map[string]any{"name": "Terms", "enabled": false, "description": "For all"}},
		{name: "noName", in: agreementForm{Name: "  "}, msg: MsgConNameRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := agreementBody(tt.in)
			if msg != tt.msg || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("agreementBody = %v %q, want %v %q", got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestRevisionBody(t *testing.T) {
	now := time.Date(2026, 11, 23, 16, 30, 45, 500, time.UTC)
	tests := []struct {
		name string
		in   revisionForm
		at   string
		ct   string
		msg  Msg
	}{
		{name: "nowWhenEmpty", in: revisionForm{Text: "Be kind"}, at: "2026-11-23T16:30:45Z", ct: resource.AgreementTextPlain},
		{name: "localInputAsUTC", in: revisionForm{Text: "x", EffectiveAt: "2027-01-31T09:00"}, at: "2027-01-31T09:00:00Z", ct: resource.AgreementTextPlain},
		{name: "rfc3339", in: revisionForm{Text: "x", EffectiveAt: "2027-01-31T09:00:00+01:00"}, at: "2027-01-31T08:00:00Z", ct: resource.AgreementTextPlain},
		{name: "html", in: revisionForm{Text: "<p>x</p>", ContentType: resource.AgreementTextHTML}, at: "2026-11-23T16:30:45Z", ct: resource.AgreementTextHTML},
		{name: "unknownTypeIsPlain", in: revisionForm{Text: "x", ContentType: "text/evil"}, at: "2026-11-23T16:30:45Z", ct: resource.AgreementTextPlain},
		{name: "noText", in: revisionForm{Text: " \n"}, msg: MsgConAgTextRequired},
		{name: "badTime", in: revisionForm{Text: "x", EffectiveAt: "tomorrow"}, msg: MsgConAgBadTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := revisionBody(tt.in, now)
			if msg != tt.msg {
				t.Fatalf("msg %q, want %q", msg, tt.msg)
			}
			if msg != "" {
				if got != nil {
					t.Errorf("body %v with an error", got)
				}
				return
			}
			if got["effectiveAt"] != tt.at || got["contentType"] != tt.ct || got["text"] != tt.in.Text || got["requireReconsent"] != tt.in.RequireReconsent {
				t.Errorf("body %v, want effectiveAt %s contentType %s", got, tt.at, tt.ct)
			}
		})
	}
}

func TestOIDCBody(t *testing.T) {
	cur := &consoleApp{Application: resource.Application{ID: "app1", Type: resource.AppSinglePage,
		Portal: &resource.AppPortal{Show: true, Name: "Wiki", IconURL: "https://x/i.png", StartURL: "https://wiki"}}}
	tests := []struct {
		name string
		in   oidcForm
		cur  *consoleApp
		want map[string]any
		msg  Msg
	}{
		{name: "createSPA", in: oidcForm{Name: "Wiki", RedirectURIs: "https://wiki/cb\n\nhttps://wiki/cb\r\n https://wiki/2 ", Enabled: true},
			want: map[string]any{"name": "Wiki", "enabled": true, "redirectUris": []string{"https://wiki/cb", "https://wiki/2"},
				"type": resource.AppSinglePage, "protocol": "OPENID_CONNECT"}},
		{name: "createWebWithTile", in: oidcForm{Name: "Wiki", Type: "WEB_APP", RedirectURIs: "https://wiki/cb", PortalShow: true, PortalStartURL: "https://wiki"},
			want: map[string]any{"name": "Wiki", "enabled": false, "redirectUris": []string{"https://wiki/cb"}, "type": "WEB_APP",
				"protocol": "OPENID_CONNECT", "portal": map[string]any{"show": true, "startUrl": "https://wiki"}}},
		{name: "unknownTypeIsSPA", in: oidcForm{Name: "W", Type: "WORKER", RedirectURIs: "https://w/cb"},
			want: map[string]any{"name": "W", "enabled": false, "redirectUris": []string{"https://w/cb"}, "type": resource.AppSinglePage, "protocol": "OPENID_CONNECT"}},
		{name: "patchClearsTileName", cur: cur, in: oidcForm{Name: "Wiki", RedirectURIs: "https://wiki/cb", PortalShow: false, PortalStartURL: "https://wiki"},
			want: map[string]any{"name": "Wiki", "enabled": false, "redirectUris": []string{"https://wiki/cb"},
				"portal": map[string]any{"show": false, "name": nil, "iconUrl": nil, "startUrl": "https://wiki"}}},
		{name: "noName", in: oidcForm{RedirectURIs: "https://w/cb"}, msg: MsgConNameRequired},
		{name: "noRedirect", in: oidcForm{Name: "W", RedirectURIs: " \n "}, msg: MsgConAppRedirectRequired},
		{name: "tileWithoutStart", in: oidcForm{Name: "W", RedirectURIs: "https://w/cb", PortalShow: true}, msg: MsgConAppStartRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := oidcBody(tt.in, tt.cur)
			if msg != tt.msg || !jsonEqual(t, got, tt.want) {
				t.Errorf("oidcBody = %v %q, want %v %q", got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestWorkerBody(t *testing.T) {
	cur := &consoleApp{Application: resource.Application{Type: resource.AppWorker, Roles: []resource.RoleAssignment{
		{Role: resource.RoleReadOnly, EnvironmentID: "*"}, {Role: resource.RoleEnvironmentAdmin, EnvironmentID: testEnv}}}}
	tests := []struct {
		name string
		in   workerForm
		cur  *consoleApp
		want map[string]any
		msg  Msg
	}{
		{name: "create", in: workerForm{Name: "Provisioner", Enabled: true, Roles: []string{resource.RoleIdentityDataAdmin, resource.RoleEnvironmentAdmin}},
			want: map[string]any{"name": "Provisioner", "enabled": true, "type": resource.AppWorker, "protocol": "OPENID_CONNECT",
				"roles": []map[string]string{{"role": resource.RoleEnvironmentAdmin, "environmentId": testEnv}, {"role": resource.RoleIdentityDataAdmin, "environmentId": testEnv}}}},
		{name: "patchKeepsOtherEnvironments", cur: cur, in: workerForm{Name: "P", Roles: []string{resource.RoleReadOnly}},
			want: map[string]any{"name": "P", "enabled": false,
				"roles": []map[string]string{{"role": resource.RoleReadOnly, "environmentId": "*"}, {"role": resource.RoleReadOnly, "environmentId": testEnv}}}},
		{name: "noRole", in: workerForm{Name: "P"}, msg: MsgConAppRoleRequired},
		{name: "noName", in: workerForm{Roles: []string{resource.RoleReadOnly}}, msg: MsgConNameRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := workerBody(tt.in, testEnv, tt.cur)
			if msg != tt.msg || !jsonEqual(t, got, tt.want) {
				t.Errorf("workerBody = %v %q, want %v %q", got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestIdPBody(t *testing.T) {
	full := idpForm{Name: "Corp", Issuer: "https://idp.example", ClientID: "c1", Scopes: "openid, email", Enabled: true}
	tests := []struct {
		name    string
		in      idpForm
		editing bool
		secret  any // the clientSecret sent; "absent" when left out
		msg     Msg
	}{
		{name: "createWithSecret", in: withSecret(full, "s3cret"), secret: "s3cret"},
		{name: "createWithoutSecret", in: full, secret: "absent"},
		{name: "editKeepsSecret", in: full, editing: true, secret: "absent"},
		{name: "editReplacesSecret", in: withSecret(full, "new"), editing: true, secret: "new"},
		{name: "editRemovesSecret", in: idpForm{Name: "Corp", Issuer: "https://i", ClientID: "c", RemoveSecret: true, ClientSecret: "ignored"}, editing: true, secret: nil},
		{name: "noIssuer", in: idpForm{Name: "Corp", ClientID: "c"}, msg: MsgConIdpIssuerRequired},
		{name: "noClientID", in: idpForm{Name: "Corp", Issuer: "https://i"}, msg: MsgConIdpClientIDRequired},
		{name: "noOpenID", in: idpForm{Name: "Corp", Issuer: "https://i", ClientID: "c", Scopes: "email profile"}, msg: MsgConIdpOpenID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := idpBody(tt.in, tt.editing)
			if msg != tt.msg {
				t.Fatalf("msg %q, want %q", msg, tt.msg)
			}
			if msg != "" {
				return
			}
			s, ok := got["clientSecret"]
			if tt.secret == "absent" {
				if ok {
					t.Errorf("clientSecret %v sent", s)
				}
			} else if !ok || s != tt.secret {
				t.Errorf("clientSecret %v (sent %v), want %v", s, ok, tt.secret)
			}
			if got["type"] != resource.IdentityProviderOIDC || got["name"] != tt.in.Name {
				t.Errorf("body %v", got)
			}
		})
	}
	got, _ := idpBody(full, false)
	if !reflect.DeepEqual(got["scopes"], []string{"openid", "email"}) {
		t.Errorf("scopes %v", got["scopes"])
	}
}

func withSecret(f idpForm, s string) idpForm { f.ClientSecret = s; return f }

func TestEnvBodyAndConfirm(t *testing.T) {
	tests := []struct {
		name string
		in   envForm
		msg  Msg
	}{
		{name: "sandbox", in: envForm{Name: "Test", Type: resource.EnvSandbox}},
		{name: "production", in: envForm{Name: "Live", Type: resource.EnvProduction, Description: "d"}},
		{name: "noName", in: envForm{Type: resource.EnvSandbox}, msg: MsgConNameRequired},
		{name: "badType", in: envForm{Name: "X", Type: "STAGING"}, msg: MsgConEnvTypeRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := envBody(tt.in)
			if msg != tt.msg {
				t.Fatalf("msg %q, want %q", msg, tt.msg)
			}
			if msg == "" && (got["name"] != tt.in.Name || got["type"] != tt.in.Type) {
				t.Errorf("body %v", got)
			}
		})
	}
	for _, c := range []struct {
		typed, name string
		ok          bool
	}{{"Test", "Test", true}, {" Test ", "Test", true}, {"test", "Test", false}, {"", "", false}, {"Tes", "Test", false}} {
		if got := deleteConfirmed(c.typed, c.name); got != c.ok {
			t.Errorf("deleteConfirmed(%q, %q) = %v", c.typed, c.name, got)
		}
	}
}

// jsonEqual compares two bodies as the server would see them.
func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}

// TestAdminApplicationsWorkerSecret: a new worker's secret is shown once,
// copied on request, gone after Done and not there when the application
// is opened again; the create button stays mounted and disabled while the
// request is under way.
func TestAdminApplicationsWorkerSecret(t *testing.T) {
	list := paths.Build(paths.Applications, testEnv)
	one := paths.Build(paths.Application, testEnv, "w1")
	worker := resource.Application{ID: "w1", Name: "Provisioner", Type: resource.AppWorker, Enabled: true,
		Roles: []resource.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: testEnv}}}
	api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){
		"GET " + list: func(map[string]any) (int, any) {
			return 200, resource.NewList("applications", []resource.Application{}, "x", "")
		},
		"POST " + list: func(map[string]any) (int, any) {
			w := worker
			w.ClientSecret = "the-secret-0123456789"
			return 201, w
		},
		"GET " + one: func(map[string]any) (int, any) { return 200, worker },
	}}
	c := consoleContext(t, api)
	clip := &fakeBrowser{}
	s := &AdminApplications{C: c, browser: clip}
	ctx, e := newHarness(t)
	s.load(ctx)
	s.show("new-worker") // opened while the list loads: the answer leaves it open
	e.ConsumeAll()
	mustID(t, render(t, s), "applications-worker-form")
	s.show("")
	mustID(t, render(t, s), "applications-empty")

	s.show("new-worker")
	s.createWorker(ctx, workerForm{Name: "Provisioner", Enabled: true})
	if got := text(mustID(t, render(t, s), "error")); got != T(MsgConAppRoleRequired) || api.last("POST", list) != nil {
		t.Fatalf("no role: error %q, sent %v", got, api.last("POST", list))
	}
	s.createWorker(ctx, workerForm{Name: "Provisioner", Enabled: true, Roles: []string{resource.RoleEnvironmentAdmin}})
	if b := byID(render(t, s), "applications-create"); b == nil {
		t.Fatal("the create button left the page before the answer")
	} else if disabled := boolAttr(b, "disabled"); !disabled {
		t.Error("the create button is not disabled while the request is under way")
	}
	e.ConsumeAll()
	sent := api.last("POST", list)
	if sent == nil || sent.Body["type"] != resource.AppWorker {
		t.Fatalf("create sent %+v", sent)
	}
	doc := render(t, s)
	if got := text(mustID(t, doc, "applications-secret-value")); got != "the-secret-0123456789" {
		t.Fatalf("secret %q", got)
	}
	if got := text(mustID(t, doc, "applications-client-id")); got != "w1" {
		t.Errorf("client id %q", got)
	}
	if got := text(mustID(t, doc, "applications-roles")); got != "Environment Admin over Default" {
		t.Errorf("roles %q", got)
	}
	s.copySecret()
	if len(clip.copied) != 1 || clip.copied[0] != "the-secret-0123456789" {
		t.Errorf("copied %v", clip.copied)
	}
	mustID(t, render(t, s), "applications-copied")
	if s.list[0].ClientSecret != "" {
		t.Error("the secret is kept in the application list")
	}

	s.secret = "" // Done
	if strings.Contains(dump(render(t, s)), "the-secret") {
		t.Error("the secret is still on the page after Done")
	}
	s.show("")
	s.open(ctx, "w1")
	e.ConsumeAll()
	doc = render(t, s)
	mustID(t, doc, "applications-client-id")
	if byID(doc, "applications-secret-value") != nil || strings.Contains(dump(doc), "the-secret") {
		t.Error("the secret shows again when the worker is opened again")
	}
}

// TestAdminApplicationsRotateAndDelete: rotation asks first and shows the
// new secret once; a server without the routes (404, 405) says so and
// nothing changes on the page.
func TestAdminApplicationsRotateAndDelete(t *testing.T) {
	one := paths.Build(paths.Application, testEnv, "w1")
	worker := consoleApp{Application: resource.Application{ID: "w1", Name: "Provisioner", Type: resource.AppWorker, Enabled: true}}
	tests := []struct {
		name       string
		rotate     func(map[string]any) (int, any)
		wantSecret string
		wantErr    string
	}{
		{name: "secretField", rotate: func(map[string]any) (int, any) { return 200, map[string]string{"secret": "new-1"} }, wantSecret: "new-1"},
		{name: "clientSecretField", rotate: func(map[string]any) (int, any) { return 200, map[string]string{"clientSecret": "new-2"} }, wantSecret: "new-2"},
		{name: "methodNotAllowed", rotate: func(map[string]any) (int, any) { return 405, nil }, wantErr: T(MsgConUnsupported)},
		{name: "noRoute", wantErr: T(MsgConUnsupported)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){}}
			if tt.rotate != nil {
				api.answer["POST "+one+"/secret"] = tt.rotate
			}
			s := &AdminApplications{C: consoleContext(t, api), view: "detail", list: []consoleApp{worker}}
			w := worker
			s.cur = &w
			ctx, e := newHarness(t)
			s.rotate(ctx)
			mustID(t, render(t, s), "applications-confirm-rotate")
			if api.last("POST", one+"/secret") != nil {
				t.Fatal("rotated without asking")
			}
			s.rotate(ctx)
			e.ConsumeAll()
			doc := render(t, s)
			if tt.wantSecret != "" {
				if got := text(mustID(t, doc, "applications-secret-value")); got != tt.wantSecret {
					t.Errorf("secret %q, want %q", got, tt.wantSecret)
				}
				return
			}
			if got := text(mustID(t, doc, "error")); !strings.HasPrefix(got, tt.wantErr) {
				t.Errorf("error %q, want it to start with %q", got, tt.wantErr)
			}
			if byID(doc, "applications-secret-value") != nil {
				t.Error("a secret shows after a failed rotation")
			}
		})
	}

	// Delete: asked first; a 405 keeps the application.
	api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){"DELETE " + one: func(map[string]any) (int, any) { return 405, nil }}}
	s := &AdminApplications{C: consoleContext(t, api), view: "detail", list: []consoleApp{worker}}
	w := worker
	s.cur = &w
	ctx, e := newHarness(t)
	s.remove(ctx)
	s.remove(ctx)
	e.ConsumeAll()
	if api.last("DELETE", one) == nil || len(s.list) != 1 || s.cur == nil || !strings.HasPrefix(s.errText, T(MsgConUnsupported)) {
		t.Errorf("after a 405: list %d, cur %v, error %q", len(s.list), s.cur, s.errText)
	}
	api.answer["DELETE "+one] = func(map[string]any) (int, any) { return 204, nil }
	s.confirm = "delete"
	s.remove(ctx)
	e.ConsumeAll()
	if len(s.list) != 0 || s.cur != nil || s.view != "" {
		t.Errorf("after the delete: list %d, view %q", len(s.list), s.view)
	}

	// The MyAccount application offers no Delete.
	my := consoleApp{Application: resource.Application{ID: "my", Name: "MyAccount", Type: resource.AppSinglePage, MyAccount: true, RedirectURIs: []string{"https://x/"}}}
	s = &AdminApplications{C: consoleContext(t, api), view: "detail", cur: &my}
	wantIDs(t, render(t, s), []string{"applications-edit", "applications-reduced-scopes", "applications-pkce"}, []string{"applications-delete", "applications-rotate"})
}

// TestAdminApplicationsMyAccount: the MyAccount application's page shows
// the reduced-scopes checkbox and the policies; switching it PATCHes the
// application; a read-only administrator cannot switch it.
func TestAdminApplicationsMyAccount(t *testing.T) {
	one := paths.Build(paths.Application, testEnv, "my")
	my := resource.Application{ID: "my", Name: "MyAccount", Type: resource.AppSinglePage, MyAccount: true, Enabled: true}
	api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){
		"GET " + one: func(map[string]any) (int, any) { return 200, my },
		"PATCH " + one: func(b map[string]any) (int, any) {
			m := my
			m.ReducedScopes = b["allowUserActionsByAuthenticationScopes"] == true
			return 200, m
		},
		"GET " + paths.Build(paths.SignOnPolicies, testEnv): func(map[string]any) (int, any) {
			return 200, resource.NewList("signOnPolicies", []resource.SignOnPolicy{{ID: "p1", Name: "Single factor", Default: true, Kind: resource.PolicyPasswordOnly}}, "x", "")
		},
		"GET " + paths.Build(paths.DeviceAuthPolicies, testEnv): func(map[string]any) (int, any) {
			return 200, map[string]any{"_embedded": map[string]any{"deviceAuthenticationPolicies": []map[string]any{
				{"id": "d1", "name": "Default MFA", "applications": []map[string]string{{"id": "my"}}},
				{"id": "d2", "name": "Strict"},
			}}}
		},
	}}
	s := &AdminApplications{C: consoleContext(t, api)}
	ctx, e := newHarness(t)
	s.open(ctx, "my")
	e.ConsumeAll()
	doc := render(t, s)
	box := mustID(t, doc, "applications-reduced-scopes")
	if on := boolAttr(box, "checked"); on {
		t.Error("the checkbox is on for an application without reduced scopes")
	}
	if got := text(mustID(t, doc, "applications-resources")); !strings.Contains(got, "Allow user actions according to granted authentication scopes") {
		t.Errorf("resources %q", got)
	}
	pols := text(mustID(t, doc, "applications-policies"))
	for _, want := range []string{"Single factor", "Password only", "Default MFA", T(MsgConAppPolicyCovers), "Strict", T(MsgConAppPolicyNotCovers)} {
		if !strings.Contains(pols, want) {
			t.Errorf("policies %q lack %q", pols, want)
		}
	}
	s.setReducedScopes(ctx, true)
	if disabled := boolAttr(mustID(t, render(t, s), "applications-reduced-scopes"), "disabled"); !disabled {
		t.Error("the checkbox is not disabled while the PATCH is under way")
	}
	e.ConsumeAll()
	sent := api.last("PATCH", one)
	if sent == nil || !reflect.DeepEqual(sent.Body, map[string]any{"allowUserActionsByAuthenticationScopes": true}) {
		t.Fatalf("PATCH %+v", sent)
	}
	if on := boolAttr(mustID(t, render(t, s), "applications-reduced-scopes"), "checked"); !on {
		t.Error("the checkbox does not follow the server's answer")
	}

	ro := &AdminApplications{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleReadOnly, EnvironmentID: testEnv}), view: "detail", cur: s.cur}
	doc = render(t, ro)
	if disabled := boolAttr(mustID(t, doc, "applications-reduced-scopes"), "disabled"); !disabled {
		t.Error("a read-only administrator can switch reduced scopes")
	}
	wantIDs(t, doc, nil, []string{"applications-edit"})
}

// TestAdminAgreementsFlow: create an agreement, add a language and a
// revision; the revision's text is text, even when it looks like HTML.
func TestAdminAgreementsFlow(t *testing.T) {
	list := paths.Build(paths.Agreements, testEnv)
	langs := paths.Build(paths.AgreementLanguages, testEnv, "ag1")
	revs := paths.Build(paths.AgreementRevisions, testEnv, "ag1", "l1")
	at := time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)
	var language resource.AgreementLanguage
	var revisions []resource.AgreementRevision
	api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){
		"GET " + list: func(map[string]any) (int, any) {
			return 200, resource.NewList("agreements", []resource.Agreement{}, "x", "")
		},
		"POST " + list: func(b map[string]any) (int, any) {
			return 201, resource.Agreement{ID: "ag1", Name: b["name"].(string)}
		},
		"POST " + langs: func(b map[string]any) (int, any) {
			language = resource.AgreementLanguage{ID: "l1", Locale: b["locale"].(string), Enabled: true}
			return 201, language
		},
		"GET " + langs: func(map[string]any) (int, any) {
			return 200, resource.NewList("languages", []resource.AgreementLanguage{language}, "x", "")
		},
		"POST " + revs: func(b map[string]any) (int, any) {
			r := resource.AgreementRevision{ID: "r1", ContentType: b["contentType"].(string), Text: b["text"].(string), EffectiveAt: at}
			revisions = append(revisions, r)
			language.CurrentRevision = &resource.Ref{ID: "r1"}
			return 201, r
		},
		"GET " + revs: func(map[string]any) (int, any) { return 200, resource.NewList("revisions", revisions, "x", "") },
	}}
	s := &AdminAgreements{C: consoleContext(t, api), now: func() time.Time { return at }}
	ctx, e := newHarness(t)
	s.load(ctx)
	e.ConsumeAll()
	mustID(t, render(t, s), "agreements-empty")

	s.openForm("new", "")
	s.create(ctx, agreementForm{Name: ""})
	if api.last("POST", list) != nil || s.formErr != T(MsgConNameRequired) {
		t.Fatalf("empty name: %q", s.formErr)
	}
	s.create(ctx, agreementForm{Name: "Terms"})
	e.ConsumeAll()
	if got := text(mustID(t, render(t, s), "agreements-title")); got != "Terms" {
		t.Fatalf("title %q", got)
	}
	s.openForm("language", "")
	s.addLanguage(ctx, "en")
	e.ConsumeAll()
	s.openForm("revision", "l1")
	s.addRevision(ctx, "l1", revisionForm{Text: "Be kind. <b>Not bold</b>", RequireReconsent: true})
	if disabled := boolAttr(mustID(t, render(t, s), "agreements-add-revision"), "disabled"); !disabled {
		t.Error("the add button is not disabled while the request is under way")
	}
	e.ConsumeAll()
	sent := api.last("POST", revs)
	if sent == nil || sent.Body["effectiveAt"] != "2026-11-23T16:00:00Z" || sent.Body["requireReconsent"] != true {
		t.Fatalf("revision sent %+v", sent)
	}
	doc := render(t, s)
	pre := byClass(mustID(t, doc, "agreements-revisions"), "revision-text")
	if len(pre) != 1 || text(pre[0]) != "Be kind. <b>Not bold</b>" {
		t.Fatalf("revisions:\n%s", dump(mustID(t, doc, "agreements-revisions")))
	}
	if len(findAll(pre[0], func(n *nodeT) bool { return n.Data == "b" })) != 0 {
		t.Error("the revision's text was rendered as markup")
	}
	if got := text(byClass(doc, "agreement-language")[0]); !strings.Contains(got, "en") || !strings.Contains(got, "r1") {
		t.Errorf("language row %q", got)
	}
}

// TestAdminIdentityProvidersSecret: the list says whether a secret is set,
// never what it is; saving an edit with the secret field empty keeps it.
func TestAdminIdentityProvidersSecret(t *testing.T) {
	list := paths.Build(paths.IdentityProviders, testEnv)
	one := paths.Build(paths.IdentityProvider, testEnv, "i1")
	p := resource.ExternalIdentityProvider{ID: "i1", Name: "Corp", Issuer: "https://idp.example", ClientID: "c1", ClientSecretSet: true,
		Scopes: []string{"openid"}, Enabled: true}
	api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){
		"GET " + list: func(map[string]any) (int, any) {
			return 200, resource.NewList("identityProviders", []resource.ExternalIdentityProvider{p}, "x", "")
		},
		"PUT " + one: func(b map[string]any) (int, any) {
			q := p
			q.Name = b["name"].(string)
			return 200, q
		},
	}}
	s := &AdminIdentityProviders{C: consoleContext(t, api)}
	ctx, e := newHarness(t)
	s.load(ctx)
	e.ConsumeAll()
	if got := text(mustID(t, render(t, s), "idps-list")); !strings.Contains(got, "client secret set") {
		t.Errorf("row %q", got)
	}
	s.edit("i1")
	doc := render(t, s)
	if got := text(mustID(t, doc, "idps-secret-status")); got != "Client secret: set" {
		t.Errorf("status %q", got)
	}
	if v, _ := attr(mustID(t, doc, "idps-client-secret"), "value"); v != "" {
		t.Errorf("the secret field holds %q", v)
	}
	mustID(t, doc, "idps-remove-secret")
	s.save(ctx, idpForm{Name: "Corp 2", Issuer: p.Issuer, ClientID: p.ClientID, Scopes: "openid", Enabled: true})
	e.ConsumeAll()
	sent := api.last("PUT", one)
	if sent == nil {
		t.Fatal("no PUT")
	}
	if _, ok := sent.Body["clientSecret"]; ok {
		t.Errorf("the PUT sent clientSecret: %v", sent.Body)
	}
	if s.editing != "" || !strings.Contains(text(mustID(t, render(t, s), "idps-list")), "Corp 2") {
		t.Errorf("after save: editing %q", s.editing)
	}
}

// TestAdminEnvironments: delete needs the name typed again and is never
// offered for the Administrators environment; a change reloads the
// console's list; a server without the route says so.
func TestAdminEnvironments(t *testing.T) {
	api := &consoleAPI{answer: map[string]func(map[string]any) (int, any){
		"DELETE " + paths.Build(paths.Environment, testEnv): func(map[string]any) (int, any) { return 204, nil },
	}}
	c := consoleContext(t, api)
	reloads := 0
	s := &AdminEnvironments{C: c, reloaded: func(app.Context) { reloads++ }}
	doc := render(t, s)
	wantIDs(t, doc, []string{"environments-new", "environments-delete-" + testEnv, "environments-rename-" + testEnv},
		[]string{"environments-delete-" + c.AdminEnv})
	ctx, e := newHarness(t)
	s.open("delete:" + testEnv)
	if disabled := boolAttr(mustID(t, render(t, s), "environments-confirm-delete"), "disabled"); !disabled {
		t.Error("delete is possible before the name is typed")
	}
	s.typed = "default"
	s.remove(ctx, c.Envs[1])
	e.ConsumeAll()
	if api.last("DELETE", paths.Build(paths.Environment, testEnv)) != nil || reloads != 0 {
		t.Fatal("deleted with the wrong name typed")
	}
	s.typed = "Default"
	s.remove(ctx, c.Envs[1])
	e.ConsumeAll()
	if api.last("DELETE", paths.Build(paths.Environment, testEnv)) == nil || reloads != 1 || s.form != "" {
		t.Fatalf("delete: reloads %d, form %q, error %q", reloads, s.form, s.formErr)
	}
	s.remove(ctx, c.Envs[0]) // Administrators: refused here, never sent
	e.ConsumeAll()
	if api.last("DELETE", paths.Build(paths.Environment, c.AdminEnv)) != nil {
		t.Error("the Administrators environment's delete was sent")
	}

	// No POST route (an older server): the error says so, no reload.
	s.open("new")
	s.create(ctx, envForm{Name: "Test", Type: resource.EnvSandbox})
	e.ConsumeAll()
	sent := api.last("POST", paths.Environments)
	if sent == nil || sent.Body["type"] != resource.EnvSandbox || reloads != 1 || !strings.HasPrefix(s.formErr, T(MsgConUnsupported)) {
		t.Errorf("create: %+v reloads %d error %q", sent, reloads, s.formErr)
	}

	// An Environment Admin of Default alone may rename it, not create or delete.
	one := &AdminEnvironments{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleEnvironmentAdmin, EnvironmentID: testEnv})}
	wantIDs(t, render(t, one), []string{"environments-rename-" + testEnv}, []string{"environments-new", "environments-delete-" + testEnv, "environments-rename-" + c.AdminEnv})
}

// boolAttr reads a boolean attribute as go-app's encoder writes it: absent
// or "false" is off.
func boolAttr(n *nodeT, name string) bool {
	v, ok := attr(n, name)
	return ok && v != "false"
}
