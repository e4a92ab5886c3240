package manage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// Application limits.
const (
	MaxRedirectURIs   = 10
	MaxRedirectURILen = 2048
	MaxRoles          = 16
)

// ProtocolOIDC is the only application protocol.
const ProtocolOIDC = "OPENID_CONNECT"

// ListApplications answers GET /v1/environments/{envId}/applications.
func (a *API) ListApplications() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.ReadRoles)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		apps, err := a.d.Store.ListApplications(ctx, envID)
		if err != nil {
			return fmt.Errorf("list applications: %w", err)
		}
		out := make([]resource.Application, 0, len(apps))
		for i := range apps {
			out = append(out, a.applicationResource(&apps[i]))
		}
		return c.JSON(resource.NewList("applications", out, a.d.PublicURL+paths.Build(paths.Applications, envID), ""))
	}
}

// GetApplication answers GET /v1/environments/{envId}/applications/{appId}.
// A client secret is never shown again after the create response.
func (a *API) GetApplication() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.ReadRoles)
		if err != nil {
			return err
		}
		appID, err := pathID(c, "appId")
		if err != nil {
			return err
		}
		app, err := a.application(c.UserContext(), envID, appID)
		if err != nil {
			return err
		}
		return c.JSON(a.applicationResource(app))
	}
}

// CreateApplication answers POST /v1/environments/{envId}/applications
// (Environment Admin): a WORKER (name, roles), which gets a client secret
// shown once in this response and stored only as its hash, or a
// SINGLE_PAGE_APP (name, redirectUris), a public client.
func (a *API) CreateApplication() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		o, err := parseObject(c.Body())
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		now := a.now()
		app := &store.Application{EnvironmentID: envID, ID: ids.New(), Enabled: true, CreatedAt: now, UpdatedAt: now}
		o.Require("name", "type")
		if o.String("name", &app.Name, false) {
			checkName(o, app.Name)
		}
		if o.String("type", &app.Type, false) && app.Type != resource.AppWorker && !userApp(app.Type) {
			o.Fail("type", "must be WORKER, WEB_APP, SINGLE_PAGE_APP or NATIVE_APP.")
		}
		var protocol string
		if o.String("protocol", &protocol, false) && protocol != ProtocolOIDC {
			o.Fail("protocol", "must be OPENID_CONNECT.")
		}
		o.Bool("enabled", &app.Enabled)
		switch app.Type {
		case resource.AppWorker:
			if roles, ok := readRoles(c, o, envID); ok {
				app.Roles = roles
			}
			onlyFor(o, resource.AppSinglePage, "redirectUris", "allowUserActionsByAuthenticationScopes", "portal", "requireConsent")
		case resource.AppSinglePage, resource.AppWeb, resource.AppNative:
			o.Require("redirectUris")
			if uris, ok := readRedirectURIs(o); ok {
				app.RedirectURIs = uris
			}
			o.Bool("allowUserActionsByAuthenticationScopes", &app.ReducedScopes)
			o.Bool("requireConsent", &app.RequireConsent)
			app.Portal, _ = readPortal(o, nil)
			onlyFor(o, resource.AppWorker, "roles")
		default:
			// The type is already refused; its attributes say nothing more.
			for _, n := range []string{"roles", "redirectUris", "allowUserActionsByAuthenticationScopes", "portal", "requireConsent"} {
				o.raw(n)
			}
		}
		o.Rest(nil, "id", "environment", "clientSecret", "myAccount", "createdAt", "updatedAt", "_links")
		if err := invalid(o.Details()); err != nil {
			return err
		}
		var secret string
		if confidential(app.Type) {
			if secret, app.SecretHash, err = opaque.New(a.d.Rand); err != nil {
				return fmt.Errorf("make client secret: %w", err)
			}
			app.SecretChangedAt = now
		}
		if err := a.d.Store.CreateApplication(ctx, app); err != nil {
			return fmt.Errorf("create application: %w", err)
		}
		a.record(c, envID, audit.ActionApplicationCreated, "", map[string]string{
			"clientId": app.ID, "type": app.Type, "name": app.Name, "roles": rolesString(app.Roles)})
		out := a.applicationResource(app)
		out.ClientSecret = secret
		return created(c, out.Links, out)
	}
}

