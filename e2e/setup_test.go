package e2e

import (
	"testing"

	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
)

// browserTest is what most browser tests start from: the SMTP receiver,
// one server mailing to it, and Chromium with one tab.
type browserTest struct {
	mail      *mailtest.Server
	srv       *serverProc
	b         *browser
	myAccount string // the Default environment's MyAccount page
}

// startBrowserTest skips without Chromium (fails in CI), fails without the
// wasm build, then starts the SMTP receiver, a server mailing to it in a
// fresh data directory (cfg's other settings as given) and the browser:
// started after the server, the browser is closed, with its preconnected
// sockets, before the server is stopped.
func startBrowserTest(t *testing.T, cfg serverConfig) *browserTest {
	t.Helper()
	chromium := chromiumPath(t)
	requireWasm(t)
	mail := mailtest.Start(t)
	cfg.dataDir, cfg.smtpURL = t.TempDir(), mail.URL()
	srv := startServer(t, cfg)
	return &browserTest{mail: mail, srv: srv, b: newBrowser(t, chromium),
		myAccount: srv.URL + paths.Build(paths.MyAccount, defaultEnvID)}
}

// newUserOnAuthenticationTab creates a user with a password through the
// admin API and signs on as them in the browser, enrolling email as the
// first method, up to the Authentication tab (toAuthenticationTab). It
// returns the passcodes already used, for nextOTP.
func (bt *browserTest) newUserOnAuthenticationTab(t *testing.T, username, account, password, email string) map[string]bool {
	t.Helper()
	bt.srv.createUser(username, account, password)
	return toAuthenticationTab(t, bt.b, bt.mail, bt.myAccount, username, password, email)
}
