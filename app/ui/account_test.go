//go:build !js

package ui

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/app/oauth"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	publicURL   = "https://id.example"
	clientID    = "9a1b6f0e-4c36-4f5f-b3c6-2e3bb2c1d001"
	userID      = "0d8f5d0a-7c1e-4b9e-8f3f-7f0b8c6b2a10"
	redirectURI = publicURL + "/" + testEnv + "/myaccount/"
)

// authServer fakes the server's side of MyAccount: config, the token
// endpoint (checking PKCE and the exact redirect URI) and the
// self-management reads.
type authServer struct {
	t         *testing.T
	mu        sync.Mutex
	challenge string // from the authorize URL the page built
	nonce     string
	scope     string // granted
	codes     int
	reads     []string
}

func (s *authServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch r.URL.Path {
	case apiclient.ConfigPath(testEnv):
		reply(200, resource.AppConfig{EnvironmentID: testEnv, ClientID: clientID, PublicURL: publicURL})
	case paths.Build(paths.Token, testEnv):
		_ = r.ParseForm()
		f := r.PostForm
		switch {
		case f.Get("grant_type") != "authorization_code" || f.Get("code") != "good-code":
			reply(400, resource.OAuthError{Error: "invalid_grant", Description: "bad code"})
		case f.Get("redirect_uri") != redirectURI && f.Get("redirect_uri") != portalRedirectURI && f.Get("redirect_uri") != adminRedirectURI ||
			f.Get("client_id") != clientID:
			reply(400, resource.OAuthError{Error: "invalid_grant", Description: "redirect_uri mismatch"})
		case oauth.Challenge(f.Get("code_verifier")) != s.challenge:
			reply(400, resource.OAuthError{Error: "invalid_grant", Description: "PKCE verification failed"})
		default:
			s.codes++
			reply(200, resource.TokenResponse{
				AccessToken: jwt(map[string]any{"sub": userID, "scope": s.scope}),
				IDToken:     jwt(map[string]any{"sub": userID, "nonce": s.nonce}),
				TokenType:   "Bearer", ExpiresIn: 300, Scope: s.scope,
			})
		}
	case paths.Build(paths.UserApplications, testEnv, userID):
		s.portalApps(w, r, reply)
	case paths.Build(paths.User, testEnv, userID), paths.Build(paths.Devices, testEnv, userID):
		if r.Header.Get("Authorization") != "Bearer "+jwt(map[string]any{"sub": userID, "scope": s.scope}) {
			reply(401, map[string]string{"code": "INVALID_TOKEN", "message": "no token"})
			return
		}
		s.reads = append(s.reads, r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/devices") {
			reply(200, resource.NewList("devices", []resource.Device{
				{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
			}, "self", ""))
			return
		}
		reply(200, resource.User{ID: userID, Username: "jane", Email: "jane@example.com", Name: &resource.Name{Formatted: "Jane Doe"}})
	default:
		http.NotFound(w, r)
	}
}

// jwt builds an unsigned token with the given payload: the PWA reads
// claims only; the server checks signatures.
func jwt(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJFUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

type accountFixture struct {
	srv     *authServer
	http    *httptest.Server
	acct    *account
	browser *fakeBrowser
	session *memStorage
	local   *memStorage
}

func newAccountFixture(t *testing.T, granted string) *accountFixture {
	t.Helper()
	f := &accountFixture{srv: &authServer{t: t, scope: granted}, browser: &fakeBrowser{}, session: newMemStorage(), local: newMemStorage()}
	f.http = httptest.NewServer(f.srv)
	t.Cleanup(f.http.Close)
	f.acct = &account{
		env:     testEnv,
		api:     apiclient.New(apiclient.Config{BaseURL: f.http.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: f.http.Client()}}),
		session: f.session,
		local:   f.local,
		browser: f.browser,
		rand:    &counter{},
		now:     func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) },
	}
	return f
}

func pageURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// authorizeParams checks r is a trip to /as/authorize and returns its query,
// telling the fake server the challenge and nonce it carries.
func (f *accountFixture) authorizeParams(t *testing.T, r authResult) url.Values {
	t.Helper()
	if r.redirect == "" {
		t.Fatalf("no redirect: %+v", r)
	}
	u := pageURL(t, r.redirect)
	if u.Path != "/"+testEnv+"/as/authorize" {
		t.Fatalf("redirect to %s", u.Path)
	}
	q := u.Query()
	f.srv.mu.Lock()
	f.srv.challenge, f.srv.nonce = q.Get("code_challenge"), q.Get("nonce")
	f.srv.mu.Unlock()
	return q
}