// PatchApplication answers PATCH /v1/environments/{envId}/applications/{appId}
// (Environment Admin) with merge-patch semantics: name and enabled for every
// application, redirectUris and allowUserActionsByAuthenticationScopes for
// single-page apps, roles for workers. Other attributes are refused unless
// they equal the stored value.
func (a *API) PatchApplication() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, appID, err := adminEdit(c, "appId", true)
		if err != nil {
			return err
		}
		var changed []string
		app, err := a.updateApplication(c.UserContext(), envID, appID, func(app *store.Application) (bool, error) {
			var err error
			if changed, err = patchApplication(c, app, a.applicationResource(app)); err != nil {
				return false, err
			}
			if len(changed) == 0 {
				return false, nil
			}
			app.UpdatedAt = a.now()
			return true, nil
		})
		if err != nil {
			return err
		}
		if len(changed) > 0 {
			a.record(c, envID, audit.ActionApplicationUpdated, "", map[string]string{
				"clientId": app.ID, "fields": strings.Join(changed, ","), "roles": rolesString(app.Roles)})
		}
		return c.JSON(a.applicationResource(app))
	}
}

func patchApplication(c *fiber.Ctx, app *store.Application, current resource.Application) ([]string, error) {
	o, err := parseObject(c.Body())
	if err != nil {
		return nil, err
	}
	var changed []string
	var name string
	if o.String("name", &name, false) && checkName(o, name) && name != app.Name {
		app.Name = name
		changed = append(changed, "name")
	}
	var enabled bool
	if o.Bool("enabled", &enabled) && enabled != app.Enabled {
		app.Enabled = enabled
		changed = append(changed, "enabled")
	}
	switch app.Type {
	case resource.AppSinglePage, resource.AppWeb, resource.AppNative:
		if uris, ok := readRedirectURIs(o); ok && !slices.Equal(uris, app.RedirectURIs) {
			app.RedirectURIs = uris
			changed = append(changed, "redirectUris")
		}
		var reduced bool
		if o.Bool("allowUserActionsByAuthenticationScopes", &reduced) && reduced != app.ReducedScopes {
			app.ReducedScopes = reduced
			changed = append(changed, "allowUserActionsByAuthenticationScopes")
		}
		if p, ok := readPortal(o, app.Portal); ok {
			app.Portal = p
			changed = append(changed, "portal")
		}
		var consent bool
		if o.Bool("requireConsent", &consent) && consent != app.RequireConsent {
			if consent && app.MyAccount {
				o.Fail("requireConsent", "must be false for the MyAccount application: it is first-party.")
			} else {
				app.RequireConsent = consent
				changed = append(changed, "requireConsent")
			}
		}
		onlyFor(o, resource.AppWorker, "roles")
	case resource.AppWorker:
		// Roles sent back unchanged are accepted as they are, so an
		// administrator without a role over "*" can still rename a worker
		// that holds one.
		cur, _ := json.Marshal(current.Roles)
		if raw, ok := o.fields["roles"]; ok && (jsonEqual(raw, cur) || (len(current.Roles) == 0 && jsonEqual(raw, []byte("[]")))) {
			o.used["roles"] = true
		} else if roles, ok := readRoles(c, o, app.EnvironmentID); ok {
			app.Roles = roles
			changed = append(changed, "roles")
		}
		onlyFor(o, resource.AppSinglePage, "redirectUris", "portal")
	}
	o.Rest(current, "clientSecret")
	if err := invalid(o.Details()); err != nil {
		return nil, err
	}
	return changed, nil
}

// onlyFor refuses attributes that belong to another application type.
func onlyFor(o *object, typ string, names ...string) {
	for _, n := range names {
		if _, ok := o.raw(n); ok {
			o.Fail(n, "applies only to "+typ+" applications.")
		}
	}
}

// checkName checks an application name: present and plain text.
func checkName(o *object, name string) bool {
	if strings.TrimSpace(name) == "" {
		o.Fail("name", "must not be empty.")
		return false
	}
	if err := valid.Text(name, valid.MaxName); err != nil {
		o.Fail("name", err.Error()+".")
		return false
	}
	return true
}

