package oauth

import (
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// Third-party applications (store.Application.RequireConsent) get a code
// only for scopes the user allowed. A signed-on user who has not allowed
// them all is sent to the hosted consent screen: a flow that starts at
// CONSENT_REQUIRED, bound to this browser and continuing the SSO session.

// needsConsent reports whether the request's client must ask userID first.
func (p *Provider) needsConsent(c *fiber.Ctx, env *store.Environment, r *request, userID string) (bool, error) {
	if !r.app.RequireConsent {
		return false, nil
	}
	u, err := p.d.Store.GetUser(c.UserContext(), env.ID, userID)
	if err != nil {
		return false, fmt.Errorf("load user: %w", err)
	}
	return signon.ConsentNeeded(r.app, u, signon.ConsentScopes(env, r.scope)), nil
}

// consentFlow starts the consent screen for the session's user.
func (p *Provider) consentFlow(c *fiber.Ctx, r *request, sso *store.Session) error {
	envID := sso.EnvironmentID
	f, err := p.requestFlow(c, r, envID, resource.FlowConsentRequired)
	if err != nil {
		return err
	}
	// No AMR of its own: resuming adds the flow's methods to the session,
	// and a consent proves none (the session keeps its MFA time as it was).
	f.UserID, f.SessionID, f.PasswordAt = sso.UserID, sso.ID, sso.PasswordAt
	if err := p.d.Store.CreateFlow(c.UserContext(), f); err != nil {
		return fmt.Errorf("create flow: %w", err)
	}
	return c.Redirect(p.flowURL(envID, f.ID), http.StatusFound)
}
