package manage

import (
	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// ListDevices answers GET /v1/environments/{envId}/users/{userId}/devices:
// the user's MFA devices in their order (the first ACTIVE one is the
// default), for the user with p1:read:device or a reader of the
// environment. Targets are shown unmasked: only the owner and
// administrators get here (sign-on flows mask them).
func (a *API) ListDevices() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadDevice)
		if err != nil {
			return err
		}
		u, err := a.user(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		out := make([]resource.Device, 0, len(u.Devices))
		for _, d := range u.Devices {
			out = append(out, a.deviceResource(u, d))
		}
		return c.JSON(resource.NewList("devices", out, a.d.PublicURL+paths.Build(paths.Devices, envID, userID), ""))
	}
}

func (a *API) deviceResource(u *store.User, d store.Device) resource.Device {
	return resource.Device{
		Links:       resource.Links{"self": a.link(paths.Build(paths.Device, u.EnvironmentID, u.ID, d.ID))},
		ID:          d.ID,
		Environment: resource.Ref{ID: u.EnvironmentID},
		User:        resource.Ref{ID: u.ID},
		Type:        d.Type, Status: d.Status, Nickname: d.Nickname, Email: d.Email, Phone: d.Phone,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
}
