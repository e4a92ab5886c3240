package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
)

// TestUserManagesSessionsAndSecuresAccount is issue 5's Sessions and
// Activity tabs in a real browser: a user signed on in two browser
// contexts lists the sessions in the first (two, this one marked), signs
// the second off, and the second's next action lands on the sign-on page.
// The wrong password typed before signing on shows in Activity (also
// under the Sign-ons kind). Opened with #secure (the link of the new
// sign-on e-mail), MyAccount offers "Secure my account"; confirming it
// ends the other context's session again and its next sign-on asks for a
// new password.
func TestUserManagesSessionsAndSecuresAccount(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	mail := mailtest.Start(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir(), smtpURL: mail.URL()})
	b := newBrowser(t, chromium)

	const (
		username = "ines"
		pw       = "correct horse battery staple"
		account  = "ines@example.com"
		mfaEmail = "ines.mfa@example.com"
	)
	srv.createUser(username, account, pw)
	myAccount := srv.URL + paths.Build(paths.MyAccount, defaultEnvID)
	signOnPath := paths.Build(paths.SignOn, defaultEnvID)

	// A wrong password first, then the right one and a first email device.
	toSignOnPage(b, myAccount)
	submitPassword(b, username, "not my password at all")
	waitText(b, "#error", "Wrong username or password")
	b.do("the right password",
		clearField("password"),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		click(chromedp.ID("submit")),
	)
	seen := enrollFirstEmail(b, mail, myAccount, mfaEmail)

	// The same user in a second browser context.
	other := b.newContext("other")
	signOnWithPasscode(other, mail, myAccount, username, pw, mfaEmail, seen)

	// Sessions: two, this one marked.
	b.do("Sessions tab",
		click(chromedp.ID("tab-sessions")),
		chromedp.WaitVisible(chromedp.CSS("#session-list .session-current")),
	)
	waitCount(b, "#session-list .session", 2)
	if cur := b.text("#session-list .session-current .device-head"); !strings.Contains(cur, "Chrome") ||
		!strings.Contains(strings.ToLower(cur), "this browser") {
		t.Errorf("current session row: %q", cur)
	}
	// Headless Chromium reads as an automated client; the address is the loopback.
	if where := b.text("#session-list .session-current .session-where"); !strings.Contains(where, "127.0.0.1") {
		t.Errorf("current session's device and address: %q", where)
	}
	b.shot("sessions")
	otherID := run(b, "the other session's id", chromedp.Evaluate[string](
		`document.querySelector('#session-list .session:not(.session-current)').dataset.sessionId`))
	if otherID == "" {
		t.Fatal("no other session in the list")
	}

	// Sign it off, confirmed first.
	b.do("sign the other session off",
		click(chromedp.ID("signoff-"+otherID)),
		chromedp.WaitVisible(chromedp.ID("confirm-text-"+otherID)),
	)
	b.shot("confirm-signoff")
	b.do("confirm", click(chromedp.ID("confirm-signoff-"+otherID)), chromedp.WaitVisible(chromedp.ID("sessions-notice")))
	waitCount(b, "#session-list .session", 1)
	b.shot("signed-off")

	// The other context's next action lands on the sign-on page.
	other.do("next action elsewhere", click(chromedp.ID("tab-sessions")), chromedp.WaitVisible(chromedp.ID("username")))
	if loc := other.location(); !strings.Contains(loc, signOnPath) {
		t.Fatalf("the signed-off context is at %s, want the sign-on page", loc)
	}
	other.shot("lands-on-signon")

	// Activity: the failed sign-on, newest first, also under Sign-ons.
	failedSignOn := `#activity-list .event[data-action="SIGNON_PASSWORD"][data-outcome="FAILURE"]`
	b.do("Activity tab",
		click(chromedp.ID("tab-activity")),
		chromedp.WaitVisible(chromedp.CSS(failedSignOn)),
	)
	if got := b.text(failedSignOn + " .event-what"); !strings.Contains(got, "wrong username or password") {
		t.Errorf("failed sign-on reads %q", got)
	}
	if first := b.text("#activity-list .event .event-what"); !strings.Contains(first, "Session signed off") {
		t.Errorf("newest event reads %q, want the sign-off just made", first)
	}
	b.do("Sign-ons only",
		click(chromedp.ID("kind-signOn")),
		chromedp.WaitVisible(chromedp.CSS(`#kind-signOn[aria-pressed="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(failedSignOn)),
	)
	if n := run(b, "count other kinds", chromedp.Evaluate[int](
		`document.querySelectorAll('#activity-list .event[data-action="SESSION_SIGNED_OFF"]').length`)); n != 0 {
		t.Errorf("%d sign-offs listed under Sign-ons", n)
	}
	b.shot("activity")

	// Sign on again elsewhere; then "this wasn't me" (#secure) here.
	signOnWithPasscode(other, mail, myAccount, username, pw, mfaEmail, seen)
	b.do("open #secure",
		chromedp.Navigate(myAccount+"#secure"),
		chromedp.WaitVisible(chromedp.ID("secure-dialog")),
	)
	b.shot("secure-dialog")
	b.do("secure my account",
		click(chromedp.ID("confirm-secure")),
		chromedp.WaitVisible(chromedp.ID("secure-done")),
	)
	waitText(b, "#secure-done", "1 other session was signed off")
	b.shot("secured")
	waitMail(t, mail, account, func(m mailtest.Message) bool { return strings.Contains(m.Subject, "secured") })

	// The other context is out again, and its next sign-on asks for a new
	// password before anything else.
	other.do("next action after securing", click(chromedp.ID("tab-activity")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(other, username, pw)
	other.do("must change password", chromedp.WaitVisible(chromedp.ID("new-password")), chromedp.WaitVisible(chromedp.ID("current-password")))
	other.shot("must-change-password")

	// This context goes on.
	b.do("still signed on here", click(chromedp.ID("tab-sessions")), chromedp.WaitVisible(chromedp.CSS("#session-list .session-current")))
	waitCount(b, "#session-list .session", 1)
}

// waitCount waits until n elements match the CSS selector.
func waitCount(b *browser, sel string, n int) {
	b.t.Helper()
	run(b, fmt.Sprintf("wait for %d of %s", n, sel), chromedp.Poll[bool](
		fmt.Sprintf(`document.querySelectorAll(%q).length === %d`, sel, n), chromedp.WithPollingTimeout(stepTimeout)))
}
