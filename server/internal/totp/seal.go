package totp

import (
	"encoding/binary"
	"fmt"

	"github.com/myaccount/myaccount/server/internal/secret"
)

// adLabel separates TOTP secrets from anything else the same Box seals, so
// a sealed signing key can never be opened as a TOTP secret or vice versa.
const adLabel = "myaccount/totp-secret/v1"

// Seal encrypts a TOTP secret for storage in the record of one device. The
// associated data binds it to the environment and device, so a sealed
// secret copied to another device (or environment) does not open.
func Seal(box *secret.Box, envID, deviceID, secretBase32 string) []byte {
	return box.Seal([]byte(secretBase32), associatedData(envID, deviceID))
}

// Open decrypts what Seal made for the same environment and device. Its
// errors wrap secret.ErrDecrypt (wrong env, device, key or a tampered
// value), secret.ErrUnknownVersion or secret.ErrMalformed.
func Open(box *secret.Box, envID, deviceID string, sealed []byte) (string, error) {
	pt, err := box.Open(sealed, associatedData(envID, deviceID))
	if err != nil {
		return "", fmt.Errorf("totp: open secret: %w", err)
	}
	return string(pt), nil
}

// associatedData length-prefixes each id, so no two (env, device) pairs
// encode alike whatever characters the ids hold.
func associatedData(envID, deviceID string) []byte {
	ad := make([]byte, 0, len(adLabel)+len(envID)+len(deviceID)+2*binary.MaxVarintLen64)
	ad = append(ad, adLabel...)
	for _, s := range []string{envID, deviceID} {
		ad = binary.AppendUvarint(ad, uint64(len(s)))
		ad = append(ad, s...)
	}
	return ad
}

// DefaultSkew is the grace window, in time steps either side of now, used
// while the environment's policy has no setting for it: one step (30 s)
// covers clock drift and a code typed as it rolls over.
const DefaultSkew = 1

// CheckSealed opens a device's sealed secret and verifies code with v (see
// Verifier.Verify: the caller stores the returned step with a
// version-guarded update). An error means the secret did not open, which
// is a server fault, never the user's.
func CheckSealed(box *secret.Box, v *Verifier, envID, deviceID string, sealed []byte, code string, lastStep int64, skew uint) (step int64, ok bool, err error) {
	s, err := Open(box, envID, deviceID, sealed)
	if err != nil {
		return 0, false, err
	}
	step, ok = v.Verify(s, code, lastStep, skew)
	return step, ok, nil
}
