package ui

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// The Consents tab: the agreements the user consented to (version,
// language, date) and Revoke, confirmed first, after which the next
// sign-on asks again.

const tabConsents = "consents"

// Messages of the Consents tab.
const (
	MsgConsentsTitle   Msg = "consents.title"
	MsgConsentsExplain Msg = "consents.explain"
	MsgConsentsEmpty   Msg = "consents.empty"
	MsgConsentDetail   Msg = "consents.detail"
	MsgConsentRevoke   Msg = "consents.revoke"
	MsgConsentConfirm  Msg = "consents.confirm"
	MsgConsentRevoked  Msg = "consents.revoked"
)

// consentsTab is the Consents tab's part of the MyAccount page: the
// agreements consented to, revoked one by one.
type consentsTab = removableList[resource.UserAgreementConsent]

func (p *MyAccountPage) loadConsents(ctx app.Context) {
	p.loadAppConsents(ctx) // applications and history (oauthconsents.go)
	if p.sess == nil || !p.scopes.Has(scope.ReadUserConsent) {
		return
	}
	p.consents.load(p, ctx, p.consentsFetch())
}

func (p *MyAccountPage) consentsFetch() func(context.Context) ([]resource.UserAgreementConsent, error) {
	api, s := p.acct.api, *p.sess
	return func(c context.Context) ([]resource.UserAgreementConsent, error) {
		return api.ListAgreementConsents(c, s.sub, s.accessToken)
	}
}

// revokeConsent asks to confirm, then revokes and reads the list again (an
// agreement already revoked elsewhere counts as revoked).
func (p *MyAccountPage) revokeConsent(ctx app.Context, id string) {
	if p.sess == nil {
		return
	}
	api, s := p.acct.api, *p.sess
	p.consents.remove(p, ctx, id, func(c context.Context, id string) error {
		return api.RevokeAgreementConsent(c, s.sub, s.accessToken, id)
	}, withHistory(p, ctx, p.consentsFetch()), MsgConsentRevoked, "")
}

func (p *MyAccountPage) consentsPanel() app.UI {
	w := &p.consents
	if !p.scopes.Has(scope.ReadUserConsent) {
		return app.Div().Body(app.Div().ID("consents"), p.consentSections())
	}
	return app.Div().Body(p.agreementsPanel(w), p.consentSections())
}

func (p *MyAccountPage) agreementsPanel(w *consentsTab) app.UI {
	return &ConsentsPanel{
		Consents: w.list, Loading: w.loading && !w.loaded, LoadError: w.loadErr,
		CanRevoke: !p.offline && p.sess != nil, Confirming: w.confirming, Busy: w.busy, Error: w.err, Notice: w.notice,
		OnRevoke: p.revokeConsent,
		OnCancel: func(ctx app.Context) { p.consents.confirming = "" },
	}
}

// ConsentsPanel lists the agreements consented to, each with Revoke.
type ConsentsPanel struct {
	app.Compo
	Consents   []resource.UserAgreementConsent
	Loading    bool
	LoadError  string
	CanRevoke  bool
	Confirming string
	Busy       string
	Error      string
	Notice     string

	OnRevoke func(ctx app.Context, id string)
	OnCancel func(ctx app.Context)
}

// Render implements app.Composer.
func (c *ConsentsPanel) Render() app.UI {
	head := consentListHead{prefix: "consents", title: MsgConsentsTitle, explain: MsgConsentsExplain, empty: MsgConsentsEmpty,
		err: c.Error, notice: c.Notice, loadErr: c.LoadError, loading: c.Loading, n: len(c.Consents)}
	return app.Div().ID("consents").Body(append(head.render(),
		app.Ul().ID("consent-list").Class("devices").Body(
			app.Range(c.Consents).Slice(func(i int) app.UI { return c.row(c.Consents[i]) }),
		),
	)...)
}

// consentListHead is the top of a consents panel (agreements, or the
// applications allowed): title and explanation, the last revoke's error
// or notice, and the load state: its error, Loading, or the empty text.
// The ids start with prefix.
type consentListHead struct {
	prefix                string
	title, explain, empty Msg
	err, notice, loadErr  string
	loading               bool
	n                     int
}

func (h consentListHead) render() []app.UI {
	return []app.UI{
		app.H2().Class("methods-title").Text(T(h.title)),
		app.P().Class("hint").Text(T(h.explain)),
		app.If(h.err != "", func() app.UI { return app.P().ID(h.prefix + "-error").Class("error").Role("alert").Text(h.err) }),
		app.If(h.notice != "", func() app.UI { return app.P().ID(h.prefix + "-notice").Class("notice").Role("status").Text(h.notice) }),
		app.If(h.loadErr != "", func() app.UI { return app.P().Class("error").Role("alert").Text(h.loadErr) }),
		app.If(h.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(!h.loading && h.loadErr == "" && h.n == 0, func() app.UI {
			return app.P().ID(h.prefix + "-empty").Class("empty").Text(T(h.empty))
		}),
	}
}

func (c *ConsentsPanel) row(k resource.UserAgreementConsent) app.UI {
	id := k.Agreement.ID
	version, at := "", ""
	if k.Revision != nil {
		version = k.Revision.ID
	}
	if k.ConsentedAt != nil {
		at = when(*k.ConsentedAt)
	}
	return app.Li().Class("device", "consent").DataSet("agreement-id", id).Body(
		app.Div().Class("device-head").Body(app.Span().Class("device-type", "consent-name").Text(k.Name)),
		app.Div().Class("device-target", "consent-detail").Text(T(MsgConsentDetail, version, k.Locale, at)),
		app.If(c.CanRevoke, func() app.UI {
			return removeControls{
				id: id, verb: "revoke-", textID: "consent-confirm-text-" + id, question: T(MsgConsentConfirm, k.Name),
				label: MsgConsentRevoke, yes: MsgConsentRevoke, confirming: c.Confirming, busy: c.Busy,
				onRemove: c.OnRevoke, onCancel: c.OnCancel,
			}.render()
		}),
	)
}
