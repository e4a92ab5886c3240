// Package signon runs the hosted sign-on flow (PingOne's flow shape):
// GET /{envId}/flows/{flowId} shows where a flow stands, and POSTs with
// application/vnd.pingidentity.<action>+json move it on:
// USERNAME_PASSWORD_REQUIRED → (MFA_ENROLLMENT_REQUIRED →)
// (DEVICE_SELECTION_REQUIRED →) OTP_REQUIRED or, for a FIDO2 device,
// ASSERTION_REQUIRED → COMPLETED. Every move is one
// version-guarded update of the flow record, so a passcode is used once
// even when two server instances receive it at the same moment.
package signon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/fido"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/otp"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/recovery"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/totp"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// StatusResumed marks a completed flow whose resume URL was used: a flow
// yields one authorization code, once.
const StatusResumed = "RESUMED"

// ACRMultiFactor is the acr_values name that asks for MFA (step-up).
const ACRMultiFactor = "Multi_Factor"

// OTPResendInterval is the least time between two passcodes sent in one flow.
const OTPResendInterval = 30 * time.Second

// Deps is what the flow engine needs.
type Deps struct {
	Flows     store.Flows
	Users     store.Users
	Envs      store.Environments
	Hasher    *password.Hasher
	Limiter   *ratelimit.Limiter
	Sender    notify.Sender
	Audit     *audit.Recorder
	OTP       *otp.Hasher
	Box       *secret.Box // opens TOTP secrets; nil leaves TOTP devices out of flows
	FIDO      *fido.RP    // WebAuthn relying party; nil leaves FIDO2 devices out of flows
	PublicURL string
	Now       func() time.Time
	Rand      io.Reader
	Logger    *slog.Logger
	// Recovery checks recovery codes; nil leaves them out of flows.
	Recovery *recovery.Hasher

	// Sessions: a password changed in a flow ends the user's other sessions.
	Sessions store.Sessions

	// Apps: flows of a client that requires consent (a third-party
	// application) ask for it; nil leaves the consent step out.
	Apps store.Applications
	// SecureLinks makes the one-time "this wasn't me" link of the notice
	// of a method paired during sign-on; nil links to MyAccount's #secure.
	SecureLinks *securelink.Issuer
	// Links claims external accounts (federation.go); HTTPClient calls
	// external providers (nil: a client with a 10-second timeout).
	Links      store.ExternalIdentities
	HTTPClient *http.Client
}

// Engine serves the flow endpoints.
type Engine struct{ d Deps }

// New returns the flow engine.
func New(d Deps) *Engine { return &Engine{d: d} }

// NeedsMFA reports whether a flow for this policy and acr must pass an MFA step.
func NeedsMFA(p store.SignOnPolicy, acr string) bool {
	return p.MFA || slices.Contains(strings.Fields(acr), ACRMultiFactor)
}

// Get answers GET /{envId}/flows/{flowId}.
func (e *Engine) Get() fiber.Handler { return e.getHandler(e.load, e.render) }

// Post answers POST /{envId}/flows/{flowId}: the action is named by the
// Content-Type.
func (e *Engine) Post() fiber.Handler { return e.postHandler(e.load, e.render) }

// loader finds the flow a request names, with its surface's access rule;
// renderer answers with the flow in its surface's shape. Sign-on flows and
// device authentications differ only in these two.
type (
	loader   func(*fiber.Ctx) (*store.Flow, error)
	renderer func(*fiber.Ctx, *store.Flow) error
)

func (e *Engine) getHandler(load loader, render renderer) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, err := load(c)
		if err != nil {
			return err
		}
		return render(c, f)
	}
}

func (e *Engine) postHandler(load loader, render renderer) fiber.Handler {
	return func(c *fiber.Ctx) error {
		action, err := httpx.Action(c)
		if err != nil {
			return err
		}
		f, err := load(c)
		if err != nil {
			return err
		}
		if err := e.act(c, f, action); err != nil {
			return err
		}
		return render(c, f)
	}
}

