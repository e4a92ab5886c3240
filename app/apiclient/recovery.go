package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// GetRecoveryCodes reads how many recovery codes sub has left (never the
// codes).
func (c *Client) GetRecoveryCodes(ctx context.Context, sub, accessToken string) (resource.RecoveryCodes, error) {
	var out resource.RecoveryCodes
	err := c.do(ctx, "GET", paths.Build(paths.RecoveryCodes, c.env, sub), bearer(accessToken), nil, &out, false)
	return out, wrap("read recovery codes", err)
}

// CreateRecoveryCodes makes a new set for sub, replacing the old one; the
// answer carries the codes, which the server never shows again.
func (c *Client) CreateRecoveryCodes(ctx context.Context, sub, accessToken string) (resource.RecoveryCodes, error) {
	var out resource.RecoveryCodes
	err := c.send(ctx, "POST", paths.Build(paths.RecoveryCodes, c.env, sub), accessToken, paths.JSON, struct{}{}, &out)
	return out, wrap("create recovery codes", err)
}
