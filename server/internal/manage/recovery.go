package manage

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/recovery"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// Recovery codes (our extension; PingOne has none) at
// /v1/environments/{envId}/users/{userId}/recoveryCodes. The rules:
//
//   - Only the user makes a set (POST, p1:create:device), and only with an
//     MFA in this session within StepUpWindow: the codes are shown in that
//     one answer, so an administrator who could make them could sign on as
//     the user. There is no first-device exception: a user needs at least
//     one ACTIVE device before making codes, since codes stand in for a
//     device that is not at hand, not for having none (and a password-only
//     session must never mint a second factor).
//   - Reading (GET, p1:read:device, or a reader of the environment) says
//     how many codes are left and when the set was made; the codes are
//     hashes on the server and can never be shown again.
//   - Removing (DELETE) is the user with p1:delete:device and the same
//     step-up, or an administrator by role (to cut off a leaked set).
var (
	errRecoveryOwnerOnly = apierr.Forbidden(
		"Recovery codes are shown only to their owner: an administrator may remove a user's codes but not create them.")
	errRecoveryNeedsDevice = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"Add and activate an authentication method before creating recovery codes.",
		apierr.Field(apierr.DetailNoUsableDevices, "devices", "Recovery codes need at least one ACTIVE device."))
	errNoRecoveryCodes = apierr.NotFoundError("The user has no recovery codes.")
)

func (a *API) recoveryResource(u *store.User) resource.RecoveryCodes {
	out := resource.RecoveryCodes{
		Links:     resource.Links{"self": a.link(paths.Build(paths.RecoveryCodes, u.EnvironmentID, u.ID))},
		Remaining: recovery.Remaining(u),
	}
	if u.RecoveryCodes != nil {
		at := u.RecoveryCodes.CreatedAt.UTC()
		out.CreatedAt = &at
	}
	return out
}

// GetRecoveryCodes answers GET …/users/{userId}/recoveryCodes with
// {remaining, createdAt}; a user without a set has remaining 0 and no
// createdAt.
func (a *API) GetRecoveryCodes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadDevice)
		if err != nil {
			return err
		}
		_, u, err := a.envUser(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		return c.JSON(a.recoveryResource(u))
	}
}

// CreateRecoveryCodes answers POST …/users/{userId}/recoveryCodes (no body,
// or {}): a new set of ten codes replaces the old one in one guarded update
// of the user's record, and the answer (201) is the only place the codes
// ever appear. A notice goes to the account's email address.
func (a *API) CreateRecoveryCodes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := deviceWriter(c, scope.CreateDevice)
		if err != nil {
			return err
		}
		if !w.Self {
			return errRecoveryOwnerOnly
		}
		if err := emptyBody(c); err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, w.EnvID); err != nil {
			return err
		}
		if a.d.Recovery == nil {
			return errors.New("recovery codes: no hasher configured")
		}
		codes, hashes, err := a.d.Recovery.Generate(a.d.Rand, w.EnvID, w.UserID)
		if err != nil {
			return err
		}
		replaced := false
		u, err := a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
			if !hasActiveDevice(u.Devices) {
				return errRecoveryNeedsDevice
			}
			if err := a.stepUp(w, u, false); err != nil {
				return err
			}
			replaced = u.RecoveryCodes != nil
			u.RecoveryCodes = &store.RecoveryCodes{Hashes: hashes, CreatedAt: a.now()}
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, w.EnvID, audit.ActionRecoveryCodesCreated, u.ID,
			map[string]string{"count": strconv.Itoa(len(hashes)), "replaced": strconv.FormatBool(replaced)})
		a.notifyRecovery(c, u)
		out := a.recoveryResource(u)
		out.Codes = codes
		return created(c, out.Links, out)
	}
}

// DeleteRecoveryCodes answers DELETE …/users/{userId}/recoveryCodes: the
// set goes, used or not. A user without a set gets a 404.
func (a *API) DeleteRecoveryCodes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := deviceWriter(c, scope.DeleteDevice)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, w.EnvID); err != nil {
			return err
		}
		left := 0
		u, err := a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
			if err := a.stepUp(w, u, false); err != nil {
				return err
			}
			if u.RecoveryCodes == nil {
				return errNoRecoveryCodes
			}
			left = recovery.Remaining(u)
			u.RecoveryCodes = nil
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, w.EnvID, audit.ActionRecoveryCodesDeleted, u.ID, map[string]string{"remaining": strconv.Itoa(left)})
		return c.SendStatus(http.StatusNoContent)
	}
}

// emptyBody accepts no body, or an empty JSON object.
func emptyBody(c *fiber.Ctx) error {
	if len(strings.TrimSpace(string(c.Body()))) == 0 {
		return nil
	}
	if err := httpx.RequireJSON(c); err != nil {
		return err
	}
	return noAttributes(c)
}

// notifyRecovery tells the account's own address a set was made, so an
// intruder making codes is noticed. A failure only logs.
func (a *API) notifyRecovery(c *fiber.Ctx, u *store.User) {
	if u.Email == "" || a.d.Sender == nil {
		return
	}
	subject, text := a.d.Templates.Render(c.UserContext(), u.EnvironmentID, notify.UserLocale(u), notify.RecoveryCodesCreated())
	if err := a.d.Sender.Send(c.UserContext(), notify.Message{EnvironmentID: u.EnvironmentID, Channel: notify.ChannelEmail,
		To: u.Email, Subject: subject, Text: text}); err != nil {
		a.d.Logger.Warn("recovery codes notification not sent", "err", err)
	}
}
