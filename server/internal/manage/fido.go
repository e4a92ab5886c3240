package manage

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/fido"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// FIDO2PairingWindow is how long a pending FIDO2 device's registration
// ceremony may be completed; after it the device is refused and dropped.
// Each browser prompt has its own, shorter timeout in the options.
const FIDO2PairingWindow = 10 * time.Minute

// maxAttestation bounds the attestation string (a none attestation of a
// P-256 key is well under 2 KB; certificate chains of other formats are
// larger, but never near this).
const maxAttestation = 64 << 10

var (
	errFIDO2Unavailable = apierr.Invalid("Security keys and passkeys are not available on this server.",
		apierr.Field(apierr.DetailInvalidValue, "type", "FIDO2 needs a PUBLIC_URL whose host is a domain name, not an IP address."))
	errNeedsAttestation = apierr.Invalid("A FIDO2 device is activated with the browser's attestation, not a passcode.",
		apierr.Field(apierr.DetailRequired, "attestation", "attestation is required for a FIDO2 device."))
	errNotFIDO2 = apierr.Invalid("Only a FIDO2 device is activated with an attestation.",
		apierr.Field(apierr.DetailInvalidValue, "attestation", "The device is not a FIDO2 device: send its otp."))
	errFIDO2Expired = apierr.Invalid("The pairing has expired. Remove this method and add it again.",
		apierr.Field(apierr.DetailOTPExpired, "attestation", "The registration ceremony has expired."))
	errNothingToSendFIDO2 = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"A security key or passkey has no activation code to send.",
		apierr.Field(apierr.DetailInvalidAction, "type", "FIDO2 devices are activated with the browser's attestation."))
)

// fidoUser is u as the relying party sees it, with the credentials of its
// paired FIDO2 devices except skip (the device being paired).
func fidoUser(u *store.User, skip string) fido.User {
	name := u.Username
	if name == "" {
		name = u.ID
	}
	display := u.FormattedName
	if display == "" {
		display = name
	}
	return fido.User{ID: u.ID, Name: name, DisplayName: display, Credentials: fidoCredentials(u.Devices, skip)}
}

// fidoCredentials are the WebAuthn credentials of the FIDO2 devices in ds
// that have one (paired), except the device skip.
func fidoCredentials(ds []store.Device, skip string) []fido.Credential {
	var out []fido.Credential
	for _, d := range ds {
		if d.ID == skip || d.Type != resource.DeviceFIDO2 || d.FIDO2 == nil || len(d.FIDO2.CredentialID) == 0 {
			continue
		}
		out = append(out, fido.Stored(d.FIDO2))
	}
	return out
}

// newFIDO2 starts the registration ceremony of the pending device d: the
// creation options (to show) and the session (to check the attestation
// against) are kept on d until its pairing window ends.
func (a *API) newFIDO2(u *store.User, d *store.Device, kind string, now time.Time) error {
	if a.d.FIDO == nil {
		return errFIDO2Unavailable
	}
	opts, s, err := a.d.FIDO.BeginRegistration(fidoUser(u, d.ID), fido.Kind(kind))
	if err != nil {
		return err
	}
	d.FIDO2 = &store.FIDO2Credential{Kind: kind, Session: s, CreationOptions: string(opts)}
	d.ActivationExpiresAt = now.Add(FIDO2PairingWindow)
	return nil
}

// showFIDO2 puts a FIDO2 device's kind and authenticator name on its
// resource.
func showFIDO2(out *resource.Device, d store.Device) {
	if d.Type != resource.DeviceFIDO2 || d.FIDO2 == nil {
		return
	}
	out.Kind, out.AuthenticatorName = d.FIDO2.Kind, d.FIDO2.AuthenticatorName
}

// showPendingFIDO2 puts the creation options on the resource of a FIDO2
// device still pending within its window (the create response, and reads
// of the device, so a pairing can be finished later).
func (a *API) showPendingFIDO2(out *resource.Device, d store.Device) {
	if d.Type != resource.DeviceFIDO2 || d.Status != resource.DeviceActivationRequired || d.FIDO2 == nil ||
		!a.now().Before(d.ActivationExpiresAt) {
		return
	}
	out.PublicKeyCredentialCreationOptions = d.FIDO2.CreationOptions
}

// readFIDO2Activate reads {attestation, origin}; the origin must be this
// server's (the attestation's client data is checked against it too).
func (a *API) readFIDO2Activate(body []byte) (resource.FIDO2Activate, error) {
	var in resource.FIDO2Activate
	o, err := parseObject(body)
	if err != nil {
		return in, err
	}
	o.Require("attestation")
	o.Require("origin")
	if o.String("attestation", &in.Attestation, false) && len(in.Attestation) > maxAttestation {
		o.Fail("attestation", "is too long.")
	}
	if o.String("origin", &in.Origin, false) && a.d.FIDO != nil && a.d.FIDO.CheckOrigin(in.Origin) != nil {
		o.Fail("origin", "must be "+a.d.FIDO.Origin()+".")
	}
	o.Rest(nil)
	return in, invalid(o.Details())
}

