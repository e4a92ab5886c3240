// Package authn checks bearer tokens and decides who may touch what.
// Every request with a user token re-reads its server-side session, so a
// signed-off session is refused on its very next request on any instance;
// an application token is refused as soon as the application is disabled or
// its secret changes. Roles are read from the records, never from claims.
package authn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/keys"
	"github.com/myaccount/myaccount/server/internal/session"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// Principal is the verified caller of a request.
type Principal struct {
	EnvID     string // the environment that issued the token
	Subject   string // user id, or the application's client id
	ClientID  string
	SessionID string // "" for application tokens
	Scopes    scope.Set
	AuthTime  time.Time
	// Session is the live session of a user token.
	Session *store.Session
	// Admin is true when the token comes from the Administrators environment.
	Admin bool
	// Roles are the subject's role assignments (administrators and workers).
	Roles []store.RoleAssignment
	// FeaturesOff maps the self-management scopes the token was issued
	// with whose self-service feature is switched off now to that
	// feature's selfService switch; Authenticate has already dropped them
	// from Scopes.
	FeaturesOff map[string]string
}

// IsUser reports whether the principal is a signed-on user (not an application).
func (p *Principal) IsUser() bool { return p.SessionID != "" }

// HasRole reports whether the principal holds one of roles over envID.
// Administrators (users and workers of the Administrators environment) may
// hold roles over any environment; a worker application of an end-user
// environment only over its own; end users never hold roles.
func (p *Principal) HasRole(envID string, roles ...string) bool {
	if !p.Admin && (p.IsUser() || envID != p.EnvID) {
		return false
	}
	for _, r := range p.Roles {
		if (r.EnvironmentID == envID || r.EnvironmentID == "*") && slices.Contains(roles, r.Role) {
			return true
		}
	}
	return false
}

// Deps is what the authenticator needs.
type Deps struct {
	Store     store.Store
	Keys      *keys.Manager
	PublicURL string
	Now       func() time.Time
}

// Authenticator verifies bearer tokens.
type Authenticator struct{ d Deps }

// New returns an Authenticator.
func New(d Deps) *Authenticator { return &Authenticator{d: d} }

const localsKey = "principal"

// Required is middleware that rejects requests without a valid, live token
// (401 INVALID_TOKEN) and stores the Principal for the handlers.
func (a *Authenticator) Required() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := a.Authenticate(c.UserContext(), c.Get(fiber.HeaderAuthorization))
		if err != nil {
			return err
		}
		if p.Session != nil {
			// "Last activity" of the sessions list; a failed write costs
			// the request nothing, the next one tries again.
			_ = session.Touch(c.UserContext(), a.d.Store, p.Session, c.IP(), a.d.Now())
		}
		Set(c, p)
		return c.Next()
	}
}

// Set stores p as the request's Principal (Required does this; tests of
// handlers may too).
func Set(c *fiber.Ctx, p *Principal) { c.Locals(localsKey, p) }

// From returns the request's Principal (set by Required).
func From(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(localsKey).(*Principal)
	return p
}

var errToken = apierr.Unauthorized("The access token is missing, invalid, expired or revoked.")

// Authenticate verifies an Authorization header value.
func (a *Authenticator) Authenticate(ctx context.Context, header string) (*Principal, error) {
	const pre = "Bearer "
	if len(header) <= len(pre) || !strings.EqualFold(header[:len(pre)], pre) {
		return nil, errToken
	}
	raw := strings.TrimSpace(header[len(pre):])
	envID := unverifiedEnv(raw)
	if valid.UUID(envID) != nil {
		return nil, errToken
	}
	env, err := a.d.Store.GetEnvironment(ctx, envID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && env.Deleted) {
		return nil, errToken
	}
	if err != nil {
		return nil, fmt.Errorf("load token environment: %w", err)
	}
	// The keys, issuer and env claim must all agree: a token signed by
	// another environment's key fails on its unknown kid.
	cl, err := a.d.Keys.Verify(ctx, envID, raw, a.d.PublicURL+"/"+envID+"/as", "")
	if err != nil {
		return nil, errToken
	}
	p := &Principal{EnvID: envID, Subject: cl.Subject, ClientID: cl.ClientID, SessionID: cl.SID,
		Scopes: scope.Parse(cl.Scope), Admin: env.Administrators}
	if cl.AuthTime != nil {
		p.AuthTime = cl.AuthTime.Time
	}
	now := a.d.Now()
	if cl.SID != "" {
		s, err := a.d.Store.GetSession(ctx, envID, cl.SID)
		if err != nil || !s.RevokedAt.IsZero() || !now.Before(s.ExpiresAt) || s.UserID != cl.Subject {
			return nil, errToken
		}
		u, err := a.d.Store.GetUser(ctx, envID, cl.Subject)
		if err != nil || !u.Enabled {
			return nil, errToken
		}
		if cl.Consent && (cl.IssuedAt == nil || !u.OAuthConsentFor(cl.ClientID).AllowsJWT(cl.IssuedAt.Time)) {
			return nil, errToken // the user revoked the application's consent
		}
		p.Session, p.Roles = s, u.Roles
		dropFeaturesOff(p, env.SelfService)
		return p, nil
	}
	app, err := a.d.Store.GetApplication(ctx, envID, cl.Subject)
	if err != nil || !app.Enabled || app.Type != resource.AppWorker || cl.IssuedAt == nil ||
		cl.IssuedAt.Time.Before(app.SecretChangedAt.Truncate(time.Second)) {
		return nil, errToken
	}
	p.Roles = app.Roles
	return p, nil
}

// unverifiedEnv reads the env claim before verification, only to pick the
// environment whose keys must then verify the token.
func unverifiedEnv(raw string) string {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Env string `json:"env"`
	}
	if json.Unmarshal(b, &c) != nil {
		return ""
	}
	return c.Env
}

// Errors of the access rules.
var (
	ErrNotFound  = apierr.NotFoundError("The requested resource was not found.")
	errForbidden = apierr.Forbidden("The access token does not allow this request.")
)

// Read and write role sets for management endpoints.
var (
	ReadRoles   = []string{resource.RoleEnvironmentAdmin, resource.RoleIdentityDataAdmin, resource.RoleReadOnly}
	UserWriters = []string{resource.RoleEnvironmentAdmin, resource.RoleIdentityDataAdmin}
	EnvWriters  = []string{resource.RoleEnvironmentAdmin}
)

// Self allows a user acting on their own record with the given scope, or an
// administrator holding one of roles over envID. Another user's or
// environment's resource is a 404 (its existence is not revealed); one's
// own resource without the scope is a 403, and so is a write by an
// administrator whose roles there only let them read.
func Self(c *fiber.Ctx, envID, userID, needScope string, roles []string) error {
	p := From(c)
	if p == nil {
		return errToken
	}
	if p.HasRole(envID, roles...) {
		return nil
	}
	if p.HasRole(envID, ReadRoles...) {
		return errForbidden
	}
	if !p.IsUser() || p.EnvID != envID || p.Subject != userID {
		if p.IsUser() || p.EnvID != envID {
			return ErrNotFound
		}
		return errForbidden
	}
	if !p.Scopes.Has(needScope) {
		if setting, ok := p.FeaturesOff[needScope]; ok {
			return FeatureOff(setting)
		}
		return errForbidden
	}
	return nil
}

// Admin allows administrators and workers holding one of roles over envID.
func Admin(c *fiber.Ctx, envID string, roles []string) error {
	p := From(c)
	if p == nil {
		return errToken
	}
	if !p.HasRole(envID, roles...) {
		return errForbidden
	}
	return nil
}
