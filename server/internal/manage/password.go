package manage

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/notify"
	pp "github.com/myaccount/myaccount/server/internal/passwordpolicy"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

var (
	errWrongCurrent = apierr.Invalid("The current password is incorrect.",
		apierr.Field(apierr.DetailInvalidCredentials, "currentPassword", "The current password is incorrect."))
	errPasswordChanged = apierr.ConflictError("The password was changed in another request. Sign on again.")
	errPasswordMedia   = apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
		"Content-Type must be "+paths.ActionPasswordReset+" or "+paths.ActionPasswordSet+".")
	errPasswordPostMedia = apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
		"Content-Type must be "+paths.ActionPasswordValidate+" or "+paths.ActionPasswordUnlock+".")
	errUseSet = apierr.Forbidden("Administrators set a user's password with " + paths.ActionPasswordSet + ".")
)

// GetPassword answers GET /v1/environments/{envId}/users/{userId}/password:
// the password's state and the policy it answers to, for the user with
// p1:read:userPassword or a reader of the environment.
func (a *API) GetPassword() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadUserPassword)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		env, u, err := a.envUser(ctx, envID, userID)
		if err != nil {
			return err
		}
		return a.passwordState(c, env, u)
	}
}

// PutPassword answers PUT …/password: password.reset {currentPassword,
// newPassword} is the user's own change (p1:reset:userPassword);
// password.set {value, forceChange} is an administrator's (Environment
// Admin or Identity Data Admin).
func (a *API) PutPassword() fiber.Handler {
	return byAction(errPasswordMedia, map[string]fiber.Handler{
		"password.reset": a.resetPassword, "password.set": a.setPassword})
}

// PostPassword answers POST …/password: password.validate {newPassword}
// checks a candidate against the policy and changes nothing (the user with
// p1:validate:userPassword, or a user writer); password.unlock ends a
// lockout (user writers).
func (a *API) PostPassword() fiber.Handler {
	return byAction(errPasswordPostMedia, map[string]fiber.Handler{
		"password.validate": a.validatePassword, "password.unlock": a.unlockPassword})
}

// byAction answers with the handler of the request's action media type
// (application/vnd.pingidentity.<action>+json, the name compared without
// case); a request without one, or with another, is refused with errMedia.
func byAction(errMedia error, actions map[string]fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		action, err := httpx.Action(c)
		if err != nil {
			return errMedia
		}
		for name, h := range actions {
			if strings.EqualFold(action, name) {
				return h(c)
			}
		}
		return errMedia
	}
}

// passwordState answers with the one mapping of a user's password to the
// API's state.
func (a *API) passwordState(c *fiber.Ctx, env *store.Environment, u *store.User) error {
	pol := pp.Default(env)
	pr := a.passwordPolicyResource(env.ID, pol)
	out := resource.PasswordState{
		Links:       resource.Links{"self": a.link(paths.Build(paths.UserPassword, env.ID, u.ID))},
		Environment: resource.Ref{ID: env.ID}, User: resource.Ref{ID: u.ID},
		Status:         pp.Status(pol, u, a.now()),
		PasswordPolicy: &pr,
	}
	if u.PasswordHash != "" && !u.PasswordChangedAt.IsZero() {
		t := u.PasswordChangedAt.UTC()
		out.LastChangedAt = &t
	}
	if a.d.Limiter != nil {
		ok, retry, err := a.d.Limiter.Check(c.UserContext(), env.ID, ratelimit.AccountKey(u.Username), pp.LockoutRule(pol))
		if err != nil {
			return fmt.Errorf("check lockout: %w", err)
		}
		if !ok {
			out.Status, out.SecondsUntilUnlock = resource.PasswordLockedOut, ratelimit.RetryAfterSeconds(retry)
		}
	}
	return c.JSON(out)
}

// field is a required string field of an action body: its name and where
// the decoded value lands.
type field struct {
	name  string
	value *string
}