// act runs one action on f, when its status offers it. Sign-on flows and
// device authentications share it: a device authentication never reaches
// the password or enrollment statuses, so those actions stay closed to it.
func (e *Engine) act(c *fiber.Ctx, f *store.Flow, action string) error {
	var err error
	if f.Federation != nil {
		// An external sign-on's error is shown until the next action.
		f.Federation.ErrorCode, f.Federation.ErrorMessage = "", ""
	}
	switch {
	case strings.EqualFold(action, resource.ActionPasswordCheck) && f.Status == resource.FlowPasswordRequired:
		err = e.passwordCheck(c, f)
	case strings.EqualFold(action, resource.ActionUsernamePasswordCheck) && f.Status == resource.FlowUsernamePasswordRequired:
		err = e.usernamePassword(c, f)
	case strings.EqualFold(action, resource.ActionDeviceSelect) && f.Status == resource.FlowDeviceSelectionRequired:
		err = e.deviceSelect(c, f)
	case strings.EqualFold(action, resource.ActionDeviceRegister) && f.Status == resource.FlowMFAEnrollmentRequired:
		err = e.deviceRegister(c, f)
	case strings.EqualFold(action, resource.ActionOTPCheck) && f.Status == resource.FlowOTPRequired:
		err = e.otpCheck(c, f)
	case strings.EqualFold(action, resource.ActionOTPResend) && f.Status == resource.FlowOTPRequired:
		err = e.otpResend(c, f)
	case strings.EqualFold(action, resource.ActionRecoveryCodeCheck) && slices.Contains(recoveryStatuses, f.Status):
		err = e.recoveryCodeCheck(c, f)
	case strings.EqualFold(action, resource.ActionAgreementConsent) && f.Status == resource.FlowAgreementConsentRequired:
		return e.agreementConsent(c, f)
	case strings.EqualFold(action, resource.ActionOAuthConsent) && f.Status == resource.FlowConsentRequired:
		return e.oauthConsent(c, f)
	case strings.EqualFold(action, resource.ActionAssertionCheck) && f.Status == resource.FlowAssertionRequired:
		err = e.assertionCheck(c, f)
	case strings.EqualFold(action, resource.ActionPasswordReset) && mustChange(f.Status):
		err = e.passwordReset(c, f)
	default:
		return apierr.New(http.StatusBadRequest, apierr.InvalidRequest,
			fmt.Sprintf("The action %q is not available while the flow is %s.", action, f.Status))
	}
	return err
}

// load finds the flow of the path in its environment, bound to this browser.
// Missing, expired, and another browser's flows are all the same 404.
func (e *Engine) load(c *fiber.Ctx) (*store.Flow, error) {
	envID, flowID := c.Params("envId"), c.Params("flowId")
	notFound := apierr.NotFoundError("The sign-on flow was not found or has expired.")
	if valid.UUID(flowID) != nil {
		return nil, notFound
	}
	f, err := e.d.Flows.GetFlow(c.UserContext(), envID, flowID, e.d.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load flow: %w", err)
	}
	bh := BrowserHash(c)
	if bh == "" || f.Kind != "" || !otp.Equal(bh, f.BrowserHash) || f.Status == StatusResumed {
		return nil, notFound
	}
	return f, nil
}

func (e *Engine) save(ctx context.Context, f *store.Flow) error {
	f.UpdatedAt = e.d.Now()
	err := e.d.Flows.UpdateFlow(ctx, f)
	if errors.Is(err, store.ErrConflict) {
		return apierr.ConflictError("The sign-on flow changed in another request. Reload and try again.")
	}
	if err != nil {
		return fmt.Errorf("save flow: %w", err)
	}
	return nil
}

// flowEnv loads the flow's environment with the sign-on policy of the
// flow's application in place of the default one.
func (e *Engine) flowEnv(ctx context.Context, f *store.Flow) (*store.Environment, error) {
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return nil, err
	}
	return env.ForClient(f.ClientID), nil
}

