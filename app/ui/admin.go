package ui

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// The admin console (/admin/) signs on to the Administrators environment
// exactly like MyAccount (code + PKCE as that environment's MyAccount
// application, redirect URI /admin/, tokens in wasm memory) and then works
// on every environment the administrator's roles cover. Every action is a
// management API call under the server's role checks: the console hides
// what a role cannot do, it never decides it.
//
// Sections are the console's pages (adminSections). Each is a component
// given the console's context (AdminContext); it loads what it shows on
// mount and again when the chosen environment changes (OnUpdate), and
// calls the API through Context.API with Context.Token.

// AdminContext is what every console section works with.
type AdminContext struct {
	API   *apiclient.Client
	Token string
	// Me is the signed-on administrator; Roles the roles they hold.
	Me    resource.User
	Roles []resource.RoleAssignment
	// Env is the environment the section works on; AdminEnv the console's.
	Env      resource.Environment
	AdminEnv string
	// Envs are the environments the administrator holds a role over.
	Envs []resource.Environment
	// Reload reads the environment list again (after a create, rename or
	// delete) and re-renders the console.
	Reload func(ctx app.Context)
}

// CanWrite reports whether the administrator may change settings of the
// chosen environment (Environment Admin); CanEditUsers whether they may
// change its users (Environment or Identity Data Admin). The server checks
// again; the console only hides controls that would be refused.
func (c *AdminContext) CanWrite() bool {
	return c.hasRole(resource.RoleEnvironmentAdmin)
}

// CanEditUsers: see CanWrite.
func (c *AdminContext) CanEditUsers() bool {
	return c.hasRole(resource.RoleEnvironmentAdmin, resource.RoleIdentityDataAdmin)
}

func (c *AdminContext) hasRole(roles ...string) bool {
	for _, r := range c.Roles {
		if (r.EnvironmentID == "*" || r.EnvironmentID == c.Env.ID) && slices.Contains(roles, r.Role) {
			return true
		}
	}
	return false
}

// adminSection is one page of the console.
type adminSection struct {
	id    string
	label Msg
	// render draws the section; the console passes its current context.
	render func(c *AdminContext) app.UI
}

// adminSections are the console's pages in menu order. The first is the
// one a bare /admin/ opens.
func adminSections() []adminSection {
	return []adminSection{
		{id: "overview", label: MsgAdminOverview, render: func(c *AdminContext) app.UI { return &AdminOverview{C: c} }},
		{id: "users", label: MsgAdminUsers, render: func(c *AdminContext) app.UI { return &AdminUsers{C: c} }},
		{id: "security", label: MsgAdminSecurity, render: func(c *AdminContext) app.UI { return &AdminSecurity{C: c} }},
		{id: "selfservice", label: MsgAdminCSSelfService, render: func(c *AdminContext) app.UI { return &AdminSelfService{C: c} }},
		{id: "signon", label: MsgAdminCSSignOn, render: func(c *AdminContext) app.UI { return &AdminSignOn{C: c} }},
		{id: "mfa", label: MsgAdminCSMFA, render: func(c *AdminContext) app.UI { return &AdminMFA{C: c} }},
		{id: "passwords", label: MsgAdminCSPasswords, render: func(c *AdminContext) app.UI { return &AdminPasswords{C: c} }},
		{id: "applications", label: MsgConApplications, render: func(c *AdminContext) app.UI { return &AdminApplications{C: c} }},
		{id: "idps", label: MsgConIdps, render: func(c *AdminContext) app.UI { return &AdminIdentityProviders{C: c} }},
		{id: "agreements", label: MsgConAgreements, render: func(c *AdminContext) app.UI { return &AdminAgreements{C: c} }},
		{id: "branding", label: MsgAdminBranding, render: func(c *AdminContext) app.UI { return &AdminBranding{C: c} }},
		{id: "outbox", label: MsgAdminOutbox, render: func(c *AdminContext) app.UI { return &AdminOutbox{C: c} }},
		{id: "environments", label: MsgConEnvironments, render: func(c *AdminContext) app.UI { return &AdminEnvironments{C: c} }},
	}
}

// adminSectionByID returns the section with id, or the first one.
func adminSectionByID(id string) adminSection {
	all := adminSections()
	for _, s := range all {
		if s.id == id {
			return s
		}
	}
	return all[0]
}

