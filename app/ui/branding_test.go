//go:build !js

package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestBrandVars(t *testing.T) {
	tests := []struct {
		name string
		in   *resource.BrandingColors
		want map[string]string
	}{
		{"none", nil, nil},
		{"all", &resource.BrandingColors{Brand: "#0b5394", TextOnBrand: "#ffffff", Background: "#fafafa"},
			map[string]string{"--brand": "#0b5394", "--brand-dark": "#0b5394", "--on-brand": "#ffffff", "--bg": "#fafafa"}},
		// Whatever the server sent, only #rrggbb reaches CSS.
		{"injection", &resource.BrandingColors{Brand: "red;}body{display:none", TextOnBrand: "#fff", Background: "#fafafa"},
			map[string]string{"--bg": "#fafafa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := brandVars(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestBrandingCheck(t *testing.T) {
	tests := []struct {
		name string
		form brandingForm
		want Msg
	}{
		{"defaults", brandingForm{}, ""},
		{"good", brandingForm{Brand: "#0b5394", Text: "#ffffff", Footer: "x"}, ""},
		{"badColour", brandingForm{Brand: "blue"}, MsgAdminBrandingBadColour},
		{"badBackground", brandingForm{Background: "#12345"}, MsgAdminBrandingBadColour},
		{"lowContrast", brandingForm{Brand: "#ffff00"}, MsgAdminBrandingContrast},
		{"footerTooLong", brandingForm{Footer: strings.Repeat("x", 501)}, MsgAdminBrandingFooterLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := ""
			if tt.want != "" {
				want = T(tt.want)
			}
			if got := brandingCheck(tt.form); got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

// TestBrandMarkAndFooter: the top bar shows the environment's name and
// logo once loaded, the product's name before (and when the theme is off:
// the server then sends none); the footer is hidden without text.
func TestBrandMarkAndFooter(t *testing.T) {
	tests := []struct {
		name     string
		b        resource.PublicBranding
		wantName string
		logo     bool
		footer   string
	}{
		{"branded", resource.PublicBranding{CompanyName: "Acme", LogoURL: "https://id.example/e/branding/logo?v=1", Footer: "© Acme"},
			"Acme", true, "© Acme"},
		{"themeOff", resource.PublicBranding{Footer: "© Acme"}, "MyAccount", false, "© Acme"},
		{"footerOff", resource.PublicBranding{CompanyName: "Acme"}, "Acme", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != paths.Build(paths.PublicBranding, testEnv) {
					http.NotFound(w, r)
					return
				}
				jsonReply(w)(200, tt.b)
			}))
			t.Cleanup(srv.Close)
			api := apiclient.New(apiclient.Config{BaseURL: srv.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: srv.Client()}})
			mark := &BrandMark{Env: testEnv, Fallback: "MyAccount", api: api}
			foot := &BrandFooter{Env: testEnv, api: api}
			ctx, e := newHarness(t)
			mark.OnMount(ctx)
			foot.OnMount(ctx)
			e.ConsumeAll()
			doc := render(t, app.Div().Body(mark.Render(), foot.Render()))
			if got := text(mustID(t, doc, "brand-name")); got != tt.wantName {
				t.Errorf("name %q, want %q", got, tt.wantName)
			}
			if logo := byID(doc, "brand-logo"); (logo != nil) != tt.logo {
				t.Errorf("logo shown %v, want %v", logo != nil, tt.logo)
			} else if logo != nil {
				if src, _ := attr(logo, "src"); src != tt.b.LogoURL {
					t.Errorf("logo src %q", src)
				}
			}
			f := mustID(t, doc, "brand-footer")
			_, hidden := attr(f, "hidden")
			if got := text(f); got != tt.footer || hidden != (tt.footer == "") {
				t.Errorf("footer %q hidden %v, want %q", got, hidden, tt.footer)
			}
		})
	}
}

// TestAdminBrandingRender: an Environment Admin gets the form's controls;
// a Read Only administrator sees the values without them.
func TestAdminBrandingRender(t *testing.T) {
	env := resource.Environment{ID: testEnv, Name: "Default"}
	b := resource.Branding{CompanyName: "Acme", Colors: resource.BrandingColors{Brand: "#0b5394"},
		Logo: &resource.BrandingLogo{Href: "https://id.example/logo?v=1"}}
	for _, tt := range []struct {
		name  string
		role  string
		write bool
	}{
		{"envAdmin", resource.RoleEnvironmentAdmin, true},
		{"readOnly", resource.RoleReadOnly, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &AdminBranding{C: &AdminContext{Env: env, Roles: []resource.RoleAssignment{{Role: tt.role, EnvironmentID: testEnv}}}}
			s.show(b)
			doc := render(t, s)
			ids := []string{"branding-save", "branding-logo-file", "branding-logo-remove"}
			if tt.write {
				wantIDs(t, doc, ids, nil)
			} else {
				wantIDs(t, doc, nil, ids)
			}
			if v, _ := attr(mustID(t, doc, "branding-name"), "value"); v != "Acme" {
				t.Errorf("name field %q", v)
			}
			mustID(t, doc, "branding-logo-preview")
			for _, id := range []string{"branding-name", "branding-brand", "branding-text", "branding-bg", "branding-footer", "branding-logo-file", "branding-theme", "branding-show-footer"} {
				if byID(doc, id) == nil {
					continue
				}
				if findAll(doc, func(n *nodeT) bool { v, _ := attr(n, "for"); return n.Data == "label" && v == id }) == nil {
					t.Errorf("#%s has no label", id)
				}
			}
		})
	}
}
