package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestUserChangesPassword is the Change password tab of issue 4 in a real
// browser: a user signed on in two browser contexts changes the password
// in one. Typing a common password shows that rule's message before
// anything is submitted; a good one is accepted and the tab says so. The
// other context's session is over (a reload lands on the sign-on page),
// the old password no longer signs on, the new one does, and the context
// that changed it is still signed on.
func TestUserChangesPassword(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	mail, srv, b, myAccount := bt.mail, bt.srv, bt.b, bt.myAccount

	const (
		username = "hana"
		oldPw    = "correct horse battery staple"
		newPw    = "violet skies over the harbour"
		common   = "iloveyou123"
		account  = "hana@example.com"
		mfaEmail = "hana.mfa@example.com"
	)
	signOnPath := paths.Build(paths.SignOn, defaultEnvID)

	// Signed on here (enrolling a first email) and in a second context.
	seen := bt.newUserOnAuthenticationTab(t, username, account, oldPw, mfaEmail)
	other := b.newContext("other")
	signOnWithPasscode(other, mail, myAccount, username, oldPw, mfaEmail, seen)
	other.shot("signed-on")

	// The Change password tab shows the policy's rules.
	b.do("Change password tab",
		click(chromedp.ID("tab-password")),
		chromedp.WaitVisible(chromedp.ID("password-form")),
		chromedp.WaitVisible(chromedp.ID("password-requirements")),
	)
	if reqs := b.text("#password-requirements"); !strings.Contains(reqs, "Between 8 and 255 characters") ||
		!strings.Contains(reqs, "Not a common or breached password") {
		t.Errorf("requirements shown: %q", reqs)
	}
	b.shot("password-tab")

	// A common password: the rule's message appears while typing.
	b.do("type a common password",
		chromedp.SendKeys(chromedp.ID("current-password"), oldPw),
		chromedp.SendKeys(chromedp.ID("new-password"), common),
	)
	waitText(b, "#password-rules", "list of common or breached passwords")
	if inv := attrOf(b, "#new-password", "aria-invalid"); inv != "true" {
		t.Errorf("the new password field is not marked invalid: aria-invalid=%q", inv)
	}
	b.shot("common-refused")

	// Submitted anyway, the server refuses it with the same rule.
	b.do("submit the common password",
		chromedp.SendKeys(chromedp.ID("confirm-password"), common),
		click(chromedp.ID("change-password")),
	)
	waitText(b, "#error", "breaks the rules")

	// A good one passes the live check, then the change.
	b.do("type a good password",
		clearField("new-password"),
		chromedp.SendKeys(chromedp.ID("new-password"), newPw),
		chromedp.WaitVisible(chromedp.ID("password-ok")),
		clearField("confirm-password"),
		chromedp.SendKeys(chromedp.ID("confirm-password"), newPw),
	)
	b.shot("good-password")
	b.do("change the password",
		click(chromedp.ID("change-password")),
		chromedp.WaitVisible(chromedp.ID("password-changed")),
	)
	b.shot("changed")
	notice := waitMail(t, mail, account, func(m mailtest.Message) bool { return strings.Contains(m.Subject, "password was changed") })
	if strings.Contains(notice.Text, newPw) {
		t.Error("the notice carries the new password")
	}

	// The other context was signed off: a reload finds no session and goes
	// to the sign-on page.
	other.do("reload elsewhere", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	if loc := other.location(); !strings.Contains(loc, signOnPath) {
		t.Fatalf("the other context is at %s, want the sign-on page", loc)
	}
	other.shot("signed-off")

	// The old password no longer signs on; the new one does.
	submitPassword(other, username, oldPw)
	waitText(other, "#error", "Wrong username or password")
	other.shot("old-password-refused")
	other.do("sign on with the new password",
		clearField("password"),
		chromedp.SendKeys(chromedp.ID("password"), newPw),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	other.do("passcode after the new password",
		chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, mfaEmail, seen)),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(other, myAccount)
	other.shot("new-password-works")

	// The context that made the change kept its session.
	mark := b.navMark()
	b.do("reload here", chromedp.Navigate(myAccount))
	waitMyAccount(b, myAccount)
	for _, u := range b.navsSince(mark) {
		if strings.Contains(u, signOnPath) {
			t.Fatalf("the session that changed the password was signed off too (%s)", u)
		}
	}

	// An administrator sets a temporary password with forceChange: the next
	// sign-on asks for a new one, with the policy, before the passcode.
	const temp, third = "a temporary passphrase", "amber lanterns along the quay"
	status, _, body := srv.call(nil, "PUT", paths.Build(paths.UserPassword, defaultEnvID, userID(t, srv, username)),
		paths.ActionPasswordSet, strings.NewReader(`{"value":"`+temp+`","forceChange":true}`),
		http.Header{"Authorization": {"Bearer " + srv.adminToken()}})
	if status != http.StatusOK {
		t.Fatalf("password.set: %d %s", status, body)
	}
	other.do("reload after the set", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(other, username, temp)
	changePasswordAtSignOn(other, temp, third)
	other.do("passcode after the forced change",
		chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, mfaEmail, seen)),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(other, myAccount)

	// The set ended this context's session too; signing on again works
	// with the password chosen at sign-on.
	signOnWithPasscode(b, mail, myAccount, username, third, mfaEmail, seen)
}

// userID finds a user of the Default environment by username.
func userID(t *testing.T, srv *serverProc, username string) string {
	t.Helper()
	var l resource.List[resource.User]
	srv.adminAPI("GET", paths.Build(paths.Users, defaultEnvID)+"?limit=100", nil, http.StatusOK, &l)
	for _, u := range l.Embedded["users"] {
		if u.Username == username {
			return u.ID
		}
	}
	t.Fatalf("no user %s", username)
	return ""
}

// newContext opens a tab in a new browser context of the same Chromium:
// its own cookies and storage, like a second browser.
func (b *browser) newContext(name string) *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("new browser context: %v", err)
	}
	out := filepath.Join(b.out, name)
	if err := os.MkdirAll(out, 0o755); err != nil {
		b.t.Fatal(err)
	}
	return &browser{t: b.t, ctx: ctx, out: out}
}

// waitText waits until the element's text contains want.
func waitText(b *browser, sel, want string) {
	b.t.Helper()
	run(b, fmt.Sprintf("wait for %q in %s", want, sel), chromedp.Poll[bool](
		fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.includes(%q)`, sel, want),
		chromedp.WithPollingTimeout(stepTimeout)))
}
