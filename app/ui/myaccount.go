package ui

import (
	"context"
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// EnvPublicURL is the go-app Env key carrying the server's public URL (the
// fallback when an environment's config.json has none).
const EnvPublicURL = "MYACCOUNT_PUBLIC_URL"

// phase is where the MyAccount page is.
type phase int

const (
	phaseLoading phase = iota // finding out who is signed on
	phaseLeaving              // on the way to the server (authorize, sign-off)
	phaseReady                // showing tabs
	phaseError                // showing an error
)

// retryKind is what the error state's button does.
type retryKind int

const (
	retryNone   retryKind = iota
	retrySignOn           // interactive sign-on
	retryStart            // start over (after being offline)
)

// tabSpec is one MyAccount tab and what makes it appear: its feature is
// built and the token was granted its scope.
type tabSpec struct {
	id    string
	label Msg
	scope string
	built bool
	// orScope also makes the tab appear (the Consents tab shows
	// agreements, applications, or both).
	orScope string
}

// tabSpecs lists the tabs in order; a tab not built yet stays hidden.
func tabSpecs() []tabSpec {
	return []tabSpec{
		{id: "profile", label: MsgTabProfile, scope: scope.ReadUser, built: true},
		{id: "mfa", label: MsgTabMFA, scope: scope.ReadDevice, built: true},
		{id: "password", label: MsgTabPassword, scope: scope.ValidateUserPassword, built: true},
		{id: "sessions", label: MsgTabSessions, scope: scope.ReadSessions, built: true},
		{id: "activity", label: MsgTabActivity, scope: scope.ReadSessions, built: true},
		{id: "consents", label: MsgTabConsents, scope: scope.ReadUserConsent, orScope: scope.ReadOAuthConsent, built: true},
	}
}

// visibleTabs are the tabs whose feature works with the granted scopes.
func visibleTabs(granted scope.Set) []Tab {
	var out []Tab
	for _, t := range tabSpecs() {
		if t.built && (granted.Has(t.scope) || t.orScope != "" && granted.Has(t.orScope)) {
			out = append(out, Tab{ID: t.id, Label: T(t.label)})
		}
	}
	return out
}

// activeTab is want if visible, else the first visible tab.
func activeTab(tabs []Tab, want string) string {
	for _, t := range tabs {
		if t.ID == want {
			return want
		}
	}
	if len(tabs) > 0 {
		return tabs[0].ID
	}
	return ""
}

// MyAccountPage is /{envId}/myaccount/: it signs the user on (OAuth code +
// PKCE, tokens in memory only), shows the tabs their scopes allow, keeps
// an offline copy, and signs off.
type MyAccountPage struct {
	app.Compo

	// acct is set by tests; OnMount wires the browser's when nil.
	acct *account

	env     string
	phase   phase
	sess    *session
	scopes  scope.Set
	user    *resource.User
	devices []resource.Device
	loading bool // data on its way
	loaded  bool
	offline bool
	errText string
	retry   retryKind
	// retrying is true while a retry is on its way (its button disabled).
	retrying bool
	// verifying is true while a step-up is on its way (stepUpTo).
	verifying bool
	tab       string
	pageURL   url.URL
	methods   methodsState
	// recovery is the Authentication tab's recovery-code panel (recovery.go).
	recovery recoveryState
	pw       passwordTab
	// pairing is config.json's pairing rules, read at sign-on (pairing.go).
	pairing *resource.AppPairing
	// sessions and activity are the Sessions and Activity tabs (sessions.go).
	sessions sessionsTab
	linked   linkedTab
	linkIdPs []resource.AppIdentityProvider // providers to link (federation.go)
	activity activityTab
	// profile is the My profile tab's form (profile.go).
	profile profileState
	// consents is the Consents tab (consents.go).
	consents consentsTab
	// appConsents and consentHistory are its applications and history
	// (oauthconsents.go).
	appConsents    appConsentsTab
	consentHistory consentHistoryTab
}

// OnMount works out who is signed on.
func (p *MyAccountPage) OnMount(ctx app.Context) { p.mount(ctx, ctx.Page().URL()) }

func (p *MyAccountPage) mount(ctx app.Context, u *url.URL) {
	p.pageURL = *u
	p.env = envFromPath(p.pageURL.Path)
	if p.env == "" {
		p.phase, p.errText = phaseError, T(MsgErrUnknownEnv)
		return
	}
	if p.acct == nil {
		p.acct = browserAccount(ctx, p.env)
	}
	if p.pageURL.Fragment != "" {
		p.tab = p.pageURL.Fragment
	}
	p.keepLinkError()
	p.start(ctx)
}

// OnNav follows #fragment changes (back/forward, a pasted #mfa link).
func (p *MyAccountPage) OnNav(ctx app.Context) {
	if f := ctx.Page().URL().Fragment; f != "" {
		p.tab = f
		if p.phase == phaseReady {
			p.secureFragment(ctx)
			p.loadSecurity(ctx, p.tab)
		}
	}
}

func (p *MyAccountPage) start(ctx app.Context) {
	p.phase, p.errText, p.retry = phaseLoading, "", retryNone
	authenticate(ctx, p.acct, p.pageURL, retryStart, "", p.applyAuth)
}

// applyAuth acts on the sign-on outcome.
func (p *MyAccountPage) applyAuth(ctx app.Context, r authResult) {
	if r.fragment != "" {
		p.tab = r.fragment
	}
	if r.clean != nil {
		// Strip ?code=&state= from the address bar and history.
		clean := *r.clean
		clean.Fragment = p.tab
		p.pageURL = clean
		ctx.Page().ReplaceURL(&clean)
	}
	switch {
	case r.redirect != "":
		p.phase = phaseLeaving
		p.acct.browser.Redirect(r.redirect)
	case r.offline:
		p.showOffline()
	case r.err != "":
		p.phase, p.errText = phaseError, T(r.err)
		if r.canRetry {
			p.retry = retrySignOn
		}
	case r.sess != nil:
		if r.pairing != nil {
			p.pairing = r.pairing
		}
		p.sess, p.scopes, p.phase = r.sess, r.sess.scopes, phaseReady
		p.load(ctx)
	}
}

func (p *MyAccountPage) load(ctx app.Context) {
	p.secureFragment(ctx)
	p.loadSecurity(ctx, p.tab)
	p.loadPassword(ctx)
	p.loading = true
	a, s := p.acct, *p.sess
	ctx.Async(func() {
		d := a.load(context.Background(), s)
		ctx.Dispatch(func(ctx app.Context) { p.applyData(d) })
	})
	p.loadRecovery(ctx)
}

// applyData shows what load read.
func (p *MyAccountPage) applyData(d dataResult) {
	p.loading, p.loaded = false, true
	p.user, p.devices, p.offline = d.user, d.devices, d.offline
	p.profile.attrs = d.attrs
	p.resetProfile(d.user, d.etag)
	p.errText = ""
	if d.err != "" {
		p.errText = T(d.err)
		if d.canRetry {
			p.retry = retrySignOn
		}
	}
}

// showOffline shows the last copy seen in this environment, read-only.
func (p *MyAccountPage) showOffline() {
	p.offline = true
	snap, ok := p.acct.lastSnapshot()
	if !ok {
		p.phase, p.errText, p.retry = phaseError, T(MsgOfflineNoData), retryStart
		return
	}
	p.phase, p.loaded = phaseReady, true
	p.user, p.devices, p.scopes = snap.User, snap.Devices, snap.Scopes
	p.resetProfile(p.user, "")
}

// onRetry starts again (offline with nothing cached) or signs on again.
// The button stays on the page, disabled, until the answer comes: ctx is
// the button's, and go-app drops a Dispatch whose source is no longer
// mounted, so showing "Loading" first would lose the answer.
func (p *MyAccountPage) onRetry(ctx app.Context, e app.Event) {
	if p.retrying {
		return
	}
	p.retrying = true
	kind := p.retry
	authenticate(ctx, p.acct, p.pageURL, kind, p.tab, func(ctx app.Context, r authResult) {
		p.retrying, p.retry, p.errText = false, retryNone, ""
		if kind == retryStart {
			p.offline = false
		}
		p.applyAuth(ctx, r)
	})
}

func (p *MyAccountPage) onSelectTab(ctx app.Context, id string) {
	p.tab = id
	u := p.pageURL
	u.Fragment = id
	p.pageURL = u
	ctx.Page().ReplaceURL(&u)
	p.loadSecurity(ctx, id)
}

func (p *MyAccountPage) onSignoff(ctx app.Context, e app.Event) {
	if p.sess == nil {
		return
	}
	to := p.acct.signoff(*p.sess)
	p.sess, p.user, p.devices, p.scopes = nil, nil, nil, nil
	p.recovery = recoveryState{}
	p.sessions, p.activity = sessionsTab{}, activityTab{}
	p.profile = profileState{}
	p.phase = phaseLeaving
	p.acct.browser.Redirect(to)
}

// Render implements app.Composer.
func (p *MyAccountPage) Render() app.UI {
	return app.Div().Class("shell").Body(
		app.Header().Class("topbar").Body(
			&BrandMark{Fallback: T(MsgAppName)},
			app.If(p.sess != nil && p.phase == phaseReady, func() app.UI {
				return app.Button().ID("signoff").Type("button").Class("secondary").
					Text(T(MsgSignOff)).OnClick(p.onSignoff)
			}),
		),
		app.If(p.offline, func() app.UI { return &OfflineBanner{Text: T(MsgOfflineBanner)} }),
		app.Main().ID("main").Class("content").Body(p.main()),
		&BrandFooter{},
	)
}

func (p *MyAccountPage) main() app.UI {
	switch p.phase {
	case phaseLoading:
		return &Loading{Label: T(MsgLoading)}
	case phaseLeaving:
		return &Loading{Label: T(MsgRedirecting)}
	case phaseError:
		return errorCard(p.errText, p.retry, p.retrying, p.onRetry)
	}
	tabs := visibleTabs(p.scopes)
	if len(tabs) == 0 {
		return app.Div().Class("card").Body(app.P().Class("empty").Text(T(MsgNoTabs)))
	}
	active := activeTab(tabs, p.tab)
	return app.Div().Class("account").Body(
		&Tabs{Label: T(MsgTabsLabel), Tabs: tabs, Active: active, OnSelect: p.onSelectTab},
		app.If(p.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(p.errText != "", func() app.UI {
			return app.Div().Class("card").Body(
				&ErrorMessage{Text: p.errText},
				app.If(p.retry == retrySignOn, func() app.UI {
					return app.Button().ID("retry").Type("button").Class("primary").Text(T(MsgSignOn)).Disabled(p.retrying).OnClick(p.onRetry)
				}),
			)
		}),
		app.Range(tabs).Slice(func(i int) app.UI {
			t := tabs[i]
			panel := app.Section().ID("panel-"+t.ID).Class("panel", "card").Role("tabpanel").
				Aria("labelledby", "tab-"+t.ID).TabIndex(0)
			if t.ID != active {
				panel = panel.Hidden(true)
			}
			return panel.Body(p.panel(t.ID))
		}),
	)
}

func (p *MyAccountPage) panel(id string) app.UI {
	if !p.loaded {
		return nil
	}
	switch id {
	case "profile":
		if p.user == nil {
			if p.errText != "" {
				return nil
			}
			return app.P().Class("empty").Text(T(MsgProfileEmpty))
		}
		return p.profilePanel()
	case "mfa":
		if p.devices == nil && p.errText != "" {
			return nil
		}
		if p.methods.step != PairNone || p.offline {
			return p.methodsPanel()
		}
		return app.Div().Body(p.methodsPanel(), p.recoveryPanel())
	case "password":
		return p.passwordPanel()
	case tabSessions:
		return app.Div().Body(p.sessionsPanel(), p.linkedPanel())
	case tabActivity:
		return p.activityPanel()
	case tabConsents:
		return p.consentsPanel()
	}
	return nil
}
