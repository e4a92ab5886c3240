package server

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/token"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// signedOn returns a server, a signed-on browser, the user and its tokens.
func signedOn(t *testing.T) (*env, *browser, resource.User, resource.TokenResponse) {
	t.Helper()
	e := newSQLiteEnv(t)
	u := e.createUser("erin", "erin@example.com", userPassword)
	b := e.browser()
	return e, b, u, b.signOn(newPKCE(), "erin", userPassword, "erin@example.com")
}

// codeFor runs prompt=none on a signed-on browser and returns a fresh code.
func (b *browser) codeFor(p pkce) string {
	b.e.t.Helper()
	resp := b.do("GET", b.e.authorizeURL(p, url.Values{"prompt": {"none"}}), "", nil)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code := loc.Query().Get("code")
	if code == "" {
		b.e.t.Fatalf("no code: %s", loc)
	}
	return code
}

func oauthError(t *testing.T, resp *http.Response, status int, code string) {
	t.Helper()
	oe := decode[resource.OAuthError](t, respWant(t, resp, status))
	if oe.Error != code {
		t.Fatalf("error %q, want %q", oe.Error, code)
	}
}

func TestAuthorizationCodeUnhappyPaths(t *testing.T) {
	e, b, u, _ := signedOn(t)
	envID := e.srv.Bootstrap.DefaultEnvID

	t.Run("pkce_verifier_mismatch", func(t *testing.T) {
		p := newPKCE()
		code := b.codeFor(p)
		oauthError(t, e.exchange(code, newPKCE().verifier, e.myAccountRedirect()), 400, "invalid_grant")
	})
	t.Run("redirect_uri_mismatch_at_authorize_is_not_redirected", func(t *testing.T) {
		resp := b.do("GET", e.authorizeURL(newPKCE(), url.Values{"redirect_uri": {"https://evil.example/cb"}}), "", nil)
		if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
			t.Fatalf("status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("redirect_uri_mismatch_at_token", func(t *testing.T) {
		p := newPKCE()
		oauthError(t, e.exchange(b.codeFor(p), p.verifier, e.myAccountRedirect()+"x"), 400, "invalid_grant")
	})
	t.Run("plain_pkce_refused", func(t *testing.T) {
		p := newPKCE()
		resp := b.do("GET", e.authorizeURL(p, url.Values{"code_challenge_method": {"plain"}}), "", nil)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if loc.Query().Get("error") != "invalid_request" {
			t.Fatalf("plain PKCE: %s", loc)
		}
	})
	t.Run("reused_code_revokes_session", func(t *testing.T) {
		b2 := e.browser()
		tr := b2.signOn(newPKCE(), "erin", userPassword, "erin@example.com")
		p := newPKCE()
		code := b2.codeFor(p)
		respWant(t, e.exchange(code, p.verifier, e.myAccountRedirect()), 200)
		oauthError(t, e.exchange(code, p.verifier, e.myAccountRedirect()), 400, "invalid_grant")
		wantStatus(t, e.api("GET", paths.Build(paths.User, envID, u.ID), tr.AccessToken, ""), 401)
	})
	t.Run("refresh_rotation_and_reuse", func(t *testing.T) {
		b3 := e.browser()
		tr := b3.signOn(newPKCE(), "erin", userPassword, "erin@example.com")
		refresh := func(rt string) *http.Response {
			return e.form(paths.Build(paths.Token, envID), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
				"client_id": {bootstrap.MyAccountClientID(envID)}})
		}
		tr2 := decode[resource.TokenResponse](t, respWant(t, refresh(tr.RefreshToken), 200))
		if tr2.RefreshToken == tr.RefreshToken {
			t.Fatal("refresh token not rotated")
		}
		oauthError(t, refresh(tr.RefreshToken), 400, "invalid_grant")  // reuse
		oauthError(t, refresh(tr2.RefreshToken), 400, "invalid_grant") // the session is gone
		wantStatus(t, e.api("GET", paths.Build(paths.User, envID, u.ID), tr2.AccessToken, ""), 401)
	})
}

