package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// Fixed identities, so the tests know the environments and the bootstrap
// worker application without reading the server's output.
const (
	defaultEnvID  = "5f0c6a52-7d1e-4b8a-9c3f-2a1b0c9d8e71"
	adminEnvID    = "a3d2e1f0-4b5c-4d6e-8f70-9182a3b4c5d6"
	workerID      = "0b9c1c3e-9d1f-4a53-8a2e-5c1d2f3a4b5d"
	workerSecret  = "e2e-bootstrap-client-secret-0123456789abcdef"
	adminPassword = "e2e-admin-password-0123"
)

// Time limits. Generous for a loaded 2-core machine, short enough that a
// hang fails the run instead of stalling it.
const (
	buildTimeout = 3 * time.Minute
	readyTimeout = 30 * time.Second
	stopTimeout  = 15 * time.Second
	httpTimeout  = 15 * time.Second
)

// harness is what TestMain prepares for every test: a directory for the
// server binary, which is built once, on first use.
var harness struct {
	binDir string

	once   sync.Once
	binary string
	err    error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "myaccount-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	harness.binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the module root: `go test` runs in the package directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root %s has no go.mod: %v", root, err)
	}
	return root
}

// serverBinary builds ./server/cmd/myaccount once per test run.
func serverBinary(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	harness.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		bin := filepath.Join(harness.binDir, "myaccount")
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./server/cmd/myaccount")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			harness.err = fmt.Errorf("go build ./server/cmd/myaccount: %w\n%s", err, out)
			return
		}
		harness.binary = bin
	})
	if harness.err != nil {
		t.Fatal(harness.err)
	}
	return harness.binary
}

// requireWasm fails (never skips) when the PWA is not built: the browser
// tests would only see a page that never starts.
func requireWasm(t *testing.T) {
	t.Helper()
	wasm := filepath.Join(repoRoot(t), "assets", "web", "app.wasm")
	fi, err := os.Stat(wasm)
	if err != nil {
		t.Fatalf("%s is missing: run make wasm (make test does it)", wasm)
	}
	// A stale build makes failures that look like bugs of the current code.
	if newer := newestSource(filepath.Join(repoRoot(t), "app"), filepath.Join(repoRoot(t), "shared")); newer.After(fi.ModTime()) {
		t.Logf("warning: %s is older than the app/ and shared/ sources: run make wasm if this test fails", wasm)
	}
}

// newestSource is the latest modification time of a .go file under dirs.
func newestSource(dirs ...string) time.Time {
	var newest time.Time
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			if fi, err := e.Info(); err == nil && fi.ModTime().After(newest) {
				newest = fi.ModTime()
			}
			return nil
		})
	}
	return newest
}

