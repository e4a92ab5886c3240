package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListMyApplications reads the tiles of the signed-on user's (sub)
// application portal.
func (c *Client) ListMyApplications(ctx context.Context, sub, accessToken string) ([]resource.PortalApplication, error) {
	var out resource.List[resource.PortalApplication]
	if err := c.do(ctx, "GET", paths.Build(paths.UserApplications, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list applications", err)
	}
	apps := out.Embedded["applications"]
	if apps == nil {
		apps = []resource.PortalApplication{}
	}
	return apps, nil
}
