package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminApplications is the console's Applications section: the chosen
// environment's OAuth clients. The MyAccount application's page has its
// Resources part (PingOne's "allow user actions according to granted
// authentication scopes") and the policies that apply to it; OIDC
// applications for the portal are created and edited here; worker
// applications get roles for the management API and a client secret that
// is shown once, after creation or rotation, and never again (the server
// keeps only its hash).
type AdminApplications struct {
	app.Compo
	C *AdminContext

	// browser is the clipboard; jsBrowser{} when nil (tests set one).
	browser Browser

	l       adminLoader
	list    []consoleApp
	errText string

	// view is "" (the list), "detail", "new-oidc", "new-worker" or "edit";
	// cur the application of detail and edit.
	view    string
	cur     *consoleApp
	busy    string
	formErr string
	notice  string
	confirm string // "delete" or "rotate" while asking

	// secret is a client secret just made: held in memory for this view
	// only, until Done or leaving the application.
	secret string
	copied bool

	// The MyAccount application's policies.
	signOn   []resource.SignOnPolicy
	devPols  []appDevicePolicy
	policyOK bool
}

// consoleApp is an application as the console reads it: the shared
// resource plus the OIDC attributes a newer server adds (read-only).
type consoleApp struct {
	resource.Application
	PKCEEnforcement         string `json:"pkceEnforcement,omitempty"`
	TokenEndpointAuthMethod string `json:"tokenEndpointAuthMethod,omitempty"`
}

// appDevicePolicy is the little of a device authentication policy the
// MyAccount application's page shows: which applications' device
// management it covers ("Manage PingID devices via MyAccount" adds
// MyAccount to every policy that includes device management).
type appDevicePolicy struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Default      bool           `json:"default"`
	Applications []resource.Ref `json:"applications"`
}

// appSecret is the answer of a secret rotation: PingOne names it
// "secret"; "clientSecret" (the create response's name) is read too.
type appSecret struct {
	Secret       string `json:"secret"`
	ClientSecret string `json:"clientSecret"`
}

// Application types the console creates for users (OIDC code + PKCE):
// public single-page and native apps, and confidential web apps.
var oidcTypes = []string{resource.AppSinglePage, "WEB_APP", "NATIVE_APP"}

// workerRoles are the roles a worker may hold over its own environment,
// with the id suffix of their checkbox.
var workerRoles = []struct{ role, slug string }{
	{resource.RoleEnvironmentAdmin, "env-admin"},
	{resource.RoleIdentityDataAdmin, "identity-data-admin"},
	{resource.RoleReadOnly, "read-only"},
}

// oidcForm is the OIDC application form as read at submit time.
type oidcForm struct {
	Name, Type, RedirectURIs                  string
	Enabled, PortalShow                       bool
	PortalName, PortalIconURL, PortalStartURL string
}

// workerForm is the worker application form as read at submit time.
type workerForm struct {
	Name    string
	Enabled bool
	Roles   []string
}

// oidcBody is the POST (cur nil) or PATCH body of an OIDC application, or
// the message saying what is missing. The portal tile is sent when it is
// shown or was set before; on a PATCH an emptied tile name or icon is
// null (removed).
func oidcBody(f oidcForm, cur *consoleApp) (map[string]any, Msg) {
	name := strings.TrimSpace(f.Name)
	if name == "" {
		return nil, MsgConNameRequired
	}
	uris := lines(f.RedirectURIs)
	if len(uris) == 0 {
		return nil, MsgConAppRedirectRequired
	}
	b := map[string]any{"name": name, "enabled": f.Enabled, "redirectUris": uris}
	if cur == nil {
		typ := f.Type
		if !slices.Contains(oidcTypes, typ) {
			typ = resource.AppSinglePage
		}
		b["type"], b["protocol"] = typ, "OPENID_CONNECT"
	}
	pName, pIcon, pStart := strings.TrimSpace(f.PortalName), strings.TrimSpace(f.PortalIconURL), strings.TrimSpace(f.PortalStartURL)
	if f.PortalShow && pStart == "" {
		return nil, MsgConAppStartRequired
	}
	had := cur != nil && cur.Portal != nil
	if f.PortalShow || had || pName != "" || pIcon != "" || pStart != "" {
		p := map[string]any{"show": f.PortalShow}
		for k, v := range map[string]string{"name": pName, "iconUrl": pIcon, "startUrl": pStart} {
			switch {
			case v != "":
				p[k] = v
			case had:
				p[k] = nil
			}
		}
		b["portal"] = p
	}
	return b, ""
}

