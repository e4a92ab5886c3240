package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestAgreementConsentBrowser: with an agreement in the sign-on policy, a
// user accepts it at sign-on (the HTML shown as text, its script never
// run), sees it in the Consents tab, revokes it, and is asked again at the
// next sign-on.
func TestAgreementConsentBrowser(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	const user, pw, email = "cara", "a long agreeable passphrase", "cara@example.com"
	bt.srv.createUser(user, email, pw)
	var ag resource.Agreement
	bt.srv.adminAPI("POST", paths.Build(paths.Agreements, defaultEnvID), map[string]any{"name": "Terms of use"}, 201, &ag)
	var l resource.AgreementLanguage
	bt.srv.adminAPI("POST", paths.Build(paths.AgreementLanguages, defaultEnvID, ag.ID), map[string]any{"locale": "en"}, 201, &l)
	bt.srv.adminAPI("POST", paths.Build(paths.AgreementRevisions, defaultEnvID, ag.ID, l.ID), map[string]any{
		"contentType": "text/html", "effectiveAt": "2020-01-01T00:00:00Z",
		"text": `<p>Be <b>kind</b>.</p><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">`}, 201, nil)
	bt.srv.adminAPI("PUT", paths.Build(paths.Agreement, defaultEnvID, ag.ID), map[string]any{"name": "Terms of use", "enabled": true}, 200, nil)
	var pols resource.List[resource.SignOnPolicy]
	bt.srv.adminAPI("GET", paths.Build(paths.SignOnPolicies, defaultEnvID), nil, 200, &pols)
	p := pols.Embedded["signOnPolicies"][0]
	bt.srv.adminAPI("PUT", paths.Build(paths.SignOnPolicy, defaultEnvID, p.ID), map[string]any{
		"kind": p.Kind, "enrollDuringSignOn": true, "deviceSelection": p.DeviceSelection, "agreementId": ag.ID}, 200, nil)

	b := bt.b
	b.do("open MyAccount", chromedp.Navigate(bt.myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, user, pw)
	seen := map[string]bool{}
	if p.Kind == resource.PolicyPasswordMFA {
		b.do("enroll first email",
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), email),
			click(chromedp.ID("submit")),
			chromedp.WaitVisible(chromedp.ID("otp")),
		)
		b.do("passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, bt.mail, email, seen)), click(chromedp.ID("submit")))
	}
	b.do("agreement step", chromedp.WaitVisible(chromedp.ID("agreement-text")))
	b.shot("agreement")
	if got := b.text("#agreement-text"); !strings.Contains(got, "Be kind.") || strings.Contains(got, "<") {
		t.Fatalf("agreement text %q", got)
	}
	if pwned := run(b, "script not run", chromedp.Evaluate[bool](`window.pwned !== undefined`)); pwned {
		t.Fatal("the agreement's script ran")
	}
	b.do("accept", click(chromedp.ID("submit")))
	waitMyAccount(b, bt.myAccount)
	b.do("Consents tab", click(chromedp.ID("tab-consents")), chromedp.WaitVisible(chromedp.CSS("#consent-list .consent")))
	if got := b.text("#consent-list .consent"); !strings.Contains(got, "Terms of use") || !strings.Contains(got, "language en") {
		t.Fatalf("consent row %q", got)
	}
	b.shot("consents")
	b.do("revoke",
		click(chromedp.ID("revoke-"+ag.ID)),
		chromedp.WaitVisible(chromedp.ID("confirm-revoke-"+ag.ID)),
		click(chromedp.ID("confirm-revoke-"+ag.ID)),
		chromedp.WaitVisible(chromedp.ID("consents-notice")),
		chromedp.WaitVisible(chromedp.ID("consents-empty")),
	)

	// Asked again at the next sign-on (a fresh browser: no session).
	b2 := newBrowser(t, chromiumPath(t))
	b2.do("open MyAccount again", chromedp.Navigate(bt.myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b2, user, pw)
	if p.Kind == resource.PolicyPasswordMFA {
		b2.do("passcode again", chromedp.WaitVisible(chromedp.ID("otp")),
			chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, bt.mail, email, seen)), click(chromedp.ID("submit")))
	}
	b2.do("agreement asked again", chromedp.WaitVisible(chromedp.ID("agreement-text")))
}
