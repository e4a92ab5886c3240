package resource

import "time"

// Default branding colours: what pages use when an environment sets none
// (they match the stylesheet's defaults).
const (
	DefaultBrandColour      = "#1f4e79"
	DefaultTextOnBrand      = "#ffffff"
	DefaultBackgroundColour = "#f5f7fa"
)

// Logo media types the server accepts for a branding logo. SVG is not
// among them: it can carry script.
const (
	MediaPNG  = "image/png"
	MediaJPEG = "image/jpeg"
	MediaWebP = "image/webp"
	MediaGIF  = "image/gif"
)

// Logo bounds.
const (
	MaxLogoBytes  = 512 << 10
	MaxLogoPixels = 1024 // per side
)

// Branding is an environment's branding (GET/PUT
// /v1/environments/{envId}/branding). PUT takes companyName, colors and
// footer; logo is changed through its own resource (…/branding/logo).
type Branding struct {
	Links       Links          `json:"_links,omitempty"`
	CompanyName string         `json:"companyName"`
	Colors      BrandingColors `json:"colors"`
	Footer      string         `json:"footer"`
	// Logo is nil when the environment has none.
	Logo      *BrandingLogo `json:"logo"`
	UpdatedAt time.Time     `json:"updatedAt"`
}

// BrandingColors are "#rrggbb" colours: the brand colour (top bar,
// primary buttons), the text shown on it, and the page background.
type BrandingColors struct {
	Brand       string `json:"brand"`
	TextOnBrand string `json:"textOnBrand"`
	Background  string `json:"background"`
}

// BrandingLogo describes the uploaded logo; Href is its public URL.
type BrandingLogo struct {
	Href        string    `json:"href"`
	ContentType string    `json:"contentType"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Size        int       `json:"size"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// PublicBranding is what the hosted pages read without a token
// (GET /{envId}/branding.json), already narrowed by the environment's
// selfService switches: without "Apply active theme" Colors, LogoURL and
// CompanyName are empty; without "Show footer" Footer is.
type PublicBranding struct {
	CompanyName string          `json:"companyName,omitempty"`
	LogoURL     string          `json:"logoUrl,omitempty"`
	Colors      *BrandingColors `json:"colors,omitempty"`
	Footer      string          `json:"footer,omitempty"`
}
