package manage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// userApp reports whether typ is an application users sign on to with
// the authorization code flow (OIDC, PKCE S256 always).
func userApp(typ string) bool {
	return typ == resource.AppSinglePage || typ == resource.AppWeb || typ == resource.AppNative
}

// confidential reports whether applications of typ authenticate with a
// client secret at the token endpoint.
func confidential(typ string) bool { return typ == resource.AppWorker || typ == resource.AppWeb }

// oidcFields fills the read-only OIDC attributes of an application.
func oidcFields(r *resource.Application, app *store.Application) {
	if userApp(app.Type) {
		r.PKCEEnforcement = "S256_REQUIRED"
	}
	r.TokenEndpointAuthMethod = "NONE"
	if confidential(app.Type) {
		r.TokenEndpointAuthMethod = "CLIENT_SECRET_BASIC"
	}
}

// DeleteApplication answers DELETE /v1/environments/{envId}/applications/{appId}
// (Environment Admin). A deleted worker's tokens stop on their next
// request; the MyAccount application cannot be deleted.
func (a *API) DeleteApplication() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, appID, err := adminEdit(c, "appId", false)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		app, err := a.application(ctx, envID, appID)
		if err != nil {
			return err
		}
		if app.MyAccount {
			return apierr.New(http.StatusBadRequest, apierr.RequestFailed, "The MyAccount application cannot be deleted.",
				apierr.Field(apierr.DetailProtectedResource, "id", "MyAccount and the application portal sign on with it. Disable it instead."))
		}
		err = a.d.Store.DeleteApplication(ctx, envID, appID)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		if err != nil {
			return fmt.Errorf("delete application: %w", err)
		}
		a.record(c, envID, audit.ActionApplicationDeleted, "", map[string]string{"clientId": app.ID, "type": app.Type, "name": app.Name})
		// Policies stop naming it (the application is gone either way).
		if _, err := a.updateEnvironment(ctx, envID, func(e *store.Environment) error {
			forgetApplication(e, appID)
			return nil
		}); err != nil {
			a.d.Logger.WarnContext(ctx, "deleted application left in policies", "clientId", appID, "err", err)
		}
		return c.SendStatus(http.StatusNoContent)
	}
}

// RotateApplicationSecret answers POST
// /v1/environments/{envId}/applications/{appId}/secret (Environment
// Admin) for a worker or web application: a new client secret, shown in
// this response only ({"secret": ...}). The old secret stops working at
// once, at the token endpoint and for the worker tokens issued under it.
func (a *API) RotateApplicationSecret() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, appID, err := adminEdit(c, "appId", false)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		var secret string
		app, err := a.updateApplication(ctx, envID, appID, func(app *store.Application) (bool, error) {
			if !confidential(app.Type) {
				return false, apierr.New(http.StatusBadRequest, apierr.RequestFailed, "Only WORKER and WEB_APP applications have a client secret.",
					apierr.Field(apierr.DetailInvalidAction, "type", app.Type+" applications are public clients."))
			}
			s, hash, err := opaque.New(a.d.Rand)
			if err != nil {
				return false, fmt.Errorf("make client secret: %w", err)
			}
			secret = s
			now := a.now()
			app.SecretHash, app.SecretChangedAt, app.UpdatedAt = hash, now, now
			return true, nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionApplicationSecretRotated, "", map[string]string{"clientId": app.ID})
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resource.ApplicationSecret{
			Links:  resource.Links{"application": a.link(paths.Build(paths.Application, envID, appID))},
			Secret: secret,
		})
	}
}

// updateApplication applies change to a fresh copy of the application and
// writes it with a version guard, retrying when another writer got there
// first, as updateUser and updateEnvironment do (the PATCH and the secret
// rotation both change one application this way). change may be called
// more than once; it returns a public error to refuse the request, or
// false to leave the record as it is (the application is answered as
// read).
func (a *API) updateApplication(ctx context.Context, envID, appID string, change func(app *store.Application) (bool, error)) (*store.Application, error) {
	for range maxAttempts {
		app, err := a.application(ctx, envID, appID)
		if err != nil {
			return nil, err
		}
		write, err := change(app)
		if err != nil {
			return nil, err
		}
		if !write {
			return app, nil
		}
		err = a.d.Store.UpdateApplication(ctx, app)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("update application: %w", err)
		}
		return app, nil
	}
	return nil, errConflict
}

// forgetApplication removes a deleted application from the policies that
// name it: its sign-on policy and the device authentication policies.
func forgetApplication(e *store.Environment, appID string) {
	drop := func(ids []string) []string {
		return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == appID })
	}
	for i := range e.SignOnPolicies {
		e.SignOnPolicies[i].Applications = drop(e.SignOnPolicies[i].Applications)
	}
	for i := range e.DeviceAuthPolicies {
		e.DeviceAuthPolicies[i].Applications = drop(e.DeviceAuthPolicies[i].Applications)
	}
}
