package manage

import (
	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/store"
)

// editEnvironment is the write of an environment's own settings (branding,
// the environment itself, the sign-on policy, MFA and self-service
// settings): an Environment Admin's JSON body, parsed inside the
// version-guarded update so that edit sees (and checks against) the
// environment it changes, and again on each retry. edit returns a public
// error to refuse the request; nothing is written then.
func (a *API) editEnvironment(c *fiber.Ctx, edit func(e *store.Environment, o *object) error) (envID string, env *store.Environment, err error) {
	envID, _, err = adminEdit(c, "", true)
	if err != nil {
		return "", nil, err
	}
	env, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
		o, err := parseObject(c.Body())
		if err != nil {
			return err
		}
		return edit(e, o)
	})
	return envID, env, err
}
