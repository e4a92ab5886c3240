package manage

import (
	"net/http"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
)

var errPairingDisabled = apierr.New(http.StatusForbidden, apierr.InsufficientPermission,
	"Adding authentication methods is turned off in this environment. Ask an administrator to add one for you.",
	apierr.Field(apierr.DetailPairingDisabled, "mfaSettings.pairing.disabled",
		"Pairing is disabled: users may pair only their first method."))

// checkPairing enforces mfaSettings.pairing.disabled on a write that pairs
// a device (create, activate, resend), against the fresh user record: a
// user on their own record may then pair only while they have no ACTIVE
// or BLOCKED device, the rule of the password-only first pairing, or
// nobody could start. Administrators acting by role are not bound by it.
// Activation is checked too, so pending devices made while the user had
// none cannot all be paired afterwards.
func checkPairing(w writer, s store.MFASettings, u *store.User) error {
	if !w.Self || !s.PairingDisabled || firstDevice(u.Devices) {
		return nil
	}
	return errPairingDisabled
}
