// Package store defines the storage records and the small per-aggregate
// interfaces the server uses. Two backends implement them (sqlite: the
// embedded default; mongo: production and scale-out) and pass one
// conformance suite (storetest).
//
// Every record carries its environment id and every method takes it: no
// query runs without it. Invariants are single-record atomic updates: a
// version compare-and-swap (Update* returning ErrConflict), a guarded
// "use once" (Use* returning ErrConflict the second time), or an atomic
// counter. There are no multi-record transactions.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors every backend maps its own failures to.
var (
	// ErrNotFound: no record with that key in that environment (or expired).
	ErrNotFound = errors.New("store: not found")
	// ErrDuplicate: a unique key (id, or environment + username) is taken.
	ErrDuplicate = errors.New("store: duplicate key")
	// ErrConflict: the record's version moved on since it was read, or a
	// use-once record was already used.
	ErrConflict = errors.New("store: conflict")
)

// RoleAssignment grants an administrator role over one environment, or over
// every environment when EnvironmentID is "*".
type RoleAssignment struct {
	Role          string `bson:"role" json:"role"`
	EnvironmentID string `bson:"environmentId" json:"environmentId"`
}

// SignOnPolicy is an environment's sign-on policy.
type SignOnPolicy struct {
	ID                 string    `bson:"id" json:"id"`
	Name               string    `bson:"name" json:"name"`
	MFA                bool      `bson:"mfa" json:"mfa"`
	EnrollDuringSignOn bool      `bson:"enrollDuringSignOn" json:"enrollDuringSignOn"`
	DeviceSelection    string    `bson:"deviceSelection" json:"deviceSelection"`
	UpdatedAt          time.Time `bson:"updatedAt" json:"updatedAt"`
	// AgreementID names the agreement (Environment.Agreements) users
	// consent to at sign-on; empty for none.
	AgreementID string `bson:"agreementId,omitempty" json:"agreementId,omitempty"`
	// Applications are the client ids an additional policy
	// (Environment.SignOnPolicies) applies to; empty on the default one,
	// which applies to every other application.
	Applications []string `bson:"applications,omitempty" json:"applications,omitempty"`
}

// MFASettings are an environment's OTP and pairing rules.
type MFASettings struct {
	OTPLength         int       `bson:"otpLength" json:"otpLength"`
	OTPLifetime       int       `bson:"otpLifetimeSeconds" json:"otpLifetimeSeconds"`
	OTPFailureCount   int       `bson:"otpFailureCount" json:"otpFailureCount"`
	OTPCoolDown       int       `bson:"otpCoolDownSeconds" json:"otpCoolDownSeconds"`
	Methods           []string  `bson:"methods" json:"methods"`
	MaxAllowedDevices int       `bson:"maxAllowedDevices" json:"maxAllowedDevices"`
	UpdatedAt         time.Time `bson:"updatedAt" json:"updatedAt"`
	// Added with device authentication policies. Records written before
	// them read as zero: mfapolicy applies the defaults, which is why the
	// TOTP window (whose 0 is a valid setting) is a pointer.
	PromptForNickname      bool `bson:"promptForNicknameOnPairing" json:"promptForNicknameOnPairing"`
	LockoutFailureCount    int  `bson:"lockoutFailureCount" json:"lockoutFailureCount"`
	LockoutDuration        int  `bson:"lockoutDurationSeconds" json:"lockoutDurationSeconds"`
	TOTPWindowSteps        *int `bson:"totpTimeWindowSteps,omitempty" json:"totpTimeWindowSteps,omitempty"`
	ExcludeEmailFromSignOn bool `bson:"excludeEmailFromSignOn" json:"excludeEmailFromSignOn"`
	// PairingDisabled keeps users from pairing devices themselves, their
	// first one aside (mfaSettings.pairing.disabled).
	PairingDisabled bool `bson:"pairingDisabled" json:"pairingDisabled"`
}

// DeviceAuthPolicy is one of an environment's device authentication
// policies (PingOne's "MFA policies"): which device types an MFA step may
// challenge, how the user picks a device, and optionally its own
// wrong-passcode limit. Exactly one policy of an environment is Default.
type DeviceAuthPolicy struct {
	ID              string    `bson:"id" json:"id"`
	Name            string    `bson:"name" json:"name"`
	Default         bool      `bson:"default" json:"default"`
	Methods         []string  `bson:"methods" json:"methods"` // enabled device types
	RecoveryCodes   bool      `bson:"recoveryCodes" json:"recoveryCodes"`
	DeviceSelection string    `bson:"deviceSelection" json:"deviceSelection"`
	OTPFailureCount int       `bson:"otpFailureCount" json:"otpFailureCount"` // 0: the MFA settings' count
	OTPCoolDown     int       `bson:"otpCoolDownSeconds" json:"otpCoolDownSeconds"`
	CreatedAt       time.Time `bson:"createdAt" json:"createdAt"`
	UpdatedAt       time.Time `bson:"updatedAt" json:"updatedAt"`
	// Applications are the client ids of the applications whose device
	// management the policy covers; "Manage PingID devices via MyAccount"
	// adds the environment's MyAccount application to every policy.
	Applications []string `bson:"applications,omitempty" json:"applications,omitempty"`
}

