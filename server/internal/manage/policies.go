package manage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// MFA settings bounds.
const (
	MinOTPLength, MaxOTPLength         = 6, 10
	MinOTPLifetime, MaxOTPLifetime     = 60, 1800 // seconds
	MinOTPFailures, MaxOTPFailures     = 1, 7
	MinOTPCoolDown, MaxOTPCoolDown     = 30, 1800 // seconds
	MinPairedDevices, MaxPairedDevices = 1, store.MaxDevices
)

// mfaMethods returns the MFA methods an environment may allow, in display order.
func mfaMethods() []string {
	return []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceVoice, resource.DeviceTOTP, resource.DeviceFIDO2}
}

// ListSignOnPolicies answers GET /v1/environments/{envId}/signOnPolicies:
// the environment's default policy, then its additional ones.
func (a *API) ListSignOnPolicies() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		out := []resource.SignOnPolicy{a.policyResource(env)}
		for _, p := range env.SignOnPolicies {
			out = append(out, a.extraPolicyResource(env.ID, p))
		}
		return c.JSON(resource.NewList("signOnPolicies", out,
			a.d.PublicURL+paths.Build(paths.SignOnPolicies, env.ID), ""))
	}
}

// GetSignOnPolicy answers GET /v1/environments/{envId}/signOnPolicies/{policyId}.
func (a *API) GetSignOnPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		id, err := pathID(c, "policyId")
		if err != nil {
			return err
		}
		if id != env.SignOnPolicy.ID {
			i := extraPolicy(env, id)
			if i < 0 {
				return errNotFound
			}
			return c.JSON(a.extraPolicyResource(env.ID, env.SignOnPolicies[i]))
		}
		return c.JSON(a.policyResource(env))
	}
}

// PutSignOnPolicy answers PUT /v1/environments/{envId}/signOnPolicies/{policyId}
// (Environment Admin): kind (PASSWORD or PASSWORD_MFA), enrollDuringSignOn
// and deviceSelection are required, name is optional.
func (a *API) PutSignOnPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, policyID, err := adminEdit(c, "policyId", true)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		var out resource.SignOnPolicy
		_, err = a.updateEnvironment(ctx, envID, func(e *store.Environment) error {
			if e.SignOnPolicy.ID != policyID {
				return a.putExtraPolicy(c, e, policyID, &out)
			}
			o, err := parseObject(c.Body())
			if err != nil {
				return err
			}
			p := e.SignOnPolicy
			readPolicyBody(o, e, &p)
			o.Rest(a.policyResource(e))
			if err := invalid(o.Details()); err != nil {
				return err
			}
			p.UpdatedAt = a.now()
			e.SignOnPolicy = p
			out = a.policyResource(e)
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyUpdated, "", map[string]string{
			"policy": "signOnPolicy", "policyId": out.ID, "kind": out.Kind,
			"enrollDuringSignOn": strconv.FormatBool(out.EnrollDuringSignOn), "deviceSelection": out.DeviceSelection})
		return c.JSON(out)
	}
}

func (a *API) policyResource(e *store.Environment) resource.SignOnPolicy {
	p := e.SignOnPolicy
	kind := resource.PolicyPasswordOnly
	if p.MFA {
		kind = resource.PolicyPasswordMFA
	}
	return resource.SignOnPolicy{
		Links: resource.Links{"self": a.link(paths.Build(paths.SignOnPolicy, e.ID, p.ID))},
		ID:    p.ID, Name: p.Name, Default: true, Kind: kind, EnrollDuringSignOn: p.EnrollDuringSignOn,
		DeviceSelection: p.DeviceSelection, UpdatedAt: p.UpdatedAt.UTC(), AgreementID: p.AgreementID,
	}
}

// GetMFASettings answers GET /v1/environments/{envId}/mfaSettings.
func (a *API) GetMFASettings() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		return c.JSON(a.mfaResource(env))
	}
}

