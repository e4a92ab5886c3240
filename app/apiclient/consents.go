package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListAgreementConsents reads sub's agreement consents.
func (c *Client) ListAgreementConsents(ctx context.Context, sub, accessToken string) ([]resource.UserAgreementConsent, error) {
	var out resource.List[resource.UserAgreementConsent]
	if err := c.do(ctx, "GET", paths.Build(paths.UserAgreementConsents, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list agreement consents", err)
	}
	s := out.Embedded["agreementConsents"]
	if s == nil {
		s = []resource.UserAgreementConsent{}
	}
	return s, nil
}

// RevokeAgreementConsent revokes sub's consent to an agreement
// (consent.revoke): the next sign-on asks again.
func (c *Client) RevokeAgreementConsent(ctx context.Context, sub, accessToken, agreementID string) error {
	h := bearer(accessToken)
	h["Content-Type"] = paths.ActionConsentRevoke
	err := c.do(ctx, "POST", paths.Build(paths.UserAgreementConsent, c.env, sub, agreementID), h, []byte("{}"), nil, false)
	return wrap("revoke agreement consent", err)
}
