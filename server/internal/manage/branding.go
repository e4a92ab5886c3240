package manage

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	_ "image/gif" // registers the decoders image.DecodeConfig checks logos with
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// GetBranding answers GET /v1/environments/{envId}/branding (readers).
func (a *API) GetBranding() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		return c.JSON(a.brandingResource(env))
	}
}

// PutBranding answers PUT /v1/environments/{envId}/branding (Environment
// Admin): companyName, colors (brand, textOnBrand, background) and footer
// are required; an empty colour means the default. Text on the brand colour
// must reach WCAG's 4.5:1, and so must the body text on the background.
func (a *API) PutBranding() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, env, err := a.editEnvironment(c, func(e *store.Environment, o *object) error {
			b := e.Branding
			o.Require("companyName", "colors", "footer")
			if o.String("companyName", &b.CompanyName, false) {
				b.CompanyName = strings.TrimSpace(b.CompanyName)
				if valid.CompanyName(b.CompanyName) != nil {
					o.Fail("companyName", "must be at most "+strconv.Itoa(valid.MaxCompanyName)+" characters without control characters.")
				}
			}
			if o.String("footer", &b.Footer, false) {
				b.Footer = strings.TrimSpace(b.Footer)
				if valid.Footer(b.Footer) != nil {
					o.Fail("footer", "must be plain text of at most "+strconv.Itoa(valid.MaxFooter)+" characters.")
				}
			}
			cur := a.brandingResource(e)
			if cols, _ := o.Object("colors"); cols != nil {
				cols.Require("brand", "textOnBrand", "background")
				ok := readColour(cols, "brand", &b.BrandColour)
				ok = readColour(cols, "textOnBrand", &b.TextOnBrand) && ok
				ok = readColour(cols, "background", &b.BackgroundColour) && ok
				cols.Rest(cur.Colors)
				if ok {
					checkContrast(cols, b)
				}
			}
			o.Rest(cur, "logo", "updatedAt")
			if err := invalid(o.Details()); err != nil {
				return err
			}
			b.UpdatedAt = a.now()
			e.Branding = b
			return nil
		})
		if err != nil {
			return err
		}
		out := a.brandingResource(env)
		a.record(c, envID, audit.ActionBrandingUpdated, "", map[string]string{
			"companyName": out.CompanyName, "brand": out.Colors.Brand, "textOnBrand": out.Colors.TextOnBrand,
			"background": out.Colors.Background, "footerLength": strconv.Itoa(len([]rune(out.Footer)))})
		return c.JSON(out)
	}
}

// readColour reads a "#rrggbb" colour, or "" (or null) for the default,
// stored lower case; it reports whether the field was present and good.
func readColour(o *object, name string, dst *string) bool {
	var s string
	if !o.String(name, &s, true) {
		return false
	}
	if s != "" && valid.HexColour(s) != nil {
		o.Fail(name, "must be a colour in the form #rrggbb.")
		return false
	}
	*dst = strings.ToLower(s)
	return true
}

// checkContrast refuses colours whose text would be hard to read.
func checkContrast(o *object, b store.Branding) {
	c := effectiveColours(b)
	if valid.Readable(c.TextOnBrand, c.Brand) != nil {
		o.Fail("textOnBrand", "must contrast with the brand colour at least 4.5:1 (it is "+
			strconv.FormatFloat(valid.Contrast(c.TextOnBrand, c.Brand), 'f', 2, 64)+":1).")
	}
	if valid.Readable(bodyText, c.Background) != nil {
		o.Fail("background", "must contrast with the body text ("+bodyText+") at least 4.5:1 (it is "+
			strconv.FormatFloat(valid.Contrast(bodyText, c.Background), 'f', 2, 64)+":1).")
	}
}

// bodyText is the stylesheet's text colour, shown on the background.
const bodyText = "#1b1f24"

// effectiveColours are the colours pages use: the stored ones, defaults
// for those left empty.
func effectiveColours(b store.Branding) resource.BrandingColors {
	c := resource.BrandingColors{Brand: b.BrandColour, TextOnBrand: b.TextOnBrand, Background: b.BackgroundColour}
	if c.Brand == "" {
		c.Brand = resource.DefaultBrandColour
	}
	if c.TextOnBrand == "" {
		c.TextOnBrand = resource.DefaultTextOnBrand
	}
	if c.Background == "" {
		c.Background = resource.DefaultBackgroundColour
	}
	return c
}

