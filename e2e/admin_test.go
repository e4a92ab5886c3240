package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
)

// signOnConsole opens the admin console and signs on as the bootstrap
// administrator (the Administrators policy starts as password only), then
// waits for the console on its first section.
func signOnConsole(b *browser, srv *serverProc) {
	b.t.Helper()
	b.do("open the admin console", chromedp.Navigate(srv.URL+paths.Admin), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, "admin", adminPassword)
	b.do("the console", chromedp.WaitVisible(chromedp.ID("admin-env")), chromedp.WaitVisible(chromedp.ID("panel-overview")))
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
	b.do("open section "+id, chromedp.Click(chromedp.ID("tab-"+id)), chromedp.WaitVisible(chromedp.ID("panel-"+id)))
}

// TestAdminConsoleSignOn is PingOne's getting-started order in the
// console: the bootstrap administrator signs on with the password alone,
// is told to pair a device before MFA can be required (the switch is off
// until then), picks the Default environment and reads its outbox.
func TestAdminConsoleSignOn(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir()})
	b := newBrowser(t, chromium)
	srv.createUser("olga", "olga@example.com", "patient otters build dams")

	signOnConsole(b, srv)
	if got := b.text("#admin-mfa-nag"); !strings.Contains(got, "password only") {
		t.Errorf("MFA nag %q", got)
	}
	if !run(b, "read Require MFA", chromedp.Evaluate[bool](`document.getElementById("admin-require-mfa").disabled`)) {
		t.Error("Require MFA is enabled for an administrator without a device")
	}
	b.shot("console")

	chooseConsoleEnv(b, defaultEnvID)
	run(b, "overview of Default", chromedp.Poll[bool](`document.getElementById("admin-env-id").textContent === "`+defaultEnvID+`"`,
		chromedp.WithPollingTimeout(stepTimeout)))
	if got := b.text("#admin-env-name"); got != "Default" {
		t.Errorf("environment name %q", got)
	}
	openConsoleSection(b, "outbox")
	// A user's email change verification or a code would land here; the
	// outbox of a fresh environment is empty, and says so.
	b.do("outbox read", chromedp.WaitVisible(chromedp.CSS("#panel-outbox .empty, #panel-outbox .outbox-message")))
	if !strings.Contains(b.location(), "#outbox") {
		t.Errorf("the address bar %s does not keep the section", b.location())
	}
	b.shot("outbox")
}
