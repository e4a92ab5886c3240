package manage

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// brandingHarness is the harness with the branding routes added.
func brandingHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	api := New(Deps{Store: h.store, Hasher: h.hasher, Audit: audit.New(audit.Deps{Events: h.store, Now: func() time.Time { return h.now }}),
		PublicURL: publicURL, Now: func() time.Time { return h.now }})
	h.app.Get(paths.Branding, api.GetBranding())
	h.app.Put(paths.Branding, api.PutBranding())
	h.app.Put(paths.BrandingLogo, api.PutLogo())
	h.app.Delete(paths.BrandingLogo, api.DeleteLogo())
	h.app.Get(paths.PublicLogo, api.PublicLogo())
	h.app.Get(paths.PublicBranding, api.PublicBranding())
	return h
}

// raw sends body bytes with a content type as the named principal.
func (h *harness) raw(method, path, principal, contentType string, body []byte) response {
	h.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if principal != "" {
		req.Header.Set("X-Test-Principal", principal)
	}
	res, err := h.app.Test(req, -1)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b.Bytes()}
}

// testImage encodes a w×h image in format (png, jpeg, gif).
func testImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webpHeader is the start of an extended (VP8X) WebP of w×h: enough for
// the sniffer and the size reader.
func webpHeader(w, h int) []byte {
	b := []byte("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00")
	le24 := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16)} }
	b = append(b, le24(w-1)...)
	b = append(b, le24(h-1)...)
	return b
}

const goodBranding = `{"companyName":"Acme","colors":{"brand":"#0B5394","textOnBrand":"#ffffff","background":"#fafafa"},"footer":"© Acme Corp.\nAll rights reserved."}`

func TestPutBranding(t *testing.T) {
	h := brandingHarness(t)
	url := paths.Build(paths.Branding, defaultEnv)
	r := h.do(http.MethodPut, url, "envAdmin", goodBranding)
	if r.status != http.StatusOK {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	var got resource.Branding
	r.decode(t, &got)
	if got.CompanyName != "Acme" || got.Colors.Brand != "#0b5394" || got.Footer != "© Acme Corp.\nAll rights reserved." || got.Logo != nil {
		t.Fatalf("answer %+v", got)
	}
	b := h.env(defaultEnv).Branding
	if b.CompanyName != "Acme" || b.BrandColour != "#0b5394" || b.TextOnBrand != "#ffffff" || b.BackgroundColour != "#fafafa" {
		t.Fatalf("stored %+v", b)
	}
	if es := h.events(defaultEnv); len(es) == 0 || es[0].Action != audit.ActionBrandingUpdated {
		t.Fatalf("no audit event: %+v", es)
	}
	// A reader reads it; what it read can be sent back as is.
	r = h.do(http.MethodGet, url, "readOnly", "")
	if r.status != http.StatusOK {
		t.Fatalf("read: %d %s", r.status, r.body)
	}
	if r2 := h.do(http.MethodPut, url, "envAdmin", string(r.body)); r2.status != http.StatusOK {
		t.Fatalf("echo: %d %s", r2.status, r2.body)
	}
}

func TestPutBrandingInvalid(t *testing.T) {
	h := brandingHarness(t)
	url := paths.Build(paths.Branding, defaultEnv)
	body := func(name, brand, text, bg, footer string) string {
		return `{"companyName":"` + name + `","colors":{"brand":"` + brand + `","textOnBrand":"` + text +
			`","background":"` + bg + `"},"footer":"` + footer + `"}`
	}
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"brandNotHex", body("A", "blue", "#ffffff", "", ""), []string{"colors.brand:INVALID_VALUE"}},
		{"cssInjection", body("A", "#fff;}body{x", "#ffffff", "", ""), []string{"colors.brand:INVALID_VALUE"}},
		{"shortHex", body("A", "#fff", "#ffffff", "", ""), []string{"colors.brand:INVALID_VALUE"}},
		{"lowContrast", body("A", "#ffff00", "#ffffff", "", ""), []string{"colors.textOnBrand:INVALID_VALUE"}},
		{"sameColour", body("A", "#336699", "#336699", "", ""), []string{"colors.textOnBrand:INVALID_VALUE"}},
		{"defaultTextOnLightBrand", body("A", "#eeeeee", "", "", ""), []string{"colors.textOnBrand:INVALID_VALUE"}},
		{"darkBackground", body("A", "", "", "#222222", ""), []string{"colors.background:INVALID_VALUE"}},
		{"footerTooLong", body("A", "", "", "", strings.Repeat("x", 501)), []string{"footer:INVALID_VALUE"}},
		{"footerControl", body("A", "", "", "", `a\u0000b`), []string{"footer:INVALID_VALUE"}},
		{"nameTooLong", body(strings.Repeat("n", 101), "", "", "", ""), []string{"companyName:INVALID_VALUE"}},
		{"missing", `{"companyName":"A"}`, []string{"colors:REQUIRED_VALUE", "footer:REQUIRED_VALUE"}},
		{"unknown", `{"companyName":"A","colors":{"brand":"","textOnBrand":"","background":""},"footer":"","css":"x"}`,
			[]string{"css:UNKNOWN_ATTRIBUTE"}},
		{"logoReadOnly", `{"companyName":"A","colors":{"brand":"","textOnBrand":"","background":""},"footer":"","logo":{"href":"https://evil.example/x.png"}}`,
			[]string{"logo:READ_ONLY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv).Branding)
			r := h.do(http.MethodPut, url, "envAdmin", tt.body)
			if r.status != http.StatusBadRequest || r.code(t) != "INVALID_DATA" {
				t.Fatalf("status %d %s", r.status, r.body)
			}
			mustContain(t, r.targets(t), tt.want...)
			if after := snapshot(t, h.env(defaultEnv).Branding); after != before {
				t.Fatalf("refused write changed the branding: %s", after)
			}
		})
	}
	// Footer at the limit is fine.
	if r := h.do(http.MethodPut, url, "envAdmin", body("A", "", "", "", strings.Repeat("é", 500))); r.status != http.StatusOK {
		t.Fatalf("footer at the limit: %d %s", r.status, r.body)
	}
}

