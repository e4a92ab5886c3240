package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	testPublicURL    = "http://localhost:8080"
	testClientID     = "0b9c1c3e-9d1f-4a53-8a2e-5c1d2f3a4b5c"
	testClientSecret = "bootstrap-secret-for-tests-0123456789abcdef"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// mailbox captures what the server sends.
type mailbox struct {
	mu   sync.Mutex
	msgs []notify.Message
}

func (m *mailbox) Send(_ context.Context, msg notify.Message) error {
	m.mu.Lock()
	m.msgs = append(m.msgs, msg)
	m.mu.Unlock()
	return nil
}

var otpRE = regexp.MustCompile(`\b\d{6,10}\b`)

// lastOTP returns the passcode in the newest message to addr.
func (m *mailbox) lastOTP(t testing.TB, addr string) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.msgs) - 1; i >= 0; i-- {
		if m.msgs[i].To == addr {
			if code := otpRE.FindString(m.msgs[i].Text); code != "" {
				return code
			}
		}
	}
	t.Fatalf("no passcode sent to %s", addr)
	return ""
}

// env is one server under test.
type env struct {
	t     testing.TB
	srv   *Server
	clock *clock
	mail  *mailbox
	st    store.Store
}

// openSQLite opens a fresh SQLite store with the query-plan check on.
func openSQLite(t testing.TB, path string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: path, CheckPlans: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if v := st.PlanViolations(); len(v) > 0 {
			t.Errorf("full table scans: %v", v)
		}
		st.Close()
	})
	return st
}

func newEnv(t testing.TB, st store.Store, c *clock) *env {
	t.Helper()
	return newEnvWith(t, st, testPublicURL, c, nil)
}

// newEnvWith builds a server on st with the given public URL and clock (nil:
// a fresh fixed one; servers sharing a database share a clock) and a hook
// to adjust its Options (Wasm, Logger, …) before New runs.
func newEnvWith(t testing.TB, st store.Store, publicURL string, c *clock, adjust func(*Options)) *env {
	t.Helper()
	if c == nil {
		c = &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	}
	cfg, err := config.Load(nil, func(k string) string {
		return map[string]string{
			"PUBLIC_URL": publicURL, "MYACCOUNT_ADMIN_PASSWORD": "admin-password-123",
			"MYACCOUNT_BOOTSTRAP_CLIENT_ID": testClientID, "MYACCOUNT_BOOTSTRAP_CLIENT_SECRET": testClientSecret,
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	mb := &mailbox{}
	kek := make([]byte, 32)
	copy(kek, "test key-encryption key 32 bytes")
	o := Options{
		Config: cfg, Store: st, KEK: kek, Now: c.Now, Sender: mb,
		// Cheap hashing: the real parameters have their own tests and benchmarks.
		Password: &password.Config{Params: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, MaxConcurrent: 4},
	}
	if adjust != nil {
		adjust(&o)
	}
	srv, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, clock: c, mail: mb, st: st}
}

func newSQLiteEnv(t testing.TB) *env {
	return newEnv(t, openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite")), nil)
}

// do sends a request through the Fiber app (no network).
func (e *env) do(req *http.Request) *http.Response {
	e.t.Helper()
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// browser keeps cookies across requests, like one browser.
type browser struct {
	e   *env
	jar *cookiejar.Jar
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, jar: jar}
}

func (b *browser) do(method, target, ct string, body io.Reader) *http.Response {
	b.e.t.Helper()
	req := httptest.NewRequest(method, target, body)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	u, _ := url.Parse(testPublicURL + req.URL.RequestURI())
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	resp := b.e.do(req)
	b.jar.SetCookies(u, resp.Cookies())
	return resp
}

func decode[T any](t testing.TB, resp *http.Response) T {
	t.Helper()
	var v T
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %T from %d %s: %v", v, resp.StatusCode, body, err)
	}
	return v
}

func wantStatus(t testing.TB, resp *http.Response, want int) []byte {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, body)
	}
	return body
}

// adminToken gets a client-credentials token for the bootstrap worker.
func (e *env) adminToken() string {
	e.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req := httptest.NewRequest("POST", paths.Build(paths.Token, e.srv.Bootstrap.AdminEnvID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(testClientID, testClientSecret)
	resp := e.do(req)
	body := wantStatus(e.t, resp, 200)
	var tr resource.TokenResponse
	json.Unmarshal(body, &tr)
	return tr.AccessToken
}

// api calls the management API with a bearer token.
func (e *env) api(method, path, tok, body string) *http.Response {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return e.do(req)
}

// userPassword is the test users' password. It names no user: the
// environment's password policy refuses a password that contains the
// username or the email's local part, for administrators' creates too.
const userPassword = "correct horse battery staple"

// createUser creates a user in the Default environment through the API.
func (e *env) createUser(username, email, pw string) resource.User {
	e.t.Helper()
	body, _ := json.Marshal(resource.UserCreate{Username: username, Email: email, Password: &resource.Password{Value: pw}})
	resp := e.api("POST", paths.Build(paths.Users, e.srv.Bootstrap.DefaultEnvID), e.adminToken(), string(body))
	return decode[resource.User](e.t, respWant(e.t, resp, 201))
}

func respWant(t testing.TB, resp *http.Response, want int) *http.Response {
	t.Helper()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, b)
	}
	return resp
}

