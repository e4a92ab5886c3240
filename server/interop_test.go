package server

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// listening starts a server on a loopback port whose PUBLIC_URL is that
// address, so the issuer a discovery client finds is the one it talks to.
func listening(t *testing.T) (*env, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	e := newEnvWith(t, openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite")), base, nil, nil)
	serveOn(t, e, ln)
	return e, base
}

// serveOn serves e's app on ln until the test ends.
func serveOn(t *testing.T, e *env, ln net.Listener) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- e.srv.App.Listener(ln) }()
	t.Cleanup(func() {
		if err := e.srv.App.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		// Shutdown closes only a listener Serve has already taken: a test
		// that ended before the goroutine got there would wait forever.
		ln.Close()
		if err := <-done; err != nil {
			t.Errorf("listener: %v", err)
		}
	})
}

// noRedirects is a browser over the network: it keeps cookies but stops at
// every redirect so the test reads each Location.
func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// redirect GETs u and returns the absolute Location of its 302.
func redirect(t *testing.T, c *http.Client, u string) *url.URL {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, resp, http.StatusFound)
	loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// flowAction posts one hosted sign-on action over the network.
func flowAction(t *testing.T, c *http.Client, flowURL, action string, body any) resource.Flow {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, flowURL, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/vnd.pingidentity."+action+"+json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode[resource.Flow](t, respWant(t, resp, http.StatusOK))
}

