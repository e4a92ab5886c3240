package manage

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// A user's linked accounts: PingOne's
// /environments/{envId}/users/{userId}/linkedAccounts. The user reads
// (p1:read:userLinkedAccounts) and unlinks (p1:delete:userLinkedAccounts,
// after a fresh MFA) their own; readers of the environment read and user
// writers unlink any user's.

// errLastSignOn refuses unlinking the account a user without a password
// and without another linked account signs on with.
var errLastSignOn = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
	"This is the only way to sign on to the account. Set a password or link another account first.",
	apierr.Field(apierr.DetailInvalidAction, "linkedAccountId", "Unlinking it would leave no way to sign on."))

// errUnlinkMFA: a user unlinks an account only after a recent MFA.
var errUnlinkMFA = apierr.New(http.StatusForbidden, apierr.InsufficientPermission,
	"Unlinking an account needs a recent multi-factor authentication. Verify and try again.",
	apierr.Field(apierr.DetailMFARequired, "session", "Complete an MFA in this session first."))

// ListLinkedAccounts answers GET …/users/{userId}/linkedAccounts.
func (a *API) ListLinkedAccounts() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadLinkedAccounts)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		u, err := a.user(ctx, envID, userID)
		if err != nil {
			return err
		}
		env, err := a.environment(ctx, envID)
		if err != nil {
			return err
		}
		out := make([]resource.LinkedAccount, 0, len(u.LinkedAccounts))
		for _, l := range u.LinkedAccounts {
			out = append(out, a.linkedAccountResource(env, userID, l))
		}
		return c.JSON(resource.NewList("linkedAccounts", out, a.d.PublicURL+paths.Build(paths.LinkedAccounts, envID, userID), ""))
	}
}

// GetLinkedAccount answers GET …/linkedAccounts/{linkedAccountId}.
func (a *API) GetLinkedAccount() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadLinkedAccounts)
		if err != nil {
			return err
		}
		id, err := pathID(c, "linkedAccountId")
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		u, err := a.user(ctx, envID, userID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(u.LinkedAccounts, func(l store.LinkedAccount) bool { return l.ID == id })
		if i < 0 {
			return errNotFound
		}
		env, err := a.environment(ctx, envID)
		if err != nil {
			return err
		}
		return c.JSON(a.linkedAccountResource(env, userID, u.LinkedAccounts[i]))
	}
}

// DeleteLinkedAccount answers DELETE …/linkedAccounts/{linkedAccountId}:
// the user (with a fresh MFA) or a user writer unlinks the account, unless
// it is the user's last way to sign on (400).
func (a *API) DeleteLinkedAccount() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := envParam(c)
		if err != nil {
			return err
		}
		userID, err := pathID(c, "userId")
		if err != nil {
			return err
		}
		p := authn.From(c)
		if p != nil && !p.HasRole(envID, authn.UserWriters...) && p.HasRole(envID, authn.ReadRoles...) {
			return apierr.Forbidden("The access token does not allow this request.")
		}
		if err := authn.Self(c, envID, userID, scope.DeleteLinkedAccounts, authn.UserWriters); err != nil {
			return err
		}
		id, err := pathID(c, "linkedAccountId")
		if err != nil {
			return err
		}
		w := writer{EnvID: envID, UserID: userID, P: p, Self: !p.HasRole(envID, authn.UserWriters...)}
		var gone store.LinkedAccount
		_, err = a.updateUser(c.UserContext(), envID, userID, func(u *store.User) error {
			i := slices.IndexFunc(u.LinkedAccounts, func(l store.LinkedAccount) bool { return l.ID == id })
			if i < 0 {
				return errNotFound
			}
			if !a.freshMFA(w) {
				return errUnlinkMFA
			}
			if u.PasswordHash == "" && len(u.LinkedAccounts) == 1 {
				return errLastSignOn
			}
			gone = u.LinkedAccounts[i]
			u.LinkedAccounts = slices.Delete(u.LinkedAccounts, i, i+1)
			return nil
		})
		if err != nil {
			return err
		}
		// The external account is free to be linked again (to anyone).
		if err := a.d.Store.ReleaseExternalIdentity(c.UserContext(), envID, gone.Issuer, gone.Subject, userID); err != nil && !errors.Is(err, store.ErrNotFound) {
			a.d.Logger.WarnContext(c.UserContext(), "external identity claim not released", "err", err)
		}
		a.record(c, envID, audit.ActionLinkedAccountDeleted, userID, map[string]string{
			"linkedAccountId": gone.ID, "identityProviderId": gone.IdentityProviderID})
		return c.SendStatus(http.StatusNoContent)
	}
}

// linkedAccountResource shows a linked account, with its provider's name
// while the provider exists.
func (a *API) linkedAccountResource(env *store.Environment, userID string, l store.LinkedAccount) resource.LinkedAccount {
	out := resource.LinkedAccount{
		Links:            resource.Links{"self": a.link(paths.Build(paths.LinkedAccount, env.ID, userID, l.ID))},
		ID:               l.ID,
		Environment:      resource.Ref{ID: env.ID},
		User:             resource.Ref{ID: userID},
		IdentityProvider: resource.Ref{ID: l.IdentityProviderID},
		ExternalID:       l.Subject,
		CreatedAt:        l.CreatedAt.UTC(),
	}
	if i := slices.IndexFunc(env.IdentityProviders, func(p store.IdentityProvider) bool { return p.ID == l.IdentityProviderID }); i >= 0 {
		out.Name = env.IdentityProviders[i].Name
	}
	return out
}
