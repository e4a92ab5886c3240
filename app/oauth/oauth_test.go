//go:build !js

package oauth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/shared/scope"
)

func TestChallengeRFC7636Vector(t *testing.T) {
	// RFC 7636 Appendix B. (The value "E9Melhoa2OwvFSZqZ7zHEoBwqP9IlBSbwHU86YjxgDA"
	// sometimes quoted for it is not the SHA-256 of this verifier.)
	got := Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	if want := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Fatalf("Challenge = %q, want %q", got, want)
	}
}

func TestNewPending(t *testing.T) {
	seq := make([]byte, 96) // exactly three draws of 32 bytes
	for i := range seq {
		seq[i] = byte(i)
	}
	r := bytes.NewReader(seq)
	p, err := NewPending(r, true, "mfa")
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"state": p.State, "nonce": p.Nonce, "verifier": p.Verifier} {
		// 32 bytes, base64url without padding: 43 characters, RFC 7636's minimum.
		if len(v) != 43 || strings.ContainsAny(v, "+/=") {
			t.Errorf("%s = %q: want 43 base64url characters", name, v)
		}
	}
	if p.State == p.Nonce || p.Nonce == p.Verifier {
		t.Error("state, nonce and verifier must be drawn separately")
	}
	if !p.Silent || p.Fragment != "mfa" {
		t.Errorf("pending = %+v", p)
	}
	if _, err := NewPending(bytes.NewReader(make([]byte, 10)), false, ""); err == nil {
		t.Error("NewPending with too little randomness: want an error")
	}
}

func TestAuthorizeURL(t *testing.T) {
	p := Pending{State: "st", Nonce: "no", Verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}
	tests := []struct {
		name   string
		silent bool
		acr    string
		prompt string
	}{
		{name: "interactive"},
		{name: "silent", silent: true, prompt: "none"},
		{name: "stepup", acr: "Multi_Factor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := p
			p.Silent = tt.silent
			raw := AuthorizeURL(AuthorizeRequest{
				EnvironmentID: "e1", ClientID: "c1", RedirectURI: "https://id.example/e1/myaccount/",
				Scope: MyAccountScopes(), Pending: p, ACRValues: tt.acr,
			})
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if u.Path != "/e1/as/authorize" || u.Host != "" {
				t.Errorf("path = %q host = %q", u.Path, u.Host)
			}
			q := u.Query()
			want := map[string]string{
				"response_type":         "code",
				"client_id":             "c1",
				"redirect_uri":          "https://id.example/e1/myaccount/",
				"scope":                 "openid profile email p1:read:user p1:update:user p1:read:device p1:create:device p1:update:device p1:delete:device p1:read:userPassword p1:validate:userPassword p1:reset:userPassword p1:read:sessions p1:delete:sessions p1:read:userLinkedAccounts p1:delete:userLinkedAccounts p1:read:userConsent p1:read:oauthConsent p1:update:oauthConsent",
				"state":                 "st",
				"nonce":                 "no",
				"code_challenge":        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
				"code_challenge_method": "S256",
				"prompt":                tt.prompt,
				"acr_values":            tt.acr,
			}
			for k, v := range want {
				if got := q.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if q.Has("code_verifier") {
				t.Error("the verifier must never leave the browser before the token request")
			}
		})
	}
}

func TestRedirectAndSignoffURLs(t *testing.T) {
	if got := RedirectURI("https://id.example/", "e1"); got != "https://id.example/e1/myaccount/" {
		t.Errorf("RedirectURI = %q", got)
	}
	u, err := url.Parse(SignoffURL("e1", "id.tok.en", "https://id.example/e1/myaccount/"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/e1/as/signoff" || u.Query().Get("id_token_hint") != "id.tok.en" ||
		u.Query().Get("post_logout_redirect_uri") != "https://id.example/e1/myaccount/" {
		t.Errorf("SignoffURL = %s", u)
	}
}

func TestSilentFailure(t *testing.T) {
	for _, c := range []string{"login_required", "interaction_required", "consent_required", "account_selection_required"} {
		if !SilentFailure(c) {
			t.Errorf("SilentFailure(%q) = false", c)
		}
	}
	for _, c := range []string{"access_denied", "invalid_request", ""} {
		if SilentFailure(c) {
			t.Errorf("SilentFailure(%q) = true", c)
		}
	}
}

func TestParseClaims(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u1","nonce":"n","scope":"openid p1:read:user","sid":"s"}`))
	tests := []struct {
		name    string
		jwt     string
		want    Claims
		wantErr bool
	}{
		{name: "ok", jwt: "h." + payload + ".sig", want: Claims{Subject: "u1", Nonce: "n", Scope: "openid p1:read:user", SID: "s"}},
		{name: "twoParts", jwt: "h." + payload, wantErr: true},
		{name: "badBase64", jwt: "h.!!!.sig", wantErr: true},
		{name: "notJSON", jwt: "h." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".sig", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClaims(tt.jwt)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformedToken) {
					t.Fatalf("err = %v, want ErrMalformedToken", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseClaims = %+v, %v; want %+v", got, err, tt.want)
			}
			if !scope.Parse(got.Scope).Has(scope.ReadUser) {
				t.Error("scope claim not readable as a scope set")
			}
		})
	}
}
