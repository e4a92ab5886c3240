package ui

import (
	"context"
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// AdminBranding is the console's branding section: the chosen
// environment's company name, colours (with a live preview), footer and
// logo, and the selfService switches that apply them ("Apply active
// theme", "Show footer"). The server validates everything again.
type AdminBranding struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	b       resource.Branding
	ss      resource.SelfService
	form    brandingForm
	busy    string // the control whose request is under way
	errText string
	notice  string
}

// brandingForm is what the administrator is editing.
type brandingForm struct {
	Name, Brand, Text, Background, Footer string
}

// brandingData is one load: the branding and the switches.
type brandingData struct {
	b  resource.Branding
	ss resource.SelfService
}

// OnMount loads the branding.
func (s *AdminBranding) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads it for another environment.
func (s *AdminBranding) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminBranding) load(ctx app.Context) {
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) (brandingData, error) {
		var d brandingData
		err := c.API.Call(ctx, "GET", paths.Build(paths.Branding, c.Env.ID), c.Token, "", nil, &d.b)
		if err == nil {
			err = c.API.Call(ctx, "GET", paths.Build(paths.SelfService, c.Env.ID), c.Token, "", nil, &d.ss)
		}
		return d, err
	}, func(d brandingData, err error) {
		s.errText, s.notice = "", ""
		if err != nil {
			s.errText = adminErrorText(err)
			return
		}
		s.show(d.b)
		s.ss = d.ss
	})
}

// show puts a branding answer on screen and into the form.
func (s *AdminBranding) show(b resource.Branding) {
	s.b = b
	s.form = brandingForm{Name: b.CompanyName, Brand: b.Colors.Brand, Text: b.Colors.TextOnBrand,
		Background: b.Colors.Background, Footer: b.Footer}
	s.preview()
}

// preview shows the form's colours on the swatch (only valid ones).
func (s *AdminBranding) preview() {
	setStyleVars("branding-swatch", map[string]string{
		"--sw-brand": orDefault(s.form.Brand, resource.DefaultBrandColour),
		"--sw-text":  orDefault(s.form.Text, resource.DefaultTextOnBrand),
	})
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// brandingCheck is the form's instant feedback, with the server's rules.
func brandingCheck(f brandingForm) string {
	for _, c := range []string{f.Brand, f.Text, f.Background} {
		if c != "" && valid.HexColour(c) != nil {
			return T(MsgAdminBrandingBadColour)
		}
	}
	if valid.Readable(orDefault(f.Text, resource.DefaultTextOnBrand), orDefault(f.Brand, resource.DefaultBrandColour)) != nil {
		return T(MsgAdminBrandingContrast)
	}
	if valid.Footer(f.Footer) != nil {
		return T(MsgAdminBrandingFooterLong)
	}
	return ""
}

func (s *AdminBranding) input(field *string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		*field = ctx.JSSrc().Get("value").String()
		s.preview()
	}
}

// run sends one request for control id, keeping it mounted and disabled
// until the answer, which apply handles.
func (s *AdminBranding) run(ctx app.Context, id string, call func(context.Context, *AdminContext) (resource.Branding, error), notice Msg) {
	if s.busy != "" {
		return
	}
	s.busy, s.errText, s.notice = id, "", ""
	c := s.C
	ctx.Async(func() {
		b, err := call(context.Background(), c)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy = ""
			if err != nil {
				s.errText = adminErrorText(err)
				return
			}
			s.show(b)
			s.notice = T(notice)
		})
	})
}

func (s *AdminBranding) onSave(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if msg := brandingCheck(s.form); msg != "" {
		s.errText, s.notice = msg, ""
		return
	}
	f := s.form
	in := resource.Branding{CompanyName: f.Name, Footer: f.Footer,
		Colors: resource.BrandingColors{Brand: f.Brand, TextOnBrand: f.Text, Background: f.Background}}
	s.run(ctx, "branding-save", func(ctx context.Context, c *AdminContext) (resource.Branding, error) {
		var out resource.Branding
		err := c.API.Call(ctx, "PUT", paths.Build(paths.Branding, c.Env.ID), c.Token, "",
			map[string]any{"companyName": in.CompanyName, "colors": in.Colors, "footer": in.Footer}, &out)
		return out, err
	}, MsgAdminBrandingSaved)
}

func (s *AdminBranding) onRemoveLogo(ctx app.Context, e app.Event) {
	s.run(ctx, "branding-logo-remove", func(ctx context.Context, c *AdminContext) (resource.Branding, error) {
		if err := c.API.Call(ctx, "DELETE", paths.Build(paths.BrandingLogo, c.Env.ID), c.Token, "", nil, nil); err != nil {
			return resource.Branding{}, err
		}
		var out resource.Branding
		err := c.API.Call(ctx, "GET", paths.Build(paths.Branding, c.Env.ID), c.Token, "", nil, &out)
		return out, err
	}, MsgAdminBrandingLogoRemoved)
}

// onLogoFile uploads the chosen file: its bytes, read in the browser, with
// the type the browser gives it (the server sniffs and checks them).
func (s *AdminBranding) onLogoFile(ctx app.Context, e app.Event) {
	if s.busy != "" {
		return
	}
	s.busy, s.errText, s.notice = "branding-logo-file", "", ""
	readChosenFile(ctx.JSSrc(), resource.MaxLogoBytes, func(data []byte, mediaType string, err error) {
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) {
				s.busy = ""
				s.errText = T(MsgAdminBrandingLogoTooBig)
				if !errors.Is(err, errFileTooLarge) {
					s.errText = T(MsgErrGeneric)
				}
			})
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			s.busy = ""
			s.run(ctx, "branding-logo-file", func(ctx context.Context, c *AdminContext) (resource.Branding, error) {
				return c.API.PutLogo(ctx, c.Env.ID, c.Token, mediaType, data)
			}, MsgAdminBrandingLogoSaved)
		})
	})
}

