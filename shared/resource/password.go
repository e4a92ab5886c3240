package resource

import "time"

// PasswordPolicy is one of an environment's password policies, in
// PingOne's shape. A rule that is off is absent (history, lockout,
// maxAgeDays, …) or false.
type PasswordPolicy struct {
	Links                 Links            `json:"_links,omitempty"`
	ID                    string           `json:"id"`
	Environment           Ref              `json:"environment"`
	Name                  string           `json:"name"`
	Description           string           `json:"description,omitempty"`
	Default               bool             `json:"default"`
	BuiltIn               bool             `json:"builtIn"` // our extension: Standard, Passphrase, Basic
	ExcludesCommonlyUsed  bool             `json:"excludesCommonlyUsed"`
	ExcludesProfileData   bool             `json:"excludesProfileData"`
	NotSimilarToCurrent   bool             `json:"notSimilarToCurrent"`
	History               *PasswordHistory `json:"history,omitempty"`
	Length                PasswordLength   `json:"length"`
	Lockout               *PasswordLockout `json:"lockout,omitempty"`
	MinAgeDays            int              `json:"minAgeDays,omitempty"`
	MaxAgeDays            int              `json:"maxAgeDays,omitempty"`
	MaxRepeatedCharacters int              `json:"maxRepeatedCharacters,omitempty"`
	MinUniqueCharacters   int              `json:"minUniqueCharacters,omitempty"`
	MinCharacters         map[string]int   `json:"minCharacters,omitempty"`
	CreatedAt             time.Time        `json:"createdAt"`
	UpdatedAt             time.Time        `json:"updatedAt"`
}

// PasswordHistory: a new password may not be one of the last Count, kept
// for RetentionDays.
type PasswordHistory struct {
	Count         int `json:"count"`
	RetentionDays int `json:"retentionDays"`
}

// PasswordLength bounds a password's length in characters (Unicode code
// points after NFC normalisation, not bytes).
type PasswordLength struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// PasswordLockout locks the password for DurationSeconds after
// FailureCount wrong ones.
type PasswordLockout struct {
	FailureCount    int `json:"failureCount"`
	DurationSeconds int `json:"durationSeconds"`
}

// Password states (PingOne's names).
const (
	PasswordOK         = "OK"
	PasswordNone       = "NO_PASSWORD"
	PasswordMustChange = "MUST_CHANGE_PASSWORD"
	PasswordExpired    = "PASSWORD_EXPIRED"
	PasswordLockedOut  = "PASSWORD_LOCKED_OUT"
)

// ActionPasswordReset is the sign-on flow action (and the management API
// media type's action) that changes a password: currentPassword and
// newPassword.
const ActionPasswordReset = "password.reset"

// Sign-on flow statuses of a password that must change before the flow
// goes on (PingOne's names: the password state is the flow status); the
// flow offers the password.reset action.
const (
	FlowMustChangePassword = PasswordMustChange
	FlowPasswordExpired    = PasswordExpired
)

// PasswordState is GET /users/{id}/password: where the user's password
// stands and the policy it answers to.
type PasswordState struct {
	Links       Links  `json:"_links,omitempty"`
	Environment Ref    `json:"environment"`
	User        Ref    `json:"user"`
	Status      string `json:"status"`
	// LastChangedAt is absent when the user has no password.
	LastChangedAt *time.Time `json:"lastChangedAt,omitempty"`
	// SecondsUntilUnlock is set while the password is locked out.
	SecondsUntilUnlock int             `json:"secondsUntilUnlock,omitempty"`
	PasswordPolicy     *PasswordPolicy `json:"passwordPolicy,omitempty"`
}

// PasswordReset is the body of password.reset: the user's own change.
type PasswordReset struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// PasswordSet is the body of password.set: an administrator sets the
// password, and with ForceChange the user must change it at next sign-on.
type PasswordSet struct {
	Value       string `json:"value"`
	ForceChange bool   `json:"forceChange,omitempty"`
}

// PasswordValidate is the body of password.validate: a candidate checked
// against the policy, nothing changed. CurrentPassword (our extension) is
// only compared with the candidate for the "not similar" rule; it is never
// checked against the stored password.
type PasswordValidate struct {
	NewPassword     string `json:"newPassword"`
	CurrentPassword string `json:"currentPassword,omitempty"`
}

// PasswordValidation is the answer of a password.validate the candidate
// passes (one that fails is a 400 INVALID_DATA with a detail per rule).
type PasswordValidation struct {
	Valid bool `json:"valid"`
}
