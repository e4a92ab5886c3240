package ui

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminSelfService is User Experience → Self Service: the MyAccount
// feature switches of the chosen environment (selfService), with the
// per-attribute access of Manage profile. It shows what GET selfService
// returns, switches it does not know included, and saves them all at once
// (PUT replaces). Each switch changes the scopes MyAccount tokens get and
// the tabs users see; the server enforces them.
type AdminSelfService struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	raw     map[string]any
	form    *adminForm
	loadErr string
}

// The switches in the order PingOne's page shows them; managePingIdDevices
// is drawn under manageAuthentication.
var selfServiceSwitches = []struct {
	key   string
	label Msg
}{
	{"manageProfile", MsgAdminCSManageProfile},
	{"manageAuthentication", MsgAdminCSManageAuth},
	{"changePassword", MsgAdminCSChangePassword},
	{"manageLinkedAccounts", MsgAdminCSLinkedAccounts},
	{"manageSessions", MsgAdminCSSessions},
	{"viewAgreements", MsgAdminCSAgreements},
	{"manageOAuthConsents", MsgAdminCSConsents},
}

// selfServiceLabels names the switches another part of the server may add
// (branding); an attribute with no label here shows its API name.
var selfServiceLabels = map[string]Msg{
	"applyActiveTheme": MsgAdminCSApplyTheme,
	"showFooter":       MsgAdminCSShowFooter,
	"signOffBehavior":  MsgAdminCSSignOff,
	"signOffBehaviour": MsgAdminCSSignOff,
}

// attributeLabels names the profile attributes as the My profile tab does.
var attributeLabels = map[string]Msg{
	"username": MsgFieldUsername, "name": MsgAdminCSAttrName, "nickname": MsgFieldNickname, "title": MsgFieldTitle,
	"email": MsgAdminCSAttrEmail, "primaryPhone": MsgFieldPrimary, "mobilePhone": MsgFieldMobile,
	"address": MsgAdminCSAttrAddress, "locale": MsgFieldLocale, "preferredLanguage": MsgFieldLanguage,
	"timezone": MsgFieldTimezone, "photo": MsgFieldPhoto,
}

const pingIDSwitch = "managePingIdDevices"

// selfServiceReadOnly are attributes the form never sends back.
var selfServiceReadOnly = []string{"_links", "updatedAt", "environment", "id"}

// OnMount loads the settings.
func (s *AdminSelfService) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminSelfService) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminSelfService) load(ctx app.Context) {
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) (map[string]any, error) {
		var out map[string]any
		err := c.API.Call(ctx, "GET", paths.Build(paths.SelfService, c.Env.ID), c.Token, "", nil, &out)
		return out, err
	}, func(raw map[string]any, err error) {
		s.loadErr = ""
		if err != nil {
			s.loadErr = adminErrorText(err)
			return
		}
		s.raw, s.form = raw, selfServiceForm(raw)
	})
}

// selfServiceForm fills a form from GET selfService's answer: every
// boolean is a switch, every string a text, each profile attribute's
// access a choice ("profileAttributes.name").
func selfServiceForm(raw map[string]any) *adminForm {
	f := newAdminForm("selfservice")
	for k, v := range raw {
		if slices.Contains(selfServiceReadOnly, k) {
			continue
		}
		switch v := v.(type) {
		case bool:
			f.checks[k] = v
		case string:
			f.vals[k] = v
		case map[string]any:
			if k != "profileAttributes" {
				continue
			}
			for name, access := range v {
				if a, ok := access.(string); ok {
					f.vals["profileAttributes."+name] = a
				}
			}
		}
	}
	return f
}

// selfServiceBody is the PUT body: what GET returned (attributes the form
// does not edit go back unchanged) with the form's values, read-only
// attributes left out.
func selfServiceBody(raw map[string]any, f *adminForm) map[string]any {
	body := map[string]any{}
	for k, v := range raw {
		if !slices.Contains(selfServiceReadOnly, k) {
			body[k] = v
		}
	}
	maps.Copy(body, toAny(f.checks))
	attrs := map[string]any{}
	for k, v := range f.vals {
		if name, ok := strings.CutPrefix(k, "profileAttributes."); ok {
			attrs[name] = v
		} else {
			body[k] = v
		}
	}
	if len(attrs) > 0 {
		body["profileAttributes"] = attrs
	}
	return body
}

