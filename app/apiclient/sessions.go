package apiclient

import (
	"context"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListSessions reads sub's open sessions, newest first (the caller's own
// marked current).
func (c *Client) ListSessions(ctx context.Context, sub, accessToken string) ([]resource.UserSession, error) {
	var out resource.List[resource.UserSession]
	if err := c.do(ctx, "GET", paths.Build(paths.Sessions, c.env, sub), bearer(accessToken), nil, &out, false); err != nil {
		return nil, wrap("list sessions", err)
	}
	s := out.Embedded["sessions"]
	if s == nil {
		s = []resource.UserSession{}
	}
	return s, nil
}

// DeleteSession signs one of sub's other sessions off.
func (c *Client) DeleteSession(ctx context.Context, sub, accessToken, sessionID string) error {
	err := c.do(ctx, "DELETE", paths.Build(paths.Session, c.env, sub, sessionID), bearer(accessToken), nil, nil, false)
	return wrap("delete session", err)
}

// DeleteOtherSessions signs every session of sub off but the caller's.
func (c *Client) DeleteOtherSessions(ctx context.Context, sub, accessToken string) error {
	err := c.do(ctx, "DELETE", paths.Build(paths.Sessions, c.env, sub), bearer(accessToken), nil, nil, false)
	return wrap("delete other sessions", err)
}

// EventPage is one page of a user's activity and the cursor of the next
// ("" at the end).
type EventPage struct {
	Events []resource.UserEvent
	Next   string
}

// ListEvents reads a page of sub's security activity, newest first: limit
// events after cursor ("" for the newest), narrowed by filter ("" for all).
func (c *Client) ListEvents(ctx context.Context, sub, accessToken, cursor, filter string, limit int) (EventPage, error) {
	events, next, err := listPage[resource.UserEvent](ctx, c, "list events",
		paths.Build(paths.UserEvents, c.env, sub), accessToken, cursor, filter, "events", limit)
	if err != nil {
		return EventPage{}, err
	}
	return EventPage{Events: events, Next: next}, nil
}

// SecureAccount is "Secure my account" for sub: the other sessions end,
// the next sign-on asks for a new password, method changes freeze.
func (c *Client) SecureAccount(ctx context.Context, sub, accessToken string) (resource.AccountSecured, error) {
	var out resource.AccountSecured
	err := c.send(ctx, "POST", paths.Build(paths.User, c.env, sub), accessToken, paths.ActionUserSecure, struct{}{}, &out)
	return out, wrap("secure account", err)
}
