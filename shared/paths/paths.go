// Package paths holds every route path of the server as a constant, in
// Fiber's pattern syntax (":name" segments). The server registers them; the
// PWA and tests fill them in with Build.
package paths

import "strings"

// Auth API, per environment (DESIGN §4).
const (
	Authorize      = "/:envId/as/authorize"
	Token          = "/:envId/as/token"
	JWKS           = "/:envId/as/jwks"
	UserInfo       = "/:envId/as/userinfo"
	Revoke         = "/:envId/as/revoke"
	Signoff        = "/:envId/as/signoff"
	Resume         = "/:envId/as/resume"
	OIDCDiscovery  = "/:envId/as/.well-known/openid-configuration"
	Flow           = "/:envId/flows/:flowId"
	DeviceAuthN    = "/:envId/deviceAuthentications"
	DeviceAuthNOne = "/:envId/deviceAuthentications/:deviceAuthenticationId"
	// Federated sign-on: a flow's way to an external provider, the
	// provider's way back, and MyAccount's "link a provider".
	FlowIdentityProvider = "/:envId/flows/:flowId/identityProviders/:identityProviderId"
	FederationCallback   = "/:envId/rp/callback/openid_connect"
	FederationLink       = "/:envId/rp/link/:identityProviderId"
)

// PWA pages.
const (
	MyAccount = "/:envId/myaccount/"
	SignOn    = "/:envId/signon/"
	MyApps    = "/:envId/myapps/"
	Admin     = "/admin/"
	// MyAccountConfig is what the PWA reads to start its OAuth flow.
	MyAccountConfig = "/:envId/myaccount/config.json"
	// AdminConfig tells the admin console which environment it signs on
	// to (the Administrators environment) and as which client.
	AdminConfig = "/admin/config.json"
)

// Management API (DESIGN §4).
const (
	Environments   = "/v1/environments"
	Environment    = "/v1/environments/:envId"
	Users          = "/v1/environments/:envId/users"
	User           = "/v1/environments/:envId/users/:userId"
	UserPassword   = "/v1/environments/:envId/users/:userId/password"
	Devices        = "/v1/environments/:envId/users/:userId/devices"
	Device         = "/v1/environments/:envId/users/:userId/devices/:deviceId"
	DeviceNickname = "/v1/environments/:envId/users/:userId/devices/:deviceId/nickname"
	Applications   = "/v1/environments/:envId/applications"
	Application    = "/v1/environments/:envId/applications/:appId"
	SignOnPolicies = "/v1/environments/:envId/signOnPolicies"
	SignOnPolicy   = "/v1/environments/:envId/signOnPolicies/:policyId"
	MFASettings    = "/v1/environments/:envId/mfaSettings"
	SelfService    = "/v1/environments/:envId/selfService"
	Outbox         = "/v1/environments/:envId/outbox"
	OpenAPI        = "/v1/openapi.json"

	PasswordPolicies = "/v1/environments/:envId/passwordPolicies"
	PasswordPolicy   = "/v1/environments/:envId/passwordPolicies/:passwordPolicyId"

	// External identity providers (OpenID Connect) users may sign on with.
	IdentityProviders = "/v1/environments/:envId/identityProviders"
	IdentityProvider  = "/v1/environments/:envId/identityProviders/:identityProviderId"
	// A user's linked (external) accounts.
	LinkedAccounts = "/v1/environments/:envId/users/:userId/linkedAccounts"
	// UserRoleAssignments are the roles a user holds (administrators).
	UserRoleAssignments = "/v1/environments/:envId/users/:userId/roleAssignments"
	LinkedAccount       = "/v1/environments/:envId/users/:userId/linkedAccounts/:linkedAccountId"

	// UserApplications lists the applications a user sees in the portal.
	UserApplications = "/v1/environments/:envId/users/:userId/applications"

	// Notification templates and their per-locale texts.
	Templates       = "/v1/environments/:envId/templates"
	Template        = "/v1/environments/:envId/templates/:templateName"
	TemplateContent = "/v1/environments/:envId/templates/:templateName/contents/:locale"

	// Agreements, their languages and their immutable revisions.
	Agreements         = "/v1/environments/:envId/agreements"
	Agreement          = "/v1/environments/:envId/agreements/:agreementId"
	AgreementLanguages = "/v1/environments/:envId/agreements/:agreementId/languages"
	AgreementLanguage  = "/v1/environments/:envId/agreements/:agreementId/languages/:languageId"
	AgreementRevisions = "/v1/environments/:envId/agreements/:agreementId/languages/:languageId/revisions"
	AgreementRevision  = "/v1/environments/:envId/agreements/:agreementId/languages/:languageId/revisions/:revisionId"

	// A user's agreement consents; POST one with ActionConsentRevoke.
	UserAgreementConsents = "/v1/environments/:envId/users/:userId/agreementConsents"
	UserAgreementConsent  = "/v1/environments/:envId/users/:userId/agreementConsents/:agreementId"
	ActionConsentRevoke   = "application/vnd.pingidentity.consent.revoke+json"

	// A user's OAuth consents to third-party applications; PATCH one with
	// ActionConsentRevoke. ConsentHistory lists consents given and revoked.
	UserOAuthConsents  = "/v1/environments/:envId/users/:userId/oauthConsents"
	UserOAuthConsent   = "/v1/environments/:envId/users/:userId/oauthConsents/:oauthConsentId"
	UserConsentHistory = "/v1/environments/:envId/users/:userId/consentHistory"
)