func (e *Engine) env(ctx context.Context, envID string) (*store.Environment, error) {
	env, err := e.d.Envs.GetEnvironment(ctx, envID)
	if err == nil && env.Deleted {
		// A flow started before the environment was deleted ends here.
		return nil, apierr.NotFoundError("The environment was not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("load environment: %w", err)
	}
	return env, nil
}

var errBadCredentials = apierr.Invalid("The username or password is incorrect.",
	apierr.Field(apierr.DetailInvalidCredentials, "password", "The username or password is incorrect."))

func (e *Engine) usernamePassword(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.UsernamePassword
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	var details []apierr.Detail
	if err := valid.Username(in.Username); err != nil {
		details = append(details, apierr.Field(apierr.DetailInvalidValue, "username", "username "+err.Error()+"."))
	}
	if err := valid.Password(in.Password); err != nil {
		details = append(details, apierr.Field(apierr.DetailInvalidValue, "password", "password "+err.Error()+"."))
	}
	if len(details) > 0 {
		return apierr.Invalid("The username or password is not valid.", details...)
	}
	username := strings.ToLower(in.Username)
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return err
	}
	acctKey, targets, err := e.checkPasswordLimit(c, f, env, username)
	if err != nil {
		return err
	}

	u, err := e.d.Users.GetUserByUsername(ctx, f.EnvironmentID, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("find user: %w", err)
	}
	// Unknown users cost the same hash as known ones, and get the same answer.
	var ok bool
	if u == nil {
		_, err = e.d.Hasher.VerifyDummy(ctx, in.Password)
	} else {
		ok, err = e.d.Hasher.Verify(ctx, in.Password, u.PasswordHash)
	}
	if errors.Is(err, password.ErrBusy) {
		return apierr.Limited(1)
	}
	if err != nil && !errors.Is(err, password.ErrTooLong) {
		return fmt.Errorf("verify password: %w", err)
	}
	if !ok || !u.Enabled {
		e.record(c, f, audit.ActionSignOnPassword, "FAILURE", userID(u))
		locked, retry, err := e.d.Limiter.FailAll(ctx, f.EnvironmentID, targets...)
		if err != nil {
			return fmt.Errorf("count password failure: %w", err)
		}
		if locked {
			if u != nil {
				e.record(c, f, audit.ActionAccountLocked, "SUCCESS", u.ID)
			}
			return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
		}
		return errBadCredentials
	}
	if err := e.d.Limiter.Reset(ctx, f.EnvironmentID, acctKey); err != nil {
		return fmt.Errorf("reset password limit: %w", err)
	}
	e.record(c, f, audit.ActionSignOnPassword, "SUCCESS", u.ID)

	f.UserID = u.ID
	f.PasswordAt = e.d.Now()
	f.AMR = []string{"pwd"}
	if st := changeStatus(env, u, e.d.Now()); st != "" {
		// The password must change before anything else (password.reset).
		f.Status = st
		return e.save(ctx, f)
	}
	if !NeedsMFA(env.SignOnPolicy, f.ACR) {
		if f.Status, err = e.doneStatus(ctx, f); err != nil {
			return err
		}
		return e.save(ctx, f)
	}
	return e.startMFA(c, f, env, u)
}

// StartMFA moves a flow whose user is known to its MFA step: the default
// device's passcode, a device choice, or enrollment of a first device.
// The authorize endpoint uses it for step-up flows, which skip the password.
func (e *Engine) StartMFA(c *fiber.Ctx, f *store.Flow) error {
	env, err := e.flowEnv(c.UserContext(), f)
	if err != nil {
		return err
	}
	u, err := e.d.Users.GetUser(c.UserContext(), f.EnvironmentID, f.UserID)
	if err != nil {
		return fmt.Errorf("load flow user: %w", err)
	}
	return e.startMFA(c, f, env, u)
}

func (e *Engine) startMFA(c *fiber.Ctx, f *store.Flow, env *store.Environment, u *store.User) error {
	pol := e.policy(env, f)
	devices := e.usable(u, pol)
	switch {
	case len(devices) == 0 && env.SignOnPolicy.EnrollDuringSignOn && canEnroll(u, pol):
		f.Status = resource.FlowMFAEnrollmentRequired
	case len(devices) == 0:
		f.Status = resource.FlowFailed
		if err := e.save(c.UserContext(), f); err != nil {
			return err
		}
		return apierr.New(http.StatusBadRequest, apierr.RequestFailed,
			"You have no authentication method to sign on with. Ask your administrator to add one.",
			apierr.Field(apierr.DetailNoUsableDevices, "devices", "No usable authentication method."))
	case pol.Prompt(len(devices)):
		f.Status = resource.FlowDeviceSelectionRequired
	default:
		if err := e.challenge(c, f, env, devices[0]); err != nil {
			return err
		}
	}
	return e.save(c.UserContext(), f)
}