// MaxDeviceAuthPolicies bounds the policies embedded in one environment.
const MaxDeviceAuthPolicies = 20

// SelfService holds an environment's MyAccount feature switches.
type SelfService struct {
	ManageProfile        bool      `bson:"manageProfile" json:"manageProfile"`
	ManageAuthentication bool      `bson:"manageAuthentication" json:"manageAuthentication"`
	ManagePingIDDevices  bool      `bson:"managePingIdDevices" json:"managePingIdDevices"`
	ChangePassword       bool      `bson:"changePassword" json:"changePassword"`
	ManageLinkedAccounts bool      `bson:"manageLinkedAccounts" json:"manageLinkedAccounts"`
	ManageSessions       bool      `bson:"manageSessions" json:"manageSessions"`
	ViewAgreements       bool      `bson:"viewAgreements" json:"viewAgreements"`
	ManageOAuthConsents  bool      `bson:"manageOAuthConsents" json:"manageOAuthConsents"`
	UpdatedAt            time.Time `bson:"updatedAt" json:"updatedAt"`
	// ProfileAttributes maps a profile attribute (resource.ProfileAttributeNames)
	// to what end users may do with it; a missing one has its default.
	ProfileAttributes map[string]string `bson:"profileAttributes,omitempty" json:"profileAttributes,omitempty"`
	// ThemeOff and FooterOff are the "Apply active theme" and "Show
	// footer" switches inverted, so that records made before them read as
	// on (the defaults).
	ThemeOff  bool `bson:"themeOff" json:"themeOff"`
	FooterOff bool `bson:"footerOff" json:"footerOff"`
}

// Environment is a tenant, with its policies and settings embedded (they are
// small, bounded and change together rarely). Its EnvironmentID equals ID.
type Environment struct {
	ID                string       `bson:"_id" json:"id"`
	Name              string       `bson:"name" json:"name"`
	Description       string       `bson:"description" json:"description"`
	Type              string       `bson:"type" json:"type"`
	Administrators    bool         `bson:"administrators" json:"administrators"`
	MyAccountClientID string       `bson:"myAccountClientId" json:"myAccountClientId"`
	SignOnPolicy      SignOnPolicy `bson:"signOnPolicy" json:"signOnPolicy"`
	MFASettings       MFASettings  `bson:"mfaSettings" json:"mfaSettings"`
	SelfService       SelfService  `bson:"selfService" json:"selfService"`
	Deleted           bool         `bson:"deleted" json:"deleted"`
	Version           int64        `bson:"version" json:"version"`
	CreatedAt         time.Time    `bson:"createdAt" json:"createdAt"`
	UpdatedAt         time.Time    `bson:"updatedAt" json:"updatedAt"`

	// DeviceAuthPolicies is empty in environments made before policies
	// existed; mfapolicy.Policies supplies their default one.
	DeviceAuthPolicies []DeviceAuthPolicy `bson:"deviceAuthenticationPolicies" json:"deviceAuthenticationPolicies"`
	// PasswordPolicies are the environment's password policies (at most
	// MaxPasswordPolicies, exactly one Default). Empty means the built-in
	// ones (passwordpolicy.Builtins), written here on the first change.
	PasswordPolicies []PasswordPolicy `bson:"passwordPolicies,omitempty" json:"passwordPolicies,omitempty"`

	// Templates are the environment's own notification texts, by template
	// name (notify's registry) then BCP 47 locale; what is missing falls
	// back to the built-in English text (see notify.Templates).
	Templates map[string]map[string]TemplateContent `bson:"templates,omitempty" json:"templates,omitempty"`

	// IdentityProviders are the external OpenID Connect providers users
	// may sign on with (at most MaxIdentityProviders).
	IdentityProviders []IdentityProvider `bson:"identityProviders,omitempty" json:"identityProviders,omitempty"`
	// Agreements are the environment's terms users consent to at sign-on
	// (see Agreement; bounded by MaxAgreements and MaxAgreementTextTotal).
	Agreements []Agreement `bson:"agreements,omitempty" json:"agreements,omitempty"`

	// SignOnPolicies are the sign-on policies besides the default one
	// (SignOnPolicy), each for the applications it names (see ForClient;
	// at most MaxSignOnPolicies).
	SignOnPolicies []SignOnPolicy `bson:"signOnPolicies,omitempty" json:"signOnPolicies,omitempty"`
	// Branding is the environment's company name, colours, footer and logo.
	Branding Branding `bson:"branding" json:"branding"`
}