// TestStandardClients drives the server with golang.org/x/oauth2 and
// github.com/coreos/go-oidc/v3, unmodified, over real HTTP: discovery, the
// authorization code flow with PKCE through the hosted sign-on (password,
// email enrollment, passcode), ID token verification (ES256), userinfo,
// refresh with rotation, and client credentials for the bootstrap worker.
func TestStandardClients(t *testing.T) {
	e, base := listening(t)
	ctx := t.Context()
	envID, adminEnvID := e.srv.Bootstrap.DefaultEnvID, e.srv.Bootstrap.AdminEnvID
	user := e.createUser("olivia", "olivia@example.com", userPassword)

	issuer := base + "/" + envID + "/as"
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	clientID := bootstrap.MyAccountClientID(envID)
	conf := oauth2.Config{
		ClientID: clientID, Endpoint: provider.Endpoint(), RedirectURL: bootstrap.MyAccountRedirect(base, envID),
		Scopes: []string{oidc.ScopeOpenID, "profile", "email", "p1:read:user"},
	}
	if conf.Endpoint.TokenURL != issuer+"/token" || conf.Endpoint.AuthURL != issuer+"/authorize" {
		t.Fatalf("discovered endpoints: %+v", conf.Endpoint)
	}

	// The authorization request, then the hosted sign-on, step by step.
	verifier, state, nonce := oauth2.GenerateVerifier(), "state-"+oauth2.GenerateVerifier()[:8], "nonce-"+oauth2.GenerateVerifier()[:8]
	browser := noRedirects()
	signOn := redirect(t, browser, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)))
	flowID := signOn.Query().Get("flowId")
	if signOn.Path != "/"+envID+"/signon/" || flowID == "" {
		t.Fatalf("authorize sent the browser to %s", signOn)
	}
	flowURL := base + paths.Build(paths.Flow, envID, flowID)
	f := flowAction(t, browser, flowURL, "usernamePassword.check", resource.UsernamePassword{Username: "olivia", Password: userPassword})
	if f.Status != resource.FlowMFAEnrollmentRequired {
		t.Fatalf("after password: %s", f.Status)
	}
	f = flowAction(t, browser, flowURL, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: "olivia.mfa@example.com"})
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("after device.register: %s", f.Status)
	}
	f = flowAction(t, browser, flowURL, "otp.check", resource.OTPCheck{OTP: e.mail.lastOTP(t, "olivia.mfa@example.com")})
	if f.Status != resource.FlowCompleted || !strings.HasPrefix(f.ResumeURL, base+"/") {
		t.Fatalf("after otp.check: %+v", f)
	}
	back := redirect(t, browser, f.ResumeURL)
	if back.String() != conf.RedirectURL+"?"+back.RawQuery || back.Query().Get("state") != state || back.Query().Get("code") == "" {
		t.Fatalf("resume sent the browser to %s", back)
	}

	tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if tok.TokenType != "Bearer" || tok.RefreshToken == "" || !tok.Valid() {
		t.Fatalf("token: %+v", tok)
	}

	// The ID token, verified as any relying party would, on the server's clock.
	rawID, _ := tok.Extra("id_token").(string)
	if hdr := jwtHeader(t, rawID); hdr["alg"] != "ES256" || hdr["kid"] == "" {
		t.Fatalf("id token header: %v", hdr)
	}
	idt, err := provider.Verifier(&oidc.Config{ClientID: clientID, Now: e.clock.Now}).Verify(ctx, rawID)
	if err != nil {
		t.Fatalf("verify id token: %v", err)
	}
	var claims struct {
		AMR   []string `json:"amr"`
		ACR   string   `json:"acr"`
		Email string   `json:"email"`
	}
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if idt.Nonce != nonce || idt.Subject != user.ID || idt.Issuer != issuer || !slices.Equal(idt.Audience, []string{clientID}) {
		t.Fatalf("id token: nonce %q sub %q iss %q aud %v", idt.Nonce, idt.Subject, idt.Issuer, idt.Audience)
	}
	if !slices.Contains(claims.AMR, "pwd") || !slices.Contains(claims.AMR, "otp") || !slices.Contains(claims.AMR, "mfa") ||
		claims.ACR != "Multi_Factor" || claims.Email != "olivia@example.com" {
		t.Fatalf("id token claims: %+v", claims)
	}
	// Another client's verifier refuses it.
	if _, err := provider.Verifier(&oidc.Config{ClientID: testClientID, Now: e.clock.Now}).Verify(ctx, rawID); err == nil {
		t.Fatal("an ID token for MyAccount verified for another client")
	}

	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	if info.Subject != user.ID || info.Email != "olivia@example.com" {
		t.Fatalf("userinfo: %+v", info)
	}

	// Past the access token's lifetime on the server's clock, the old token
	// is refused. oauth2 computes expiry on the real clock, so the token
	// handed to the TokenSource is marked expired to make it refresh.
	e.clock.Add(11 * time.Minute)
	if _, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil {
		t.Fatal("userinfo accepted an expired access token")
	}
	stale := &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType, RefreshToken: tok.RefreshToken,
		Expiry: time.Now().Add(-time.Minute)}
	src := conf.TokenSource(ctx, stale)
	fresh, err := src.Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == "" || fresh.RefreshToken == tok.RefreshToken {
		t.Fatal("refresh did not issue a new access token and a rotated refresh token")
	}
	if info, err := provider.UserInfo(ctx, src); err != nil || info.Subject != user.ID {
		t.Fatalf("userinfo with the refreshed token: %v %+v", err, info)
	}
	// The used refresh token, presented again, is refused with an RFC 6749 error.
	_, err = conf.TokenSource(ctx, stale).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("reused refresh token: %v", err)
	}

	// Client credentials for the bootstrap worker, both ways of sending them.
	admin, err := oidc.NewProvider(ctx, base+"/"+adminEnvID+"/as")
	if err != nil {
		t.Fatalf("discovery (Administrators): %v", err)
	}
	for _, style := range []struct {
		name  string
		style oauth2.AuthStyle
	}{{"basic", oauth2.AuthStyleInHeader}, {"form", oauth2.AuthStyleInParams}} {
		t.Run(style.name, func(t *testing.T) {
			cc := clientcredentials.Config{ClientID: testClientID, ClientSecret: testClientSecret,
				TokenURL: admin.Endpoint().TokenURL, AuthStyle: style.style}
			resp, err := cc.Client(ctx).Get(base + paths.Environments)
			if err != nil {
				t.Fatal(err)
			}
			l := decode[resource.List[resource.Environment]](t, respWant(t, resp, http.StatusOK))
			var got []string
			for _, env := range l.Embedded["environments"] {
				got = append(got, env.ID)
			}
			if !slices.Contains(got, envID) || !slices.Contains(got, adminEnvID) {
				t.Fatalf("environments %v, want %s and %s", got, envID, adminEnvID)
			}

			cc.ClientSecret = "not-the-secret-not-the-secret-not-the-secret"
			_, err = cc.Token(ctx)
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) || re.ErrorCode != "invalid_client" || re.Response.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong secret: %v", err)
			}
		})
	}
}

// jwtHeader decodes a compact JWT's header.
func jwtHeader(t *testing.T, raw string) map[string]any {
	t.Helper()
	h, _, _ := strings.Cut(raw, ".")
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		t.Fatalf("jwt header: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("jwt header: %v", err)
	}
	return m
}
