package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// signOnConsole opens the admin console and signs on as the bootstrap
// administrator (the Administrators policy starts as password only), then
// waits for the console on its first section. The way to the sign-on
// form is the browser context's first page load (toSignOnPage).
func signOnConsole(b *browser, srv *serverProc) {
	b.t.Helper()
	toSignOnPage(b, srv.URL+paths.Admin)
	submitPassword(b, "admin", adminPassword)
	b.do("back to the console", chromedp.WaitVisible(chromedp.ID("admin-env")))
	b.do("the console", chromedp.WaitVisible(chromedp.ID("panel-overview")))
}

// chooseConsoleEnv picks the environment every console section works on.
func chooseConsoleEnv(b *browser, envID string) {
	b.t.Helper()
	b.do("choose environment "+envID, chromedp.SetValue(chromedp.ID("admin-env"), envID),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("admin-env").dispatchEvent(new Event("change", {bubbles: true}))`))
	run(b, "the console on "+envID, chromedp.Poll[bool](`localStorage.getItem("admin.env") === JSON.stringify("`+envID+`")`,
		chromedp.WithPollingTimeout(stepTimeout)))
}

// openConsoleSection opens a console section by its id and waits for its
// panel.
func openConsoleSection(b *browser, id string) {
	b.t.Helper()
	b.do("open section "+id, click(chromedp.ID("tab-"+id)), chromedp.WaitVisible(chromedp.ID("panel-"+id)))
}

// TestAdminConsoleSignOn is PingOne's getting-started order in the
// console: the bootstrap administrator signs on with the password alone,
// is told to pair a device before MFA can be required (the switch is off
// until then), reads the Default environment's outbox, opens MyAccount
// from the console without a device (the first-device exception), pairs
// an email there, comes back and requires MFA; the next sign-on asks for
// the emailed passcode.
func TestAdminConsoleSignOn(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	mail := mailtest.Start(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir(), smtpURL: mail.URL()})
	b := newBrowser(t, chromium)
	const adminMail = "root@example.com"

	// Wrong passwords for olga until the limiter locks her out: security
	// events for the console's Security section.
	failSignOns(t, srv, defaultEnvID, "olga", 5)

	signOnConsole(b, srv)
	if got := b.text("#admin-mfa-nag"); !strings.Contains(got, "password only") {
		t.Errorf("MFA nag %q", got)
	}
	requireDisabled := func() bool {
		return run(b, "read Require MFA", chromedp.Evaluate[bool](`document.getElementById("admin-require-mfa").disabled`))
	}
	if !requireDisabled() {
		t.Error("Require MFA is usable by an administrator without a device")
	}
	b.shot("console")

	chooseConsoleEnv(b, defaultEnvID)
	run(b, "overview of Default", chromedp.Poll[bool](`document.getElementById("admin-env-id").textContent === "`+defaultEnvID+`"`,
		chromedp.WithPollingTimeout(stepTimeout)))
	if got := b.text("#admin-env-name"); got != "Default" {
		t.Errorf("environment name %q", got)
	}
	openConsoleSection(b, "security")
	b.do("security events", chromedp.WaitVisible(chromedp.CSS(`#security-events .security-event`)))
	if got := b.text(`#security-events`); !strings.Contains(got, "locked out") && !strings.Contains(got, "failed sign-ons") {
		t.Errorf("the security events read %q", got)
	}
	b.shot("security")

	openConsoleSection(b, "outbox")
	b.do("outbox read", chromedp.WaitVisible(chromedp.CSS("#panel-outbox .empty, #panel-outbox .outbox-message")))
	if !strings.Contains(b.location(), "#outbox") {
		t.Errorf("the address bar %s does not keep the section", b.location())
	}

	// MyAccount of the Administrators environment, through the SSO
	// session: the password-only session may pair the first device.
	b.do("open MyAccount from the console", click(chromedp.ID("admin-open-myaccount")),
		chromedp.WaitVisible(chromedp.ID("add-method")))
	b.do("add an email method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-email")),
		click(chromedp.ID("add-email")), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), adminMail), click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")))
	seen := map[string]bool{}
	b.do("pairing passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, adminMail, seen)),
		click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")))
	b.shot("paired")

	// Back in the console the switch is usable; one click requires MFA.
	b.do("back to the console", chromedp.Navigate(srv.URL+paths.Admin), chromedp.WaitVisible(chromedp.ID("admin-mfa-nag")))
	run(b, "Require MFA usable", chromedp.Poll[bool](`!document.getElementById("admin-require-mfa").disabled`,
		chromedp.WithPollingTimeout(stepTimeout)))
	b.do("require MFA", click(chromedp.ID("admin-require-mfa")), chromedp.WaitNotPresent(chromedp.ID("admin-mfa-nag")))
	var policies resource.List[resource.SignOnPolicy]
	srv.adminAPI("GET", paths.Build(paths.SignOnPolicies, adminEnvID), nil, http.StatusOK, &policies)
	if p := policies.Embedded["signOnPolicies"]; len(p) != 1 || p[0].Kind != resource.PolicyPasswordMFA {
		t.Fatalf("Administrators sign-on policies %+v", p)
	}

	// Sign off; signing on again now asks for the emailed passcode.
	b.do("sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, "admin", adminPassword)
	b.do("MFA at sign-on", chromedp.WaitVisible(chromedp.ID("otp")))
	b.do("sign-on passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, adminMail, seen)),
		click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("admin-env")))
	if n := run(b, "nag gone", chromedp.Evaluate[bool](`document.getElementById("admin-mfa-nag") === null`)); !n {
		t.Error("the console still nags with MFA required")
	}
	b.shot("mfa-required")
}

// failSignOns makes n sign-on attempts with a wrong password for username
// in envID through the hosted flow API, each in a flow of its own (flows
// are bound to the browser's cookie: each attempt keeps one jar).
func failSignOns(t *testing.T, srv *serverProc, envID, username string, n int) {
	t.Helper()
	status, _, body := srv.call(nil, "GET", paths.Build(paths.MyAccount, envID)+"config.json", "", nil, nil)
	var cfg resource.AppConfig
	if status != http.StatusOK || json.Unmarshal(body, &cfg) != nil {
		t.Fatalf("config: %d %s", status, body)
	}
	q := url.Values{"response_type": {"code"}, "client_id": {cfg.ClientID}, "scope": {"openid"}, "state": {"s"}, "nonce": {"n"},
		"redirect_uri":   {srv.URL + paths.Build(paths.MyAccount, envID)},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	for i := range n {
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		client := plainClient(jar)
		status, h, _ := srv.call(client, "GET", paths.Build(paths.Authorize, envID)+"?"+q.Encode(), "", nil, nil)
		loc, err := url.Parse(h.Get("Location"))
		if status != http.StatusFound || err != nil || loc.Query().Get("flowId") == "" {
			t.Fatalf("authorize %d: %d %s", i, status, h.Get("Location"))
		}
		status, _, body := srv.call(client, "POST", paths.Build(paths.Flow, envID, loc.Query().Get("flowId")), paths.ActionUsernamePassword,
			strings.NewReader(`{"username":"`+username+`","password":"not the password"}`), nil)
		// Wrong, until the limiter steps in (429): both are failures.
		if status != http.StatusBadRequest && status != http.StatusTooManyRequests {
			t.Fatalf("wrong password %d: %d %s", i, status, body)
		}
	}
}