// Bounds of an environment's notification template overrides.
const (
	MaxTemplateLocales = 10     // locales per template
	MaxTemplateSubject = 200    // runes in a subject
	MaxTemplateBody    = 10_000 // runes in a body
)

// TemplateContent is one locale's text of a notification template: plain
// text with ${variable} placeholders, never HTML.
type TemplateContent struct {
	Subject   string    `bson:"subject" json:"subject"`
	Body      string    `bson:"body" json:"body"`
	UpdatedAt time.Time `bson:"updatedAt" json:"updatedAt"`
}

// Device is one MFA method, embedded in its user's record. The slice order
// is the user's order; the first ACTIVE device is the default.
type Device struct {
	ID        string    `bson:"id" json:"id"`
	Type      string    `bson:"type" json:"type"`
	Status    string    `bson:"status" json:"status"`
	Nickname  string    `bson:"nickname" json:"nickname"`
	Email     string    `bson:"email" json:"email"`
	Phone     string    `bson:"phone" json:"phone"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	UpdatedAt time.Time `bson:"updatedAt" json:"updatedAt"`
	// Pairing of an ACTIVATION_REQUIRED device: the hash of the passcode
	// sent (otp.Hasher, bound to the device id), when it expires and was
	// sent, the wrong tries so far and, after too many, the end of the
	// cool-down. They live on the device so that "use once" and the failure
	// count are the same version-guarded update of the user's record.
	ActivationHash        string    `bson:"activationHash" json:"activationHash"`
	ActivationExpiresAt   time.Time `bson:"activationExpiresAt" json:"activationExpiresAt"`
	ActivationSentAt      time.Time `bson:"activationSentAt" json:"activationSentAt"`
	ActivationFailures    int       `bson:"activationFailures" json:"activationFailures"`
	ActivationLockedUntil time.Time `bson:"activationLockedUntil" json:"activationLockedUntil"`
	// TOTP devices: the secret sealed with the server's key (totp.Seal,
	// bound to the environment and device), the parameters it was enrolled
	// with, and the last time step a code was accepted for. The step is
	// written by the same version-guarded update that accepts a code, so
	// each code is accepted at most once. While the device is pending,
	// ActivationExpiresAt is the end of its pairing window.
	SecretSealed []byte     `bson:"secretSealed,omitempty" json:"secretSealed,omitempty"`
	TOTPStep     int64      `bson:"totpStep" json:"totpStep"`
	TOTPParams   TOTPParams `bson:"totpParams" json:"totpParams"`
	// FIDO2 devices: the credential, and while pending the registration
	// ceremony in progress (nil for other types).
	FIDO2 *FIDO2Credential `bson:"fido2,omitempty" json:"fido2,omitempty"`
}

// FIDO2Credential is a FIDO2 device's WebAuthn credential. The sign count
// is written by the same version-guarded update of the user's record that
// accepts an assertion, so an assertion is accepted once. While the device
// is ACTIVATION_REQUIRED, Session and CreationOptions hold the registration
// ceremony until the device's ActivationExpiresAt; activation clears them.
type FIDO2Credential struct {
	Kind              string   `bson:"kind" json:"kind"` // SECURITY_KEY or PLATFORM
	CredentialID      []byte   `bson:"credentialId,omitempty" json:"credentialId,omitempty"`
	PublicKey         []byte   `bson:"publicKey,omitempty" json:"publicKey,omitempty"` // COSE_Key
	SignCount         int64    `bson:"signCount" json:"signCount"`
	AAGUID            []byte   `bson:"aaguid,omitempty" json:"aaguid,omitempty"`
	AuthenticatorName string   `bson:"authenticatorName" json:"authenticatorName"`
	Transports        []string `bson:"transports,omitempty" json:"transports,omitempty"`
	BackupEligible    bool     `bson:"backupEligible" json:"backupEligible"`
	BackupState       bool     `bson:"backupState" json:"backupState"`
	UserVerified      bool     `bson:"userVerified" json:"userVerified"`
	AttestationFormat string   `bson:"attestationFormat" json:"attestationFormat"`
	Session           []byte   `bson:"session,omitempty" json:"session,omitempty"`
	CreationOptions   string   `bson:"creationOptions,omitempty" json:"creationOptions,omitempty"`
}

// TOTPParams are the parameters a TOTP device's key was enrolled with
// (zero values mean 30 s, 6 digits, SHA1).
type TOTPParams struct {
	Period    uint   `bson:"period" json:"period"`
	Digits    int    `bson:"digits" json:"digits"`
	Algorithm string `bson:"algorithm" json:"algorithm"`
}

// MaxDevices bounds the embedded device set of one user.
const MaxDevices = 15

// RecoveryCodes is a user's set of recovery codes, embedded in the user's
// record: only keyed hashes (recovery.Hasher, bound to the environment and
// user), never the codes. Using a code removes its hash in the same
// version-guarded update of the user that accepts it, so each code works
// once; a new set replaces the old one whole.
type RecoveryCodes struct {
	Hashes    []string  `bson:"hashes" json:"hashes"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
}

