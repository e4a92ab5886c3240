package manage

import (
	"bytes"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// A user's OAuth consents (PingOne's /users/{userId}/oauthConsents): the
// third-party applications the user allowed at the consent screen, with
// their scopes. The user reads their own with p1:read:oauthConsent and
// revokes with p1:update:oauthConsent (both granted with
// selfService.manageOAuthConsents); administrators read with a read role
// and revoke as user writers. Revoking removes the consent, which ends
// the application's tokens for the user (authn and the token endpoint
// refuse tokens older than the consent) and makes its next authorize ask
// again. Another user's or environment's consent is a 404.

// ListOAuthConsents answers GET /v1/environments/{envId}/users/{userId}/oauthConsents.
func (a *API) ListOAuthConsents() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadOAuthConsent)
		if err != nil {
			return err
		}
		u, err := a.user(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		names, err := a.appNames(c, envID)
		if err != nil {
			return err
		}
		out := make([]resource.UserOAuthConsent, 0, len(u.OAuthConsents))
		for i := range u.OAuthConsents {
			out = append(out, a.oauthConsentResource(envID, userID, &u.OAuthConsents[i], names, resource.OAuthConsentAccepted))
		}
		// Newest change first: what the user just allowed is on top.
		slices.SortStableFunc(out, func(x, y resource.UserOAuthConsent) int { return y.UpdatedAt.Compare(x.UpdatedAt) })
		return c.JSON(resource.NewList("oauthConsents", out, a.d.PublicURL+paths.Build(paths.UserOAuthConsents, envID, userID), ""))
	}
}

// GetOAuthConsent answers GET …/oauthConsents/{oauthConsentId}.
func (a *API) GetOAuthConsent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadOAuthConsent)
		if err != nil {
			return err
		}
		id, err := pathID(c, "oauthConsentId")
		if err != nil {
			return err
		}
		u, err := a.user(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(u.OAuthConsents, func(k store.OAuthConsent) bool { return k.ID == id })
		if i < 0 {
			return errNotFound
		}
		names, err := a.appNames(c, envID)
		if err != nil {
			return err
		}
		return c.JSON(a.oauthConsentResource(envID, userID, &u.OAuthConsents[i], names, resource.OAuthConsentAccepted))
	}
}

// PatchOAuthConsent answers PATCH …/oauthConsents/{oauthConsentId} with
// Content-Type application/vnd.pingidentity.consent.revoke+json and body
// {"status":"REVOKED"} (PingOne's shape; an empty body also revokes): the
// consent is removed and the application's tokens for the user die. A
// consent already revoked is a 404.
func (a *API) PatchOAuthConsent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := consentRevokeParams(c, scope.UpdateOAuthConsent)
		if err != nil {
			return err
		}
		id, err := pathID(c, "oauthConsentId")
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(c.Body())) > 0 {
			var in resource.OAuthConsentRevoke
			if err := httpx.Decode(c, &in); err != nil {
				return err
			}
			if in.Status != resource.OAuthConsentRevoked {
				return apierr.Invalid("The consent can only be revoked.",
					apierr.Field(apierr.DetailInvalidValue, "status", "status must be REVOKED."))
			}
		}
		var gone store.OAuthConsent
		_, err = a.updateUser(c.UserContext(), envID, userID, func(u *store.User) error {
			i := slices.IndexFunc(u.OAuthConsents, func(k store.OAuthConsent) bool { return k.ID == id })
			if i < 0 {
				return errNotFound
			}
			gone = u.OAuthConsents[i]
			u.OAuthConsents = slices.Delete(u.OAuthConsents, i, i+1)
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionOAuthConsent, userID, map[string]string{
			"clientId": gone.ClientID, "consentId": gone.ID, "scopes": strings.Join(gone.Scopes, " "), "change": "revoked"})
		names, err := a.appNames(c, envID)
		if err != nil {
			return err
		}
		gone.UpdatedAt = a.now()
		return c.JSON(a.oauthConsentResource(envID, userID, &gone, names, resource.OAuthConsentRevoked))
	}
}

// appNames maps the environment's application ids to their names.
func (a *API) appNames(c *fiber.Ctx, envID string) (map[string]string, error) {
	apps, err := a.d.Store.ListApplications(c.UserContext(), envID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(apps))
	for _, app := range apps {
		out[app.ID] = app.Name
	}
	return out, nil
}

func (a *API) oauthConsentResource(envID, userID string, k *store.OAuthConsent, names map[string]string, status string) resource.UserOAuthConsent {
	scopes := k.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return resource.UserOAuthConsent{
		Links:       resource.Links{"self": a.link(paths.Build(paths.UserOAuthConsent, envID, userID, k.ID))},
		ID:          k.ID,
		Environment: resource.Ref{ID: envID}, User: resource.Ref{ID: userID},
		Application: resource.ConsentAppRef{ID: k.ClientID, Name: names[k.ClientID]},
		Scopes:      scopes, Status: status,
		GrantedAt: k.GrantedAt.UTC(), CreatedAt: k.GrantedAt.UTC(), UpdatedAt: k.UpdatedAt.UTC(),
	}
}
