package ui

import (
	"context"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// The Consents tab's application part and history: the third-party
// applications the user allowed (name, what they may do, since when),
// each revoked after a confirmation (its tokens stop working and its next
// sign-on asks again), and the consents given, declined and revoked.

// Messages of the applications and history sections.
const (
	MsgAppConsentsTitle   Msg = "appConsents.title"
	MsgAppConsentsExplain Msg = "appConsents.explain"
	MsgAppConsentsEmpty   Msg = "appConsents.empty"
	MsgAppConsentDetail   Msg = "appConsents.detail"
	MsgAppConsentConfirm  Msg = "appConsents.confirm"
	MsgAppConsentRevoked  Msg = "appConsents.revoked"
	MsgAppConsentGone     Msg = "appConsents.gone"
	MsgAppRemoved         Msg = "appConsents.removedApp"
	MsgHistoryTitle       Msg = "consentHistory.title"
	MsgHistoryEmpty       Msg = "consentHistory.empty"
	MsgHistoryAppGiven    Msg = "consentHistory.appGiven"
	MsgHistoryAppRevoked  Msg = "consentHistory.appRevoked"
	MsgHistoryAppDenied   Msg = "consentHistory.appDenied"
	MsgHistoryAgrGiven    Msg = "consentHistory.agreementGiven"
	MsgHistoryAgrRevoked  Msg = "consentHistory.agreementRevoked"
	MsgHistoryAgrDeclined Msg = "consentHistory.agreementDeclined"
	MsgHistoryAgrRemoved  Msg = "consentHistory.removedAgreement"
	MsgHistoryByAdmin     Msg = "consentHistory.byAdmin"
)

// appConsentsTab is the applications the user allowed.
type appConsentsTab = removableList[resource.UserOAuthConsent]

// consentHistoryTab is the consent history as last read.
type consentHistoryTab = loadedList[resource.ConsentHistoryEntry]

// loadAppConsents reads the applications part and the history, as the
// granted scopes allow.
func (p *MyAccountPage) loadAppConsents(ctx app.Context) {
	if p.sess == nil {
		return
	}
	if p.scopes.Has(scope.ReadOAuthConsent) {
		p.appConsents.load(p, ctx, p.appConsentsFetch())
	}
	p.loadConsentHistory(ctx)
}

func (p *MyAccountPage) appConsentsFetch() func(context.Context) ([]resource.UserOAuthConsent, error) {
	api, s := p.acct.api, *p.sess
	return func(c context.Context) ([]resource.UserOAuthConsent, error) {
		return api.ListOAuthConsents(c, s.sub, s.accessToken)
	}
}

// loadConsentHistory reads the history, once at a time.
func (p *MyAccountPage) loadConsentHistory(ctx app.Context) {
	if p.sess == nil || !(p.scopes.Has(scope.ReadUserConsent) || p.scopes.Has(scope.ReadOAuthConsent)) {
		return
	}
	api, s := p.acct.api, *p.sess
	p.consentHistory.load(p, ctx, func(c context.Context) ([]resource.ConsentHistoryEntry, error) {
		return api.ListConsentHistory(c, s.sub, s.accessToken)
	})
}

// revokeAppConsent asks to confirm, then revokes and reads the list and
// the history again.
func (p *MyAccountPage) revokeAppConsent(ctx app.Context, id string) {
	if p.sess == nil {
		return
	}
	api, s := p.acct.api, *p.sess
	p.appConsents.remove(p, ctx, id, func(c context.Context, id string) error {
		return api.RevokeOAuthConsent(c, s.sub, s.accessToken, id)
	}, withHistory(p, ctx, p.appConsentsFetch()), MsgAppConsentRevoked, MsgAppConsentGone)
}

// withHistory wraps a list's fetch after a revoke so that it also reads
// the consent history, in the same goroutine, and applies it by a Dispatch
// queued before remove's own: both arrive while the confirm button is
// still mounted (go-app drops a Dispatch whose source is gone, and the row
// goes with the list).
func withHistory[E any](p *MyAccountPage, ctx app.Context, fetch func(context.Context) ([]E, error)) func(context.Context) ([]E, error) {
	if p.sess == nil || !(p.scopes.Has(scope.ReadUserConsent) || p.scopes.Has(scope.ReadOAuthConsent)) {
		return fetch
	}
	api, s := p.acct.api, *p.sess
	return func(c context.Context) ([]E, error) {
		list, err := fetch(c)
		if hist, herr := api.ListConsentHistory(c, s.sub, s.accessToken); herr == nil {
			ctx.Dispatch(func(ctx app.Context) {
				p.consentHistory.list, p.consentHistory.loaded, p.consentHistory.loadErr = hist, true, ""
			})
		}
		return list, err
	}
}

// consentSections are the Consents tab's application and history parts,
// after the agreements.
func (p *MyAccountPage) consentSections() app.UI {
	w, h := &p.appConsents, &p.consentHistory
	return app.Div().Class("consent-sections").Body(
		app.If(p.scopes.Has(scope.ReadOAuthConsent), func() app.UI {
			return &AppConsentsPanel{
				Consents: w.list, Loading: w.loading && !w.loaded, LoadError: w.loadErr,
				CanRevoke:  !p.offline && p.sess != nil && p.scopes.Has(scope.UpdateOAuthConsent),
				Confirming: w.confirming, Busy: w.busy, Error: w.err, Notice: w.notice,
				OnRevoke: p.revokeAppConsent,
				OnCancel: func(ctx app.Context) { p.appConsents.confirming = "" },
			}
		}),
		&ConsentHistoryPanel{Entries: h.list, Loading: h.loading && !h.loaded, LoadError: h.loadErr, Self: p.selfID()},
	)
}

func (p *MyAccountPage) selfID() string {
	if p.sess == nil {
		return ""
	}
	return p.sess.sub
}

// AppConsentsPanel lists the applications the user allowed, each with
// what it may do and Revoke.
type AppConsentsPanel struct {
	app.Compo
	Consents   []resource.UserOAuthConsent
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
func (c *AppConsentsPanel) Render() app.UI {
	head := consentListHead{prefix: "app-consents", title: MsgAppConsentsTitle, explain: MsgAppConsentsExplain, empty: MsgAppConsentsEmpty,
		err: c.Error, notice: c.Notice, loadErr: c.LoadError, loading: c.Loading, n: len(c.Consents)}
	return app.Div().ID("app-consents").Body(append(head.render(),
		app.Ul().ID("app-consent-list").Class("devices").Body(
			app.Range(c.Consents).Slice(func(i int) app.UI { return c.row(c.Consents[i]) }),
		),
	)...)
}

func appName(name string) string {
	if name == "" {
		return T(MsgAppRemoved)
	}
	return name
}

func (c *AppConsentsPanel) row(k resource.UserOAuthConsent) app.UI {
	id, name := k.ID, appName(k.Application.Name)
	words := make([]string, 0, len(k.Scopes))
	for _, s := range k.Scopes {
		words = append(words, scopeWords(s))
	}
	return app.Li().Class("device", "consent", "app-consent").DataSet("consent-id", id).DataSet("application-id", k.Application.ID).Body(
		app.Div().Class("device-head").Body(app.Span().Class("device-type", "consent-name").Text(name)),
		app.Div().Class("device-target", "consent-scopes").Text(strings.Join(words, " · ")),
		app.Div().Class("device-target", "consent-detail").Text(T(MsgAppConsentDetail, when(k.GrantedAt), when(k.UpdatedAt))),
		app.If(c.CanRevoke, func() app.UI {
			return removeControls{
				id: id, verb: "revoke-app-", textID: "app-consent-confirm-text-" + id, question: T(MsgAppConsentConfirm, name),
				label: MsgConsentRevoke, yes: MsgConsentRevoke, confirming: c.Confirming, busy: c.Busy,
				onRemove: c.OnRevoke, onCancel: c.OnCancel,
			}.render()
		}),
	)
}

// ConsentHistoryPanel lists the consents given, declined and revoked,
// newest first.
type ConsentHistoryPanel struct {
	app.Compo
	Entries   []resource.ConsentHistoryEntry
	Loading   bool
	LoadError string
	Self      string // the user's id: a change by anyone else is an administrator's
}

// Render implements app.Composer.
func (c *ConsentHistoryPanel) Render() app.UI {
	return app.Div().ID("consent-history").Body(
		app.H2().Class("methods-title").Text(T(MsgHistoryTitle)),
		app.If(c.LoadError != "", func() app.UI { return app.P().Class("error").Role("alert").Text(c.LoadError) }),
		app.If(c.Loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(!c.Loading && c.LoadError == "" && len(c.Entries) == 0, func() app.UI {
			return app.P().ID("consent-history-empty").Class("empty").Text(T(MsgHistoryEmpty))
		}),
		app.Ul().ID("consent-history-list").Class("events").Body(
			app.Range(c.Entries).Slice(func(i int) app.UI {
				e := c.Entries[i]
				text := historyText(e)
				if e.Actor.ID != "" && c.Self != "" && e.Actor.ID != c.Self {
					text += " " + T(MsgHistoryByAdmin)
				}
				return app.Li().Class("event", "history-entry").DataSet("kind", e.Kind).DataSet("change", e.Change).
					DataSet("target-id", e.Target.ID).Body(
					app.Span().Class("event-what").Text(text),
					app.Span().Class("event-when").Text(" · "+when(e.CreatedAt)),
				)
			}),
		),
	)
}

// historyText says what one history entry was, in words.
func historyText(e resource.ConsentHistoryEntry) string {
	if e.Kind == resource.ConsentKindApplication {
		name := appName(e.Name)
		switch e.Change {
		case resource.ConsentRevoked:
			return T(MsgHistoryAppRevoked, name)
		case resource.ConsentDeclined:
			return T(MsgHistoryAppDenied, name)
		}
		return T(MsgHistoryAppGiven, name)
	}
	name := e.Name
	if name == "" {
		name = T(MsgHistoryAgrRemoved)
	}
	switch e.Change {
	case resource.ConsentRevoked:
		return T(MsgHistoryAgrRevoked, name)
	case resource.ConsentDeclined:
		return T(MsgHistoryAgrDeclined, name)
	}
	return T(MsgHistoryAgrGiven, name)
}
