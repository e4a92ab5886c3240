package ui

import (
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/resource"
)

// Messages of the consent screen.
const (
	MsgConsentStepTitle   Msg = "consentStep.title"
	MsgConsentStepExplain Msg = "consentStep.explain"
	MsgConsentStepMore    Msg = "consentStep.more"
	MsgConsentStepAllow   Msg = "consentStep.allow"
	MsgConsentStepDeny    Msg = "consentStep.deny"
	MsgConsentStepRevoke  Msg = "consentStep.revoke"
	MsgConsentStepNew     Msg = "consentStep.new"
)

// ConsentStep asks whether a third-party application may act for the user
// (CONSENT_REQUIRED): its name, what each scope it asks for allows (those
// not allowed before marked new), Allow and Deny.
type ConsentStep struct {
	app.Compo
	Consent  resource.FlowConsent
	Error    string
	Busy     bool
	OnAnswer func(ctx app.Context, allow bool)
}

// Render implements app.Composer.
func (c *ConsentStep) Render() app.UI {
	deny := app.Button().ID("deny").Type("button").Class("link").Text(T(MsgConsentStepDeny)).
		OnClick(func(ctx app.Context, e app.Event) {
			if c.OnAnswer != nil && !c.Busy {
				c.OnAnswer(ctx, false)
			}
		})
	if c.Busy {
		deny = deny.Disabled(true)
	}
	explain := T(MsgConsentStepExplain, c.Consent.Name)
	if len(c.Consent.New) < len(c.Consent.Scopes) {
		explain = T(MsgConsentStepMore, c.Consent.Name)
	}
	return stepForm(T(MsgConsentStepTitle, c.Consent.Name), T(MsgConsentStepAllow), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnAnswer != nil {
				c.OnAnswer(ctx, true)
			}
		},
		deny,
		app.P().ID("consent-explain").Text(explain),
		app.Ul().ID("consent-scopes").Class("consent-scopes").Body(
			app.Range(c.Consent.Scopes).Slice(func(i int) app.UI {
				s := c.Consent.Scopes[i]
				li := app.Li().DataSet("scope", s).Text(scopeWords(s))
				if slices.Contains(c.Consent.New, s) && len(c.Consent.New) < len(c.Consent.Scopes) {
					li = app.Li().Class("new").DataSet("scope", s).Body(app.Text(scopeWords(s)+" "), app.Span().Class("badge").Text(T(MsgConsentStepNew)))
				}
				return li
			}),
		),
		app.P().Class("hint").Text(T(MsgConsentStepRevoke)),
	)
}

// consentStep renders CONSENT_REQUIRED; the answer goes out through act,
// which keeps the step (and its clicked button) mounted and busy until the
// flow's next state arrives.
func (p *SignOnPage) consentStep(f *resource.Flow) app.UI {
	var k resource.FlowConsent
	if f.Embedded != nil && f.Embedded.Consent != nil {
		k = *f.Embedded.Consent
	}
	return &ConsentStep{Consent: k, Error: p.errText, Busy: p.busy,
		OnAnswer: func(ctx app.Context, allow bool) {
			p.act(ctx, resource.ActionOAuthConsent, resource.OAuthConsentAnswer{Accept: &allow}, "")
		}}
}
