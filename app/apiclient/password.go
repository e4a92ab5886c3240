package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// GetPassword reads where sub's password stands and the policy a new one
// must meet.
func (c *Client) GetPassword(ctx context.Context, sub, accessToken string) (resource.PasswordState, error) {
	var out resource.PasswordState
	err := c.do(ctx, "GET", paths.Build(paths.UserPassword, c.env, sub), bearer(accessToken), nil, &out, false)
	return out, wrap("get password", err)
}

// ValidatePassword checks a candidate against the policy and changes
// nothing. A candidate that breaks rules comes back as an *apierr.Error
// (400) with one detail per rule; current, when known, is only compared
// with the candidate by the server.
func (c *Client) ValidatePassword(ctx context.Context, sub, accessToken, candidate, current string) error {
	err := c.send(ctx, "POST", paths.Build(paths.UserPassword, c.env, sub), accessToken, paths.ActionPasswordValidate,
		resource.PasswordValidate{NewPassword: candidate, CurrentPassword: current}, nil)
	return wrap("validate password", err)
}

// ResetPassword changes sub's own password; the server ends every other
// session of the user.
func (c *Client) ResetPassword(ctx context.Context, sub, accessToken, current, next string) (resource.PasswordState, error) {
	var out resource.PasswordState
	err := c.send(ctx, "PUT", paths.Build(paths.UserPassword, c.env, sub), accessToken, paths.ActionPasswordReset,
		resource.PasswordReset{CurrentPassword: current, NewPassword: next}, &out)
	return out, wrap("change password", err)
}
