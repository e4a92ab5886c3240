// Package resource holds the JSON shapes of the API (PingOne's resource
// model: camelCase, HAL _links/_embedded, UUID ids, RFC 3339 UTC times).
// Both the server (to answer) and the PWA (to read) use them.
package resource

import "time"

// Link is one HAL link.
type Link struct {
	Href string `json:"href"`
}

// Links is a HAL _links object.
type Links map[string]Link

// Ref points at another resource by id ({"id": "…"}).
type Ref struct {
	ID string `json:"id"`
}

// List is the envelope of every list response:
// {"_embedded":{"<name>":[…]}, "count", "size", "_links":{"self","next"}}.
type List[T any] struct {
	Links    Links          `json:"_links"`
	Embedded map[string][]T `json:"_embedded"`
	Count    int            `json:"count"`
	Size     int            `json:"size"`
}

// NewList wraps items (never nil: "[]" not "null") under name.
func NewList[T any](name string, items []T, self, next string) List[T] {
	if items == nil {
		items = []T{}
	}
	l := List[T]{Links: Links{"self": {Href: self}}, Embedded: map[string][]T{name: items}, Count: len(items), Size: len(items)}
	if next != "" {
		l.Links["next"] = Link{Href: next}
	}
	return l
}

// Environment types.
const (
	EnvSandbox    = "SANDBOX"
	EnvProduction = "PRODUCTION"
)

// Environment is a tenant.
type Environment struct {
	Links          Links     `json:"_links,omitempty"`
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`
	Type           string    `json:"type"`
	Administrators bool      `json:"administrators"` // our extension: the admin console's environment
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// Name is a person's name.
type Name struct {
	Formatted string `json:"formatted,omitempty"`
	Given     string `json:"given,omitempty"`
	Middle    string `json:"middle,omitempty"`
	Family    string `json:"family,omitempty"`
	// Honorifics ("Dr.", "Jr."), PingOne's name.honorificPrefix and
	// name.honorificSuffix.
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// Account states.
const (
	AccountOK     = "OK"
	AccountLocked = "LOCKED"
)

// Account is the user's sign-on state.
type Account struct {
	Status string `json:"status"`
}

// Password is write-only, accepted when a user is created.
type Password struct {
	Value       string `json:"value"`
	ForceChange bool   `json:"forceChange,omitempty"`
}

// User is an identity in one environment.
type User struct {
	Links         Links     `json:"_links,omitempty"`
	ID            string    `json:"id"`
	Environment   Ref       `json:"environment"`
	Username      string    `json:"username"`
	Email         string    `json:"email,omitempty"`
	EmailVerified bool      `json:"emailVerified"`
	Name          *Name     `json:"name,omitempty"`
	Enabled       bool      `json:"enabled"`
	MFAEnabled    bool      `json:"mfaEnabled"`
	Account       Account   `json:"account"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
	// Profile attributes (profile.go). A user reading their own record
	// sees only those the environment does not hide from them.
	Nickname            string               `json:"nickname,omitempty"`
	Title               string               `json:"title,omitempty"`
	PrimaryPhone        string               `json:"primaryPhone,omitempty"`
	MobilePhone         string               `json:"mobilePhone,omitempty"`
	Address             *Address             `json:"address,omitempty"`
	Locale              string               `json:"locale,omitempty"`
	PreferredLanguage   string               `json:"preferredLanguage,omitempty"`
	Timezone            string               `json:"timezone,omitempty"`
	Photo               *Photo               `json:"photo,omitempty"`
	Lifecycle           Lifecycle            `json:"lifecycle"`
	IdentityProvider    IdentityProvider     `json:"identityProvider"`
	PendingVerification *PendingVerification `json:"pendingVerification,omitempty"`
}

// UserCreate is the body of POST /users.
type UserCreate struct {
	Username string    `json:"username"`
	Email    string    `json:"email"`
	Name     *Name     `json:"name,omitempty"`
	Enabled  *bool     `json:"enabled,omitempty"`
	Password *Password `json:"password,omitempty"`
}

// Device types (MFA methods).
const (
	DeviceEmail = "EMAIL"
	DeviceSMS   = "SMS"
	DeviceVoice = "VOICE"
	DeviceTOTP  = "TOTP"
	DeviceFIDO2 = "FIDO2"
)

// Device statuses.
const (
	DeviceActive             = "ACTIVE"
	DeviceActivationRequired = "ACTIVATION_REQUIRED"
	DeviceBlocked            = "BLOCKED"
)

