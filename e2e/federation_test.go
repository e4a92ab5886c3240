package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestSignOnWithLinkedAccount is issue 5's linked accounts in a real
// browser, against a real OpenID provider: another environment of this
// same server (the Administrators environment) is the upstream, with an
// application whose redirect URI is the Default environment's callback,
// and the Default environment has it as an identity provider. Both run on
// one origin; their cookies are per environment path, so the two sign-ons
// do not mix. The user picks "Sign in with Upstream" on the sign-on page,
// signs on upstream with real redirects, comes back, proves the
// downstream account with its password (the upstream email matches it),
// passes the Default policy's MFA and lands in MyAccount, where the linked
// account shows. Unlinking removes it; "Link Upstream" links it again
// through the upstream SSO session, without a password.
func TestSignOnWithLinkedAccount(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	b, srv := bt.b, bt.srv

	const (
		upUser   = "dora.upstream"
		upPW     = "the upstream side of the river"
		account  = "dora@example.com"
		pw       = "the downstream side of the river"
		mfaEmail = "dora.mfa@example.com"
	)

	// Upstream: an OIDC application and a user in the other environment.
	callback := srv.URL + paths.Build(paths.FederationCallback, defaultEnvID)
	var app resource.Application
	srv.adminAPI("POST", paths.Build(paths.Applications, adminEnvID), map[string]any{
		"name": "Default environment sign-on", "type": resource.AppSinglePage, "redirectUris": []string{callback},
	}, http.StatusCreated, &app)
	srv.adminAPI("POST", paths.Build(paths.Users, adminEnvID), resource.UserCreate{
		Username: upUser, Email: account, Password: &resource.Password{Value: upPW},
	}, http.StatusCreated, nil)

	// Downstream: the provider, and the account the upstream email matches.
	var idp resource.ExternalIdentityProvider
	srv.adminAPI("POST", paths.Build(paths.IdentityProviders, defaultEnvID), map[string]any{
		"type": "OPENID_CONNECT", "name": "Upstream", "enabled": true,
		"issuer": srv.URL + "/" + adminEnvID + "/as", "clientId": app.ID, "scopes": []string{"openid", "email", "profile"},
	}, http.StatusCreated, &idp)
	srv.createUser(account, account, pw)

	// The sign-on page offers the provider.
	b.doFirstLoad("open MyAccount", chromedp.Navigate(bt.myAccount), chromedp.WaitVisible(chromedp.ID("idp-"+idp.ID)))
	waitText(b, "#idp-"+idp.ID, "Sign in with Upstream")
	b.shot("signon-with-provider")
	b.do("sign in with Upstream", click(chromedp.ID("idp-"+idp.ID)))

	// The upstream environment's own sign-on page.
	upSignOn := paths.Build(paths.SignOn, adminEnvID)
	waitPath(b, upSignOn)
	b.do("upstream sign-on form", chromedp.WaitVisible(chromedp.ID("username")))
	b.shot("upstream-signon")
	submitPassword(b, upUser, upPW)

	// Back downstream: prove the matching account with its password.
	b.do("password proof asked", chromedp.WaitVisible(chromedp.ID("prove-explain")))
	if loc := b.location(); !strings.Contains(loc, paths.Build(paths.SignOn, defaultEnvID)) {
		t.Fatalf("after the upstream sign-on the browser is at %s", loc)
	}
	waitText(b, "#prove-explain", account)
	b.shot("prove-password")
	b.do("a wrong password",
		chromedp.SendKeys(chromedp.ID("password"), "not the password"),
		click(chromedp.ID("submit")))
	waitText(b, "#error", "password")
	b.do("the right password",
		clearField("password"),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		click(chromedp.ID("submit")),
	)
	enrollFirstEmail(b, bt.mail, bt.myAccount, mfaEmail)

	// The linked account shows on the Accounts & sessions tab.
	row := "#panel-sessions #linked-list .linked-account"
	b.do("Accounts tab", click(chromedp.ID("tab-sessions")), chromedp.WaitVisible(chromedp.CSS(row)))
	waitCount(b, row, 1)
	waitText(b, row+" .device-type", "Upstream")
	b.shot("linked")
	linkedID := attrOf(b, row, "data-linked-id")

	// Unlink it (the sign-on's MFA is fresh).
	b.do("unlink",
		click(chromedp.ID("unlink-"+linkedID)),
		chromedp.WaitVisible(chromedp.ID("confirm-unlink-"+linkedID)),
		click(chromedp.ID("confirm-unlink-"+linkedID)),
		chromedp.WaitVisible(chromedp.ID("linked-empty")),
	)
	waitCount(b, row, 0)
	b.shot("unlinked")

	// Link it again from MyAccount: the upstream session answers at once.
	b.do("link Upstream", chromedp.WaitVisible(chromedp.ID("link-"+idp.ID)), click(chromedp.ID("link-"+idp.ID)))
	// Back on MyAccount's Accounts & sessions tab (#sessions), which the
	// page opens after its own silent sign-on.
	waitPath(b, paths.Build(paths.MyAccount, defaultEnvID))
	b.do("linked again", chromedp.WaitVisible(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.CSS(row)))
	waitCount(b, row, 1)
	if got := attrOf(b, row, "data-linked-id"); got == linkedID {
		t.Errorf("relinked account has the old id %s", got)
	}
	b.shot("relinked")
}

// waitPath waits until the tab's location has path p. It reads the
// location between navigations (a script poll would lose its context when
// the page changes under it).
func waitPath(b *browser, p string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		loc, err := chromedp.Run(ctx, chromedp.Location())
		cancel()
		if u, perr := url.Parse(loc); err == nil && perr == nil && u.Path == p {
			return
		}
		if time.Now().After(deadline) {
			b.fail("wait for "+p, fmt.Errorf("the tab is at %s", loc))
			return
		}
		select {
		case <-b.ctx.Done():
			b.fail("wait for "+p, b.ctx.Err())
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}