func TestSignOnRoundTrip(t *testing.T) {
	f := newAccountFixture(t, "openid profile email p1:read:user p1:read:device")
	ctx := context.Background()

	r := f.acct.begin(ctx, pageURL(t, redirectURI+"#mfa"))
	q := f.authorizeParams(t, r)
	want := map[string]string{
		"response_type": "code", "client_id": clientID, "redirect_uri": redirectURI,
		"scope": "openid profile email p1:read:user p1:update:user p1:read:device p1:create:device p1:update:device p1:delete:device p1:read:userPassword p1:validate:userPassword p1:reset:userPassword p1:read:sessions p1:delete:sessions p1:read:userLinkedAccounts p1:delete:userLinkedAccounts p1:read:userConsent p1:read:oauthConsent p1:update:oauthConsent", "code_challenge_method": "S256", "prompt": "none",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("authorize %s = %q, want %q", k, q.Get(k), v)
		}
	}
	var p oauth.Pending
	if err := f.session.Get(f.acct.pendingKey(), &p); err != nil || p.State != q.Get("state") || oauth.Challenge(p.Verifier) != q.Get("code_challenge") {
		t.Fatalf("pending in sessionStorage = %+v (%v)", p, err)
	}
	if p.Fragment != "mfa" {
		t.Errorf("pending fragment = %q", p.Fragment)
	}

	r = f.acct.begin(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	if r.sess == nil {
		t.Fatalf("not signed on: %+v", r)
	}
	if r.sess.sub != userID || !r.sess.scopes.Has("p1:read:device") || r.sess.redirectURI != redirectURI {
		t.Errorf("session = %+v", r.sess)
	}
	if r.clean == nil || r.clean.RawQuery != "" || r.clean.Path != "/"+testEnv+"/myaccount/" || r.fragment != "mfa" {
		t.Errorf("clean URL = %v, fragment %q", r.clean, r.fragment)
	}
	if f.session.Contains(f.acct.pendingKey()) {
		t.Error("pending request kept after use")
	}

	// Replaying the answer (a reload of the answer URL) is refused.
	r = f.acct.begin(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	if r.err != MsgErrState || f.srv.codes != 1 {
		t.Errorf("replay: %+v, %d code exchanges", r, f.srv.codes)
	}
}

func TestSilentFailureGoesInteractiveOnce(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:user")
	ctx := context.Background()
	q := f.authorizeParams(t, f.acct.begin(ctx, pageURL(t, redirectURI)))
	if q.Get("prompt") != "none" {
		t.Fatal("first try should be silent")
	}
	r := f.acct.begin(ctx, pageURL(t, redirectURI+"?error=login_required&state="+url.QueryEscape(q.Get("state"))))
	q2 := f.authorizeParams(t, r)
	if q2.Has("prompt") {
		t.Errorf("after login_required: prompt=%q, want an interactive authorize", q2.Get("prompt"))
	}
	if q2.Get("state") == q.Get("state") {
		t.Error("state reused across requests")
	}
	if !f.session.Contains(f.acct.silentFailedKey()) {
		t.Error("silent failure not remembered")
	}
	// Coming back without an answer (the user pressed Back): no second
	// silent attempt, so no loop.
	q3 := f.authorizeParams(t, f.acct.begin(ctx, pageURL(t, redirectURI)))
	if q3.Has("prompt") {
		t.Error("silent retried right after it failed")
	}
	// A successful sign-on clears the memory.
	r = f.acct.begin(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q3.Get("state"))))
	if r.sess == nil || f.session.Contains(f.acct.silentFailedKey()) {
		t.Fatalf("after sign-on: %+v, silentFailed kept = %v", r, f.session.Contains(f.acct.silentFailedKey()))
	}
}

func TestSignOnAnswerErrors(t *testing.T) {
	tests := []struct {
		name  string
		query func(state string) string
		nonce string
		want  Msg
	}{
		{name: "stateMismatch", query: func(string) string { return "?code=good-code&state=forged" }, want: MsgErrState},
		{name: "noState", query: func(string) string { return "?code=good-code" }, want: MsgErrState},
		{name: "accessDenied", query: func(s string) string { return "?error=access_denied&state=" + url.QueryEscape(s) }, want: MsgErrSignOn},
		{name: "badCode", query: func(s string) string { return "?code=stolen&state=" + url.QueryEscape(s) }, want: MsgErrSignOn},
		{name: "nonceMismatch", query: func(s string) string { return "?code=good-code&state=" + url.QueryEscape(s) }, nonce: "other", want: MsgErrState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAccountFixture(t, "openid p1:read:user")
			ctx := context.Background()
			q := f.authorizeParams(t, f.acct.begin(ctx, pageURL(t, redirectURI)))
			if tt.nonce != "" {
				f.srv.nonce = tt.nonce
			}
			r := f.acct.begin(ctx, pageURL(t, redirectURI+tt.query(q.Get("state"))))
			if r.err != tt.want || r.sess != nil || r.redirect != "" || !r.canRetry {
				t.Fatalf("result = %+v, want error %s with a retry", r, tt.want)
			}
			if r.clean == nil || r.clean.RawQuery != "" {
				t.Errorf("answer left in the address bar: %v", r.clean)
			}
		})
	}
}

