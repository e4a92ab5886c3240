package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListLinkedAccounts reads sub's linked external accounts
// (p1:read:userLinkedAccounts).
func (c *Client) ListLinkedAccounts(ctx context.Context, sub, accessToken string) ([]resource.LinkedAccount, error) {
	var out resource.List[resource.LinkedAccount]
	if err := c.do(ctx, "GET", paths.Build(paths.LinkedAccounts, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list linked accounts", err)
	}
	l := out.Embedded["linkedAccounts"]
	if l == nil {
		l = []resource.LinkedAccount{}
	}
	return l, nil
}

// DeleteLinkedAccount unlinks one of sub's external accounts
// (p1:delete:userLinkedAccounts, after a recent MFA). The server refuses
// unlinking the account's last way to sign on.
func (c *Client) DeleteLinkedAccount(ctx context.Context, sub, accessToken, id string) error {
	err := c.do(ctx, "DELETE", paths.Build(paths.LinkedAccount, c.env, sub, id), bearer(accessToken), nil, nil, false)
	return wrap("delete linked account", err)
}