// onSwitch turns "Apply active theme" or "Show footer" on or off: the
// switches as read, with the one changed.
func (s *AdminBranding) onSwitch(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if s.busy != "" {
			return
		}
		on := ctx.JSSrc().Get("checked").Bool()
		next := s.ss
		if id == "branding-theme" {
			next.ApplyActiveTheme = on
		} else {
			next.ShowFooter = on
		}
		s.busy, s.errText, s.notice = id, "", ""
		c := s.C
		ctx.Async(func() {
			var out resource.SelfService
			err := c.API.Call(context.Background(), "PUT", paths.Build(paths.SelfService, c.Env.ID), c.Token, "", next, &out)
			ctx.Dispatch(func(ctx app.Context) {
				s.busy = ""
				if err != nil {
					s.errText = adminErrorText(err)
					return
				}
				s.ss = out
				s.notice = T(MsgAdminBrandingSaved)
			})
		})
	}
}

// Render implements app.Composer.
func (s *AdminBranding) Render() app.UI {
	if s.C == nil {
		return app.Div()
	}
	w := s.C.CanWrite()
	f := s.form
	field := func(id string, label Msg, value string, hint Msg, dst *string) app.UI {
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(T(label)),
			app.Input().ID(id).Type("text").Value(value).ReadOnly(!w).Aria("describedby", id+"-hint").
				OnInput(s.input(dst)),
			app.P().ID(id+"-hint").Class("hint").Text(T(hint)),
		)
	}
	logo := s.b.Logo
	return app.Div().Body(
		app.H2().Text(T(MsgAdminBranding)),
		app.Form().ID("branding-form").OnSubmit(s.onSave).Body(
			app.Div().Class("field").Body(
				app.Label().For("branding-name").Text(T(MsgAdminBrandingName)),
				app.Input().ID("branding-name").Type("text").Value(f.Name).MaxLength(valid.MaxCompanyName).ReadOnly(!w).
					OnInput(s.input(&s.form.Name)),
			),
			field("branding-brand", MsgAdminBrandingBrand, f.Brand, MsgAdminBrandingColourHint, &s.form.Brand),
			field("branding-text", MsgAdminBrandingText, f.Text, MsgAdminBrandingColourHint, &s.form.Text),
			field("branding-bg", MsgAdminBrandingBackground, f.Background, MsgAdminBrandingColourHint, &s.form.Background),
			app.Div().ID("branding-swatch").Class("branding-swatch").Aria("label", T(MsgAdminBrandingPreview)).
				Text(orDefault(f.Name, T(MsgAppName))),
			app.Div().Class("field").Body(
				app.Label().For("branding-footer").Text(T(MsgAdminBrandingFooter)),
				app.Textarea().ID("branding-footer").Rows(3).MaxLength(valid.MaxFooter).ReadOnly(!w).Text(f.Footer).
					OnInput(s.input(&s.form.Footer)),
			),
			app.If(w, func() app.UI {
				return app.Button().ID("branding-save").Type("submit").Class("primary").
					Disabled(s.busy != "").Text(T(MsgAdminBrandingSave))
			}),
		),
		app.H3().Text(T(MsgAdminBrandingLogo)),
		app.If(logo != nil, func() app.UI {
			return app.Img().ID("branding-logo-preview").Class("branding-logo-preview").Src(logo.Href).Alt(T(MsgAdminBrandingLogo))
		}),
		app.If(logo == nil, func() app.UI { return app.P().Class("empty").Text(T(MsgAdminBrandingNoLogo)) }),
		app.If(w, func() app.UI {
			return app.Div().Class("field").Body(
				app.Label().For("branding-logo-file").Text(T(MsgAdminBrandingLogoFile)),
				app.Input().ID("branding-logo-file").Type("file").Accept("image/png,image/jpeg,image/webp,image/gif").
					Disabled(s.busy != "").OnChange(s.onLogoFile),
				app.P().Class("hint").Text(T(MsgAdminBrandingLogoHint)),
			)
		}),
		app.If(w && logo != nil, func() app.UI {
			return app.Button().ID("branding-logo-remove").Type("button").Class("danger").
				Disabled(s.busy != "").Text(T(MsgAdminBrandingLogoRemove)).OnClick(s.onRemoveLogo)
		}),
		app.H3().Text(T(MsgAdminBrandingDisplay)),
		app.Div().Class("field").Body(
			app.Label().For("branding-theme").Body(
				app.Input().ID("branding-theme").Type("checkbox").Checked(s.ss.ApplyActiveTheme).
					Disabled(!w || s.busy != "").OnChange(s.onSwitch("branding-theme")),
				app.Text(" "+T(MsgAdminBrandingApplyTheme)),
			),
		),
		app.Div().Class("field").Body(
			app.Label().For("branding-show-footer").Body(
				app.Input().ID("branding-show-footer").Type("checkbox").Checked(s.ss.ShowFooter).
					Disabled(!w || s.busy != "").OnChange(s.onSwitch("branding-show-footer")),
				app.Text(" "+T(MsgAdminBrandingShowFooter)),
			),
		),
		app.P().ID("branding-notice").Class("notice").Aria("live", "polite").Text(s.notice),
		app.If(s.errText != "", func() app.UI { return &ErrorMessage{Text: s.errText} }),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
	)
}