// workerBody is the POST (cur nil) or PATCH body of a worker: the roles
// checked, over the chosen environment envID. On a PATCH the roles the
// worker holds over other environments ("*") are kept as they are.
func workerBody(f workerForm, envID string, cur *consoleApp) (map[string]any, Msg) {
	name := strings.TrimSpace(f.Name)
	if name == "" {
		return nil, MsgConNameRequired
	}
	if len(f.Roles) == 0 {
		return nil, MsgConAppRoleRequired
	}
	roles := []map[string]string{}
	if cur != nil {
		for _, r := range cur.Roles {
			if r.EnvironmentID != envID {
				roles = append(roles, map[string]string{"role": r.Role, "environmentId": r.EnvironmentID})
			}
		}
	}
	for _, wr := range workerRoles {
		if slices.Contains(f.Roles, wr.role) {
			roles = append(roles, map[string]string{"role": wr.role, "environmentId": envID})
		}
	}
	b := map[string]any{"name": name, "enabled": f.Enabled, "roles": roles}
	if cur == nil {
		b["type"], b["protocol"] = resource.AppWorker, "OPENID_CONNECT"
	}
	return b, ""
}

// hasSecret reports whether applications of typ authenticate with a
// client secret (and so can rotate it).
func hasSecret(typ string) bool { return typ == resource.AppWorker || typ == "WEB_APP" }

func (s *AdminApplications) clipboard() Browser {
	if s.browser != nil {
		return s.browser
	}
	return jsBrowser{}
}

// OnMount loads the applications.
func (s *AdminApplications) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminApplications) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminApplications) load(ctx app.Context) {
	if s.C != nil && s.l.loadedFor != s.C.Env.ID {
		// Another environment: back to its list. Only here, not when the
		// answer comes, so a form opened meanwhile stays open.
		s.view, s.cur, s.secret, s.notice, s.confirm = "", nil, "", "", ""
	}
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) ([]consoleApp, error) {
		return apiclient.ListOf[consoleApp](ctx, c.API, paths.Build(paths.Applications, c.Env.ID), c.Token, "applications")
	}, func(list []consoleApp, err error) {
		s.list, s.errText = list, ""
		if err != nil {
			s.errText = adminErrorText(err)
		}
	})
}

// show switches view without I/O (forms, back to the list).
func (s *AdminApplications) show(view string) {
	if s.busy != "" {
		return
	}
	s.view, s.formErr, s.notice, s.confirm = view, "", "", ""
	if view == "" {
		s.cur, s.secret, s.copied = nil, "", false
	}
}

// open reads an application (and, for MyAccount, its policies), then
// shows it; the Open button stays mounted (disabled) until then.
func (s *AdminApplications) open(ctx app.Context, id string) {
	if s.busy != "" {
		return
	}
	s.busy, s.errText = "applications-open-"+id, ""
	c := s.C
	var a consoleApp
	var pols appPolicies
	adminAsync(ctx, func(ctx context.Context) error {
		if err := c.API.Call(ctx, "GET", paths.Build(paths.Application, c.Env.ID, id), c.Token, "", nil, &a); err != nil {
			return err
		}
		if a.MyAccount {
			pols = loadAppPolicies(ctx, c)
		}
		return nil
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.errText = adminErrorText(err)
			return
		}
		s.setCurrent(a)
		s.signOn, s.devPols, s.policyOK = pols.signOn, pols.device, pols.ok
		s.view, s.secret, s.copied, s.notice, s.confirm = "detail", "", false, "", ""
	})
}

// appPolicies are the policies shown on the MyAccount application's page.
type appPolicies struct {
	signOn []resource.SignOnPolicy
	device []appDevicePolicy
	ok     bool
}

