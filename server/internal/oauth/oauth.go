// Package oauth is each environment's OAuth 2 / OpenID Connect provider:
// authorize (code + PKCE S256 only, exact redirect URIs), resume (after the
// hosted sign-on flow), token (authorization_code, refresh_token with
// rotation and reuse detection, client_credentials), jwks, userinfo, revoke,
// signoff and discovery. Errors are RFC 6749 bodies so standard clients
// understand them. Sessions are server-side; the SSO cookie names one.
package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/keys"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
)

// Lifetimes.
const (
	AccessTokenTTL  = 10 * time.Minute
	AuthCodeTTL     = time.Minute
	FlowTTL         = 30 * time.Minute
	SessionTTL      = 12 * time.Hour
	RefreshTokenTTL = SessionTTL
)

// SSOCookie names the environment's SSO session cookie. Its value is the
// session id and a MAC of it: the id alone (it is the "sid" of every token)
// cannot be turned into a cookie without the server's key.
const SSOCookie = "myaccount_sso"

// Deps is what the provider needs.
type Deps struct {
	Store     store.Store
	Keys      *keys.Manager
	Auth      *authn.Authenticator
	Engine    *signon.Engine
	Cookies   signon.Cookies
	CookieKey []byte // MAC key of the SSO cookie
	Limiter   *ratelimit.Limiter
	Audit     *audit.Recorder
	// Sender tells the account's address of an unfamiliar sign-on; nil
	// sends nothing.
	Sender notify.Sender
	// Templates words that notice in the user's language with the
	// environment's own texts; nil means the built-in English text.
	Templates *notify.Templates
	// Geo places sign-ons for the unfamiliar sign-on check; nil compares
	// networks only.
	Geo       geoip.Locator
	PublicURL string
	Now       func() time.Time
	Rand      io.Reader
	Logger    *slog.Logger

	// SecureLinks makes the one-time "this wasn't me" link of the
	// unfamiliar sign-on notice; nil links to MyAccount's #secure.
	SecureLinks *securelink.Issuer
}

// Provider serves the /{envId}/as/ endpoints.
type Provider struct{ d Deps }

// New returns a Provider.
func New(d Deps) *Provider { return &Provider{d: d} }

// Issuer is the issuer of an environment's tokens.
func (p *Provider) Issuer(envID string) string {
	return p.d.PublicURL + "/" + envID + "/as"
}

func (p *Provider) env(ctx context.Context, envID string) (*store.Environment, error) {
	env, err := p.d.Store.GetEnvironment(ctx, envID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && env.Deleted) {
		return nil, httpx.OAuth(http.StatusNotFound, "invalid_request", "unknown environment")
	}
	if err != nil {
		return nil, fmt.Errorf("load environment: %w", err)
	}
	return env, nil
}

// ssoSession returns the live session the SSO cookie names, or nil.
func (p *Provider) ssoSession(c *fiber.Ctx, envID string) *store.Session {
	v := c.Cookies(SSOCookie)
	sid, mac, ok := strings.Cut(v, ".")
	if !ok || !opaque.Equal(mac, opaque.MAC(p.d.CookieKey, envID+"|"+sid)) {
		return nil
	}
	s, err := p.d.Store.GetSession(c.UserContext(), envID, sid)
	if err != nil || !Live(s, p.d.Now()) {
		return nil
	}
	return s
}

func (p *Provider) setSSO(c *fiber.Ctx, envID, sid string) {
	p.d.Cookies.Set(c, envID, SSOCookie, sid+"."+opaque.MAC(p.d.CookieKey, envID+"|"+sid), 0)
}

// Live reports whether a session may still be used at now.
func Live(s *store.Session, now time.Time) bool {
	return s != nil && s.RevokedAt.IsZero() && now.Before(s.ExpiresAt)
}

// RevokeSession ends a session at once (every instance checks the record on
// every request), retrying the version guard when another write races.
func RevokeSession(ctx context.Context, st store.Sessions, envID, sid string, now time.Time) error {
	for i := 0; i < 5; i++ {
		s, err := st.GetSession(ctx, envID, sid)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		if !s.RevokedAt.IsZero() {
			return nil
		}
		s.RevokedAt = now
		err = st.UpdateSession(ctx, s)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("revoke session %s: too many conflicts", sid)
}

// Discovery answers /.well-known/openid-configuration.
func (p *Provider) Discovery() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := c.Params("envId")
		if _, err := p.env(c.UserContext(), envID); err != nil {
			return err
		}
		iss := p.Issuer(envID)
		return c.JSON(fiber.Map{
			"issuer":                                iss,
			"authorization_endpoint":                iss + "/authorize",
			"token_endpoint":                        iss + "/token",
			"jwks_uri":                              iss + "/jwks",
			"userinfo_endpoint":                     iss + "/userinfo",
			"revocation_endpoint":                   iss + "/revoke",
			"end_session_endpoint":                  iss + "/signoff",
			"response_types_supported":              []string{"code"},
			"response_modes_supported":              []string{"query"},
			"grant_types_supported":                 []string{"authorization_code", "refresh_token", "client_credentials"},
			"code_challenge_methods_supported":      []string{"S256"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"ES256"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
			"scopes_supported":                      []string{"openid", "profile", "email"},
			"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "email", "name", "preferred_username"},
			"acr_values_supported":                  []string{signon.ACRMultiFactor},
			"prompt_values_supported":               []string{"none", "login"},
		})
	}
}

// JWKS answers /as/jwks.
func (p *Provider) JWKS() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := c.Params("envId")
		if _, err := p.env(c.UserContext(), envID); err != nil {
			return err
		}
		set, err := p.d.Keys.JWKS(c.UserContext(), envID)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.JSON(set)
	}
}

func (p *Provider) flowURL(envID, flowID string) string {
	return paths.Build(paths.SignOn, envID) + "?flowId=" + flowID
}