// challenge selects d for the flow's OTP step: an email, SMS or voice
// device is sent a passcode by its channel; a TOTP device is sent nothing
// (its app shows the code). The flow is saved by the caller.
func (e *Engine) challenge(c *fiber.Ctx, f *store.Flow, env *store.Environment, d store.Device) error {
	if d.Type == resource.DeviceFIDO2 {
		return e.StartAssertion(f, d)
	}
	f.SelectedDeviceID = d.ID
	f.Status = resource.FlowOTPRequired
	if d.Type == resource.DeviceTOTP {
		// No passcode of the flow's own: a left-over one from a device
		// chosen before must not complete the flow.
		f.OTPHash, f.OTPSentAt, f.OTPExpiresAt = "", time.Time{}, time.Time{}
		return nil
	}
	channel, to := notify.Target(d)
	return e.sendOTP(c, f, env, channel, to)
}

// usable lists the devices the flow can challenge, in the user's order:
// those the effective policy allows (ACTIVE, of an allowed type) among
// email, SMS and voice devices, and TOTP devices when secrets can be opened.
func (e *Engine) usable(u *store.User, pol mfapolicy.Policy) []store.Device {
	var out []store.Device
	for _, d := range u.Devices {
		if !pol.Challengeable(d) {
			continue
		}
		switch {
		case d.Type == resource.DeviceEmail, d.Type == resource.DeviceSMS, d.Type == resource.DeviceVoice,
			d.Type == resource.DeviceTOTP && e.d.Box != nil, e.usableFIDO2(d):
			out = append(out, d)
		}
	}
	return out
}

func (e *Engine) deviceSelect(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.DeviceSelect
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return fmt.Errorf("load flow user: %w", err)
	}
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return err
	}
	devices := e.usable(u, e.policy(env, f))
	i := slices.IndexFunc(devices, func(d store.Device) bool { return d.ID == in.Device.ID })
	if i < 0 {
		return apierr.Invalid("Choose one of your authentication methods.",
			apierr.Field(apierr.DetailInvalidValue, "device.id", "The device is not one of this flow's devices."))
	}
	if err := e.challenge(c, f, env, devices[i]); err != nil {
		return err
	}
	return e.save(ctx, f)
}

func (e *Engine) deviceRegister(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.DeviceRegister
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if in.Type != resource.DeviceEmail {
		return apierr.Invalid("Only an email method can be added during sign-on.",
			apierr.Field(apierr.DetailInvalidValue, "type", "type must be EMAIL."))
	}
	if err := valid.Email(in.Email); err != nil {
		return apierr.Invalid("The email address is not valid.",
			apierr.Field(apierr.DetailInvalidValue, "email", "email "+err.Error()+"."))
	}
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return err
	}
	f.EnrollEmail = in.Email
	if err := e.sendOTP(c, f, env, notify.ChannelEmail, in.Email); err != nil {
		return err
	}
	f.Status = resource.FlowOTPRequired
	return e.save(ctx, f)
}

func (e *Engine) otpResend(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	if wait := f.OTPSentAt.Add(OTPResendInterval).Sub(e.d.Now()); wait > 0 {
		return apierr.Limited(ratelimit.RetryAfterSeconds(wait))
	}
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return err
	}
	channel, to := notify.ChannelEmail, f.EnrollEmail
	if f.OneTimeTarget != "" {
		channel, to = notify.Target(store.Device{Type: f.OneTimeType, Email: f.OneTimeTarget, Phone: f.OneTimeTarget})
	}
	if to == "" {
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return fmt.Errorf("load flow user: %w", err)
		}
		i := slices.IndexFunc(u.Devices, func(d store.Device) bool { return d.ID == f.SelectedDeviceID })
		if i < 0 {
			return apierr.NotFoundError("The selected device no longer exists.")
		}
		if u.Devices[i].Type == resource.DeviceTOTP {
			return apierr.New(http.StatusBadRequest, apierr.RequestFailed,
				"Nothing is sent to an authenticator app: enter the code it shows.",
				apierr.Field(apierr.DetailInvalidAction, "selectedDevice", "The selected device is an authenticator app."))
		}
		channel, to = notify.Target(u.Devices[i])
	}
	if err := e.sendOTP(c, f, env, channel, to); err != nil {
		return err
	}
	return e.save(ctx, f)
}

