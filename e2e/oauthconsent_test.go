package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestOAuthConsentBrowser: a third-party application (created through the
// API, requireConsent) asks for consent at authorize; the user signs on,
// sees the application's name and what it may do, allows, and the
// application gets a code; MyAccount's Consents tab lists the application,
// the user revokes it there and the history shows it given then revoked;
// the application's next authorize asks again, and Deny sends it
// error=access_denied.
func TestOAuthConsentBrowser(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	const user, pw, email = "dana", "a long consenting passphrase", "dana@example.com"
	bt.srv.createUser(user, email, pw)

	// The third-party application: a page that only shows it was reached.
	thirdParty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>Photo Printer</title><p id="printer-callback">Photo Printer callback</p>`))
	}))
	t.Cleanup(thirdParty.Close)
	callback := thirdParty.URL + "/callback"
	var app resource.Application
	bt.srv.adminAPI("POST", paths.Build(paths.Applications, defaultEnvID), map[string]any{
		"name": "Photo Printer", "type": resource.AppSinglePage, "redirectUris": []string{callback}, "requireConsent": true}, 201, &app)
	authorize := func(state string) string {
		q := url.Values{"response_type": {"code"}, "client_id": {app.ID}, "redirect_uri": {callback},
			"scope": {"openid profile email"}, "state": {state}, "code_challenge_method": {"S256"},
			"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}}
		return bt.srv.URL + paths.Build(paths.Authorize, defaultEnvID) + "?" + q.Encode()
	}
	landed := func(b *browser, what string) url.Values {
		b.t.Helper()
		b.do(what, chromedp.WaitVisible(chromedp.ID("printer-callback")))
		// The address itself: b.location() hides the code and state.
		href := run(b, what+": address", chromedp.Evaluate[string](`location.href`))
		loc, err := url.Parse(href)
		if err != nil || !strings.HasPrefix(href, callback) {
			t.Fatalf("%s: at %s, want %s", what, b.location(), callback)
		}
		return loc.Query()
	}

	b := bt.b
	b.do("open the application's authorize", chromedp.Navigate(authorize("s-1")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, user, pw)
	var pols resource.List[resource.SignOnPolicy]
	bt.srv.adminAPI("GET", paths.Build(paths.SignOnPolicies, defaultEnvID), nil, 200, &pols)
	seen := map[string]bool{}
	if pols.Embedded["signOnPolicies"][0].Kind == resource.PolicyPasswordMFA {
		b.do("enroll first email",
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), email),
			click(chromedp.ID("submit")),
			chromedp.WaitVisible(chromedp.ID("otp")),
		)
		b.do("passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, bt.mail, email, seen)), click(chromedp.ID("submit")))
	}
	b.do("consent screen", chromedp.WaitVisible(chromedp.ID("consent-scopes")))
	b.shot("consent-screen")
	if got := b.text("main h1"); !strings.Contains(got, "Photo Printer") {
		t.Errorf("consent title %q", got)
	}
	if got := b.text("#consent-scopes"); !strings.Contains(got, "See your name and username") || !strings.Contains(got, "See your email address") {
		t.Errorf("scopes shown %q", got)
	}
	b.do("allow", click(chromedp.ID("submit")))
	if q := landed(b, "back at the application"); q.Get("code") == "" || q.Get("state") != "s-1" || q.Get("error") != "" {
		t.Fatalf("allow answered %v", q)
	}

	// MyAccount (signed on already): the application and the history.
	b.do("open MyAccount", chromedp.Navigate(bt.myAccount))
	waitMyAccount(b, bt.myAccount)
	b.do("Consents tab", click(chromedp.ID("tab-consents")),
		chromedp.WaitVisible(chromedp.CSS("#panel-consents #app-consent-list .app-consent")),
		chromedp.WaitVisible(chromedp.CSS(`#panel-consents #consent-history-list .history-entry[data-change="GIVEN"]`)))
	if got := b.text("#panel-consents #app-consent-list .app-consent"); !strings.Contains(got, "Photo Printer") || !strings.Contains(got, "See your email address") {
		t.Fatalf("application row %q", got)
	}
	b.shot("consents-tab")
	id := attrOf(b, "#panel-consents #app-consent-list .app-consent", "data-consent-id")
	b.do("revoke the application",
		click(chromedp.ID("revoke-app-"+id)),
		chromedp.WaitVisible(chromedp.ID("confirm-revoke-app-"+id)),
		click(chromedp.ID("confirm-revoke-app-"+id)),
		chromedp.WaitVisible(chromedp.ID("app-consents-notice")),
		chromedp.WaitVisible(chromedp.ID("app-consents-empty")),
		chromedp.WaitVisible(chromedp.CSS(`#panel-consents #consent-history-list .history-entry[data-change="REVOKED"]`)),
	)
	if got := b.text("#panel-consents #consent-history-list"); !strings.Contains(got, "Access of Photo Printer revoked") || !strings.Contains(got, "You allowed Photo Printer") {
		t.Errorf("history %q", got)
	}
	b.shot("revoked")

	// The next authorize asks again; Deny answers access_denied.
	b.do("authorize again", chromedp.Navigate(authorize("s-2")), chromedp.WaitVisible(chromedp.ID("consent-scopes")))
	b.do("deny", click(chromedp.ID("deny")))
	if q := landed(b, "denied"); q.Get("error") != "access_denied" || q.Get("state") != "s-2" || q.Get("code") != "" {
		t.Fatalf("deny answered %v", q)
	}
}
