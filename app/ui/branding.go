package ui

import (
	"context"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// The environment's branding on the hosted pages (sign-on, MyAccount, the
// application portal): BrandMark in the top bar, BrandFooter under the
// page. Each reads the public branding.json, which the server already
// narrowed by the "Apply active theme" and "Show footer" switches.

// brandingLoad reads the environment's public branding; a failure leaves
// the product's own look (branding is decoration, never a reason to fail).
// env "" means the page's: the pages learn theirs in their own OnMount,
// which runs after their children mounted.
func brandingLoad(ctx app.Context, api *apiclient.Client, env string, apply func(resource.PublicBranding)) {
	if env == "" {
		env = envFromPath(ctx.Page().URL().Path)
	}
	if env == "" {
		return
	}
	if api == nil {
		api = apiclient.New(apiclient.Config{EnvironmentID: env})
	}
	ctx.Async(func() {
		b, err := api.GetPublicBranding(context.Background())
		if err != nil {
			return
		}
		ctx.Dispatch(func(app.Context) { apply(b) })
	})
}

// BrandMark is the top bar's brand: the environment's logo and company name
// when it has them, else Fallback (the product's name). Loading the
// branding also applies its colours to the page.
type BrandMark struct {
	app.Compo
	Env      string // "" means the page's
	Fallback string

	api *apiclient.Client // tests set it; nil is the browser's
	b   resource.PublicBranding
}

// OnMount loads the branding.
func (m *BrandMark) OnMount(ctx app.Context) {
	brandingLoad(ctx, m.api, m.Env, func(b resource.PublicBranding) {
		m.b = b
		applyColours(b.Colors)
	})
}

// Render implements app.Composer. The logo's alt text is empty when the
// name is shown beside it (it would be read twice).
func (m *BrandMark) Render() app.UI {
	name := m.b.CompanyName
	if name == "" {
		name = m.Fallback
	}
	return app.Span().Class("brand").Body(
		app.Span().ID("brand-name").Text(name),
		app.If(m.b.LogoURL != "", func() app.UI {
			return app.Img().ID("brand-logo").Class("brand-logo").Src(m.b.LogoURL).Alt("")
		}),
	)
}

// BrandFooter shows the environment's footer text (plain text; its line
// breaks kept by CSS), nothing when it has none or "Show footer" is off.
type BrandFooter struct {
	app.Compo
	Env string // "" means the page's

	api *apiclient.Client
	b   resource.PublicBranding
}

// OnMount loads the branding.
func (f *BrandFooter) OnMount(ctx app.Context) {
	brandingLoad(ctx, f.api, f.Env, func(b resource.PublicBranding) { f.b = b })
}

// Render implements app.Composer.
func (f *BrandFooter) Render() app.UI {
	text := strings.TrimSpace(f.b.Footer)
	ft := app.Footer().ID("brand-footer").Class("brand-footer").Text(text)
	if text == "" {
		ft = ft.Hidden(true) // an attribute only when hidden: go-app writes Hidden(false) as hidden="false"
	}
	return ft
}

// brandVars are the stylesheet's custom properties branding sets, with the
// colour each takes.
func brandVars(c *resource.BrandingColors) map[string]string {
	if c == nil {
		return nil
	}
	out := map[string]string{}
	for name, v := range map[string]string{
		"--brand": c.Brand, "--brand-dark": c.Brand, "--on-brand": c.TextOnBrand, "--bg": c.Background,
	} {
		// Only "#rrggbb" reaches CSS, whatever the server sent.
		if valid.HexColour(v) == nil {
			out[name] = v
		}
	}
	return out
}

// applyColours sets the branding's colours as custom properties on the
// document element (CSSOM, which the strict CSP allows; no inline style
// attribute is written).
func applyColours(c *resource.BrandingColors) {
	if !app.IsClient {
		return
	}
	style := app.Window().Get("document").Get("documentElement").Get("style")
	for name, v := range brandVars(c) {
		style.Call("setProperty", name, v)
	}
}
