package signon

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
	"github.com/myaccount/myaccount/server/internal/phone"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// DeviceAuthTTL is how long a device authentication can be completed.
const DeviceAuthTTL = 10 * time.Minute

// A device authentication (PingOne's /{envId}/deviceAuthentications) is an
// MFA check an application runs for one of its users without a browser
// sign-on: the same flow record and the same MFA actions as a sign-on flow
// (device.select, otp.check, …), so passcodes, lockouts and "use once"
// behave the same way. Only worker applications of the environment may
// start one, and each sees only its own.

var (
	errDeviceAuthNotFound = apierr.NotFoundError("The device authentication was not found or has expired.")
	errWorkerOnly         = apierr.Forbidden("Only a worker application of this environment may run device authentications.")
)

// caller returns the worker application of the path's environment that is
// calling; user tokens and other environments' applications are refused.
func caller(c *fiber.Ctx) (envID, appID string, err error) {
	p := authn.From(c)
	envID = c.Params("envId")
	if p == nil || p.IsUser() || p.EnvID != envID {
		return "", "", errWorkerOnly
	}
	return envID, p.Subject, nil
}

// CreateDeviceAuthentication answers POST /{envId}/deviceAuthentications
// with {user:{id}, policy?:{id}, selectedDevice?:{id}|{oneTime:{type,email|phone}}}.
// The answer is 201 with the status to act on: OTP_REQUIRED (a passcode was
// sent, or the app shows it), DEVICE_SELECTION_REQUIRED, or FAILED with
// error NO_USABLE_DEVICES.
func (e *Engine) CreateDeviceAuthentication() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, appID, err := caller(c)
		if err != nil {
			return err
		}
		if err := httpx.RequireJSON(c); err != nil {
			return err
		}
		var in resource.DeviceAuthNCreate
		if err := httpx.Decode(c, &in); err != nil {
			return err
		}
		ctx := c.UserContext()
		env, err := e.env(ctx, envID)
		if err != nil {
			return err
		}
		oneTime, err := readCreate(&in, env)
		if err != nil {
			return err
		}
		policyID := policyOf(&in)
		if policyID != "" {
			if _, err := mfapolicy.For(env, policyID); err != nil {
				return apierr.Invalid("The device authentication policy was not found.",
					apierr.Field(apierr.DetailInvalidValue, "policy.id", "No device authentication policy has this id in the environment."))
			}
		}
		u, err := e.d.Users.GetUser(ctx, envID, strings.ToLower(in.User.ID))
		if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Enabled) {
			return apierr.Invalid("The user was not found or is disabled.",
				apierr.Field(apierr.DetailInvalidValue, "user.id", "No enabled user has this id in the environment."))
		}
		if err != nil {
			return fmt.Errorf("load user: %w", err)
		}
		now := e.d.Now()
		f := &store.Flow{
			EnvironmentID: envID, ID: ids.New(), Kind: store.FlowKindDeviceAuthentication, ClientID: appID,
			UserID: u.ID, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(DeviceAuthTTL),
		}
		f.PolicyID = policyID
		// The first step is decided (and any passcode sent) before the
		// record exists, so a refused request leaves nothing behind.
		if err := e.startDeviceAuth(c, f, env, u, in.SelectedDevice, oneTime); err != nil {
			return err
		}
		if err := e.d.Flows.CreateFlow(ctx, f); err != nil {
			return fmt.Errorf("create device authentication: %w", err)
		}
		e.d.Audit.Record(ctx, store.Event{
			EnvironmentID: envID, Action: audit.ActionDeviceAuthNCreated, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorApplication, ActorID: appID, UserID: u.ID, IP: c.IP(),
			UserAgent: c.Get(fiber.HeaderUserAgent), Details: map[string]string{"deviceAuthenticationId": f.ID, "status": f.Status},
		})
		out, err := e.deviceAuthView(ctx, f)
		if err != nil {
			return err
		}
		c.Location(out.Links["self"].Href)
		return c.Status(http.StatusCreated).JSON(out)
	}
}

