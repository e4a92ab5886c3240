package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestPortalAvatarMenuToDevices is the application portal of issue 6: an
// administrator puts an application in the portal through the API; a
// user signs on at /{envId}/myapps/ (enrolling an email as the first
// method), sees its tile, opens the avatar menu with the keyboard, chooses
// Devices and lands on MyAccount's Authentication tab already signed on
// through the SSO session: no sign-on page on the way.
func TestPortalAvatarMenuToDevices(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	mail := mailtest.Start(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir(), smtpURL: mail.URL()})
	b := newBrowser(t, chromium)

	const (
		username = "dana"
		password = "quiet rivers under copper skies"
		account  = "dana@example.com"
		mfa      = "dana.mfa@example.com"
		startURL = "https://wiki.example.com/login"
	)
	srv.createUser(username, account, password)
	var wiki resource.Application
	srv.adminAPI("POST", paths.Build(paths.Applications, defaultEnvID), map[string]any{
		"name": "Wiki", "type": resource.AppSinglePage, "redirectUris": []string{"https://wiki.example.com/cb"},
		"portal": map[string]any{"show": true, "name": "Team wiki", "startUrl": startURL},
	}, http.StatusCreated, &wiki)
	if wiki.Portal == nil || !wiki.Portal.Show {
		t.Fatalf("created application %+v", wiki)
	}
	myApps := srv.URL + paths.Build(paths.MyApps, defaultEnvID)
	myAccount := srv.URL + paths.Build(paths.MyAccount, defaultEnvID)
	signOnPath := paths.Build(paths.SignOn, defaultEnvID)

	// Sign on at the portal: password, then a first email method.
	b.do("open the portal", chromedp.Navigate(myApps), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("enroll first email",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), mfa),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	seen := map[string]bool{}
	b.do("passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, mfa, seen)), click(chromedp.ID("submit")))

	// The tile, back at the portal with the OAuth answer stripped.
	tile := "#tile-" + wiki.ID
	b.do("portal signed on", chromedp.WaitVisible(chromedp.CSS(tile)), chromedp.WaitVisible(chromedp.ID("avatar")))
	if loc, _ := url.Parse(b.location()); loc.Path != paths.Build(paths.MyApps, defaultEnvID) || loc.RawQuery != "" {
		t.Errorf("the portal is at %s", loc)
	}
	if name := b.text(tile + " .tile-name"); name != "Team wiki" {
		t.Errorf("tile name %q", name)
	}
	if href := attrOf(b, tile, "href"); href != startURL {
		t.Errorf("tile opens %q, want %q", href, startURL)
	}
	if got := b.text("#avatar"); got != "D" {
		t.Errorf("avatar shows %q", got)
	}
	if v := attrOf(b, "#avatar", "aria-haspopup"); v != "menu" {
		t.Errorf("avatar aria-haspopup %q", v)
	}
	b.shot("portal")

	// Touch, at a phone's width: a tap opens the menu, a tap elsewhere
	// closes it, and nothing is wider than the screen.
	b.do("mobile viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.WaitVisible(chromedp.ID("avatar")))
	b.do("tap the avatar", click(chromedp.ID("avatar")), chromedp.WaitVisible(chromedp.ID("menu-signoff")))
	if overflow := run(b, "measure width", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); overflow {
		t.Error("the portal with its menu open is wider than a 360 px screen")
	}
	b.shot("menu-mobile")
	// Tap outside: a click on the backdrop itself. A click at screen
	// coordinates can land on the menu on a phone screen (it did, and
	// opened Profile), so the event goes to the backdrop element.
	b.do("tap outside", chromedp.Evaluate[chromedp.Void](`document.getElementById("menu-backdrop").click()`),
		chromedp.WaitNotVisible(chromedp.ID("menu-signoff")))
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 800))

	// The keyboard: focus the avatar, Enter opens the menu on Profile,
	// ArrowDown moves to Devices.
	active := func() string {
		return run(b, "read the focused element", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
	}
	b.do("open the menu with Enter",
		chromedp.Focus(chromedp.ID("avatar")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("menu-devices")),
	)
	if v := attrOf(b, "#avatar", "aria-expanded"); v != "true" {
		t.Errorf("aria-expanded %q with the menu open", v)
	}
	run(b, "focus on Profile", chromedp.Poll[bool](`document.activeElement && document.activeElement.id === "menu-profile"`,
		chromedp.WithPollingTimeout(stepTimeout)))
	b.shot("menu-open")
	b.do("Escape closes", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("menu-devices")))
	if got := active(); got != "avatar" {
		t.Errorf("after Escape focus is on %q, want the avatar", got)
	}
	b.do("open again", chromedp.KeyEvent(kb.ArrowDown), chromedp.WaitVisible(chromedp.ID("menu-devices")))
	b.do("ArrowDown to Devices", chromedp.KeyEvent(kb.ArrowDown))
	run(b, "focus on Devices", chromedp.Poll[bool](`document.activeElement && document.activeElement.id === "menu-devices"`,
		chromedp.WithPollingTimeout(stepTimeout)))

	// Enter on Devices: MyAccount's Authentication tab, through SSO.
	mark := b.navMark()
	b.do("choose Devices",
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")),
		chromedp.WaitVisible(chromedp.ID("signoff")),
	)
	if sel := attrOf(b, "#tab-mfa", "aria-selected"); sel != "true" {
		t.Errorf("the Authentication tab is not selected (%q)", sel)
	}
	loc, _ := url.Parse(b.location())
	if want, _ := url.Parse(myAccount); loc.Path != want.Path || loc.RawQuery != "" || loc.Fragment != "mfa" {
		t.Errorf("landed on %s, want %s#mfa", loc, myAccount)
	}
	for _, u := range b.navsSince(mark) {
		if strings.Contains(u, signOnPath) {
			t.Errorf("Devices went through the sign-on page: %q", b.navsSince(mark))
			break
		}
	}
	b.shot("devices")
}
