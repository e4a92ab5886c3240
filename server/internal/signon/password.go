package signon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/password"
	pp "github.com/myaccount/myaccount/server/internal/passwordpolicy"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// A password that must change stops the flow right after the good
// password, before MFA: MUST_CHANGE_PASSWORD (an administrator's
// forceChange) or PASSWORD_EXPIRED (older than the policy's maxAgeDays),
// PingOne's statuses, both answered by password.reset {currentPassword,
// newPassword}. The current password is asked again so that the action is
// no weaker than the sign-on it continues, and it counts on the same
// lockout.

// lockoutRule is the account lockout of the environment's password policy.
func lockoutRule(env *store.Environment) ratelimit.Rule {
	return pp.LockoutRule(pp.Default(env))
}

// changeStatus is the flow status a good password leads to when that
// password must change first, or "".
func changeStatus(env *store.Environment, u *store.User, now time.Time) string {
	switch pp.Status(pp.Default(env), u, now) {
	case resource.PasswordMustChange:
		return resource.FlowMustChangePassword
	case resource.PasswordExpired:
		return resource.FlowPasswordExpired
	}
	return ""
}

// mustChange reports whether a flow status waits for password.reset.
func mustChange(status string) bool {
	return status == resource.FlowMustChangePassword || status == resource.FlowPasswordExpired
}

// embedPolicy shows the policy the new password must meet.
func (e *Engine) embedPolicy(ctx context.Context, envID string, out *resource.Flow) error {
	env, err := e.env(ctx, envID)
	if err != nil {
		return err
	}
	p := pp.Resource(env.ID, pp.Default(env))
	out.Embedded.PasswordPolicy = &p
	return nil
}

var errWrongCurrentPassword = apierr.Invalid("The current password is incorrect.",
	apierr.Field(apierr.DetailInvalidCredentials, "currentPassword", "The current password is incorrect."))

// passwordReset changes the flow user's password and moves the flow on to
// its MFA step, or completes it.
func (e *Engine) passwordReset(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.PasswordReset
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	var details []apierr.Detail
	for _, fld := range []struct{ name, v string }{{"currentPassword", in.CurrentPassword}, {"newPassword", in.NewPassword}} {
		if fld.v == "" {
			details = append(details, apierr.Field(apierr.DetailRequired, fld.name, fld.name+" is required."))
		}
	}
	if len(details) > 0 {
		return apierr.Invalid("The request has invalid data.", details...)
	}
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return err
	}
	pol := pp.Default(env)
	if pp.TooLong(pol, in.NewPassword) {
		return apierr.Invalid("The request has invalid data.", pp.Check(pol, in.NewPassword, pp.Context{})...)
	}
	if valid.Password(in.CurrentPassword) != nil {
		return apierr.Invalid("The current password is not valid.",
			apierr.Field(apierr.DetailInvalidValue, "currentPassword", "currentPassword is too long or not valid UTF-8."))
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return fmt.Errorf("load flow user: %w", err)
	}
	if err := e.checkCurrent(c, f, pol, u, in.CurrentPassword); err != nil {
		return err
	}
	now := e.d.Now()
	if d := pp.Check(pol, in.NewPassword, pp.Context{Username: u.Username,
		Profile: pp.ProfileOf(u),
		Current: in.CurrentPassword, Now: now}); len(d) > 0 {
		return apierr.Invalid("The new password does not meet the password policy.", d...)
	}
	if d, err := pp.CheckHistory(ctx, e.d.Hasher, pol, in.NewPassword, u, false, "newPassword", now); err != nil {
		return hashErr(err)
	} else if len(d) > 0 {
		return apierr.Invalid("The new password does not meet the password policy.", d...)
	}
	hash, err := e.d.Hasher.Hash(ctx, in.NewPassword)
	if err != nil {
		return hashErr(err)
	}
	if u, err = e.storePassword(ctx, f, pol, u.PasswordHash, hash, now); err != nil {
		return err
	}
	n, err := e.endSessions(ctx, f.EnvironmentID, u.ID, f.SessionID)
	if err != nil {
		return err
	}
	e.d.Audit.Record(ctx, store.Event{EnvironmentID: f.EnvironmentID, Action: audit.ActionPasswordChanged,
		Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser, ActorID: u.ID, UserID: u.ID, IP: c.IP(),
		UserAgent: c.Get(fiber.HeaderUserAgent),
		Details:   map[string]string{"reason": "sign-on " + f.Status, "flowId": f.ID, "sessionsEnded": fmt.Sprint(n)}})
	if u.Email != "" {
		subject, text := notify.Resolve(env, notify.UserLocale(u), notify.PasswordChanged(false, notify.SecureURL(e.d.PublicURL, f.EnvironmentID)))
		if err := e.d.Sender.Send(ctx, notify.Message{EnvironmentID: f.EnvironmentID, Channel: notify.ChannelEmail,
			To: u.Email, Subject: subject, Text: text}); err != nil {
			e.d.Logger.WarnContext(ctx, "password changed notification not sent", "err", err)
		}
	}
	if !NeedsMFA(env.SignOnPolicy, f.ACR) {
		st, err := e.doneStatus(ctx, f)
		if err != nil {
			return err
		}
		f.Status = st
		return e.save(ctx, f)
	}
	return e.startMFA(c, f, env, u)
}

