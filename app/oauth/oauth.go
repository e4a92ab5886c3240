// Package oauth is the PWA's side of OAuth 2 and OpenID Connect as a public
// client: PKCE (S256 only), the state/nonce/verifier kept across the
// redirect, the authorize and sign-off URLs, and reading the claims of the
// tokens the token endpoint just handed over. It does no I/O.
package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/scope"
)

// MyAccountScopes is what the MyAccount PWA asks for. The server may grant
// fewer (reduced scopes before MFA); the UI follows what was granted.
func MyAccountScopes() scope.Set {
	return scope.Set{scope.OpenID, scope.Profile, scope.Email, scope.ReadUser, scope.UpdateUser, scope.ReadDevice,
		scope.CreateDevice, scope.UpdateDevice, scope.DeleteDevice,
		scope.ReadUserPassword, scope.ValidateUserPassword, scope.ResetUserPassword,
		scope.ReadSessions, scope.DeleteSessions, scope.ReadLinkedAccounts, scope.DeleteLinkedAccounts, scope.ReadUserConsent,
		scope.ReadOAuthConsent, scope.UpdateOAuthConsent}
}

// Pending is what survives the redirect to /as/authorize, in sessionStorage:
// never the tokens, only what checks the answer.
type Pending struct {
	State    string `json:"state"`
	Verifier string `json:"verifier"`
	Nonce    string `json:"nonce"`
	// Silent marks a prompt=none attempt.
	Silent bool `json:"silent"`
	// Fragment is the tab to reopen after the round trip (#mfa).
	Fragment string `json:"fragment,omitempty"`
}

// NewPending draws a fresh state, nonce and PKCE verifier from r (the
// browser's crypto.getRandomValues behind crypto/rand in app.wasm).
func NewPending(r io.Reader, silent bool, fragment string) (Pending, error) {
	var vals [3]string
	for i := range vals {
		b := make([]byte, 32)
		if _, err := io.ReadFull(r, b); err != nil {
			return Pending{}, fmt.Errorf("draw random: %w", err)
		}
		vals[i] = base64.RawURLEncoding.EncodeToString(b)
	}
	return Pending{State: vals[0], Nonce: vals[1], Verifier: vals[2], Silent: silent, Fragment: fragment}, nil
}

// Challenge is the S256 code challenge of a verifier (RFC 7636 §4.2).
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// RedirectURI is MyAccount's exact redirect URI in an environment.
func RedirectURI(publicURL, envID string) string {
	return strings.TrimRight(publicURL, "/") + paths.Build(paths.MyAccount, envID)
}

// PortalRedirectURI is the application portal's exact redirect URI in an
// environment: the portal signs on as the MyAccount client.
func PortalRedirectURI(publicURL, envID string) string {
	return strings.TrimRight(publicURL, "/") + paths.Build(paths.MyApps, envID)
}

// PortalScopes is what the application portal asks for: who the user is
// and the list of their applications, nothing that changes anything.
func PortalScopes() scope.Set {
	return scope.Set{scope.OpenID, scope.Profile, scope.Email, scope.ReadUser}
}

// AuthorizeRequest is one trip to /as/authorize.
type AuthorizeRequest struct {
	EnvironmentID string
	ClientID      string
	RedirectURI   string
	Scope         scope.Set
	Pending       Pending
	// ACRValues asks for a sign-on policy (step-up: "Multi_Factor").
	ACRValues string
}

// AuthorizeURL is the path and query of the authorization request
// (same-origin, so relative). Pending.Silent adds prompt=none.
func AuthorizeURL(r AuthorizeRequest) string {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {r.ClientID},
		"redirect_uri":          {r.RedirectURI},
		"scope":                 {r.Scope.String()},
		"state":                 {r.Pending.State},
		"nonce":                 {r.Pending.Nonce},
		"code_challenge":        {Challenge(r.Pending.Verifier)},
		"code_challenge_method": {"S256"},
	}
	if r.Pending.Silent {
		q.Set("prompt", "none")
	}
	if r.ACRValues != "" {
		q.Set("acr_values", r.ACRValues)
	}
	return paths.Build(paths.Authorize, r.EnvironmentID) + "?" + q.Encode()
}

// SignoffURL ends the SSO session and comes back to MyAccount.
func SignoffURL(envID, idToken, postLogoutRedirectURI string) string {
	q := url.Values{"post_logout_redirect_uri": {postLogoutRedirectURI}}
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	return paths.Build(paths.Signoff, envID) + "?" + q.Encode()
}

// SilentFailure reports whether an authorize error answer means "the SSO
// session cannot answer without the user" (OIDC Core §3.1.2.6), so an
// interactive authorize should follow.
func SilentFailure(code string) bool {
	switch code {
	case "login_required", "interaction_required", "consent_required", "account_selection_required":
		return true
	}
	return false
}

// Claims are the few claims the PWA reads from its tokens. They come
// straight from the token endpoint over TLS (OIDC Core §3.1.3.7: the
// signature check may be skipped then); the server verifies every use.
type Claims struct {
	Subject string `json:"sub"`
	Nonce   string `json:"nonce"`
	Scope   string `json:"scope"`
	SID     string `json:"sid"`
	Env     string `json:"env"`
}

// ErrMalformedToken is returned for anything that is not a three-part JWT
// with a JSON payload.
var ErrMalformedToken = errors.New("malformed token")

// ParseClaims reads a JWT's payload without checking its signature.
func ParseClaims(jwt string) (Claims, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return Claims{}, ErrMalformedToken
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	var c Claims
	if err := json.Unmarshal(b, &c); err != nil {
		return Claims{}, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	return c, nil
}