// serverEnviron is the test process's environment without the variables
// the server reads, plus extra: a MONGODB_URI in the developer's shell
// must not move the test off SQLite.
func serverEnviron(extra ...string) []string {
	serverVars := []string{"ADDR", "PUBLIC_URL", "MONGODB_URI", "DATA_DIR", "ASSETS_DIR", "MAIL_SMTP_URL",
		"SMS_GATEWAY_URL", "TRUSTED_PROXIES", "LOG_LEVEL", "GEOIP_DB"}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		drop := strings.HasPrefix(k, "MYACCOUNT_")
		for _, v := range serverVars {
			drop = drop || k == v
		}
		if !drop {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serverProc is one running server process.
type serverProc struct {
	t    *testing.T
	name string
	// URL is where this process listens, as http://localhost:PORT:
	// WebAuthn and the service worker need a secure context, which
	// localhost is, and cookies for localhost ignore the port.
	URL string
	// PublicURL is its PUBLIC_URL: URL, or the first instance's URL when
	// several instances stand for one site.
	PublicURL string

	// client is the harness's own HTTP client for this server, with its
	// own connection pool, closed before the server is stopped.
	client         *http.Client
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	exited         chan struct{}
	waitErr        error
	stopOnce       sync.Once
}

// serverConfig is what differs between the servers a test starts.
type serverConfig struct {
	name    string // for the log: "server", "server-1", …
	dataDir string
	smtpURL string
	// publicURL, when set, is the PUBLIC_URL (instances behind one load
	// balancer share it); by default the server's own URL.
	publicURL string
	// smsGatewayURL, when set, is the SMS_GATEWAY_URL (see smsGateway);
	// by default SMS and voice go to the dev outbox.
	smsGatewayURL string
	// geoipDB, when set, is the GEOIP_DB (a generated city database).
	geoipDB string
}

// startServer starts the binary and waits until /readyz answers 200. The
// server is stopped with SIGTERM when the test ends, and must exit 0.
func startServer(t *testing.T, c serverConfig) *serverProc {
	t.Helper()
	bin := serverBinary(t)
	if c.name == "" {
		c.name = "server"
	}
	port := freePort(t)
	s := &serverProc{t: t, name: c.name, URL: "http://localhost:" + port, PublicURL: c.publicURL,
		client: plainClient(nil), exited: make(chan struct{})}
	if s.PublicURL == "" {
		s.PublicURL = s.URL
	}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Dir = repoRoot(t)
	s.cmd.Env = serverEnviron(
		"ADDR=127.0.0.1:"+port,
		"PUBLIC_URL="+s.PublicURL,
		"DATA_DIR="+c.dataDir,
		"ASSETS_DIR="+filepath.Join(repoRoot(t), "assets"),
		"MAIL_SMTP_URL="+c.smtpURL,
		"MYACCOUNT_ADMIN_PASSWORD="+adminPassword,
		"MYACCOUNT_BOOTSTRAP_CLIENT_ID="+workerID,
		"MYACCOUNT_BOOTSTRAP_CLIENT_SECRET="+workerSecret,
		"MYACCOUNT_DEFAULT_ENV_ID="+defaultEnvID,
		"MYACCOUNT_ADMIN_ENV_ID="+adminEnvID,
		"LOG_LEVEL=warn",
	)
	if c.smsGatewayURL != "" {
		s.cmd.Env = append(s.cmd.Env, "SMS_GATEWAY_URL="+c.smsGatewayURL)
	}
	if c.geoipDB != "" {
		s.cmd.Env = append(s.cmd.Env, "GEOIP_DB="+c.geoipDB)
	}
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", c.name, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.Stop)
	s.waitReady()
	return s
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before the server binds it; the server would then fail to start,
// which waitReady reports.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func (s *serverProc) waitReady() {
	s.t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last string
	for {
		resp, err := client.Get(s.URL + paths.Readyz)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-s.exited:
			s.t.Fatalf("%s exited before it was ready (%v)\nstdout:\n%s\nstderr:\n%s", s.name, s.waitErr, s.stdout.String(), s.stderr.String())
		case <-deadline.C:
			s.t.Fatalf("%s not ready after %s (last: %s)\nstderr:\n%s", s.name, readyTimeout, last, s.stderr.String())
		case <-tick.C:
		}
	}
}

// Stop sends SIGTERM and checks the server shuts down cleanly (exit 0)
// within stopTimeout. Its output goes to the test log if the test failed.
// Calling it again does nothing.
//
// The harness's own idle connections are closed first, as a client that
// went away: Go's transport can keep a connection it dialled for a request
// that another connection served, which the server sees as a connection
// that never sent a request (see TestServerStopsWithUnusedConnection).
func (s *serverProc) Stop() {
	s.stopOnce.Do(func() {
		t := s.t
		s.client.CloseIdleConnections()
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("%s: SIGTERM: %v", s.name, err)
		}
		select {
		case <-s.exited:
			if s.waitErr != nil {
				t.Errorf("%s did not exit cleanly after SIGTERM: %v", s.name, s.waitErr)
			}
		case <-time.After(stopTimeout):
			_ = s.cmd.Process.Kill()
			<-s.exited
			t.Errorf("%s still running %s after SIGTERM; killed", s.name, stopTimeout)
		}
		if t.Failed() {
			t.Logf("%s stdout:\n%s", s.name, s.stdout.String())
			t.Logf("%s stderr:\n%s", s.name, s.stderr.String())
		}
	})
}

// Stdout is what the server printed (the welcome text).
func (s *serverProc) Stdout() string { return s.stdout.String() }

// call sends one request to the server and returns the status, headers
// and body. A nil client uses a plain one (no cookies, no redirects).
func (s *serverProc) call(client *http.Client, method, path, contentType string, body io.Reader, header http.Header) (int, http.Header, []byte) {
	s.t.Helper()
	if client == nil {
		client = s.client
	}
	ctx, cancel := context.WithTimeout(context.Background(), httpTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s on %s: %v", method, path, s.name, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s %s on %s: read body: %v", method, path, s.name, err)
	}
	return resp.StatusCode, resp.Header, raw
}

// plainClient does not follow redirects (the tests read each Location),
// and has a connection pool of its own.
func plainClient(jar http.CookieJar) *http.Client {
	return &http.Client{
		Jar:           jar,
		Transport:     http.DefaultTransport.(*http.Transport).Clone(),
		Timeout:       httpTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// adminToken is a client-credentials token of the bootstrap worker
// application (HTTP Basic at the Administrators environment's token
// endpoint).
func (s *serverProc) adminToken() string {
	s.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	h := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(workerID+":"+workerSecret))}}
	status, _, body := s.call(nil, "POST", paths.Build(paths.Token, adminEnvID), "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), h)
	if status != http.StatusOK {
		s.t.Fatalf("client credentials token: %d %s", status, body)
	}
	var tr resource.TokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		s.t.Fatalf("client credentials token: %v %s", err, body)
	}
	return tr.AccessToken
}

// adminAPI calls the management API with the worker's token.
func (s *serverProc) adminAPI(method, path string, in any, want int, out any) {
	s.t.Helper()
	var body io.Reader
	ct := ""
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			s.t.Fatal(err)
		}
		body, ct = bytes.NewReader(raw), paths.JSON
	}
	h := http.Header{"Authorization": {"Bearer " + s.adminToken()}}
	status, _, raw := s.call(nil, method, path, ct, body, h)
	if status != want {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: decode %T: %v: %s", method, path, out, err, raw)
		}
	}
}

