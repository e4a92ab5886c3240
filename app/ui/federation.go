package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// Federated sign-on on the hosted sign-on page: "Sign in with <provider>"
// buttons under the username and password (each leaves the app for a
// server URL, which sends the browser on to the provider: go-app would
// route a plain link inside the PWA), and the password proof a
// flow asks for when an external account matched an existing user
// (PASSWORD_REQUIRED). In MyAccount, "Link <provider>" links for the
// providers the user has not linked yet.

// Federation messages.
const (
	MsgFedOr            Msg = "fed.or"
	MsgFedSignInWith    Msg = "fed.signInWith"
	MsgFedProveTitle    Msg = "fed.prove.title"
	MsgFedProveExplain  Msg = "fed.prove.explain"
	MsgFedProveButton   Msg = "fed.prove.button"
	MsgLinkedLink       Msg = "linked.link"
	MsgLinkedLinkHint   Msg = "linked.link.hint"
	MsgLinkedLinkFailed Msg = "linked.link.failed"
	MsgLinkedTaken      Msg = "linked.link.taken"
	MsgLinkedOff        Msg = "linked.link.unavailable"
	MsgLinkedLimit      Msg = "linked.link.limit"
	MsgAMRFederated     Msg = "amr.fed"
	MsgEvLinkedAdded    Msg = "event.LINKED_ACCOUNT_ADDED"
	MsgEvLinkedRemoved  Msg = "event.LINKED_ACCOUNT_DELETED"
	MsgEvExternalOK     Msg = "event.SIGNON_EXTERNAL.ok"
	MsgEvExternalFailed Msg = "event.SIGNON_EXTERNAL.failed"
)

// providersView lists a flow's external providers at the end of the
// password step (nothing when there are none).
func (p *SignOnPage) providersView(f *resource.Flow) app.UI {
	if f.Embedded == nil || len(f.Embedded.IdentityProviders) == 0 {
		return app.Text("")
	}
	list := f.Embedded.IdentityProviders
	return app.Div().ID("identity-providers").Class("card", "step").Body(
		app.P().Class("hint").Text(T(MsgFedOr)),
		app.Range(list).Slice(func(i int) app.UI {
			ip := list[i]
			href, ok := sameOrigin(ip.Href, p.here)
			if !ok {
				return app.Text("")
			}
			return app.Button().ID("idp-"+ip.ID).Type("button").Class("secondary", "idp").Text(T(MsgFedSignInWith, ip.Name)).
				Disabled(p.busy || p.leaving).
				OnClick(func(ctx app.Context, e app.Event) { p.leave(href) }, app.EventScope(ip.ID))
		}),
	)
}

// leave goes to a server URL (a provider's start link).
func (p *SignOnPage) leave(href string) {
	if p.deps == nil || p.leaving {
		return
	}
	p.leaving = true
	p.deps.browser.Redirect(href)
}

func (p *SignOnPage) submitProof(ctx app.Context, password string) {
	if msg := checkPassword(password); msg != "" {
		p.errText = msg
		return
	}
	p.act(ctx, resource.ActionPasswordCheck, resource.PasswordCheck{Password: password}, "")
}

// ProvePasswordStep asks the password of the account an external sign-on
// matched, before it is linked (PASSWORD_REQUIRED).
type ProvePasswordStep struct {
	app.Compo
	Username string
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, password string)
}

// Render implements app.Composer.
func (c *ProvePasswordStep) Render() app.UI {
	return stepForm(T(MsgFedProveTitle), T(MsgFedProveButton), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "password"))
			}
		},
		nil,
		app.P().ID("prove-explain").Class("hint").Text(T(MsgFedProveExplain, c.Username)),
		labelled(T(MsgPassword), "password", app.Input().ID("password").Name("password").Type("password").
			Attr("autocomplete", "current-password").Required(true), c.Error != ""),
	)
}

func flowUsername(f *resource.Flow) string {
	if f.Embedded == nil || f.Embedded.User == nil {
		return ""
	}
	return f.Embedded.User.Username
}

// LinkProviders offers "Link <provider>" for each provider not linked yet;
// each link is a navigation that starts the server's link flow.
type LinkProviders struct {
	app.Compo
	Env       string
	Providers []resource.AppIdentityProvider
	Linked    []resource.LinkedAccount
	OnLink    func(ctx app.Context, href string)
}

// Render implements app.Composer.
func (c *LinkProviders) Render() app.UI {
	var open []resource.AppIdentityProvider
	for _, ip := range c.Providers {
		linked := false
		for _, l := range c.Linked {
			linked = linked || l.IdentityProvider.ID == ip.ID
		}
		if !linked {
			open = append(open, ip)
		}
	}
	if len(open) == 0 || c.Env == "" {
		return app.Div().ID("linked-add")
	}
	return app.Div().ID("linked-add").Body(
		app.P().Class("hint").Text(T(MsgLinkedLinkHint)),
		app.Range(open).Slice(func(i int) app.UI {
			ip := open[i]
			href := paths.Build(paths.FederationLink, c.Env, ip.ID)
			return app.Button().ID("link-"+ip.ID).Type("button").Class("action").Text(T(MsgLinkedLink, ip.Name)).
				OnClick(func(ctx app.Context, e app.Event) {
					if c.OnLink != nil {
						c.OnLink(ctx, href)
					}
				}, app.EventScope(ip.ID))
		}),
	)
}

// keepLinkError keeps a failed link's ?linkError= across the page's own
// sign-on round trip (which replaces the query), for showLinkError.
func (p *MyAccountPage) keepLinkError() {
	code := p.pageURL.Query().Get("linkError")
	if code == "" || p.acct == nil || p.acct.session == nil {
		return
	}
	_ = p.acct.session.Set(p.linkErrorKey(), code)
}

// showLinkError shows (once) why linking a provider failed.
func (p *MyAccountPage) showLinkError() {
	if p.acct == nil || p.acct.session == nil || !p.acct.session.Contains(p.linkErrorKey()) {
		return
	}
	var code string
	_ = p.acct.session.Get(p.linkErrorKey(), &code)
	p.acct.session.Del(p.linkErrorKey())
	p.linked.err = linkErrorText(code)
}

func (p *MyAccountPage) linkErrorKey() string { return "myaccount." + p.env + ".linkError" }

// linkErrorText is the text of a link flow's error code.
func linkErrorText(code string) string {
	switch code {
	case resource.FederationLinkedToOther:
		return T(MsgLinkedTaken)
	case resource.FederationUnavailable:
		return T(MsgLinkedOff)
	case resource.FederationLimit:
		return T(MsgLinkedLimit)
	}
	return T(MsgLinkedLinkFailed)
}