// adminEnvKey keeps the chosen environment across reloads (not a secret).
const adminEnvKey = "admin.env"

// AdminPage is /admin/, the admin console.
type AdminPage struct {
	app.Compo

	// acct is set by tests; OnMount wires the browser's when nil.
	acct *account

	phase    phase
	sess     *session
	errText  string
	retry    retryKind
	retrying bool
	pageURL  url.URL

	ctx     *AdminContext
	section string
	// mfaOff is true while the Administrators sign-on policy asks for a
	// password only: the console nags until MFA is required.
	mfaOff  bool
	policy  resource.SignOnPolicy
	mfaBusy bool
	mfaErr  string
}

// adminData is what the console loads once signed on.
type adminData struct {
	me       resource.User
	roles    []resource.RoleAssignment
	envs     []resource.Environment
	policy   resource.SignOnPolicy
	havePol  bool
	err      Msg
	canRetry bool
}

// OnMount finds out which environment the console signs on to, then who
// is signed on.
func (p *AdminPage) OnMount(ctx app.Context) { p.mount(ctx, ctx.Page().URL()) }

func (p *AdminPage) mount(ctx app.Context, u *url.URL) {
	p.pageURL = *u
	p.section = adminSectionByID(strings.TrimPrefix(u.Fragment, "#")).id
	p.phase, p.errText, p.retry = phaseLoading, "", retryNone
	if p.acct != nil {
		p.begin(ctx)
		return
	}
	ctx.Async(func() {
		cfg, err := apiclient.New(apiclient.Config{}).GetAdminConfig(context.Background())
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.phase, p.errText, p.retry = phaseError, T(MsgErrGeneric), retryStart
				return
			}
			p.acct = browserAccount(ctx, cfg.EnvironmentID)
			p.begin(ctx)
		})
	})
}

// begin signs on (or finishes signing on) to the Administrators
// environment, coming back to /admin/.
func (p *AdminPage) begin(ctx app.Context) {
	p.acct.redirectFor = func(pub, _ string) string { return strings.TrimRight(pub, "/") + paths.Admin }
	authenticate(ctx, p.acct, p.pageURL, retryStart, "", p.applyAuth)
}

// applyAuth acts on the sign-on outcome.
func (p *AdminPage) applyAuth(ctx app.Context, r authResult) {
	if r.clean != nil {
		clean := *r.clean
		clean.Fragment = r.fragment
		p.pageURL = clean
		ctx.Page().ReplaceURL(&clean)
		if r.fragment != "" {
			p.section = adminSectionByID(r.fragment).id
		}
	}
	switch {
	case r.redirect != "":
		p.phase = phaseLeaving
		p.acct.browser.Redirect(r.redirect)
	case r.offline:
		p.phase, p.errText, p.retry = phaseError, T(MsgAdminOffline), retryStart
	case r.err != "":
		p.phase, p.errText = phaseError, T(r.err)
		if r.canRetry {
			p.retry = retrySignOn
		}
	case r.sess != nil:
		p.sess = r.sess
		p.load(ctx, "")
	}
}

// load reads the administrator, the environments and the Administrators
// sign-on policy, then shows the console on env (or the last one chosen).
func (p *AdminPage) load(ctx app.Context, env string) {
	a, s := p.acct, *p.sess
	ctx.Async(func() {
		d := loadAdmin(context.Background(), a, s)
		ctx.Dispatch(func(ctx app.Context) { p.applyData(ctx, d, env) })
	})
}

func loadAdmin(ctx context.Context, a *account, s session) adminData {
	var d adminData
	me, err := a.api.GetMe(ctx, s.sub, s.accessToken)
	if err == nil {
		d.me = me
		d.roles, err = apiclient.ListOf[resource.RoleAssignment](ctx, a.api, paths.Build(paths.UserRoleAssignments, a.env, s.sub), s.accessToken, "roleAssignments")
	}
	if err == nil {
		d.envs, err = a.api.ListEnvironments(ctx, s.accessToken)
	}
	if err == nil {
		var pols []resource.SignOnPolicy
		pols, err = apiclient.ListOf[resource.SignOnPolicy](ctx, a.api, paths.Build(paths.SignOnPolicies, a.env), s.accessToken, "signOnPolicies")
		for _, pol := range pols {
			if pol.Default || !d.havePol {
				d.policy, d.havePol = pol, true
			}
		}
		if e, ok := apiclient.AsAPIError(err); ok && e.Status == 403 {
			err = nil // a read-only or user-data administrator: no nag to show
		}
	}
	if err != nil {
		d.err = MsgErrGeneric
		if e, ok := apiclient.AsAPIError(err); ok && e.Status == 401 {
			d.err, d.canRetry = MsgErrSession, true
		}
		if apiclient.IsNetwork(err) {
			d.err = MsgAdminOffline
		}
		return d
	}
	if len(d.envs) == 0 {
		d.err = MsgAdminNoRoles
	}
	return d
}

