package fido

import "github.com/google/uuid"

// knownAuthenticators names a few common authenticators by AAGUID, from
// the community list at github.com/passkeydeveloper/passkey-authenticator-aaguids
// and FIDO's metadata. It is only for showing the user which authenticator
// a device is: nothing is trusted because of it (attestation is "none", so
// the AAGUID is whatever the authenticator says).
var knownAuthenticators = map[uuid.UUID]string{
	uuid.MustParse("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"): "Google Password Manager",
	uuid.MustParse("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"): "iCloud Keychain",
	uuid.MustParse("dd4ec289-e01d-41c9-bb89-70fa845d4bf2"): "iCloud Keychain (Managed)",
	uuid.MustParse("08987058-cadc-4b81-b6e1-30de50dcbe96"): "Windows Hello",
	uuid.MustParse("9ddd1817-af5a-4672-a2b9-3e3dd95000a9"): "Windows Hello",
	uuid.MustParse("6028b017-b1d4-4c02-b4b3-afcdafc96bb2"): "Windows Hello",
	uuid.MustParse("adce0002-35bc-c60a-648b-0b25f1f05503"): "Chrome on Mac",
	uuid.MustParse("cb69481e-8ff7-4039-93ec-0a2729a154a8"): "YubiKey 5 Series",
	uuid.MustParse("ee882879-721c-4913-9775-3dfcce97072a"): "YubiKey 5 Series",
	uuid.MustParse("fa2b99dc-9e39-4257-8f92-4a30d23c4118"): "YubiKey 5 Series with NFC",
	uuid.MustParse("2fc0579f-8113-47ea-b116-bb5a8db9202a"): "YubiKey 5 Series with NFC",
	// Chromium's virtual authenticator (DevTools WebAuthn domain, and the
	// browser tests): kDeviceAaguid in device/fido/virtual_ctap2_device.cc.
	uuid.MustParse("01020304-0506-0708-0102-030405060708"): "Chromium virtual authenticator",
}

// Fallback names when the AAGUID is unknown or zero (many authenticators
// send zeros when no attestation is asked for).
const (
	NameSecurityKey = "Security key"
	NamePasskey     = "Passkey"
)

// AuthenticatorName names the authenticator with this AAGUID, or, when it
// is not a known one, the kind of authenticator it was paired as.
func AuthenticatorName(aaguid []byte, k Kind) string {
	if id, err := uuid.FromBytes(aaguid); err == nil {
		if name, ok := knownAuthenticators[id]; ok {
			return name
		}
	}
	if k == KindPlatform {
		return NamePasskey
	}
	return NameSecurityKey
}
