package manage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	pp "github.com/myaccount/myaccount/server/internal/passwordpolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

var errUsernameTaken = apierr.Invalid("The request has invalid data.",
	apierr.Field(apierr.DetailUniqueness, "username", "username is already taken in this environment."))

// CreateUser answers POST /v1/environments/{envId}/users (Environment Admin
// or Identity Data Admin). The password, when given, must pass the
// environment's default password policy and is stored only as its
// argon2id hash.
func (a *API) CreateUser() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.UserWriters)
		if err != nil {
			return err
		}
		if err := httpx.RequireJSON(c); err != nil {
			return err
		}
		var in resource.UserCreate
		if err := httpx.Decode(c, &in); err != nil {
			return err
		}
		ctx := c.UserContext()
		env, err := a.environment(ctx, envID)
		if err != nil {
			return err
		}
		username := strings.ToLower(in.Username)
		var details []apierr.Detail
		check := func(target string, err error) {
			if err != nil {
				details = append(details, detail(target, target+" "+err.Error()+"."))
			}
		}
		check("username", valid.Username(username))
		check("email", valid.Email(in.Email))
		if in.Name != nil {
			check("name.formatted", valid.Text(in.Name.Formatted, valid.MaxName))
			check("name.given", valid.Text(in.Name.Given, valid.MaxName))
			check("name.middle", valid.Text(in.Name.Middle, valid.MaxName))
			check("name.family", valid.Text(in.Name.Family, valid.MaxName))
		}
		if in.Password != nil {
			check("password.value", valid.Password(in.Password.Value))
		}
		if err := invalid(details); err != nil {
			return err
		}
		now := a.now()
		u := &store.User{EnvironmentID: envID, ID: ids.New(), Username: username, Email: in.Email,
			Enabled: true, CreatedAt: now, UpdatedAt: now}
		if in.Name != nil {
			u.FormattedName, u.GivenName, u.MiddleName, u.FamilyName = in.Name.Formatted, in.Name.Given, in.Name.Middle, in.Name.Family
		}
		// An administrator's password answers to the same policy as the
		// user's own (no handing out "password1"), before the costly hash.
		if in.Password != nil {
			if d := pp.Check(pp.Default(env), in.Password.Value, pp.Context{Target: "password.value",
				Username: username, Profile: pp.ProfileOf(u), Now: now}); len(d) > 0 {
				return invalid(d)
			}
		}
		// A taken username is refused before the costly hash; the unique
		// index still decides between two creates racing.
		if _, err := a.d.Store.GetUserByUsername(ctx, envID, username); err == nil {
			return errUsernameTaken
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("find user by username: %w", err)
		}
		if in.Enabled != nil {
			u.Enabled = *in.Enabled
		}
		if in.Password != nil {
			hash, err := a.d.Hasher.Hash(ctx, in.Password.Value)
			if err != nil {
				return hashError(err)
			}
			u.PasswordHash, u.PasswordChangedAt, u.MustChangePassword = hash, now, in.Password.ForceChange
		}
		if err := a.d.Store.CreateUser(ctx, u); errors.Is(err, store.ErrDuplicate) {
			return errUsernameTaken
		} else if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		a.record(c, envID, audit.ActionUserCreated, u.ID, map[string]string{"username": u.Username})
		if u.PasswordHash != "" {
			a.record(c, envID, audit.ActionPasswordChanged, u.ID, map[string]string{"reason": "created"})
		}
		out := a.userResource(u)
		c.Location(out.Links["self"].Href)
		return c.Status(http.StatusCreated).JSON(out)
	}
}

// GetUser answers GET /v1/environments/{envId}/users/{userId}: the user
// with p1:read:user (without the attributes the environment hides from
// them), or a reader of the environment. The ETag is the record's version,
// for If-Match on PUT and PATCH.
func (a *API) GetUser() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadUser)
		if err != nil {
			return err
		}
		v, err := a.viewOf(c, envID)
		if err != nil {
			return err
		}
		u, err := a.user(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		return a.sendUser(c, http.StatusOK, u, v)
	}
}

