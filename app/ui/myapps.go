package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/app/oauth"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// The application portal (/{envId}/myapps/) signs on exactly like
// MyAccount (account.go: code + PKCE, tokens in wasm memory, prompt=none
// against the SSO session on a reload) and as the same client, with its
// own redirect URI and only the scopes it reads with. Its offline copy is
// its own (the tiles and the user's name), under "myapps.{envId}.…".

// Avatar menu item ids.
const (
	menuProfile = "profile"
	menuDevices = "devices"
	menuSignoff = "signoff"
)

// portalData is what the portal shows once signed on, and its offline copy.
type portalData struct {
	User    *resource.User               `json:"user,omitempty"`
	Apps    []resource.PortalApplication `json:"apps"`
	SavedAt time.Time                    `json:"savedAt"`
}

// portalResult is the outcome of loading the portal's data.
type portalResult struct {
	data     portalData
	offline  bool
	err      Msg
	canRetry bool
}

func portalLastKey(env string) string          { return "myapps." + env + ".last" }
func portalSnapshotKey(env, sub string) string { return "myapps." + env + ".user." + sub }

// loadPortal reads the user and their tiles, keeping an offline copy.
func (a *account) loadPortal(ctx context.Context, s session) portalResult {
	u, errUser := a.api.GetMe(ctx, s.sub, s.accessToken)
	apps, errApps := a.api.ListMyApplications(ctx, s.sub, s.accessToken)
	err := errors.Join(errUser, errApps)
	switch {
	case err == nil:
		d := portalData{User: &u, Apps: apps, SavedAt: a.now().UTC()}
		_ = a.local.Set(portalSnapshotKey(a.env, s.sub), d)
		_ = a.local.Set(portalLastKey(a.env), s.sub)
		return portalResult{data: d}
	case apiclient.IsNetwork(err):
		if d, ok := a.portalSnapshot(s.sub); ok {
			return portalResult{data: d, offline: true}
		}
		return portalResult{offline: true, err: MsgOfflineNoData}
	}
	if e, ok := apiclient.AsAPIError(err); ok && e.Status == 401 {
		return portalResult{err: MsgErrSession, canRetry: true}
	}
	return portalResult{err: MsgErrGeneric, canRetry: true}
}

// portalSnapshot is the offline copy of sub ("": the last user seen).
func (a *account) portalSnapshot(sub string) (portalData, bool) {
	var d portalData
	if sub == "" && a.local.Contains(portalLastKey(a.env)) {
		_ = a.local.Get(portalLastKey(a.env), &sub)
	}
	if sub == "" || !a.local.Contains(portalSnapshotKey(a.env, sub)) {
		return d, false
	}
	if err := a.local.Get(portalSnapshotKey(a.env, sub), &d); err != nil {
		return d, false
	}
	return d, true
}

// portalSignoff forgets the portal's offline copy of the user as well as
// MyAccount's (one SSO session ends for both) and returns where to go.
func (a *account) portalSignoff(s session) string {
	a.local.Del(portalSnapshotKey(a.env, s.sub))
	var last string
	if a.local.Contains(portalLastKey(a.env)) {
		_ = a.local.Get(portalLastKey(a.env), &last)
	}
	if last == s.sub {
		a.local.Del(portalLastKey(a.env))
	}
	return a.signoff(s)
}

// MyAppsPage is /{envId}/myapps/, the workforce application portal: tiles
// of the applications the signed-on user may open, and an avatar menu
// with Profile, Devices (MyAccount's Authentication tab) and Sign off.
type MyAppsPage struct {
	app.Compo

	// acct is set by tests; OnMount wires the browser's when nil.
	acct *account

	env      string
	phase    phase
	sess     *session
	data     portalData
	loading  bool
	loaded   bool
	offline  bool
	errText  string
	retry    retryKind
	retrying bool
	menuOpen bool
	pageURL  url.URL
}

// OnMount works out who is signed on.
func (p *MyAppsPage) OnMount(ctx app.Context) { p.mount(ctx, ctx.Page().URL()) }

func (p *MyAppsPage) mount(ctx app.Context, u *url.URL) {
	p.pageURL = *u
	p.env = envFromPath(p.pageURL.Path)
	if p.env == "" {
		p.phase, p.errText = phaseError, T(MsgErrUnknownEnv)
		return
	}
	if p.acct == nil {
		p.acct = browserAccount(ctx, p.env)
	}
	p.acct.redirectFor, p.acct.scopes = oauth.PortalRedirectURI, oauth.PortalScopes()
	p.phase, p.errText, p.retry = phaseLoading, "", retryNone
	authenticate(ctx, p.acct, p.pageURL, retryStart, "", p.applyAuth)
}

// applyAuth acts on the sign-on outcome.
func (p *MyAppsPage) applyAuth(ctx app.Context, r authResult) {
	if r.clean != nil {
		clean := *r.clean
		clean.Fragment = ""
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
		p.sess, p.phase = r.sess, phaseReady
		p.load(ctx)
	}
}

func (p *MyAppsPage) load(ctx app.Context) {
	p.loading = true
	a, s := p.acct, *p.sess
	ctx.Async(func() {
		r := a.loadPortal(context.Background(), s)
		ctx.Dispatch(func(ctx app.Context) { p.applyData(r) })
	})
}

