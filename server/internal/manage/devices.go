package manage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/otp"
	"github.com/myaccount/myaccount/server/internal/phone"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/totp"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// StepUpWindow is how recent a session's MFA must be for a user's own
// device writes (DESIGN §5).
const StepUpWindow = 10 * time.Minute

// ResendInterval is the least time between two pairing passcodes of one device.
const ResendInterval = 30 * time.Second

// MaxNickname bounds a device nickname, in runes.
const MaxNickname = valid.MaxNickname

var (
	errMFARequired = apierr.New(http.StatusForbidden, apierr.InsufficientPermission,
		"Changing your authentication methods needs a recent multi-factor authentication. Verify and try again.",
		apierr.Field(apierr.DetailMFARequired, "session", "Complete an MFA in this session first."))
	errNotPending = apierr.New(http.StatusBadRequest, apierr.RequestFailed, "The device does not need activation.",
		apierr.Field(apierr.DetailInvalidAction, "status", "The device is not ACTIVATION_REQUIRED."))
	errLastDevice = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"Your last authentication method cannot be removed while sign-on requires MFA.",
		apierr.Field(apierr.DetailInvalidValue, "deviceId", "This is the last ACTIVE device."))
)

// ListDevices answers GET /v1/environments/{envId}/users/{userId}/devices:
// the user's MFA devices in their order (the first ACTIVE one is the
// default), for the user with p1:read:device or a reader of the
// environment; ?filter= narrows it (filterDevices). Targets are shown unmasked: only the owner and
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
		if u, err = filterDevices(c, u); err != nil {
			return err
		}
		return a.deviceList(c, u)
	}
}

func (a *API) deviceList(c *fiber.Ctx, u *store.User) error {
	out := make([]resource.Device, 0, len(u.Devices))
	for _, d := range u.Devices {
		out = append(out, a.deviceResource(u, d))
	}
	return c.JSON(resource.NewList("devices", out, a.d.PublicURL+paths.Build(paths.Devices, u.EnvironmentID, u.ID), ""))
}

// GetDevice answers GET …/devices/{deviceId}, with ListDevices' access rule.
func (a *API) GetDevice() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadDevice)
		if err != nil {
			return err
		}
		deviceID, err := pathID(c, "deviceId")
		if err != nil {
			return err
		}
		u, err := a.user(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		i := deviceIndex(u, deviceID)
		if i < 0 {
			return errNotFound
		}
		out := a.deviceResource(u, u.Devices[i])
		if err := a.showPendingTOTP(c.UserContext(), &out, u, u.Devices[i]); err != nil {
			return err
		}
		a.showPendingFIDO2(&out, u.Devices[i])
		return c.JSON(out)
	}
}

