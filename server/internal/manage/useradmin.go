package manage

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// userWriter checks the caller may change users of the path's environment
// (Environment Admin or Identity Data Admin) and returns the ids.
func userWriter(c *fiber.Ctx) (envID, userID string, err error) {
	if envID, err = admin(c, authn.UserWriters); err != nil {
		return "", "", err
	}
	if userID, err = pathID(c, "userId"); err != nil {
		return "", "", err
	}
	return envID, userID, nil
}

// GetUserEnabled answers GET /v1/environments/{envId}/users/{userId}/enabled
// (readers of the environment): PingOne's {"enabled": bool} resource.
func (a *API) GetUserEnabled() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.ReadRoles)
		if err != nil {
			return err
		}
		userID, err := pathID(c, "userId")
		if err != nil {
			return err
		}
		_, u, err := a.envUser(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		return c.JSON(a.enabledResource(u))
	}
}

// PutUserEnabled answers PUT /v1/environments/{envId}/users/{userId}/enabled
// (user writers) with {"enabled": bool}. Disabling ends every session of
// the user at once (their tokens stop on the next request) and sign-on
// refuses them until they are enabled again.
func (a *API) PutUserEnabled() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := userWriter(c)
		if err != nil {
			return err
		}
		if err := httpx.RequireJSON(c); err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		var was bool
		u, err := a.updateUser(ctx, envID, userID, func(u *store.User) error {
			o, err := parseObject(c.Body())
			if err != nil {
				return err
			}
			was = u.Enabled
			o.Require("enabled")
			o.Bool("enabled", &u.Enabled)
			o.Rest(a.enabledResource(u))
			return invalid(o.Details())
		})
		if err != nil {
			return err
		}
		if was != u.Enabled {
			a.record(c, envID, audit.ActionUserUpdated, u.ID, map[string]string{"fields": "enabled"})
		}
		if !u.Enabled {
			// Also when it was already off: sessions made in between (none
			// should exist) end too.
			if err := a.endSessionsOf(c, envID, u.ID, "user disabled"); err != nil {
				return err
			}
		}
		return c.JSON(a.enabledResource(u))
	}
}

func (a *API) enabledResource(u *store.User) resource.UserEnabled {
	return resource.UserEnabled{
		Links:   resource.Links{"self": a.link(paths.Build(paths.UserEnabled, u.EnvironmentID, u.ID))},
		Enabled: u.Enabled,
	}
}

// DeleteUser answers DELETE /v1/environments/{envId}/users/{userId} (user
// writers): every session of the user ends first, then the record goes
// with its devices, linked accounts and consents. An administrator cannot
// delete their own record (they would lock themselves out mid-request).
func (a *API) DeleteUser() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := userWriter(c)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		_, u, err := a.envUser(ctx, envID, userID)
		if err != nil {
			return err
		}
		if p := authn.From(c); p.EnvID == envID && p.Subject == userID {
			return errDeleteSelf
		}
		if err := a.endSessionsOf(c, envID, userID, "user deleted"); err != nil {
			return err
		}
		err = a.d.Store.DeleteUser(ctx, envID, userID)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		if err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		a.record(c, envID, audit.ActionUserDeleted, userID, map[string]string{"username": u.Username})
		return c.SendStatus(http.StatusNoContent)
	}
}

var errDeleteSelf = apierr.New(http.StatusBadRequest, apierr.RequestFailed, "Administrators cannot delete their own user.",
	apierr.Field(apierr.DetailProtectedResource, "id", "Another administrator must delete this user."))