// sendOTP puts a fresh passcode on the flow (hashed) and sends it to to by
// channel. The flow is saved by the caller.
func (e *Engine) sendOTP(c *fiber.Ctx, f *store.Flow, env *store.Environment, channel, to string) error {
	s := env.MFASettings
	code, err := otp.Generate(e.d.Rand, s.OTPLength)
	if err != nil {
		return fmt.Errorf("generate otp: %w", err)
	}
	now := e.d.Now()
	f.OTPHash = e.d.OTP.Hash(f.EnvironmentID, f.ID, code)
	f.OTPSentAt = now
	f.OTPExpiresAt = now.Add(time.Duration(s.OTPLifetime) * time.Second)
	subject, text := notify.Resolve(env, e.flowLocale(c.UserContext(), f), notify.OTP(notify.TemplateStrongAuthentication, channel, code, (s.OTPLifetime+59)/60))
	err = e.d.Sender.Send(c.UserContext(), notify.Message{
		EnvironmentID: f.EnvironmentID, Channel: channel, To: to, Subject: subject, Text: text,
	})
	if err != nil {
		return fmt.Errorf("send otp: %w", err)
	}
	return nil
}

func (e *Engine) otpCheck(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.OTPCheck
	env, pol, err := e.beginMFACheck(c, f, &in)
	if err != nil {
		return err
	}
	if err := valid.OTP(in.OTP); err != nil {
		return apierr.Invalid("The passcode is not valid.",
			apierr.Field(apierr.DetailInvalidValue, "otp", "otp "+err.Error()+"."))
	}
	var good bool
	if f.EnrollEmail == "" && f.OTPHash == "" && f.SelectedDeviceID != "" {
		// No passcode was sent: the selected device is an authenticator
		// app, and its code is accepted once per user record, not per flow.
		good, err = e.checkTOTP(ctx, f, in.OTP, pol.TOTPWindow)
		if err != nil {
			return err
		}
	} else {
		if f.OTPHash == "" || !e.d.Now().Before(f.OTPExpiresAt) {
			return apierr.Invalid("The passcode has expired. Ask for a new one.",
				apierr.Field(apierr.DetailOTPExpired, "otp", "The passcode has expired."))
		}
		good = otp.Equal(e.d.OTP.Hash(f.EnvironmentID, f.ID, in.OTP), f.OTPHash)
	}
	if good {
		if err := e.stillUsable(ctx, f, pol); err != nil {
			return err
		}
	}
	if !good {
		e.record(c, f, audit.ActionSignOnMFA, "FAILURE", f.UserID)
		return e.failMFA(c, f, pol, errWrongOTP)
	}
	// Use the passcode once: the guarded save below succeeds for one request.
	f.OTPHash = ""
	f.AMR = appendOnce(f.AMR, "otp", "mfa")
	enroll := f.EnrollEmail
	f.EnrollEmail = ""
	if err := e.completeMFA(c, f, pol, apierr.Invalid("The passcode was already used.",
		apierr.Field(apierr.DetailInvalidOTP, "otp", "The passcode was already used."))); err != nil {
		return err
	}
	if enroll != "" {
		return e.pairEmail(c, f, env, enroll)
	}
	return nil
}

// checkTOTP verifies code against the flow's selected TOTP device and, when
// it is good, stores its time step on the device with a version-guarded
// update of the user's record: of several requests with one code (in any
// flows or the API), one writes the step first and the others, on re-read,
// find the step used. Only then may the flow complete.
func (e *Engine) checkTOTP(ctx context.Context, f *store.Flow, code string, skew uint) (bool, error) {
	if e.d.Box == nil {
		return false, apierr.NotFoundError("The selected device is not available.")
	}
	for range 5 {
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return false, fmt.Errorf("load flow user: %w", err)
		}
		i := slices.IndexFunc(u.Devices, func(d store.Device) bool { return d.ID == f.SelectedDeviceID })
		if i < 0 || u.Devices[i].Status != resource.DeviceActive {
			return false, apierr.NotFoundError("The selected device no longer exists.")
		}
		if u.Devices[i].Type != resource.DeviceTOTP {
			return false, apierr.Invalid("The passcode has expired. Ask for a new one.",
				apierr.Field(apierr.DetailOTPExpired, "otp", "The passcode has expired."))
		}
		d := &u.Devices[i]
		p := totp.Params{Period: d.TOTPParams.Period, Digits: d.TOTPParams.Digits, Algorithm: totp.Algorithm(d.TOTPParams.Algorithm)}
		v, err := totp.NewVerifier(totp.VerifierConfig{Now: e.d.Now, Params: p})
		if err != nil {
			return false, fmt.Errorf("totp verifier: %w", err)
		}
		step, ok, err := totp.CheckSealed(e.d.Box, v, f.EnvironmentID, d.ID, d.SecretSealed, code, d.TOTPStep, skew)
		if err != nil {
			return false, fmt.Errorf("check totp: %w", err)
		}
		if !ok {
			return false, nil
		}
		d.TOTPStep = step
		u.UpdatedAt = e.d.Now()
		err = e.d.Users.UpdateUser(ctx, u)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return false, fmt.Errorf("save totp step: %w", err)
		}
	}
	return false, apierr.ConflictError("Your account changed in another request. Try again.")
}

