package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/grant"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/session"
	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/token"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// clientRule limits failed client authentications per address.
var clientRule = ratelimit.Rule{Name: "client-ip", Max: 50, Window: 15 * time.Minute}

var (
	errInvalidGrant  = httpx.OAuth(http.StatusBadRequest, "invalid_grant", "the grant is invalid, expired, revoked or was issued to another client")
	errInvalidClient = httpx.OAuth(http.StatusUnauthorized, "invalid_client", "client authentication failed")
)

// Token answers POST /{envId}/as/token.
func (p *Provider) Token() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != fiber.MIMEApplicationForm {
			return httpx.OAuth(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		}
		env, err := p.env(c.UserContext(), c.Params("envId"))
		if err != nil {
			return err
		}
		switch c.FormValue("grant_type") {
		case "authorization_code":
			return p.codeGrant(c, env)
		case "refresh_token":
			return p.refreshGrant(c, env)
		case "client_credentials":
			return p.clientCredentials(c, env)
		case "":
			return httpx.OAuth(http.StatusBadRequest, "invalid_request", "grant_type is required")
		default:
			return httpx.OAuth(http.StatusBadRequest, "unsupported_grant_type", "unsupported grant_type")
		}
	}
}

// client authenticates the calling client: HTTP Basic or form credentials
// for confidential clients, client_id alone for public ones.
func (p *Provider) client(c *fiber.Ctx, env *store.Environment) (*store.Application, error) {
	ctx := c.UserContext()
	id, secret, basic := basicAuth(c)
	if !basic {
		id, secret = c.FormValue("client_id"), c.FormValue("client_secret")
	}
	if valid.UUID(id) != nil {
		return nil, errInvalidClient
	}
	// Its own counter: client-authentication failures and wrong passwords
	// from one address must not use up each other's allowance.
	ipKey := "client-" + ratelimit.IPKey(c.IP())
	if ok, retry, err := p.d.Limiter.Check(ctx, env.ID, ipKey, clientRule); err != nil {
		return nil, fmt.Errorf("check client limit: %w", err)
	} else if !ok {
		e := httpx.OAuth(http.StatusTooManyRequests, "slow_down", "too many failed attempts")
		e.RetryAfter = ratelimit.RetryAfterSeconds(retry)
		return nil, e
	}
	app, err := p.d.Store.GetApplication(ctx, env.ID, strings.ToLower(id))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load client: %w", err)
	}
	ok := app != nil && app.Enabled
	if ok && app.SecretHash != "" {
		ok = secret != "" && opaque.Equal(opaque.Hash(secret), app.SecretHash)
	} else if ok && secret != "" {
		ok = false // a public client has no secret to present
	}
	if !ok {
		if _, _, err := p.d.Limiter.Fail(ctx, env.ID, ipKey, clientRule); err != nil {
			return nil, fmt.Errorf("count client failure: %w", err)
		}
		return nil, errInvalidClient
	}
	return app, nil
}

func basicAuth(c *fiber.Ctx) (id, secret string, ok bool) {
	h := c.Get(fiber.HeaderAuthorization)
	const pre = "Basic "
	if len(h) <= len(pre) || !strings.EqualFold(h[:len(pre)], pre) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(h[len(pre):])
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	return id, secret, ok
}

