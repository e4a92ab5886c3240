package manage

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// The application portal (/{envId}/myapps/) shows the applications of an
// environment whose portal.show is true to every enabled user of that
// environment: there are no groups yet to assign an application to, so
// visibility is all or nothing per application.

// readPortal reads an application's `portal` object on top of cur (nil on
// create), with merge-patch semantics: absent fields keep their value, a
// null name or iconUrl removes it, and `portal: null` removes the whole
// tile. changed says whether the result differs from cur.
func readPortal(o *object, cur *store.AppPortal) (out *store.AppPortal, changed bool) {
	sub, null := o.Object("portal")
	if null {
		return nil, cur != nil
	}
	if sub == nil {
		return cur, false
	}
	before := len(o.Details())
	p := store.AppPortal{}
	if cur != nil {
		p = *cur
	}
	sub.Bool("show", &p.Show)
	if sub.String("name", &p.Name, true) && p.Name != "" {
		if err := valid.Text(p.Name, valid.MaxName); err != nil {
			sub.Fail("name", err.Error()+".")
		}
	}
	if sub.String("iconUrl", &p.IconURL, true) && p.IconURL != "" {
		portalURLCheck(sub, "iconUrl", valid.PortalIconURL(p.IconURL),
			fmt.Sprintf("must be an https URL or a base64 data:image/png or data:image/svg+xml URL of at most %d bytes.", valid.MaxIconDataURL))
	}
	if sub.String("startUrl", &p.StartURL, true) && p.StartURL != "" {
		portalURLCheck(sub, "startUrl", valid.PortalStartURL(p.StartURL),
			"must be an absolute https URL (or http on localhost) without user info.")
	}
	if p.Show && p.StartURL == "" {
		*o.details = append(*o.details, apierr.Field(apierr.DetailRequired, "portal.startUrl",
			"portal.startUrl is required while portal.show is true."))
	}
	sub.Rest(nil)
	if len(o.Details()) > before {
		return cur, false
	}
	return &p, cur == nil || *cur != p
}

// portalURLCheck turns a valid.Portal*URL error into a detail: too long is
// SIZE_LIMIT_EXCEEDED, anything else INVALID_VALUE with msg.
func portalURLCheck(o *object, name string, err error, msg string) {
	switch {
	case err == nil:
	case errors.Is(err, valid.ErrTooLong):
		t := o.target(name)
		*o.details = append(*o.details, apierr.Field(apierr.DetailSizeLimit, t, t+" is too long: "+msg))
	default:
		o.Fail(name, msg)
	}
}

// portalResource maps the stored portal settings.
func portalResource(p *store.AppPortal) *resource.AppPortal {
	if p == nil {
		return nil
	}
	return &resource.AppPortal{Show: p.Show, Name: p.Name, IconURL: p.IconURL, StartURL: p.StartURL}
}

// ListUserApplications answers GET
// /v1/environments/{envId}/users/{userId}/applications: the tiles of the
// user's application portal, that is the environment's enabled
// applications with portal.show, by name. It needs p1:read:user on one's
// own id (or an administrator's read role); a disabled user has none. Only
// id, name, icon and start URL leave the server.
func (a *API) ListUserApplications() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadUser)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		u, err := a.user(ctx, envID, userID)
		if err != nil {
			return err
		}
		out := []resource.PortalApplication{}
		if u.Enabled {
			apps, err := a.d.Store.ListApplications(ctx, envID)
			if err != nil {
				return fmt.Errorf("list applications: %w", err)
			}
			for _, app := range apps {
				p := app.Portal
				if !app.Enabled || p == nil || !p.Show || p.StartURL == "" {
					continue
				}
				name := cmp.Or(p.Name, app.Name)
				out = append(out, resource.PortalApplication{ID: app.ID, Name: name, IconURL: p.IconURL, StartURL: p.StartURL})
			}
		}
		slices.SortFunc(out, func(x, y resource.PortalApplication) int {
			return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), strings.Compare(x.ID, y.ID))
		})
		return c.JSON(resource.NewList("applications", out, a.d.PublicURL+paths.Build(paths.UserApplications, envID, userID), ""))
	}
}
