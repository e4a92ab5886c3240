package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// SecurityEventPage is one page of an environment's security events and
// the cursor of the next ("" at the end).
type SecurityEventPage struct {
	Events []resource.SecurityEvent
	Next   string
}

// ListSecurityEvents reads a page of envID's security events (lockouts,
// secured accounts, failed sign-on bursts), newest first, for an
// administrator: limit entries after cursor ("" for the newest), narrowed
// by filter on kind ("" for all).
func (c *Client) ListSecurityEvents(ctx context.Context, envID, accessToken, cursor, filter string, limit int) (SecurityEventPage, error) {
	events, next, err := listPage[resource.SecurityEvent](ctx, c, "list security events",
		paths.Build(paths.SecurityEvents, envID), accessToken, cursor, filter, "securityEvents", limit)
	if err != nil {
		return SecurityEventPage{}, err
	}
	return SecurityEventPage{Events: events, Next: next}, nil
}
