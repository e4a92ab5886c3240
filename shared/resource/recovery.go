package resource

import "time"

// ActionRecoveryCodeCheck is the flow action that completes the MFA step
// with a recovery code instead of the device's (our extension). A flow
// offers it in _links while the user has codes left.
const ActionRecoveryCodeCheck = "recoveryCode.check"

// RecoveryCodeCount is how many codes a new set has.
const RecoveryCodeCount = 10

// RecoveryCodeCheck is the body of recoveryCode.check.
type RecoveryCodeCheck struct {
	RecoveryCode string `json:"recoveryCode"`
}

// RecoveryCodes is a user's recovery-code set (our extension). Codes is
// filled only in the answer that made the set: the server keeps hashes
// and can never show the codes again. CreatedAt is absent when the user
// has no set.
type RecoveryCodes struct {
	Links     Links      `json:"_links,omitempty"`
	Codes     []string   `json:"codes,omitempty"`
	Remaining int        `json:"remaining"`
	CreatedAt *time.Time `json:"createdAt,omitempty"`
}