func (a *API) brandingResource(e *store.Environment) resource.Branding {
	b := e.Branding
	out := resource.Branding{
		Links:       resource.Links{"self": a.link(paths.Build(paths.Branding, e.ID))},
		CompanyName: b.CompanyName, Footer: b.Footer,
		Colors:    resource.BrandingColors{Brand: b.BrandColour, TextOnBrand: b.TextOnBrand, Background: b.BackgroundColour},
		UpdatedAt: b.UpdatedAt.UTC(),
	}
	if l := b.Logo; l != nil {
		out.Links["logo"] = a.link(paths.Build(paths.BrandingLogo, e.ID))
		out.Logo = &resource.BrandingLogo{Href: a.LogoURL(e), ContentType: l.ContentType,
			Width: l.Width, Height: l.Height, Size: len(l.Data), UpdatedAt: l.UpdatedAt.UTC()}
	}
	return out
}

// LogoURL is the absolute public URL of the environment's logo, "" when it
// has none (notify.LogoURL: e-mails link the same one).
func (a *API) LogoURL(e *store.Environment) string { return notify.LogoURL(a.d.PublicURL, e) }

// logoTypes are the accepted logo media types. SVG is not: it is a script
// vector when opened directly.
var logoTypes = []string{resource.MediaPNG, resource.MediaJPEG, resource.MediaWebP, resource.MediaGIF}

// PutLogo answers PUT /v1/environments/{envId}/branding/logo (Environment
// Admin): the raw image is the body, its Content-Type one of PNG, JPEG,
// WebP or GIF. The bytes must be that image (sniffed, and its header
// decoded), at most MaxLogoBytes and MaxLogoPixels a side.
func (a *API) PutLogo() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", false)
		if err != nil {
			return err
		}
		// The server's BodyLimit refuses far larger bodies before reading
		// them; this is the logo's own, lower limit.
		if c.Request().Header.ContentLength() > resource.MaxLogoBytes || len(c.Body()) > resource.MaxLogoBytes {
			return apierr.New(http.StatusRequestEntityTooLarge, apierr.RequestTooLarge,
				"The logo is too large: at most "+strconv.Itoa(resource.MaxLogoBytes>>10)+" KB.")
		}
		logo, err := checkLogo(c.Get(fiber.HeaderContentType), c.Body())
		if err != nil {
			return err
		}
		env, err := a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			l := *logo
			l.UpdatedAt = a.now()
			e.Branding.Logo = &l
			e.Branding.UpdatedAt = l.UpdatedAt
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionBrandingUpdated, "", map[string]string{
			"logo": "uploaded", "contentType": logo.ContentType, "size": strconv.Itoa(len(logo.Data)),
			"width": strconv.Itoa(logo.Width), "height": strconv.Itoa(logo.Height)})
		return c.JSON(a.brandingResource(env))
	}
}

// checkLogo checks an uploaded logo and returns it (without UpdatedAt).
func checkLogo(contentType string, body []byte) (*store.Logo, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || !contains(logoTypes, mt) {
		return nil, apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
			"Content-Type must be image/png, image/jpeg, image/webp or image/gif.")
	}
	bad := func(msg string) error {
		return apierr.Invalid("The logo is not a usable image.", detail("logo", msg))
	}
	if len(body) == 0 {
		return nil, bad("The body is empty: send the image's bytes.")
	}
	if got := http.DetectContentType(body); got != mt {
		return nil, bad("The bytes are not a " + mt + " image.")
	}
	var w, h int
	if mt == resource.MediaWebP {
		w, h, err = webpSize(body)
	} else {
		var cfg image.Config
		var format string
		cfg, format, err = image.DecodeConfig(bytes.NewReader(body))
		if err == nil && "image/"+format != mt {
			err = errors.New("format " + format)
		}
		w, h = cfg.Width, cfg.Height
	}
	if err != nil || w <= 0 || h <= 0 {
		return nil, bad("The image's header cannot be read as " + mt + ".")
	}
	if w > resource.MaxLogoPixels || h > resource.MaxLogoPixels {
		return nil, bad("The image is " + strconv.Itoa(w) + "x" + strconv.Itoa(h) + " pixels: at most " +
			strconv.Itoa(resource.MaxLogoPixels) + "x" + strconv.Itoa(resource.MaxLogoPixels) + ".")
	}
	sum := sha256.Sum256(body)
	return &store.Logo{ContentType: mt, Data: bytes.Clone(body), Width: w, Height: h, ETag: hex.EncodeToString(sum[:])}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// webpSize reads a WebP image's canvas size from its first chunk (the
