package signon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/fido"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// The FIDO2 step of a flow: StartAssertion and CheckAssertion work on any
// *store.Flow, so the developer API's device authentications can run the
// same step on their own records.

// maxAssertion bounds the assertion string (a few hundred bytes in practice).
const maxAssertion = 16 << 10

var errNoFIDO2 = apierr.NotFoundError("The selected device is not available.")

// usableFIDO2 reports whether d can be challenged for an assertion.
func (e *Engine) usableFIDO2(d store.Device) bool {
	return d.Type == resource.DeviceFIDO2 && e.d.FIDO != nil && d.FIDO2 != nil && len(d.FIDO2.CredentialID) > 0
}

// StartAssertion selects the FIDO2 device d for f's MFA step: f becomes
// ASSERTION_REQUIRED with fresh request options (for the browser) and the
// ceremony's session (for CheckAssertion), allowing d's credential only.
// Nothing is sent. The caller saves f.
func (e *Engine) StartAssertion(f *store.Flow, d store.Device) error {
	if !e.usableFIDO2(d) {
		return errNoFIDO2
	}
	opts, s, err := e.d.FIDO.BeginLogin(fido.User{ID: f.UserID, Credentials: []fido.Credential{fido.Stored(d.FIDO2)}})
	if err != nil {
		return fmt.Errorf("start assertion: %w", err)
	}
	f.SelectedDeviceID = d.ID
	f.Status = resource.FlowAssertionRequired
	f.AssertionOptions, f.AssertionSession = string(opts), s
	// A passcode left from a device chosen before must not complete the flow.
	f.OTPHash, f.OTPSentAt, f.OTPExpiresAt = "", time.Time{}, time.Time{}
	return nil
}

// CheckAssertion verifies in (assertion.check) against f's ceremony and its
// selected device. A good assertion's sign count is stored with a
// version-guarded update of the user's record (of parallel requests with
// one assertion, the later ones find the counter moved and fail); then f's
// session is cleared and its amr gains the method, for the caller to save
// with its own guard. ok is false for an assertion that does not verify
// (the caller counts it as a wrong passcode); err is for everything else.
func (e *Engine) CheckAssertion(ctx context.Context, f *store.Flow, in resource.AssertionCheck) (ok bool, err error) {
	if e.d.FIDO == nil {
		return false, errNoFIDO2
	}
	var details []apierr.Detail
	if in.Assertion == "" {
		details = append(details, apierr.Field(apierr.DetailRequired, "assertion", "assertion is required."))
	} else if len(in.Assertion) > maxAssertion {
		details = append(details, apierr.Field(apierr.DetailSizeLimit, "assertion", "assertion is too long."))
	}
	if e.d.FIDO.CheckOrigin(in.Origin) != nil {
		details = append(details, apierr.Field(apierr.DetailInvalidValue, "origin", "origin must be "+e.d.FIDO.Origin()+"."))
	}
	if len(details) > 0 {
		return false, apierr.Invalid("The assertion is not valid.", details...)
	}
	if len(f.AssertionSession) == 0 {
		return false, apierr.Invalid("This sign-on step has no assertion to check.",
			apierr.Field(apierr.DetailOTPExpired, "assertion", "No assertion was asked for."))
	}
	for range 5 {
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return false, fmt.Errorf("load flow user: %w", err)
		}
		i := slices.IndexFunc(u.Devices, func(d store.Device) bool { return d.ID == f.SelectedDeviceID })
		if i < 0 || u.Devices[i].Status != resource.DeviceActive || !e.usableFIDO2(u.Devices[i]) {
			return false, apierr.NotFoundError("The selected device no longer exists.")
		}
		d := &u.Devices[i]
		cred, err := e.d.FIDO.FinishLogin(fido.User{ID: u.ID, Credentials: []fido.Credential{fido.Stored(d.FIDO2)}},
			f.AssertionSession, []byte(in.Assertion))
		if errors.Is(err, fido.ErrCloned) {
			// Not logged with the assertion: only that the counter stood still.
			e.d.Logger.Warn("FIDO2 signature counter did not increase: replay or cloned authenticator",
				"environmentId", f.EnvironmentID, "userId", u.ID, "deviceId", d.ID)
		}
		if errors.Is(err, fido.ErrInvalid) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("check assertion: %w", err)
		}
		d.FIDO2.SignCount, d.FIDO2.BackupState = int64(cred.SignCount), cred.BackupState
		d.FIDO2.UserVerified = cred.UserVerified
		u.UpdatedAt = e.d.Now()
		err = e.d.Users.UpdateUser(ctx, u)
		if err == nil {
			f.AssertionSession, f.AssertionOptions = nil, ""
			f.AMR = appendOnce(f.AMR, fidoAMR(d.FIDO2), "mfa")
			return true, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return false, fmt.Errorf("save sign count: %w", err)
		}
	}
	return false, apierr.ConflictError("Your account changed in another request. Try again.")
}

// fidoAMR is the RFC 8176 method of a credential: a synced passkey (backup
// eligible) is a software-secured key, any other a hardware-secured one.
func fidoAMR(c *store.FIDO2Credential) string {
	if c.BackupEligible {
		return "swk"
	}
	return "hwk"
}

// errWrongAssertion says an assertion was refused and how many tries are left.
func errWrongAssertion(left int) error {
	d := apierr.Field(apierr.DetailInvalidValue, "assertion", "The security key or passkey response was not accepted.")
	d.InnerError = map[string]any{"attemptsRemaining": left}
	return apierr.Invalid("Your security key or passkey was not accepted. Try again.", d)
}

// assertionCheck answers assertion.check: a good assertion completes the
// flow's MFA; a wrong one counts against the user like a wrong passcode.
func (e *Engine) assertionCheck(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.AssertionCheck
	_, pol, err := e.beginMFACheck(c, f, &in)
	if err != nil {
		return err
	}
	if err := e.stillUsable(ctx, f, pol); err != nil {
		return err
	}
	good, err := e.CheckAssertion(ctx, f, in)
	if err != nil {
		return err
	}
	if !good {
		e.record(c, f, audit.ActionSignOnMFA, "FAILURE", f.UserID)
		return e.failMFA(c, f, pol, errWrongAssertion)
	}
	return e.completeMFA(c, f, pol, apierr.Invalid("The assertion was already used.",
		apierr.Field(apierr.DetailInvalidValue, "assertion", "The assertion was already used.")))
}

// fidoView puts a FIDO2 device's kind and authenticator name on its flow
// resource.
func fidoView(out *resource.Device, d store.Device) {
	if d.Type == resource.DeviceFIDO2 && d.FIDO2 != nil {
		out.Kind, out.AuthenticatorName = d.FIDO2.Kind, d.FIDO2.AuthenticatorName
	}
}
