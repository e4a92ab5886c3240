package fido

import "github.com/myaccount/myaccount/server/internal/store"

// Stored is the relying party's view of a credential as the store keeps it
// on a FIDO2 device.
func Stored(c *store.FIDO2Credential) Credential {
	return Credential{
		ID: c.CredentialID, PublicKey: c.PublicKey, SignCount: uint32(c.SignCount), AAGUID: c.AAGUID,
		Transports: c.Transports, BackupEligible: c.BackupEligible, BackupState: c.BackupState,
		UserVerified: c.UserVerified, AttestationFormat: c.AttestationFormat, Kind: Kind(c.Kind),
	}
}
