package manage

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/totp"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// TOTPPairingWindow is how long a TOTP device's secret is shown and may be
// activated; after it the pending device is refused and dropped.
const TOTPPairingWindow = 30 * time.Minute

var (
	errMethodDisabled = methodDisabled(resource.DeviceTOTP)
	errNothingToSend  = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"An authenticator app device has no activation code to send: enter the code the app shows.",
		apierr.Field(apierr.DetailInvalidAction, "type", "TOTP devices are activated with a code from the app."))
)

// methodDisabled refuses a device type left out of the environment's
// mfaSettings.methods.
func methodDisabled(typ string) error {
	return apierr.Invalid("This authentication method is not enabled in this environment.",
		apierr.Field(apierr.DetailInvalidValue, "type", typ+" is not in the environment's mfaSettings.methods."))
}

// totpConfig names the key in the app: the environment as issuer and the
// username as account. A colon would split the URI's label, so it is
// replaced.
func totpConfig(env *store.Environment, u *store.User) totp.Config {
	label := func(s, fallback string) string {
		s = strings.TrimSpace(strings.ReplaceAll(s, ":", " "))
		if s == "" {
			return fallback
		}
		return s
	}
	return totp.Config{Issuer: label(env.Name, "MyAccount"), AccountName: label(u.Username, u.ID)}
}

// newTOTP enrolls a key for the pending device d: the secret is stored
// sealed and bound to the environment and d, and the pairing window
// starts. The enrollment is returned to be shown once.
func (a *API) newTOTP(env *store.Environment, u *store.User, d *store.Device, now time.Time) (totp.Enrollment, error) {
	if a.d.Box == nil {
		return totp.Enrollment{}, errMethodDisabled
	}
	cfg := totpConfig(env, u)
	cfg.Rand = a.d.Rand
	enr, err := totp.Enroll(cfg)
	if err != nil {
		return totp.Enrollment{}, fmt.Errorf("enroll totp: %w", err)
	}
	d.SecretSealed = totp.Seal(a.d.Box, env.ID, d.ID, enr.Secret)
	d.TOTPParams = store.TOTPParams{Period: enr.Params.Period, Digits: enr.Params.Digits, Algorithm: string(enr.Params.Algorithm)}
	d.TOTPStep = 0
	d.ActivationExpiresAt = now.Add(TOTPPairingWindow)
	return enr, nil
}

// showEnrollment puts the pairing material on a device resource.
func showEnrollment(out *resource.Device, enr totp.Enrollment) {
	out.Secret, out.KeyURI = enr.Secret, enr.URI
	out.QRImage = "data:image/png;base64," + base64.StdEncoding.EncodeToString(enr.PNG)
}

// showPendingTOTP shows the pairing material again on the read of a TOTP
// device still pending within its window; any other device is unchanged.
func (a *API) showPendingTOTP(ctx context.Context, out *resource.Device, u *store.User, d store.Device) error {
	if d.Type != resource.DeviceTOTP || d.Status != resource.DeviceActivationRequired ||
		d.SecretSealed == nil || !a.now().Before(d.ActivationExpiresAt) || a.d.Box == nil {
		return nil
	}
	env, err := a.environment(ctx, u.EnvironmentID)
	if err != nil {
		return err
	}
	s, err := totp.Open(a.d.Box, u.EnvironmentID, d.ID, d.SecretSealed)
	if err != nil {
		return fmt.Errorf("show totp pairing: %w", err)
	}
	cfg := totpConfig(env, u)
	cfg.Period, cfg.Digits, cfg.Algorithm = d.TOTPParams.Period, d.TOTPParams.Digits, totp.Algorithm(d.TOTPParams.Algorithm)
	enr, err := totp.Render(cfg, s)
	if err != nil {
		return fmt.Errorf("show totp pairing: %w", err)
	}
	showEnrollment(out, enr)
	return nil
}

// checkActivation checks a pending device's activation code: the mailed
// passcode's hash, or a current code of a TOTP key within skew steps (the
// environment's grace window), whose step it then records on d (saved by
// the caller's guarded update, so the code is accepted once).
func (a *API) checkActivation(envID string, d *store.Device, code string, skew uint) (bool, error) {
	if d.Type != resource.DeviceTOTP {
		return a.d.OTP.Check(envID, d.ID, code, d.ActivationHash), nil
	}
	if a.d.Box == nil {
		return false, errMethodDisabled
	}
	v, err := totp.NewVerifier(totp.VerifierConfig{Now: a.d.Now, Params: totpParams(d.TOTPParams)})
	if err != nil {
		return false, fmt.Errorf("totp verifier: %w", err)
	}
	step, ok, err := totp.CheckSealed(a.d.Box, v, envID, d.ID, d.SecretSealed, code, d.TOTPStep, skew)
	if err != nil {
		return false, fmt.Errorf("check totp: %w", err)
	}
	if ok {
		d.TOTPStep = step
	}
	return ok, nil
}

func totpParams(p store.TOTPParams) totp.Params {
	return totp.Params{Period: p.Period, Digits: p.Digits, Algorithm: totp.Algorithm(p.Algorithm)}
}