// passwordBody is what the password actions share once the caller may
// act: it decodes the body into in, refuses it with a REQUIRED_VALUE
// detail per empty field (alsoRequired first, then newPassword), loads the
// environment and its default policy, and refuses a new password over the
// policy's maximum before anything hashes or compares it.
func (a *API) passwordBody(c *fiber.Ctx, envID string, in any, newPassword field, alsoRequired ...field) (*store.Environment, store.PasswordPolicy, error) {
	if err := httpx.Decode(c, in); err != nil {
		return nil, store.PasswordPolicy{}, err
	}
	var details []apierr.Detail
	for _, f := range append(alsoRequired, newPassword) {
		if *f.value == "" {
			details = append(details, apierr.Field(apierr.DetailRequired, f.name, f.name+" is required."))
		}
	}
	if err := invalid(details); err != nil {
		return nil, store.PasswordPolicy{}, err
	}
	env, err := a.environment(c.UserContext(), envID)
	if err != nil {
		return nil, store.PasswordPolicy{}, err
	}
	pol := pp.Default(env)
	if pp.TooLong(pol, *newPassword.value) {
		return nil, pol, invalid(pp.Check(pol, *newPassword.value, pp.Context{Target: newPassword.name}))
	}
	return env, pol, nil
}

// resetPassword is a user's own change. Its order is what makes it safe:
// a new password over the policy's maximum is refused before any hashing;
// the current password is checked under the account's lockout (a wrong
// one counts, as at sign-on: a stolen session cannot guess it); the
// policy's rules, then the history, then one guarded write; then every
// other session of the user ends and the account's address is told.
func (a *API) resetPassword(c *fiber.Ctx) error {
	p := authn.From(c)
	if p == nil {
		return apierr.Unauthorized("The access token is missing, invalid, expired or revoked.")
	}
	envID, userID, err := a.passwordParams(c)
	if err != nil {
		return err
	}
	if p.HasRole(envID, authn.UserWriters...) {
		return errUseSet
	}
	if err := authn.Self(c, envID, userID, scope.ResetUserPassword, nil); err != nil {
		return err
	}
	var in resource.PasswordReset
	env, pol, err := a.passwordBody(c, envID, &in, field{"newPassword", &in.NewPassword},
		field{"currentPassword", &in.CurrentPassword})
	if err != nil {
		return err
	}
	if valid.Password(in.CurrentPassword) != nil {
		return apierr.Invalid("The current password is not valid.",
			detail("currentPassword", "currentPassword is too long or not valid UTF-8."))
	}
	ctx := c.UserContext()
	u, err := a.user(ctx, envID, userID)
	if err != nil {
		return err
	}
	if err := a.checkCurrentPassword(c, envID, u, pol, in.CurrentPassword); err != nil {
		return err
	}
	now := a.now()
	status := pp.Status(pol, u, now)
	if d := pp.Check(pol, in.NewPassword, pp.Context{
		Username: u.Username, Profile: pp.ProfileOf(u), Current: in.CurrentPassword,
		MinAge: status == resource.PasswordOK, ChangedAt: u.PasswordChangedAt, Now: now,
	}); len(d) > 0 {
		return invalid(d)
	}
	u, err = a.changePassword(c, env, u, pol, in.NewPassword, "newPassword", false, false)
	if err != nil {
		return err
	}
	return a.afterPasswordChange(c, env, u, p.SessionID, false)
}

// passwordParams reads the path's environment and user ids.
func (a *API) passwordParams(c *fiber.Ctx) (string, string, error) {
	envID, err := envParam(c)
	if err != nil {
		return "", "", err
	}
	userID, err := pathID(c, "userId")
	if err != nil {
		return "", "", err
	}
	return envID, userID, nil
}

