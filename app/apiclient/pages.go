package apiclient

import (
	"context"
	"net/url"
	"strconv"

	"github.com/myaccount/myaccount/shared/resource"
)

// listPage reads one page of a cursor-paged list at path: limit entries
// after cursor ("" for the first page), narrowed by filter ("" for all).
// It returns the entries embedded as name (never nil) and the cursor of
// the next page ("" at the end); what names the call in an error.
func listPage[E any](ctx context.Context, c *Client, what, path, accessToken, cursor, filter, name string, limit int) ([]E, string, error) {
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
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out resource.List[E]
	if err := c.do(ctx, "GET", path, bearer(accessToken), nil, &out, false); err != nil {
		return nil, "", wrap(what, err)
	}
	list := out.Embedded[name]
	if list == nil {
		list = []E{}
	}
	next := ""
	if u, err := url.Parse(out.Links["next"].Href); err == nil {
		next = u.Query().Get("cursor")
	}
	return list, next, nil
}
