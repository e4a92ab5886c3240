package signon

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/recovery"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// Recovery codes at sign-on (our extension): while the flow asks for the
// second factor of a device the user has (a passcode, a device choice, a
// security key), a recovery code may stand in for it, because the device
// is what is not at hand. It completes the MFA step with amr "mfa" and
// "rec", uses the code once (recovery.Use's guarded update of the user's
// record), counts a wrong code in the same per-user limiter as a wrong
// passcode (so alternating between the two buys no extra tries), and
// tells the account's email address.

// recoveryStatuses are the flow statuses a recovery code may complete.
// ASSERTION_REQUIRED (FIDO2) is named by its value: its constant comes with
// the FIDO2 step.
var recoveryStatuses = []string{resource.FlowOTPRequired, resource.FlowDeviceSelectionRequired, "ASSERTION_REQUIRED"}

// methodRecoveryCode names the method in audit details.
const methodRecoveryCode = "RECOVERY_CODE"

// recoveryOffered reports whether the flow offers recoveryCode.check: an
// MFA step over the user's devices (not the enrollment of a first one,
// which is about pairing) and codes left.
func (e *Engine) recoveryOffered(f *store.Flow, u *store.User, pol mfapolicy.Policy) bool {
	return e.d.Recovery != nil && pol.RecoveryCodes && slices.Contains(recoveryStatuses, f.Status) &&
		f.EnrollEmail == "" && f.OneTimeTarget == "" && recovery.Remaining(u) > 0
}

var errRecoveryUnavailable = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
	"You have no recovery codes to sign on with.",
	apierr.Field(apierr.DetailInvalidAction, "recoveryCode", "The flow does not offer recoveryCode.check."))

// recoveryCodeCheck is the recoveryCode.check action: {recoveryCode}.
func (e *Engine) recoveryCodeCheck(c *fiber.Ctx, f *store.Flow) error {
	var in resource.RecoveryCodeCheck
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	return e.checkRecoveryCode(c, f, in.RecoveryCode)
}

// checkRecoveryCode completes f's MFA step with code, or refuses it. The
// code is spent before the flow is saved: if the save then loses a race,
// the code is gone and the flow did not move (failing closed).
func (e *Engine) checkRecoveryCode(c *fiber.Ctx, f *store.Flow, code string) error {
	ctx := c.UserContext()
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return fmt.Errorf("load flow user: %w", err)
	}
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return err
	}
	pol := e.policy(env, f)
	if !e.recoveryOffered(f, u, pol) {
		return errRecoveryUnavailable
	}
	if err := e.checkMFALimit(ctx, f, pol); err != nil {
		return err
	}
	// A malformed code is refused before anything is read or counted: it
	// cannot match, so it tells nothing.
	if _, err := recovery.Normalize(code); err != nil {
		return apierr.Invalid("The recovery code is not valid.",
			apierr.Field(apierr.DetailInvalidValue, "recoveryCode",
				"recoveryCode must be ten letters and digits, written as xxxxx-xxxxx."))
	}
	u, err = e.d.Recovery.Use(ctx, e.d.Users, f.EnvironmentID, f.UserID, code, e.d.Now())
	switch {
	case errors.Is(err, recovery.ErrWrongCode), errors.Is(err, recovery.ErrNoCodes):
		e.recordRecovery(c, f, audit.ActionSignOnMFA, audit.OutcomeFailure, nil)
		return e.failMFA(c, f, pol, errWrongRecovery)
	case errors.Is(err, store.ErrConflict):
		return apierr.ConflictError("Your account changed in another request. Try again.")
	case err != nil:
		return err
	}
	left := recovery.Remaining(u)
	f.OTPHash = ""
	f.AMR = appendOnce(f.AMR, "mfa", "rec")
	if f.Status, err = e.doneStatus(ctx, f); err != nil {
		return err
	}
	if err := e.save(ctx, f); err != nil {
		return err
	}
	if err := e.resetMFA(ctx, f, pol); err != nil {
		return err
	}
	e.recordRecovery(c, f, audit.ActionSignOnMFA, audit.OutcomeSuccess, nil)
	e.recordRecovery(c, f, audit.ActionRecoveryCodeUsed, audit.OutcomeSuccess, map[string]string{"remaining": strconv.Itoa(left)})
	if u.Email != "" {
		subject, text := notify.Resolve(env, notify.UserLocale(u), notify.RecoveryCodeUsed(left))
		if err := e.d.Sender.Send(ctx, notify.Message{EnvironmentID: f.EnvironmentID, Channel: notify.ChannelEmail,
			To: u.Email, Subject: subject, Text: text}); err != nil {
			e.d.Logger.Warn("recovery code notification not sent", "err", err)
		}
	}
	return nil
}

// recordRecovery is record with the method named in the details.
func (e *Engine) recordRecovery(c *fiber.Ctx, f *store.Flow, action, outcome string, extra map[string]string) {
	details := map[string]string{"flowId": f.ID, "clientId": f.ClientID, "method": methodRecoveryCode}
	for k, v := range extra {
		details[k] = v
	}
	e.d.Audit.Record(c.UserContext(), store.Event{
		EnvironmentID: f.EnvironmentID, Action: action, Outcome: outcome, ActorType: audit.ActorUser, ActorID: f.UserID,
		UserID: f.UserID, IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), Details: details,
	})
}

// errWrongRecovery is a wrong or spent recovery code's answer.
func errWrongRecovery(left int) error {
	d := apierr.Field(apierr.DetailInvalidOTP, "recoveryCode", "The recovery code is wrong or was already used.")
	d.InnerError = map[string]any{"attemptsRemaining": left}
	return apierr.Invalid("The recovery code is wrong or was already used.", d)
}
