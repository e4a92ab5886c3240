package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
)

// TestUserSignsOnWithRecoveryCode is the recovery-code part of issue 3 in
// a real browser: a user with an email method generates recovery codes in
// MyAccount and reads them from the page (shown once), signs off, signs on
// with a recovery code instead of the emailed passcode, and sees "9 codes
// left"; the same code at the next sign-on is refused with an error.
func TestUserSignsOnWithRecoveryCode(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	mail, b, myAccount := bt.mail, bt.b, bt.myAccount

	const (
		username = "erin"
		password = "correct horse battery staple"
		account  = "erin@example.com"
		first    = "erin.mfa@example.com"
	)

	bt.newUserOnAuthenticationTab(t, username, account, password, first)
	b.do("recovery panel", chromedp.WaitVisible(chromedp.ID("recovery-remaining")))
	if got := b.text("#recovery-remaining"); got != "You have no recovery codes yet." {
		t.Errorf("before generating: %q", got)
	}
	b.do("generate recovery codes",
		click(chromedp.ID("generate-codes")),
		chromedp.WaitVisible(chromedp.ID("recovery-codes")),
	)
	codes := run(b, "read the codes", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#recovery-codes .recovery-code")).map(e => e.textContent.trim())`))
	if len(codes) != 10 {
		t.Fatalf("%d codes shown: %q", len(codes), codes)
	}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' {
			t.Fatalf("code %q is not xxxxx-xxxxx", c)
		}
	}
	if d := attrOf(b, "#download-codes", "download"); !strings.HasSuffix(d, ".txt") {
		t.Errorf("download link saves as %q", d)
	}
	if href := attrOf(b, "#download-codes", "href"); !strings.Contains(href, codes[0]) {
		t.Error("the download does not hold the codes")
	}
	b.shot("recovery-codes-shown")
	b.do("saved them",
		click(chromedp.ID("recovery-done")),
		chromedp.WaitVisible(chromedp.ID("recovery-remaining")),
	)
	if got := b.text("#recovery-remaining"); got != "10 codes left" {
		t.Errorf("after generating: %q", got)
	}
	if n := run(b, "codes gone", chromedp.Evaluate[int](`document.querySelectorAll(".recovery-code").length`)); n != 0 {
		t.Error("the codes stay on the page after Done")
	}

	// Sign off, and on again with a recovery code instead of the passcode
	// mailed to the email method (typed in upper case with spaces).
	b.do("sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("passcode step offers a recovery code",
		chromedp.WaitVisible(chromedp.ID("otp")),
		chromedp.WaitVisible(chromedp.ID("use-recovery")),
	)
	b.shot("signon-otp-step")
	b.do("use a recovery code",
		click(chromedp.ID("use-recovery")),
		chromedp.WaitVisible(chromedp.ID("recovery-code")),
	)
	b.do("submit the recovery code",
		chromedp.SendKeys(chromedp.ID("recovery-code"), strings.ToUpper(strings.ReplaceAll(codes[0], "-", " "))),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(b, myAccount)
	b.do("Authentication tab",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.ID("recovery-remaining")),
	)
	run(b, "9 codes left", chromedp.Poll[bool](
		`document.getElementById("recovery-remaining").textContent === "9 codes left"`,
		chromedp.WithPollingTimeout(stepTimeout)))
	b.shot("nine-codes-left")

	// The used code is refused at the next sign-on.
	b.do("sign off again", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("recovery step again",
		chromedp.WaitVisible(chromedp.ID("use-recovery")),
		click(chromedp.ID("use-recovery")),
		chromedp.WaitVisible(chromedp.ID("recovery-code")),
	)
	b.do("replay the recovery code",
		chromedp.SendKeys(chromedp.ID("recovery-code"), codes[0]),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if msg := b.text("#error"); !strings.Contains(msg, "Wrong or used recovery code") {
		t.Errorf("replayed code says %q", msg)
	}
	b.shot("replay-refused")

	// A notice went to the account's address when the codes were made and
	// when one was used; the codes themselves were never mailed.
	waitMail(t, mail, account, func(m mailtest.Message) bool { return strings.Contains(m.Text, "recovery code was used") })
	for _, m := range mail.Messages() {
		for _, c := range codes {
			if strings.Contains(m.Text, c) {
				t.Fatalf("a recovery code was mailed to %s", m.To)
			}
		}
	}
}
