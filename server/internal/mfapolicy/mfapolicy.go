// Package mfapolicy decides what one MFA step may do in an environment: which
// device types it may challenge, whether the user picks the device, how many
// wrong passcodes it tolerates, and the TOTP grace window. It merges the
// environment's MFA settings with one of its device authentication policies,
// so that the hosted sign-on flow and the deviceAuthentications API decide
// alike from one function (For).
//
// Environments created before policies existed have none stored; Policies
// gives them the built-in default, whose id is derived from the environment
// id so it is the same on every read and on every server until an
// administrator's first policy write stores it.
package mfapolicy

import (
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// ErrUnknownPolicy: the environment has no device authentication policy
// with the id asked for.
var ErrUnknownPolicy = errors.New("mfapolicy: unknown device authentication policy")

// Defaults of the MFA settings added with policies, used while a stored
// record has none.
const (
	DefaultLockoutFailures = 10
	DefaultLockoutDuration = 15 * time.Minute
	DefaultTOTPWindow      = 1 // steps either side of now
)

// Bounds of the settings this package reads (the management API enforces
// them on writes; reads clamp stored values into them).
const (
	MinTOTPWindow, MaxTOTPWindow   = 0, 2
	MinOTPFailures, MaxOTPFailures = 1, 7
	MinOTPCoolDown, MaxOTPCoolDown = 30, 1800 // seconds
)

// Methods lists the device types a policy can enable, in display order.
func Methods() []string {
	return []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceVoice, resource.DeviceTOTP, resource.DeviceFIDO2}
}

// Policy is the effective rule set of one MFA step.
type Policy struct {
	// ID names the device authentication policy applied.
	ID string
	// Methods are the device types the step may challenge: those the
	// policy enables and the MFA settings list, without EMAIL when the
	// settings exclude it from sign-on; in Methods() order.
	Methods []string
	// RecoveryCodes says whether recovery codes may complete the step.
	RecoveryCodes bool
	// DeviceSelection is DEFAULT_TO_FIRST, PROMPT_TO_SELECT or
	// ALWAYS_DISPLAY_DEVICES.
	DeviceSelection string
	// OTPFailure limits wrong passcodes per user (the policy's override,
	// else the MFA settings'): Max failures, then locked for Window.
	OTPFailure ratelimit.Rule
	// Lockout is the account-wide limit on failed MFA attempts of any
	// method (mfaSettings.lockout).
	Lockout ratelimit.Rule
	// TOTPWindow is the grace window in time steps either side of now.
	TOTPWindow uint
}

// For returns the effective policy of an MFA step in env under the device
// authentication policy policyID, or under the environment's default policy
// when policyID is "". An id the environment does not have is
// ErrUnknownPolicy.
func For(env *store.Environment, policyID string) (Policy, error) {
	ps := Policies(env)
	i := slices.IndexFunc(ps, func(p store.DeviceAuthPolicy) bool {
		if policyID == "" {
			return p.Default
		}
		return p.ID == policyID
	})
	if i < 0 && policyID == "" && len(ps) > 0 {
		i = 0 // a record without a default (never written so) still has one
	}
	if i < 0 {
		return Policy{}, ErrUnknownPolicy
	}
	return effective(env.MFASettings, ps[i]), nil
}

// ForSignOn is the effective policy of the hosted sign-on flow: the default
// device authentication policy, whose device selection gives way to the
// sign-on policy's when that one asks the user more often (the sign-on
// policy's deviceSelection predates device authentication policies and
// keeps working).
func ForSignOn(env *store.Environment) Policy {
	p, err := For(env, "")
	if err != nil {
		// Policies never returns an empty list, so For("") always finds one.
		p = effective(env.MFASettings, Default(env.ID, time.Time{}))
	}
	p.DeviceSelection = Stricter(p.DeviceSelection, env.SignOnPolicy.DeviceSelection)
	return p
}

func effective(s store.MFASettings, dp store.DeviceAuthPolicy) Policy {
	p := Policy{ID: dp.ID, RecoveryCodes: dp.RecoveryCodes, DeviceSelection: dp.DeviceSelection,
		OTPFailure: OTPFailureRule(s, dp), Lockout: LockoutRule(s), TOTPWindow: TOTPWindow(s)}
	if !validSelection(p.DeviceSelection) {
		p.DeviceSelection = resource.SelectDefaultToFirst
	}
	for _, m := range Methods() {
		if slices.Contains(dp.Methods, m) && slices.Contains(s.Methods, m) &&
			!(m == resource.DeviceEmail && s.ExcludeEmailFromSignOn) {
			p.Methods = append(p.Methods, m)
		}
	}
	return p
}

// Allows reports whether the step may challenge a device of type typ.
func (p Policy) Allows(typ string) bool { return slices.Contains(p.Methods, typ) }

