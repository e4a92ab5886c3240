package oauth

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// LinkAccount answers GET /{envId}/rp/link/{identityProviderId}:
// MyAccount's "Link <provider>". The browser's SSO session names the user
// (no session: 404); a link flow bound to this browser proves the user
// (signon.Engine.BeginLink) and then makes the round trip to the provider.
func (p *Provider) LinkAccount() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		envID, idpID := c.Params("envId"), c.Params("identityProviderId")
		if _, err := p.env(ctx, envID); err != nil {
			return err
		}
		sso := p.ssoSession(c, envID)
		if sso == nil || valid.UUID(idpID) != nil {
			return apierr.NotFoundError("Sign on to MyAccount first, then link the account.")
		}
		bh, err := p.d.Cookies.BindBrowser(c, envID)
		if err != nil {
			return fmt.Errorf("bind browser: %w", err)
		}
		now := p.d.Now()
		f := &store.Flow{
			EnvironmentID: envID, ID: ids.New(), Status: resource.FlowPasswordRequired, BrowserHash: bh,
			UserID: sso.UserID, SessionID: sso.ID, PasswordAt: sso.PasswordAt, AMR: slices.Clone(sso.AMR),
			CreatedAt: now, ExpiresAt: now.Add(FlowTTL),
			Federation: &store.FlowFederation{Mode: store.FlowLinkMode, ProviderID: idpID},
		}
		if err := p.d.Store.CreateFlow(ctx, f); err != nil {
			return fmt.Errorf("create flow: %w", err)
		}
		to, err := p.d.Engine.BeginLink(c, f, sso.MFAAt)
		if err != nil {
			return err
		}
		return c.Redirect(to, http.StatusFound)
	}
}