// loadAppPolicies reads the environment's sign-on and device
// authentication policies; a role that may not read them sees none.
func loadAppPolicies(ctx context.Context, c *AdminContext) appPolicies {
	var p appPolicies
	var err error
	p.signOn, err = apiclient.ListOf[resource.SignOnPolicy](ctx, c.API, paths.Build(paths.SignOnPolicies, c.Env.ID), c.Token, "signOnPolicies")
	if err != nil {
		return p
	}
	p.device, err = apiclient.ListOf[appDevicePolicy](ctx, c.API, paths.Build(paths.DeviceAuthPolicies, c.Env.ID), c.Token, "deviceAuthenticationPolicies")
	p.ok = err == nil
	return p
}

// setCurrent makes a the application shown, and updates its list row.
func (s *AdminApplications) setCurrent(a consoleApp) {
	s.cur = &a
	if i := slices.IndexFunc(s.list, func(x consoleApp) bool { return x.ID == a.ID }); i >= 0 {
		s.list[i] = a
	} else {
		s.list = append(s.list, a)
	}
}

// createOIDC creates an OIDC application; a confidential one's secret is
// shown once.
func (s *AdminApplications) createOIDC(ctx app.Context, f oidcForm) {
	body, msg := oidcBody(f, nil)
	s.send(ctx, "applications-create", "POST", paths.Build(paths.Applications, s.C.Env.ID), body, msg, T(MsgConAppCreated))
}

// createWorker creates a worker application; its secret is shown once.
func (s *AdminApplications) createWorker(ctx app.Context, f workerForm) {
	body, msg := workerBody(f, s.C.Env.ID, nil)
	s.send(ctx, "applications-create", "POST", paths.Build(paths.Applications, s.C.Env.ID), body, msg, T(MsgConAppCreated))
}

// saveOIDC and saveWorker PATCH the application being edited.
func (s *AdminApplications) saveOIDC(ctx app.Context, f oidcForm) {
	if s.cur == nil {
		return
	}
	body, msg := oidcBody(f, s.cur)
	s.send(ctx, "applications-save", "PATCH", paths.Build(paths.Application, s.C.Env.ID, s.cur.ID), body, msg, T(MsgConSaved))
}

func (s *AdminApplications) saveWorker(ctx app.Context, f workerForm) {
	if s.cur == nil {
		return
	}
	body, msg := workerBody(f, s.C.Env.ID, s.cur)
	s.send(ctx, "applications-save", "PATCH", paths.Build(paths.Application, s.C.Env.ID, s.cur.ID), body, msg, T(MsgConSaved))
}

// send writes an application and shows the answer on its page; a client
// secret in the answer (a create) is kept to be shown once.
func (s *AdminApplications) send(ctx app.Context, btn, method, path string, body map[string]any, msg Msg, done string) {
	if s.busy != "" {
		return
	}
	if msg != "" {
		s.formErr = T(msg)
		return
	}
	s.busy, s.formErr = btn, ""
	c := s.C
	var out consoleApp
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, method, path, c.Token, "", body, &out)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.formErr = adminErrorText(err)
			return
		}
		s.secret, s.copied = out.ClientSecret, false
		out.ClientSecret = ""
		keepPolicies := s.cur != nil && s.cur.ID == out.ID
		s.setCurrent(out)
		if !keepPolicies {
			s.signOn, s.devPols, s.policyOK = nil, nil, false
		}
		s.view, s.notice = "detail", done
	})
}

// setReducedScopes switches the MyAccount application's "allow user
// actions according to granted authentication scopes"; the checkbox stays
// mounted (disabled) until the answer.
func (s *AdminApplications) setReducedScopes(ctx app.Context, on bool) {
	if s.busy != "" || s.cur == nil {
		return
	}
	s.busy, s.errText, s.notice = "applications-reduced-scopes", "", ""
	c, id := s.C, s.cur.ID
	var out consoleApp
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, "PATCH", paths.Build(paths.Application, c.Env.ID, id), c.Token, "",
			map[string]any{"allowUserActionsByAuthenticationScopes": on}, &out)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.errText = adminErrorText(err)
			return
		}
		s.setCurrent(out)
		s.notice = T(MsgConSaved)
	})
}

