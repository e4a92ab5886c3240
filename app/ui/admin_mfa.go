package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminMFA is the chosen environment's MFA settings (mfaSettings: one-time
// passcodes, lockout, authenticator apps, the methods users may pair,
// pairing) and its device authentication policies (list, create, edit,
// make default, delete).
type AdminMFA struct {
	app.Compo
	C *AdminContext

	l        adminLoader
	settings *adminForm
	loadErr  string
	pols     policyEditor[resource.DeviceAuthPolicy]
	// myAccount is the environment's MyAccount client id: a policy form
	// offers to apply the policy to it ("Manage PingID devices via
	// MyAccount" needs an MFA policy on MyAccount).
	myAccount string
}

type mfaData struct {
	settings  resource.MFASettings
	policies  []resource.DeviceAuthPolicy
	myAccount string
}

// mfaMethodOrder is the order the methods are offered in.
var mfaMethodOrder = []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceVoice, resource.DeviceTOTP, resource.DeviceFIDO2}

// policyMethodKeys are a device authentication policy's method switches,
// by their JSON paths.
var policyMethodKeys = []struct {
	key  string
	kind string
}{
	{"email.enabled", resource.DeviceEmail}, {"sms.enabled", resource.DeviceSMS}, {"voice.enabled", resource.DeviceVoice},
	{"totp.enabled", resource.DeviceTOTP}, {"fido2.enabled", resource.DeviceFIDO2},
}

// OnMount loads the settings and the policies.
func (s *AdminMFA) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminMFA) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminMFA) load(ctx app.Context) {
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) (mfaData, error) {
		var d mfaData
		if err := c.API.Call(ctx, "GET", paths.Build(paths.MFASettings, c.Env.ID), c.Token, "", nil, &d.settings); err != nil {
			return d, err
		}
		var cfg resource.AppConfig
		if err := c.API.Call(ctx, "GET", apiclient.ConfigPath(c.Env.ID), c.Token, "", nil, &cfg); err != nil {
			return d, err
		}
		d.myAccount = cfg.ClientID
		var err error
		d.policies, err = apiclient.ListOf[resource.DeviceAuthPolicy](ctx, c.API, paths.Build(paths.DeviceAuthPolicies, c.Env.ID), c.Token, "deviceAuthenticationPolicies")
		return d, err
	}, func(d mfaData, err error) {
		s.loadErr = ""
		if err != nil {
			s.loadErr = adminErrorText(err)
			return
		}
		s.settings = mfaSettingsForm(d.settings)
		s.myAccount = d.myAccount
		s.pols = policyEditor[resource.DeviceAuthPolicy]{items: d.policies}
	})
}

// mfaSettingsForm fills the settings form.
func mfaSettingsForm(m resource.MFASettings) *adminForm {
	f := newAdminForm("mfa")
	f.vals["otp.length"] = itoa(m.OTP.Length, false)
	f.vals["otp.lifetimeSeconds"] = itoa(m.OTP.LifetimeSeconds, false)
	f.vals["otp.failureCount"] = itoa(m.OTP.FailureCount, false)
	f.vals["otp.coolDownSeconds"] = itoa(m.OTP.CoolDownSeconds, false)
	f.vals["lockout.failureCount"] = itoa(m.Lockout.FailureCount, false)
	f.vals["lockout.durationSeconds"] = itoa(m.Lockout.DurationSeconds, false)
	f.vals["totp.timeWindowSteps"] = itoa(m.TOTP.TimeWindowSteps, false)
	f.vals["pairing.maxAllowedDevices"] = itoa(m.Pairing.MaxAllowedDevices, false)
	f.checks["pairing.disabled"] = m.Pairing.Disabled
	f.checks["promptForNicknameOnPairing"] = m.PromptForNicknameOnPairing
	f.checks["excludeEmailFromSignOn"] = m.ExcludeEmailFromSignOn
	for _, k := range mfaMethodOrder {
		f.checks["methods."+k] = slices.Contains(m.Methods, k)
	}
	f.groups["methods"] = true
	return f
}

// mfaSettingsBody is the PUT body, or ok=false with the form's errors set
// when a number is not one.
func mfaSettingsBody(f *adminForm) (map[string]any, bool) {
	n := map[string]int{}
	ok := true
	for _, k := range []string{"otp.length", "otp.lifetimeSeconds", "otp.failureCount", "otp.coolDownSeconds",
		"lockout.failureCount", "lockout.durationSeconds", "totp.timeWindowSteps", "pairing.maxAllowedDevices"} {
		var v int
		if !f.integer(k, &v, false) {
			ok = false
		}
		n[k] = v
	}
	if !ok {
		return nil, false
	}
	methods := []string{}
	for _, k := range mfaMethodOrder {
		if f.checks["methods."+k] {
			methods = append(methods, k)
		}
	}
	return map[string]any{
		"otp": map[string]any{"length": n["otp.length"], "lifetimeSeconds": n["otp.lifetimeSeconds"],
			"failureCount": n["otp.failureCount"], "coolDownSeconds": n["otp.coolDownSeconds"]},
		"methods":                    methods,
		"pairing":                    map[string]any{"maxAllowedDevices": n["pairing.maxAllowedDevices"], "disabled": f.checks["pairing.disabled"]},
		"lockout":                    map[string]any{"failureCount": n["lockout.failureCount"], "durationSeconds": n["lockout.durationSeconds"]},
		"totp":                       map[string]any{"timeWindowSteps": n["totp.timeWindowSteps"]},
		"promptForNicknameOnPairing": f.checks["promptForNicknameOnPairing"],
		"excludeEmailFromSignOn":     f.checks["excludeEmailFromSignOn"],
	}, true
}

