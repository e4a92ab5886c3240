package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestConsoleAgreementAndWorker is the console story: on the
// Default environment the administrator creates an agreement with an
// English language and a revision (its text shown as text, markup and
// all), then a worker application with the Environment Admin role over
// Default and copies its client secret, which the console shows once.
// The worker's client credentials then enrol a device for a user through
// the management API.
//
// The worker lives in the Default environment: a worker holds roles only
// over its own environment (or "*", which only an Environment Admin over
// every environment may hand out), so it gets its token from Default's
// token endpoint.
func TestConsoleAgreementAndWorker(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir()})
	b := newBrowser(t, chromium)
	olga := srv.createUser("olga", "olga@example.com", "patient otters build dams")

	signOnConsole(b, srv)
	chooseConsoleEnv(b, defaultEnvID)

	// An agreement, its English language and a first revision.
	openConsoleSection(b, "agreements")
	b.do("new agreement",
		chromedp.WaitVisible(chromedp.ID("agreements-empty")),
		click(chromedp.ID("agreements-new")),
		chromedp.WaitVisible(chromedp.ID("agreements-name")),
		chromedp.SendKeys(chromedp.ID("agreements-name"), "Terms of use"),
		click(chromedp.ID("agreements-create")),
		chromedp.WaitVisible(chromedp.ID("agreements-title")),
	)
	if got := b.text("#agreements-title"); got != "Terms of use" {
		t.Fatalf("agreement page %q", got)
	}
	b.do("add English",
		click(chromedp.ID("agreements-new-language")),
		chromedp.WaitVisible(chromedp.ID("agreements-locale")),
		click(chromedp.ID("agreements-add-language")),
		chromedp.WaitVisible(chromedp.CSS("#panel-agreements .agreement-language")),
	)
	if got := b.text("#panel-agreements .agreement-locale"); got != "en" {
		t.Errorf("language %q", got)
	}
	const revision = "Be kind. <b>Not bold</b>"
	b.do("add a revision",
		click(chromedp.CSS("#panel-agreements .add-revision")),
		chromedp.WaitVisible(chromedp.ID("agreements-text")),
		chromedp.SendKeys(chromedp.ID("agreements-text"), revision),
		click(chromedp.ID("agreements-add-revision")),
		chromedp.WaitVisible(chromedp.CSS("#agreements-revisions .revision-text")),
	)
	if got := b.text("#agreements-revisions .revision-text"); got != revision {
		t.Errorf("revision text %q, want %q as text", got, revision)
	}
	if run(b, "look for markup", chromedp.Evaluate[bool](`document.querySelector("#agreements-revisions .revision-text b") !== null`)) {
		t.Error("the revision's text was rendered as HTML")
	}
	b.do("enable it", click(chromedp.ID("agreements-toggle")))
	run(b, "enabled", chromedp.Poll[bool](`document.getElementById("agreements-status").textContent === "Enabled"`, chromedp.WithPollingTimeout(stepTimeout)))
	b.shot("agreement")

	// A worker with Environment Admin over Default; its secret once.
	openConsoleSection(b, "applications")
	b.do("new worker",
		chromedp.WaitVisible(chromedp.CSS("#panel-applications .application-row")), // the MyAccount application
		click(chromedp.ID("applications-new-worker")),
		chromedp.WaitVisible(chromedp.ID("applications-name")),
		chromedp.SendKeys(chromedp.ID("applications-name"), "Provisioner"),
		click(chromedp.ID("applications-role-env-admin")),
		click(chromedp.ID("applications-create")),
		chromedp.WaitVisible(chromedp.ID("applications-secret-value")),
	)
	clientID := b.text("#applications-client-id")
	secret := b.text("#applications-secret-value")
	if clientID == "" || len(secret) < 20 {
		t.Fatalf("client id %q, secret of %d characters", clientID, len(secret))
	}
	if got := b.text("#applications-roles"); !strings.Contains(got, "Environment Admin over Default") {
		t.Errorf("roles %q", got)
	}
	b.do("copy the secret", click(chromedp.ID("applications-copy-secret")), chromedp.WaitVisible(chromedp.ID("applications-copied")))
	b.shot("worker-secret")
	b.do("done with the secret", click(chromedp.ID("applications-secret-done")))
	run(b, "the secret gone", chromedp.Poll[bool](`document.getElementById("applications-secret-value") === null`, chromedp.WithPollingTimeout(stepTimeout)))
	// Opened again, the application shows no secret: the server has only
	// its hash.
	b.do("open the worker again",
		click(chromedp.ID("applications-back")),
		chromedp.WaitVisible(chromedp.ID("applications-open-"+clientID)),
		click(chromedp.ID("applications-open-"+clientID)),
		chromedp.WaitVisible(chromedp.ID("applications-client-id")),
	)
	if run(b, "look for the secret", chromedp.Evaluate[bool](`document.getElementById("applications-secret-value") !== null || document.body.textContent.includes(`+jsString(secret)+`)`)) {
		t.Error("the secret is shown again")
	}

	// The worker's client credentials enrol a device for olga.
	token := clientCredentials(t, srv, defaultEnvID, clientID, secret)
	devices := paths.Build(paths.Devices, defaultEnvID, olga.ID)
	raw, _ := json.Marshal(map[string]string{"type": resource.DeviceEmail, "email": "olga@example.com", "status": resource.DeviceActive})
	h := http.Header{"Authorization": {"Bearer " + token}}
	status, _, body := srv.call(nil, "POST", devices, paths.JSON, bytes.NewReader(raw), h)
	if status != http.StatusCreated {
		t.Fatalf("enrol a device with the worker's token: %d %s", status, body)
	}
	var dev resource.Device
	if err := json.Unmarshal(body, &dev); err != nil || dev.ID == "" || dev.Status != resource.DeviceActive {
		t.Fatalf("created device %v %s", err, body)
	}
	status, _, body = srv.call(nil, "GET", devices, "", nil, h)
	var list resource.List[resource.Device]
	if status != http.StatusOK || json.Unmarshal(body, &list) != nil {
		t.Fatalf("list devices: %d %s", status, body)
	}
	found := false
	for _, d := range list.Embedded["devices"] {
		found = found || d.ID == dev.ID
	}
	if !found {
		t.Errorf("device %s not listed: %s", dev.ID, body)
	}
}