// Device is one MFA method of a user. Order matters: the first ACTIVE
// device is the default.
type Device struct {
	Links       Links     `json:"_links,omitempty"`
	ID          string    `json:"id"`
	Environment Ref       `json:"environment"`
	User        Ref       `json:"user"`
	Type        string    `json:"type"`
	Status      string    `json:"status"`
	Nickname    string    `json:"nickname,omitempty"`
	Email       string    `json:"email,omitempty"` // masked in flows
	Phone       string    `json:"phone,omitempty"` // masked in flows
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
	// Pairing of a TOTP device (our extension): the secret for manual
	// entry, the otpauth:// URI and its QR code as a data: URL (PNG). Only
	// in the create response and on reading the device while it is pending.
	Secret  string `json:"secret,omitempty"`
	KeyURI  string `json:"keyUri,omitempty"`
	QRImage string `json:"qrImage,omitempty"`
	// FIDO2 devices: Kind is SECURITY_KEY or PLATFORM (our extension), and
	// AuthenticatorName names the authenticator by its AAGUID once paired.
	// While the device is pending, PublicKeyCredentialCreationOptions is
	// the JSON (PingOne-style, a string) for navigator.credentials.create,
	// binary members base64url-encoded.
	Kind                               string `json:"kind,omitempty"`
	AuthenticatorName                  string `json:"authenticatorName,omitempty"`
	PublicKeyCredentialCreationOptions string `json:"publicKeyCredentialCreationOptions,omitempty"`
}

// FIDO2 device kinds (the "kind" of a FIDO2 device create body).
const (
	FIDO2SecurityKey = "SECURITY_KEY" // roaming authenticator, second factor
	FIDO2Platform    = "PLATFORM"     // passkey on the device, user verified
)

// FIDO2Activate is the device.activate body of a FIDO2 device: the
// PublicKeyCredential JSON navigator.credentials.create resolved with, as a
// string, and the origin of the page that called it.
type FIDO2Activate struct {
	Attestation string `json:"attestation"`
	Origin      string `json:"origin"`
}

// DefaultDevice returns the index of the default device (the first ACTIVE
// one) in an ordered device list, or -1 when there is none.
func DefaultDevice(devices []Device) int {
	for i, d := range devices {
		if d.Status == DeviceActive {
			return i
		}
	}
	return -1
}

// Flow statuses of the hosted sign-on flow.
const (
	FlowUsernamePasswordRequired = "USERNAME_PASSWORD_REQUIRED"
	FlowDeviceSelectionRequired  = "DEVICE_SELECTION_REQUIRED"
	FlowOTPRequired              = "OTP_REQUIRED"
	FlowAssertionRequired        = "ASSERTION_REQUIRED"
	FlowMFAEnrollmentRequired    = "MFA_ENROLLMENT_REQUIRED" // our extension
	FlowCompleted                = "COMPLETED"
	FlowFailed                   = "FAILED"
)

// Flow actions (the <action> of application/vnd.pingidentity.<action>+json).
const (
	ActionUsernamePasswordCheck = "usernamePassword.check"
	ActionDeviceSelect          = "device.select"
	ActionOTPCheck              = "otp.check"
	ActionDeviceRegister        = "device.register" // our extension
	ActionOTPResend             = "otp.resend"
	ActionAssertionCheck        = "assertion.check"
)

// Flow is the state of one hosted sign-on flow.
type Flow struct {
	Links          Links         `json:"_links"`
	Embedded       *FlowEmbedded `json:"_embedded,omitempty"`
	ID             string        `json:"id"`
	Status         string        `json:"status"`
	ResumeURL      string        `json:"resumeUrl,omitempty"`
	SelectedDevice *Ref          `json:"selectedDevice,omitempty"`
	ExpiresAt      time.Time     `json:"expiresAt"`

	// PublicKeyCredentialRequestOptions is the JSON (a string) for
	// navigator.credentials.get while the flow is ASSERTION_REQUIRED.
	PublicKeyCredentialRequestOptions string `json:"publicKeyCredentialRequestOptions,omitempty"`

	// Error says why the flow's last external sign-on failed.
	Error *FlowError `json:"error,omitempty"`
}