// pairEmail adds the email device proven in this flow to the user, as one
// guarded update of the user's record, and tells the account's address.
func (e *Engine) pairEmail(c *fiber.Ctx, f *store.Flow, env *store.Environment, email string) error {
	ctx := c.UserContext()
	for attempt := 0; attempt < 5; attempt++ {
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return fmt.Errorf("load user: %w", err)
		}
		limit := min(max(env.MFASettings.MaxAllowedDevices, 1), store.MaxDevices)
		if len(u.Devices) >= limit {
			return apierr.New(http.StatusBadRequest, apierr.RequestFailed, "You have reached the maximum number of authentication methods.",
				apierr.Field(apierr.DetailLimitExceeded, "devices", fmt.Sprintf("At most %d methods.", limit)))
		}
		now := e.d.Now()
		u.Devices = append(u.Devices, store.Device{
			ID: ids.New(), Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: email,
			CreatedAt: now, UpdatedAt: now,
		})
		u.UpdatedAt = now
		err = e.d.Users.UpdateUser(ctx, u)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("pair device: %w", err)
		}
		e.record(c, f, audit.ActionDevicePaired, "SUCCESS", u.ID)
		if u.Email != "" {
			subject, text := notify.Resolve(env, notify.UserLocale(u), notify.DevicePaired("The email address "+resource.MaskEmail(email), e.secureLink(ctx, f.EnvironmentID, u.ID)))
			if err := e.d.Sender.Send(ctx, notify.Message{EnvironmentID: f.EnvironmentID, Channel: notify.ChannelEmail,
				To: u.Email, Subject: subject, Text: text}); err != nil {
				e.d.Logger.Warn("device paired notification not sent", "err", err)
			}
		}
		return nil
	}
	return apierr.ConflictError("Your account changed in another request. Try again.")
}

func (e *Engine) record(c *fiber.Ctx, f *store.Flow, action, outcome, uid string) {
	e.d.Audit.Record(c.UserContext(), store.Event{
		EnvironmentID: f.EnvironmentID, Action: action, Outcome: outcome, ActorType: "USER", ActorID: uid,
		UserID: uid, IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent),
		Details: map[string]string{"flowId": f.ID, "clientId": f.ClientID},
	})
}

