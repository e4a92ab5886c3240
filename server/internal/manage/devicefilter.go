package manage

import (
	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/filter"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
)

// filterDevices applies the device list's filter query parameter
// (PingOne's SCIM subset: eq, and, or and parentheses on type and status)
// to u's devices, keeping their order; u itself is not changed. No filter,
// or an empty one, keeps every device.
func filterDevices(c *fiber.Ctx, u *store.User) (*store.User, error) {
	s := c.Query("filter")
	if s == "" {
		return u, nil
	}
	x, err := filter.Parse(s, "type", "status")
	if err != nil {
		return nil, apierr.Invalid("The request has an invalid query parameter.",
			apierr.Field(apierr.DetailInvalidValue, "filter", "filter "+err.Error()+"."))
	}
	out := *u
	out.Devices = make([]store.Device, 0, len(u.Devices))
	for _, d := range u.Devices {
		if x.Match(func(attr string) string {
			if attr == "type" {
				return d.Type
			}
			return d.Status
		}) {
			out.Devices = append(out.Devices, d)
		}
	}
	return &out, nil
}
