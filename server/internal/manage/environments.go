package manage

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListEnvironments answers GET /v1/environments: the environments the
// principal holds any role over (every live one for a role over "*").
func (a *API) ListEnvironments() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := authn.From(c)
		if p == nil {
			return apierr.Unauthorized("The access token is missing, invalid, expired or revoked.")
		}
		if !p.Admin {
			// End users and the workers of other environments hold no roles.
			return apierr.Forbidden("The access token does not allow this request.")
		}
		envs, err := a.d.Store.ListEnvironments(c.UserContext())
		if err != nil {
			return fmt.Errorf("list environments: %w", err)
		}
		out := []resource.Environment{}
		for i := range envs {
			if !envs[i].Deleted && p.HasRole(envs[i].ID, authn.ReadRoles...) {
				out = append(out, a.environmentResource(&envs[i]))
			}
		}
		return c.JSON(resource.NewList("environments", out, a.d.PublicURL+paths.Environments, ""))
	}
}

// GetEnvironment answers GET /v1/environments/{envId}.
func (a *API) GetEnvironment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.ReadRoles)
		if err != nil {
			return err
		}
		env, err := a.environment(c.UserContext(), envID)
		if err != nil {
			return err
		}
		return c.JSON(a.environmentResource(env))
	}
}

func (a *API) environmentResource(e *store.Environment) resource.Environment {
	return resource.Environment{
		Links: resource.Links{"self": a.link(paths.Build(paths.Environment, e.ID))},
		ID:    e.ID, Name: e.Name, Description: e.Description, Type: e.Type, Administrators: e.Administrators,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
}