// rotate makes a new client secret after a confirmation; the old one
// stops working at once. A server without the route answers 404 or 405,
// which is shown.
func (s *AdminApplications) rotate(ctx app.Context) {
	if s.busy != "" || s.cur == nil {
		return
	}
	if s.confirm != "rotate" {
		s.confirm, s.errText = "rotate", ""
		return
	}
	s.busy, s.errText = "applications-confirm-rotate", ""
	c, id := s.C, s.cur.ID
	var out appSecret
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, "POST", paths.Build(paths.Application, c.Env.ID, id)+"/secret", c.Token, "", struct{}{}, &out)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.errText = adminNewErrorText(err)
			return
		}
		s.confirm, s.copied = "", false
		s.secret = out.Secret
		if s.secret == "" {
			s.secret = out.ClientSecret
		}
		s.notice = T(MsgConAppRotated)
	})
}

// remove deletes the application after a confirmation (never the
// MyAccount application; the server refuses it too).
func (s *AdminApplications) remove(ctx app.Context) {
	if s.busy != "" || s.cur == nil || s.cur.MyAccount {
		return
	}
	if s.confirm != "delete" {
		s.confirm, s.errText = "delete", ""
		return
	}
	s.busy, s.errText = "applications-confirm-delete", ""
	c, a := s.C, *s.cur
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, "DELETE", paths.Build(paths.Application, c.Env.ID, a.ID), c.Token, "", nil, nil)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.errText = adminNewErrorText(err)
			return
		}
		s.list = slices.DeleteFunc(s.list, func(x consoleApp) bool { return x.ID == a.ID })
		s.view, s.cur, s.secret, s.confirm, s.notice = "", nil, "", "", T(MsgConAppDeleted, a.Name)
	})
}

// copySecret puts the secret on the clipboard.
func (s *AdminApplications) copySecret() {
	if s.secret != "" && s.clipboard().CopyText(s.secret) {
		s.copied = true
	}
}

// Render implements app.Composer.
func (s *AdminApplications) Render() app.UI {
	switch s.view {
	case "detail":
		if s.cur != nil {
			return s.detail()
		}
	case "new-oidc":
		return s.oidcFormUI(nil)
	case "new-worker":
		return s.workerFormUI(nil)
	case "edit":
		if s.cur != nil && s.cur.Type == resource.AppWorker {
			return s.workerFormUI(s.cur)
		}
		if s.cur != nil {
			return s.oidcFormUI(s.cur)
		}
	}
	return s.listUI()
}

func (s *AdminApplications) listUI() app.UI {
	return app.Div().Class("admin-section").Body(
		app.H2().Text(T(MsgConApplications)),
		app.P().Class("hint").Text(T(MsgConAppHint)),
		&ErrorMessage{Text: s.errText},
		app.P().ID("applications-notice").Class("notice").Role("status").Text(s.notice),
		adminListStatus("applications", s.l.loading, s.errText, len(s.list), MsgConAppEmpty),
		app.Ul().ID("applications-list").Class("devices").Body(
			app.Range(s.list).Slice(func(i int) app.UI {
				a := s.list[i]
				id := "applications-open-" + a.ID
				return app.Li().Class("device", "application-row").Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("device-nickname").Text(a.Name),
						app.Span().Class("badge").Text(appTypeText(a.Type)),
						app.If(a.MyAccount, func() app.UI { return app.Span().Class("badge").Text(T(MsgConAppMyAccount)) }),
					),
					app.P().Class("device-status").Text(enabledText(a.Enabled)),
					app.Div().Class("row-actions").Body(
						app.Button().ID(id).Type("button").Class("action").Disabled(s.busy == id).Text(T(MsgConOpen)).
							OnClick(func(ctx app.Context, e app.Event) { s.open(ctx, a.ID) }, app.EventScope(a.ID)),
					),
				)
			}),
		),
		app.If(s.C.CanWrite(), func() app.UI {
			return app.Div().Class("row-actions").Body(
				app.Button().ID("applications-new-oidc").Type("button").Class("action").Text(T(MsgConAppNewOIDC)).
					OnClick(func(ctx app.Context, e app.Event) { s.show("new-oidc") }),
				app.Button().ID("applications-new-worker").Type("button").Class("action").Text(T(MsgConAppNewWorker)).
					OnClick(func(ctx app.Context, e app.Event) { s.show("new-worker") }),
			)
		}),
	)
}

