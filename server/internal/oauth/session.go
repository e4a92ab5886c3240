package oauth

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/token"
	"github.com/myaccount/myaccount/shared/scope"
)

// UserInfo answers GET/POST /{envId}/as/userinfo for a user token of this
// environment.
func (p *Provider) UserInfo() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := c.Params("envId")
		pr, err := p.d.Auth.Authenticate(c.UserContext(), c.Get(fiber.HeaderAuthorization))
		if err != nil || !pr.IsUser() || pr.EnvID != envID {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
			return httpx.OAuth(http.StatusUnauthorized, "invalid_token", "the access token is invalid")
		}
		u, err := p.d.Store.GetUser(c.UserContext(), envID, pr.Subject)
		if err != nil {
			return fmt.Errorf("load user: %w", err)
		}
		out := fiber.Map{"sub": u.ID}
		if pr.Scopes.Has(scope.Profile) {
			out["preferred_username"] = u.Username
			out["name"] = displayName(u)
			out["given_name"] = u.GivenName
			out["family_name"] = u.FamilyName
			out["updated_at"] = u.UpdatedAt.Unix()
		}
		if pr.Scopes.Has(scope.Email) {
			out["email"] = u.Email
			out["email_verified"] = u.EmailVerified
		}
		return c.JSON(out)
	}
}

// Revoke answers POST /{envId}/as/revoke (RFC 7009): a refresh token is
// used up; an access token ends its session. Unknown tokens are not an
// error (the client's goal is reached either way).
func (p *Provider) Revoke() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != fiber.MIMEApplicationForm {
			return httpx.OAuth(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		}
		env, err := p.env(ctx, c.Params("envId"))
		if err != nil {
			return err
		}
		app, err := p.client(c, env)
		if err != nil {
			return err
		}
		raw := c.FormValue("token")
		if raw == "" {
			return httpx.OAuth(http.StatusBadRequest, "invalid_request", "token is required")
		}
		now := p.d.Now()
		if strings.Count(raw, ".") == 2 {
			cl, err := p.d.Keys.Verify(ctx, env.ID, raw, p.Issuer(env.ID), "")
			if err == nil && cl.SID != "" && cl.ClientID == app.ID {
				if err := RevokeSession(ctx, p.d.Store, env.ID, cl.SID, now); err != nil {
					return err
				}
			}
			return c.SendStatus(http.StatusOK)
		}
		// Marking it used is the revocation: a later presentation counts as
		// reuse, which ends its session.
		if _, err := p.d.Store.UseRefreshToken(ctx, env.ID, opaque.Hash(raw), now); err != nil &&
			!errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("revoke refresh token: %w", err)
		}
		return c.SendStatus(http.StatusOK)
	}
}

// Signoff answers GET /{envId}/as/signoff (RP-initiated logout): it ends the
// session named by the SSO cookie or the id_token_hint, clears the cookie,
// and returns to post_logout_redirect_uri when that is registered for the
// hinted client.
func (p *Provider) Signoff() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		envID := c.Params("envId")
		if _, err := p.env(ctx, envID); err != nil {
			return err
		}
		now := p.d.Now()
		var hint *token.Claims
		if raw := c.Query("id_token_hint"); raw != "" {
			// An expired ID token is still a fine hint of who is signing off,
			// but its signature must hold.
			cl, err := p.d.Keys.VerifyIgnoringExpiry(ctx, envID, raw, p.Issuer(envID))
			if err != nil {
				return httpx.OAuth(http.StatusBadRequest, "invalid_request", "id_token_hint is not valid")
			}
			hint = cl
		}
		var sids []string
		owner := map[string]string{} // session id → user id, so the user's activity shows the sign-off
		if s := p.ssoSession(c, envID); s != nil {
			sids = append(sids, s.ID)
			owner[s.ID] = s.UserID
		}
		if hint != nil && hint.SID != "" && !slices.Contains(sids, hint.SID) {
			sids = append(sids, hint.SID)
			owner[hint.SID] = hint.Subject
		}
		for _, sid := range sids {
			if err := RevokeSession(ctx, p.d.Store, envID, sid, now); err != nil {
				return err
			}
			p.d.Audit.Record(ctx, store.Event{EnvironmentID: envID, Action: audit.ActionSessionSignedOff, Outcome: "SUCCESS",
				ActorType: "USER", ActorID: owner[sid], UserID: owner[sid], SessionID: sid, IP: c.IP(),
				UserAgent: c.Get(fiber.HeaderUserAgent), Details: map[string]string{"reason": "sign off"}})
		}
		p.d.Cookies.Set(c, envID, SSOCookie, "", -1)
		if ru := c.Query("post_logout_redirect_uri"); ru != "" {
			if hint == nil || len(hint.Audience) == 0 {
				return httpx.OAuth(http.StatusBadRequest, "invalid_request", "post_logout_redirect_uri needs id_token_hint")
			}
			app, err := p.d.Store.GetApplication(ctx, envID, hint.Audience[0])
			if err != nil || !slices.Contains(app.RedirectURIs, ru) {
				return httpx.OAuth(http.StatusBadRequest, "invalid_request", "post_logout_redirect_uri is not registered")
			}
			return c.Redirect(withQuery(ru, "state", c.Query("state")), http.StatusFound)
		}
		return c.JSON(fiber.Map{"signedOff": true})
	}
}