// standard library has no WebP decoder): VP8X (extended), VP8L (lossless)
// or "VP8 " (lossy).
func webpSize(b []byte) (w, h int, err error) {
	errBad := errors.New("bad webp header")
	if len(b) < 30 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return 0, 0, errBad
	}
	le24 := func(p []byte) int { return int(p[0]) | int(p[1])<<8 | int(p[2])<<16 }
	switch string(b[12:16]) {
	case "VP8X":
		return le24(b[24:27]) + 1, le24(b[27:30]) + 1, nil
	case "VP8L":
		if b[20] != 0x2f {
			return 0, 0, errBad
		}
		v := binary.LittleEndian.Uint32(b[21:25])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, nil
	case "VP8 ":
		if b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a {
			return 0, 0, errBad
		}
		return int(binary.LittleEndian.Uint16(b[26:28]) & 0x3fff), int(binary.LittleEndian.Uint16(b[28:30]) & 0x3fff), nil
	}
	return 0, 0, errBad
}

// DeleteLogo answers DELETE /v1/environments/{envId}/branding/logo
// (Environment Admin): 204, also when there was none.
func (a *API) DeleteLogo() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", false)
		if err != nil {
			return err
		}
		had := false
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			had = e.Branding.Logo != nil
			e.Branding.Logo = nil
			e.Branding.UpdatedAt = a.now()
			return nil
		})
		if err != nil {
			return err
		}
		if had {
			a.record(c, envID, audit.ActionBrandingUpdated, "", map[string]string{"logo": "removed"})
		}
		return c.SendStatus(http.StatusNoContent)
	}
}

// publicEnvironment loads a live environment for a page without a token.
func (a *API) publicEnvironment(c *fiber.Ctx) (*store.Environment, error) {
	envID, err := envParam(c)
	if err != nil {
		return nil, err
	}
	return a.environment(c.UserContext(), envID)
}

// PublicLogo answers GET /{envId}/branding/logo without a token: sign-on
// pages and emails show it. The stored type was checked on upload; nosniff
// keeps browsers to it.
func (a *API) PublicLogo() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.publicEnvironment(c)
		if err != nil {
			return err
		}
		l := env.Branding.Logo
		if l == nil {
			return apierr.NotFoundError("The environment has no logo.")
		}
		etag := `"` + l.ETag + `"`
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		c.Set(fiber.HeaderETag, etag)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'")
		if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && (inm == etag || inm == "*") {
			return c.SendStatus(http.StatusNotModified)
		}
		c.Set(fiber.HeaderContentType, l.ContentType)
		return c.Send(l.Data)
	}
}

// PublicBranding answers GET /{envId}/branding.json without a token: what
// the hosted pages show, narrowed by the selfService switches ("Apply
// active theme" off: no name, logo or colours; "Show footer" off: no
// footer).
func (a *API) PublicBranding() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.publicEnvironment(c)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.JSON(a.PublicBrandingOf(env))
	}
}

// PublicBrandingOf is the environment's branding as pages show it.
func (a *API) PublicBrandingOf(e *store.Environment) resource.PublicBranding {
	var out resource.PublicBranding
	b := e.Branding
	if !e.SelfService.ThemeOff {
		out.CompanyName, out.LogoURL = b.CompanyName, a.LogoURL(e)
		c := effectiveColours(b)
		out.Colors = &c
	}
	if !e.SelfService.FooterOff {
		out.Footer = b.Footer
	}
	return out
}

// readDisplaySwitches reads the selfService switches about branding,
// "applyActiveTheme" and "showFooter". Unlike the feature switches they
// are optional (clients written before them keep working); the store keeps
// them inverted so that older records read as on.
func readDisplaySwitches(o *object, s *store.SelfService) {
	theme, footer := !s.ThemeOff, !s.FooterOff
	if o.Bool("applyActiveTheme", &theme) {
		s.ThemeOff = !theme
	}
	if o.Bool("showFooter", &footer) {
		s.FooterOff = !footer
	}
}