// User is an identity in one environment. Username is unique per
// environment (the server stores it lower-cased).
type User struct {
	EnvironmentID      string           `bson:"environmentId" json:"environmentId"`
	ID                 string           `bson:"_id" json:"id"`
	Username           string           `bson:"username" json:"username"`
	Email              string           `bson:"email" json:"email"`
	EmailVerified      bool             `bson:"emailVerified" json:"emailVerified"`
	GivenName          string           `bson:"givenName" json:"givenName"`
	MiddleName         string           `bson:"middleName" json:"middleName"`
	FamilyName         string           `bson:"familyName" json:"familyName"`
	FormattedName      string           `bson:"formattedName" json:"formattedName"`
	PasswordHash       string           `bson:"passwordHash" json:"passwordHash"`
	PasswordChangedAt  time.Time        `bson:"passwordChangedAt" json:"passwordChangedAt"`
	MustChangePassword bool             `bson:"mustChangePassword" json:"mustChangePassword"`
	Enabled            bool             `bson:"enabled" json:"enabled"`
	Roles              []RoleAssignment `bson:"roles" json:"roles"`
	Devices            []Device         `bson:"devices" json:"devices"`
	RecoveryCodes      *RecoveryCodes   `bson:"recoveryCodes,omitempty" json:"recoveryCodes,omitempty"`
	Version            int64            `bson:"version" json:"version"`
	CreatedAt          time.Time        `bson:"createdAt" json:"createdAt"`
	UpdatedAt          time.Time        `bson:"updatedAt" json:"updatedAt"`

	// FrozenUntil: until then the user's own method changes are refused
	// ("Secure my account"); administrators' are not.
	FrozenUntil time.Time `bson:"frozenUntil" json:"frozenUntil"`

	// PasswordHistory holds the hashes of the passwords the user had before
	// the current one, newest first, as many as the policy's history count.
	PasswordHistory []PasswordHistoryEntry `bson:"passwordHistory,omitempty" json:"passwordHistory,omitempty"`

	// Profile attributes, a pending contact change and the undo of the
	// last email change (profile.go).
	Profile       Profile        `bson:"profile" json:"profile"`
	ContactChange *ContactChange `bson:"contactChange,omitempty" json:"contactChange,omitempty"`
	EmailUndo     *EmailUndo     `bson:"emailUndo,omitempty" json:"emailUndo,omitempty"`

	// LinkedAccounts are the user's external accounts (at most
	// MaxLinkedAccounts), see identityproviders.go.
	LinkedAccounts []LinkedAccount `bson:"linkedAccounts,omitempty" json:"linkedAccounts,omitempty"`
	// AgreementConsents: the user's latest consent per agreement (at most
	// MaxAgreements; see AgreementConsent).
	AgreementConsents []AgreementConsent `bson:"agreementConsents,omitempty" json:"agreementConsents,omitempty"`
	// OAuthConsents: the third-party applications the user allowed to act
	// for them, one per application (at most MaxOAuthConsents; see
	// OAuthConsent).
	OAuthConsents []OAuthConsent `bson:"oauthConsents,omitempty" json:"oauthConsents,omitempty"`
	// SecureLinks: the user's live one-time "secure my account" links
	// (securelinks.go).
	SecureLinks []SecureLink `bson:"secureLinks,omitempty" json:"secureLinks,omitempty"`
}

// PasswordHistoryEntry is one earlier password of a user: its hash (as
// PasswordHash) and when it stopped being the current one.
type PasswordHistoryEntry struct {
	Hash      string    `bson:"hash" json:"hash"`
	RetiredAt time.Time `bson:"retiredAt" json:"retiredAt"`
}

// MaxPasswordPolicies bounds an environment's embedded password policies.
const MaxPasswordPolicies = 20