func (p *AdminPage) applyData(ctx app.Context, d adminData, want string) {
	if d.err != "" {
		p.phase, p.errText = phaseError, T(d.err)
		if d.canRetry {
			p.retry = retrySignOn
		}
		return
	}
	if want == "" {
		_ = p.acct.local.Get(adminEnvKey, &want)
	}
	chosen := d.envs[0]
	for _, e := range d.envs {
		if e.ID == want || (want == "" && !e.Administrators && chosen.Administrators) {
			chosen = e
		}
	}
	p.policy, p.mfaOff = d.policy, d.havePol && d.policy.Kind == resource.PolicyPasswordOnly
	p.ctx = &AdminContext{API: p.acct.api, Token: p.sess.accessToken, Me: d.me, Roles: d.roles, Env: chosen,
		AdminEnv: p.acct.env, Envs: d.envs, Reload: func(ctx app.Context) { p.load(ctx, p.ctx.Env.ID) }}
	p.phase = phaseReady
}

// onEnvChange switches the environment every section works on.
func (p *AdminPage) onEnvChange(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("value").String()
	p.chooseEnv(id)
}

func (p *AdminPage) chooseEnv(id string) {
	if p.ctx == nil {
		return
	}
	for _, e := range p.ctx.Envs {
		if e.ID == id {
			c := *p.ctx
			c.Env = e
			p.ctx = &c
			_ = p.acct.local.Set(adminEnvKey, id)
			return
		}
	}
}

// onSection opens a section; the address bar keeps it for a reload.
func (p *AdminPage) onSection(ctx app.Context, id string) {
	p.section = adminSectionByID(id).id
	u := p.pageURL
	u.Fragment = p.section
	p.pageURL = u
	ctx.Page().ReplaceURL(&u)
}

// onRequireMFA switches the Administrators sign-on policy to password +
// MFA. The button stays mounted (disabled) until the answer.
func (p *AdminPage) onRequireMFA(ctx app.Context, e app.Event) {
	if p.mfaBusy || p.sess == nil || p.ctx == nil || !p.ctx.Me.MFAEnabled {
		return
	}
	p.mfaBusy, p.mfaErr = true, ""
	pol := p.policy
	pol.Kind = resource.PolicyPasswordMFA
	body := map[string]any{"name": pol.Name, "kind": pol.Kind, "enrollDuringSignOn": pol.EnrollDuringSignOn,
		"deviceSelection": pol.DeviceSelection}
	if pol.AgreementID != "" {
		body["agreementId"] = pol.AgreementID
	}
	a, tok := p.acct, p.sess.accessToken
	ctx.Async(func() {
		var out resource.SignOnPolicy
		err := a.api.Call(context.Background(), "PUT", paths.Build(paths.SignOnPolicy, a.env, pol.ID), tok, "", body, &out)
		ctx.Dispatch(func(ctx app.Context) {
			p.mfaBusy = false
			if err != nil {
				p.mfaErr = adminErrorText(err)
				return
			}
			p.policy, p.mfaOff = out, out.Kind == resource.PolicyPasswordOnly
		})
	})
}

// onSignoff ends the console's SSO session.
func (p *AdminPage) onSignoff(ctx app.Context, e app.Event) {
	if p.sess == nil {
		return
	}
	to := p.acct.signoff(*p.sess)
	p.sess, p.ctx, p.phase = nil, nil, phaseLeaving
	p.acct.browser.Redirect(to)
}

// onRetry starts again or signs on again (the button stays mounted).
func (p *AdminPage) onRetry(ctx app.Context, e app.Event) {
	if p.retrying {
		return
	}
	if p.acct == nil {
		p.mount(ctx, &p.pageURL)
		return
	}
	p.retrying = true
	authenticate(ctx, p.acct, p.pageURL, p.retry, p.section, func(ctx app.Context, r authResult) {
		p.retrying, p.retry, p.errText = false, retryNone, ""
		p.applyAuth(ctx, r)
	})
}

