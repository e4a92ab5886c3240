package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestProfile is the My profile tab of issue 4 in a real browser: a user
// edits fields and sees them after a reload; a bad phone number shows its
// error under the field and nothing is saved; two tabs edit at once and
// the second one is told the profile changed elsewhere (and reloads); the
// email changes with the code mailed to the new address, the old address
// gets a notice whose link restores it and signs the account out.
func TestProfile(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	mail := mailtest.Start(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir(), smtpURL: mail.URL()})
	b := newBrowser(t, chromium)

	const (
		username = "dana"
		password = "correct horse battery staple"
		account  = "dana@example.com"
		mfaEmail = "dana.mfa@example.com"
		newEmail = "dana.scully@example.org"
	)
	u := srv.createUser(username, account, password)
	myAccount := srv.URL + paths.Build(paths.MyAccount, defaultEnvID)
	stored := func() resource.User {
		t.Helper()
		var got resource.User
		srv.adminAPI("GET", paths.Build(paths.User, defaultEnvID, u.ID), nil, http.StatusOK, &got)
		return got
	}

	// Sign on, enrolling email at sign-on: the session has a fresh MFA.
	b.do("open MyAccount", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("enroll email",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), mfaEmail),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	seen := map[string]bool{}
	b.do("passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, mfaEmail, seen)), click(chromedp.ID("submit")))
	waitMyAccount(b, myAccount)
	b.do("profile form", chromedp.WaitVisible(chromedp.ID("pf-given")))
	b.shot("profile")

	// Edit fields with the keyboard and the pickers, save.
	b.do("edit fields",
		chromedp.SendKeys(chromedp.ID("pf-given"), "Dana"),
		chromedp.SendKeys(chromedp.ID("pf-family"), "Scully"),
		chromedp.SendKeys(chromedp.ID("pf-nickname"), "Starbuck"),
		chromedp.SendKeys(chromedp.ID("pf-locality"), "Paris"),
		chromedp.SetValue(chromedp.ID("pf-countryCode"), "FR"),
		chromedp.SetValue(chromedp.ID("pf-timezone"), "Europe/Paris"),
		chromedp.SendKeys(chromedp.ID("pf-locale"), "fr-fr"+kb.Tab),
	)
	b.shot("edited")
	b.do("save", click(chromedp.ID("profile-save")), chromedp.WaitVisible(chromedp.ID("profile-saved")))
	if got := b.text("#profile-saved"); got != "Your profile is saved." {
		t.Errorf("#profile-saved = %q", got)
	}
	b.shot("saved")
	if s := stored(); s.Name == nil || s.Name.Given != "Dana" || s.Name.Family != "Scully" || s.Nickname != "Starbuck" ||
		s.Address == nil || s.Address.Locality != "Paris" || s.Address.CountryCode != "FR" || s.Timezone != "Europe/Paris" ||
		s.Locale != "fr-FR" {
		t.Fatalf("stored after save: %+v %+v", s, s.Address)
	}

	// A reload shows what the server kept.
	b.do("reload", chromedp.Navigate(myAccount))
	waitMyAccount(b, myAccount)
	b.do("profile form after reload", chromedp.WaitVisible(chromedp.ID("pf-given")))
	for id, want := range map[string]string{"pf-given": "Dana", "pf-family": "Scully", "pf-nickname": "Starbuck",
		"pf-locality": "Paris", "pf-countryCode": "FR", "pf-timezone": "Europe/Paris", "pf-locale": "fr-FR"} {
		if got := fieldValue(b, id); got != want {
			t.Errorf("#%s after reload = %q, want %q", id, got, want)
		}
	}

	// The form at a phone's width: nothing wider than the screen.
	b.do("mobile viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.WaitVisible(chromedp.ID("pf-given")))
	if overflow := run(b, "measure width", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); overflow {
		t.Error("the My profile tab is wider than a 360 px screen")
	}
	b.shot("profile-mobile")
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 800))

	// A bad phone: the inline error as the field is left, and a save sends
	// nothing, not even the good change beside it.
	b.do("bad phone",
		clearField("pf-nickname"),
		chromedp.SendKeys(chromedp.ID("pf-nickname"), "Changed"),
		chromedp.SendKeys(chromedp.ID("pf-mobilePhone"), "06 12ab"+kb.Tab),
		chromedp.WaitVisible(chromedp.ID("pf-mobilePhone-error")),
	)
	if got := b.text("#pf-mobilePhone-error"); !strings.Contains(got, "+ and the country code") {
		t.Errorf("#pf-mobilePhone-error = %q", got)
	}
	if inv := attrOf(b, "#pf-mobilePhone", "aria-invalid"); inv != "true" {
		t.Errorf("the bad phone is aria-invalid=%q", inv)
	}
	b.do("save with a bad phone", click(chromedp.ID("profile-save")), chromedp.WaitVisible(chromedp.ID("profile-error")))
	b.shot("bad-phone")
	if s := stored(); s.MobilePhone != "" || s.Nickname != "Starbuck" {
		t.Fatalf("a refused form changed the profile: mobile %q nickname %q", s.MobilePhone, s.Nickname)
	}
	b.do("cancel changes", click(chromedp.ID("profile-cancel")))
	run(b, "form back as read", chromedp.Poll[bool](
		`document.getElementById("pf-nickname").value === "Starbuck" && document.getElementById("pf-mobilePhone").value === "" && !document.getElementById("pf-mobilePhone-error")`,
		chromedp.WithPollingTimeout(stepTimeout)))

	// Two tabs: the second one's save is refused and says why.
	tab2, cancelTab2 := chromedp.NewContext(b.ctx)
	defer cancelTab2()
	b2 := &browser{t: t, ctx: tab2, out: b.out, n: 50}
	// The first Do binds the tab's life to the context it gets: the
	// tab's own, without a deadline (as newBrowser does).
	if err := chromedp.Do(tab2); err != nil {
		t.Fatalf("open a second tab: %v", err)
	}
	b2.do("second tab", bringToFront(), chromedp.Navigate(myAccount))
	waitMyAccount(b2, myAccount)
	b2.do("second tab form", chromedp.WaitVisible(chromedp.ID("pf-given")))
	b.do("first tab saves",
		bringToFront(),
		clearField("pf-nickname"),
		chromedp.SendKeys(chromedp.ID("pf-nickname"), "One"),
		click(chromedp.ID("profile-save")),
		chromedp.WaitVisible(chromedp.ID("profile-saved")),
	)
	b2.do("second tab saves",
		bringToFront(),
		clearField("pf-family"),
		chromedp.SendKeys(chromedp.ID("pf-family"), "Two"),
		click(chromedp.ID("profile-save")),
		chromedp.WaitVisible(chromedp.ID("profile-conflict")),
	)
	if got := b2.text("#profile-conflict"); !strings.Contains(got, "This profile changed elsewhere") {
		t.Errorf("#profile-conflict = %q", got)
	}
	b2.shot("conflict")
	if s := stored(); s.Nickname != "One" || s.Name.Family != "Scully" {
		t.Fatalf("after the two saves: nickname %q family %q", s.Nickname, s.Name.Family)
	}
	b2.do("reload after the conflict", click(chromedp.ID("profile-reload")))
	run(b2, "second tab shows the first tab's change", chromedp.Poll[bool](
		`document.getElementById("pf-nickname").value === "One" && !document.getElementById("profile-conflict")`,
		chromedp.WithPollingTimeout(stepTimeout)))
	cancelTab2()
	b.do("back to the first tab", bringToFront())

	// The email: a code to the new address, the change once it comes back.
	b.do("change email",
		click(chromedp.ID("change-email")),
		chromedp.WaitVisible(chromedp.ID("new-email")),
		chromedp.SendKeys(chromedp.ID("new-email"), newEmail),
		click(chromedp.ID("send-email-code")),
		chromedp.WaitVisible(chromedp.ID("verification-code")),
	)
	if got := b.text("#pending-text"); !strings.Contains(got, newEmail) {
		t.Errorf("#pending-text = %q", got)
	}
	if got := b.text("#profile-email"); got != account {
		t.Errorf("the email changed before its code: %q", got)
	}
	b.shot("email-pending")
	code := nextOTP(t, mail, newEmail, seen)
	b.do("confirm the new email",
		chromedp.SendKeys(chromedp.ID("verification-code"), code),
		click(chromedp.ID("verify-code")),
		chromedp.WaitNotPresent(chromedp.ID("pending-form")),
	)
	if got := b.text("#profile-email"); got != newEmail {
		t.Errorf("#profile-email = %q, want %q", got, newEmail)
	}
	b.shot("email-changed")
	if s := stored(); s.Email != newEmail || !s.EmailVerified {
		t.Fatalf("stored email %q verified %v", s.Email, s.EmailVerified)
	}
	b.do("reload after the email change", chromedp.Navigate(myAccount))
	waitMyAccount(b, myAccount)
	if got := b.text("#profile-email"); got != newEmail {
		t.Errorf("#profile-email after reload = %q", got)
	}

	// The old address was told, with a link that undoes it.
	notice := waitMail(t, mail, account, func(m mailtest.Message) bool { return strings.Contains(m.Subject, "email address") })
	link := regexp.MustCompile(`https?://\S+/emailChange/undo\?\S+`).FindString(notice.Text)
	if link == "" || strings.Contains(notice.Text, newEmail) {
		t.Fatalf("notice to the old address: %q", notice.Text)
	}
	b.do("open the undo link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("undo-submit")))
	b.shot("undo")
	b.do("restore", click(chromedp.ID("undo-submit")), chromedp.WaitVisible(chromedp.ID("undo-myaccount")))
	if got := b.text("#undo-title"); got != "Your email address is back" {
		t.Errorf("#undo-title = %q", got)
	}
	b.shot("undone")
	if s := stored(); s.Email != account {
		t.Fatalf("email after undo %q", s.Email)
	}
	// Every session ended: MyAccount asks to sign on again.
	b.do("MyAccount after the undo", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
}

// bringToFront activates the tab: a background tab gets no animation
// frames, and go-app renders in them.
func bringToFront() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.BringToFront, cdp.Empty{})
		return err
	})
}

// fieldValue reads the value of an input or select by id.
func fieldValue(b *browser, id string) string {
	b.t.Helper()
	return run(b, "value of #"+id, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q).value`, id)))
}