// PasswordPolicy is one of an environment's password policies (PingOne's
// fields, flattened). Zero values turn a rule off.
type PasswordPolicy struct {
	ID                     string          `bson:"id" json:"id"`
	Name                   string          `bson:"name" json:"name"`
	Description            string          `bson:"description" json:"description"`
	Default                bool            `bson:"default" json:"default"`
	BuiltIn                bool            `bson:"builtIn" json:"builtIn"`
	ExcludesCommonlyUsed   bool            `bson:"excludesCommonlyUsed" json:"excludesCommonlyUsed"`
	ExcludesProfileData    bool            `bson:"excludesProfileData" json:"excludesProfileData"`
	NotSimilarToCurrent    bool            `bson:"notSimilarToCurrent" json:"notSimilarToCurrent"`
	HistoryCount           int             `bson:"historyCount" json:"historyCount"`
	HistoryRetentionDays   int             `bson:"historyRetentionDays" json:"historyRetentionDays"`
	MinLength              int             `bson:"minLength" json:"minLength"`
	MaxLength              int             `bson:"maxLength" json:"maxLength"`
	LockoutFailureCount    int             `bson:"lockoutFailureCount" json:"lockoutFailureCount"`
	LockoutDurationSeconds int             `bson:"lockoutDurationSeconds" json:"lockoutDurationSeconds"`
	MinAgeDays             int             `bson:"minAgeDays" json:"minAgeDays"`
	MaxAgeDays             int             `bson:"maxAgeDays" json:"maxAgeDays"`
	MaxRepeatedCharacters  int             `bson:"maxRepeatedCharacters" json:"maxRepeatedCharacters"`
	MinUniqueCharacters    int             `bson:"minUniqueCharacters" json:"minUniqueCharacters"`
	MinCharacters          []CharacterRule `bson:"minCharacters" json:"minCharacters"`
	CreatedAt              time.Time       `bson:"createdAt" json:"createdAt"`
	UpdatedAt              time.Time       `bson:"updatedAt" json:"updatedAt"`
}

// CharacterRule asks for at least Count characters out of Characters. A
// list, not PingOne's map keyed by the characters: such keys hold "." and
// "$", which MongoDB does not take as field names.
type CharacterRule struct {
	Characters string `bson:"characters" json:"characters"`
	Count      int    `bson:"count" json:"count"`
}

// Application is an OAuth client. ID is its client id.
type Application struct {
	EnvironmentID   string           `bson:"environmentId" json:"environmentId"`
	ID              string           `bson:"_id" json:"id"`
	Name            string           `bson:"name" json:"name"`
	Type            string           `bson:"type" json:"type"`
	Enabled         bool             `bson:"enabled" json:"enabled"`
	RedirectURIs    []string         `bson:"redirectUris" json:"redirectUris"`
	SecretHash      string           `bson:"secretHash" json:"secretHash"`
	SecretChangedAt time.Time        `bson:"secretChangedAt" json:"secretChangedAt"`
	Roles           []RoleAssignment `bson:"roles" json:"roles"`
	ReducedScopes   bool             `bson:"reducedScopes" json:"reducedScopes"`
	MyAccount       bool             `bson:"myAccount" json:"myAccount"`
	Portal          *AppPortal       `bson:"portal,omitempty" json:"portal,omitempty"`
	Version         int64            `bson:"version" json:"version"`
	CreatedAt       time.Time        `bson:"createdAt" json:"createdAt"`
	UpdatedAt       time.Time        `bson:"updatedAt" json:"updatedAt"`

	// RequireConsent marks a third-party application: a user must allow
	// the scopes it asks for (the consent screen at authorize) before it
	// gets a code. The MyAccount application and the portal never do.
	RequireConsent bool `bson:"requireConsent,omitempty" json:"requireConsent,omitempty"`
}

// AppPortal is how an application shows in the application portal.
type AppPortal struct {
	Show     bool   `bson:"show" json:"show"`
	Name     string `bson:"name,omitempty" json:"name,omitempty"`
	IconURL  string `bson:"iconUrl,omitempty" json:"iconUrl,omitempty"`
	StartURL string `bson:"startUrl,omitempty" json:"startUrl,omitempty"`
}

// SigningKey is one of an environment's token-signing keys; PrivateKey is
// encrypted with the key-encryption key before it reaches the store.
type SigningKey struct {
	EnvironmentID string    `bson:"environmentId" json:"environmentId"`
	ID            string    `bson:"_id" json:"id"` // the JWT "kid"
	Algorithm     string    `bson:"algorithm" json:"algorithm"`
	PrivateKey    []byte    `bson:"privateKey" json:"privateKey"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
}

// Session is a server-side sign-on session (the "sid" of tokens and the SSO
// cookie). A session is live while RevokedAt is zero and ExpiresAt is ahead.
type Session struct {
	EnvironmentID string    `bson:"environmentId" json:"environmentId"`
	ID            string    `bson:"_id" json:"id"`
	UserID        string    `bson:"userId" json:"userId"`
	AMR           []string  `bson:"amr" json:"amr"`
	PasswordAt    time.Time `bson:"passwordAt" json:"passwordAt"`
	MFAAt         time.Time `bson:"mfaAt" json:"mfaAt"`
	IP            string    `bson:"ip" json:"ip"`
	UserAgent     string    `bson:"userAgent" json:"userAgent"`
	RevokedAt     time.Time `bson:"revokedAt" json:"revokedAt"`
	Version       int64     `bson:"version" json:"version"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt     time.Time `bson:"expiresAt" json:"expiresAt"`

	// LastUsedAt is the last time a token of the session was used (kept
	// at most a minute stale, see session.Touch); Locations the addresses
	// it was used from, newest first, at most MaxSessionLocations.
	LastUsedAt time.Time         `bson:"lastUsedAt" json:"lastUsedAt"`
	Locations  []SessionLocation `bson:"locations,omitempty" json:"locations,omitempty"`
	// RefreshNotBefore: refresh tokens of the session made before it are
	// refused ("Secure my account" keeps the session, not its tokens).
	RefreshNotBefore time.Time `bson:"refreshNotBefore" json:"refreshNotBefore"`
}