// PutMFASettings answers PUT /v1/environments/{envId}/mfaSettings
// (Environment Admin). otp, methods and pairing are required (the
// attributes added later, readMFAExtras, keep their values when left out);
// EMAIL must stay among the methods while it is the only one sign-on can
// deliver.
func (a *API) PutMFASettings() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, env, err := a.editEnvironment(c, func(e *store.Environment, o *object) error {
			cur := a.mfaResource(e)
			m := e.MFASettings
			o.Require("otp", "methods", "pairing")
			if otp, _ := o.Object("otp"); otp != nil {
				otp.Require("length", "lifetimeSeconds", "failureCount", "coolDownSeconds")
				otp.Int("length", &m.OTPLength, MinOTPLength, MaxOTPLength)
				otp.Int("lifetimeSeconds", &m.OTPLifetime, MinOTPLifetime, MaxOTPLifetime)
				otp.Int("failureCount", &m.OTPFailureCount, MinOTPFailures, MaxOTPFailures)
				otp.Int("coolDownSeconds", &m.OTPCoolDown, MinOTPCoolDown, MaxOTPCoolDown)
				otp.Rest(cur.OTP)
			}
			var ms []string
			if o.Strings("methods", &ms) {
				all := mfaMethods()
				var ok []string
				for i, v := range ms {
					switch {
					case !slices.Contains(all, v):
						o.Fail(fmt.Sprintf("methods[%d]", i), "must be one of "+strings.Join(all, ", ")+".")
					case slices.Contains(ok, v):
						o.Fail(fmt.Sprintf("methods[%d]", i), "repeats "+v+".")
					default:
						ok = append(ok, v)
					}
				}
				if !slices.Contains(ms, resource.DeviceEmail) {
					o.Fail("methods", "must include EMAIL.")
				}
				m.Methods = ok
			}
			if pairing, _ := o.Object("pairing"); pairing != nil {
				pairing.Require("maxAllowedDevices")
				pairing.Int("maxAllowedDevices", &m.MaxAllowedDevices, MinPairedDevices, MaxPairedDevices)
				pairing.Bool("disabled", &m.PairingDisabled) // optional: left out, unchanged
				pairing.Rest(cur.Pairing)
			}
			readMFAExtras(o, &m)
			o.Rest(cur)
			if err := invalid(o.Details()); err != nil {
				return err
			}
			m.UpdatedAt = a.now()
			e.MFASettings = m
			return nil
		})
		if err != nil {
			return err
		}
		out := a.mfaResource(env)
		a.record(c, envID, audit.ActionPolicyUpdated, "", map[string]string{
			"policy": "mfaSettings", "methods": strings.Join(out.Methods, ","),
			"otpLength": strconv.Itoa(out.OTP.Length), "otpLifetimeSeconds": strconv.Itoa(out.OTP.LifetimeSeconds),
			"otpFailureCount": strconv.Itoa(out.OTP.FailureCount), "otpCoolDownSeconds": strconv.Itoa(out.OTP.CoolDownSeconds),
			"maxAllowedDevices":   strconv.Itoa(out.Pairing.MaxAllowedDevices),
			"pairingDisabled":     strconv.FormatBool(out.Pairing.Disabled),
			"lockoutFailureCount": strconv.Itoa(out.Lockout.FailureCount), "lockoutDurationSeconds": strconv.Itoa(out.Lockout.DurationSeconds),
			"timeWindowSteps": strconv.Itoa(out.TOTP.TimeWindowSteps), "excludeEmailFromSignOn": strconv.FormatBool(out.ExcludeEmailFromSignOn)})
		return c.JSON(out)
	}
}

func (a *API) mfaResource(e *store.Environment) resource.MFASettings {
	m := e.MFASettings
	out := resource.MFASettings{
		Links: resource.Links{"self": a.link(paths.Build(paths.MFASettings, e.ID))},
		OTP: resource.OTPSettings{Length: m.OTPLength, LifetimeSeconds: m.OTPLifetime,
			FailureCount: m.OTPFailureCount, CoolDownSeconds: m.OTPCoolDown},
		Methods:   append([]string{}, m.Methods...),
		UpdatedAt: m.UpdatedAt.UTC(),
	}
	out.Pairing.MaxAllowedDevices = m.MaxAllowedDevices
	out.Pairing.Disabled = m.PairingDisabled
	mfaExtras(&out, m)
	return out
}

// GetSelfService answers GET /v1/environments/{envId}/selfService: the
// MyAccount feature switches.
func (a *API) GetSelfService() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		return c.JSON(a.selfServiceResource(env))
	}
}

