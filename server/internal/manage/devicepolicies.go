package manage

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// Bounds of the MFA settings added with device authentication policies.
const (
	MinLockoutFailures, MaxLockoutFailures = 1, 100
	MinLockoutDuration, MaxLockoutDuration = 30, 86400 // seconds
	MinTOTPWindow, MaxTOTPWindow           = mfapolicy.MinTOTPWindow, mfapolicy.MaxTOTPWindow
)

var errDefaultPolicy = errDefaultUndeletable("device authentication")

// devicePolicies is the environment's list of device authentication policies.
var devicePolicies = policyList[store.DeviceAuthPolicy, resource.DeviceAuthPolicy]{
	name: "deviceAuthenticationPolicies", path: paths.DeviceAuthPolicies, param: "policyId",
	list: mfapolicy.Policies,
	set:  func(e *store.Environment, ps []store.DeviceAuthPolicy) { e.DeviceAuthPolicies = ps },
	id:   func(p store.DeviceAuthPolicy) string { return p.ID },
	show: (*API).devicePolicyResource,
}

// readMFAExtras reads the optional mfaSettings attributes added with device
// authentication policies. Left out, an attribute keeps its stored value,
// so clients written for the first shape keep working.
func readMFAExtras(o *object, m *store.MFASettings) {
	o.Bool("promptForNicknameOnPairing", &m.PromptForNickname)
	o.Bool("excludeEmailFromSignOn", &m.ExcludeEmailFromSignOn)
	if lo, null := o.Object("lockout"); lo != nil {
		lo.Require("failureCount", "durationSeconds")
		lo.Int("failureCount", &m.LockoutFailureCount, MinLockoutFailures, MaxLockoutFailures)
		lo.Int("durationSeconds", &m.LockoutDuration, MinLockoutDuration, MaxLockoutDuration)
		lo.Rest(nil)
	} else if null {
		o.Fail("lockout", "must be an object.")
	}
	if t, null := o.Object("totp"); t != nil {
		t.Require("timeWindowSteps")
		var w int
		if t.Int("timeWindowSteps", &w, MinTOTPWindow, MaxTOTPWindow) {
			m.TOTPWindowSteps = &w
		}
		t.Rest(nil)
	} else if null {
		o.Fail("totp", "must be an object.")
	}
}

// mfaExtras shows those attributes, defaults applied.
func mfaExtras(out *resource.MFASettings, m store.MFASettings) {
	lr := mfapolicy.LockoutRule(m)
	out.PromptForNicknameOnPairing = m.PromptForNickname
	out.Lockout = resource.MFALockout{FailureCount: lr.Max, DurationSeconds: int(lr.Window / time.Second)}
	out.TOTP.TimeWindowSteps = int(mfapolicy.TOTPWindow(m))
	out.ExcludeEmailFromSignOn = m.ExcludeEmailFromSignOn
}

// ListDeviceAuthPolicies answers GET
// /v1/environments/{envId}/deviceAuthenticationPolicies (any role).
func (a *API) ListDeviceAuthPolicies() fiber.Handler {
	return func(c *fiber.Ctx) error { return devicePolicies.listAll(a, c) }
}

// GetDeviceAuthPolicy answers GET …/deviceAuthenticationPolicies/{policyId}
// (any role).
func (a *API) GetDeviceAuthPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error { return devicePolicies.getOne(a, c) }
}

// CreateDeviceAuthPolicy answers POST …/deviceAuthenticationPolicies
// (Environment Admin). At most store.MaxDeviceAuthPolicies per environment;
// one created with "default": true takes the default over.
func (a *API) CreateDeviceAuthPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := ids.New()
		envID, p, err := devicePolicies.create(a, c, func(e *store.Environment, ps []store.DeviceAuthPolicy) ([]store.DeviceAuthPolicy, store.DeviceAuthPolicy, error) {
			o, err := parseObject(c.Body())
			if err != nil {
				return nil, store.DeviceAuthPolicy{}, err
			}
			now := a.now()
			p := store.DeviceAuthPolicy{ID: id, RecoveryCodes: true, CreatedAt: now, UpdatedAt: now}
			readDevicePolicy(o, &p, ps, -1)
			if err := a.readDevicePolicyApps(c.UserContext(), o, e, &p); err != nil {
				return nil, p, err
			}
			o.Rest(nil, "id", "environment", "createdAt", "updatedAt", "_links")
			if err := invalid(o.Details()); err != nil {
				return nil, p, err
			}
			if len(ps) >= store.MaxDeviceAuthPolicies {
				return nil, p, apierr.New(http.StatusBadRequest, apierr.RequestFailed,
					"The maximum number of device authentication policies is reached.",
					apierr.Field(apierr.DetailLimitExceeded, "deviceAuthenticationPolicies",
						"At most "+strconv.Itoa(store.MaxDeviceAuthPolicies)+" policies."))
			}
			return append(takeDefault(ps, p.Default), p), p, nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyCreated, "", policyDetails(p))
		out := a.devicePolicyResource(envID, p)
		return created(c, out.Links, out)
	}
}

