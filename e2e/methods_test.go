package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
)

// TestUserManagesEmailMethods is the Authentication tab of issue 3 in a
// real browser, in the page sequence of PingOne's guide (Add Method → Email
// → address → Email pairing → listed): a user who enrolled a first email at
// sign-on adds a second one with the passcode from the SMTP receiver,
// renames it, makes it the default and removes the first; a reload shows
// the result as the server keeps it.
func TestUserManagesEmailMethods(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	mail, b, myAccount := bt.mail, bt.b, bt.myAccount

	const (
		username = "carol"
		password = "correct horse battery staple"
		account  = "carol@example.com"
		first    = "carol.mfa@example.com"
		second   = "work.carol@example.com" // masks to w***@example.com, unlike the first
		nickname = "Work mail"
	)

	seen := bt.newUserOnAuthenticationTab(t, username, account, password, first)
	firstID := attrOf(b, "#panel-mfa .device.device-default", "data-device-id")
	b.shot("methods")

	// Add Method → Email (marked the weakest) → address → Next.
	b.do("add method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-email")))
	if weak := b.text("#email-weak"); !strings.Contains(weak, "NIST 800-63B") {
		t.Errorf("the email choice is not marked as the weakest method: %q", weak)
	}
	b.shot("choose-method")
	b.do("choose email", click(chromedp.ID("add-email")), chromedp.WaitVisible(chromedp.ID("email")))
	b.do("submit second email",
		chromedp.SendKeys(chromedp.ID("email"), second),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	// Email pairing: the passcode mailed to the new address.
	if target := b.text("#otp-target"); !strings.Contains(target, "w***@example.com") {
		t.Errorf("the pairing step does not say where the code went: %q", target)
	}
	b.shot("email-pairing")
	code := nextOTP(t, mail, second, seen)
	b.do("submit pairing passcode",
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
	)
	waitDevices(b, 2)
	secondID := attrOf(b, "#panel-mfa .device:not(.device-default)", "data-device-id")
	row := func(id string) string { return fmt.Sprintf(`#panel-mfa .device[data-device-id="%s"]`, id) }
	if st := b.text(row(secondID) + " .device-status"); st != "Active" {
		t.Errorf("the new method is %q, want Active", st)
	}
	b.shot("paired")

	// The list with its actions at a phone's width: nothing wider than the screen.
	b.do("mobile viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.WaitVisible(chromedp.ID("add-method")))
	if overflow := run(b, "measure width", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); overflow {
		t.Error("the Authentication tab is wider than a 360 px screen")
	}
	b.shot("methods-mobile")
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 800))

	// Rename it inline.
	b.do("rename",
		click(chromedp.CSS(row(secondID)+" .rename")),
		chromedp.WaitVisible(chromedp.CSS(row(secondID)+" #nickname")),
		chromedp.SendKeys(chromedp.CSS(row(secondID)+" #nickname"), nickname),
		click(chromedp.CSS(row(secondID)+" .save-nickname")),
		chromedp.WaitVisible(chromedp.CSS(row(secondID)+" .device-nickname")),
	)
	if got := b.text(row(secondID) + " .device-nickname"); got != nickname {
		t.Errorf("nickname shown = %q, want %q", got, nickname)
	}

	// Make it the default.
	b.do("make default",
		click(chromedp.CSS(row(secondID)+" .make-default")),
		chromedp.WaitVisible(chromedp.CSS(row(secondID)+".device-default")),
	)
	b.shot("new-default")

	// Remove the first, after confirming.
	b.do("remove first",
		click(chromedp.CSS(row(firstID)+" .remove")),
		chromedp.WaitVisible(chromedp.ID("confirm-remove")),
	)
	b.shot("confirm-remove")
	b.do("confirm removal", click(chromedp.ID("confirm-remove")))
	waitDevices(b, 1)
	if err := b.text("#panel-mfa"); strings.Contains(err, "Something went wrong") {
		t.Errorf("the tab shows an error: %q", err)
	}

	// A reload shows what the server kept.
	b.do("reload", chromedp.Navigate(myAccount))
	waitMyAccount(b, myAccount)
	b.do("Authentication tab after reload",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")))
	waitDevices(b, 1)
	if got := attrOf(b, "#panel-mfa .device.device-default", "data-device-id"); got != secondID {
		t.Errorf("default after reload = %s, want the second email %s", got, secondID)
	}
	if got := b.text("#panel-mfa .device-default .device-nickname"); got != nickname {
		t.Errorf("nickname after reload = %q, want %q", got, nickname)
	}
	b.shot("reloaded")
}

// waitDevices waits until the Authentication tab lists n devices.
func waitDevices(b *browser, n int) {
	b.t.Helper()
	run(b, fmt.Sprintf("wait for %d devices", n), chromedp.Poll[bool](
		fmt.Sprintf(`document.querySelectorAll("#panel-mfa .device").length === %d`, n),
		chromedp.WithPollingTimeout(stepTimeout)))
}

// attrOf reads an attribute of the first element matching sel.
func attrOf(b *browser, sel, name string) string {
	b.t.Helper()
	v := run(b, "read "+name+" of "+sel, chromedp.Evaluate[string](
		fmt.Sprintf(`(document.querySelector(%q) || {getAttribute: () => ""}).getAttribute(%q) || ""`, sel, name)))
	if v == "" {
		b.fail("read "+name+" of "+sel, fmt.Errorf("no such element or attribute"))
	}
	return v
}

// toAuthenticationTab signs on from the MyAccount page, enrolling email as
// the first method (the sign-on's MFA makes the session fresh enough for
// device writes), and opens the Authentication tab. It returns the
// passcodes already used, for nextOTP.
func toAuthenticationTab(t *testing.T, b *browser, mail *mailtest.Server, myAccount, username, password, email string) map[string]bool {
	t.Helper()
	toSignOnPage(b, myAccount)
	submitPassword(b, username, password)
	seen := enrollFirstEmail(b, mail, myAccount, email)
	b.do("Authentication tab",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
	)
	return seen
}
