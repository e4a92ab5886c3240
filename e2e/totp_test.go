package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TestUserPairsAuthenticatorApp is the authenticator-app method of issue 3
// in a real browser: a user who enrolled an email at sign-on adds an
// authenticator app (Add method → Authenticator app → Scan this QR code),
// reading the key from the page as a person typing it into an app would,
// pairs it with the current code, makes it the default, signs off, and
// signs on again with a code from the app. The code used at pairing is
// refused when replayed at sign-on; the next step's code is accepted.
//
// Codes are computed with pquerna/otp, an implementation independent of
// the server's, so the two must agree on RFC 6238.
func TestUserPairsAuthenticatorApp(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	b, myAccount := bt.b, bt.myAccount

	const (
		username = "dave"
		password = "correct horse battery staple"
		account  = "dave@example.com"
		first    = "dave.mfa@example.com"
	)

	bt.newUserOnAuthenticationTab(t, username, account, password, first)

	// Add method → Authenticator app → Scan this QR code.
	b.do("add method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-totp")))
	b.do("choose authenticator app", click(chromedp.ID("add-totp")), chromedp.WaitVisible(chromedp.ID("totp-secret")))
	if src := attrOf(b, "#totp-qr", "src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR image src = %.40q, want a PNG data: URL", src)
	}
	if alt := attrOf(b, "#totp-qr", "alt"); alt == "" {
		t.Error("QR image has no alt text")
	}
	// The image must have loaded under the page's CSP (img-src data:).
	if w := run(b, "QR decoded", chromedp.Evaluate[int](`document.getElementById("totp-qr").naturalWidth`)); w == 0 {
		t.Error("the QR image did not load")
	}
	shown := b.text("#totp-secret")
	secret := strings.ReplaceAll(shown, " ", "")
	if len(secret) < 16 || strings.Contains(shown, secret[:5]) {
		t.Fatalf("key shown as %q: want base32 in groups of four", shown)
	}
	b.shot("scan-qr-code")

	// Leave the step and come back through "Finish pairing": the device is
	// read again and shows the same key while it is pending.
	b.do("cancel pairing", click(chromedp.ID("cancel")), chromedp.WaitVisible(chromedp.ID("add-method")))
	waitDevices(b, 2)
	b.do("finish pairing",
		click(chromedp.CSS("#panel-mfa .device .finish-pairing")),
		chromedp.WaitVisible(chromedp.ID("totp-secret")),
	)
	if again := b.text("#totp-secret"); again != shown {
		t.Errorf("finish pairing shows key %q, want the same as before", again)
	}

	// A wrong code first: the step stays, with the key.
	b.do("wrong pairing code",
		chromedp.SendKeys(chromedp.ID("otp"), wrongCode(t, secret)),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if msg := b.text("#error"); !strings.Contains(msg, "Wrong code") {
		t.Errorf("wrong pairing code says %q", msg)
	}
	paired := time.Now()
	code := totpCode(t, secret, paired)
	b.do("pair with the current code",
		clearOTP(),
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
	)
	waitDevices(b, 2)
	appID := attrOf(b, "#panel-mfa .device:not(.device-default)", "data-device-id")
	row := fmt.Sprintf(`#panel-mfa .device[data-device-id="%s"]`, appID)
	if got := b.text(row + " .device-type"); got != "Authenticator app" {
		t.Errorf("new method listed as %q", got)
	}
	if got := b.text(row + " .device-status"); got != "Active" {
		t.Errorf("new method is %q, want Active", got)
	}
	// The key is gone from the page once paired.
	if n := run(b, "key gone", chromedp.Evaluate[int](`document.querySelectorAll("#totp-secret").length`)); n != 0 {
		t.Error("the key is still on the page after pairing")
	}
	b.do("make the app the default",
		click(chromedp.CSS(row+" .make-default")),
		chromedp.WaitVisible(chromedp.CSS(row+".device-default")),
	)
	b.shot("app-default")

	// Sign off, and on again: the default method is now the app.
	b.do("sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("TOTP step", chromedp.WaitVisible(chromedp.ID("otp")))
	if h := b.text("main h1"); h != "Enter the code from your authenticator app" {
		t.Errorf("OTP step title = %q", h)
	}
	if n := run(b, "no resend", chromedp.Evaluate[int](`document.querySelectorAll("#resend").length`)); n != 0 {
		t.Error(`"Send a new code" offered for an authenticator app`)
	}
	b.shot("signon-totp")

	// The pairing code replayed within its step is refused.
	b.do("replay the pairing code",
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if msg := b.text("#error"); !strings.Contains(msg, "Wrong code") {
		t.Errorf("replayed code says %q, want the wrong-code message", msg)
	}
	b.shot("replay-refused")

	// The next step's code (within the one-step grace window, so the test
	// need not wait for the clock) signs on.
	b.do("sign on with the next code",
		clearOTP(),
		chromedp.SendKeys(chromedp.ID("otp"), totpCode(t, secret, paired.Add(30*time.Second))),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(b, myAccount)
	b.shot("signed-on-with-app")
}

// totpCode is the authenticator app's code for secret at when.
func totpCode(t *testing.T, secret string, when time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, when, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("compute TOTP code: %v", err)
	}
	return code
}

// wrongCode is a code that no step in the grace window has.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	now := time.Now()
	near := map[string]bool{}
	for i := -2; i <= 2; i++ {
		near[totpCode(t, secret, now.Add(time.Duration(i)*30*time.Second))] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", i)
		if !near[c] {
			return c
		}
	}
}

// clearOTP empties the code field for the next try.
func clearOTP() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.getElementById("otp").value = ""`)
}