// checkCurrentPassword verifies the typed current password under the
// account's lockout, the same counter sign-on uses: a wrong one counts,
// and past the policy's failure count the answer is 429 until the lockout
// ends. A right one clears the count.
func (a *API) checkCurrentPassword(c *fiber.Ctx, envID string, u *store.User, pol store.PasswordPolicy, current string) error {
	ctx := c.UserContext()
	key, rule := ratelimit.AccountKey(u.Username), pp.LockoutRule(pol)
	ok, retry, err := a.d.Limiter.Check(ctx, envID, key, rule)
	if err != nil {
		return fmt.Errorf("check password lockout: %w", err)
	}
	if !ok {
		return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
	}
	good, err := a.d.Hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		return hashError(err)
	}
	if !good {
		a.recordFailure(c, envID, audit.ActionPasswordChanged, u.ID, map[string]string{"reason": "wrong current password"})
		locked, retry, err := a.d.Limiter.Fail(ctx, envID, key, rule)
		if err != nil {
			return fmt.Errorf("count password failure: %w", err)
		}
		if locked {
			a.record(c, envID, audit.ActionAccountLocked, u.ID, map[string]string{"reason": "password change"})
			return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
		}
		return errWrongCurrent
	}
	if err := a.d.Limiter.Reset(ctx, envID, key); err != nil {
		return fmt.Errorf("reset password lockout: %w", err)
	}
	return nil
}

// changePassword checks the history, hashes the new password and writes
// it with the user's version guard. The record must still hold the
// password the caller verified (a self change) or looked at: a change in
// between is a conflict, not something to overwrite.
func (a *API) changePassword(c *fiber.Ctx, env *store.Environment, u *store.User, pol store.PasswordPolicy,
	newPassword, target string, withCurrent, forceChange bool) (*store.User, error) {
	ctx := c.UserContext()
	now := a.now()
	d, err := pp.CheckHistory(ctx, a.d.Hasher, pol, newPassword, u, withCurrent, target, now)
	if err != nil {
		return nil, hashError(err)
	}
	if err := invalid(d); err != nil {
		return nil, err
	}
	hash, err := a.d.Hasher.Hash(ctx, newPassword)
	if err != nil {
		return nil, hashError(err)
	}
	seen := u.PasswordHash
	return a.updateUser(ctx, env.ID, u.ID, func(u *store.User) error {
		if u.PasswordHash != seen {
			return errPasswordChanged
		}
		pp.Apply(pol, u, hash, forceChange, now)
		return nil
	})
}

// afterPasswordChange ends the user's sessions but keep (the caller's own
// session on a self change; none on an administrator's set), records the
// change, tells the account's address and answers with the new state.
func (a *API) afterPasswordChange(c *fiber.Ctx, env *store.Environment, u *store.User, keep string, byAdmin bool) error {
	ctx := c.UserContext()
	n, err := a.endSessions(ctx, env.ID, u.ID, keep)
	if err != nil {
		return err
	}
	reason := "self"
	if byAdmin {
		reason = "administrator"
	}
	a.record(c, env.ID, audit.ActionPasswordChanged, u.ID, map[string]string{
		"reason": reason, "sessionsEnded": strconv.Itoa(n), "forceChange": strconv.FormatBool(u.MustChangePassword)})
	if u.Email != "" {
		subject, text := notify.Resolve(env, notify.UserLocale(u), notify.PasswordChanged(byAdmin, notify.SecureURL(a.d.PublicURL, env.ID)))
		if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: env.ID, Channel: notify.ChannelEmail,
			To: u.Email, Subject: subject, Text: text}); err != nil {
			a.d.Logger.WarnContext(ctx, "password changed notification not sent", "err", err)
		}
	}
	return a.passwordState(c, env, u)
}

// endSessions revokes every live session of the user but keep: their
// access tokens fail on the next request (every request re-reads the
// session) and their refresh tokens are refused (the token grant wants a
// live session). It returns how many it ended.
func (a *API) endSessions(ctx context.Context, envID, userID, keep string) (int, error) {
	ended, err := a.endSessionIDsCtx(ctx, envID, userID, keep)
	return len(ended), err
}

