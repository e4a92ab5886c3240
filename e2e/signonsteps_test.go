package e2e

import (
	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
)

// Sign-on steps several browser tests take the same way.

// enrollFirstEmail answers the sign-on's first-method step with email,
// enters the passcode mailed to it and waits for MyAccount at myAccount.
// It returns the passcodes used, for nextOTP.
func enrollFirstEmail(b *browser, mail *mailtest.Server, myAccount, email string) map[string]bool {
	b.t.Helper()
	b.do("enroll first email",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	seen := map[string]bool{}
	b.do("first passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(b.t, mail, email, seen)), click(chromedp.ID("submit")))
	waitMyAccount(b, myAccount)
	return seen
}

// signOnWithPasscode opens myAccount (the first page load of a fresh
// context gets toSignOnPage's deadline) and signs on as username with
// password and the passcode mailed to email, up to MyAccount.
func signOnWithPasscode(b *browser, mail *mailtest.Server, myAccount, username, password, email string, seen map[string]bool) {
	b.t.Helper()
	toSignOnPage(b, myAccount)
	submitPassword(b, username, password)
	b.do("passcode",
		chromedp.WaitVisible(chromedp.ID("otp")),
		chromedp.SendKeys(chromedp.ID("otp"), nextOTP(b.t, mail, email, seen)),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(b, myAccount)
}

// changePasswordAtSignOn answers the sign-on's must-change-password step
// (its rules shown) with current and chosen, up to the passcode step.
func changePasswordAtSignOn(b *browser, current, chosen string) {
	b.t.Helper()
	b.do("must change password step", chromedp.WaitVisible(chromedp.ID("new-password")),
		chromedp.WaitVisible(chromedp.ID("password-requirements")))
	b.shot("must-change")
	b.do("choose a new password at sign-on",
		chromedp.SendKeys(chromedp.ID("current-password"), current),
		chromedp.SendKeys(chromedp.ID("new-password"), chosen),
		chromedp.SendKeys(chromedp.ID("confirm-password"), chosen),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
}