// appTypeText names an application type for people.
func appTypeText(typ string) string {
	switch typ {
	case resource.AppWorker:
		return T(MsgConAppWorker)
	case resource.AppSinglePage:
		return T(MsgConAppSPA)
	case "WEB_APP":
		return T(MsgConAppWeb)
	case "NATIVE_APP":
		return T(MsgConAppNative)
	}
	return typ
}

func (s *AdminApplications) detail() app.UI {
	a := *s.cur
	w := s.C.CanWrite()
	pkce := a.PKCEEnforcement
	if pkce == "" && a.Type != resource.AppWorker {
		pkce = "S256_REQUIRED" // the server requires PKCE with S256 of every code flow (DESIGN §5)
	}
	return app.Div().Class("admin-section").Body(
		app.Button().ID("applications-back").Type("button").Class("link").Text(T(MsgConBack)).
			OnClick(func(ctx app.Context, e app.Event) { s.show("") }),
		app.H2().ID("applications-title").Text(a.Name),
		// A stable slot: the secret appears and goes without moving the
		// controls below it.
		app.Div().ID("applications-secret-slot").Body(
			app.If(s.secret != "", func() app.UI { return s.secretBox() }),
		),
		&ErrorMessage{Text: s.errText},
		app.P().ID("applications-notice").Class("notice").Role("status").Text(s.notice),
		app.Dl().Class("fields").Body(
			app.Dt().Text(T(MsgConAppClientID)), app.Dd().ID("applications-client-id").Class("secret").Text(a.ID),
			app.Dt().Text(T(MsgConAppType)), app.Dd().ID("applications-type").Text(appTypeText(a.Type)),
			app.Dt().Text(T(MsgConStatus)), app.Dd().ID("applications-enabled").Text(enabledText(a.Enabled)),
			app.If(a.TokenEndpointAuthMethod != "", func() app.UI {
				return app.Div().Class("fields-pair").Body(app.Dt().Text(T(MsgConAppAuthMethod)), app.Dd().Text(a.TokenEndpointAuthMethod))
			}),
			app.If(pkce != "", func() app.UI {
				return app.Div().Class("fields-pair").Body(app.Dt().Text(T(MsgConAppPKCE)), app.Dd().ID("applications-pkce").Text(pkce))
			}),
		),
		app.If(len(a.RedirectURIs) > 0, func() app.UI {
			return app.Div().Body(
				app.H3().Text(T(MsgConAppRedirects)),
				app.Ul().ID("applications-redirects").Class("plain-list").Body(
					app.Range(a.RedirectURIs).Slice(func(i int) app.UI { return app.Li().Class("device-target").Text(a.RedirectURIs[i]) }),
				),
			)
		}),
		app.If(a.Type == resource.AppWorker, func() app.UI {
			return app.Div().Body(
				app.H3().Text(T(MsgConAppRoles)),
				app.If(len(a.Roles) == 0, func() app.UI { return app.P().Class("empty").Text(T(MsgConAppNoRoles)) }),
				app.Ul().ID("applications-roles").Class("plain-list").Body(
					app.Range(a.Roles).Slice(func(i int) app.UI {
						r := a.Roles[i]
						return app.Li().Text(T(MsgConAppRoleOver, r.Role, s.envName(r.EnvironmentID)))
					}),
				),
			)
		}),
		app.If(a.Portal != nil, func() app.UI { return s.portalInfo(a.Portal) }),
		app.If(a.MyAccount, func() app.UI { return s.resources(a, w) }),
		app.If(a.MyAccount, func() app.UI { return s.policies(a) }),
		app.If(w, func() app.UI { return s.actions(a) }),
		app.If(s.confirm != "", func() app.UI { return s.confirmBox(a) }),
	)
}