func (a *API) deviceResource(u *store.User, d store.Device) resource.Device {
	out := resource.Device{
		Links:       resource.Links{"self": a.link(paths.Build(paths.Device, u.EnvironmentID, u.ID, d.ID))},
		ID:          d.ID,
		Environment: resource.Ref{ID: u.EnvironmentID},
		User:        resource.Ref{ID: u.ID},
		Type:        d.Type, Status: d.Status, Nickname: d.Nickname, Email: d.Email, Phone: d.Phone,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
	showFIDO2(&out, d)
	return out
}

func deviceIndex(u *store.User, id string) int {
	return slices.IndexFunc(u.Devices, func(d store.Device) bool { return d.ID == id })
}

// writer is who asks for a device write: an administrator by role, or the
// user on their own record (then Self is true and step-up applies).
type writer struct {
	EnvID, UserID string
	Self          bool
	P             *authn.Principal
}

// deviceWriter checks the caller may write the path user's devices: the
// user with needScope, or a user writer of the environment.
func deviceWriter(c *fiber.Ctx, needScope string) (writer, error) {
	envID, err := envParam(c)
	if err != nil {
		return writer{}, err
	}
	userID, err := pathID(c, "userId")
	if err != nil {
		return writer{}, err
	}
	if err := authn.Self(c, envID, userID, needScope, authn.UserWriters); err != nil {
		return writer{}, err
	}
	p := authn.From(c)
	return writer{EnvID: envID, UserID: userID, P: p, Self: !p.HasRole(envID, authn.UserWriters...)}, nil
}

// stepUp enforces DESIGN §5 on a user's own write, against the fresh user
// record: an MFA in this session within StepUpWindow, read from the
// server-side session. firstOK allows pairing when the user has no ACTIVE
// (nor BLOCKED) device yet, with a password-only session (otherwise nobody
// could start).
func (a *API) stepUp(w writer, u *store.User, firstOK bool) error {
	if err := a.frozen(w, u); err != nil {
		return err
	}
	if !w.Self || (firstOK && firstDevice(u.Devices)) {
		return nil
	}
	s := w.P.Session
	if s != nil && !s.MFAAt.IsZero() && a.d.Now().Sub(s.MFAAt) <= StepUpWindow {
		return nil
	}
	return errMFARequired
}

// saveThen, returned by a change, asks updateUser to write the record and
// then answer with err: a wrong passcode must be counted and still refused.
type saveThen struct{ err error }

func (s saveThen) Error() string { return s.err.Error() }

// updateUser applies change to a fresh copy of the user and writes it with
// a version guard, retrying when another writer got there first (DESIGN
// §2): the device cap, order, default and "not the last one" hold because
// each is decided on the record the guarded write replaces.
func (a *API) updateUser(ctx context.Context, envID, userID string, change func(u *store.User) error) (*store.User, error) {
	for range maxAttempts {
		u, err := a.user(ctx, envID, userID)
		if err != nil {
			return nil, err
		}
		var after error
		if err := change(u); err != nil {
			var st saveThen
			if !errors.As(err, &st) {
				return nil, err
			}
			after = st.err
		}
		u.UpdatedAt = a.now()
		err = a.d.Store.UpdateUser(ctx, u)
		if err == nil {
			return u, after
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNotFound
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("update user: %w", err)
		}
	}
	return nil, errConflict
}

// deviceLimit is the environment's cap on devices per user.
func deviceLimit(s store.MFASettings) int {
	if s.MaxAllowedDevices < 1 {
		return 5 // PingOne's default
	}
	return min(s.MaxAllowedDevices, store.MaxDevices)
}

// PostDevices answers POST …/devices: application/json creates a device,
// application/vnd.pingidentity.devices.reorder+json sets the order.
func (a *API) PostDevices() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if action := paths.ActionOf(c.Get(fiber.HeaderContentType)); action != "" {
			if !strings.EqualFold(action, "devices.reorder") {
				return apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
					"Content-Type must be application/json or "+paths.ActionDevicesReorder+".")
			}
			return a.reorder(c)
		}
		return a.create(c)
	}
}

// deviceCreate is a create body once read; Phone is in E.164 once read.
type deviceCreate struct {
	Type, Email, Phone, Nickname, Status string
	Kind                                 string // FIDO2: SECURITY_KEY or PLATFORM
}

func isPhoneType(t string) bool { return t == resource.DeviceSMS || t == resource.DeviceVoice }

func readDeviceCreate(body []byte) (deviceCreate, error) {
	var in deviceCreate
	o, err := parseObject(body)
	if err != nil {
		return in, err
	}
	o.Require("type")
	if o.String("type", &in.Type, false) && in.Type != resource.DeviceEmail && in.Type != resource.DeviceTOTP &&
		!isPhoneType(in.Type) && in.Type != resource.DeviceFIDO2 {
		o.Fail("type", "must be EMAIL, SMS, VOICE, TOTP or FIDO2.")
	}
	readFIDO2Kind(o, &in)
	if in.Type == resource.DeviceEmail {
		o.Require("email")
	}
	if o.String("email", &in.Email, false) {
		if in.Type != resource.DeviceEmail {
			o.Fail("email", "is only for EMAIL devices.")
		} else if err := valid.Email(in.Email); err != nil {
			o.Fail("email", err.Error()+".")
		}
	}
	if isPhoneType(in.Type) {
		o.Require("phone")
	}
	var region string
	o.String("region", &region, true)
	if o.String("phone", &in.Phone, false) {
		if !isPhoneType(in.Type) {
			o.Fail("phone", "is only for SMS and VOICE devices.")
		} else if e164, err := phone.Normalize(in.Phone, region, in.Type == resource.DeviceSMS); errors.Is(err, phone.ErrUnknownRegion) {
			o.Fail("region", err.Error()+".")
		} else if err != nil {
			o.Fail("phone", err.Error()+".")
		} else {
			in.Phone = e164
		}
	}
	if o.String("nickname", &in.Nickname, true) {
		if err := valid.Text(in.Nickname, MaxNickname); err != nil {
			o.Fail("nickname", err.Error()+".")
		}
	}
	if o.String("status", &in.Status, true) && in.Status != "" &&
		in.Status != resource.DeviceActive && in.Status != resource.DeviceActivationRequired {
		o.Fail("status", "must be ACTIVE or ACTIVATION_REQUIRED.")
	}
	// An authenticator app proves it holds the secret only by a code, so a
	// TOTP device is never created ACTIVE.
	if in.Type == resource.DeviceTOTP && in.Status == resource.DeviceActive {
		o.Fail("status", "A TOTP device is activated with a code from the app: ACTIVATION_REQUIRED only.")
	}
	o.Rest(nil, "id", "environment", "user", "createdAt", "updatedAt", "_links")
	return in, invalid(o.Details())
}