func TestBrandingAccess(t *testing.T) {
	h := brandingHarness(t)
	png := testImage(t, "png", 2, 2)
	tests := []struct {
		name, principal, method, env string
		logo                         bool
		want                         int
	}{
		{"noToken", "", http.MethodGet, defaultEnv, false, http.StatusUnauthorized},
		{"endUserReads", "alice", http.MethodGet, defaultEnv, false, http.StatusForbidden},
		{"endUserWrites", "alice", http.MethodPut, defaultEnv, false, http.StatusForbidden},
		{"endUserUploads", "alice", http.MethodPut, defaultEnv, true, http.StatusForbidden},
		{"endUserRemoves", "alice", http.MethodDelete, defaultEnv, true, http.StatusForbidden},
		{"identityDataAdminReads", "idAdmin", http.MethodGet, defaultEnv, false, http.StatusOK},
		{"identityDataAdminWrites", "idAdmin", http.MethodPut, defaultEnv, false, http.StatusForbidden},
		{"identityDataAdminUploads", "idAdmin", http.MethodPut, defaultEnv, true, http.StatusForbidden},
		{"readOnlyWrites", "readOnly", http.MethodPut, defaultEnv, false, http.StatusForbidden},
		{"readOnlyRemoves", "readOnly", http.MethodDelete, defaultEnv, true, http.StatusForbidden},
		{"adminOfOtherEnvReads", "envAdmin", http.MethodGet, otherEnv, false, http.StatusForbidden},
		{"adminOfOtherEnvWrites", "envAdmin", http.MethodPut, otherEnv, false, http.StatusForbidden},
		{"adminOfOtherEnvUploads", "envAdmin", http.MethodPut, otherEnv, true, http.StatusForbidden},
		{"adminOfOtherEnvRemoves", "envAdmin", http.MethodDelete, otherEnv, true, http.StatusForbidden},
		{"missingEnv", "star", http.MethodGet, missingEnv, false, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(otherEnv).Branding) + snapshot(t, h.env(defaultEnv).Branding)
			var r response
			switch {
			case tt.logo:
				r = h.raw(tt.method, paths.Build(paths.BrandingLogo, tt.env), tt.principal, "image/png", png)
			case tt.method == http.MethodPut:
				r = h.do(tt.method, paths.Build(paths.Branding, tt.env), tt.principal, goodBranding)
			default:
				r = h.do(tt.method, paths.Build(paths.Branding, tt.env), tt.principal, "")
			}
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.body)
			}
			if after := snapshot(t, h.env(otherEnv).Branding) + snapshot(t, h.env(defaultEnv).Branding); after != before {
				t.Fatal("a refused request changed branding")
			}
		})
	}
}

