package manage

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/otp"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// A user's own new email address or phone number applies only once the
// code sent to it comes back (POST …/users/{userId} with user.verify), so
// nobody can give an account an address they do not hold. When the email
// changes, the previous address gets a link that restores it for
// EmailUndoWindow and signs every session off (emailundo.go): whoever took
// over a session cannot quietly move the account's mail away.
const (
	// ContactCodeLifetime is how long a contact change's code works.
	ContactCodeLifetime = 30 * time.Minute
	// EmailUndoWindow is how long the previous address may take an email
	// change back.
	EmailUndoWindow = 7 * 24 * time.Hour
)

var (
	errNoPendingChange = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"No email address or phone number change is waiting for a code.",
		apierr.Field(apierr.DetailInvalidAction, "pendingVerification", "There is no pending change."))
	errContactCodeExpired = apierr.Invalid("The code has expired. Make the change again to get a new one.",
		apierr.Field(apierr.DetailOTPExpired, "verificationCode", "The code has expired."))
	errContactCodeLimit = apierr.Invalid("Too many wrong codes: the change was cancelled. Make it again to get a new code.",
		apierr.Field(apierr.DetailLimitExceeded, "verificationCode", "Too many wrong codes."))
)

// contactSubject binds a code's hash to the user, the attribute and the
// new value: a code sent for one address cannot confirm another.
func contactSubject(userID, attribute, value string) string {
	return "contact\x00" + userID + "\x00" + attribute + "\x00" + value
}

// contactCodeLength is the environment's passcode length, at least the 6
// digits valid.OTP accepts.
func contactCodeLength(s store.MFASettings) int { return min(max(s.OTPLength, 6), otp.MaxDigits) }

// startContactChange puts c on u as its pending change, with a fresh code
// (returned, to be sent once the record is saved). A new change replaces
// a pending one, but not within ResendInterval of the last code, so the
// API cannot be used to flood an inbox.
func (a *API) startContactChange(env *store.Environment, u *store.User, c contactEdit) (string, error) {
	now := a.now()
	if cc := u.ContactChange; cc != nil {
		if wait := cc.SentAt.Add(ResendInterval).Sub(now); wait > 0 {
			return "", apierr.Limited(ratelimit.RetryAfterSeconds(wait))
		}
	}
	code, err := otp.Generate(a.d.Rand, contactCodeLength(env.MFASettings))
	if err != nil {
		return "", fmt.Errorf("generate contact code: %w", err)
	}
	u.ContactChange = &store.ContactChange{Attribute: c.attribute, Value: c.value,
		CodeHash: a.d.OTP.Hash(env.ID, contactSubject(u.ID, c.attribute, c.value), code),
		SentAt:   now, ExpiresAt: now.Add(ContactCodeLifetime)}
	return code, nil
}

// sendContactCode sends the pending change's code to the new value: an
// e-mail, a text message to a mobile number, a voice call to a primary one
// (which may be a fixed line).
func (a *API) sendContactCode(ctx context.Context, u *store.User, code string) error {
	cc := u.ContactChange
	channel := notify.ChannelEmail
	switch cc.Attribute {
	case "mobilePhone":
		channel = notify.ChannelSMS
	case "primaryPhone":
		channel = notify.ChannelVoice
	}
	subject, text := notify.ContactCodeMessage(channel, code, int(ContactCodeLifetime/time.Minute))
	if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: u.EnvironmentID, Channel: channel, To: cc.Value,
		Subject: subject, Text: text}); err != nil {
		return fmt.Errorf("send contact code: %w", err)
	}
	return nil
}