// adminErrorText is what a failed console call shows: the server's
// message (it names the field or the rule), else a generic text.
func adminErrorText(err error) string {
	e, ok := apiclient.AsAPIError(err)
	if !ok {
		if apiclient.IsNetwork(err) {
			return T(MsgAdminOffline)
		}
		return T(MsgErrGeneric)
	}
	msg := e.Message
	for _, d := range e.Details {
		if d.Message != "" {
			msg += " " + d.Message
		}
	}
	return strings.TrimSpace(msg)
}

// Render implements app.Composer.
func (p *AdminPage) Render() app.UI {
	return app.Div().Class("shell", "admin").Body(
		app.Header().Class("topbar").Body(
			app.Span().Class("brand").Text(T(MsgAdminName)),
			app.If(p.phase == phaseReady && p.ctx != nil, func() app.UI {
				return app.Div().Class("admin-top").Body(
					app.Label().For("admin-env").Class("visually-hidden").Text(T(MsgAdminEnvironment)),
					app.Select().ID("admin-env").Class("admin-env").OnChange(p.onEnvChange).Body(
						app.Range(p.ctx.Envs).Slice(func(i int) app.UI {
							e := p.ctx.Envs[i]
							return app.Option().Value(e.ID).Selected(e.ID == p.ctx.Env.ID).Text(e.Name)
						}),
					),
					app.Button().ID("signoff").Type("button").Class("secondary").Text(T(MsgSignOff)).OnClick(p.onSignoff),
				)
			}),
		),
		app.If(p.phase == phaseReady && p.mfaOff, func() app.UI { return p.nag() }),
		app.Main().ID("main").Class("content", "admin-content").Body(p.main()),
	)
}

// nag is the banner shown while administrators sign on with a password
// only: pair a device in MyAccount, then require MFA (PingOne's getting
// started order, DESIGN §5).
func (p *AdminPage) nag() app.UI {
	myAccount := paths.Build(paths.MyAccount, p.acct.env)
	// Without a device of their own the administrator would lock
	// themselves out at the next sign-on: pair one first. (Disabled is
	// set only when true: go-app writes a false one as disabled="false".)
	require := app.Button().ID("admin-require-mfa").Type("button").Class("action").Text(T(MsgAdminRequireMFA)).OnClick(p.onRequireMFA)
	if p.mfaBusy || !p.ctx.Me.MFAEnabled {
		require = require.Disabled(true)
	}
	return app.Div().ID("admin-mfa-nag").Class("banner", "banner-offline").Role("status").Body(
		app.P().Text(T(MsgAdminMFANag)),
		app.Div().Class("row-actions").Body(
			app.A().ID("admin-open-myaccount").Class("action").Href(myAccount+"#mfa").Text(T(MsgAdminOpenMyAccount)),
			require,
		),
		app.If(!p.ctx.Me.MFAEnabled, func() app.UI { return app.P().ID("admin-pair-first").Class("hint").Text(T(MsgAdminPairFirst)) }),
		app.If(p.mfaErr != "", func() app.UI { return &ErrorMessage{Text: p.mfaErr} }),
	)
}

func (p *AdminPage) main() app.UI {
	switch p.phase {
	case phaseLoading:
		return &Loading{Label: T(MsgLoading)}
	case phaseLeaving:
		return &Loading{Label: T(MsgRedirecting)}
	case phaseError:
		return errorCard(p.errText, p.retry, p.retrying, p.onRetry)
	}
	sections := adminSections()
	tabs := make([]Tab, len(sections))
	for i, s := range sections {
		tabs[i] = Tab{ID: s.id, Label: T(s.label)}
	}
	sec := adminSectionByID(p.section)
	return app.Div().Class("admin-layout").Body(
		&Tabs{Label: T(MsgAdminSections), Tabs: tabs, Active: sec.id, OnSelect: p.onSection},
		app.Section().ID("panel-"+sec.id).Class("card", "admin-panel").Role("tabpanel").Aria("labelledby", "tab-"+sec.id).Body(
			sec.render(p.ctx),
		),
	)
}