func (s *AdminMFA) onSaveSettings(ctx app.Context, e app.Event) {
	f := s.settings
	if f == nil || f.busy {
		return
	}
	f.begin()
	body, ok := mfaSettingsBody(f)
	if !ok {
		f.busy = false
		return
	}
	c := s.C
	ctx.Async(func() {
		var out resource.MFASettings
		err := c.API.Call(context.Background(), "PUT", paths.Build(paths.MFASettings, c.Env.ID), c.Token, "", body, &out)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				f.fail(err)
				return
			}
			s.settings = mfaSettingsForm(out)
			s.settings.saved = true
		})
	})
}

// devicePolicyForm fills the policy form from p (a new policy: the zero
// value with email on); myAccount is the MyAccount client id, whose
// membership in the policy's applications is a switch of its own.
func devicePolicyForm(p resource.DeviceAuthPolicy, myAccount string) *adminForm {
	f := newAdminForm("mfa-policy")
	f.vals["name"] = p.Name
	var others []string
	for _, a := range p.Applications {
		if a.ID == myAccount {
			f.checks["applications.myAccount"] = true
		} else {
			others = append(others, a.ID)
		}
	}
	f.vals["applications.others"] = strings.Join(others, " ")
	f.checks["default"] = p.Default
	on := map[string]bool{resource.DeviceEmail: p.Email.Enabled, resource.DeviceSMS: p.SMS.Enabled,
		resource.DeviceVoice: p.Voice.Enabled, resource.DeviceTOTP: p.TOTP.Enabled, resource.DeviceFIDO2: p.FIDO2.Enabled}
	for _, m := range policyMethodKeys {
		f.checks[m.key] = on[m.kind]
	}
	f.checks["recoveryCodes.enabled"] = p.RecoveryCodes.Enabled
	sel := p.Authentication.DeviceSelection
	if sel == "" {
		sel = resource.SelectDefaultToFirst
	}
	f.vals["authentication.deviceSelection"] = sel
	return f
}

// devicePolicyBody is the POST or PUT body. The policy's own passcode
// failure rule (otp) is left out: a PUT keeps it. Applications other than
// MyAccount are sent back as they were.
func devicePolicyBody(f *adminForm, myAccount string) map[string]any {
	apps := []map[string]string{}
	for _, id := range strings.Fields(f.vals["applications.others"]) {
		apps = append(apps, map[string]string{"id": id})
	}
	if f.checks["applications.myAccount"] && myAccount != "" {
		apps = append(apps, map[string]string{"id": myAccount})
	}
	body := map[string]any{
		"applications":   apps,
		"name":           strings.TrimSpace(f.vals["name"]),
		"default":        f.checks["default"],
		"recoveryCodes":  map[string]any{"enabled": f.checks["recoveryCodes.enabled"]},
		"authentication": map[string]any{"deviceSelection": f.vals["authentication.deviceSelection"]},
	}
	for _, m := range policyMethodKeys {
		body[strings.TrimSuffix(m.key, ".enabled")] = map[string]any{"enabled": f.checks[m.key]}
	}
	return body
}

// devicePolicies is how the policy editor works on device authentication
// policies.
func (s *AdminMFA) devicePolicies() policyKind[resource.DeviceAuthPolicy] {
	return policyKind[resource.DeviceAuthPolicy]{
		prefix: "mfa-policy", list: paths.DeviceAuthPolicies, one: paths.DeviceAuthPolicy, embedded: "deviceAuthenticationPolicies",
		id:     func(p resource.DeviceAuthPolicy) string { return p.ID },
		name:   func(p resource.DeviceAuthPolicy) string { return p.Name },
		isDflt: func(p resource.DeviceAuthPolicy) bool { return p.Default },
		form:   func(p resource.DeviceAuthPolicy) *adminForm { return devicePolicyForm(p, s.myAccount) },
		newForm: func() *adminForm {
			return devicePolicyForm(resource.DeviceAuthPolicy{Email: resource.PolicyMethod{Enabled: true}, RecoveryCodes: resource.PolicyMethod{Enabled: true}}, s.myAccount)
		},
		body: func(f *adminForm) (map[string]any, bool) { return devicePolicyBody(f, s.myAccount), true },
		summary: func(p resource.DeviceAuthPolicy) string {
			var on []string
			for _, m := range []struct {
				t  string
				on bool
			}{{resource.DeviceEmail, p.Email.Enabled}, {resource.DeviceSMS, p.SMS.Enabled}, {resource.DeviceVoice, p.Voice.Enabled},
				{resource.DeviceTOTP, p.TOTP.Enabled}, {resource.DeviceFIDO2, p.FIDO2.Enabled}} {
				if m.on {
					on = append(on, deviceTypeLabel(m.t))
				}
			}
			return strings.Join(on, ", ")
		},
		fields: s.devicePolicyFields,
	}
}