// render writes the flow as the API shows it.
func (e *Engine) render(c *fiber.Ctx, f *store.Flow) error {
	out, err := e.View(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// View is the API shape of a flow.
func (e *Engine) View(ctx context.Context, f *store.Flow) (resource.Flow, error) {
	self := e.d.PublicURL + paths.Build(paths.Flow, f.EnvironmentID, f.ID)
	out := resource.Flow{
		ID: f.ID, Status: f.Status, ExpiresAt: f.ExpiresAt.UTC(),
		Links: resource.Links{"self": {Href: self}},
	}
	for _, a := range actions(f.Status) {
		out.Links[a] = resource.Link{Href: self}
	}
	if f.Status == resource.FlowCompleted {
		out.ResumeURL = e.d.PublicURL + paths.Build(paths.Resume, f.EnvironmentID) + "?flowId=" + f.ID
		if isLink(f) {
			out.ResumeURL = e.linkResumeURL(f)
		}
	}
	if err := e.embedFederation(ctx, f, &out); err != nil {
		return out, err
	}
	if f.UserID == "" {
		return out, nil
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return out, fmt.Errorf("load flow user: %w", err)
	}
	if out.Embedded == nil {
		out.Embedded = &resource.FlowEmbedded{}
	}
	out.Embedded.User = &resource.FlowUser{ID: u.ID, Username: u.Username}
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return out, err
	}
	pol := e.policy(env, f)
	if e.recoveryOffered(f, u, pol) {
		out.Links[resource.ActionRecoveryCodeCheck] = resource.Link{Href: self}
	}
	if mustChange(f.Status) {
		if err := e.embedPolicy(ctx, f.EnvironmentID, &out); err != nil {
			return out, err
		}
	}
	if f.Status == resource.FlowAgreementConsentRequired {
		e.embedAgreement(env, u, &out)
	}
	if f.Status == resource.FlowConsentRequired {
		if err := e.embedConsent(ctx, f, &out); err != nil {
			return out, err
		}
	}
	switch f.Status {
	case resource.FlowDeviceSelectionRequired, resource.FlowOTPRequired, resource.FlowAssertionRequired:
		for _, d := range e.usable(u, pol) {
			out.Embedded.Devices = append(out.Embedded.Devices, resource.Device{
				ID: d.ID, Type: d.Type, Status: d.Status, Nickname: d.Nickname,
				Email: maskEmail(d.Email), Phone: resource.MaskPhone(d.Phone),
				Environment: resource.Ref{ID: f.EnvironmentID}, User: resource.Ref{ID: u.ID},
				CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
			})
			fidoView(&out.Embedded.Devices[len(out.Embedded.Devices)-1], d)
		}
		if f.Status == resource.FlowAssertionRequired {
			out.PublicKeyCredentialRequestOptions = f.AssertionOptions
		}
		if f.EnrollEmail != "" {
			out.Embedded.Devices = []resource.Device{{Type: resource.DeviceEmail, Status: resource.DeviceActivationRequired,
				Email: resource.MaskEmail(f.EnrollEmail), Environment: resource.Ref{ID: f.EnvironmentID}, User: resource.Ref{ID: u.ID}}}
		}
		if f.SelectedDeviceID != "" {
			out.SelectedDevice = &resource.Ref{ID: f.SelectedDeviceID}
		}
	}
	return out, nil
}

func actions(status string) []string {
	switch status {
	case resource.FlowUsernamePasswordRequired:
		return []string{resource.ActionUsernamePasswordCheck}
	case resource.FlowDeviceSelectionRequired:
		return []string{resource.ActionDeviceSelect}
	case resource.FlowMFAEnrollmentRequired:
		return []string{resource.ActionDeviceRegister}
	case resource.FlowOTPRequired:
		return []string{resource.ActionOTPCheck, resource.ActionOTPResend}
	case resource.FlowAssertionRequired:
		return []string{resource.ActionAssertionCheck}
	case resource.FlowAgreementConsentRequired:
		return []string{resource.ActionAgreementConsent}
	case resource.FlowConsentRequired:
		return []string{resource.ActionOAuthConsent}
	case resource.FlowMustChangePassword, resource.FlowPasswordExpired:
		return []string{resource.ActionPasswordReset}
	case resource.FlowPasswordRequired:
		return []string{resource.ActionPasswordCheck}
	}
	return nil
}

// maskEmail masks an address for a flow; a device without one (SMS, voice,
// TOTP) shows none rather than a lone mask.
func maskEmail(s string) string {
	if s == "" {
		return ""
	}
	return resource.MaskEmail(s)
}

func appendOnce(s []string, vals ...string) []string {
	for _, v := range vals {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}

func userID(u *store.User) string {
	if u == nil {
		return ""
	}
	return u.ID
}

// secureLink is the "this wasn't me" link of a notice to the user: a
// one-time link that secures the account without a sign-on, or
// MyAccount's #secure when none could be made.
func (e *Engine) secureLink(ctx context.Context, envID, userID string) string {
	if e.d.SecureLinks != nil {
		link, err := e.d.SecureLinks.Issue(ctx, envID, userID)
		if err == nil {
			return link
		}
		e.d.Logger.WarnContext(ctx, "one-time secure link not made; the notice links to MyAccount", "err", err)
	}
	return notify.SecureURL(e.d.PublicURL, envID)
}