// Challengeable reports whether the step may challenge d: ACTIVE (neither
// pending nor BLOCKED) and of an allowed type. The engine still leaves out
// types it cannot run.
func (p Policy) Challengeable(d store.Device) bool {
	return d.Status == resource.DeviceActive && p.Allows(d.Type)
}

// Prompt reports whether the user must choose among n challengeable
// devices rather than be sent to the first: never under DEFAULT_TO_FIRST,
// with more than one under PROMPT_TO_SELECT, with any under
// ALWAYS_DISPLAY_DEVICES.
func (p Policy) Prompt(n int) bool {
	switch p.DeviceSelection {
	case resource.SelectPrompt:
		return n > 1
	case resource.SelectAlwaysDisplay:
		return n > 0
	}
	return false
}

// OTPKey names a user's wrong-passcode counter (a ratelimit key).
func OTPKey(userID string) string { return "otp:" + userID }

// LockoutKey names a user's counter of failed MFA attempts of any method.
func LockoutKey(userID string) string { return "mfa-lockout:" + userID }

// Targets are the counters a failed MFA attempt of userID counts against:
// the passcode rule and the account-wide lockout. Check them before an
// attempt, count a failure on all of them, and reset them on success.
func (p Policy) Targets(userID string) []ratelimit.Target {
	return []ratelimit.Target{{Key: OTPKey(userID), Rule: p.OTPFailure}, {Key: LockoutKey(userID), Rule: p.Lockout}}
}

// Stricter returns the device selection mode that asks the user more
// often of a and b (ALWAYS_DISPLAY_DEVICES > PROMPT_TO_SELECT >
// DEFAULT_TO_FIRST); an unknown mode counts as DEFAULT_TO_FIRST.
func Stricter(a, b string) string {
	rank := func(s string) int {
		switch s {
		case resource.SelectAlwaysDisplay:
			return 2
		case resource.SelectPrompt:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	if rank(a) == 0 {
		return resource.SelectDefaultToFirst
	}
	return a
}

func validSelection(s string) bool {
	return s == resource.SelectDefaultToFirst || s == resource.SelectPrompt || s == resource.SelectAlwaysDisplay
}

// OTPFailureRule is the wrong-passcode limit under dp: its override when it
// has one, else the MFA settings' failure count and cool-down.
func OTPFailureRule(s store.MFASettings, dp store.DeviceAuthPolicy) ratelimit.Rule {
	count, cool := s.OTPFailureCount, s.OTPCoolDown
	if dp.OTPFailureCount > 0 {
		count, cool = dp.OTPFailureCount, dp.OTPCoolDown
	}
	return ratelimit.Rule{Name: "otp-user", Max: max(count, 1), Window: time.Duration(max(cool, 1)) * time.Second}
}

// LockoutRule is the account-wide MFA lockout of the MFA settings, with the
// defaults for records written before it existed.
func LockoutRule(s store.MFASettings) ratelimit.Rule {
	r := ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration}
	if s.LockoutFailureCount > 0 {
		r.Max = s.LockoutFailureCount
	}
	if s.LockoutDuration > 0 {
		r.Window = time.Duration(s.LockoutDuration) * time.Second
	}
	return r
}

// TOTPWindow is the settings' TOTP grace window in steps either side of
// now: DefaultTOTPWindow when unset, clamped to MaxTOTPWindow.
func TOTPWindow(s store.MFASettings) uint {
	if s.TOTPWindowSteps == nil {
		return DefaultTOTPWindow
	}
	return uint(min(max(*s.TOTPWindowSteps, MinTOTPWindow), MaxTOTPWindow))
}

// DefaultID is the id of an environment's built-in default policy.
func DefaultID(envID string) string {
	id, err := uuid.Parse(envID)
	if err != nil {
		id = uuid.Nil
	}
	return uuid.NewSHA1(id, []byte("deviceAuthenticationPolicy")).String()
}

// Default is the built-in default policy of an environment: every method
// enabled (the MFA settings still decide which exist), recovery codes on,
// the user's default device first, the MFA settings' passcode limit.
func Default(envID string, now time.Time) store.DeviceAuthPolicy {
	return store.DeviceAuthPolicy{ID: DefaultID(envID), Name: "Default", Default: true, Methods: Methods(),
		RecoveryCodes: true, DeviceSelection: resource.SelectDefaultToFirst, CreatedAt: now, UpdatedAt: now}
}

// Policies returns the environment's device authentication policies: the
// stored ones, or the built-in default when none is stored. The result is
// a copy the caller may change and store.
func Policies(env *store.Environment) []store.DeviceAuthPolicy {
	if len(env.DeviceAuthPolicies) == 0 {
		return []store.DeviceAuthPolicy{Default(env.ID, env.CreatedAt)}
	}
	out := make([]store.DeviceAuthPolicy, len(env.DeviceAuthPolicies))
	for i, p := range env.DeviceAuthPolicies {
		p.Methods = slices.Clone(p.Methods)
		out[i] = p
	}
	return out
}
