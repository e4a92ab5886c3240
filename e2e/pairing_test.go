package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestPairingFollowsMFASettings: an administrator turns on "prompt for
// nickname" and leaves SMS out of the environment's methods; in MyAccount
// the user gets no Text message choice, names a new email method in its
// add form, pairs it with the mailed passcode, and the list shows it under
// that name. Pairing then turned off, the tab has a note instead of "Add
// method".
func TestPairingFollowsMFASettings(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	mail, srv, b, myAccount := bt.mail, bt.srv, bt.b, bt.myAccount

	const (
		username = "dora"
		password = "correct horse battery staple"
		account  = "dora@example.com"
		first    = "dora.mfa@example.com"
		second   = "work.dora@example.com"
		nickname = "Work mail"
	)
	settings := paths.Build(paths.MFASettings, defaultEnvID)
	var m map[string]any
	srv.adminAPI("GET", settings, nil, http.StatusOK, &m)
	m["methods"] = []string{resource.DeviceEmail, resource.DeviceVoice, resource.DeviceTOTP, resource.DeviceFIDO2}
	m["promptForNicknameOnPairing"] = true
	var got resource.MFASettings
	srv.adminAPI("PUT", settings, m, http.StatusOK, &got)
	if !got.PromptForNicknameOnPairing || slices.Contains(got.Methods, resource.DeviceSMS) {
		t.Fatalf("MFA settings after PUT: %+v", got)
	}

	seen := bt.newUserOnAuthenticationTab(t, username, account, password, first)

	// Add method: no Text message; the other methods are there.
	b.do("add method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-email")))
	for _, id := range []string{"add-voice", "add-totp", "add-security-key", "add-passkey"} {
		if n := run(b, "count #"+id, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll("#%s").length`, id))); n != 1 {
			t.Errorf("#%s shown %d times, want once", id, n)
		}
	}
	if n := run(b, "count #add-sms", chromedp.Evaluate[int](`document.querySelectorAll("#add-sms").length`)); n != 0 {
		t.Error("Text message offered though the environment leaves SMS out")
	}
	if choices := b.text(".choices"); strings.Contains(choices, "Text message") {
		t.Errorf("the choices mention Text message: %q", choices)
	}
	b.shot("choices-without-sms")

	// Email → address and "Name this method" → Next → passcode.
	b.do("choose email", click(chromedp.ID("add-email")),
		chromedp.WaitVisible(chromedp.ID("email")), chromedp.WaitVisible(chromedp.ID("method-nickname")))
	if label := b.text(`label[for="method-nickname"]`); label != "Name this method" {
		t.Errorf("nickname label = %q", label)
	}
	b.do("submit email and name",
		chromedp.SendKeys(chromedp.ID("email"), second),
		chromedp.SendKeys(chromedp.ID("method-nickname"), nickname),
	)
	b.shot("named-email")
	b.do("next", click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("otp")))
	b.do("submit pairing passcode",
		chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, second, seen)),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
	)
	waitDevices(b, 2)
	newID := attrOf(b, "#panel-mfa .device:not(.device-default)", "data-device-id")
	row := fmt.Sprintf(`#panel-mfa .device[data-device-id="%s"]`, newID)
	if got := b.text(row + " .device-nickname"); got != nickname {
		t.Errorf("the new method is listed as %q, want %q", got, nickname)
	}
	if st := b.text(row + " .device-status"); st != "Active" {
		t.Errorf("the new method is %q, want Active", st)
	}
	b.shot("named-method-listed")

	// The administrator turns pairing off: after a reload the tab says so
	// instead of offering "Add method".
	srv.adminAPI("GET", settings, nil, http.StatusOK, &m)
	m["pairing"].(map[string]any)["disabled"] = true
	srv.adminAPI("PUT", settings, m, http.StatusOK, nil)
	b.do("reload", chromedp.Navigate(myAccount))
	waitMyAccount(b, myAccount)
	b.do("Authentication tab with pairing off",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.ID("pairing-off")))
	waitDevices(b, 2)
	if n := run(b, "count #add-method", chromedp.Evaluate[int](`document.querySelectorAll("#add-method").length`)); n != 0 {
		t.Error("Add method offered while pairing is off")
	}
	if note := b.text("#pairing-off"); note != "Your administrator has turned off adding methods." {
		t.Errorf("note = %q", note)
	}
	b.shot("pairing-off")
}
