package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// GetPublicBranding reads what the hosted pages show of the Client's
// environment's branding (no token; already narrowed by its switches).
func (c *Client) GetPublicBranding(ctx context.Context) (resource.PublicBranding, error) {
	var out resource.PublicBranding
	err := c.do(ctx, "GET", paths.Build(paths.PublicBranding, c.env), nil, nil, &out, false)
	return out, wrap("get branding", err)
}

// PutLogo uploads a logo image of envID: its bytes as the body, with its
// media type. The answer is the environment's branding.
func (c *Client) PutLogo(ctx context.Context, envID, accessToken, mediaType string, image []byte) (resource.Branding, error) {
	h := bearer(accessToken)
	h["Content-Type"] = mediaType
	var out resource.Branding
	err := c.do(ctx, "PUT", paths.Build(paths.BrandingLogo, envID), h, image, &out, false)
	return out, wrap("upload logo", err)
}