// create adds an EMAIL, SMS, VOICE or TOTP device. A user's own email or
// phone device always starts ACTIVATION_REQUIRED with a passcode sent to
// it; an administrator may create it ACTIVE. A TOTP device always starts ACTIVATION_REQUIRED and
// the response carries its secret, URI and QR code, shown this once (and on
// reading the device until it is activated or its pairing expires).
func (a *API) create(c *fiber.Ctx) error {
	w, err := deviceWriter(c, scope.CreateDevice)
	if err != nil {
		return err
	}
	if err := httpx.RequireJSON(c); err != nil {
		return err
	}
	in, err := readDeviceCreate(c.Body())
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	env, err := a.environment(ctx, w.EnvID)
	if err != nil {
		return err
	}
	// Email stays available for pairing even when an administrator
	// leaves it out of the methods (the "weakest method" rule).
	if !slices.Contains(mfapolicy.Pairable(env.MFASettings), in.Type) {
		return methodDisabled(in.Type)
	}
	active := !w.Self && in.Status == resource.DeviceActive
	now := a.now()
	d := store.Device{ID: ids.New(), Type: in.Type, Status: resource.DeviceActivationRequired, Nickname: in.Nickname,
		Email: in.Email, Phone: in.Phone, CreatedAt: now, UpdatedAt: now}
	var code string
	var enr totp.Enrollment
	switch {
	case active:
		d.Status = resource.DeviceActive
	case in.Type == resource.DeviceEmail || isPhoneType(in.Type):
		if code, err = a.newCode(w.EnvID, &d, env.MFASettings, now); err != nil {
			return err
		}
	}
	u, err := a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
		if err := checkPairing(w, env.MFASettings, u); err != nil {
			return err
		}
		if err := a.stepUp(w, u, true); err != nil {
			return err
		}
		// The key is made once the username is known, and kept across a
		// retry of this update.
		if d.Type == resource.DeviceTOTP && d.SecretSealed == nil {
			var err error
			if enr, err = a.newTOTP(env, u, &d, now); err != nil {
				return err
			}
		}
		if d.Type == resource.DeviceFIDO2 && d.FIDO2 == nil {
			if err := a.newFIDO2(u, &d, in.Kind, now); err != nil {
				return err
			}
		}
		// Pending devices past their passcode's lifetime are dropped here,
		// so abandoned pairings never hold a place under the cap.
		u.Devices = slices.DeleteFunc(u.Devices, func(x store.Device) bool {
			return x.Status == resource.DeviceActivationRequired && !now.Before(x.ActivationExpiresAt)
		})
		if limit := deviceLimit(env.MFASettings); len(u.Devices) >= limit {
			return apierr.New(http.StatusBadRequest, apierr.RequestFailed, "The maximum number of authentication methods is reached.",
				apierr.Field(apierr.DetailLimitExceeded, "devices", fmt.Sprintf("At most %d devices.", limit)))
		}
		u.Devices = append(u.Devices, d)
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case active:
		a.record(c, w.EnvID, audit.ActionDevicePaired, u.ID, map[string]string{"deviceId": d.ID, "type": d.Type})
		a.notifyPaired(ctx, u, d)
	default:
		a.record(c, w.EnvID, audit.ActionDeviceCreated, u.ID, map[string]string{"deviceId": d.ID, "type": d.Type})
		if code != "" {
			if err := a.sendCode(ctx, w.EnvID, notify.UserLocale(u), d, code, env.MFASettings); err != nil {
				return err
			}
		}
	}
	out := a.deviceResource(u, u.Devices[deviceIndex(u, d.ID)])
	if d.Type == resource.DeviceTOTP {
		showEnrollment(&out, enr)
	}
	a.showPendingFIDO2(&out, u.Devices[deviceIndex(u, d.ID)])
	return created(c, out.Links, out)
}

