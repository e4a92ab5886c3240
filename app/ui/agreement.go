package ui

import (
	"html"
	"regexp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
)

// Messages of the agreement step.
const (
	MsgAgreementExplain Msg = "agreement.explain"
	MsgAgreementAccept  Msg = "agreement.accept"
	MsgAgreementDecline Msg = "agreement.decline"
)

// AgreementStep shows the agreement the user must consent to
// (AGREEMENT_CONSENT_REQUIRED) with Accept and Decline. The text is always
// rendered as text, never as markup: an HTML revision (sanitised by the
// server) is reduced to its text with line breaks where its blocks end.
type AgreementStep struct {
	app.Compo
	Agreement resource.FlowAgreement
	Error     string
	Busy      bool
	OnAnswer  func(ctx app.Context, accept bool)
}

// Render implements app.Composer.
func (c *AgreementStep) Render() app.UI {
	decline := app.Button().ID("decline").Type("button").Class("link").Text(T(MsgAgreementDecline)).
		OnClick(func(ctx app.Context, e app.Event) {
			if c.OnAnswer != nil && !c.Busy {
				c.OnAnswer(ctx, false)
			}
		})
	if c.Busy {
		decline = decline.Disabled(true)
	}
	return stepForm(c.Agreement.Name, T(MsgAgreementAccept), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnAnswer != nil {
				c.OnAnswer(ctx, true)
			}
		},
		decline,
		app.P().Text(T(MsgAgreementExplain)),
		// Styled by the stylesheet (.agreement-text): the CSP forbids inline styles.
		app.Div().ID("agreement-text").Class("agreement-text").Text(agreementPlainText(c.Agreement.ContentType, c.Agreement.Text)),
	)
}

var (
	blockEnd = regexp.MustCompile(`(?i)<br\s*/?>|</(p|li|h[1-6]|blockquote|ul|ol)>`)
	anyTag   = regexp.MustCompile(`<[^>]*>`)
)

// agreementPlainText is the text to show: a plain text as is; an HTML
// text without its tags, entities decoded (the result is set as text, so
// nothing in it is ever interpreted as markup).
func agreementPlainText(contentType, text string) string {
	if contentType != resource.AgreementTextHTML {
		return text
	}
	s := blockEnd.ReplaceAllString(text, "\n")
	s = anyTag.ReplaceAllString(s, "")
	return strings.TrimSpace(html.UnescapeString(s))
}

// agreementStep renders AGREEMENT_CONSENT_REQUIRED; the answer goes out
// through act, which keeps the step (and its clicked button) mounted and
// busy until the flow's next state arrives.
func (p *SignOnPage) agreementStep(f *resource.Flow) app.UI {
	var ag resource.FlowAgreement
	if f.Embedded != nil && f.Embedded.Agreement != nil {
		ag = *f.Embedded.Agreement
	}
	return &AgreementStep{Agreement: ag, Error: p.errText, Busy: p.busy,
		OnAnswer: func(ctx app.Context, accept bool) {
			p.act(ctx, resource.ActionAgreementConsent, resource.AgreementConsentAnswer{Accept: &accept}, "")
		}}
}