func TestPutLogo(t *testing.T) {
	h := brandingHarness(t)
	url := paths.Build(paths.BrandingLogo, defaultEnv)
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	pngBytes := testImage(t, "png", 64, 32)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		code        string
		w, h        int
	}{
		{"png", "image/png", pngBytes, http.StatusOK, "", 64, 32},
		{"jpeg", "image/jpeg", testImage(t, "jpeg", 10, 20), http.StatusOK, "", 10, 20},
		{"gif", "image/gif", testImage(t, "gif", 5, 6), http.StatusOK, "", 5, 6},
		{"webp", "image/webp", webpHeader(300, 200), http.StatusOK, "", 300, 200},
		{"maxDims", "image/png", testImage(t, "png", 1024, 1024), http.StatusOK, "", 1024, 1024},
		{"htmlAsPNG", "image/png", html, http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"textAsPNG", "image/png", []byte("just some text, renamed logo.png"), http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"svgDeclared", "image/svg+xml", svg, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 0, 0},
		{"svgAsPNG", "image/png", svg, http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"jpegAsPNG", "image/png", testImage(t, "jpeg", 4, 4), http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"truncatedPNG", "image/png", pngBytes[:20], http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"tooWide", "image/png", testImage(t, "png", 1025, 10), http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"tooTallWebP", "image/webp", webpHeader(10, 4000), http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"empty", "image/png", nil, http.StatusBadRequest, "INVALID_DATA", 0, 0},
		{"noType", "", pngBytes, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 0, 0},
		{"json", "application/json", []byte(`{}`), http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 0, 0},
		{"overSize", "image/png", append(bytes.Clone(pngBytes), make([]byte, resource.MaxLogoBytes)...), http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv).Branding)
			r := h.raw(http.MethodPut, url, "envAdmin", tt.contentType, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != http.StatusOK {
				if r.code(t) != tt.code {
					t.Fatalf("code %q, want %q: %s", r.code(t), tt.code, r.body)
				}
				if after := snapshot(t, h.env(defaultEnv).Branding); after != before {
					t.Fatal("a refused logo changed the branding")
				}
				return
			}
			var got resource.Branding
			r.decode(t, &got)
			if got.Logo == nil || got.Logo.Width != tt.w || got.Logo.Height != tt.h || got.Logo.ContentType != tt.contentType ||
				!strings.HasPrefix(got.Logo.Href, publicURL+"/"+defaultEnv+"/branding/logo?v=") {
				t.Fatalf("logo %+v", got.Logo)
			}
			l := h.env(defaultEnv).Branding.Logo
			if l == nil || !bytes.Equal(l.Data, tt.body) {
				t.Fatal("stored logo differs from the upload")
			}
		})
	}
}