func (p *Provider) codeGrant(c *fiber.Ctx, env *store.Environment) error {
	ctx := c.UserContext()
	app, err := p.client(c, env)
	if err != nil {
		return err
	}
	now := p.d.Now()
	ac, err := p.d.Store.UseAuthCode(ctx, env.ID, opaque.Hash(c.FormValue("code")), now)
	if errors.Is(err, store.ErrConflict) && ac != nil {
		// A code used twice was stolen or replayed: end what it opened.
		if err := RevokeSession(ctx, p.d.Store, env.ID, ac.SessionID, now); err != nil {
			return err
		}
		p.d.Audit.Record(ctx, store.Event{EnvironmentID: env.ID, Action: audit.ActionTokenReuseDetected, Outcome: "FAILURE",
			ActorType: "APPLICATION", ActorID: app.ID, UserID: ac.UserID, SessionID: ac.SessionID, IP: c.IP(),
			Details: map[string]string{"grant": "authorization_code"}})
		return errInvalidGrant
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errInvalidGrant
		}
		return fmt.Errorf("use code: %w", err)
	}
	if ac.ClientID != app.ID || ac.RedirectURI != c.FormValue("redirect_uri") {
		return errInvalidGrant
	}
	verifier := c.FormValue("code_verifier")
	sum := sha256.Sum256([]byte(verifier))
	if !validVerifier(verifier) || !opaque.Equal(base64.RawURLEncoding.EncodeToString(sum[:]), ac.CodeChallenge) {
		return httpx.OAuth(http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
	}
	s, u, err := p.liveSession(c, env.ID, ac.SessionID, ac.UserID)
	if err != nil {
		return err
	}
	if app.RequireConsent && !u.OAuthConsentFor(app.ID).Allows(ac.CreatedAt) {
		return errInvalidGrant // the consent was revoked after the code was issued
	}
	return p.issue(c, env, app, u, s, scope.Parse(ac.Scope), ac.Nonce, ac.ACR, ac.AuthTime, true)
}

func (p *Provider) refreshGrant(c *fiber.Ctx, env *store.Environment) error {
	ctx := c.UserContext()
	app, err := p.client(c, env)
	if err != nil {
		return err
	}
	now := p.d.Now()
	rt, err := p.d.Store.UseRefreshToken(ctx, env.ID, opaque.Hash(c.FormValue("refresh_token")), now)
	if errors.Is(err, store.ErrConflict) && rt != nil {
		// Rotation means a used refresh token is never presented again by
		// its rightful holder: revoke the whole session.
		if err := RevokeSession(ctx, p.d.Store, env.ID, rt.SessionID, now); err != nil {
			return err
		}
		p.d.Audit.Record(ctx, store.Event{EnvironmentID: env.ID, Action: audit.ActionTokenReuseDetected, Outcome: "FAILURE",
			ActorType: "APPLICATION", ActorID: app.ID, UserID: rt.UserID, SessionID: rt.SessionID, IP: c.IP(),
			Details: map[string]string{"grant": "refresh_token"}})
		return errInvalidGrant
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errInvalidGrant
		}
		return fmt.Errorf("use refresh token: %w", err)
	}
	if rt.ClientID != app.ID {
		return errInvalidGrant
	}
	s, u, err := p.liveSession(c, env.ID, rt.SessionID, rt.UserID)
	if err != nil {
		return err
	}
	if app.RequireConsent && !u.OAuthConsentFor(app.ID).Allows(rt.CreatedAt) {
		return errInvalidGrant // the user revoked the application's consent
	}
	if !s.RefreshNotBefore.IsZero() && !rt.CreatedAt.After(s.RefreshNotBefore) {
		return errInvalidGrant // "Secure my account" cut the session's refresh tokens off
	}
	if err := session.Touch(ctx, p.d.Store, s, c.IP(), now); err != nil {
		p.d.Logger.WarnContext(ctx, "session last use not recorded", "err", err)
	}
	authTime := s.PasswordAt
	acr := ""
	if !s.MFAAt.IsZero() {
		authTime, acr = s.MFAAt, signon.ACRMultiFactor
	}
	return p.issue(c, env, app, u, s, scope.Parse(rt.Scope), "", acr, authTime, false)
}

func (p *Provider) liveSession(c *fiber.Ctx, envID, sid, uid string) (*store.Session, *store.User, error) {
	s, err := p.d.Store.GetSession(c.UserContext(), envID, sid)
	if err != nil || !Live(s, p.d.Now()) || s.UserID != uid {
		return nil, nil, errInvalidGrant
	}
	u, err := p.d.Store.GetUser(c.UserContext(), envID, uid)
	if err != nil || !u.Enabled {
		return nil, nil, errInvalidGrant
	}
	return s, u, nil
}

