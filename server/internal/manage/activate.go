package manage

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// activatePending is the guarded write every activation shares: the
// device must be the user's (404), pairing allowed, the session fresh
// enough and the device still pending; then check, the method's own proof
// at now, marks it ACTIVE or refuses (a saveThen error keeps what it
// counted). The activation is recorded, the user told, and the device
// answered.
func (a *API) activatePending(c *fiber.Ctx, w writer, deviceID string,
	check func(env *store.Environment, u *store.User, d *store.Device, now time.Time) error) error {
	ctx := c.UserContext()
	env, err := a.environment(ctx, w.EnvID)
	if err != nil {
		return err
	}
	var paired store.Device
	u, err := a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
		i := deviceIndex(u, deviceID)
		if i < 0 {
			return errNotFound
		}
		if err := checkPairing(w, env.MFASettings, u); err != nil {
			return err
		}
		if err := a.stepUp(w, u, true); err != nil {
			return err
		}
		d := &u.Devices[i]
		if d.Status != resource.DeviceActivationRequired {
			return errNotPending
		}
		if err := check(env, u, d, a.now()); err != nil {
			return err
		}
		paired = *d
		return nil
	})
	if err != nil {
		return err
	}
	details := map[string]string{"deviceId": paired.ID, "type": paired.Type}
	if paired.Type == resource.DeviceFIDO2 && paired.FIDO2 != nil {
		details["authenticator"] = paired.FIDO2.AuthenticatorName
	}
	a.record(c, w.EnvID, audit.ActionDeviceActivated, u.ID, details)
	a.notifyPaired(ctx, u, paired)
	return c.JSON(a.deviceResource(u, paired))
}