// newCode puts a fresh pairing passcode's hash and timers on d and returns
// the code, to be sent only after the record is saved. The hash is bound
// to the environment and the device.
func (a *API) newCode(envID string, d *store.Device, s store.MFASettings, now time.Time) (string, error) {
	code, err := otp.Generate(a.d.Rand, s.OTPLength)
	if err != nil {
		return "", fmt.Errorf("generate otp: %w", err)
	}
	d.ActivationHash = a.d.OTP.Hash(envID, d.ID, code)
	d.ActivationSentAt = now
	d.ActivationExpiresAt = now.Add(time.Duration(max(s.OTPLifetime, 60)) * time.Second)
	return code, nil
}

// sendCode sends a pairing passcode to d's address or number, by the
// channel of its type.
func (a *API) sendCode(ctx context.Context, envID, locale string, d store.Device, code string, s store.MFASettings) error {
	channel, to := notify.Target(d)
	subject, text := a.d.Templates.Render(ctx, envID, locale, notify.OTP(notify.TemplateDevicePairing, channel, code, (max(s.OTPLifetime, 60)+59)/60))
	if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: envID, Channel: channel,
		To: to, Subject: subject, Text: text}); err != nil {
		return fmt.Errorf("send pairing otp: %w", err)
	}
	return nil
}

// pairedMethod names d, masked, for the paired notice.
func pairedMethod(d store.Device) string {
	switch d.Type {
	case resource.DeviceSMS, resource.DeviceVoice:
		return "The phone number " + resource.MaskPhone(d.Phone)
	case resource.DeviceTOTP:
		return "An authenticator app"
	case resource.DeviceFIDO2:
		return fido2PairedMethod(d)
	}
	return "The email address " + resource.MaskEmail(d.Email)
}

// notifyPaired tells the account's own address a method was added, so an
// intruder pairing their address is noticed. A failure only logs.
func (a *API) notifyPaired(ctx context.Context, u *store.User, d store.Device) {
	if u.Email == "" {
		return
	}
	subject, text := a.d.Templates.Render(ctx, u.EnvironmentID, notify.UserLocale(u), notify.DevicePaired(pairedMethod(d), a.secureLink(ctx, u.EnvironmentID, u.ID)))
	if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: u.EnvironmentID, Channel: notify.ChannelEmail,
		To: u.Email, Subject: subject, Text: text}); err != nil {
		a.d.Logger.Warn("device paired notification not sent", "err", err)
	}
}

// notifyRemoved tells the account's own address an ACTIVE method was
// removed (a pending one never counted). A failure only logs.
func (a *API) notifyRemoved(ctx context.Context, u *store.User, d store.Device, byAdmin bool) {
	if u.Email == "" || d.Status == resource.DeviceActivationRequired {
		return
	}
	subject, text := a.d.Templates.Render(ctx, u.EnvironmentID, notify.UserLocale(u), notify.DeviceRemoved(pairedMethod(d), byAdmin, notify.SecureURL(a.d.PublicURL, u.EnvironmentID)))
	if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: u.EnvironmentID, Channel: notify.ChannelEmail,
		To: u.Email, Subject: subject, Text: text}); err != nil {
		a.d.Logger.Warn("device removed notification not sent", "err", err)
	}
}

// PostDevice answers POST …/devices/{deviceId}: device.activate with
// {otp}, device.sendActivationCode for a new passcode, or (administrators)
// device.block and device.unblock.
func (a *API) PostDevice() fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := deviceWriter(c, scope.CreateDevice)
		if err != nil {
			return err
		}
		deviceID, err := pathID(c, "deviceId")
		if err != nil {
			return err
		}
		action, err := httpx.Action(c)
		if err != nil {
			return err
		}
		switch {
		case strings.EqualFold(action, "device.activate") && hasAttestation(c.Body()):
			return a.activateFIDO2(c, w, deviceID)
		case strings.EqualFold(action, "device.activate"):
			return a.activate(c, w, deviceID)
		case strings.EqualFold(action, "device.sendActivationCode"):
			return a.resend(c, w, deviceID)
		case strings.EqualFold(action, "device.block"), strings.EqualFold(action, "device.unblock"):
			return a.setBlocked(c, w, deviceID, strings.EqualFold(action, "device.block"))
		}
		return apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
			"Content-Type must be "+paths.ActionDeviceActivate+", "+paths.ActionDeviceSendCode+", "+
				paths.ActionDeviceBlock+" or "+paths.ActionDeviceUnblock+".")
	}
}