func TestPublicLogo(t *testing.T) {
	h := brandingHarness(t)
	pub := paths.Build(paths.PublicLogo, defaultEnv)
	if r := h.do(http.MethodGet, pub, "", ""); r.status != http.StatusNotFound {
		t.Fatalf("no logo yet: %d", r.status)
	}
	img := testImage(t, "png", 8, 8)
	if r := h.raw(http.MethodPut, paths.Build(paths.BrandingLogo, defaultEnv), "envAdmin", "image/png", img); r.status != http.StatusOK {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	r := h.do(http.MethodGet, pub, "", "")
	if r.status != http.StatusOK || !bytes.Equal(r.body, img) {
		t.Fatalf("logo: %d", r.status)
	}
	for k, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
		"Cache-Control": "public, max-age=300"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	etag := r.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest(http.MethodGet, pub, nil)
	req.Header.Set("If-None-Match", etag)
	res, err := h.app.Test(req, -1)
	if err != nil || res.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %v %v", res.StatusCode, err)
	}
	// The other environment has none; removing works and is idempotent.
	if r := h.do(http.MethodGet, paths.Build(paths.PublicLogo, otherEnv), "", ""); r.status != http.StatusNotFound {
		t.Fatalf("other environment: %d", r.status)
	}
	for range 2 {
		if r := h.do(http.MethodDelete, paths.Build(paths.BrandingLogo, defaultEnv), "envAdmin", ""); r.status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
	}
	if r := h.do(http.MethodGet, pub, "", ""); r.status != http.StatusNotFound {
		t.Fatalf("after delete: %d", r.status)
	}
}

func TestPublicBrandingSwitches(t *testing.T) {
	h := brandingHarness(t)
	if r := h.do(http.MethodPut, paths.Build(paths.Branding, defaultEnv), "envAdmin", goodBranding); r.status != http.StatusOK {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	h.raw(http.MethodPut, paths.Build(paths.BrandingLogo, defaultEnv), "envAdmin", "image/png", testImage(t, "png", 4, 4))
	get := func() resource.PublicBranding {
		t.Helper()
		r := h.do(http.MethodGet, paths.Build(paths.PublicBranding, defaultEnv), "", "")
		if r.status != http.StatusOK {
			t.Fatalf("branding.json: %d %s", r.status, r.body)
		}
		var b resource.PublicBranding
		r.decode(t, &b)
		return b
	}
	b := get()
	if b.CompanyName != "Acme" || b.LogoURL == "" || b.Colors == nil || b.Colors.Brand != "#0b5394" || b.Footer == "" {
		t.Fatalf("branding.json with both switches on: %+v", b)
	}
	ss := paths.Build(paths.SelfService, defaultEnv)
	var s resource.SelfService
	h.do(http.MethodGet, ss, "envAdmin", "").decode(t, &s)
	if !s.ApplyActiveTheme || !s.ShowFooter {
		t.Fatalf("defaults: %+v", s)
	}
	// Leaving the switches out keeps them; false turns them off.
	put := func(extra string) {
		t.Helper()
		body := `{"manageProfile":true,"manageAuthentication":true,"managePingIdDevices":false,"changePassword":true,` +
			`"manageLinkedAccounts":true,"manageSessions":true,"viewAgreements":false,"manageOAuthConsents":false` + extra + `}`
		if r := h.do(http.MethodPut, ss, "envAdmin", body); r.status != http.StatusOK {
			t.Fatalf("put selfService: %d %s", r.status, r.body)
		}
	}
	put("")
	if b := get(); b.Footer == "" || b.Colors == nil {
		t.Fatalf("switches left out changed them: %+v", b)
	}
	put(`,"showFooter":false`)
	if b := get(); b.Footer != "" || b.Colors == nil || b.CompanyName != "Acme" {
		t.Fatalf("footer off: %+v", b)
	}
	put(`,"applyActiveTheme":false,"showFooter":true`)
	if b := get(); b.Footer == "" || b.Colors != nil || b.CompanyName != "" || b.LogoURL != "" {
		t.Fatalf("theme off: %+v", b)
	}
	if r := h.do(http.MethodPut, ss, "envAdmin", `{"applyActiveTheme":"no"}`); r.status != http.StatusBadRequest {
		t.Fatalf("bad switch: %d", r.status)
	}
	if r := h.do(http.MethodGet, paths.Build(paths.PublicBranding, missingEnv), "", ""); r.status != http.StatusNotFound {
		t.Fatalf("missing environment: %d", r.status)
	}
}