func (p *MyAppsPage) applyData(r portalResult) {
	p.loading, p.loaded = false, true
	p.data, p.offline, p.errText = r.data, r.offline, ""
	if r.err != "" {
		p.errText = T(r.err)
		if r.canRetry {
			p.retry = retrySignOn
		}
	}
}

// showOffline shows the last copy seen in this environment.
func (p *MyAppsPage) showOffline() {
	p.offline = true
	d, ok := p.acct.portalSnapshot("")
	if !ok {
		p.phase, p.errText, p.retry = phaseError, T(MsgOfflineNoData), retryStart
		return
	}
	p.phase, p.loaded, p.data = phaseReady, true, d
}

// onRetry starts again or signs on again. The button stays mounted,
// disabled, until the answer: go-app drops a Dispatch whose source
// element is gone.
func (p *MyAppsPage) onRetry(ctx app.Context, e app.Event) {
	if p.retrying {
		return
	}
	p.retrying = true
	kind := p.retry
	authenticate(ctx, p.acct, p.pageURL, kind, "", func(ctx app.Context, r authResult) {
		p.retrying, p.retry, p.errText = false, retryNone, ""
		if kind == retryStart {
			p.offline = false
		}
		p.applyAuth(ctx, r)
	})
}

func (p *MyAppsPage) onMenuOpen(ctx app.Context, open bool) { p.menuOpen = open }

// onMenuChoose leaves for MyAccount's tab or signs off. Each is a full
// page load, so there is no answer to wait for.
func (p *MyAppsPage) onMenuChoose(ctx app.Context, id string) {
	p.menuOpen = false
	myAccount := paths.Build(paths.MyAccount, p.env)
	switch id {
	case menuProfile:
		p.phase = phaseLeaving
		p.acct.browser.Redirect(myAccount + "#profile")
	case menuDevices:
		p.phase = phaseLeaving
		p.acct.browser.Redirect(myAccount + "#mfa")
	case menuSignoff:
		if p.sess == nil {
			return
		}
		to := p.acct.portalSignoff(*p.sess)
		p.sess, p.data = nil, portalData{}
		p.phase = phaseLeaving
		p.acct.browser.Redirect(to)
	}
}

// menuItems are the avatar menu's entries: Sign off only with a session
// (the offline copy has no ID token to end the SSO session with).
func (p *MyAppsPage) menuItems() []MenuItem {
	items := []MenuItem{
		{ID: menuProfile, Label: T(MsgPortalProfile)},
		{ID: menuDevices, Label: T(MsgPortalDevices)},
	}
	if p.sess != nil {
		items = append(items, MenuItem{ID: menuSignoff, Label: T(MsgSignOff)})
	}
	return items
}

// userLabel is the name the avatar stands for.
func (p *MyAppsPage) userLabel() string {
	u := p.data.User
	if u == nil {
		return ""
	}
	for _, s := range []string{displayName(u.Name), u.Username, u.Email} {
		if s != "" {
			return s
		}
	}
	return ""
}

// Render implements app.Composer.
func (p *MyAppsPage) Render() app.UI {
	return app.Div().Class("shell").Body(
		app.Header().Class("topbar").Body(
			&BrandMark{Fallback: T(MsgPortalName)},
			app.If(p.phase == phaseReady && (p.sess != nil || p.data.User != nil), func() app.UI {
				return &AvatarMenu{
					Initials: initials(p.userLabel()),
					Label:    T(MsgPortalMenu, p.userLabel()),
					Items:    p.menuItems(),
					Open:     p.menuOpen,
					OnOpen:   p.onMenuOpen,
					OnChoose: p.onMenuChoose,
					Focus:    p.acct.browser.Focus,
				}
			}),
		),
		app.If(p.offline, func() app.UI { return &OfflineBanner{Text: T(MsgOfflineBanner)} }),
		app.Main().ID("main").Class("content").Body(p.main()),
		&BrandFooter{},
	)
}

func (p *MyAppsPage) main() app.UI {
	switch p.phase {
	case phaseLoading:
		return &Loading{Label: T(MsgLoading)}
	case phaseLeaving:
		return &Loading{Label: T(MsgRedirecting)}
	}
	if p.phase == phaseError {
		return errorCard(p.errText, p.retry, p.retrying, p.onRetry)
	}
	return app.Section().Class("card", "portal").Aria("labelledby", "portal-title").Body(
		app.H1().ID("portal-title").Text(T(MsgPortalTitle)),
		app.If(p.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(p.errText != "", func() app.UI {
			return app.Div().Body(&ErrorMessage{Text: p.errText}, retryButton(p.retry, p.retrying, p.onRetry))
		}),
		app.If(p.loaded && p.errText == "", func() app.UI {
			return &AppTiles{Label: T(MsgPortalAppsList), Apps: p.data.Apps, Empty: T(MsgPortalEmpty)}
		}),
	)
}

// displayName is how a person's name reads: the formatted one, else its
// parts in order.
func displayName(n *resource.Name) string {
	if n == nil {
		return ""
	}
	if n.Formatted != "" {
		return n.Formatted
	}
	return strings.Join(strings.Fields(n.Given+" "+n.Middle+" "+n.Family), " ")
}
