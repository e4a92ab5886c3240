package manage

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// orgAdmin allows only administrators who are Environment Admin over every
// environment ("*"): creating and deleting environments is the
// organisation's business, not one environment's.
func orgAdmin(c *fiber.Ctx) error {
	p := authn.From(c)
	if p == nil {
		return apierr.Unauthorized("The access token is missing, invalid, expired or revoked.")
	}
	if !p.HasRole("*", resource.RoleEnvironmentAdmin) {
		return apierr.Forbidden("Only an Environment Admin over every environment may create or delete environments.")
	}
	return nil
}

// CreateEnvironment answers POST /v1/environments (Environment Admin over
// "*"): name and type (SANDBOX or PRODUCTION) are required, description
// is optional. The new environment gets the defaults a first start gives
// the Default environment (bootstrap): sign-on policy, MFA settings,
// device authentication and password policies, self-service switches,
// signing key and MyAccount application.
func (a *API) CreateEnvironment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := orgAdmin(c); err != nil {
			return err
		}
		if err := httpx.RequireJSON(c); err != nil {
			return err
		}
		if a.d.Provision == nil {
			return errors.New("create environment: no provisioning configured")
		}
		o, err := parseObject(c.Body())
		if err != nil {
			return err
		}
		var name, typ, desc string
		o.Require("name", "type")
		if o.String("name", &name, false) {
			checkName(o, name)
		}
		if o.String("type", &typ, false) {
			checkEnvType(o, typ)
		}
		if o.String("description", &desc, true) {
			checkDescription(o, desc)
		}
		o.Rest(nil, "id", "administrators", "createdAt", "updatedAt", "_links")
		if err := invalid(o.Details()); err != nil {
			return err
		}
		ctx := c.UserContext()
		env := bootstrap.NewEnvironment(ids.New(), name, typ, a.now())
		env.Description = desc
		if err := a.d.Store.CreateEnvironment(ctx, env); err != nil {
			return fmt.Errorf("create environment: %w", err)
		}
		if err := a.d.Provision(ctx, env.ID); err != nil {
			// Half made (no key or MyAccount application): leave it
			// deleted rather than listed, and let the caller try again.
			env.Deleted = true
			if derr := a.d.Store.UpdateEnvironment(ctx, env); derr != nil {
				a.d.Logger.ErrorContext(ctx, "half-provisioned environment left live", "environmentId", env.ID, "err", derr)
			}
			return fmt.Errorf("provision environment: %w", err)
		}
		a.record(c, env.ID, audit.ActionEnvironmentCreated, "", map[string]string{"name": env.Name, "type": env.Type})
		out := a.environmentResource(env)
		return created(c, out.Links, out)
	}
}

// PatchEnvironment answers PATCH /v1/environments/{envId} (Environment
// Admin of the environment): name, description and type, each optional.
func (a *API) PatchEnvironment() fiber.Handler { return a.writeEnvironment(false) }

// PutEnvironment answers PUT /v1/environments/{envId} (Environment Admin
// of the environment): name and type required, description optional.
func (a *API) PutEnvironment() fiber.Handler { return a.writeEnvironment(true) }

func (a *API) writeEnvironment(put bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, env, err := a.editEnvironment(c, func(e *store.Environment, o *object) error {
			cur := a.environmentResource(e)
			if put {
				o.Require("name", "type")
			}
			var name, typ, desc string
			if o.String("name", &name, false) && checkName(o, name) {
				e.Name = name
			}
			if o.String("type", &typ, false) && checkEnvType(o, typ) {
				e.Type = typ
			}
			if o.String("description", &desc, true) && checkDescription(o, desc) {
				e.Description = desc
			}
			o.Rest(cur)
			return invalid(o.Details())
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionEnvironmentUpdated, "", map[string]string{"name": env.Name, "type": env.Type})
		return c.JSON(a.environmentResource(env))
	}
}

// DeleteEnvironment answers DELETE /v1/environments/{envId} (Environment
// Admin over "*"). The delete is soft: the record stays, marked deleted,
// and from then on the environment is missing everywhere (lists, every
// /v1 endpoint under it, sign-on, tokens). The Administrators environment
// cannot be deleted.
func (a *API) DeleteEnvironment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := orgAdmin(c); err != nil {
			return err
		}
		envID, err := envParam(c)
		if err != nil {
			return err
		}
		env, err := a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			if e.Administrators {
				return apierr.New(http.StatusBadRequest, apierr.RequestFailed,
					"The Administrators environment cannot be deleted.",
					apierr.Field(apierr.DetailProtectedResource, "id", "Administrators sign on to this environment."))
			}
			e.Deleted = true
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionEnvironmentDeleted, "", map[string]string{"name": env.Name})
		return c.SendStatus(http.StatusNoContent)
	}
}

// checkEnvType checks an environment type.
func checkEnvType(o *object, typ string) bool {
	if typ != resource.EnvSandbox && typ != resource.EnvProduction {
		o.Fail("type", "must be SANDBOX or PRODUCTION.")
		return false
	}
	return true
}

// checkDescription checks an environment's description: plain text.
func checkDescription(o *object, desc string) bool {
	if err := valid.Text(desc, maxDescription); desc != "" && err != nil {
		o.Fail("description", err.Error()+".")
		return false
	}
	return true
}

// maxDescription bounds an environment's description, in runes.
const maxDescription = 1024

// LiveEnvironment is middleware for the /v1 group: a request under a
// deleted environment (/v1/environments/{envId}/…) is a 404 before any
// handler runs, so no endpoint can forget the check. Missing environments
// are left to the handlers, which answer them as before.
func (a *API) LiveEnvironment() fiber.Handler {
	return func(c *fiber.Ctx) error {
		rest, ok := strings.CutPrefix(c.Path(), paths.Environments+"/")
		if !ok {
			return c.Next()
		}
		id, _, _ := strings.Cut(rest, "/")
		id = strings.ToLower(id)
		if valid.UUID(id) != nil {
			return c.Next()
		}
		if p := authn.From(c); p != nil && p.EnvID == id {
			// The token's own environment: authn found it live already.
			return c.Next()
		}
		env, err := a.d.Store.GetEnvironment(c.UserContext(), id)
		if err == nil && env.Deleted {
			return errNotFound
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("load environment: %w", err)
		}
		return c.Next()
	}
}