// readCreate checks the create body beyond its JSON types, and returns
// the one-time target (E.164 for phones) when one was given.
func readCreate(in *resource.DeviceAuthNCreate, env *store.Environment) (*resource.OneTimeDevice, error) {
	var details []apierr.Detail
	fail := func(target, msg string) {
		details = append(details, apierr.Field(apierr.DetailInvalidValue, target, msg))
	}
	if valid.UUID(in.User.ID) != nil {
		fail("user.id", "user.id must be a user's id.")
	}
	if in.Policy != nil && valid.UUID(in.Policy.ID) != nil {
		fail("policy.id", "policy.id must be a device authentication policy's id.")
	}
	var oneTime *resource.OneTimeDevice
	if sel := in.SelectedDevice; sel != nil {
		switch {
		case sel.ID != "" && sel.OneTime != nil:
			fail("selectedDevice", "Give either selectedDevice.id or selectedDevice.oneTime, not both.")
		case sel.ID != "":
			if valid.UUID(sel.ID) != nil {
				fail("selectedDevice.id", "selectedDevice.id must be a device id.")
			}
		case sel.OneTime != nil:
			// An unknown policy is reported on its own; its one-time
			// target is then checked against the default.
			pol, err := mfapolicy.For(env, policyOf(in))
			if err != nil {
				pol, _ = mfapolicy.For(env, "")
			}
			ot, msgs := readOneTime(*sel.OneTime, pol)
			for _, m := range msgs {
				fail(m[0], m[1])
			}
			oneTime = &ot
		default:
			fail("selectedDevice", "selectedDevice needs an id or a oneTime target.")
		}
	}
	if len(details) > 0 {
		return nil, apierr.Invalid("The device authentication request is not valid.", details...)
	}
	return oneTime, nil
}

// readOneTime validates a one-time target: EMAIL with an address, SMS or
// VOICE with a number in E.164 (no region is guessed for an API caller).
func readOneTime(ot resource.OneTimeDevice, pol mfapolicy.Policy) (resource.OneTimeDevice, [][2]string) {
	var msgs [][2]string
	out := resource.OneTimeDevice{Type: ot.Type}
	switch ot.Type {
	case resource.DeviceEmail:
		if err := valid.Email(ot.Email); err != nil {
			msgs = append(msgs, [2]string{"selectedDevice.oneTime.email", "email " + err.Error() + "."})
		}
		if ot.Phone != "" {
			msgs = append(msgs, [2]string{"selectedDevice.oneTime.phone", "phone is only for SMS and VOICE targets."})
		}
		out.Email = ot.Email
	case resource.DeviceSMS, resource.DeviceVoice:
		e164, err := phone.Normalize(ot.Phone, "", ot.Type == resource.DeviceSMS)
		if err != nil {
			msgs = append(msgs, [2]string{"selectedDevice.oneTime.phone", "phone " + err.Error() + "."})
		}
		if ot.Email != "" {
			msgs = append(msgs, [2]string{"selectedDevice.oneTime.email", "email is only for EMAIL targets."})
		}
		out.Phone = e164
	default:
		msgs = append(msgs, [2]string{"selectedDevice.oneTime.type", "type must be EMAIL, SMS or VOICE."})
	}
	if len(msgs) == 0 && !pol.Allows(ot.Type) {
		msgs = append(msgs, [2]string{"selectedDevice.oneTime.type", ot.Type + " is not allowed by the device authentication policy."})
	}
	return out, msgs
}

// startDeviceAuth sets a new device authentication's first status; the
// caller stores it.
// Unlike sign-on it never enrolls: a user with nothing to challenge ends
// FAILED (the application decides what to do), unless the application
// named a one-time target.
func (e *Engine) startDeviceAuth(c *fiber.Ctx, f *store.Flow, env *store.Environment, u *store.User,
	sel *resource.DeviceAuthNSelect, oneTime *resource.OneTimeDevice) error {
	pol := e.policy(env, f)
	devices := e.usable(u, pol)
	switch {
	case oneTime != nil:
		f.OneTimeType, f.OneTimeTarget = oneTime.Type, oneTime.Email+oneTime.Phone
		channel, to := notify.Target(store.Device{Type: oneTime.Type, Email: oneTime.Email, Phone: oneTime.Phone})
		if err := e.sendOTP(c, f, env, channel, to); err != nil {
			return err
		}
		f.Status = resource.FlowOTPRequired
	case sel != nil:
		i := slices.IndexFunc(devices, func(d store.Device) bool { return d.ID == strings.ToLower(sel.ID) })
		if i < 0 {
			return apierr.Invalid("The selected device cannot be used.",
				apierr.Field(apierr.DetailInvalidValue, "selectedDevice.id", "The device is not one of the user's usable devices."))
		}
		if err := e.challenge(c, f, env, devices[i]); err != nil {
			return err
		}
	case len(devices) == 0:
		f.Status = resource.FlowFailed
	case pol.Prompt(len(devices)):
		f.Status = resource.FlowDeviceSelectionRequired
	default:
		if err := e.challenge(c, f, env, devices[0]); err != nil {
			return err
		}
	}
	return nil
}

