package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/myaccount/myaccount/docs"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/shared/paths"
)

// guid adds Fiber's UUID constraint to every id parameter of a path, so that
// environment routes never shadow /v1, /admin or /web and malformed ids are
// a plain 404.
func guid(p string) string {
	for _, name := range []string{":envId", ":userId", ":flowId", ":appId", ":policyId", ":deviceId", ":deviceAuthenticationId", ":passwordPolicyId", ":sessionId", ":identityProviderId", ":linkedAccountId", ":agreementId", ":languageId", ":revisionId", ":oauthConsentId"} {
		p = strings.Replace(p, name, name+"<guid>", 1)
	}
	return p
}

// routes is the route table: every route with its middleware in one place.
func routes(app *fiber.App, s *services) {
	m := newMetrics()
	app.Use(recover.New(), httpx.RequestIDs(), m.middleware(), httpx.AccessLog(s.log, s.now),
		httpx.SecurityHeaders(s.cfg.Secure()))

	// Operations.
	app.Get(paths.Healthz, health())
	app.Get(paths.Readyz, ready(s.store))
	app.Get(paths.Metrics, m.handler())
	app.Get(paths.OpenAPI, func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(docs.OpenAPI)
	})

	// Auth API, per environment (RFC 6749 errors).
	o := s.oauth
	app.Get(guid(paths.OIDCDiscovery), o.Discovery())
	app.Get(guid(paths.Authorize), o.Authorize())
	app.Get(guid(paths.Resume), o.Resume())
	app.Post(guid(paths.Token), o.Token())
	app.Get(guid(paths.JWKS), o.JWKS())
	app.Get(guid(paths.UserInfo), o.UserInfo())
	app.Post(guid(paths.UserInfo), o.UserInfo())
	app.Post(guid(paths.Revoke), o.Revoke())
	app.Get(guid(paths.Signoff), o.Signoff())

	// Hosted sign-on flows.
	app.Get(guid(paths.Flow), s.signon.Get())
	app.Post(guid(paths.Flow), s.signon.Post())
	// Federated sign-on with external OpenID Connect providers.
	app.Get(guid(paths.FlowIdentityProvider), s.signon.StartFederation())
	app.Get(guid(paths.FederationCallback), s.signon.Callback())
	app.Get(guid(paths.FederationLink), o.LinkAccount())

	// The developer MFA API: worker applications check a user's MFA.
	app.Post(guid(paths.DeviceAuthN), s.auth.Required(), s.signon.CreateDeviceAuthentication())
	app.Get(guid(paths.DeviceAuthNOne), s.auth.Required(), s.signon.GetDeviceAuthentication())
	app.Post(guid(paths.DeviceAuthNOne), s.auth.Required(), s.signon.PostDeviceAuthentication())

	// The undo link of an email change (HTML; no token: the link is the key).
	app.Get(guid(paths.EmailUndo), s.manage.EmailUndoPage())
	app.Post(guid(paths.EmailUndo), s.manage.UndoEmailChange())
	// The one-time "this wasn't me" link of security notices (HTML; the
	// link's token is the key).
	app.Get(guid(paths.SecureLink), s.manage.SecureLinkPage())
	app.Post(guid(paths.SecureLink), s.manage.SecureByLink())

	// The PWA's configuration.
	app.Get(guid(paths.MyAccountConfig), myAccountConfig(s))
	app.Get(paths.AdminConfig, adminConsoleConfig(s, s.adminEnvID))
	// Branding the hosted pages and emails show, without a token.
	app.Get(guid(paths.PublicBranding), s.manage.PublicBranding())
	app.Get(guid(paths.PublicLogo), s.manage.PublicLogo())

	// Management API: a bearer token, then the handler's own access rule.
	a := s.manage
	v1 := app.Group("/v1", s.auth.Required(), a.LiveEnvironment())
	v1.Get(rel(paths.Environments), a.ListEnvironments())
	v1.Get(rel(guid(paths.Environment)), a.GetEnvironment())
	v1.Get(rel(guid(paths.Users)), a.ListUsers())
	v1.Post(rel(guid(paths.Users)), a.CreateUser())
	v1.Get(rel(guid(paths.User)), a.GetUser())
	v1.Patch(rel(guid(paths.User)), a.PatchUser())
	v1.Put(rel(guid(paths.User)), a.PutUser())
	v1.Post(rel(guid(paths.User)), a.PostUser()) // user.verify, user.sendVerificationCode, user.cancelVerification
	v1.Get(rel(guid(paths.Devices)), a.ListDevices())
	v1.Post(rel(guid(paths.Devices)), a.PostDevices()) // create, or devices.reorder
	v1.Get(rel(guid(paths.Device)), a.GetDevice())
	v1.Post(rel(guid(paths.Device)), a.PostDevice()) // device.activate, device.sendActivationCode
	v1.Delete(rel(guid(paths.Device)), a.DeleteDevice())
	v1.Get(rel(guid(paths.UserApplications)), a.ListUserApplications()) // the application portal's tiles
	v1.Put(rel(guid(paths.DeviceNickname)), a.PutNickname())
	v1.Get(rel(guid(paths.RecoveryCodes)), a.GetRecoveryCodes())
	v1.Post(rel(guid(paths.RecoveryCodes)), a.CreateRecoveryCodes())
	v1.Delete(rel(guid(paths.RecoveryCodes)), a.DeleteRecoveryCodes())
	v1.Get(rel(guid(paths.Applications)), a.ListApplications())
	v1.Post(rel(guid(paths.Applications)), a.CreateApplication())
	v1.Get(rel(guid(paths.Application)), a.GetApplication())
	v1.Patch(rel(guid(paths.Application)), a.PatchApplication())
	v1.Get(rel(guid(paths.SignOnPolicies)), a.ListSignOnPolicies())
	v1.Get(rel(guid(paths.SignOnPolicy)), a.GetSignOnPolicy())
	v1.Put(rel(guid(paths.SignOnPolicy)), a.PutSignOnPolicy())
	v1.Get(rel(guid(paths.MFASettings)), a.GetMFASettings())
	v1.Put(rel(guid(paths.MFASettings)), a.PutMFASettings())
	v1.Get(rel(guid(paths.DeviceAuthPolicies)), a.ListDeviceAuthPolicies())
	v1.Post(rel(guid(paths.DeviceAuthPolicies)), a.CreateDeviceAuthPolicy())
	v1.Get(rel(guid(paths.DeviceAuthPolicy)), a.GetDeviceAuthPolicy())
	v1.Put(rel(guid(paths.DeviceAuthPolicy)), a.PutDeviceAuthPolicy())
	v1.Delete(rel(guid(paths.DeviceAuthPolicy)), a.DeleteDeviceAuthPolicy())
	v1.Get(rel(guid(paths.SelfService)), a.GetSelfService())
	v1.Put(rel(guid(paths.SelfService)), a.PutSelfService())
	v1.Get(rel(guid(paths.Outbox)), a.ListOutbox())
	v1.Get(rel(guid(paths.UserPassword)), a.GetPassword())
	v1.Put(rel(guid(paths.UserPassword)), a.PutPassword())   // password.reset (self), password.set (administrators)
	v1.Post(rel(guid(paths.UserPassword)), a.PostPassword()) // password.validate, password.unlock
	v1.Get(rel(guid(paths.PasswordPolicies)), a.ListPasswordPolicies())
	v1.Post(rel(guid(paths.PasswordPolicies)), a.CreatePasswordPolicy())
	v1.Get(rel(guid(paths.PasswordPolicy)), a.GetPasswordPolicy())
	v1.Put(rel(guid(paths.PasswordPolicy)), a.PutPasswordPolicy())
	v1.Delete(rel(guid(paths.PasswordPolicy)), a.DeletePasswordPolicy())
	v1.Get(rel(guid(paths.IdentityProviders)), a.ListIdentityProviders())
	v1.Post(rel(guid(paths.IdentityProviders)), a.CreateIdentityProvider())
	v1.Get(rel(guid(paths.IdentityProvider)), a.GetIdentityProvider())
	v1.Put(rel(guid(paths.IdentityProvider)), a.PutIdentityProvider())
	v1.Delete(rel(guid(paths.IdentityProvider)), a.DeleteIdentityProvider())
	v1.Get(rel(guid(paths.LinkedAccounts)), a.ListLinkedAccounts())
	v1.Get(rel(guid(paths.LinkedAccount)), a.GetLinkedAccount())
	v1.Delete(rel(guid(paths.LinkedAccount)), a.DeleteLinkedAccount())
	v1.Get(rel(guid(paths.Templates)), a.ListTemplates())
	v1.Get(rel(guid(paths.Template)), a.GetTemplate())
	v1.Get(rel(guid(paths.TemplateContent)), a.GetTemplateContent())
	v1.Put(rel(guid(paths.TemplateContent)), a.PutTemplateContent())
	v1.Delete(rel(guid(paths.TemplateContent)), a.DeleteTemplateContent())
	v1.Get(rel(guid(paths.Agreements)), a.ListAgreements())
	v1.Post(rel(guid(paths.Agreements)), a.CreateAgreement())
	v1.Get(rel(guid(paths.Agreement)), a.GetAgreement())
	v1.Put(rel(guid(paths.Agreement)), a.PutAgreement())
	v1.Delete(rel(guid(paths.Agreement)), a.DeleteAgreement())
	v1.Get(rel(guid(paths.AgreementLanguages)), a.ListAgreementLanguages())
	v1.Post(rel(guid(paths.AgreementLanguages)), a.CreateAgreementLanguage())
	v1.Get(rel(guid(paths.AgreementLanguage)), a.GetAgreementLanguage())
	v1.Get(rel(guid(paths.AgreementRevisions)), a.ListAgreementRevisions())
	v1.Post(rel(guid(paths.AgreementRevisions)), a.CreateAgreementRevision())
	v1.Get(rel(guid(paths.AgreementRevision)), a.GetAgreementRevision())
	v1.Get(rel(guid(paths.UserAgreementConsents)), a.ListAgreementConsents())
	v1.Get(rel(guid(paths.UserAgreementConsent)), a.GetAgreementConsent())
	// consent.revoke
	v1.Post(rel(guid(paths.UserAgreementConsent)), a.PostAgreementConsent())
	v1.Get(rel(guid(paths.UserOAuthConsents)), a.ListOAuthConsents())
	v1.Get(rel(guid(paths.UserOAuthConsent)), a.GetOAuthConsent())
	v1.Patch(rel(guid(paths.UserOAuthConsent)), a.PatchOAuthConsent())
	v1.Get(rel(guid(paths.UserConsentHistory)), a.ListConsentHistory())
	v1.Post(rel(guid(paths.User)), a.PostUser()) // user.secure ("Secure my account")
	v1.Get(rel(guid(paths.Sessions)), a.ListSessions())
	v1.Delete(rel(guid(paths.Sessions)), a.DeleteSessions()) // every other session
	v1.Get(rel(guid(paths.Session)), a.GetSession())
	v1.Delete(rel(guid(paths.Session)), a.DeleteSession())
	v1.Get(rel(guid(paths.UserEvents)), a.ListUserEvents())
	v1.Get(rel(guid(paths.UserRoleAssignments)), a.ListRoleAssignments())
	v1.Get(rel(guid(paths.Branding)), a.GetBranding())
	v1.Put(rel(guid(paths.Branding)), a.PutBranding())
	v1.Put(rel(guid(paths.BrandingLogo)), a.PutLogo())
	v1.Delete(rel(guid(paths.BrandingLogo)), a.DeleteLogo())

	// Administration: environments (create and delete: Environment Admin
	// over "*"), users' enabled switch and deletion, applications'
	// deletion and secret rotation.
	v1.Post(rel(paths.Environments), a.CreateEnvironment())
	v1.Patch(rel(guid(paths.Environment)), a.PatchEnvironment())
	v1.Put(rel(guid(paths.Environment)), a.PutEnvironment())
	v1.Delete(rel(guid(paths.Environment)), a.DeleteEnvironment())
	v1.Delete(rel(guid(paths.User)), a.DeleteUser())
	v1.Get(rel(guid(paths.UserEnabled)), a.GetUserEnabled())
	v1.Put(rel(guid(paths.UserEnabled)), a.PutUserEnabled())
	v1.Delete(rel(guid(paths.Application)), a.DeleteApplication())
	v1.Post(rel(guid(paths.ApplicationSecret)), a.RotateApplicationSecret())
	v1.Post(rel(guid(paths.SignOnPolicies)), a.CreateSignOnPolicy())
	v1.Delete(rel(guid(paths.SignOnPolicy)), a.DeleteSignOnPolicy())
	v1.Get(rel(guid(paths.SecurityEvents)), a.ListSecurityEvents())

	// The PWA: app.wasm pre-compressed, then go-app's handler for its pages
	// and generated files.
	if s.wasm != nil {
		app.Get("/web/app.wasm", s.wasm.handler())
	}
	if s.pages != nil && s.isPage != nil {
		pages := adaptor.HTTPHandler(s.pages)
		app.Use(func(c *fiber.Ctx) error {
			// Nothing under /v1 reaches the PWA handler; the router answers
			// an unknown /v1 path 404 and a known one with another method 405
			// (a catch-all route here would turn every 405 into a 404).
			if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead || strings.HasPrefix(c.Path(), "/v1/") || !s.isPage(c.Path()) {
				return c.Next()
			}
			return pages(c)
		})
	}
}

// rel strips the /v1 prefix for routes registered on the /v1 group.
func rel(p string) string { return strings.TrimPrefix(p, "/v1") }
