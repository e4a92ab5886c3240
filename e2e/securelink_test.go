package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/geoiptest"
	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
)

var secureLinkRE = regexp.MustCompile(`https?://\S+/secureAccount\?\S+`)

// TestSecureLinkFromEmail is the emailed one-time "this wasn't me" link in
// a real browser, against the server binary with a generated GeoIP
// database (GEOIP_DB) that places the loopback in Berlin: the user signs
// on in two browser contexts (the first pairs an email method, whose
// notice to the account's address carries the link), the Sessions tab
// shows where each session is, and a third context that never signed on
// opens the link from the SMTP receiver and secures the account. Both
// signed-on contexts' next actions land on the sign-on page, whose next
// sign-on asks for a new password, and the link does not work twice.
func TestSecureLinkFromEmail(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	mail := mailtest.Start(t)
	mmdb := geoiptest.File(t, geoiptest.Entry{Network: "127.0.0.0/8", City: "Berlin", Country: "Germany", CountryCode: "DE"})
	srv := startServer(t, serverConfig{dataDir: t.TempDir(), smtpURL: mail.URL(), geoipDB: mmdb})
	b := newBrowser(t, chromium)

	const (
		username = "lena"
		pw       = "correct horse battery staple"
		account  = "lena@example.com"
		mfaEmail = "lena.mfa@example.com"
	)
	srv.createUser(username, account, pw)
	myAccount := srv.URL + paths.Build(paths.MyAccount, defaultEnvID)
	signOnPath := paths.Build(paths.SignOn, defaultEnvID)

	// First context: password and a first email method.
	toSignOnPage(b, myAccount)
	submitPassword(b, username, pw)
	seen := enrollFirstEmail(b, mail, myAccount, mfaEmail)

	// Second context: the same user.
	other := b.newContext("other")
	signOnWithPasscode(other, mail, myAccount, username, pw, mfaEmail, seen)

	// The Sessions tab places each session with the GeoIP database.
	b.do("Sessions tab", click(chromedp.ID("tab-sessions")), chromedp.WaitVisible(chromedp.CSS("#session-list .session-current")))
	waitCount(b, "#session-list .session", 2)
	waitText(b, "#session-list .session-current .session-where", "127.0.0.1 (Berlin, Germany)")
	b.shot("sessions-with-city")

	// The notice of the paired method, in the real SMTP receiver, carries
	// the one-time link.
	notice := waitMail(t, mail, account, func(m mailtest.Message) bool { return secureLinkRE.MatchString(m.Text) })
	link := secureLinkRE.FindString(notice.Text)
	if !strings.HasPrefix(link, srv.URL+paths.Build(paths.SecureLink, defaultEnvID)+"?") {
		t.Fatalf("link %q in %q", link, notice.Text)
	}

	// A third context, signed on nowhere, opens it: the page only asks.
	reader := b.newContext("mail-reader")
	reader.do("open the emailed link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("secure-submit")))
	waitText(reader, "#secure-title", "Secure your account")
	reader.shot("secure-link-page")
	reader.do("secure my account", click(chromedp.ID("secure-submit")), chromedp.WaitVisible(chromedp.ID("secure-myaccount")))
	waitText(reader, "#secure-title", "Your account is secured")
	waitText(reader, "#secure-text", "(2)")
	reader.shot("secured-from-link")
	waitMail(t, mail, account, func(m mailtest.Message) bool { return strings.Contains(m.Subject, "secured") })

	// Both signed-on contexts are out at their next action.
	for _, c := range []*browser{b, other} {
		c.do("next action after the link", click(chromedp.ID("tab-activity")), chromedp.WaitVisible(chromedp.ID("username")))
		if loc := c.location(); !strings.Contains(loc, signOnPath) {
			t.Fatalf("a secured-out context is at %s, want the sign-on page", loc)
		}
	}
	// The next sign-on asks for a new password first.
	submitPassword(other, username, pw)
	other.do("must change password", chromedp.WaitVisible(chromedp.ID("new-password")), chromedp.WaitVisible(chromedp.ID("current-password")))
	other.shot("must-change-password")

	// The link works once.
	reader.do("open the link again", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("secure-title")))
	waitText(reader, "#secure-title", "This link does not work")
	if n := run(reader, "no form on a used link", chromedp.Evaluate[int](`document.querySelectorAll('#secure-submit').length`)); n != 0 {
		t.Fatalf("a used link still offers the form")
	}
	reader.shot("used-link")
}