// RefreshToken is an opaque refresh token, stored by the hash of its value.
type RefreshToken struct {
	EnvironmentID string    `bson:"environmentId" json:"environmentId"`
	ID            string    `bson:"_id" json:"id"` // hash of the token
	SessionID     string    `bson:"sessionId" json:"sessionId"`
	UserID        string    `bson:"userId" json:"userId"`
	ClientID      string    `bson:"clientId" json:"clientId"`
	Scope         string    `bson:"scope" json:"scope"`
	UsedAt        time.Time `bson:"usedAt" json:"usedAt"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt     time.Time `bson:"expiresAt" json:"expiresAt"`
}

// AuthCode is an authorization code, stored by the hash of its value.
type AuthCode struct {
	EnvironmentID string    `bson:"environmentId" json:"environmentId"`
	ID            string    `bson:"_id" json:"id"` // hash of the code
	ClientID      string    `bson:"clientId" json:"clientId"`
	RedirectURI   string    `bson:"redirectUri" json:"redirectUri"`
	UserID        string    `bson:"userId" json:"userId"`
	SessionID     string    `bson:"sessionId" json:"sessionId"`
	Scope         string    `bson:"scope" json:"scope"`
	Nonce         string    `bson:"nonce" json:"nonce"`
	CodeChallenge string    `bson:"codeChallenge" json:"codeChallenge"`
	ACR           string    `bson:"acr" json:"acr"`
	AMR           []string  `bson:"amr" json:"amr"`
	AuthTime      time.Time `bson:"authTime" json:"authTime"`
	UsedAt        time.Time `bson:"usedAt" json:"usedAt"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt     time.Time `bson:"expiresAt" json:"expiresAt"`
}

// FlowKindDeviceAuthentication marks a flow started through the developer
// MFA API (/{envId}/deviceAuthentications) rather than a browser sign-on.
const FlowKindDeviceAuthentication = "DEVICE_AUTHENTICATION"

