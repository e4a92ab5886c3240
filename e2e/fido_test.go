package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
)

// TestUserPairsSecurityKeyAndPasskey is the FIDO2 method of issue 3 in a
// real browser, with Chromium's virtual authenticators (DevTools' WebAuthn
// domain) standing in for a USB security key and the device's platform
// passkey: a user who enrolled an email at sign-on adds a security key and
// a passkey in the Authentication tab, each named after its authenticator,
// makes the passkey the default, signs off, and signs on again with the
// passkey (no passcode is mailed). A failed user verification first shows
// an error and the step stays.
//
// The server runs at http://localhost:PORT (startServer): localhost is a
// secure context and a valid RP ID, where 127.0.0.1 could not be one.
func TestUserPairsSecurityKeyAndPasskey(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	mail, srv, b, myAccount := bt.mail, bt.srv, bt.b, bt.myAccount
	if !strings.HasPrefix(srv.PublicURL, "http://localhost:") {
		t.Fatalf("PUBLIC_URL %s: WebAuthn needs a host name as RP ID", srv.PublicURL)
	}

	const (
		username = "erin"
		password = "correct horse battery staple"
		account  = "erin@example.com"
		first    = "erin.mfa@example.com"
	)

	// A USB security key, and the device's own authenticator holding a
	// discoverable, user-verified passkey. The WebAuthn domain belongs to
	// the tab, so it stays through the sign-on page's navigations.
	var passkey webauthn.AuthenticatorID
	b.do("add virtual authenticators", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return fmt.Errorf("webauthn.enable: %w", err)
		}
		if _, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
				Transport: webauthn.AuthenticatorTransportUsb, AutomaticPresenceSimulation: true},
		}); err != nil {
			return fmt.Errorf("add security key: %w", err)
		}
		res, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
				Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
				IsUserVerified: true, AutomaticPresenceSimulation: true},
		})
		if err != nil {
			return fmt.Errorf("add platform authenticator: %w", err)
		}
		passkey = res.AuthenticatorID
		return nil
	}))

	seen := bt.newUserOnAuthenticationTab(t, username, account, password, first)

	// Add method → Security key: the browser's prompt (answered by the
	// virtual key) and the activation run at once.
	b.do("add method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-security-key")))
	b.shot("choose-method")
	b.do("choose security key", click(chromedp.ID("add-security-key")), chromedp.WaitVisible(chromedp.ID("add-method")))
	waitDevices(b, 2)
	keyRow := lastDeviceRow(b)
	if got := b.text(keyRow + " .device-type"); got != "Security key" {
		t.Errorf("the key is listed as %q", got)
	}
	if got := b.text(keyRow + " .device-status"); got != "Active" {
		t.Errorf("the key is %q, want Active", got)
	}
	// With attestation "none" Chromium zeroes a security key's AAGUID, so
	// the server names it by its kind (a real key's AAGUID, such as a
	// YubiKey's, names it; see fido.AuthenticatorName).
	if got := b.text(keyRow + " .device-nickname"); got != "Security key" {
		t.Errorf("the key is named %q", got)
	}
	b.shot("security-key-paired")

	// Add method → Passkey.
	b.do("add method again", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-passkey")))
	b.do("choose passkey", click(chromedp.ID("add-passkey")), chromedp.WaitVisible(chromedp.ID("add-method")))
	waitDevices(b, 3)
	pkRow := lastDeviceRow(b)
	if got := b.text(pkRow + " .device-type"); got != "Passkey" {
		t.Errorf("the passkey is listed as %q", got)
	}
	// The platform passkey keeps its AAGUID: Chromium's virtual
	// authenticator's, which the server knows by name.
	if got := b.text(pkRow + " .device-nickname"); got != "Chromium virtual authenticator" {
		t.Errorf("the passkey is named %q", got)
	}
	b.do("make the passkey the default",
		click(chromedp.CSS(pkRow+" .make-default")),
		chromedp.WaitVisible(chromedp.CSS(pkRow+".device-default")),
	)
	b.shot("passkey-default")

	// Sign off, and on again: the default method is now the passkey.
	b.do("sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("assertion step", chromedp.WaitVisible(chromedp.ID("assertion-hint")))
	if h := b.text("main h1"); h != "Use your security key or passkey" {
		t.Errorf("assertion step title = %q", h)
	}
	if got := b.text("#submit"); got != "Use your security key or passkey" {
		t.Errorf("assertion button = %q", got)
	}
	b.shot("signon-passkey")

	// The screen lock fails once: the browser refuses, the page says so
	// and stays on the step.
	setUserVerified := func(ok bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: passkey, IsUserVerified: ok})
			return err
		})
	}
	b.do("fail user verification", setUserVerified(false), click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("error")))
	if msg := b.text("#error"); !strings.Contains(msg, "cancelled or timed out") {
		t.Errorf("failed verification says %q", msg)
	}
	b.shot("passkey-refused")

	b.do("sign on with the passkey", setUserVerified(true), click(chromedp.ID("submit")))
	waitMyAccount(b, myAccount)
	b.shot("signed-on-with-passkey")
	// The MFA was the passkey's: no passcode went to the email method.
	for _, m := range mail.Messages() {
		if code := mailtest.OTPFrom(m.Text); code != "" && !seen[string(m.Raw)] {
			t.Errorf("a passcode was mailed to %v during the passkey sign-on", m.To)
		}
	}
}

// lastDeviceRow is the CSS selector of the last row of the Authentication
// tab's list (a new method is added at the end).
func lastDeviceRow(b *browser) string {
	b.t.Helper()
	id := run(b, "read the last device's id", chromedp.Evaluate[string](
		`(() => { const r = document.querySelectorAll("#panel-mfa .device"); return r.length ? r[r.length-1].dataset.deviceId : ""; })()`))
	if id == "" {
		b.fail("read the last device's id", fmt.Errorf("no device rows"))
	}
	return fmt.Sprintf(`#panel-mfa .device[data-device-id="%s"]`, id)
}