// clientCredentials is a token for an application's client id and secret
// from envID's token endpoint (HTTP Basic).
func clientCredentials(t *testing.T, srv *serverProc, envID, clientID, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	h := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret))}}
	status, _, body := srv.call(nil, "POST", paths.Build(paths.Token, envID), "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), h)
	if status != http.StatusOK {
		t.Fatalf("client credentials with the console's worker: %d %s", status, body)
	}
	var tr resource.TokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token response %v %s", err, body)
	}
	return tr.AccessToken
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestConsoleSecretRotationAndEnvironments: the console rotates a
// worker's secret (the old one stops working, the new one is shown once),
// deletes the worker, and creates, renames and deletes an environment
// (its name typed to confirm; the picker follows every change). These
// routes came with the administration API; a server without them makes
// the test skip, saying so.
func TestConsoleSecretRotationAndEnvironments(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir()})
	h := http.Header{"Authorization": {"Bearer " + srv.adminToken()}}
	if status, _, _ := srv.call(nil, "POST", paths.Environments, paths.JSON, strings.NewReader("{}"), h); status != http.StatusBadRequest {
		t.Skipf("this server has no environment administration (POST /v1/environments answered %d)", status)
	}
	b := newBrowser(t, chromium)
	signOnConsole(b, srv)
	chooseConsoleEnv(b, defaultEnvID)

	openConsoleSection(b, "applications")
	b.do("new worker",
		chromedp.WaitVisible(chromedp.CSS("#panel-applications .application-row")),
		click(chromedp.ID("applications-new-worker")),
		chromedp.WaitVisible(chromedp.ID("applications-name")),
		chromedp.SendKeys(chromedp.ID("applications-name"), "Rotator"),
		click(chromedp.ID("applications-role-read-only")),
		click(chromedp.ID("applications-create")),
		chromedp.WaitVisible(chromedp.ID("applications-secret-value")),
	)
	clientID, first := b.text("#applications-client-id"), b.text("#applications-secret-value")
	b.do("rotate",
		click(chromedp.ID("applications-secret-done")),
		// The secret box goes and the buttons move up: a click at the
		// old coordinates would miss.
		chromedp.WaitNotPresent(chromedp.ID("applications-secret")),
		click(chromedp.ID("applications-rotate")),
		chromedp.WaitVisible(chromedp.ID("applications-confirm-rotate")),
		click(chromedp.ID("applications-confirm-rotate")),
		chromedp.WaitVisible(chromedp.ID("applications-secret-value")),
	)
	second := b.text("#applications-secret-value")
	if second == "" || second == first {
		t.Fatalf("rotation showed %q", second)
	}
	if status := tokenStatus(t, srv, defaultEnvID, clientID, first); status != http.StatusUnauthorized {
		t.Errorf("the old secret after rotation: %d", status)
	}
	clientCredentials(t, srv, defaultEnvID, clientID, second)
	b.shot("rotated")

	b.do("delete the worker",
		click(chromedp.ID("applications-secret-done")),
		// The secret box goes and the buttons move up: a click at the
		// old coordinates would miss.
		chromedp.WaitNotPresent(chromedp.ID("applications-secret")),
		click(chromedp.ID("applications-delete")),
		chromedp.WaitVisible(chromedp.ID("applications-confirm-delete")),
		click(chromedp.ID("applications-confirm-delete")),
		chromedp.WaitVisible(chromedp.ID("applications-list")),
	)
	if run(b, "look for the worker", chromedp.Evaluate[bool](`document.getElementById("applications-open-`+clientID+`") !== null`)) {
		t.Error("the deleted worker is still listed")
	}
	if status := tokenStatus(t, srv, defaultEnvID, clientID, second); status != http.StatusUnauthorized {
		t.Errorf("a deleted worker's secret: %d", status)
	}

	// Environments: create, rename, delete; the picker follows.
	openConsoleSection(b, "environments")
	if run(b, "look for Delete on Administrators", chromedp.Evaluate[bool](`document.getElementById("environments-delete-`+adminEnvID+`") !== null`)) {
		t.Error("the Administrators environment offers Delete")
	}
	b.do("new environment",
		click(chromedp.ID("environments-new")),
		chromedp.WaitVisible(chromedp.ID("environments-name")),
		chromedp.SendKeys(chromedp.ID("environments-name"), "Staging"),
		click(chromedp.ID("environments-create")),
	)
	pickerHas := func(name string) string {
		return `[...document.querySelectorAll("#admin-env option")].some(o => o.textContent === ` + jsString(name) + `)`
	}
	run(b, "Staging in the picker", chromedp.Poll[bool](pickerHas("Staging"), chromedp.WithPollingTimeout(stepTimeout)))
	envID := run(b, "find Staging", chromedp.Evaluate[string](`[...document.querySelectorAll("#environments-list .environment-row")].
		find(r => r.querySelector(".device-nickname").textContent === "Staging").querySelector(".device-target").textContent`))
	b.do("rename it",
		click(chromedp.ID("environments-rename-"+envID)),
		chromedp.WaitVisible(chromedp.ID("environments-rename-name")),
		chromedp.SetValue(chromedp.ID("environments-rename-name"), "Staging 2"),
		click(chromedp.ID("environments-rename-save")),
	)
	run(b, "renamed in the picker", chromedp.Poll[bool](pickerHas("Staging 2"), chromedp.WithPollingTimeout(stepTimeout)))
	b.do("delete it",
		click(chromedp.ID("environments-delete-"+envID)),
		chromedp.WaitVisible(chromedp.ID("environments-confirm-name")),
		chromedp.SendKeys(chromedp.ID("environments-confirm-name"), "Staging 2"),
		// Delete stays disabled until the app has seen the typed name:
		// click waits for it.
		click(chromedp.ID("environments-confirm-delete")),
	)
	run(b, "gone from the picker", chromedp.Poll[bool](`!`+pickerHas("Staging 2"), chromedp.WithPollingTimeout(stepTimeout)))
	b.shot("environments")
	if status, _, _ := srv.call(nil, "GET", paths.Build(paths.Environment, envID), "", nil, h); status != http.StatusNotFound {
		t.Errorf("the deleted environment answers %d", status)
	}
}

// tokenStatus is the token endpoint's status for client credentials.
func tokenStatus(t *testing.T, srv *serverProc, envID, clientID, secret string) int {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	h := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret))}}
	status, _, _ := srv.call(nil, "POST", paths.Build(paths.Token, envID), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), h)
	return status
}