// Flow is a hosted sign-on flow, bound to one browser by BrowserHash (the
// hash of its flow cookie), or a device authentication (Kind). Its one-time
// passcode challenge lives on it, so "use this OTP once" is one
// version-guarded update.
type Flow struct {
	EnvironmentID    string    `bson:"environmentId" json:"environmentId"`
	ID               string    `bson:"_id" json:"id"`
	Status           string    `bson:"status" json:"status"`
	BrowserHash      string    `bson:"browserHash" json:"browserHash"`
	ClientID         string    `bson:"clientId" json:"clientId"`
	RedirectURI      string    `bson:"redirectUri" json:"redirectUri"`
	State            string    `bson:"state" json:"state"`
	Nonce            string    `bson:"nonce" json:"nonce"`
	CodeChallenge    string    `bson:"codeChallenge" json:"codeChallenge"`
	Scope            string    `bson:"scope" json:"scope"`
	ACR              string    `bson:"acr" json:"acr"`
	UserID           string    `bson:"userId" json:"userId"`
	SessionID        string    `bson:"sessionId" json:"sessionId"` // an existing SSO session (step-up)
	PasswordAt       time.Time `bson:"passwordAt" json:"passwordAt"`
	AMR              []string  `bson:"amr" json:"amr"`
	SelectedDeviceID string    `bson:"selectedDeviceId" json:"selectedDeviceId"`
	EnrollEmail      string    `bson:"enrollEmail" json:"enrollEmail"`
	OTPHash          string    `bson:"otpHash" json:"otpHash"`
	OTPExpiresAt     time.Time `bson:"otpExpiresAt" json:"otpExpiresAt"`
	OTPSentAt        time.Time `bson:"otpSentAt" json:"otpSentAt"`
	OTPFailures      int       `bson:"otpFailures" json:"otpFailures"`
	// Kind is "" for a hosted sign-on flow and FlowKindDeviceAuthentication
	// for an MFA check a worker application started (its ClientID); such a
	// flow has no browser and never resumes into an authorization code.
	Kind string `bson:"kind,omitempty" json:"kind,omitempty"`
	// OneTimeType and OneTimeTarget name a one-time EMAIL, SMS or VOICE
	// target of a device authentication: a passcode goes there without a
	// paired device.
	OneTimeType   string `bson:"oneTimeType,omitempty" json:"oneTimeType,omitempty"`
	OneTimeTarget string `bson:"oneTimeTarget,omitempty" json:"oneTimeTarget,omitempty"`
	// PolicyID is the device authentication policy the flow follows ("" =
	// the environment's default).
	PolicyID string `bson:"policyId,omitempty" json:"policyId,omitempty"`
	// A FIDO2 device's assertion (ASSERTION_REQUIRED): the request options
	// shown to the browser and the ceremony's session, cleared by the
	// guarded update that accepts the assertion.
	AssertionOptions string    `bson:"assertionOptions,omitempty" json:"assertionOptions,omitempty"`
	AssertionSession []byte    `bson:"assertionSession,omitempty" json:"assertionSession,omitempty"`
	UpdatedAt        time.Time `bson:"updatedAt" json:"updatedAt"`
	Version          int64     `bson:"version" json:"version"`
	CreatedAt        time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt        time.Time `bson:"expiresAt" json:"expiresAt"`

	// ConsentDenied: the user denied a third-party application's consent
	// screen; the flow resumes to the client with error=access_denied.
	ConsentDenied bool `bson:"consentDenied,omitempty" json:"consentDenied,omitempty"`
	// Federation is the flow's sign-on with an external provider, or its
	// linking of one (see FlowFederation).
	Federation *FlowFederation `bson:"federation,omitempty" json:"federation,omitempty"`
}

