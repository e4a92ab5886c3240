package manage

import (
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// adminEdit starts a change to the path's environment or one of its
// resources: the caller must be Environment Admin over the environment;
// param, when not empty, is the path parameter naming the resource; with
// body the request must carry JSON. The checks run in that order.
func adminEdit(c *fiber.Ctx, param string, body bool) (envID, id string, err error) {
	if envID, err = admin(c, authn.EnvWriters); err != nil {
		return "", "", err
	}
	if param != "" {
		if id, err = pathID(c, param); err != nil {
			return "", "", err
		}
	}
	if body {
		if err := httpx.RequireJSON(c); err != nil {
			return "", "", err
		}
	}
	return envID, id, nil
}

// created answers 201 with out, located at its self link.
func created(c *fiber.Ctx, links resource.Links, out any) error {
	c.Location(links["self"].Href)
	return c.Status(http.StatusCreated).JSON(out)
}

// errDefaultUndeletable refuses deleting the environment's default policy
// of a kind.
func errDefaultUndeletable(kind string) error {
	return apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"The default "+kind+" policy cannot be deleted. Make another policy the default first.",
		apierr.Field(apierr.DetailInvalidAction, "default", "This is the environment's default policy."))
}

// policyList is a kind of policy the environment record holds as a list
// (device authentication policies, password policies), for the steps its
// handlers share: list, find one by the path's id or 404, and change the
// list in one version-guarded write of the environment.
type policyList[T, R any] struct {
	name  string                        // the list's name in _embedded
	path  string                        // the list's route
	param string                        // the path parameter naming one
	list  func(*store.Environment) []T  // the environment's policies, defaults when it has none
	set   func(*store.Environment, []T) // stores the list
	id    func(T) string                // a policy's id
	show  func(*API, string, T) R       // a policy as the API shows it, by environment id
}

func (l policyList[T, R]) index(ps []T, id string) int {
	return slices.IndexFunc(ps, func(p T) bool { return l.id(p) == id })
}

// listAll answers the environment's policies (readers of the environment).
func (l policyList[T, R]) listAll(a *API, c *fiber.Ctx) error {
	env, err := a.readEnvironment(c)
	if err != nil {
		return err
	}
	ps := l.list(env)
	out := make([]R, 0, len(ps))
	for _, p := range ps {
		out = append(out, l.show(a, env.ID, p))
	}
	return c.JSON(resource.NewList(l.name, out, a.d.PublicURL+paths.Build(l.path, env.ID), ""))
}

// getOne answers the path's policy (readers of the environment); an
// unknown id is a 404.
func (l policyList[T, R]) getOne(a *API, c *fiber.Ctx) error {
	env, err := a.readEnvironment(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, l.param)
	if err != nil {
		return err
	}
	ps := l.list(env)
	i := l.index(ps, id)
	if i < 0 {
		return errNotFound
	}
	return c.JSON(l.show(a, env.ID, ps[i]))
}

// create adds a policy for an Environment Admin: fn gets a copy of the
// list and returns the list to store and the policy it made.
func (l policyList[T, R]) create(a *API, c *fiber.Ctx, fn func(e *store.Environment, ps []T) ([]T, T, error)) (string, T, error) {
	envID, _, err := adminEdit(c, "", true)
	if err != nil {
		var zero T
		return "", zero, err
	}
	p, err := l.write(a, c, envID, fn)
	return envID, p, err
}

// change replaces or deletes the path's policy for an Environment Admin
// (with body, the request must carry JSON): an unknown id is a 404 before
// fn, which gets a copy of the list and the policy's index and returns the
// list to store and the policy it wrote or removed.
func (l policyList[T, R]) change(a *API, c *fiber.Ctx, body bool, fn func(e *store.Environment, ps []T, i int) ([]T, T, error)) (string, T, error) {
	envID, id, err := adminEdit(c, l.param, body)
	if err != nil {
		var zero T
		return "", zero, err
	}
	p, err := l.write(a, c, envID, func(e *store.Environment, ps []T) ([]T, T, error) {
		i := l.index(ps, id)
		if i < 0 {
			var zero T
			return nil, zero, errNotFound
		}
		return fn(e, ps, i)
	})
	return envID, p, err
}

// write runs fn on a copy of the list in one version-guarded update of
// the environment and stores the list it returns.
func (l policyList[T, R]) write(a *API, c *fiber.Ctx, envID string, fn func(e *store.Environment, ps []T) ([]T, T, error)) (T, error) {
	var done T
	_, err := a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
		ps, p, err := fn(e, slices.Clone(l.list(e)))
		if err != nil {
			return err
		}
		l.set(e, ps)
		done = p
		return nil
	})
	return done, err
}