// pkce is one authorization request's PKCE pair and state.
type pkce struct{ verifier, challenge, state string }

func newPKCE() pkce {
	b := make([]byte, 32)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	s := sha256.Sum256([]byte(v))
	rand.Read(b[:8])
	return pkce{verifier: v, challenge: base64.RawURLEncoding.EncodeToString(s[:]), state: base64.RawURLEncoding.EncodeToString(b[:8])}
}

func (e *env) myAccountRedirect() string {
	return bootstrap.MyAccountRedirect(testPublicURL, e.srv.Bootstrap.DefaultEnvID)
}

// authorizeURL builds a MyAccount authorization request.
func (e *env) authorizeURL(p pkce, extra url.Values) string {
	envID := e.srv.Bootstrap.DefaultEnvID
	q := url.Values{
		"response_type": {"code"}, "client_id": {bootstrap.MyAccountClientID(envID)},
		"redirect_uri": {e.myAccountRedirect()}, "scope": {"openid profile email p1:read:user p1:read:device"},
		"state": {p.state}, "code_challenge": {p.challenge}, "code_challenge_method": {"S256"}, "nonce": {"n-1"},
	}
	for k, v := range extra {
		q[k] = v
	}
	return paths.Build(paths.Authorize, envID) + "?" + q.Encode()
}

// startFlow follows /as/authorize to the hosted sign-on and returns the flow id.
func (b *browser) startFlow(p pkce) string {
	b.e.t.Helper()
	resp := b.do("GET", b.e.authorizeURL(p, nil), "", nil)
	wantStatus(b.e.t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	id := loc.Query().Get("flowId")
	if id == "" {
		b.e.t.Fatalf("authorize did not start a flow: %s", resp.Header.Get("Location"))
	}
	return id
}

func (b *browser) flowURL(id string) string {
	return paths.Build(paths.Flow, b.e.srv.Bootstrap.DefaultEnvID, id)
}

// action posts a flow action and returns the response.
func (b *browser) action(flowID, action string, body any) *http.Response {
	raw, _ := json.Marshal(body)
	return b.do("POST", b.flowURL(flowID), "application/vnd.pingidentity."+action+"+json", strings.NewReader(string(raw)))
}

// signOn runs a whole sign-on (password, then enrollment or the OTP of the
// default device) and returns the tokens.
func (b *browser) signOn(p pkce, username, pw, email string) resource.TokenResponse {
	b.e.t.Helper()
	t := b.e.t
	id := b.startFlow(p)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: username, Password: pw}), 200))
	if f.Status == resource.FlowMFAEnrollmentRequired {
		f = decode[resource.Flow](t, respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: email}), 200))
	}
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("status %s, want OTP_REQUIRED", f.Status)
	}
	f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: b.e.mail.lastOTP(t, email)}), 200))
	if f.Status != resource.FlowCompleted || f.ResumeURL == "" {
		t.Fatalf("flow not completed: %+v", f)
	}
	return b.resume(f.ResumeURL, p)
}

// resume follows the resume URL and exchanges the code.
func (b *browser) resume(resumeURL string, p pkce) resource.TokenResponse {
	b.e.t.Helper()
	t := b.e.t
	resp := b.do("GET", strings.TrimPrefix(resumeURL, testPublicURL), "", nil)
	wantStatus(t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != p.state || loc.Query().Get("code") == "" {
		t.Fatalf("bad redirect back: %s", loc)
	}
	tr := b.e.exchange(loc.Query().Get("code"), p.verifier, b.e.myAccountRedirect())
	return decode[resource.TokenResponse](t, respWant(t, tr, 200))
}

// exchange posts an authorization_code grant for the MyAccount client.
func (e *env) exchange(code, verifier, redirect string) *http.Response {
	envID := e.srv.Bootstrap.DefaultEnvID
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
		"redirect_uri": {redirect}, "client_id": {bootstrap.MyAccountClientID(envID)}}
	return e.form(paths.Build(paths.Token, envID), form)
}

func (e *env) form(path string, form url.Values) *http.Response {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}