// envName is an environment's name when the console knows it.
func (s *AdminApplications) envName(id string) string {
	if id == "*" {
		return T(MsgConAppEveryEnv)
	}
	for _, e := range s.C.Envs {
		if e.ID == id {
			return e.Name
		}
	}
	return id
}

func (s *AdminApplications) secretBox() app.UI {
	return app.Div().ID("applications-secret").Class("confirm", "app-secret").Role("status").Body(
		app.P().Class("recovery-warn").Text(T(MsgConAppSecretOnce)),
		app.Div().Class("secret-row").Body(
			app.Code().ID("applications-secret-value").Class("secret").Text(s.secret),
		),
		app.Div().Class("row-actions").Body(
			app.Button().ID("applications-copy-secret").Type("button").Class("action").Text(T(MsgConAppCopy)).
				OnClick(func(ctx app.Context, e app.Event) { s.copySecret() }),
			app.Button().ID("applications-secret-done").Type("button").Class("action").Text(T(MsgConAppSecretDone)).
				OnClick(func(ctx app.Context, e app.Event) { s.secret, s.copied = "", false }),
		),
		app.If(s.copied, func() app.UI { return app.P().ID("applications-copied").Class("notice").Text(T(MsgConAppCopied)) }),
	)
}

func (s *AdminApplications) portalInfo(p *resource.AppPortal) app.UI {
	show := T(MsgConAppPortalHidden)
	if p.Show {
		show = T(MsgConAppPortalShown)
	}
	return app.Div().Body(
		app.H3().Text(T(MsgConAppPortal)),
		app.Dl().Class("fields").Body(
			app.Dt().Text(T(MsgConAppPortalTile)), app.Dd().ID("applications-portal-show").Text(show),
			app.Dt().Text(T(MsgConAppPortalName)), app.Dd().Text(orNotSet(p.Name)),
			app.Dt().Text(T(MsgConAppPortalIcon)), app.Dd().Text(orNotSet(p.IconURL)),
			app.Dt().Text(T(MsgConAppPortalStart)), app.Dd().Text(orNotSet(p.StartURL)),
		),
	)
}

// resources is the MyAccount application's Resources part: the reduced
// scopes switch, which "Manage PingID devices via MyAccount" turns on and
// which can be turned off here on its own.
func (s *AdminApplications) resources(a consoleApp, w bool) app.UI {
	return app.Div().ID("applications-resources").Class("admin-subsection").Body(
		app.H3().Text(T(MsgConAppResources)),
		app.Div().Class("choice", "admin-check").Body(
			app.Input().Type("checkbox").ID("applications-reduced-scopes").Checked(a.ReducedScopes).
				Disabled(!w || s.busy == "applications-reduced-scopes").
				OnChange(func(ctx app.Context, e app.Event) {
					s.setReducedScopes(ctx, ctx.JSSrc().Get("checked").Bool())
				}),
			app.Label().For("applications-reduced-scopes").Text(T(MsgConAppReducedScopes)),
		),
		app.P().Class("field-hint").Text(T(MsgConAppReducedHint)),
	)
}

// policies shows what applies to the MyAccount application: the sign-on
// policy (whether it has an MFA step, which reduced scopes need) and the
// device authentication policies covering its device management.
func (s *AdminApplications) policies(a consoleApp) app.UI {
	return app.Div().ID("applications-policies").Class("admin-subsection").Body(
		app.H3().Text(T(MsgConAppPolicies)),
		app.If(!s.policyOK, func() app.UI { return app.P().Class("empty").Text(T(MsgConAppPoliciesUnread)) }),
		app.Ul().ID("applications-signon-policies").Class("devices").Body(
			app.Range(s.signOn).Slice(func(i int) app.UI {
				p := s.signOn[i]
				kind := T(MsgConAppPolicyPassword)
				if p.Kind == resource.PolicyPasswordMFA {
					kind = T(MsgConAppPolicyMFA)
				}
				return app.Li().Class("device", "signon-policy").Body(
					app.Div().Class("device-head").Body(app.Span().Class("device-nickname").Text(p.Name), app.Span().Class("badge").Text(kind)),
				)
			}),
		),
		app.Ul().ID("applications-device-policies").Class("devices").Body(
			app.Range(s.devPols).Slice(func(i int) app.UI {
				p := s.devPols[i]
				covers := slices.ContainsFunc(p.Applications, func(r resource.Ref) bool { return r.ID == a.ID })
				text := T(MsgConAppPolicyNotCovers)
				if covers {
					text = T(MsgConAppPolicyCovers)
				}
				return app.Li().Class("device", "device-policy").Body(
					app.Div().Class("device-head").Body(app.Span().Class("device-nickname").Text(p.Name)),
					app.P().Class("device-status").Text(text),
				)
			}),
		),
	)
}