func (a *API) activate(c *fiber.Ctx, w writer, deviceID string) error {
	o, err := parseObject(c.Body())
	if err != nil {
		return err
	}
	var code string
	o.Require("otp")
	if o.String("otp", &code, false) {
		if err := valid.OTP(code); err != nil {
			o.Fail("otp", err.Error()+".")
		}
	}
	o.Rest(nil)
	// A malformed code is refused before anything is read or counted.
	if err := invalid(o.Details()); err != nil {
		return err
	}
	return a.activatePending(c, w, deviceID, func(env *store.Environment, _ *store.User, d *store.Device, now time.Time) error {
		if d.Type == resource.DeviceFIDO2 {
			return errNeedsAttestation
		}
		if now.Before(d.ActivationLockedUntil) {
			return apierr.Limited(ratelimit.RetryAfterSeconds(d.ActivationLockedUntil.Sub(now)))
		}
		if (d.ActivationHash == "" && d.SecretSealed == nil) || !now.Before(d.ActivationExpiresAt) {
			return apierr.Invalid("The passcode has expired. Ask for a new one.",
				apierr.Field(apierr.DetailOTPExpired, "otp", "The passcode has expired."))
		}
		ok, err := a.checkActivation(w.EnvID, d, code, mfapolicy.TOTPWindow(env.MFASettings))
		if err != nil {
			return err
		}
		if !ok {
			limit := max(env.MFASettings.OTPFailureCount, 1)
			d.ActivationFailures++
			if d.ActivationFailures >= limit {
				cool := time.Duration(max(env.MFASettings.OTPCoolDown, 1)) * time.Second
				d.ActivationFailures, d.ActivationLockedUntil = 0, now.Add(cool)
				return saveThen{apierr.Limited(ratelimit.RetryAfterSeconds(cool))}
			}
			det := apierr.Field(apierr.DetailInvalidOTP, "otp", "The passcode is wrong.")
			det.InnerError = map[string]any{"attemptsRemaining": limit - d.ActivationFailures}
			return saveThen{apierr.Invalid("The passcode is wrong.", det)}
		}
		// Used once: the guarded write clears the hash (for TOTP, stores
		// the step), so a second request with the same code finds the
		// device ACTIVE, and a lost race re-reads it so.
		d.Status, d.UpdatedAt = resource.DeviceActive, now
		d.ActivationHash, d.ActivationFailures = "", 0
		d.ActivationExpiresAt, d.ActivationSentAt, d.ActivationLockedUntil = time.Time{}, time.Time{}, time.Time{}
		return nil
	})
}