// createUser creates a user with a password in the Default environment.
func (s *serverProc) createUser(username, email, password string) resource.User {
	s.t.Helper()
	var u resource.User
	s.adminAPI("POST", paths.Build(paths.Users, defaultEnvID), resource.UserCreate{
		Username: username, Email: email, Password: &resource.Password{Value: password},
	}, http.StatusCreated, &u)
	if u.ID == "" || u.Username != username {
		s.t.Fatalf("created user: %+v", u)
	}
	return u
}

// Browser side.

const (
	// stepTimeout bounds one browser step: a page load of the 8 MB wasm
	// on a busy machine, or a round trip through the server.
	stepTimeout = 30 * time.Second
	// desktop window size; the mobile screenshot emulates 360x740.
	windowWidth, windowHeight = 1280, 900
)

// chromiumPath finds Debian's Chromium. Without it the browser tests skip
// on a developer machine (with the command to install it) and fail in CI.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	const msg = "chromium is not installed: sudo apt-get install chromium (make test installs it when run as root)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; skipping the browser test (set CI=true to make this a failure)")
	return ""
}

// browser is one Chromium with one tab, for one test.
type browser struct {
	t   *testing.T
	ctx context.Context // the tab; steps derive their deadline from it
	out string          // screenshot directory
	n   int             // screenshots taken

	mu      sync.Mutex
	console []string // console messages and exceptions, logged on failure
	navs    []string // main-frame navigations, in order
}

// newBrowser starts a headless Chromium (exe, from chromiumPath) with a
// fresh profile (chromedp makes a new user-data-dir per allocator and
// removes it at the end) and opens one tab.
func newBrowser(t *testing.T, exe string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(windowWidth, windowHeight),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for Chromium to exit
	})
	b := &browser{t: t, ctx: ctx, out: screenshotDir(t)}

	// The first Do starts the browser and binds the browser's life to the
	// context it is given, so it gets the tab's context, without a
	// deadline; the steps after it have theirs.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium (%s): %v", exe, err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventFrameNavigated); ok && e.Frame.ParentID == "" {
			b.mu.Lock()
			b.navs = append(b.navs, redactQuery(e.Frame.URL))
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, fmt.Sprintf("%s %s:%d %s", m.Type, m.URL, m.Line+1, m.Text))
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			b.mu.Lock()
			defer b.mu.Unlock()
			t.Logf("browser console:\n%s", strings.Join(b.console, "\n"))
			t.Logf("navigations:\n%s", strings.Join(b.navs, "\n"))
		}
	})
	return b
}

// screenshotDir is e2e/out/<TestName>/, emptied for this run.
func screenshotDir(t *testing.T) string {
	t.Helper()
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	dir, err := filepath.Abs(filepath.Join("out", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// do runs steps under one deadline and fails the test on error, with a
// screenshot of where the page got stuck.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

// doFirstLoad is do for the first page load of a fresh browser context,
// with three steps' time: it loads the 8 MB wasm from a cold cache, up
// to three times before a sign-on form shows (the page, the silent
// sign-on's answer, the sign-on page), which a loaded 2-core machine does
// not always finish in stepTimeout; the steps after it run from a warm
// cache.
func (b *browser) doFirstLoad(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 3*stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

// toSignOnPage opens page (the console or a MyAccount) in a fresh browser
// context and waits for the sign-on form it sends to (doFirstLoad).
func toSignOnPage(b *browser, page string) {
	b.t.Helper()
	b.doFirstLoad("open "+page, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("username")))
}

// run is do for one step that returns a value.
// click clicks sel once it is visible and enabled, as a person would.
// go-app handles events after the browser has acted, so a button that the
// last keystroke or answer enables can still be disabled for a moment; a
// click then does nothing and the test waits for what never comes.
func click[S chromedp.ID | chromedp.CSS](sel S) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.WaitEnabled(sel)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Click(sel)(ctx, t)
	}
}

func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(what, err)
	}
	return v
}

func (b *browser) fail(what string, err error) {
	b.t.Helper()
	loc := b.location()
	b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
	b.t.Fatalf("%s: %v (page: %s)", what, err, loc)
}

// location is the page's URL with query values other than flowId
// redacted (see redactQuery), or "" when it cannot be read.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return redactQuery(loc)
}

// shot saves a screenshot of the viewport as NN-name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.n++
	p := filepath.Join(b.out, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", p)
}

// text is the visible text of the first element matching the CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// navMark and navsSince tell which main-frame navigations happened
// between two points of the test.
func (b *browser) navMark() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.navs)
}

func (b *browser) navsSince(mark int) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.navs[mark:]...)
}

// redactQuery keeps a URL's query keys and drops their values: the
// navigation log must not carry authorization codes or state.
func redactQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	q := u.Query()
	for k := range q {
		if k != "flowId" {
			q[k] = []string{"…"}
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