func (s *AdminApplications) actions(a consoleApp) app.UI {
	return app.Div().Class("row-actions").Body(
		app.Button().ID("applications-edit").Type("button").Class("action").Text(T(MsgConEdit)).
			OnClick(func(ctx app.Context, e app.Event) { s.show("edit") }),
		app.If(hasSecret(a.Type), func() app.UI {
			return app.Button().ID("applications-rotate").Type("button").Class("action").Text(T(MsgConAppRotate)).
				OnClick(func(ctx app.Context, e app.Event) { s.rotate(ctx) })
		}),
		app.If(!a.MyAccount, func() app.UI {
			return app.Button().ID("applications-delete").Type("button").Class("action").Text(T(MsgConDelete)).
				OnClick(func(ctx app.Context, e app.Event) { s.remove(ctx) })
		}),
	)
}

func (s *AdminApplications) confirmBox(a consoleApp) app.UI {
	q, id, label := T(MsgConAppDeleteQ, a.Name), "applications-confirm-delete", T(MsgConDelete)
	act := s.remove
	if s.confirm == "rotate" {
		q, id, label, act = T(MsgConAppRotateQ, a.Name), "applications-confirm-rotate", T(MsgConAppRotate), s.rotate
	}
	return app.Div().Class("confirm").Body(
		app.P().Text(q),
		app.Div().Class("row-actions").Body(
			app.Button().ID(id).Type("button").Class("action", "danger").Disabled(s.busy == id).Text(label).
				OnClick(func(ctx app.Context, e app.Event) { act(ctx) }, app.EventScope(s.confirm)),
			app.Button().ID("applications-cancel-confirm").Type("button").Class("action").Text(T(MsgCancel)).
				OnClick(func(ctx app.Context, e app.Event) {
					if s.busy == "" {
						s.confirm = ""
					}
				}),
		),
	)
}

func (s *AdminApplications) cancelButton() app.UI {
	back := ""
	if s.view == "edit" {
		back = "detail"
	}
	return app.Button().ID("applications-cancel").Type("button").Class("link").Text(T(MsgCancel)).
		OnClick(func(ctx app.Context, e app.Event) { s.show(back) })
}