// issue answers with an access token, a rotated refresh token and (for the
// code grant with openid) an ID token. The scopes are decided again from
// the session's current state: a refresh never widens what was asked.
func (p *Provider) issue(c *fiber.Ctx, env *store.Environment, app *store.Application, u *store.User, s *store.Session,
	requested scope.Set, nonce, acr string, authTime time.Time, idToken bool) error {
	ctx := c.UserContext()
	now := p.d.Now()
	granted := grant.Scopes(grant.Input{
		Requested: requested, SelfService: env.SelfService, ReducedScopes: app.ReducedScopes, MFADone: !s.MFAAt.IsZero(),
		NoActiveDevice: !slices.ContainsFunc(u.Devices, func(d store.Device) bool { return d.Status == resource.DeviceActive }),
	})
	base := token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: p.Issuer(env.ID), Subject: u.ID, Audience: jwt.ClaimStrings{app.ID},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)), ID: ids.New(),
		},
		Env: env.ID, SID: s.ID, ClientID: app.ID, AMR: s.AMR, ACR: acr, AuthTime: jwt.NewNumericDate(authTime),
	}
	base.Consent = app.RequireConsent
	access := base
	access.Scope = granted.String()
	at, err := p.d.Keys.Sign(ctx, env.ID, &access)
	if err != nil {
		return fmt.Errorf("sign access token: %w", err)
	}
	out := resource.TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int(AccessTokenTTL / time.Second), Scope: granted.String()}
	if idToken && granted.Has(scope.OpenID) {
		id := base
		id.ID = ids.New()
		id.Nonce = nonce
		if granted.Has(scope.Email) {
			id.Email = u.Email
		}
		if granted.Has(scope.Profile) {
			id.PreferredUsername = u.Username
			id.Name = displayName(u)
		}
		if out.IDToken, err = p.d.Keys.Sign(ctx, env.ID, &id); err != nil {
			return fmt.Errorf("sign id token: %w", err)
		}
	}
	value, hash, err := opaque.New(p.d.Rand)
	if err != nil {
		return err
	}
	exp := now.Add(RefreshTokenTTL)
	if s.ExpiresAt.Before(exp) {
		exp = s.ExpiresAt
	}
	if err := p.d.Store.CreateRefreshToken(ctx, &store.RefreshToken{EnvironmentID: env.ID, ID: hash, SessionID: s.ID,
		UserID: u.ID, ClientID: app.ID, Scope: requested.String(), CreatedAt: now, ExpiresAt: exp}); err != nil {
		return fmt.Errorf("store refresh token: %w", err)
	}
	out.RefreshToken = value
	return c.JSON(out)
}

func (p *Provider) clientCredentials(c *fiber.Ctx, env *store.Environment) error {
	app, err := p.client(c, env)
	if err != nil {
		return err
	}
	if app.Type != resource.AppWorker || app.SecretHash == "" {
		return httpx.OAuth(http.StatusBadRequest, "unauthorized_client", "this client may not use client_credentials")
	}
	now := p.d.Now()
	cl := token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: p.Issuer(env.ID), Subject: app.ID, Audience: jwt.ClaimStrings{app.ID},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)), ID: ids.New(),
		},
		Env: env.ID, ClientID: app.ID,
	}
	at, err := p.d.Keys.Sign(c.UserContext(), env.ID, &cl)
	if err != nil {
		return fmt.Errorf("sign access token: %w", err)
	}
	return c.JSON(resource.TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int(AccessTokenTTL / time.Second)})
}

func displayName(u *store.User) string {
	if u.FormattedName != "" {
		return u.FormattedName
	}
	return strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{u.GivenName, u.MiddleName, u.FamilyName},
		func(s string) bool { return s == "" }), " "))
}