// loadDeviceAuth finds the path's device authentication, for the worker
// application that created it only: any other caller sees a 404.
func (e *Engine) loadDeviceAuth(c *fiber.Ctx) (*store.Flow, error) {
	envID, appID, err := caller(c)
	if err != nil {
		return nil, err
	}
	id := c.Params("deviceAuthenticationId")
	if valid.UUID(id) != nil {
		return nil, errDeviceAuthNotFound
	}
	f, err := e.d.Flows.GetFlow(c.UserContext(), envID, strings.ToLower(id), e.d.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, errDeviceAuthNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load device authentication: %w", err)
	}
	if f.Kind != store.FlowKindDeviceAuthentication || f.ClientID != appID {
		return nil, errDeviceAuthNotFound
	}
	return f, nil
}

// GetDeviceAuthentication answers GET /{envId}/deviceAuthentications/{id}.
func (e *Engine) GetDeviceAuthentication() fiber.Handler {
	return e.getHandler(e.loadDeviceAuth, e.renderDeviceAuth)
}

// PostDeviceAuthentication answers POST /{envId}/deviceAuthentications/{id}:
// the action is named by the Content-Type, as for sign-on flows.
func (e *Engine) PostDeviceAuthentication() fiber.Handler {
	return e.postHandler(e.loadDeviceAuth, e.renderDeviceAuth)
}

func (e *Engine) renderDeviceAuth(c *fiber.Ctx, f *store.Flow) error {
	out, err := e.deviceAuthView(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// deviceAuthView is the API shape of a device authentication: the flow's
// view (devices masked) under the deviceAuthentications URL.
func (e *Engine) deviceAuthView(ctx context.Context, f *store.Flow) (resource.DeviceAuthentication, error) {
	v, err := e.View(ctx, f)
	if err != nil {
		return resource.DeviceAuthentication{}, err
	}
	self := e.d.PublicURL + paths.Build(paths.DeviceAuthNOne, f.EnvironmentID, f.ID)
	out := resource.DeviceAuthentication{
		Links: resource.Links{"self": {Href: self}},
		ID:    f.ID, Environment: resource.Ref{ID: f.EnvironmentID}, User: resource.Ref{ID: f.UserID},
		Application: resource.Ref{ID: f.ClientID}, Status: f.Status, SelectedDevice: v.SelectedDevice,
		PublicKeyCredentialRequestOptions: v.PublicKeyCredentialRequestOptions,
		CreatedAt:                         f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC(), ExpiresAt: f.ExpiresAt.UTC(),
	}
	if f.PolicyID != "" {
		out.Policy = &resource.Ref{ID: f.PolicyID}
	}
	for name := range v.Links {
		if name != "self" {
			out.Links[name] = resource.Link{Href: self}
		}
	}
	if v.Embedded != nil && len(v.Embedded.Devices) > 0 && f.OneTimeType == "" {
		out.Embedded = &resource.DeviceAuthNEmbedded{Devices: v.Embedded.Devices}
	}
	if f.OneTimeType != "" {
		ot := &resource.OneTimeDevice{Type: f.OneTimeType}
		if f.OneTimeType == resource.DeviceEmail {
			ot.Email = resource.MaskEmail(f.OneTimeTarget)
		} else {
			ot.Phone = resource.MaskPhone(f.OneTimeTarget)
		}
		out.OneTime = ot
	}
	switch f.Status {
	case resource.FlowCompleted:
		out.AMR = f.AMR
	case resource.FlowFailed:
		out.Error = &resource.DeviceAuthNError{Code: apierr.DetailNoUsableDevices,
			Message: "The user has no usable authentication method."}
	}
	return out, nil
}

func policyOf(in *resource.DeviceAuthNCreate) string {
	if in.Policy == nil {
		return ""
	}
	return strings.ToLower(in.Policy.ID)
}