// OutboxMessage is a message held by the dev outbox instead of being sent.
type OutboxMessage struct {
	EnvironmentID string    `bson:"environmentId" json:"environmentId"`
	ID            string    `bson:"_id" json:"id"`
	Channel       string    `bson:"channel" json:"channel"`
	To            string    `bson:"to" json:"to"`
	Subject       string    `bson:"subject" json:"subject"`
	Body          string    `bson:"body" json:"body"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt     time.Time `bson:"expiresAt" json:"expiresAt"`
}

// Event is an audit record: who did what, when, from where, with what outcome.
type Event struct {
	EnvironmentID string            `bson:"environmentId" json:"environmentId"`
	ID            string            `bson:"_id" json:"id"`
	Action        string            `bson:"action" json:"action"`
	Outcome       string            `bson:"outcome" json:"outcome"`     // SUCCESS or FAILURE
	ActorType     string            `bson:"actorType" json:"actorType"` // USER, APPLICATION, SYSTEM
	ActorID       string            `bson:"actorId" json:"actorId"`
	UserID        string            `bson:"userId" json:"userId"` // whose account it concerns
	SessionID     string            `bson:"sessionId" json:"sessionId"`
	IP            string            `bson:"ip" json:"ip"`
	UserAgent     string            `bson:"userAgent" json:"userAgent"`
	Details       map[string]string `bson:"details" json:"details"`
	CreatedAt     time.Time         `bson:"createdAt" json:"createdAt"`
	ExpiresAt     time.Time         `bson:"expiresAt" json:"expiresAt"`
}

// Page asks for one page of a list ordered by id (ids are UUIDv7, so id
// order is creation order). After is the last id of the previous page.
type Page struct {
	After string
	Limit int
}

// Environments stores tenants.
type Environments interface {
	CreateEnvironment(ctx context.Context, e *Environment) error
	GetEnvironment(ctx context.Context, id string) (*Environment, error)
	ListEnvironments(ctx context.Context) ([]Environment, error)
	// UpdateEnvironment writes e if its stored version is still e.Version,
	// then sets e.Version to the new version; else ErrConflict.
	UpdateEnvironment(ctx context.Context, e *Environment) error
}

// Users stores users, with their devices embedded.
type Users interface {
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, envID, id string) (*User, error)
	GetUserByUsername(ctx context.Context, envID, username string) (*User, error)
	ListUsers(ctx context.Context, envID string, p Page) ([]User, error)
	// ListUsersByUsername lists the users whose username starts with
	// prefix, in username order: usernames greater than p.After, at most
	// p.Limit. It reads the (environment, username) index, never the whole
	// environment.
	ListUsersByUsername(ctx context.Context, envID, prefix string, p Page) ([]User, error)
	// UpdateUser is a version compare-and-swap, as UpdateEnvironment.
	UpdateUser(ctx context.Context, u *User) error
	// DeleteUser removes the user (its embedded devices with it); a
	// missing one is ErrNotFound.
	DeleteUser(ctx context.Context, envID, id string) error
}

// Applications stores OAuth clients.
type Applications interface {
	CreateApplication(ctx context.Context, a *Application) error
	GetApplication(ctx context.Context, envID, id string) (*Application, error)
	ListApplications(ctx context.Context, envID string) ([]Application, error)
	// UpdateApplication is a version compare-and-swap.
	UpdateApplication(ctx context.Context, a *Application) error
	// DeleteApplication removes the application; a missing one is
	// ErrNotFound.
	DeleteApplication(ctx context.Context, envID, id string) error
}

// SigningKeys stores token-signing keys.
type SigningKeys interface {
	CreateSigningKey(ctx context.Context, k *SigningKey) error
	// ListSigningKeys returns the environment's keys, newest first.
	ListSigningKeys(ctx context.Context, envID string) ([]SigningKey, error)
}

// Sessions stores sign-on sessions.
type Sessions interface {
	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns the session, revoked or not; callers check liveness.
	GetSession(ctx context.Context, envID, id string) (*Session, error)
	// ListSessions returns a user's sessions, newest first.
	ListSessions(ctx context.Context, envID, userID string) ([]Session, error)
	// UpdateSession is a version compare-and-swap.
	UpdateSession(ctx context.Context, s *Session) error
}

// RefreshTokens stores refresh tokens by hash.
type RefreshTokens interface {
	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	// UseRefreshToken marks the token used at now and returns it. A token
	// already used comes back with ErrConflict (reuse); an unknown or expired
	// one is ErrNotFound. Of N parallel callers exactly one gets no error.
	UseRefreshToken(ctx context.Context, envID, id string, now time.Time) (*RefreshToken, error)
}

// AuthCodes stores authorization codes by hash.
type AuthCodes interface {
	CreateAuthCode(ctx context.Context, c *AuthCode) error
	// UseAuthCode marks the code used, as UseRefreshToken.
	UseAuthCode(ctx context.Context, envID, id string, now time.Time) (*AuthCode, error)
}

// Flows stores sign-on flows.
type Flows interface {
	CreateFlow(ctx context.Context, f *Flow) error
	// GetFlow returns the flow; an expired one (ExpiresAt <= now) is ErrNotFound.
	GetFlow(ctx context.Context, envID, id string, now time.Time) (*Flow, error)
	// UpdateFlow is a version compare-and-swap.
	UpdateFlow(ctx context.Context, f *Flow) error
}

// Counters are expiring counters for rate limits and lockouts; they live in
// the store so they hold across server instances.
type Counters interface {
	// Incr adds 1 to the counter and returns its new value and expiry. A
	// missing or expired counter (expiresAt <= now) starts again at 1 with
	// expiresAt = now + window. Parallel increments are exact.
	Incr(ctx context.Context, envID, key string, now time.Time, window time.Duration) (count int64, expiresAt time.Time, err error)
	// Count returns the counter's value, 0 when missing or expired.
	Count(ctx context.Context, envID, key string, now time.Time) (count int64, expiresAt time.Time, err error)
	// Reset deletes the counter.
	Reset(ctx context.Context, envID, key string) error
}

// Outbox stores the dev outbox.
type Outbox interface {
	AddOutboxMessage(ctx context.Context, m *OutboxMessage) error
	// ListOutbox returns the newest messages first, at most limit.
	ListOutbox(ctx context.Context, envID string, limit int) ([]OutboxMessage, error)
}

// Events stores audit events.
type Events interface {
	AddEvent(ctx context.Context, e *Event) error
	// ListEvents returns events newest first; userID "" means every user.
	ListEvents(ctx context.Context, envID, userID string, limit int) ([]Event, error)
}

// Store is every aggregate of one backend. Consumers should depend on the
// small interfaces above, not on Store.
type Store interface {
	Environments
	Users
	Applications
	SigningKeys
	Sessions
	RefreshTokens
	AuthCodes
	Flows
	Counters
	Outbox
	Events
	EventPager
	ExternalIdentities
	ExternalIdentities
	// Ping checks the database answers (readiness).
	Ping(ctx context.Context) error
	// Sweep deletes expired flows, codes, refresh tokens, sessions,
	// counters, outbox messages and events; it returns how many went.
	Sweep(ctx context.Context, now time.Time) (int, error)
	// Backend names the backend ("sqlite" or "mongo") for the log line.
	Backend() string
	Close() error
}

// PrefixEnd is the upper bound (exclusive) of the strings that start with
// prefix, for a range read over an index: prefix followed by the last
// code point, which no valid username contains.
func PrefixEnd(prefix string) string { return prefix + "\U0010FFFF" }