// PutSelfService answers PUT /v1/environments/{envId}/selfService
// (Environment Admin); every switch is required. Turning on
// managePingIdDevices also turns on the MyAccount application's
// allowUserActionsByAuthenticationScopes, as PingOne's switch does: device
// changes then need a session that completed MFA.
func (a *API) PutSelfService() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var pingIDOn bool
		envID, env, err := a.editEnvironment(c, func(e *store.Environment, o *object) error {
			s := e.SelfService
			sw := switches(&s)
			for _, f := range sw {
				o.Require(f.name)
			}
			for _, f := range sw {
				o.Bool(f.name, f.dst)
			}
			readDisplaySwitches(o, &s)
			readProfileAttributes(o, &s)
			o.Rest(a.selfServiceResource(e))
			if err := invalid(o.Details()); err != nil {
				return err
			}
			pingIDOn = s.ManagePingIDDevices && !e.SelfService.ManagePingIDDevices
			if pingIDOn {
				if err := managePingIDDevices(e); err != nil {
					return err
				}
			}
			s.UpdatedAt = a.now()
			e.SelfService = s
			return nil
		})
		if err != nil {
			return err
		}
		// The switches are listed as values under "on" and "off": as keys,
		// "changePassword" looks like a secret to the audit filter and
		// would be dropped.
		var on, off []string
		state := func(name string, v bool) {
			if v {
				on = append(on, name)
			} else {
				off = append(off, name)
			}
		}
		for _, f := range switches(&env.SelfService) {
			state(f.name, *f.dst)
		}
		state("applyActiveTheme", !env.SelfService.ThemeOff)
		state("showFooter", !env.SelfService.FooterOff)
		a.record(c, envID, audit.ActionSelfServiceUpdated, "", map[string]string{"on": strings.Join(on, ","), "off": strings.Join(off, ",")})
		if pingIDOn {
			// Only when the switch turns on: the MyAccount application's
			// reduced scopes stay separately switchable afterwards.
			if err := a.reduceMyAccountScopes(c, env); err != nil {
				return err
			}
		}
		return c.JSON(a.selfServiceResource(env))
	}
}

// reduceMyAccountScopes turns on the environment's MyAccount application's
// reduced scopes.
func (a *API) reduceMyAccountScopes(c *fiber.Ctx, env *store.Environment) error {
	ctx := c.UserContext()
	for range maxAttempts {
		app, err := a.application(ctx, env.ID, env.MyAccountClientID)
		if errors.Is(err, errNotFound) {
			a.d.Logger.WarnContext(ctx, "environment has no MyAccount application", "environmentId", env.ID)
			return nil
		}
		if err != nil {
			return err
		}
		if app.ReducedScopes {
			return nil
		}
		app.ReducedScopes, app.UpdatedAt = true, a.now()
		err = a.d.Store.UpdateApplication(ctx, app)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("update MyAccount application: %w", err)
		}
		a.record(c, env.ID, audit.ActionApplicationUpdated, "", map[string]string{
			"clientId": app.ID, "fields": "allowUserActionsByAuthenticationScopes", "reason": "managePingIdDevices"})
		return nil
	}
	return errConflict
}

type switchField struct {
	name string
	dst  *bool
}

// switches names the MyAccount feature switches as the API does.
func switches(s *store.SelfService) []switchField {
	return []switchField{
		{"manageProfile", &s.ManageProfile},
		{"manageAuthentication", &s.ManageAuthentication},
		{"managePingIdDevices", &s.ManagePingIDDevices},
		{"changePassword", &s.ChangePassword},
		{"manageLinkedAccounts", &s.ManageLinkedAccounts},
		{"manageSessions", &s.ManageSessions},
		{"viewAgreements", &s.ViewAgreements},
		{"manageOAuthConsents", &s.ManageOAuthConsents},
	}
}

func (a *API) selfServiceResource(e *store.Environment) resource.SelfService {
	s := e.SelfService
	return resource.SelfService{
		Links:         resource.Links{"self": a.link(paths.Build(paths.SelfService, e.ID))},
		ManageProfile: s.ManageProfile, ManageAuthentication: s.ManageAuthentication,
		ManagePingIDDevices: s.ManagePingIDDevices, ChangePassword: s.ChangePassword,
		ManageLinkedAccounts: s.ManageLinkedAccounts, ManageSessions: s.ManageSessions,
		ViewAgreements: s.ViewAgreements, ManageOAuthConsents: s.ManageOAuthConsents,
		UpdatedAt: s.UpdatedAt.UTC(), ProfileAttributes: resource.EffectiveProfileAttributes(s.ProfileAttributes),
		ApplyActiveTheme: !s.ThemeOff, ShowFooter: !s.FooterOff,
	}
}

// readEnvironment authorizes a reader of the path's environment and loads it.
func (a *API) readEnvironment(c *fiber.Ctx) (*store.Environment, error) {
	envID, err := admin(c, authn.ReadRoles)
	if err != nil {
		return nil, err
	}
	return a.environment(c.UserContext(), envID)
}
