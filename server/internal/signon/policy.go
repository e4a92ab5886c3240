package signon

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// canEnroll reports whether a user with no challengeable device may pair
// one during sign-on. Enrollment pairs an email device and lets its
// passcode complete this sign-on's MFA, so the policy must allow EMAIL
// (not under excludeEmailFromSignOn); and the user must have no ACTIVE or
// BLOCKED device: one whose devices are all excluded, or blocked by an
// administrator, is not a newcomer and gets NO_USABLE_DEVICES instead.
func canEnroll(u *store.User, pol mfapolicy.Policy) bool {
	if !pol.Allows(resource.DeviceEmail) {
		return false
	}
	return !slices.ContainsFunc(u.Devices, func(d store.Device) bool {
		return d.Status == resource.DeviceActive || d.Status == resource.DeviceBlocked
	})
}

// checkMFALimit refuses an MFA attempt while either of the user's failure
// counters is locked: the policy's passcode rule or the account lockout.
func (e *Engine) checkMFALimit(ctx context.Context, f *store.Flow, pol mfapolicy.Policy) error {
	ok, retry, err := e.d.Limiter.CheckAll(ctx, f.EnvironmentID, pol.Targets(f.UserID)...)
	if err != nil {
		return fmt.Errorf("check mfa limit: %w", err)
	}
	if !ok {
		return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
	}
	return nil
}

// failMFA counts a failed MFA attempt on both counters and returns the
// answer: 429 when either locks (the account lockout also leaves an
// ACCOUNT_LOCKED event), else wrong(left): the method's own error with the
// attempts left before the first lock.
func (e *Engine) failMFA(c *fiber.Ctx, f *store.Flow, pol mfapolicy.Policy, wrong func(left int) error) error {
	ctx := c.UserContext()
	left := -1
	var locked bool
	var retry time.Duration
	for _, t := range pol.Targets(f.UserID) {
		lk, wait, err := e.d.Limiter.Fail(ctx, f.EnvironmentID, t.Key, t.Rule)
		if err != nil {
			return fmt.Errorf("count mfa failure: %w", err)
		}
		if lk {
			if !locked || wait > retry {
				retry = wait
			}
			locked = true
			if t.Key == mfapolicy.LockoutKey(f.UserID) {
				e.record(c, f, audit.ActionAccountLocked, "SUCCESS", f.UserID)
			}
			continue
		}
		n, _, err := e.d.Limiter.Count(ctx, f.EnvironmentID, t.Key)
		if err != nil {
			return fmt.Errorf("count mfa failures: %w", err)
		}
		if l := max(t.Rule.Max-int(n), 0); left < 0 || l < left {
			left = l
		}
	}
	if locked {
		return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
	}
	return wrong(max(left, 0))
}

// errWrongOTP is a wrong passcode's answer.
func errWrongOTP(left int) error {
	d := apierr.Field(apierr.DetailInvalidOTP, "otp", "The passcode is wrong.")
	d.InnerError = map[string]any{"attemptsRemaining": left}
	return apierr.Invalid("The passcode is wrong.", d)
}

// resetMFA forgets the user's failures after a completed MFA step.
func (e *Engine) resetMFA(ctx context.Context, f *store.Flow, pol mfapolicy.Policy) error {
	for _, t := range pol.Targets(f.UserID) {
		if err := e.d.Limiter.Reset(ctx, f.EnvironmentID, t.Key); err != nil {
			return fmt.Errorf("reset mfa limit: %w", err)
		}
	}
	return nil
}

// stillUsable checks, before a right passcode completes the flow, that the
// device it was sent to may still be challenged: an administrator may have
// blocked it, or the policy changed, since the passcode went out. An
// enrollment passcode has no device yet.
func (e *Engine) stillUsable(ctx context.Context, f *store.Flow, pol mfapolicy.Policy) error {
	if f.EnrollEmail != "" || f.SelectedDeviceID == "" {
		return nil
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return fmt.Errorf("load flow user: %w", err)
	}
	i := slices.IndexFunc(u.Devices, func(d store.Device) bool { return d.ID == f.SelectedDeviceID })
	if i < 0 || !pol.Challengeable(u.Devices[i]) {
		return apierr.NotFoundError("The selected device is not available.")
	}
	return nil
}

// policy is the effective device authentication policy of f: the one a
// device authentication named (or the default), and for a sign-on flow the
// default one with the sign-on policy's device selection. A policy deleted
// since the device authentication started falls back to the default.
func (e *Engine) policy(env *store.Environment, f *store.Flow) mfapolicy.Policy {
	if f.Kind == store.FlowKindDeviceAuthentication {
		if p, err := mfapolicy.For(env, f.PolicyID); err == nil {
			return p
		}
		p, _ := mfapolicy.For(env, "")
		return p
	}
	return mfapolicy.ForSignOn(env)
}