// PutDeviceAuthPolicy answers PUT …/deviceAuthenticationPolicies/{policyId}
// (Environment Admin): name and the five method switches are required;
// left out, authentication.deviceSelection is DEFAULT_TO_FIRST (as in
// PingOne) while default, recoveryCodes and otp keep their values. The
// default policy stays the default until another one takes it.
func (a *API) PutDeviceAuthPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, updated, err := devicePolicies.change(a, c, true, func(e *store.Environment, ps []store.DeviceAuthPolicy, i int) ([]store.DeviceAuthPolicy, store.DeviceAuthPolicy, error) {
			o, err := parseObject(c.Body())
			if err != nil {
				return nil, store.DeviceAuthPolicy{}, err
			}
			p := ps[i]
			readDevicePolicy(o, &p, ps, i)
			if err := a.readDevicePolicyApps(c.UserContext(), o, e, &p); err != nil {
				return nil, p, err
			}
			if ps[i].Default && !p.Default {
				o.Fail("default", "cannot be turned off: make another policy the default instead.")
			}
			o.Rest(a.devicePolicyResource(e.ID, ps[i]))
			if err := invalid(o.Details()); err != nil {
				return nil, p, err
			}
			p.UpdatedAt = a.now()
			ps = takeDefault(ps, p.Default)
			ps[i] = p
			return ps, p, nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyUpdated, "", policyDetails(updated))
		return c.JSON(a.devicePolicyResource(envID, updated))
	}
}

// DeleteDeviceAuthPolicy answers DELETE
// …/deviceAuthenticationPolicies/{policyId} (Environment Admin); the
// default policy is refused.
func (a *API) DeleteDeviceAuthPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, gone, err := devicePolicies.change(a, c, false, func(_ *store.Environment, ps []store.DeviceAuthPolicy, i int) ([]store.DeviceAuthPolicy, store.DeviceAuthPolicy, error) {
			gone := ps[i]
			if gone.Default {
				return nil, gone, errDefaultPolicy
			}
			return slices.Delete(ps, i, i+1), gone, nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyDeleted, "", map[string]string{
			"policy": "deviceAuthenticationPolicy", "policyId": gone.ID, "name": gone.Name})
		return c.SendStatus(http.StatusNoContent)
	}
}

// takeDefault clears the default flag of every policy in ps when a policy
// being written takes the default over.
func takeDefault(ps []store.DeviceAuthPolicy, taking bool) []store.DeviceAuthPolicy {
	if taking {
		for i := range ps {
			ps[i].Default = false
		}
	}
	return ps
}

// policySwitches names a policy's method switches as the API does.
var policySwitches = []struct{ field, typ string }{
	{"sms", resource.DeviceSMS}, {"voice", resource.DeviceVoice}, {"email", resource.DeviceEmail},
	{"totp", resource.DeviceTOTP}, {"fido2", resource.DeviceFIDO2},
}

// readDevicePolicy reads a policy body into p, whose other values stay:
// ps are the environment's policies and self p's index among them (-1 for
// a new one), for the unique name.
func readDevicePolicy(o *object, p *store.DeviceAuthPolicy, ps []store.DeviceAuthPolicy, self int) {
	o.Require("name", "sms", "voice", "email", "totp", "fido2")
	var name string
	if o.String("name", &name, false) && checkName(o, name) {
		if j := slices.IndexFunc(ps, func(q store.DeviceAuthPolicy) bool { return strings.EqualFold(q.Name, name) }); j >= 0 && j != self {
			*o.details = append(*o.details, apierr.Field(apierr.DetailUniqueness, "name", "name is taken by another policy."))
		} else {
			p.Name = name
		}
	}
	o.Bool("default", &p.Default)

	enabled, read := map[string]bool{}, 0
	for _, s := range policySwitches {
		if on, ok := readSwitch(o, s.field); ok {
			enabled[s.typ] = on
			read++
		}
	}
	if read == len(policySwitches) {
		p.Methods = []string{}
		for _, m := range mfapolicy.Methods() {
			if enabled[m] {
				p.Methods = append(p.Methods, m)
			}
		}
		if len(p.Methods) == 0 {
			// Nobody could complete MFA under it, the administrators of
			// this environment included.
			*o.details = append(*o.details, apierr.Field(apierr.DetailInvalidValue, "",
				"At least one of sms, voice, email, totp and fido2 must be enabled."))
		}
	}
	if on, ok := readSwitch(o, "recoveryCodes"); ok {
		p.RecoveryCodes = on
	}

	p.DeviceSelection = resource.SelectDefaultToFirst
	if auth, null := o.Object("authentication"); auth != nil {
		var sel string
		if auth.String("deviceSelection", &sel, false) {
			if sel == resource.SelectDefaultToFirst || sel == resource.SelectPrompt || sel == resource.SelectAlwaysDisplay {
				p.DeviceSelection = sel
			} else {
				auth.Fail("deviceSelection", "must be DEFAULT_TO_FIRST, PROMPT_TO_SELECT or ALWAYS_DISPLAY_DEVICES.")
			}
		}
		auth.Rest(nil)
	} else if null {
		o.Fail("authentication", "must be an object.")
	}

	otp, null := o.Object("otp")
	if null {
		p.OTPFailureCount, p.OTPCoolDown = 0, 0 // back to mfaSettings.otp's rule
	}
	if otp == nil {
		return
	}
	otp.Require("failure")
	if f, _ := otp.Object("failure"); f != nil {
		f.Require("count", "coolDown")
		var count, secs int
		okCount := f.Int("count", &count, mfapolicy.MinOTPFailures, mfapolicy.MaxOTPFailures)
		if cd, _ := f.Object("coolDown"); cd != nil {
			secs = readCoolDown(cd)
		}
		f.Rest(nil)
		if okCount && secs > 0 {
			p.OTPFailureCount, p.OTPCoolDown = count, secs
		}
	}
	otp.Rest(nil)
}

