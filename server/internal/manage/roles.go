package manage

import (
	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// ListRoleAssignments answers GET …/users/{userId}/roleAssignments: the
// roles the user holds (PingOne's role assignments, in our flat shape).
// The admin console reads its administrator's own to hide the controls a
// role could not use; the server checks every call again regardless.
func (a *API) ListRoleAssignments() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadUser)
		if err != nil {
			return err
		}
		u, err := a.user(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		out := make([]resource.RoleAssignment, 0, len(u.Roles))
		for _, r := range u.Roles {
			out = append(out, resource.RoleAssignment{Role: r.Role, EnvironmentID: r.EnvironmentID})
		}
		return c.JSON(resource.NewList("roleAssignments", out, a.d.PublicURL+paths.Build(paths.UserRoleAssignments, envID, userID), ""))
	}
}
