package ui

import (
	"context"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminSignOn is the chosen environment's sign-on policy: a password
// alone or a password and one MFA step, what happens to a user with no
// device (enrol one during sign-on, or be blocked), how the device is
// chosen, and the agreement users consent to.
type AdminSignOn struct {
	app.Compo
	C *AdminContext

	l          adminLoader
	policy     resource.SignOnPolicy
	agreements []resource.Agreement
	form       *adminForm
	loadErr    string
}

type signOnData struct {
	policy     resource.SignOnPolicy
	agreements []resource.Agreement
}

// OnMount loads the policy and the agreements it may name.
func (s *AdminSignOn) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminSignOn) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminSignOn) load(ctx app.Context) {
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) (signOnData, error) {
		var d signOnData
		pols, err := apiclient.ListOf[resource.SignOnPolicy](ctx, c.API, paths.Build(paths.SignOnPolicies, c.Env.ID), c.Token, "signOnPolicies")
		if err != nil {
			return d, err
		}
		for i, p := range pols {
			if p.Default || i == 0 {
				d.policy = p
			}
		}
		d.agreements, err = apiclient.ListOf[resource.Agreement](ctx, c.API, paths.Build(paths.Agreements, c.Env.ID), c.Token, "agreements")
		return d, err
	}, func(d signOnData, err error) {
		s.loadErr = ""
		if err != nil {
			s.loadErr = adminErrorText(err)
			return
		}
		s.policy, s.agreements, s.form = d.policy, d.agreements, signOnForm(d.policy)
	})
}

// signOnForm fills the form from the policy.
func signOnForm(p resource.SignOnPolicy) *adminForm {
	f := newAdminForm("signon")
	f.vals["name"] = p.Name
	f.vals["kind"] = p.Kind
	f.vals["enrollDuringSignOn"] = "false"
	if p.EnrollDuringSignOn {
		f.vals["enrollDuringSignOn"] = "true"
	}
	f.vals["deviceSelection"] = p.DeviceSelection
	f.vals["agreementId"] = p.AgreementID
	return f
}

// signOnBody is the PUT body (it replaces the policy: no agreement is
// null).
func signOnBody(f *adminForm) map[string]any {
	body := map[string]any{
		"name":               strings.TrimSpace(f.vals["name"]),
		"kind":               f.vals["kind"],
		"enrollDuringSignOn": f.vals["enrollDuringSignOn"] == "true",
		"deviceSelection":    f.vals["deviceSelection"],
		"agreementId":        nil,
	}
	if id := f.vals["agreementId"]; id != "" {
		body["agreementId"] = id
	}
	return body
}

func (s *AdminSignOn) onSave(ctx app.Context, e app.Event) {
	f := s.form
	if f == nil || f.busy {
		return
	}
	f.begin()
	body, c, id := signOnBody(f), s.C, s.policy.ID
	ctx.Async(func() {
		var out resource.SignOnPolicy
		err := c.API.Call(context.Background(), "PUT", paths.Build(paths.SignOnPolicy, c.Env.ID, id), c.Token, "", body, &out)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				f.fail(err)
				return
			}
			s.policy, s.form = out, signOnForm(out)
			s.form.saved = true
			if c.Env.ID == c.AdminEnv && c.Reload != nil {
				c.Reload(ctx) // the console's MFA nag follows the Administrators policy
			}
		})
	})
}

// Render implements app.Composer.
func (s *AdminSignOn) Render() app.UI {
	return app.Div().Class("admin-settings").Body(
		app.H2().Text(T(MsgAdminCSSignOn)),
		app.P().Class("hint").Text(T(MsgAdminCSSignOnHint)),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.loadErr != "", func() app.UI { return &ErrorMessage{Text: s.loadErr} }),
		app.If(!s.l.loading && s.loadErr == "" && s.form != nil, s.formUI),
	)
}

func (s *AdminSignOn) formUI() app.UI {
	f, ro := s.form, !s.C.CanWrite()
	agreements := []adminOption{{"", T(MsgAdminCSNoAgreement)}}
	for _, a := range s.agreements {
		label := a.Name
		if !a.Enabled {
			label += " " + T(MsgAdminCSDisabled)
		}
		agreements = append(agreements, adminOption{a.ID, label})
	}
	return app.Form().ID("signon-form").OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).Body(
		app.Div().Class("admin-fields").Body(
			f.text("name", MsgAdminCSName, "text", "", ro),
			f.choice("kind", MsgAdminCSKind, []adminOption{
				{resource.PolicyPasswordOnly, T(MsgAdminCSKindPassword)},
				{resource.PolicyPasswordMFA, T(MsgAdminCSKindMFA)},
			}, ro),
			f.choice("enrollDuringSignOn", MsgAdminCSNoDevice, []adminOption{
				{"true", T(MsgAdminCSEnroll)},
				{"false", T(MsgAdminCSBlock)},
			}, ro),
			f.choice("deviceSelection", MsgAdminCSDeviceSelection, []adminOption{
				{resource.SelectDefaultToFirst, T(MsgAdminCSDefaultToFirst)},
				{resource.SelectPrompt, T(MsgAdminCSPrompt)},
			}, ro),
			f.choice("agreementId", MsgAdminCSAgreement, agreements, ro),
		),
		app.If(!ro, func() app.UI {
			return app.Button().ID("signon-save").Type("button").Class("primary").Disabled(f.busy).
				Text(T(MsgAdminCSSave)).OnClick(s.onSave)
		}),
		f.status(MsgAdminCSSaved),
	)
}
