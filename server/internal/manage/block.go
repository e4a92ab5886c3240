package manage

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

var (
	errAdminsOnly   = apierr.Forbidden("Only an administrator can block or unblock a device.")
	errNotBlockable = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"A device waiting for activation cannot be blocked or unblocked: delete it instead.",
		apierr.Field(apierr.DetailInvalidAction, "status", "The device is ACTIVATION_REQUIRED."))
	errBlocked = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"This device was blocked by an administrator.",
		apierr.Field(apierr.DetailInvalidAction, "status", "The device is BLOCKED."))
)

// setBlocked answers device.block (block true) and device.unblock on POST
// …/devices/{deviceId}, for administrators only: a user cannot lift an
// administrator's block, and has no use for blocking (they delete). Block
// takes an ACTIVE device to BLOCKED (it stays listed but is never
// challenged, and is no longer the default); unblock takes it back to
// ACTIVE in its place in the order. Asking for the state the device is
// already in changes nothing and answers 200 with the device, without an
// audit event, so a retried request is harmless.
func (a *API) setBlocked(c *fiber.Ctx, w writer, deviceID string, block bool) error {
	if w.Self {
		return errAdminsOnly
	}
	if err := noAttributes(c); err != nil {
		return err
	}
	from, to, action := resource.DeviceBlocked, resource.DeviceActive, audit.ActionDeviceUnblocked
	if block {
		from, to, action = resource.DeviceActive, resource.DeviceBlocked, audit.ActionDeviceBlocked
	}
	ctx := c.UserContext()
	u, err := a.user(ctx, w.EnvID, w.UserID)
	if err != nil {
		return err
	}
	if i := deviceIndex(u, deviceID); i >= 0 && u.Devices[i].Status == to {
		return c.JSON(a.deviceResource(u, u.Devices[i]))
	}
	var out store.Device
	u, err = a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
		i := deviceIndex(u, deviceID)
		if i < 0 {
			return errNotFound
		}
		d := &u.Devices[i]
		switch d.Status {
		case from:
			d.Status, d.UpdatedAt = to, a.now()
		case to: // another request got there first: write nothing new
		default:
			return errNotBlockable
		}
		out = *d
		return nil
	})
	if err != nil {
		return err
	}
	a.record(c, w.EnvID, action, u.ID, map[string]string{"deviceId": out.ID, "type": out.Type})
	return c.JSON(a.deviceResource(u, out))
}

// userMayChange refuses a user's own change to a device an administrator
// blocked (rename, delete): blocking must not be undone by removing the
// device and pairing it again.
func userMayChange(w writer, d store.Device) error {
	if w.Self && d.Status == resource.DeviceBlocked {
		return errBlocked
	}
	return nil
}

// firstDevice reports whether a user pairing a device now is pairing their
// first one (DESIGN §5's exception to step-up): no ACTIVE device, and no
// device an administrator blocked either.
func firstDevice(ds []store.Device) bool {
	for _, d := range ds {
		if d.Status == resource.DeviceActive || d.Status == resource.DeviceBlocked {
			return false
		}
	}
	return true
}
