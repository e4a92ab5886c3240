package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// request is a validated authorization request.
type request struct {
	app           *store.Application
	redirectURI   string
	state         string
	nonce         string
	scope         string
	codeChallenge string
	acr           string
	prompt        string
}

// Authorize answers GET /{envId}/as/authorize. Until the client and its
// redirect URI are known good, errors are shown here; after that they go
// back to the client as ?error=…&state=… (RFC 6749 §4.1.2.1).
func (p *Provider) Authorize() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		envID := c.Params("envId")
		env, err := p.env(ctx, envID)
		if err != nil {
			return err
		}
		r, err := p.parseAuthorize(c, envID)
		if err != nil {
			return err
		}
		redirectErr := func(code, desc string) error {
			return c.Redirect(withQuery(r.redirectURI, "error", code, "error_description", desc, "state", r.state), http.StatusFound)
		}
		if c.Query("response_type") != "code" {
			return redirectErr("unsupported_response_type", "only response_type=code is supported")
		}
		if c.Query("code_challenge_method") != "S256" || !validVerifier(r.codeChallenge) {
			return redirectErr("invalid_request", "PKCE with code_challenge_method=S256 is required")
		}
		if r.prompt != "" && r.prompt != "none" && r.prompt != "login" {
			return redirectErr("invalid_request", "prompt must be none or login")
		}

		sso := p.ssoSession(c, envID)
		if r.prompt == "login" {
			sso = nil
		}
		if sso != nil {
			if u, err := p.d.Store.GetUser(ctx, envID, sso.UserID); err != nil || !u.Enabled {
				sso = nil
			}
		}
		needMFA := signon.NeedsMFA(env.SignOnPolicyFor(r.app.ID), r.acr)
		if sso != nil && (!needMFA || !sso.MFAAt.IsZero()) {
			if need, err := p.needsConsent(c, env, r, sso.UserID); err != nil {
				return err
			} else if need {
				if r.prompt == "none" {
					return redirectErr("consent_required", "the user has not allowed the requested scopes")
				}
				return p.consentFlow(c, r, sso)
			}
			return p.redirectWithCode(c, env, r, sso)
		}
		if r.prompt == "none" {
			if sso == nil {
				return redirectErr("login_required", "the user is not signed on")
			}
			return redirectErr("interaction_required", "multi-factor authentication is required")
		}

		f, err := p.requestFlow(c, r, envID, resource.FlowUsernamePasswordRequired)
		if err != nil {
			return err
		}
		if err := p.d.Store.CreateFlow(ctx, f); err != nil {
			return fmt.Errorf("create flow: %w", err)
		}
		if sso != nil {
			// Step-up: the session already holds the password; ask only for MFA.
			f.UserID, f.SessionID, f.PasswordAt, f.AMR = sso.UserID, sso.ID, sso.PasswordAt, slices.Clone(sso.AMR)
			var ae *apierr.Error
			if err := p.d.Engine.StartMFA(c, f); err != nil && !errors.As(err, &ae) {
				return err
			}
		}
		return c.Redirect(p.flowURL(envID, f.ID), http.StatusFound)
	}
}

// parseAuthorize checks the client and redirect URI; failures are shown to
// the user, never redirected (an open redirect otherwise).
func (p *Provider) parseAuthorize(c *fiber.Ctx, envID string) (*request, error) {
	bad := func(desc string) error { return httpx.OAuth(http.StatusBadRequest, "invalid_request", desc) }
	clientID := c.Query("client_id")
	if valid.UUID(clientID) != nil {
		return nil, bad("client_id is missing or malformed")
	}
	app, err := p.d.Store.GetApplication(c.UserContext(), envID, clientID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!app.Enabled || app.Type == resource.AppWorker)) {
		return nil, httpx.OAuth(http.StatusBadRequest, "invalid_client", "unknown client")
	}
	if err != nil {
		return nil, fmt.Errorf("load client: %w", err)
	}
	ru := c.Query("redirect_uri")
	if !slices.Contains(app.RedirectURIs, ru) {
		return nil, bad("redirect_uri is not registered for this client")
	}
	r := &request{
		app: app, redirectURI: ru, state: c.Query("state"), nonce: c.Query("nonce"),
		scope: scope.Parse(c.Query("scope")).String(), codeChallenge: c.Query("code_challenge"),
		acr: c.Query("acr_values"), prompt: c.Query("prompt"),
	}
	if len(r.state) > 512 || len(r.nonce) > 512 || len(r.scope) > 2048 || len(r.acr) > 256 {
		return nil, bad("a parameter is too long")
	}
	return r, nil
}