// postContact answers the contact-change actions on a user (POST
// …/users/{userId}, see PostUser): user.verify {verificationCode} applies
// the pending contact change, user.sendVerificationCode sends its code
// again, user.cancelVerification drops it. Same access as PatchUser.
func (a *API) postContact() fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := profileWriter(c)
		if err != nil {
			return err
		}
		action, err := httpx.Action(c)
		if err != nil {
			return err
		}
		env, err := a.environment(c.UserContext(), w.EnvID)
		if err != nil {
			return err
		}
		if w.Self && !env.SelfService.ManageProfile {
			return errProfileOff
		}
		switch {
		case strings.EqualFold(action, resource.ActionUserVerify):
			return a.verifyContact(c, w, env)
		case strings.EqualFold(action, resource.ActionUserSendVerificationCode):
			return a.resendContactCode(c, w, env)
		case strings.EqualFold(action, resource.ActionUserCancelVerification):
			return a.cancelContactChange(c, w, env)
		}
		return apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
			"Content-Type must be "+paths.ActionUserVerify+", "+paths.ActionUserSendVerificationCode+", "+
				paths.ActionUserCancelVerification+" or "+paths.ActionUserSecure+".")
	}
}

func (a *API) verifyContact(c *fiber.Ctx, w writer, env *store.Environment) error {
	o, err := parseObject(c.Body())
	if err != nil {
		return err
	}
	var code string
	o.Require("verificationCode")
	if o.String("verificationCode", &code, false) {
		if err := valid.OTP(code); err != nil {
			o.Fail("verificationCode", err.Error()+".")
		}
	}
	o.Rest(nil)
	// A malformed code is refused before anything is read or counted.
	if err := invalid(o.Details()); err != nil {
		return err
	}
	token, tokenHash, err := a.undoToken()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var applied store.ContactChange
	var previous string // the email address before the change
	var freshUndo bool  // a new undo link goes to previous
	u, err := a.updateUser(ctx, w.EnvID, w.UserID, func(u *store.User) error {
		cc := u.ContactChange
		if cc == nil {
			return errNoPendingChange
		}
		now := a.now()
		if !now.Before(cc.ExpiresAt) {
			u.ContactChange = nil
			return saveThen{errContactCodeExpired}
		}
		want := a.d.OTP.Hash(env.ID, contactSubject(u.ID, cc.Attribute, cc.Value), code)
		if subtle.ConstantTimeCompare([]byte(want), []byte(cc.CodeHash)) != 1 {
			limit := max(env.MFASettings.OTPFailureCount, 1)
			cc.Failures++
			if cc.Failures >= limit {
				u.ContactChange = nil
				return saveThen{errContactCodeLimit}
			}
			d := apierr.Field(apierr.DetailInvalidOTP, "verificationCode", "The code is wrong.")
			d.InnerError = map[string]any{"attemptsRemaining": limit - cc.Failures}
			return saveThen{apierr.Invalid("The code is wrong.", d)}
		}
		// Used once: the same guarded write drops the pending change, so
		// the code cannot be replayed, and a lost race re-reads it gone.
		applied, u.ContactChange = *cc, nil
		switch cc.Attribute {
		case "email":
			previous, freshUndo = u.Email, false
			if un := u.EmailUndo; un != nil && now.Before(un.ExpiresAt) {
				// The link already sent to the address the account had
				// first keeps working and still restores that one: a
				// second change must not hand the undo to the first new
				// address.
				un.NewEmail = cc.Value
			} else if u.Email != "" {
				u.EmailUndo = &store.EmailUndo{TokenHash: tokenHash, OldEmail: u.Email, OldVerified: u.EmailVerified,
					NewEmail: cc.Value, ExpiresAt: now.Add(EmailUndoWindow)}
				freshUndo = true
			}
			u.Email, u.EmailVerified = cc.Value, true
		case "mobilePhone":
			u.Profile.MobilePhone = cc.Value
		case "primaryPhone":
			u.Profile.PrimaryPhone = cc.Value
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.record(c, w.EnvID, audit.ActionContactChanged, u.ID, map[string]string{"attribute": applied.Attribute})
	if applied.Attribute == "email" && previous != "" {
		a.notifyEmailChanged(ctx, u, previous, token, freshUndo)
	}
	return a.sendUser(c, http.StatusOK, u, profileView{self: w.Self, access: env.SelfService.ProfileAttributes})
}

func (a *API) resendContactCode(c *fiber.Ctx, w writer, env *store.Environment) error {
	if err := emptyActionBody(c); err != nil {
		return err
	}
	var code string
	u, err := a.updateUser(c.UserContext(), w.EnvID, w.UserID, func(u *store.User) error {
		cc := u.ContactChange
		if cc == nil {
			return errNoPendingChange
		}
		now := a.now()
		if wait := cc.SentAt.Add(ResendInterval).Sub(now); wait > 0 {
			return apierr.Limited(ratelimit.RetryAfterSeconds(wait))
		}
		var err error
		if code, err = otp.Generate(a.d.Rand, contactCodeLength(env.MFASettings)); err != nil {
			return fmt.Errorf("generate contact code: %w", err)
		}
		// The wrong tries so far still count: a new code is not a new
		// allowance of guesses.
		cc.CodeHash = a.d.OTP.Hash(env.ID, contactSubject(u.ID, cc.Attribute, cc.Value), code)
		cc.SentAt, cc.ExpiresAt = now, now.Add(ContactCodeLifetime)
		return nil
	})
	if err != nil {
		return err
	}
	if err := a.sendContactCode(c.UserContext(), u, code); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

func (a *API) cancelContactChange(c *fiber.Ctx, w writer, env *store.Environment) error {
	if err := emptyActionBody(c); err != nil {
		return err
	}
	u, err := a.updateUser(c.UserContext(), w.EnvID, w.UserID, func(u *store.User) error {
		if u.ContactChange == nil {
			return errNoPendingChange
		}
		u.ContactChange = nil
		return nil
	})
	if err != nil {
		return err
	}
	return a.sendUser(c, http.StatusOK, u, profileView{self: w.Self, access: env.SelfService.ProfileAttributes})
}

// emptyActionBody accepts no body or {} with an action's media type.
func emptyActionBody(c *fiber.Ctx) error {
	if len(strings.TrimSpace(string(c.Body()))) == 0 {
		return nil
	}
	o, err := parseObject(c.Body())
	if err != nil {
		return err
	}
	o.Rest(nil)
	return invalid(o.Details())
}

// undoToken makes the secret of an undo link and its stored hash. It has
// 256 bits, so an unsalted SHA-256 is enough to keep it from a database
// reader.
func (a *API) undoToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(a.d.Rand, b); err != nil {
		return "", "", fmt.Errorf("undo token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashUndoToken(token), nil
}

func hashUndoToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// undoURL is the link that restores the previous email address.
func (a *API) undoURL(envID, userID, token string) string {
	q := url.Values{"user": {userID}, "token": {token}}
	return a.d.PublicURL + paths.Build(paths.EmailUndo, envID) + "?" + q.Encode()
}

// secureURL is where a notice sends someone who did not make the change:
// MyAccount's secure-my-account action.
func (a *API) secureURL(envID string) string { return notify.SecureURL(a.d.PublicURL, envID) }

// notifyEmailChanged tells the previous address about the change, with the
// undo link when this change made one. A failure only logs: the change is
// made, and the audit trail has it.
func (a *API) notifyEmailChanged(ctx context.Context, u *store.User, previous, token string, withUndo bool) {
	masked := resource.MaskEmail(u.Email)
	subject, text := notify.EmailMovedAgainNotice(masked, a.secureURL(u.EnvironmentID))
	if withUndo {
		subject, text = notify.EmailChangedNotice(masked, a.undoURL(u.EnvironmentID, u.ID, token),
			int(EmailUndoWindow/(24*time.Hour)), a.secureURL(u.EnvironmentID))
	}
	if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: u.EnvironmentID, Channel: notify.ChannelEmail,
		To: previous, Subject: subject, Text: text}); err != nil {
		a.d.Logger.Warn("email changed notification not sent", "err", err)
	}
}
