package manage

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// MethodFreeze is how long "Secure my account" stops the user's own
// method changes: an intruder who still holds a second factor cannot swap
// the owner's methods for theirs meanwhile, while an administrator can
// still help the owner.
const MethodFreeze = 24 * time.Hour

var errSecureMFA = apierr.New(http.StatusForbidden, apierr.InsufficientPermission,
	"Securing your account needs a recent multi-factor authentication. Verify and try again.",
	apierr.Field(apierr.DetailMFARequired, "session", "Complete an MFA in this session first."))

// errFrozen refuses a user's own method change during the freeze.
func errFrozen(until time.Time) error {
	d := apierr.Field(apierr.DetailAccountFrozen, "user",
		"Your sign-on methods cannot be changed until "+until.UTC().Format(time.RFC3339)+" because your account was secured.")
	d.InnerError = map[string]any{"frozenUntil": until.UTC().Format(time.RFC3339)}
	return apierr.New(http.StatusForbidden, apierr.InsufficientPermission,
		"Your account was secured recently: your sign-on methods cannot be changed for now. An administrator can change them.", d)
}

// frozen refuses w's write when it is the user's own during the freeze.
func (a *API) frozen(w writer, u *store.User) error {
	if w.Self && a.d.Now().Before(u.FrozenUntil) {
		return errFrozen(u.FrozenUntil)
	}
	return nil
}

// PostUser answers POST /v1/environments/{envId}/users/{userId}: the
// action media type picks user.secure ("Secure my account", our
// extension, with the sessions' access rule) or a step of a contact change
// (contact.go, with the profile's).
func (a *API) PostUser() fiber.Handler {
	contact := a.postContact()
	return func(c *fiber.Ctx) error {
		action, err := httpx.Action(c)
		if err != nil {
			return err
		}
		switch {
		case strings.EqualFold(action, resource.ActionUserVerify), strings.EqualFold(action, resource.ActionUserSendVerificationCode),
			strings.EqualFold(action, resource.ActionUserCancelVerification):
			return contact(c)
		case !strings.EqualFold(action, "user.secure"):
			return apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
				"Content-Type must be "+paths.ActionUserVerify+", "+paths.ActionUserSendVerificationCode+", "+
					paths.ActionUserCancelVerification+" or "+paths.ActionUserSecure+".")
		}
		envID, userID, err := sessionWriter(c)
		if err != nil {
			return err
		}
		return a.secure(c, envID, userID)
	}
}

// secure is "Secure my account": every other session of the user ends
// (their access tokens at the next request, their refresh tokens at the
// next grant), the caller's own session keeps going but its refresh tokens
// stop working, the next sign-on asks for a new password, and the user's
// own method changes are refused for MethodFreeze. The user needs the
// delete-sessions scope and an MFA in this session within StepUpWindow;
// Environment and Identity Data Admins may secure any user of the
// environment (then every session ends). The body is empty or {}.
func (a *API) secure(c *fiber.Ctx, envID, userID string) error {
	if body := bytes.TrimSpace(c.Body()); len(body) > 0 {
		var none struct{}
		if err := httpx.DecodeBytes(body, &none); err != nil {
			return err
		}
	}
	p := authn.From(c)
	self := !p.HasRole(envID, authn.UserWriters...)
	if self {
		s := p.Session
		if s == nil || s.MFAAt.IsZero() || a.d.Now().Sub(s.MFAAt) > StepUpWindow {
			return errSecureMFA
		}
	}
	ctx := c.UserContext()
	now := a.now()
	until := now.Add(MethodFreeze)
	u, err := a.updateUser(ctx, envID, userID, func(u *store.User) error {
		u.MustChangePassword = true
		if u.FrozenUntil.Before(until) {
			u.FrozenUntil = until
		}
		return nil
	})
	if err != nil {
		return err
	}
	keep := ""
	if self {
		keep = p.SessionID
		if err := a.cutRefreshTokens(c, envID, keep, now); err != nil {
			return err
		}
	}
	ended, err := a.endSessionIDs(c, envID, userID, keep)
	if err != nil {
		return err
	}
	by := "self"
	if !self {
		by = "administrator"
	}
	details := map[string]string{"by": by,
		"sessionsEnded": strconv.Itoa(len(ended)), "methodsFrozenUntil": u.FrozenUntil.UTC().Format(time.RFC3339)}
	a.record(c, envID, audit.ActionAccountSecured, userID, details)
	a.tellAdministrators(c, envID, userID, details)
	if u.Email != "" {
		subject, text := a.d.Templates.Render(ctx, envID, notify.UserLocale(u), notify.AccountSecured(len(ended), u.FrozenUntil, a.d.PublicURL+paths.Build(paths.MyAccount, envID)))
		if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: envID, Channel: notify.ChannelEmail,
			To: u.Email, Subject: subject, Text: text}); err != nil {
			a.d.Logger.WarnContext(ctx, "account secured notice not sent", "err", err)
		}
	}
	return c.JSON(resource.AccountSecured{SessionsEnded: len(ended), MustChangePassword: u.MustChangePassword,
		MethodsFrozenUntil: u.FrozenUntil.UTC()})
}

// cutRefreshTokens makes the refresh tokens the session has handed out so
// far useless (the session itself goes on), retrying the version guard.
func (a *API) cutRefreshTokens(c *fiber.Ctx, envID, sid string, now time.Time) error {
	ctx := c.UserContext()
	for range maxAttempts {
		s, err := a.d.Store.GetSession(ctx, envID, sid)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		s.RefreshNotBefore = now
		err = a.d.Store.UpdateSession(ctx, s)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return errConflict
}