// oidcFormUI is the form of a new (cur nil) or existing OIDC application.
func (s *AdminApplications) oidcFormUI(cur *consoleApp) app.UI {
	title, btn := T(MsgConAppNewOIDC), "applications-create"
	f := oidcForm{Enabled: true, Type: resource.AppSinglePage}
	if cur != nil {
		title, btn = T(MsgConAppEdit, cur.Name), "applications-save"
		f = oidcForm{Name: cur.Name, Type: cur.Type, Enabled: cur.Enabled, RedirectURIs: strings.Join(cur.RedirectURIs, "\n")}
		if p := cur.Portal; p != nil {
			f.PortalShow, f.PortalName, f.PortalIconURL, f.PortalStartURL = p.Show, p.Name, p.IconURL, p.StartURL
		}
	}
	scope := "new"
	if cur != nil {
		scope = cur.ID
	}
	return app.Form().ID("applications-oidc-form").Class("admin-section", "admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		in := oidcForm{Name: formValue(ctx, "applications-name"), Type: formValue(ctx, "applications-type"),
			RedirectURIs: formValue(ctx, "applications-redirects"), Enabled: adminFormChecked(ctx, "applications-enabled"),
			PortalShow: adminFormChecked(ctx, "applications-portal-show"), PortalName: formValue(ctx, "applications-portal-name"),
			PortalIconURL: formValue(ctx, "applications-portal-icon"), PortalStartURL: formValue(ctx, "applications-portal-start")}
		if cur == nil {
			s.createOIDC(ctx, in)
		} else {
			s.saveOIDC(ctx, in)
		}
	}, app.EventScope(scope)).Body(
		app.H2().Text(title),
		adminField(T(MsgConName), "applications-name", f.Name, app.Input().Type("text").MaxLength(256).Required(true)),
		app.If(cur == nil, func() app.UI {
			return app.Div().Class("field").Body(
				app.Label().For("applications-type").Text(T(MsgConAppType)),
				app.Select().ID("applications-type").Name("applications-type").Body(
					app.Range(oidcTypes).Slice(func(i int) app.UI {
						t := oidcTypes[i]
						return app.Option().Value(t).Selected(t == f.Type).Text(appTypeText(t))
					}),
				),
				app.P().Class("field-hint").Text(T(MsgConAppTypeHint)),
			)
		}),
		adminTextarea(T(MsgConAppRedirects), "applications-redirects", f.RedirectURIs, T(MsgConAppRedirectsHint)),
		adminCheckbox(T(MsgConEnabled), "applications-enabled", f.Enabled),
		app.FieldSet().Class("profile-section").Body(
			app.Legend().Text(T(MsgConAppPortal)),
			adminCheckbox(T(MsgConAppPortalShow), "applications-portal-show", f.PortalShow),
			adminField(T(MsgConAppPortalName), "applications-portal-name", f.PortalName, app.Input().Type("text").MaxLength(256)),
			adminField(T(MsgConAppPortalIcon), "applications-portal-icon", f.PortalIconURL, app.Input().Type("url")),
			adminField(T(MsgConAppPortalStart), "applications-portal-start", f.PortalStartURL, app.Input().Type("url")),
		),
		app.P().Class("field-hint").Text(T(MsgConAppPKCEHint)),
		&ErrorMessage{Text: s.formErr},
		adminSubmit(btn, T(MsgConSave), s.busy == btn),
		s.cancelButton(),
	)
}

// workerFormUI is the form of a new (cur nil) or existing worker.
func (s *AdminApplications) workerFormUI(cur *consoleApp) app.UI {
	title, btn := T(MsgConAppNewWorker), "applications-create"
	f := workerForm{Enabled: true}
	if cur != nil {
		title, btn = T(MsgConAppEdit, cur.Name), "applications-save"
		f = workerForm{Name: cur.Name, Enabled: cur.Enabled}
		for _, r := range cur.Roles {
			if r.EnvironmentID == s.C.Env.ID {
				f.Roles = append(f.Roles, r.Role)
			}
		}
	}
	scope := "new"
	if cur != nil {
		scope = cur.ID
	}
	return app.Form().ID("applications-worker-form").Class("admin-section", "admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		in := workerForm{Name: formValue(ctx, "applications-name"), Enabled: adminFormChecked(ctx, "applications-enabled")}
		for _, wr := range workerRoles {
			if adminFormChecked(ctx, "applications-role-"+wr.slug) {
				in.Roles = append(in.Roles, wr.role)
			}
		}
		if cur == nil {
			s.createWorker(ctx, in)
		} else {
			s.saveWorker(ctx, in)
		}
	}, app.EventScope(scope)).Body(
		app.H2().Text(title),
		app.P().Class("hint").Text(T(MsgConAppWorkerHint)),
		adminField(T(MsgConName), "applications-name", f.Name, app.Input().Type("text").MaxLength(256).Required(true)),
		adminCheckbox(T(MsgConEnabled), "applications-enabled", f.Enabled),
		app.FieldSet().Class("profile-section").Body(
			app.Legend().Text(T(MsgConAppRolesOver, s.C.Env.Name)),
			app.Range(workerRoles).Slice(func(i int) app.UI {
				wr := workerRoles[i]
				return adminCheckbox(wr.role, "applications-role-"+wr.slug, slices.Contains(f.Roles, wr.role))
			}),
		),
		&ErrorMessage{Text: s.formErr},
		adminSubmit(btn, T(MsgConSave), s.busy == btn),
		s.cancelButton(),
	)
}