func toAny[V any](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// onSave sends every switch; a refusal keeps the form as it is, with the
// server's explanation next to the switch it names. A refused PingID
// switch whose details name no control still gets them next to it: that
// switch is the one the server has a rule for (an MFA policy on the
// MyAccount application).
func (s *AdminSelfService) onSave(ctx app.Context, e app.Event) {
	f := s.form
	if f == nil || f.busy {
		return
	}
	wasOn, _ := s.raw[pingIDSwitch].(bool)
	turningOn := f.checks[pingIDSwitch] && !wasOn
	f.begin()
	body := selfServiceBody(s.raw, f)
	c := s.C
	ctx.Async(func() {
		var out map[string]any
		err := c.API.Call(context.Background(), "PUT", paths.Build(paths.SelfService, c.Env.ID), c.Token, "", body, &out)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				f.fail(err)
				if turningOn && f.errs[pingIDSwitch] == "" && f.err != "" {
					f.errs[pingIDSwitch], f.err = f.err, ""
				}
				return
			}
			s.raw, s.form = out, selfServiceForm(out)
			s.form.saved = true
		})
	})
}

// Render implements app.Composer.
func (s *AdminSelfService) Render() app.UI {
	return app.Div().Class("admin-settings").Body(
		app.H2().Text(T(MsgAdminCSSelfService)),
		app.P().Class("hint").Text(T(MsgAdminCSSelfServiceHint)),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.loadErr != "", func() app.UI { return &ErrorMessage{Text: s.loadErr} }),
		app.If(!s.l.loading && s.loadErr == "" && s.form != nil, s.formUI),
	)
}

func (s *AdminSelfService) formUI() app.UI {
	f, ro := s.form, !s.C.CanWrite()
	var rows []app.UI
	for _, sw := range selfServiceSwitches {
		if _, ok := f.checks[sw.key]; !ok {
			continue
		}
		rows = append(rows, f.check(sw.key, T(sw.label), "", ro))
		switch sw.key {
		case "manageProfile":
			rows = append(rows, s.attributes(ro))
		case "manageAuthentication":
			if _, ok := f.checks[pingIDSwitch]; ok {
				rows = append(rows, app.Div().Class("admin-sub").Body(
					f.check(pingIDSwitch, T(MsgAdminCSPingID), MsgAdminCSPingIDHint, ro)))
			}
		}
	}
	for _, k := range s.extras() {
		label := k
		if m, ok := selfServiceLabels[k]; ok {
			label = T(m)
		}
		if _, ok := f.checks[k]; ok {
			rows = append(rows, f.check(k, label, "", ro))
			continue
		}
		id := f.id(k)
		rows = append(rows, app.Div().Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Value(f.vals[k]).Disabled(ro).
				OnChange(func(ctx app.Context, e app.Event) { f.vals[k] = ctx.JSSrc().Get("value").String() }),
			f.fieldError(k),
		))
	}
	return app.Form().ID("selfservice-form").OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).Body(
		app.Div().Class("admin-fields").Body(rows...),
		app.If(!ro, func() app.UI {
			return app.Button().ID("selfservice-save").Type("button").Class("primary").Disabled(f.busy).
				Text(T(MsgAdminCSSave)).OnClick(s.onSave)
		}),
		f.status(MsgAdminCSSaved),
	)
}

// extras are the switches and texts GET returned beyond the known ones,
// by name.
func (s *AdminSelfService) extras() []string {
	known := map[string]bool{pingIDSwitch: true}
	for _, sw := range selfServiceSwitches {
		known[sw.key] = true
	}
	var out []string
	for k := range s.form.checks {
		if !known[k] {
			out = append(out, k)
		}
	}
	for k := range s.form.vals {
		if !known[k] && !strings.HasPrefix(k, "profileAttributes.") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// attributes is Manage profile's per-attribute access.
func (s *AdminSelfService) attributes(ro bool) app.UI {
	f := s.form
	opts := []adminOption{
		{resource.AttributeHidden, T(MsgAdminCSHidden)},
		{resource.AttributeReadOnly, T(MsgAdminCSReadOnly)},
		{resource.AttributeEditable, T(MsgAdminCSEditable)},
	}
	var names []string
	for _, n := range resource.ProfileAttributeNames {
		if _, ok := f.vals["profileAttributes."+n]; ok {
			names = append(names, n)
		}
	}
	return app.FieldSet().ID("selfservice-attributes").Class("admin-sub", "admin-attributes").Body(
		app.Legend().Text(T(MsgAdminCSAttributes)),
		app.Range(names).Slice(func(i int) app.UI {
			key := "profileAttributes." + names[i]
			id := f.id(key)
			label := names[i]
			if m, ok := attributeLabels[names[i]]; ok {
				label = T(m)
			}
			return app.Div().Class("field", "admin-attribute").Body(
				app.Label().For(id).Text(label),
				app.Select().ID(id).Disabled(ro).
					OnChange(func(ctx app.Context, e app.Event) { f.vals[key] = ctx.JSSrc().Get("value").String() }).
					Body(app.Range(opts).Slice(func(j int) app.UI {
						return app.Option().Value(opts[j].value).Selected(opts[j].value == f.vals[key]).Text(opts[j].label)
					})),
				f.fieldError(key),
			)
		}),
	)
}