// redirectWithCode issues an authorization code for a live session and
// sends the browser back to the client.
func (p *Provider) redirectWithCode(c *fiber.Ctx, env *store.Environment, r *request, s *store.Session) error {
	code, err := p.issueCode(c, env, r.app, r.redirectURI, r.codeChallenge, r.nonce, r.scope, r.acr, s)
	if err != nil {
		return err
	}
	return c.Redirect(withQuery(r.redirectURI, "code", code, "state", r.state), http.StatusFound)
}

func (p *Provider) issueCode(c *fiber.Ctx, env *store.Environment, app *store.Application, redirectURI, challenge, nonce, scopes, acr string, s *store.Session) (string, error) {
	code, hash, err := opaque.New(p.d.Rand)
	if err != nil {
		return "", err
	}
	now := p.d.Now()
	authTime := s.PasswordAt
	if s.MFAAt.After(authTime) {
		authTime = s.MFAAt
	}
	if !s.MFAAt.IsZero() && acr == "" {
		acr = signon.ACRMultiFactor
	}
	ac := &store.AuthCode{
		EnvironmentID: env.ID, ID: hash, ClientID: app.ID, RedirectURI: redirectURI, UserID: s.UserID,
		SessionID: s.ID, Scope: scopes, Nonce: nonce, CodeChallenge: challenge, ACR: acr, AMR: s.AMR,
		AuthTime: authTime, CreatedAt: now, ExpiresAt: now.Add(AuthCodeTTL),
	}
	if err := p.d.Store.CreateAuthCode(c.UserContext(), ac); err != nil {
		return "", fmt.Errorf("store code: %w", err)
	}
	return code, nil
}

// Resume answers GET /{envId}/as/resume?flowId=…: a completed flow becomes a
// session (or steps up the existing one), the SSO cookie, and a code.
func (p *Provider) Resume() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		envID := c.Params("envId")
		env, err := p.env(ctx, envID)
		if err != nil {
			return err
		}
		notFound := apierr.NotFoundError("The sign-on flow was not found or has expired.")
		flowID := c.Query("flowId")
		if valid.UUID(flowID) != nil {
			return notFound
		}
		now := p.d.Now()
		f, err := p.d.Store.GetFlow(ctx, envID, flowID, now)
		if errors.Is(err, store.ErrNotFound) {
			return notFound
		}
		if err != nil {
			return fmt.Errorf("load flow: %w", err)
		}
		if bh := signon.BrowserHash(c); bh == "" || f.Kind != "" || !opaque.Equal(bh, f.BrowserHash) || f.Status != resource.FlowCompleted ||
			f.Federation != nil && f.Federation.Mode == store.FlowLinkMode { // a link flow yields no code
			return notFound
		}
		f.Status = signon.StatusResumed
		if err := p.d.Store.UpdateFlow(ctx, f); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return notFound
			}
			return fmt.Errorf("close flow: %w", err)
		}
		app, err := p.d.Store.GetApplication(ctx, envID, f.ClientID)
		if err != nil {
			return fmt.Errorf("load client: %w", err)
		}
		s, err := p.sessionFor(c, f)
		if err != nil {
			return err
		}
		p.setSSO(c, envID, s.ID)
		details := map[string]string{"clientId": app.ID, "amr": strings.Join(s.AMR, " ")}
		if f.SessionID == "" && p.afterSignOn(c, s) {
			details["unfamiliar"] = "true" // the account's address was told
		}
		p.d.Audit.Record(ctx, store.Event{EnvironmentID: envID, Action: audit.ActionSignOnCompleted, Outcome: "SUCCESS",
			ActorType: "USER", ActorID: s.UserID, UserID: s.UserID, SessionID: s.ID, IP: c.IP(),
			UserAgent: c.Get(fiber.HeaderUserAgent), Details: details})
		if f.ConsentDenied {
			return c.Redirect(withQuery(f.RedirectURI, "error", "access_denied", "error_description",
				"the user denied the request", "state", f.State), http.StatusFound)
		}
		r := &request{app: app, redirectURI: f.RedirectURI, state: f.State, nonce: f.Nonce, scope: f.Scope,
			codeChallenge: f.CodeChallenge, acr: f.ACR}
		return p.redirectWithCode(c, env, r, s)
	}
}

