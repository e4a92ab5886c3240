package paths

// An environment's branding.
const (
	// Branding is the branding settings: GET (readers), PUT (Environment
	// Admin).
	Branding = "/v1/environments/:envId/branding"
	// BrandingLogo is the logo: PUT with the image as the raw body, DELETE.
	BrandingLogo = "/v1/environments/:envId/branding/logo"
	// PublicLogo serves the logo without a token: sign-on pages and
	// emails show it.
	PublicLogo = "/:envId/branding/logo"
	// PublicBranding is what the hosted pages need to look like the
	// environment, without a token.
	PublicBranding = "/:envId/branding.json"
)
