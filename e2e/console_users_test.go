package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestConsoleUsers is the console's Users section in a real browser: the
// administrator signs on to the console, chooses the Default environment,
// creates a user with a temporary password they must change, finds them
// by search, opens them, gives them an ACTIVE email device (no pairing:
// an administrator's device), blocks it and sees it blocked, unblocks it;
// then the user signs on at the Default environment's MyAccount with the
// temporary password, is made to choose a new one, and answers the
// passcode mailed to the device the administrator added.
func TestConsoleUsers(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	mail, srv, b := bt.mail, bt.srv, bt.b
	const (
		username = "ivy"
		temp     = "a temporary passphrase"
		chosen   = "copper kettles sing at dawn"
		mfaEmail = "ivy.mfa@example.com"
	)
	srv.createUser("olga", "olga@example.com", "patient otters build dams")

	signOnConsole(b, srv)
	chooseConsoleEnv(b, defaultEnvID)
	openConsoleSection(b, "users")
	b.do("the users list", chromedp.WaitVisible(chromedp.CSS(`#panel-users li.user-row[data-username="olga"]`)))

	b.do("create a user",
		click(chromedp.CSS("#panel-users #users-new")),
		chromedp.WaitVisible(chromedp.CSS("#panel-users #users-create-form")),
		chromedp.SendKeys(chromedp.CSS("#panel-users #users-username"), username),
		chromedp.SendKeys(chromedp.CSS("#panel-users #users-email"), "ivy@example.com"),
		chromedp.SendKeys(chromedp.CSS("#panel-users #users-given"), "Ivy"),
		chromedp.SendKeys(chromedp.CSS("#panel-users #users-family"), "Lane"),
		chromedp.SendKeys(chromedp.CSS("#panel-users #users-password"), temp),
	)
	if !run(b, "read must change", chromedp.Evaluate[bool](`document.querySelector("#panel-users #users-force").checked`)) {
		t.Fatal("must change password is not ticked by default")
	}
	b.shot("create-user")
	b.do("submit the new user", click(chromedp.CSS("#panel-users #users-create")))
	waitText(b, "#panel-users #users-notice", "User ivy created.")

	b.do("search for the user", chromedp.SendKeys(chromedp.CSS("#panel-users #users-search"), "LANE"))
	run(b, "only ivy matches", chromedp.Poll[bool](`(() => {
		const rows = document.querySelectorAll("#panel-users li.user-row");
		return rows.length === 1 && rows[0].dataset.username === "ivy";
	})()`, chromedp.WithPollingTimeout(stepTimeout)))
	b.shot("search")

	b.do("open the user",
		click(chromedp.CSS(`#panel-users li.user-row[data-username="ivy"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#panel-users #users-detail")),
	)
	if got := b.text("#panel-users #users-profile-name"); got != "Ivy Lane" {
		t.Errorf("name shown %q", got)
	}
	if got := b.text("#panel-users #users-devices-empty"); got == "" {
		t.Error("a new user's empty device list says nothing")
	}

	b.do("add an active email device",
		chromedp.SetValue(chromedp.CSS("#panel-users #users-dev-type"), "EMAIL"),
		chromedp.SendKeys(chromedp.CSS("#panel-users #users-dev-target"), mfaEmail),
		click(chromedp.CSS("#panel-users #users-dev-add")),
		chromedp.WaitVisible(chromedp.CSS(`#panel-users #users-devices li.user-device[data-status="ACTIVE"]`)),
	)
	if got := b.text("#panel-users #users-devices"); !strings.Contains(got, mfaEmail) || !strings.Contains(got, "Active") {
		t.Errorf("device row %q", got)
	}
	b.do("block it",
		click(chromedp.CSS(`#panel-users #users-devices button[id^="users-block-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel-users #users-devices li.user-device[data-status="BLOCKED"]`)),
	)
	waitText(b, "#panel-users #users-devices .device-status", "Blocked")
	b.shot("device-blocked")

	// The opened user at a phone's width: nothing of the section wider
	// than the screen.
	b.do("mobile viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.WaitVisible(chromedp.CSS("#panel-users #users-detail")))
	if overflow := run(b, "measure width", chromedp.Evaluate[bool](`(() => {
		const p = document.getElementById("panel-users");
		return p.scrollWidth > p.clientWidth || p.getBoundingClientRect().right > window.innerWidth;
	})()`)); overflow {
		t.Error("the Users section is wider than a 360 px screen")
	}
	b.shot("user-mobile")
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 800))
	b.do("unblock it",
		click(chromedp.CSS(`#panel-users #users-devices button[id^="users-unblock-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel-users #users-devices li.user-device[data-status="ACTIVE"]`)),
	)

	// The user signs on: the temporary password, then a new one of their
	// own (force-change), then the passcode sent to the device the
	// administrator added.
	seen := map[string]bool{}
	u := b.newContext("user")
	toSignOnPage(u, bt.myAccount)
	submitPassword(u, username, temp)
	changePasswordAtSignOn(u, temp, chosen)
	u.do("passcode from the administrator's device",
		chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, mfaEmail, seen)),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(u, bt.myAccount)
	if got := u.text("#profile-username"); !strings.Contains(got, username) {
		t.Errorf("signed on as %q", got)
	}
}