// readSwitch reads a {"enabled": bool} method object.
func readSwitch(o *object, field string) (on, ok bool) {
	sub, null := o.Object(field)
	if null {
		o.Fail(field, "must be an object.")
	}
	if sub == nil {
		return false, false
	}
	sub.Require("enabled")
	ok = sub.Bool("enabled", &on)
	sub.Rest(nil)
	return on, ok
}

// readCoolDown reads a {duration, timeUnit} cool-down in seconds, 0 when
// it is not valid (a detail says why).
func readCoolDown(cd *object) int {
	cd.Require("duration", "timeUnit")
	var n int
	var unit string
	okN := cd.Int("duration", &n, 0, mfapolicy.MaxOTPCoolDown)
	okU := cd.String("timeUnit", &unit, false)
	if okU && unit != resource.UnitSeconds && unit != resource.UnitMinutes {
		cd.Fail("timeUnit", "must be SECONDS or MINUTES.")
		okU = false
	}
	cd.Rest(nil)
	if !okN || !okU {
		return 0
	}
	secs := n
	if unit == resource.UnitMinutes {
		secs = n * 60
	}
	if secs < mfapolicy.MinOTPCoolDown || secs > mfapolicy.MaxOTPCoolDown {
		cd.Fail("duration", "must make a cool-down from 30 seconds to 30 minutes.")
		return 0
	}
	return secs
}

func (a *API) devicePolicyResource(envID string, p store.DeviceAuthPolicy) resource.DeviceAuthPolicy {
	on := func(typ string) resource.PolicyMethod {
		return resource.PolicyMethod{Enabled: slices.Contains(p.Methods, typ)}
	}
	sel := p.DeviceSelection
	if sel == "" {
		sel = resource.SelectDefaultToFirst
	}
	out := resource.DeviceAuthPolicy{
		Links: resource.Links{"self": a.link(paths.Build(paths.DeviceAuthPolicy, envID, p.ID))},
		ID:    p.ID, Environment: resource.Ref{ID: envID}, Name: p.Name, Default: p.Default,
		Authentication: resource.PolicyAuthentication{DeviceSelection: sel},
		SMS:            on(resource.DeviceSMS), Voice: on(resource.DeviceVoice), Email: on(resource.DeviceEmail),
		TOTP: on(resource.DeviceTOTP), FIDO2: on(resource.DeviceFIDO2),
		RecoveryCodes: resource.PolicyMethod{Enabled: p.RecoveryCodes},
		CreatedAt:     p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
	}
	for _, id := range p.Applications {
		out.Applications = append(out.Applications, resource.Ref{ID: id})
	}
	if p.OTPFailureCount > 0 {
		cd := resource.TimeAmount{Duration: p.OTPCoolDown, TimeUnit: resource.UnitSeconds}
		if p.OTPCoolDown%60 == 0 {
			cd = resource.TimeAmount{Duration: p.OTPCoolDown / 60, TimeUnit: resource.UnitMinutes}
		}
		out.OTP = &resource.PolicyOTP{Failure: resource.PolicyOTPFailure{Count: p.OTPFailureCount, CoolDown: cd}}
	}
	return out
}

func policyDetails(p store.DeviceAuthPolicy) map[string]string {
	return map[string]string{
		"policy": "deviceAuthenticationPolicy", "policyId": p.ID, "name": p.Name, "default": strconv.FormatBool(p.Default),
		"methods": strings.Join(p.Methods, ","), "recoveryCodes": strconv.FormatBool(p.RecoveryCodes),
		"deviceSelection": p.DeviceSelection, "failureCount": strconv.Itoa(p.OTPFailureCount),
		"coolDownSeconds": strconv.Itoa(p.OTPCoolDown),
	}
}

// readDevicePolicyApps reads the applications a policy applies to:
// [{"id": …}], each an application of the environment users sign on to
// (PingOne's "MFA policy added to the app"). Left out, they stay as they
// are.
func (a *API) readDevicePolicyApps(ctx context.Context, o *object, e *store.Environment, p *store.DeviceAuthPolicy) error {
	if !o.Has("applications") {
		return nil
	}
	apps, err := a.d.Store.ListApplications(ctx, e.ID)
	if err != nil {
		return fmt.Errorf("list applications: %w", err)
	}
	if ids, ok := readAppRefs(o, apps, nil, ""); ok {
		p.Applications = ids
	}
	return nil
}