// Administration: a user's enabled switch and a worker's client secret
// (POST rotates it).
const (
	UserEnabled       = "/v1/environments/:envId/users/:userId/enabled"
	ApplicationSecret = "/v1/environments/:envId/applications/:appId/secret"
)

// Operations.
const (
	Healthz = "/healthz"
	Readyz  = "/readyz"
	Metrics = "/metrics"
)

// Build fills the ":name" segments of pattern with params, in order.
// Extra params are ignored; missing ones leave the segment as it is.
func Build(pattern string, params ...string) string {
	segs := strings.Split(pattern, "/")
	i := 0
	for k, s := range segs {
		if strings.HasPrefix(s, ":") && i < len(params) {
			segs[k] = params[i]
			i++
		}
	}
	return strings.Join(segs, "/")
}

// Media types for PingOne-style actions: POST to a resource with
// Content-Type "application/vnd.pingidentity.<action>+json".
const (
	JSON                   = "application/json"
	ActionUsernamePassword = "application/vnd.pingidentity.usernamePassword.check+json"
	ActionDeviceSelect     = "application/vnd.pingidentity.device.select+json"
	ActionOTPCheck         = "application/vnd.pingidentity.otp.check+json"
	ActionDeviceRegister   = "application/vnd.pingidentity.device.register+json"
	ActionOTPResend        = "application/vnd.pingidentity.otp.resend+json"
	ActionAssertionCheck   = "application/vnd.pingidentity.assertion.check+json"
	ActionOAuthConsent     = "application/vnd.pingidentity.oauth.consent+json"
	ActionDeviceActivate   = "application/vnd.pingidentity.device.activate+json"
	// ActionDeviceSendCode asks for a new pairing passcode (POST on a device).
	ActionDeviceSendCode = "application/vnd.pingidentity.device.sendActivationCode+json"
	// ActionDevicesReorder sets the order of a user's devices (POST on the
	// devices collection).
	ActionDevicesReorder = "application/vnd.pingidentity.devices.reorder+json"

	// Password actions on /users/{id}/password: the user's own change (PUT,
	// also a sign-on flow action), an administrator's set (PUT), the live
	// check of a candidate (POST) and an administrator's unlock (POST).
	ActionPasswordReset    = "application/vnd.pingidentity.password.reset+json"
	ActionPasswordSet      = "application/vnd.pingidentity.password.set+json"
	ActionPasswordValidate = "application/vnd.pingidentity.password.validate+json"
	ActionPasswordUnlock   = "application/vnd.pingidentity.password.unlock+json"
)

// ActionOf returns the action name of a vnd.pingidentity media type
// ("otp.check" for ActionOTPCheck), or "" when ct is not one. Compare the
// result with strings.EqualFold: media types are case-insensitive.
func ActionOf(ct string) string {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(ct)
	const pre, suf = "application/vnd.pingidentity.", "+json"
	low := strings.ToLower(ct)
	if !strings.HasPrefix(low, pre) || !strings.HasSuffix(low, suf) || len(ct) <= len(pre)+len(suf) {
		return ""
	}
	return ct[len(pre) : len(ct)-len(suf)]
}