// FlowEmbedded carries the user and devices involved in a flow.
type FlowEmbedded struct {
	User    *FlowUser `json:"user,omitempty"`
	Devices []Device  `json:"devices,omitempty"`

	// Agreement is what AGREEMENT_CONSENT_REQUIRED asks consent to.
	Agreement *FlowAgreement `json:"agreement,omitempty"`
	// Consent is what CONSENT_REQUIRED asks a third-party application may do.
	Consent *FlowConsent `json:"consent,omitempty"`

	// PasswordPolicy is the policy a new password must meet, while the
	// flow is MUST_CHANGE_PASSWORD or PASSWORD_EXPIRED.
	PasswordPolicy *PasswordPolicy `json:"passwordPolicy,omitempty"`

	// IdentityProviders are the external providers a flow waiting for a
	// username and password offers (see federation.go).
	IdentityProviders []FlowIdentityProvider `json:"identityProviders,omitempty"`
}

// FlowUser is the little a flow says about its user.
type FlowUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// UsernamePassword is the body of usernamePassword.check.
type UsernamePassword struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// DeviceSelect is the body of device.select.
type DeviceSelect struct {
	Device Ref `json:"device"`
}

// OTPCheck is the body of otp.check.
type OTPCheck struct {
	OTP string `json:"otp"`
}

// AssertionCheck is the body of assertion.check: the PublicKeyCredential
// JSON navigator.credentials.get resolved with, as a string, and the origin
// of the page that called it.
type AssertionCheck struct {
	Assertion string `json:"assertion"`
	Origin    string `json:"origin"`
}

// DeviceRegister is the body of device.register (enrollment during sign-on).
type DeviceRegister struct {
	Type  string `json:"type"`
	Email string `json:"email,omitempty"`
}

// TokenResponse is the OAuth 2 token endpoint's answer.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// OAuthError is the RFC 6749 error body of the /as/ endpoints.
type OAuthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// Application types.
const (
	AppSinglePage = "SINGLE_PAGE_APP"
	AppWorker     = "WORKER"
	AppWeb        = "WEB_APP"    // confidential: a client secret, shown once
	AppNative     = "NATIVE_APP" // public, like SINGLE_PAGE_APP
)

// Roles an administrator or worker application may hold.
const (
	RoleEnvironmentAdmin  = "Environment Admin"
	RoleIdentityDataAdmin = "Identity Data Admin"
	RoleReadOnly          = "Read Only"
)

// RoleAssignment grants a role over one environment ("*" for every one).
type RoleAssignment struct {
	Role          string `json:"role"`
	EnvironmentID string `json:"environmentId"`
}

// Application is an OAuth client of one environment.
type Application struct {
	Links        Links            `json:"_links,omitempty"`
	ID           string           `json:"id"`
	Environment  Ref              `json:"environment"`
	Name         string           `json:"name"`
	Type         string           `json:"type"`
	Protocol     string           `json:"protocol"`
	Enabled      bool             `json:"enabled"`
	RedirectURIs []string         `json:"redirectUris,omitempty"`
	Roles        []RoleAssignment `json:"roles,omitempty"`
	// ClientSecret is only ever present in the create response.
	ClientSecret string `json:"clientSecret,omitempty"`
	// ReducedScopes is PingOne's "allow user actions according to granted
	// authentication scopes": until MFA, tokens carry read scopes only.
	ReducedScopes bool      `json:"allowUserActionsByAuthenticationScopes"`
	MyAccount     bool      `json:"myAccount"` // our extension: the environment's MyAccount application
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`

	// Portal is how the application shows in the application portal
	// (portal.go); absent when it never has.
	Portal *AppPortal `json:"portal,omitempty"`

	// PKCEEnforcement is read-only: the server requires PKCE with S256
	// of every authorization code flow (S256_REQUIRED); absent for workers.
	PKCEEnforcement string `json:"pkceEnforcement,omitempty"`
	// TokenEndpointAuthMethod is read-only: CLIENT_SECRET_BASIC (Basic
	// or form credentials) for workers and web apps, NONE for public ones.
	TokenEndpointAuthMethod string `json:"tokenEndpointAuthMethod,omitempty"`
	// RequireConsent marks a third-party application: users allow its
	// scopes on a consent screen at authorize (our extension, after
	// PingOne's per-application consent setting).
	RequireConsent bool `json:"requireConsent"`
}

// Sign-on policy kinds.
const (
	PolicyPasswordOnly = "PASSWORD"
	PolicyPasswordMFA  = "PASSWORD_MFA"
)

// SignOnPolicy says what sign-on asks for in one environment.
type SignOnPolicy struct {
	Links   Links  `json:"_links,omitempty"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Default bool   `json:"default"`
	// Kind is PASSWORD or PASSWORD_MFA.
	Kind string `json:"kind"`
	// EnrollDuringSignOn lets a user with no device pair an email device
	// during sign-on; off, such a user cannot complete MFA sign-on.
	EnrollDuringSignOn bool `json:"enrollDuringSignOn"`
	// DeviceSelection is DEFAULT_TO_FIRST or PROMPT_TO_SELECT.
	DeviceSelection string    `json:"deviceSelection"`
	UpdatedAt       time.Time `json:"updatedAt"`
	// AgreementID names the agreement users consent to at sign-on.
	AgreementID string `json:"agreementId,omitempty"`
	// Applications are the applications an additional (not default)
	// policy applies to; absent on the default policy, which applies to
	// every other application.
	Applications []Ref `json:"applications,omitempty"`
}

