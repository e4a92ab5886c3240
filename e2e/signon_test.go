package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
)

// TestNewUserSignsOnAndEnrolls is the newcomer's path of issue 2 in a real
// browser: a user created through the admin API opens MyAccount, signs on
// with a password, enrolls an email device with the passcode from the mail
// that arrived over SMTP, and lands on MyAccount with the device listed;
// a reload keeps them signed on (prompt=none through the SSO cookie);
// signing off ends it; signing on again asks for the password and the
// passcode of the paired device; and with the network off, the MyAccount
// shell still reloads from the service worker, with the offline banner.
func TestNewUserSignsOnAndEnrolls(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{}) // skips without Chromium, outside CI
	mail, srv, b, myAccount := bt.mail, bt.srv, bt.b, bt.myAccount

	const (
		username = "alice"
		password = "correct horse battery staple"
		account  = "alice@example.com"
		mfaEmail = "alice.mfa@example.com"
	)
	srv.createUser(username, account, password)
	signOnPath := paths.Build(paths.SignOn, defaultEnvID)

	// Not signed on: MyAccount sends the browser to the hosted sign-on.
	b.do("open MyAccount", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	if loc := b.location(); !strings.Contains(loc, signOnPath) || !strings.Contains(loc, "flowId=") {
		t.Fatalf("MyAccount did not lead to the hosted sign-on: %s", loc)
	}
	b.shot("signon")
	submitPassword(b, username, password)

	// First sign-on: no device yet, so the flow enrolls one.
	b.do("enrollment step", chromedp.WaitVisible(chromedp.ID("email")))
	b.shot("enroll-email")
	b.do("submit email",
		chromedp.SendKeys(chromedp.ID("email"), mfaEmail),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	seen := map[string]bool{}
	code := nextOTP(t, mail, mfaEmail, seen)
	b.shot("enroll-otp")
	b.do("submit passcode",
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(b, myAccount)
	b.shot("myaccount")
	if got := b.text("#profile-username"); got != username {
		t.Errorf("#profile-username = %q, want %q", got, username)
	}
	if got := b.text("#profile-email"); got != account {
		t.Errorf("#profile-email = %q, want %q", got, account)
	}

	// The Authentication tab lists the new device, as the default one.
	b.do("open the Authentication tab",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")),
	)
	if n := len(run(b, "count devices", chromedp.Nodes(chromedp.CSSAll("#panel-mfa .device")))); n != 1 {
		t.Errorf("%d devices listed, want 1", n)
	}
	dev := b.text("#panel-mfa .device.device-default")
	if !regexp.MustCompile(`(a\*{3,}|alice\.mfa)@example\.com`).MatchString(dev) {
		t.Errorf("default device %q does not show %s (or its masked form)", dev, mfaEmail)
	}
	if loc := b.location(); !strings.HasSuffix(loc, "#mfa") {
		t.Errorf("after choosing the tab the URL is %s, want …#mfa", loc)
	}
	b.shot("myaccount-devices")
	// Pairing a method tells the account's own address.
	notice := waitMail(t, mail, account, func(m mailtest.Message) bool { return mailtest.OTPFrom(m.Text) == "" })
	if !strings.Contains(notice.Text, "@example.com") || strings.Contains(notice.Text, mfaEmail) {
		t.Errorf("the pairing notice should name the new address, masked: %q", notice.Text)
	}

	// The same page at a phone's width: usable, nothing wider than the screen.
	b.do("mobile viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.WaitVisible(chromedp.ID("tab-profile")))
	if overflow := run(b, "measure width", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); overflow {
		t.Error("MyAccount is wider than a 360 px screen (horizontal scrolling)")
	}
	b.shot("myaccount-mobile")
	b.do("desktop viewport", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{})
		return err
	}))

	// A reload has no tokens (they live in wasm memory): prompt=none with
	// the SSO cookie signs on again without the sign-on page.
	mark := b.navMark()
	b.do("reload", chromedp.Navigate(myAccount))
	waitMyAccount(b, myAccount)
	answered := false
	for _, u := range b.navsSince(mark) {
		if strings.Contains(u, signOnPath) {
			t.Fatalf("the reload went through the sign-on page (%s): the SSO session did not answer prompt=none", u)
		}
		answered = answered || strings.Contains(u, "code=")
	}
	if !answered {
		t.Errorf("the reload signed on without an authorization code coming back: %q", b.navsSince(mark))
	}
	if got := b.text("#profile-username"); got != username {
		t.Errorf("after the reload #profile-username = %q, want %q", got, username)
	}
	b.shot("reloaded")

	// Sign off: back to the sign-on page, and no silent sign-on.
	b.do("sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	if loc := b.location(); !strings.Contains(loc, signOnPath) {
		t.Fatalf("after sign-off the page is %s, want the sign-on page", loc)
	}
	b.shot("signed-off")

	// Sign on again: password, then straight to the passcode of the paired
	// device (no enrollment this time).
	submitPassword(b, username, password)
	step := run(b, "next step after the password", chromedp.Poll[string](
		`document.getElementById("otp") ? "otp" : document.getElementById("email") ? "email" : ""`,
		chromedp.WithPollingTimeout(stepTimeout)))
	if step != "otp" {
		t.Fatalf("second sign-on asked for %q, want the passcode of the paired device", step)
	}
	if target := b.text("#otp-target"); !strings.Contains(target, "@example.com") {
		t.Errorf("the passcode step does not say where the code went: %q", target)
	}
	b.shot("signon-otp")
	code = nextOTP(t, mail, mfaEmail, seen)
	b.do("submit passcode", chromedp.SendKeys(chromedp.ID("otp"), code), click(chromedp.ID("submit")))
	waitMyAccount(b, myAccount)
	b.shot("signed-on-again")

	// Offline. The service worker must control the page first (it caches
	// the shell on install and on every MyAccount navigation).
	waitServiceWorker(b, myAccount)
	goOffline(b, srv.URL)
	b.do("reload offline",
		chromedp.Navigate(myAccount),
		chromedp.WaitVisible(chromedp.ID("offline-banner")),
	)
	if online := run(b, "navigator.onLine", chromedp.Evaluate[bool](`navigator.onLine`)); online {
		t.Error("navigator.onLine is true with the network emulated offline")
	}
	// The network really is off: the server is not reachable from the page.
	if reached := run(b, "fetch offline", chromedp.Evaluate[bool](
		`fetch("/readyz", {cache: "no-store"}).then(() => true, () => false)`,
		chromedp.EvalAwaitPromise)); reached {
		t.Fatal("the page still reaches the server with the network emulated offline: the offline check proves nothing")
	}
	// The shell shows the last copy seen, read-only.
	b.do("offline profile", chromedp.WaitVisible(chromedp.ID("profile-username")))
	if got := b.text("#profile-username"); got != username {
		t.Errorf("offline #profile-username = %q, want %q", got, username)
	}
	b.shot("offline")
}

