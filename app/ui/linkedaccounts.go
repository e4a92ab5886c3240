package ui

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// The Accounts & sessions tab's "Linked accounts" list: the external
// accounts the user may sign on with, each with "Unlink" (confirmed
// first). Reads need p1:read:userLinkedAccounts, unlinking
// p1:delete:userLinkedAccounts, which reduced scopes keep back until a
// step-up. The server refuses unlinking the last way to sign on; its
// message shows.

// Linked accounts messages.
const (
	MsgLinkedTitle   Msg = "linked.title"
	MsgLinkedExplain Msg = "linked.explain"
	MsgLinkedEmpty   Msg = "linked.empty"
	MsgLinkedUnknown Msg = "linked.unknown"
	MsgLinkedSince   Msg = "linked.since"
	MsgLinkedUnlink  Msg = "linked.unlink"
	MsgLinkedConfirm Msg = "linked.unlink.confirm"
	MsgLinkedYes     Msg = "linked.unlink.yes"
	MsgLinkedDone    Msg = "linked.unlink.done"
	MsgLinkedGone    Msg = "linked.gone"
)

// linkedTab is the linked accounts list's part of the MyAccount page.
type linkedTab = removableList[resource.LinkedAccount]

// loadLinked reads the user's linked accounts.
func (p *MyAccountPage) loadLinked(ctx app.Context) {
	if p.sess == nil || !p.scopes.Has(scope.ReadLinkedAccounts) {
		return
	}
	p.linked.load(p, ctx, p.linkedFetch())
	p.showLinkError()
	api := p.acct.api
	ctx.Async(func() {
		if cfg, err := api.GetConfig(context.Background()); err == nil {
			ctx.Dispatch(func(ctx app.Context) { p.linkIdPs = cfg.IdentityProviders })
		}
	})
}

func (p *MyAccountPage) linkedFetch() func(context.Context) ([]resource.LinkedAccount, error) {
	api, s := p.acct.api, *p.sess
	return func(c context.Context) ([]resource.LinkedAccount, error) {
		return api.ListLinkedAccounts(c, s.sub, s.accessToken)
	}
}

// unlinkAccount asks to confirm, then unlinks the account and reads the
// list again.
func (p *MyAccountPage) unlinkAccount(ctx app.Context, id string) {
	if p.sess == nil {
		return
	}
	api, s := p.acct.api, *p.sess
	p.linked.remove(p, ctx, id, func(c context.Context, id string) error {
		return api.DeleteLinkedAccount(c, s.sub, s.accessToken, id)
	}, p.linkedFetch(), MsgLinkedDone, MsgLinkedGone)
}

func (p *MyAccountPage) linkedPanel() app.UI {
	w := &p.linked
	if !p.scopes.Has(scope.ReadLinkedAccounts) {
		return app.Text("")
	}
	online := !p.offline && p.sess != nil
	canDelete := online && p.scopes.Has(scope.DeleteLinkedAccounts)
	return &LinkedAccountsPanel{
		Accounts:   w.list,
		Loaded:     w.loaded,
		Loading:    w.loading && !w.loaded,
		LoadError:  w.loadErr,
		Offline:    p.offline,
		CanDelete:  canDelete,
		NeedVerify: online && w.needVerify,
		Confirming: w.confirming,
		Busy:       w.busy,
		Error:      w.err,
		Notice:     w.notice,
		OnUnlink:   p.unlinkAccount,
		OnCancel:   func(ctx app.Context) { p.linked.confirming = "" },
		OnVerify:   func(ctx app.Context) { p.verifySessions(ctx, tabSessions) },
		Env:        p.env,
		Providers:  p.linkIdPs,
		OnLink:     func(ctx app.Context, href string) { p.acct.browser.Redirect(href) },
	}
}

// LinkedAccountsPanel lists the user's linked accounts, each with "Unlink"
// (confirmed first; the confirm button stays, disabled, while the unlink
// is under way).
type LinkedAccountsPanel struct {
	app.Compo
	Accounts   []resource.LinkedAccount
	Loaded     bool
	Loading    bool
	LoadError  string
	Offline    bool
	CanDelete  bool
	NeedVerify bool
	Confirming string
	Busy       string
	Error      string
	Notice     string

	OnUnlink func(ctx app.Context, id string)
	OnCancel func(ctx app.Context)
	OnVerify func(ctx app.Context)

	// Env and Providers offer "Link <provider>" (federation.go).
	Env       string
	Providers []resource.AppIdentityProvider
	OnLink    func(ctx app.Context, href string)
}

// Render implements app.Composer.
func (c *LinkedAccountsPanel) Render() app.UI {
	return app.Div().ID("linked-accounts").Body(
		app.H2().Class("methods-title").Text(T(MsgLinkedTitle)),
		app.P().Class("hint").Text(T(MsgLinkedExplain)),
		app.If(c.Error != "", func() app.UI { return app.P().ID("linked-error").Class("error").Role("alert").Text(c.Error) }),
		app.If(c.Notice != "", func() app.UI { return app.P().ID("linked-notice").Class("notice").Role("status").Text(c.Notice) }),
		app.If(c.LoadError != "", func() app.UI { return app.P().Class("error").Role("alert").Text(c.LoadError) }),
		app.If(c.Offline, func() app.UI { return app.P().Class("empty").Text(T(MsgSessionsOffline)) }),
		app.If(c.Loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(c.Loaded && len(c.Accounts) == 0, func() app.UI { return app.P().ID("linked-empty").Class("empty").Text(T(MsgLinkedEmpty)) }),
		app.If(c.NeedVerify && !c.Offline, func() app.UI {
			return app.Div().Class("verify").Body(
				app.P().Class("hint").Text(T(MsgSessionsVerifyExplain)),
				app.Button().ID("linked-verify").Type("button").Class("primary").Text(T(MsgVerify)).
					Disabled(c.Busy != "").OnClick(func(ctx app.Context, e app.Event) { call(c.OnVerify, ctx) }),
			)
		}),
		app.Ul().ID("linked-list").Class("devices").Body(
			app.Range(c.Accounts).Slice(func(i int) app.UI { return c.row(c.Accounts[i]) }),
		),
		app.If(c.Loaded && !c.Offline, func() app.UI {
			return &LinkProviders{Env: c.Env, Providers: c.Providers, Linked: c.Accounts, OnLink: c.OnLink}
		}),
	)
}

func linkedName(l resource.LinkedAccount) string {
	if l.Name == "" {
		return T(MsgLinkedUnknown)
	}
	return l.Name
}

func (c *LinkedAccountsPanel) row(l resource.LinkedAccount) app.UI {
	name := linkedName(l)
	return app.Li().Class("device", "linked-account").DataSet("linked-id", l.ID).Body(
		app.Div().Class("device-head").Body(app.Span().Class("device-type").Text(name)),
		app.Div().Class("device-status").Text(T(MsgLinkedSince, when(l.CreatedAt))),
		app.If(c.CanDelete, func() app.UI {
			return removeControls{
				id: l.ID, verb: "unlink-", textID: "confirm-text-" + l.ID, question: T(MsgLinkedConfirm, name),
				label: MsgLinkedUnlink, yes: MsgLinkedYes, confirming: c.Confirming, busy: c.Busy,
				onRemove: c.OnUnlink, onCancel: c.OnCancel,
			}.render()
		}),
	)
}