func (a *API) resend(c *fiber.Ctx, w writer, deviceID string) error {
	if err := noAttributes(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	var code string
	env, owner, dev, err := a.changePending(ctx, w, deviceID, func(env *store.Environment, _ *store.User, d *store.Device, now time.Time) error {
		if d.Type == resource.DeviceTOTP {
			return errNothingToSend
		}
		if d.Type == resource.DeviceFIDO2 {
			return errNothingToSendFIDO2
		}
		if wait := d.ActivationSentAt.Add(ResendInterval).Sub(now); wait > 0 {
			return apierr.Limited(ratelimit.RetryAfterSeconds(wait))
		}
		var err error
		code, err = a.newCode(w.EnvID, d, env.MFASettings, now)
		return err
	})
	if err != nil {
		return err
	}
	if err := a.sendCode(ctx, w.EnvID, notify.UserLocale(owner), dev, code, env.MFASettings); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// PutNickname answers PUT …/devices/{deviceId}/nickname with {nickname}.
func (a *API) PutNickname() fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := deviceWriter(c, scope.UpdateDevice)
		if err != nil {
			return err
		}
		deviceID, err := pathID(c, "deviceId")
		if err != nil {
			return err
		}
		if err := httpx.RequireJSON(c); err != nil {
			return err
		}
		o, err := parseObject(c.Body())
		if err != nil {
			return err
		}
		var nick string
		o.Require("nickname")
		if o.String("nickname", &nick, false) {
			if err := valid.Text(nick, MaxNickname); err != nil {
				o.Fail("nickname", err.Error()+".")
			}
		}
		o.Rest(nil)
		if err := invalid(o.Details()); err != nil {
			return err
		}
		var out store.Device
		u, err := a.updateUser(c.UserContext(), w.EnvID, w.UserID, func(u *store.User) error {
			i := deviceIndex(u, deviceID)
			if i < 0 {
				return errNotFound
			}
			if err := a.stepUp(w, u, false); err != nil {
				return err
			}
			if err := userMayChange(w, u.Devices[i]); err != nil {
				return err
			}
			u.Devices[i].Nickname, u.Devices[i].UpdatedAt = nick, a.now()
			out = u.Devices[i]
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, w.EnvID, audit.ActionDeviceRenamed, u.ID, map[string]string{"deviceId": deviceID})
		return c.JSON(a.deviceResource(u, out))
	}
}

// reorder sets the device order from {order:[{id}…]}, naming every device
// exactly once; the first ACTIVE device becomes the default.
func (a *API) reorder(c *fiber.Ctx) error {
	w, err := deviceWriter(c, scope.UpdateDevice)
	if err != nil {
		return err
	}
	o, err := parseObject(c.Body())
	if err != nil {
		return err
	}
	var order []string
	o.Require("order")
	if subs, ok := o.Objects("order"); ok {
		for _, s := range subs {
			var id string
			s.Require("id")
			if s.String("id", &id, false) {
				order = append(order, strings.ToLower(id))
			}
			s.Rest(nil)
		}
	}
	if err := invalid(o.Details()); err != nil {
		return err
	}
	u, err := a.updateUser(c.UserContext(), w.EnvID, w.UserID, func(u *store.User) error {
		if err := a.stepUp(w, u, false); err != nil {
			return err
		}
		var details []apierr.Detail
		next := make([]store.Device, 0, len(u.Devices))
		for k, id := range order {
			i := deviceIndex(u, id)
			switch {
			case i < 0:
				details = append(details, detail(fmt.Sprintf("order[%d].id", k), "The device is not one of this user's."))
			case slices.Contains(order[:k], id):
				details = append(details, detail(fmt.Sprintf("order[%d].id", k), "The device is named more than once."))
			default:
				next = append(next, u.Devices[i])
			}
		}
		if len(details) == 0 && len(next) != len(u.Devices) {
			details = append(details, detail("order", "order must name every device of the user exactly once."))
		}
		if len(details) > 0 {
			return invalid(details)
		}
		u.Devices = next
		return nil
	})
	if err != nil {
		return err
	}
	a.record(c, w.EnvID, audit.ActionDevicesReordered, u.ID, nil)
	return a.deviceList(c, u)
}

// DeleteDevice answers DELETE …/devices/{deviceId}. The next ACTIVE device
// in the order becomes the default. A user may not remove their last
// ACTIVE device while the sign-on policy requires MFA (an administrator
// may, to reset a user who lost theirs).
func (a *API) DeleteDevice() fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := deviceWriter(c, scope.DeleteDevice)
		if err != nil {
			return err
		}
		deviceID, err := pathID(c, "deviceId")
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		env, err := a.environment(ctx, w.EnvID)
		if err != nil {
			return err
		}
		var gone store.Device
		u, err := a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
			i := deviceIndex(u, deviceID)
			if i < 0 {
				return errNotFound
			}
			if err := a.stepUp(w, u, false); err != nil {
				return err
			}
			if err := userMayChange(w, u.Devices[i]); err != nil {
				return err
			}
			gone = u.Devices[i]
			u.Devices = slices.Delete(u.Devices, i, i+1)
			if w.Self && env.SignOnPolicyFor(w.P.ClientID).MFA && gone.Status == resource.DeviceActive && !hasActiveDevice(u.Devices) {
				return errLastDevice
			}
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, w.EnvID, audit.ActionDeviceDeleted, u.ID, map[string]string{"deviceId": gone.ID, "type": gone.Type})
		a.notifyRemoved(ctx, u, gone, !w.Self)
		return c.SendStatus(http.StatusNoContent)
	}
}