// setPassword is an administrator's set: the policy's rules apply (an
// administrator cannot hand out "password1" either), the current and
// earlier passwords included; forceChange makes the user change it at the
// next sign-on. It also ends the lockout and every session of the user.
func (a *API) setPassword(c *fiber.Ctx) error {
	envID, err := admin(c, authn.UserWriters)
	if err != nil {
		return err
	}
	userID, err := pathID(c, "userId")
	if err != nil {
		return err
	}
	var in resource.PasswordSet
	env, pol, err := a.passwordBody(c, envID, &in, field{"value", &in.Value})
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u, err := a.user(ctx, envID, userID)
	if err != nil {
		return err
	}
	if d := pp.Check(pol, in.Value, pp.Context{Target: "value", Username: u.Username, Profile: pp.ProfileOf(u), Now: a.now()}); len(d) > 0 {
		return invalid(d)
	}
	u, err = a.changePassword(c, env, u, pol, in.Value, "value", true, in.ForceChange)
	if err != nil {
		return err
	}
	if err := a.d.Limiter.Reset(ctx, envID, ratelimit.AccountKey(u.Username)); err != nil {
		return fmt.Errorf("reset password lockout: %w", err)
	}
	return a.afterPasswordChange(c, env, u, "", true)
}

// validatePassword checks a candidate against the policy's rules that need
// no hashing, for live feedback: 200 {"valid":true}, or 400 with a detail
// per broken rule. It changes nothing and never looks at the stored
// password, so it is no oracle for it (history and "not the current one"
// are checked on the change itself).
func (a *API) validatePassword(c *fiber.Ctx) error {
	envID, userID, err := a.passwordParams(c)
	if err != nil {
		return err
	}
	if err := authn.Self(c, envID, userID, scope.ValidateUserPassword, authn.UserWriters); err != nil {
		return err
	}
	var in resource.PasswordValidate
	_, pol, err := a.passwordBody(c, envID, &in, field{"newPassword", &in.NewPassword})
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u, err := a.user(ctx, envID, userID)
	if err != nil {
		return err
	}
	now := a.now()
	self := !authn.From(c).HasRole(envID, authn.UserWriters...)
	current := in.CurrentPassword
	if valid.Password(current) != nil {
		current = ""
	}
	if d := pp.Check(pol, in.NewPassword, pp.Context{
		Username: u.Username, Profile: pp.ProfileOf(u), Current: current,
		MinAge: self && pp.Status(pol, u, now) == resource.PasswordOK, ChangedAt: u.PasswordChangedAt, Now: now,
	}); len(d) > 0 {
		return invalid(d)
	}
	return c.JSON(resource.PasswordValidation{Valid: true})
}

// unlockPassword ends a password lockout (user writers).
func (a *API) unlockPassword(c *fiber.Ctx) error {
	envID, err := admin(c, authn.UserWriters)
	if err != nil {
		return err
	}
	userID, err := pathID(c, "userId")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	env, u, err := a.envUser(ctx, envID, userID)
	if err != nil {
		return err
	}
	if err := a.d.Limiter.Reset(ctx, envID, ratelimit.AccountKey(u.Username)); err != nil {
		return fmt.Errorf("unlock password: %w", err)
	}
	a.record(c, envID, audit.ActionUserUpdated, u.ID, map[string]string{"change": "password unlocked"})
	return a.passwordState(c, env, u)
}

// recordFailure writes a refused write's audit event.
func (a *API) recordFailure(c *fiber.Ctx, envID, action, userID string, details map[string]string) {
	if a.d.Audit == nil {
		return
	}
	e := store.Event{EnvironmentID: envID, Action: action, Outcome: audit.OutcomeFailure, UserID: userID,
		IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), Details: details, ActorType: audit.ActorUser}
	if p := authn.From(c); p != nil {
		e.ActorID, e.SessionID = p.Subject, p.SessionID
	}
	a.d.Audit.Record(c.UserContext(), e)
}