func TestLoadFollowsScopesAndKeepsOfflineCopy(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:device")
	ctx := context.Background()
	q := f.authorizeParams(t, f.acct.begin(ctx, pageURL(t, redirectURI)))
	r := f.acct.begin(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	if r.sess == nil {
		t.Fatalf("not signed on: %+v", r)
	}
	d := f.acct.load(ctx, *r.sess)
	if d.err != "" || d.offline || d.user != nil || len(d.devices) != 1 {
		t.Fatalf("load = %+v", d)
	}
	if len(f.srv.reads) != 1 || !strings.HasSuffix(f.srv.reads[0], "/devices") {
		t.Errorf("reads = %v: the user was read without p1:read:user", f.srv.reads)
	}
	snap := f.local.raw(f.acct.snapshotKey(userID))
	if !strings.Contains(snap, "jane@example.com") {
		t.Errorf("offline copy = %s", snap)
	}
	// Tokens live in wasm memory only.
	for _, st := range []*memStorage{f.session, f.local} {
		for _, k := range st.keys() {
			v := st.raw(k)
			if strings.Contains(v, r.sess.accessToken) || strings.Contains(v, r.sess.idToken) || strings.Contains(v, "eyJ") {
				t.Errorf("token stored under %s: %s", k, v)
			}
		}
	}

	// The network goes away: the copy is shown, marked offline.
	f.http.Close()
	d = f.acct.load(ctx, *r.sess)
	if !d.offline || len(d.devices) != 1 || d.devices[0].ID != "d1" {
		t.Fatalf("offline load = %+v", d)
	}
}

func TestLoadExpiredToken(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:user")
	d := f.acct.load(context.Background(), session{sub: userID, accessToken: "expired", scopes: oauth.MyAccountScopes()})
	if d.err != MsgErrSession || !d.canRetry || d.offline {
		t.Fatalf("load with a dead token = %+v", d)
	}
	if f.local.Len() != 0 {
		t.Errorf("failed load saved a copy: %v", f.local.keys())
	}
}

// counter is a deterministic random source: 0, 1, 2, …
type counter struct{ n byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
		c.n++
	}
	return len(p), nil
}

func TestOfflineBeforeSignOn(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:user p1:read:device")
	ctx := context.Background()
	f.browser.offline = true
	r := f.acct.begin(ctx, pageURL(t, redirectURI))
	if !r.offline || r.redirect != "" {
		t.Fatalf("offline begin = %+v", r)
	}
	if _, ok := f.acct.lastSnapshot(); ok {
		t.Fatal("a snapshot before anyone signed on")
	}

	// Sign on once online, then go offline: the last user's copy shows.
	f.browser.offline = false
	q := f.authorizeParams(t, f.acct.begin(ctx, pageURL(t, redirectURI)))
	s := f.acct.begin(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state")))).sess
	f.acct.load(ctx, *s)
	f.http.Close()
	r = f.acct.begin(ctx, pageURL(t, redirectURI))
	if !r.offline {
		t.Fatalf("server gone: %+v", r)
	}
	snap, ok := f.acct.lastSnapshot()
	if !ok || snap.User == nil || snap.User.Username != "jane" || len(snap.Devices) != 1 {
		t.Fatalf("last snapshot = %+v, %v", snap, ok)
	}
}

func TestSignoffForgetsTheUser(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:user")
	ctx := context.Background()
	q := f.authorizeParams(t, f.acct.begin(ctx, pageURL(t, redirectURI)))
	s := f.acct.begin(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state")))).sess
	f.acct.load(ctx, *s)
	if _, ok := f.acct.lastSnapshot(); !ok {
		t.Fatal("no snapshot to forget")
	}
	to := pageURL(t, f.acct.signoff(*s))
	if to.Path != "/"+testEnv+"/as/signoff" || to.Query().Get("id_token_hint") != s.idToken ||
		to.Query().Get("post_logout_redirect_uri") != redirectURI {
		t.Errorf("signoff URL = %s", to)
	}
	if _, ok := f.acct.lastSnapshot(); ok || f.local.Len() != 0 {
		t.Errorf("local storage after sign-off: %v", f.local.keys())
	}
}
