package apiclient

import (
	"context"
	"net/url"
	"strconv"

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
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if filter != "" {
		q.Set("filter", filter)
	}
	path := paths.Build(paths.SecurityEvents, envID)
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out resource.List[resource.SecurityEvent]
	if err := c.do(ctx, "GET", path, bearer(accessToken), nil, &out, false); err != nil {
		return SecurityEventPage{}, wrap("list security events", err)
	}
	p := SecurityEventPage{Events: out.Embedded["securityEvents"]}
	if p.Events == nil {
		p.Events = []resource.SecurityEvent{}
	}
	if next, err := url.Parse(out.Links["next"].Href); err == nil {
		p.Next = next.Query().Get("cursor")
	}
	return p, nil
}