// Device selection modes.
const (
	SelectDefaultToFirst = "DEFAULT_TO_FIRST"
	SelectPrompt         = "PROMPT_TO_SELECT"
	// SelectAlwaysDisplay asks the user to choose even with one device
	// (device authentication policies only).
	SelectAlwaysDisplay = "ALWAYS_DISPLAY_DEVICES"
)

// OTPSettings are an environment's one-time passcode rules.
type OTPSettings struct {
	Length          int `json:"length"`
	LifetimeSeconds int `json:"lifetimeSeconds"`
	FailureCount    int `json:"failureCount"`
	CoolDownSeconds int `json:"coolDownSeconds"`
}

// MFASettings are an environment's MFA settings.
type MFASettings struct {
	Links   Links       `json:"_links,omitempty"`
	OTP     OTPSettings `json:"otp"`
	Methods []string    `json:"methods"`
	Pairing struct {
		MaxAllowedDevices int `json:"maxAllowedDevices"`
		// Disabled keeps users from pairing methods themselves, their
		// first one aside; administrators still can.
		Disabled bool `json:"disabled"`
	} `json:"pairing"`
	UpdatedAt time.Time `json:"updatedAt"`

	PromptForNicknameOnPairing bool       `json:"promptForNicknameOnPairing"`
	Lockout                    MFALockout `json:"lockout"`
	TOTP                       MFATOTP    `json:"totp"`
	// ExcludeEmailFromSignOn (ours): EMAIL devices are never challenged
	// at sign-on, while email still pairs devices.
	ExcludeEmailFromSignOn bool `json:"excludeEmailFromSignOn"`
}

// SelfService holds the MyAccount feature switches of an environment.
type SelfService struct {
	Links                Links     `json:"_links,omitempty"`
	ManageProfile        bool      `json:"manageProfile"`
	ManageAuthentication bool      `json:"manageAuthentication"`
	ManagePingIDDevices  bool      `json:"managePingIdDevices"`
	ChangePassword       bool      `json:"changePassword"`
	ManageLinkedAccounts bool      `json:"manageLinkedAccounts"`
	ManageSessions       bool      `json:"manageSessions"`
	ViewAgreements       bool      `json:"viewAgreements"`
	ManageOAuthConsents  bool      `json:"manageOAuthConsents"`
	UpdatedAt            time.Time `json:"updatedAt"`
	// ProfileAttributes says, per profile attribute, what end users may do
	// with it on their own record (profile.go: AttributeHidden, …).
	ProfileAttributes map[string]string `json:"profileAttributes"`
	// ApplyActiveTheme and ShowFooter say whether the hosted pages use the
	// environment's branding and show its footer (both default on; PUT may
	// leave them out to keep them).
	ApplyActiveTheme bool `json:"applyActiveTheme"`
	ShowFooter       bool `json:"showFooter"`
}

// OutboxMessage is a message the dev outbox holds in place of sending it.
type OutboxMessage struct {
	ID        string    `json:"id"`
	Channel   string    `json:"channel"` // EMAIL, SMS, VOICE
	To        string    `json:"to"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"createdAt"`
}

// AppConfig is what the server hands each PWA (through go-app's Env):
// its public client id, environment and URLs.
type AppConfig struct {
	EnvironmentID string `json:"environmentId"`
	ClientID      string `json:"clientId"`
	PublicURL     string `json:"publicUrl"`
	// Pairing is what a user may add in MyAccount (nil from a server
	// that predates it: then the PWA offers every method).
	Pairing *AppPairing `json:"pairing,omitempty"`
	// ProfileAttributes is the environment's selfService.profileAttributes:
	// what the My profile tab shows and lets the user edit.
	ProfileAttributes map[string]string `json:"profileAttributes,omitempty"`
	// IdentityProviders are the environment's enabled external providers,
	// which MyAccount offers to link.
	IdentityProviders []AppIdentityProvider `json:"identityProviders,omitempty"`
}
