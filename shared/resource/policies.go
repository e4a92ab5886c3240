package resource

import "time"

// MFALockout is the account-wide MFA lockout of mfaSettings: after
// FailureCount failed MFA attempts of any method, the user's MFA is locked
// for the rest of a DurationSeconds window.
type MFALockout struct {
	FailureCount    int `json:"failureCount"`
	DurationSeconds int `json:"durationSeconds"`
}

// MFATOTP holds mfaSettings' authenticator-app rules.
type MFATOTP struct {
	// TimeWindowSteps is the grace window: codes of this many 30-second
	// steps either side of now are accepted (0–2).
	TimeWindowSteps int `json:"timeWindowSteps"`
}

// Time units of a TimeAmount.
const (
	UnitSeconds = "SECONDS"
	UnitMinutes = "MINUTES"
)

// TimeAmount is PingOne's {duration, timeUnit} pair.
type TimeAmount struct {
	Duration int    `json:"duration"`
	TimeUnit string `json:"timeUnit"`
}

// PolicyMethod switches one authentication method of a device
// authentication policy.
type PolicyMethod struct {
	Enabled bool `json:"enabled"`
}

// PolicyAuthentication says how a device authentication policy picks the
// device: DEFAULT_TO_FIRST, PROMPT_TO_SELECT or ALWAYS_DISPLAY_DEVICES.
type PolicyAuthentication struct {
	DeviceSelection string `json:"deviceSelection"`
}

// PolicyOTPFailure is a policy's own wrong-passcode limit: Count wrong
// passcodes, then CoolDown.
type PolicyOTPFailure struct {
	Count    int        `json:"count"`
	CoolDown TimeAmount `json:"coolDown"`
}

// PolicyOTP overrides mfaSettings.otp's failure rule for one policy.
type PolicyOTP struct {
	Failure PolicyOTPFailure `json:"failure"`
}

// DeviceAuthPolicy is a device authentication policy (PingOne's "MFA
// policy"): the methods an MFA step may challenge and how the device is
// chosen. RecoveryCodes and OTP are our extensions; OTP is absent when the
// policy uses mfaSettings.otp's failure rule.
type DeviceAuthPolicy struct {
	Links          Links                `json:"_links,omitempty"`
	ID             string               `json:"id"`
	Environment    Ref                  `json:"environment"`
	Name           string               `json:"name"`
	Default        bool                 `json:"default"`
	Authentication PolicyAuthentication `json:"authentication"`
	SMS            PolicyMethod         `json:"sms"`
	Voice          PolicyMethod         `json:"voice"`
	Email          PolicyMethod         `json:"email"`
	TOTP           PolicyMethod         `json:"totp"`
	FIDO2          PolicyMethod         `json:"fido2"`
	RecoveryCodes  PolicyMethod         `json:"recoveryCodes"`
	OTP            *PolicyOTP           `json:"otp,omitempty"`
	CreatedAt      time.Time            `json:"createdAt"`
	UpdatedAt      time.Time            `json:"updatedAt"`
	// Applications are the applications the policy applies to (PingOne's
	// MFA policy added to an app); "Manage PingID devices via MyAccount"
	// in selfService adds the MyAccount application to every policy.
	Applications []Ref `json:"applications,omitempty"`
}
