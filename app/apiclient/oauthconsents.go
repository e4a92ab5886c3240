package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListOAuthConsents reads the third-party applications sub allowed.
func (c *Client) ListOAuthConsents(ctx context.Context, sub, accessToken string) ([]resource.UserOAuthConsent, error) {
	var out resource.List[resource.UserOAuthConsent]
	if err := c.do(ctx, "GET", paths.Build(paths.UserOAuthConsents, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list oauth consents", err)
	}
	s := out.Embedded["oauthConsents"]
	if s == nil {
		s = []resource.UserOAuthConsent{}
	}
	return s, nil
}

// RevokeOAuthConsent revokes sub's consent to an application
// (consent.revoke, PingOne's PATCH): its tokens stop working and its next
// sign-on asks again.
func (c *Client) RevokeOAuthConsent(ctx context.Context, sub, accessToken, consentID string) error {
	h := bearer(accessToken)
	h["Content-Type"] = paths.ActionConsentRevoke
	err := c.do(ctx, "PATCH", paths.Build(paths.UserOAuthConsent, c.env, sub, consentID), h, []byte(`{"status":"REVOKED"}`), nil, false)
	return wrap("revoke oauth consent", err)
}

// ListConsentHistory reads the consents sub gave, declined and revoked,
// newest first.
func (c *Client) ListConsentHistory(ctx context.Context, sub, accessToken string) ([]resource.ConsentHistoryEntry, error) {
	var out resource.List[resource.ConsentHistoryEntry]
	if err := c.do(ctx, "GET", paths.Build(paths.UserConsentHistory, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list consent history", err)
	}
	s := out.Embedded["consentHistory"]
	if s == nil {
		s = []resource.ConsentHistoryEntry{}
	}
	return s, nil
}