func (s *AdminMFA) devicePolicyFields(f *adminForm, ro bool) app.UI {
	var methods []app.UI
	for _, m := range policyMethodKeys {
		methods = append(methods, f.check(m.key, deviceTypeLabel(m.kind), "", ro))
	}
	return app.Div().Body(
		f.text("name", MsgAdminCSName, "text", "", ro),
		app.FieldSet().Class("admin-group").Body(append([]app.UI{app.Legend().Text(T(MsgAdminCSPolicyMethods))}, methods...)...),
		f.check("recoveryCodes.enabled", T(MsgAdminCSRecoveryCodes), "", ro),
		f.choice("authentication.deviceSelection", MsgAdminCSDeviceSelection, []adminOption{
			{resource.SelectDefaultToFirst, T(MsgAdminCSDefaultToFirst)},
			{resource.SelectPrompt, T(MsgAdminCSPrompt)},
			{resource.SelectAlwaysDisplay, T(MsgAdminCSAlwaysDisplay)},
		}, ro),
		f.check("applications.myAccount", T(MsgAdminCSPolicyMyAccount), MsgAdminCSPolicyMyAccountHint, ro),
		f.check("default", T(MsgAdminCSMakeDefault), "", ro),
	)
}

// Render implements app.Composer.
func (s *AdminMFA) Render() app.UI {
	return app.Div().Class("admin-settings").Body(
		app.H2().Text(T(MsgAdminCSMFA)),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.loadErr != "", func() app.UI { return &ErrorMessage{Text: s.loadErr} }),
		app.If(!s.l.loading && s.loadErr == "" && s.settings != nil, func() app.UI {
			return app.Div().Body(
				s.settingsUI(),
				app.H2().Text(T(MsgAdminCSDevicePolicies)),
				app.P().Class("hint").Text(T(MsgAdminCSDevicePoliciesHint)),
				s.pols.render(s.C, s.devicePolicies()),
			)
		}),
	)
}

func (s *AdminMFA) settingsUI() app.UI {
	f, ro := s.settings, !s.C.CanWrite()
	var methods []app.UI
	for _, k := range mfaMethodOrder {
		methods = append(methods, f.check("methods."+k, deviceTypeLabel(k), "", ro))
	}
	return app.Form().ID("mfa-form").OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).Body(
		app.FieldSet().Class("admin-group").Body(
			app.Legend().Text(T(MsgAdminCSOTP)),
			f.text("otp.length", MsgAdminCSOTPLength, "number", "", ro),
			f.text("otp.lifetimeSeconds", MsgAdminCSOTPLifetime, "number", "", ro),
			f.text("otp.failureCount", MsgAdminCSOTPFailures, "number", "", ro),
			f.text("otp.coolDownSeconds", MsgAdminCSOTPCoolDown, "number", "", ro),
		),
		app.FieldSet().Class("admin-group").Body(
			app.Legend().Text(T(MsgAdminCSLockout)),
			f.text("lockout.failureCount", MsgAdminCSLockoutFailures, "number", "", ro),
			f.text("lockout.durationSeconds", MsgAdminCSLockoutDuration, "number", "", ro),
		),
		f.text("totp.timeWindowSteps", MsgAdminCSTOTPWindow, "number", MsgAdminCSTOTPWindowHint, ro),
		app.FieldSet().ID("mfa-methods").Class("admin-group").Body(
			append([]app.UI{app.Legend().Text(T(MsgAdminCSMethods))}, append(methods, f.fieldError("methods"))...)...,
		),
		app.FieldSet().Class("admin-group").Body(
			app.Legend().Text(T(MsgAdminCSPairing)),
			f.text("pairing.maxAllowedDevices", MsgAdminCSMaxDevices, "number", "", ro),
			f.check("pairing.disabled", T(MsgAdminCSPairingDisabled), MsgAdminCSPairingDisabledHint, ro),
			f.check("promptForNicknameOnPairing", T(MsgAdminCSPromptNickname), "", ro),
		),
		f.check("excludeEmailFromSignOn", T(MsgAdminCSExcludeEmail), MsgAdminCSExcludeEmailHint, ro),
		app.If(!ro, func() app.UI {
			return app.Button().ID("mfa-save").Type("button").Class("primary").Disabled(f.busy).
				Text(T(MsgAdminCSSave)).OnClick(s.onSaveSettings)
		}),
		f.status(MsgAdminCSSaved),
	)
}