// activateFIDO2 completes a pending FIDO2 device with the attestation the
// browser made for its creation options. The ceremony's session is used
// once: the guarded write that makes the device ACTIVE clears it, so the
// same attestation sent again finds the device active. A response that
// does not verify is refused and changes nothing.
func (a *API) activateFIDO2(c *fiber.Ctx, w writer, deviceID string) error {
	if a.d.FIDO == nil {
		return errFIDO2Unavailable
	}
	in, err := a.readFIDO2Activate(c.Body())
	if err != nil {
		return err
	}
	return a.activatePending(c, w, deviceID, func(_ *store.Environment, u *store.User, d *store.Device, now time.Time) error {
		if d.Type != resource.DeviceFIDO2 {
			return errNotFIDO2
		}
		if d.FIDO2 == nil || len(d.FIDO2.Session) == 0 || !now.Before(d.ActivationExpiresAt) {
			return errFIDO2Expired
		}
		kind := fido.Kind(d.FIDO2.Kind)
		cred, err := a.d.FIDO.FinishRegistration(fidoUser(u, d.ID), d.FIDO2.Session, kind, []byte(in.Attestation))
		if err != nil {
			return attestationError(err)
		}
		name := fido.AuthenticatorName(cred.AAGUID, kind)
		d.FIDO2 = &store.FIDO2Credential{
			Kind: string(kind), CredentialID: cred.ID, PublicKey: cred.PublicKey, SignCount: int64(cred.SignCount),
			AAGUID: cred.AAGUID, AuthenticatorName: name, Transports: cred.Transports,
			BackupEligible: cred.BackupEligible, BackupState: cred.BackupState, UserVerified: cred.UserVerified,
			AttestationFormat: cred.AttestationFormat,
		}
		if d.Nickname == "" {
			d.Nickname = name
		}
		d.Status, d.UpdatedAt = resource.DeviceActive, now
		d.ActivationExpiresAt, d.ActivationFailures, d.ActivationLockedUntil = time.Time{}, 0, time.Time{}
		return nil
	})
}

// attestationError refuses an attestation that does not verify. The
// library's reason stays in the server: it can name internals.
func attestationError(err error) error {
	if errors.Is(err, fido.ErrOrigin) {
		return apierr.Invalid("The security key or passkey was registered on another site.",
			apierr.Field(apierr.DetailInvalidValue, "attestation", "The attestation's origin is not this server's."))
	}
	if errors.Is(err, fido.ErrInvalid) {
		return apierr.Invalid("The security key or passkey response was not accepted. Try again.",
			apierr.Field(apierr.DetailInvalidValue, "attestation", "The attestation does not verify against this device's registration."))
	}
	return err
}

// fido2PairedMethod names a FIDO2 device for the paired notice.
func fido2PairedMethod(d store.Device) string {
	if d.FIDO2 != nil && d.FIDO2.Kind == resource.FIDO2Platform {
		return "A passkey (" + d.FIDO2.AuthenticatorName + ")"
	}
	if d.FIDO2 != nil {
		return "A security key (" + d.FIDO2.AuthenticatorName + ")"
	}
	return "A security key or passkey"
}

// readFIDO2Kind reads the kind of a FIDO2 create body (default PLATFORM,
// a passkey) and refuses it on other types. A FIDO2 device proves its key
// only by an attestation, so it is never created ACTIVE.
func readFIDO2Kind(o *object, in *deviceCreate) {
	if o.String("kind", &in.Kind, true) && in.Type != resource.DeviceFIDO2 {
		o.Fail("kind", "is only for FIDO2 devices.")
		return
	}
	if in.Type != resource.DeviceFIDO2 {
		return
	}
	switch in.Kind {
	case "":
		in.Kind = resource.FIDO2Platform
	case resource.FIDO2Platform, resource.FIDO2SecurityKey:
	default:
		o.Fail("kind", "must be SECURITY_KEY or PLATFORM.")
	}
	if statusIsActive(o) {
		o.Fail("status", "must be ACTIVATION_REQUIRED: a FIDO2 device is activated with the browser's attestation.")
	}
}

// statusIsActive peeks at the body's status (read later in the body).
func statusIsActive(o *object) bool {
	raw, ok := o.raw("status")
	return ok && string(bytes.TrimSpace(raw)) == `"`+resource.DeviceActive+`"`
}

// hasAttestation tells a FIDO2 activation body ({attestation, origin})
// from a passcode one ({otp}) before the device is read.
func hasAttestation(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	_, ok := m["attestation"]
	return ok
}