// readRoles reads a worker's role assignments. Each names one of the three
// roles over the application's own environment, or over every environment
// ("*") when the caller itself is Environment Admin over every environment:
// nobody hands out more than they hold.
func readRoles(c *fiber.Ctx, o *object, envID string) ([]store.RoleAssignment, bool) {
	subs, ok := o.Objects("roles")
	if !ok {
		return nil, false
	}
	if len(subs) > MaxRoles {
		o.Fail("roles", fmt.Sprintf("may hold at most %d roles.", MaxRoles))
		return nil, false
	}
	star := authn.From(c).HasRole("*", resource.RoleEnvironmentAdmin)
	before := len(o.Details())
	roles := []store.RoleAssignment{}
	for _, s := range subs {
		var r store.RoleAssignment
		s.Require("role", "environmentId")
		if s.String("role", &r.Role, false) && !slices.Contains(authn.ReadRoles, r.Role) {
			s.Fail("role", "must be one of "+strings.Join(authn.ReadRoles, ", ")+".")
		}
		if s.String("environmentId", &r.EnvironmentID, false) {
			r.EnvironmentID = strings.ToLower(r.EnvironmentID)
			switch {
			case r.EnvironmentID == envID:
			case r.EnvironmentID == "*" && star:
			case r.EnvironmentID == "*":
				s.Fail("environmentId", "may be \"*\" only for an administrator who is Environment Admin over every environment.")
			default:
				s.Fail("environmentId", "must be this application's environment.")
			}
		}
		s.Rest(nil)
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	if len(o.Details()) > before {
		return nil, false
	}
	return roles, true
}

// readRedirectURIs reads a single-page app's redirect URIs: 1 to
// MaxRedirectURIs absolute http(s) URLs without fragments (OAuth compares
// them exactly, RFC 6749 §3.1.2).
func readRedirectURIs(o *object) ([]string, bool) {
	var uris []string
	if !o.Strings("redirectUris", &uris) {
		return nil, false
	}
	if len(uris) == 0 || len(uris) > MaxRedirectURIs {
		o.Fail("redirectUris", fmt.Sprintf("must hold 1 to %d URLs.", MaxRedirectURIs))
		return nil, false
	}
	ok := true
	var out []string
	for i, s := range uris {
		if !redirectURIOK(s) {
			o.Fail(fmt.Sprintf("redirectUris[%d]", i), "must be an absolute http or https URL without a fragment.")
			ok = false
			continue
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, ok
}

func redirectURIOK(s string) bool {
	if len(s) > MaxRedirectURILen || strings.ContainsRune(s, '#') ||
		strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// application loads an application of the environment; any other is a 404.
func (a *API) application(ctx context.Context, envID, id string) (*store.Application, error) {
	app, err := a.d.Store.GetApplication(ctx, envID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load application: %w", err)
	}
	if app.EnvironmentID != envID {
		return nil, errNotFound
	}
	return app, nil
}

// applicationResource maps an application record; its secret hash never
// leaves the server.
func (a *API) applicationResource(app *store.Application) resource.Application {
	r := resource.Application{
		Links: resource.Links{"self": a.link(paths.Build(paths.Application, app.EnvironmentID, app.ID))},
		ID:    app.ID, Environment: resource.Ref{ID: app.EnvironmentID}, Name: app.Name, Type: app.Type,
		Protocol: ProtocolOIDC, Enabled: app.Enabled, RedirectURIs: app.RedirectURIs,
		ReducedScopes: app.ReducedScopes, MyAccount: app.MyAccount,
		CreatedAt: app.CreatedAt.UTC(), UpdatedAt: app.UpdatedAt.UTC(),
		Portal: portalResource(app.Portal), RequireConsent: app.RequireConsent,
	}
	oidcFields(&r, app)
	for _, ra := range app.Roles {
		r.Roles = append(r.Roles, resource.RoleAssignment{Role: ra.Role, EnvironmentID: ra.EnvironmentID})
	}
	return r
}

// rolesString lists role assignments for an audit event.
func rolesString(rs []store.RoleAssignment) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		parts = append(parts, r.Role+"@"+r.EnvironmentID)
	}
	return strings.Join(parts, ";")
}
