// Package apierr is the management API's error model, PingOne-shaped:
// {"id","code","message","details":[{"code","target","message","innerError"}]}.
// Codes are append-only constants; the UI maps them to human text.
package apierr

import "fmt"

// Top-level error codes (PingOne's names).
const (
	InvalidData            = "INVALID_DATA"
	InvalidToken           = "INVALID_TOKEN"
	InsufficientPermission = "INSUFFICIENT_PERMISSIONS"
	NotFound               = "NOT_FOUND"
	RequestLimited         = "REQUEST_LIMITED"
	RequestFailed          = "REQUEST_FAILED"
	InvalidRequest         = "INVALID_REQUEST"
	Conflict               = "CONFLICT"
	UnsupportedMediaType   = "UNSUPPORTED_MEDIA_TYPE"
	RequestTooLarge        = "REQUEST_TOO_LARGE"
	MethodNotAllowed       = "METHOD_NOT_ALLOWED"
	UnexpectedServerError  = "UNEXPECTED_SERVER_ERROR"
	ServiceUnavailable     = "SERVICE_UNAVAILABLE"
)

// Detail codes, used inside Details[].Code.
const (
	DetailInvalidValue       = "INVALID_VALUE"
	DetailRequired           = "REQUIRED_VALUE"
	DetailSizeLimit          = "SIZE_LIMIT_EXCEEDED"
	DetailUniqueness         = "UNIQUENESS_VIOLATION"
	DetailReadOnly           = "READ_ONLY"
	DetailUnknownAttribute   = "UNKNOWN_ATTRIBUTE"
	DetailInvalidOTP         = "INVALID_OTP"
	DetailOTPExpired         = "OTP_EXPIRED"
	DetailInvalidCredentials = "INVALID_CREDENTIALS"
	DetailLimitExceeded      = "LIMIT_EXCEEDED"
	DetailInvalidAction      = "INVALID_ACTION"
	DetailAccountLocked      = "ACCOUNT_LOCKED"
	DetailAccountDisabled    = "ACCOUNT_DISABLED"
	DetailNoUsableDevices    = "NO_USABLE_DEVICES"
	// DetailMFARequired: the write needs an MFA completed in this session
	// recently (step-up), not just a password.
	DetailMFARequired = "MFA_REQUIRED"
	// DetailAccountFrozen: the user secured their account recently; their
	// own method changes wait until the freeze ends (administrators'
	// changes do not).
	DetailAccountFrozen = "ACCOUNT_FROZEN"

	// Password policy rules: each failed rule is one detail with its own
	// code, so the UI can say which rule a new password broke.
	DetailPasswordTooShort       = "PASSWORD_TOO_SHORT"
	DetailPasswordTooLong        = "PASSWORD_TOO_LONG"
	DetailPasswordCommon         = "PASSWORD_COMMON"
	DetailPasswordProfileData    = "PASSWORD_PROFILE_DATA"
	DetailPasswordSimilar        = "PASSWORD_SIMILAR"
	DetailPasswordSameAsCurrent  = "PASSWORD_SAME_AS_CURRENT"
	DetailPasswordHistory        = "PASSWORD_HISTORY"
	DetailPasswordCharacters     = "PASSWORD_CHARACTERS"
	DetailPasswordRepeated       = "PASSWORD_REPEATED_CHARACTERS"
	DetailPasswordUniqueChars    = "PASSWORD_UNIQUE_CHARACTERS"
	DetailPasswordMinAge         = "PASSWORD_MIN_AGE"
	DetailPasswordInvalidContent = "PASSWORD_INVALID_CHARACTERS"

	// DetailPairingDisabled: the environment's mfaSettings.pairing.disabled
	// keeps users from adding methods themselves (their first one aside).
	DetailPairingDisabled = "PAIRING_DISABLED"
)

// Error is a public API error: safe to show to the client as it is.
type Error struct {
	ID      string   `json:"id,omitempty"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Details []Detail `json:"details,omitempty"`

	// Status is the HTTP status the error is sent with; not serialised.
	Status int `json:"-"`
	// RetryAfter, in whole seconds, becomes a Retry-After header when > 0.
	RetryAfter int `json:"-"`
}

// Detail names one problem with one part of the request.
type Detail struct {
	Code       string         `json:"code"`
	Target     string         `json:"target,omitempty"`
	Message    string         `json:"message"`
	InnerError map[string]any `json:"innerError,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Details) > 0 {
		return fmt.Sprintf("%s: %s (%s %s)", e.Code, e.Message, e.Details[0].Target, e.Details[0].Code)
	}
	return e.Code + ": " + e.Message
}

// New returns an error with the given status, code and message.
func New(status int, code, message string, details ...Detail) *Error {
	return &Error{Status: status, Code: code, Message: message, Details: details}
}

// Invalid is a 400 INVALID_DATA carrying the given field details.
func Invalid(message string, details ...Detail) *Error {
	return New(400, InvalidData, message, details...)
}

// Field is shorthand for a detail about one request field.
func Field(code, target, message string) Detail {
	return Detail{Code: code, Target: target, Message: message}
}

// Unauthorized is the 401 for a missing, malformed, expired or revoked token.
func Unauthorized(message string) *Error { return New(401, InvalidToken, message) }

// Forbidden is the 403 for a valid token lacking a scope or role, or a feature switched off.
func Forbidden(message string) *Error { return New(403, InsufficientPermission, message) }

// NotFoundError is the 404 for anything missing or not the caller's to see.
func NotFoundError(message string) *Error { return New(404, NotFound, message) }

// Limited is the 429 with a Retry-After in seconds.
func Limited(retryAfterSeconds int) *Error {
	if retryAfterSeconds < 1 {
		retryAfterSeconds = 1
	}
	e := New(429, RequestLimited, "Too many requests. Try again later.")
	e.RetryAfter = retryAfterSeconds
	return e
}

// ConflictError is the 409 for an optimistic-concurrency conflict.
func ConflictError(message string) *Error { return New(409, Conflict, message) }