func TestTokenChecks(t *testing.T) {
	e, _, u, tr := signedOn(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	userURL := paths.Build(paths.User, envID, u.ID)
	respWant(t, e.api("GET", userURL, tr.AccessToken, ""), 200)

	t.Run("alg_none", func(t *testing.T) {
		parts := strings.Split(tr.AccessToken, ".")
		hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
		wantStatus(t, e.api("GET", userURL, hdr+"."+parts[1]+".", ""), 401)
	})
	t.Run("other_environment_key", func(t *testing.T) {
		// The Administrators environment's key signs a token whose issuer is
		// the Default environment's.
		forged := e.signAs(t, e.srv.Bootstrap.AdminEnvID, tr.AccessToken)
		wantStatus(t, e.api("GET", userURL, forged, ""), 401)
	})
	t.Run("tampered_payload", func(t *testing.T) {
		parts := strings.Split(tr.AccessToken, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		payload = []byte(strings.Replace(string(payload), u.ID, "00000000-0000-0000-0000-000000000001", 1))
		wantStatus(t, e.api("GET", userURL, parts[0]+"."+base64.RawURLEncoding.EncodeToString(payload)+"."+parts[2], ""), 401)
	})
	t.Run("other_user_404", func(t *testing.T) {
		other := e.createUser("frank", "frank@example.com", userPassword)
		wantStatus(t, e.api("GET", paths.Build(paths.User, envID, other.ID), tr.AccessToken, ""), 404)
		wantStatus(t, e.api("GET", paths.Build(paths.Devices, envID, other.ID), tr.AccessToken, ""), 404)
	})
	t.Run("other_environment_404", func(t *testing.T) {
		wantStatus(t, e.api("GET", paths.Build(paths.User, e.srv.Bootstrap.AdminEnvID, u.ID), tr.AccessToken, ""), 404)
	})
	t.Run("user_token_on_admin_endpoints_403", func(t *testing.T) {
		wantStatus(t, e.api("GET", paths.Build(paths.Users, envID), tr.AccessToken, ""), 403)
		wantStatus(t, e.api("GET", paths.Build(paths.Applications, envID), tr.AccessToken, ""), 403)
		wantStatus(t, e.api("POST", paths.Build(paths.Users, envID), tr.AccessToken, `{"username":"x","email":"x@example.com"}`), 403)
	})
	t.Run("no_token_401", func(t *testing.T) {
		wantStatus(t, e.api("GET", userURL, "", ""), 401)
	})
	t.Run("signed_off_session_next_request_401", func(t *testing.T) {
		b2 := e.browser()
		tr2 := b2.signOn(newPKCE(), "erin", userPassword, "erin@example.com")
		respWant(t, e.api("GET", userURL, tr2.AccessToken, ""), 200)
		q := url.Values{"id_token_hint": {tr2.IDToken}, "post_logout_redirect_uri": {e.myAccountRedirect()}}
		resp := b2.do("GET", paths.Build(paths.Signoff, envID)+"?"+q.Encode(), "", nil)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != e.myAccountRedirect() {
			t.Fatalf("signoff: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		wantStatus(t, e.api("GET", userURL, tr2.AccessToken, ""), 401)
		// The other browser's session is untouched.
		respWant(t, e.api("GET", userURL, tr.AccessToken, ""), 200)
		// And the signed-off browser has no SSO any more.
		resp = b2.do("GET", e.authorizeURL(newPKCE(), url.Values{"prompt": {"none"}}), "", nil)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if loc.Query().Get("error") != "login_required" {
			t.Fatalf("after signoff prompt=none: %s", loc)
		}
	})
	t.Run("expired_token_401", func(t *testing.T) {
		e.clock.Add(11 * time.Minute)
		wantStatus(t, e.api("GET", userURL, tr.AccessToken, ""), 401)
	})
}

// signAs signs the claims of tok with another environment's key, keeping
// its issuer and subject: what a holder of that environment's key could forge.
func (e *env) signAs(t *testing.T, envID string, tok string) string {
	t.Helper()
	var cl token.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &cl); err != nil {
		t.Fatal(err)
	}
	cl.Env = envID
	forged, err := e.srv.keys.Sign(context.Background(), envID, &cl)
	if err != nil {
		t.Fatal(err)
	}
	return forged
}

// TestClientAuthCountsApartFromPasswords: wrong passwords from an address
// use up its password allowance, not its client-authentication one.
func TestClientAuthCountsApartFromPasswords(t *testing.T) {
	e := newSQLiteEnv(t)
	b := e.browser()
	id := b.startFlow(newPKCE())
	var last int
	for i := 0; i < 50; i++ {
		last = b.action(id, "usernamePassword.check",
			resource.UsernamePassword{Username: fmt.Sprintf("nobody%d", i), Password: "wrong password!"}).StatusCode
	}
	if last != 429 {
		t.Fatalf("the 50th wrong password from one address: %d, want 429", last)
	}
	// The environment's MyAccount client still authenticates from that
	// address: a bad refresh token is invalid_grant, not a 429.
	envID := e.srv.Bootstrap.DefaultEnvID
	oauthError(t, e.form(paths.Build(paths.Token, envID), url.Values{"grant_type": {"refresh_token"},
		"refresh_token": {"not-a-token"}, "client_id": {bootstrap.MyAccountClientID(envID)}}), 400, "invalid_grant")
}