// sessionFor creates the session of a completed flow, or records the MFA
// on the session a step-up flow started from.
func (p *Provider) sessionFor(c *fiber.Ctx, f *store.Flow) (*store.Session, error) {
	ctx := c.UserContext()
	now := p.d.Now()
	mfa := slices.Contains(f.AMR, "mfa")
	if f.SessionID != "" {
		for i := 0; i < 5; i++ {
			s, err := p.d.Store.GetSession(ctx, f.EnvironmentID, f.SessionID)
			if err != nil || !Live(s, now) || s.UserID != f.UserID {
				return nil, apierr.NotFoundError("The session this sign-on continued has ended.")
			}
			if mfa {
				s.MFAAt = now
			}
			for _, m := range f.AMR {
				if !slices.Contains(s.AMR, m) {
					s.AMR = append(s.AMR, m)
				}
			}
			err = p.d.Store.UpdateSession(ctx, s)
			if err == nil {
				return s, nil
			}
			if !errors.Is(err, store.ErrConflict) {
				return nil, fmt.Errorf("step up session: %w", err)
			}
		}
		return nil, apierr.ConflictError("The session changed in another request. Try again.")
	}
	s := &store.Session{
		EnvironmentID: f.EnvironmentID, ID: ids.New(), UserID: f.UserID, AMR: slices.Clone(f.AMR),
		PasswordAt: f.PasswordAt, IP: c.IP(), UserAgent: truncate(c.Get(fiber.HeaderUserAgent), 512),
		CreatedAt: now, ExpiresAt: now.Add(SessionTTL),
		LastUsedAt: now, Locations: []store.SessionLocation{{IP: c.IP(), At: now}},
	}
	if mfa {
		s.MFAAt = now
	}
	if err := p.d.Store.CreateSession(ctx, s); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return s, nil
}

// withQuery appends query parameters to a URL, skipping empty values.
func withQuery(base string, kv ...string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// validVerifier checks RFC 7636's shape of a code verifier or S256 challenge.
func validVerifier(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r))
	}) < 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// requestFlow is a new sign-on flow (not yet stored) for the authorize
// request r, bound to this browser: the sign-on flow and the consent
// screen both start one, and its resume answers r's client with r's
// state, nonce, PKCE challenge, scope and acr.
func (p *Provider) requestFlow(c *fiber.Ctx, r *request, envID, status string) (*store.Flow, error) {
	bh, err := p.d.Cookies.BindBrowser(c, envID)
	if err != nil {
		return nil, fmt.Errorf("bind browser: %w", err)
	}
	now := p.d.Now()
	return &store.Flow{
		EnvironmentID: envID, ID: ids.New(), Status: status, BrowserHash: bh,
		ClientID: r.app.ID, RedirectURI: r.redirectURI, State: r.state, Nonce: r.nonce,
		CodeChallenge: r.codeChallenge, Scope: r.scope, ACR: r.acr, CreatedAt: now, ExpiresAt: now.Add(FlowTTL),
	}, nil
}