// ListUsers answers GET /v1/environments/{envId}/users, in creation order,
// a page of `limit` at a time; `_links.next` carries the cursor of the next
// page while there is one. With `filter=username sw "<prefix>"` it lists
// the users whose username starts with the prefix, in username order.
func (a *API) ListUsers() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.ReadRoles)
		if err != nil {
			return err
		}
		n, err := limit(c, DefaultLimit)
		if err != nil {
			return err
		}
		cursor, f := c.Query("cursor"), c.Query("filter")
		// Unfiltered, the list pages by id; filtered, by username.
		list, decode, encode := a.d.Store.ListUsers, decodeCursor, func(u *store.User) string { return encodeCursor(u.ID) }
		if f != "" {
			prefix, err := parseUserFilter(f)
			if err != nil {
				return err
			}
			list = func(ctx context.Context, envID string, p store.Page) ([]store.User, error) {
				return a.d.Store.ListUsersByUsername(ctx, envID, prefix, p)
			}
			decode, encode = decodeUsernameCursor, func(u *store.User) string { return encodeUsernameCursor(u.Username) }
		}
		after, err := decode(cursor)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		// One more than asked says whether a next page exists.
		users, err := list(ctx, envID, store.Page{After: after, Limit: n + 1})
		if err != nil {
			return fmt.Errorf("list users: %w", err)
		}
		base := a.d.PublicURL + paths.Build(paths.Users, envID)
		next := ""
		if len(users) > n {
			users = users[:n]
			next = base + listQuery(n, encode(&users[n-1]), f)
		}
		out := make([]resource.User, 0, len(users))
		for i := range users {
			out = append(out, a.userResource(&users[i]))
		}
		return c.JSON(resource.NewList("users", out, base+listQuery(n, cursor, f), next))
	}
}

// PatchUser answers PATCH /v1/environments/{envId}/users/{userId}: a JSON
// merge patch of the user's attributes (profile.go has the rules), by a
// user writer of the environment or the user with p1:update:user.
func (a *API) PatchUser() fiber.Handler {
	return func(c *fiber.Ctx) error { return a.writeUser(c, false) }
}

// PutUser answers PUT /v1/environments/{envId}/users/{userId}: PatchUser,
// but the body replaces every attribute the caller may write (an absent
// one is cleared).
func (a *API) PutUser() fiber.Handler {
	return func(c *fiber.Ctx) error { return a.writeUser(c, true) }
}

// selfParams reads the environment and user ids of a user's own resource
// and checks the caller may read it: the user with needScope, or a reader
// of the environment.
func selfParams(c *fiber.Ctx, needScope string) (envID, userID string, err error) {
	if envID, err = envParam(c); err != nil {
		return "", "", err
	}
	if userID, err = pathID(c, "userId"); err != nil {
		return "", "", err
	}
	if err := authn.Self(c, envID, userID, needScope, authn.ReadRoles); err != nil {
		return "", "", err
	}
	return envID, userID, nil
}

// user loads a user of the environment; any other is a 404.
func (a *API) user(ctx context.Context, envID, id string) (*store.User, error) {
	u, err := a.d.Store.GetUser(ctx, envID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	if u.EnvironmentID != envID {
		return nil, errNotFound
	}
	return u, nil
}

// userResource is the one mapping of a user record to the API's User.
func (a *API) userResource(u *store.User) resource.User {
	r := resource.User{
		Links: resource.Links{
			"self":    a.link(paths.Build(paths.User, u.EnvironmentID, u.ID)),
			"devices": a.link(paths.Build(paths.Devices, u.EnvironmentID, u.ID)),
		},
		ID: u.ID, Environment: resource.Ref{ID: u.EnvironmentID}, Username: u.Username,
		Email: u.Email, EmailVerified: u.EmailVerified, Enabled: u.Enabled,
		// There is no per-user MFA switch yet: MFA is on for a user once
		// they have a device that can answer it.
		MFAEnabled: hasActiveDevice(u.Devices),
		// Lockouts are counters that expire on their own; the record itself
		// is never locked.
		Account:   resource.Account{Status: resource.AccountOK},
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC(),
	}
	if u.FormattedName != "" || u.GivenName != "" || u.MiddleName != "" || u.FamilyName != "" ||
		u.Profile.HonorificPrefix != "" || u.Profile.HonorificSuffix != "" {
		r.Name = &resource.Name{Formatted: u.FormattedName, Given: u.GivenName, Middle: u.MiddleName, Family: u.FamilyName,
			HonorificPrefix: u.Profile.HonorificPrefix, HonorificSuffix: u.Profile.HonorificSuffix}
	}
	profileResource(&r, u)
	return r
}

func hasActiveDevice(ds []store.Device) bool {
	for _, d := range ds {
		if d.Status == resource.DeviceActive {
			return true
		}
	}
	return false
}