// submitPassword fills the password step and submits it.
func submitPassword(b *browser, username, password string) {
	b.t.Helper()
	b.do("submit username and password",
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		click(chromedp.ID("submit")),
	)
}

// waitMyAccount waits for the signed-on MyAccount page: the profile tab and
// the sign-off button, at the page's own URL with the OAuth answer
// (?code=&state=) stripped from the address bar.
func waitMyAccount(b *browser, myAccount string) {
	b.t.Helper()
	b.do("MyAccount signed on",
		chromedp.WaitVisible(chromedp.ID("tab-profile")),
		chromedp.WaitVisible(chromedp.ID("signoff")),
		chromedp.WaitVisible(chromedp.ID("profile-username")),
	)
	loc, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatal(err)
	}
	if want, _ := url.Parse(myAccount); loc.Path != want.Path || loc.RawQuery != "" {
		b.t.Errorf("MyAccount is at %s, want %s without a query", loc, myAccount)
	}
}

// nextOTP waits for a passcode mail to addr that is not in seen, and marks
// it seen.
func nextOTP(t *testing.T, mail *mailtest.Server, addr string, seen map[string]bool) string {
	t.Helper()
	m := waitMail(t, mail, addr, func(m mailtest.Message) bool {
		return !seen[string(m.Raw)] && mailtest.OTPFrom(m.Text) != ""
	})
	seen[string(m.Raw)] = true
	return mailtest.OTPFrom(m.Text)
}

func waitMail(t *testing.T, mail *mailtest.Server, addr string, match func(mailtest.Message) bool) mailtest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	m, err := mail.WaitFor(ctx, addr, match)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// waitServiceWorker waits until a service worker controls the page,
// reloading once: a page loaded before the worker activated is claimed by
// clients.claim(), but a reload is the documented way to be controlled.
func waitServiceWorker(b *browser, myAccount string) {
	b.t.Helper()
	const controlled = `navigator.serviceWorker && navigator.serviceWorker.controller !== null`
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](controlled, chromedp.WithPollingTimeout(10*time.Second)))
		cancel()
		if err == nil {
			return
		}
		if attempt == 1 {
			b.fail("service worker controls MyAccount", err)
		}
		b.do("reload for the service worker", chromedp.Navigate(myAccount))
		waitMyAccount(b, myAccount)
	}
}

// goOffline cuts the tab and its service workers off the network. The
// emulation is per target: the page's alone would leave the worker's own
// fetches (its network-first navigation) online, and the offline reload
// would then be served by the server, proving nothing about the fallback.
// navigator.onLine becomes false.
func goOffline(b *browser, origin string) {
	b.t.Helper()
	b.do("take the page offline", chromedp.Func(offline))
	infos := run(b, "list targets", chromedp.Action[[]*target.Info](func(ctx context.Context, _ *chromedp.Target) ([]*target.Info, error) {
		return chromedp.Targets(ctx)
	}))
	workers := 0
	for _, info := range infos {
		if info.Type != "service_worker" || !strings.HasPrefix(info.URL, origin+"/") {
			continue
		}
		wctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID))
		b.t.Cleanup(cancel)
		sctx, scancel := context.WithTimeout(wctx, stepTimeout)
		err := chromedp.Do(sctx, chromedp.Func(offline))
		var reached bool
		if err == nil {
			// The premise of the offline check: the worker's fetches fail.
			reached, err = chromedp.Run(sctx, chromedp.Evaluate[bool](
				`fetch("/readyz", {cache: "no-store"}).then(() => true, () => false)`, chromedp.EvalAwaitPromise))
		}
		scancel()
		if err != nil {
			b.fail("take the service worker offline", err)
		}
		if reached {
			b.t.Fatal("the service worker still reaches the server with its network emulated offline")
		}
		workers++
	}
	if workers == 0 {
		b.fail("take the service worker offline", fmt.Errorf("no service worker target of %s among %d targets", origin, len(infos)))
	}
}

// offline emulates a disconnected network on one target.
func offline(ctx context.Context, t *chromedp.Target) error {
	if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
		return fmt.Errorf("network.enable: %w", err)
	}
	if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: new(true),
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		return fmt.Errorf("emulate offline: %w", err)
	}
	if _, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: true, DownloadThroughput: -1, UploadThroughput: -1,
	}); err != nil {
		return fmt.Errorf("override network state: %w", err)
	}
	return nil
}