// checkCurrent verifies the current password under the account lockout
// sign-on uses.
func (e *Engine) checkCurrent(c *fiber.Ctx, f *store.Flow, pol store.PasswordPolicy, u *store.User, current string) error {
	ctx := c.UserContext()
	key, rule := ratelimit.AccountKey(u.Username), pp.LockoutRule(pol)
	if ok, retry, err := e.d.Limiter.Check(ctx, f.EnvironmentID, key, rule); err != nil {
		return fmt.Errorf("check password limit: %w", err)
	} else if !ok {
		return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
	}
	good, err := e.d.Hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		return hashErr(err)
	}
	if !good {
		e.record(c, f, audit.ActionPasswordChanged, audit.OutcomeFailure, u.ID)
		locked, retry, err := e.d.Limiter.Fail(ctx, f.EnvironmentID, key, rule)
		if err != nil {
			return fmt.Errorf("count password failure: %w", err)
		}
		if locked {
			e.record(c, f, audit.ActionAccountLocked, audit.OutcomeSuccess, u.ID)
			return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
		}
		return errWrongCurrentPassword
	}
	return e.d.Limiter.Reset(ctx, f.EnvironmentID, key)
}

// storePassword writes the new hash with the user's version guard, as long
// as the record still holds the password that was verified.
func (e *Engine) storePassword(ctx context.Context, f *store.Flow, pol store.PasswordPolicy, seen, hash string, now time.Time) (*store.User, error) {
	for range 5 {
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return nil, fmt.Errorf("load flow user: %w", err)
		}
		if u.PasswordHash != seen {
			return nil, apierr.ConflictError("The password was changed in another request. Sign on again.")
		}
		pp.Apply(pol, u, hash, false, now)
		u.UpdatedAt = now
		err = e.d.Users.UpdateUser(ctx, u)
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("store password: %w", err)
		}
	}
	return nil, apierr.ConflictError("Your account changed in another request. Try again.")
}

// endSessions revokes the user's live sessions but keep (a step-up flow's
// own session). It mirrors oauth.RevokeSession, which this package cannot
// import (oauth imports signon).
func (e *Engine) endSessions(ctx context.Context, envID, userID, keep string) (int, error) {
	if e.d.Sessions == nil {
		return 0, nil
	}
	ss, err := e.d.Sessions.ListSessions(ctx, envID, userID)
	if err != nil {
		return 0, fmt.Errorf("list sessions: %w", err)
	}
	now, n := e.d.Now(), 0
	for _, s := range ss {
		if s.ID == keep {
			continue
		}
		ended, err := e.endSession(ctx, envID, s.ID, now)
		if err != nil {
			return n, err
		}
		if ended {
			n++
		}
	}
	return n, nil
}

// endSession revokes one session unless it already ended, retrying the
// version guard when another write races.
func (e *Engine) endSession(ctx context.Context, envID, sid string, now time.Time) (bool, error) {
	for range 5 {
		s, err := e.d.Sessions.GetSession(ctx, envID, sid)
		if err != nil {
			return false, fmt.Errorf("load session: %w", err)
		}
		if !s.RevokedAt.IsZero() || !now.Before(s.ExpiresAt) {
			return false, nil
		}
		s.RevokedAt = now
		err = e.d.Sessions.UpdateSession(ctx, s)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return false, fmt.Errorf("revoke session: %w", err)
		}
	}
	return false, fmt.Errorf("revoke session %s: too many conflicts", sid)
}

func hashErr(err error) error {
	if errors.Is(err, password.ErrBusy) {
		return apierr.Limited(1)
	}
	return fmt.Errorf("password: %w", err)
}

// checkPasswordLimit refuses a password try while the account (the
// environment's lockout rule) or the client address (the per-IP rule) is
// over its limit, and returns the targets the try counts against and the
// account's key (a success resets it). The password step and the password
// that confirms a federated link share it, so one lockout covers both ways
// of guessing an account's password.
func (e *Engine) checkPasswordLimit(c *fiber.Ctx, f *store.Flow, env *store.Environment, username string) (string, []ratelimit.Target, error) {
	acctKey := ratelimit.AccountKey(username)
	targets := []ratelimit.Target{
		{Key: acctKey, Rule: lockoutRule(env)},
		{Key: ratelimit.IPKey(c.IP()), Rule: ratelimit.PasswordPerIP()},
	}
	if ok, retry, err := e.d.Limiter.CheckAll(c.UserContext(), f.EnvironmentID, targets...); err != nil {
		return "", nil, fmt.Errorf("check password limit: %w", err)
	} else if !ok {
		return "", nil, apierr.Limited(ratelimit.RetryAfterSeconds(retry))
	}
	return acctKey, targets, nil
}
