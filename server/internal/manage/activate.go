package manage

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// activatePending makes the user's pending device ACTIVE with
// changePending: check, the method's own proof at now, marks it ACTIVE or
// refuses (a saveThen error keeps what it counted). The activation is
// recorded, the user told, and the device answered.
func (a *API) activatePending(c *fiber.Ctx, w writer, deviceID string,
	check func(env *store.Environment, u *store.User, d *store.Device, now time.Time) error) error {
	ctx := c.UserContext()
	_, u, paired, err := a.changePending(ctx, w, deviceID, check)
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

// changePending is the guarded write every step of pairing shares
// (activation, a new passcode): the device must be the user's (404),
// pairing allowed, the session fresh enough and the device still pending;
// then change does the step's own work on it at now. It returns the
// environment, and the user and the device as written.
func (a *API) changePending(ctx context.Context, w writer, deviceID string,
	change func(env *store.Environment, u *store.User, d *store.Device, now time.Time) error) (*store.Environment, *store.User, store.Device, error) {
	env, err := a.environment(ctx, w.EnvID)
	if err != nil {
		return nil, nil, store.Device{}, err
	}
	var dev store.Device
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
		if err := change(env, u, d, a.now()); err != nil {
			return err
		}
		dev = *d
		return nil
	})
	if err != nil {
		return nil, nil, store.Device{}, err
	}
	return env, u, dev, nil
}

// noAttributes accepts an action that takes no attributes: an empty body or
// an empty JSON object, whatever the action's media type (emptyBody wants
// plain JSON); anything else is refused with its details.
func noAttributes(c *fiber.Ctx) error {
	if len(strings.TrimSpace(string(c.Body()))) == 0 {
		return nil
	}
	o, err := parseObject(c.Body())
	if err != nil {
		return err
	}
	o.Rest(nil)
	return invalid(o.Details())
}
