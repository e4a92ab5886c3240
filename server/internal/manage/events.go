package manage

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/filter"
	"github.com/myaccount/myaccount/server/internal/session"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// Bounds of one activity page: how many events one batch reads, and how
// many one request looks at before it answers with what it found and a
// cursor to go on (a narrow filter over a long history then costs several
// short requests, never one long one).
const (
	eventBatch   = 200
	maxEventScan = 2000
)

// ListUserEvents answers GET /v1/environments/{envId}/users/{userId}/events
// (our extension): the user's security activity, newest first, `limit` at
// a time with an opaque `cursor` in `_links.next`, narrowed by `filter`
// (PingOne's SCIM subset on action and outcome). The user reads their own
// with p1:read:sessions (the Accounts & sessions feature); readers of the
// environment read anyone's. Events older than their 90 days are gone.
func (a *API) ListUserEvents() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadSessions)
		if err != nil {
			return err
		}
		q, err := parseEventListQuery(c, "action", "outcome")
		if err != nil {
			return err
		}
		n, cursor, beforeAt, beforeID, expr := q.limit, q.cursor, q.at, q.id, q.filter
		ctx := c.UserContext()
		if _, err := a.user(ctx, envID, userID); err != nil {
			return err
		}
		match := func(e *store.Event) bool {
			return expr == nil || expr.Match(func(attr string) string {
				if attr == "action" {
					return e.Action
				}
				return e.Outcome
			})
		}
		page := store.EventPage{BeforeAt: beforeAt, BeforeID: beforeID, Now: a.d.Now(), Limit: eventBatch}
		if expr == nil {
			page.Limit = n + 1 // one more than asked says whether a next page exists
		}
		var out []resource.UserEvent
		var last *store.Event
		more := false
	scan:
		for scanned := 0; ; {
			list, err := a.d.Store.PageEvents(ctx, envID, userID, page)
			if err != nil {
				return fmt.Errorf("page events: %w", err)
			}
			for i := range list {
				if match(&list[i]) {
					if len(out) == n {
						more = true
						break scan
					}
					out = append(out, eventResource(&list[i]))
				}
				last = &list[i]
			}
			scanned += len(list)
			if len(list) < page.Limit {
				break
			}
			if scanned >= maxEventScan {
				more = true // answer with what was found; the cursor goes on from here
				break
			}
			page.BeforeAt, page.BeforeID = last.CreatedAt, last.ID
		}
		base := a.d.PublicURL + paths.Build(paths.UserEvents, envID, userID)
		next := ""
		if more && last != nil {
			next = base + listQuery(n, encodeEventCursor(last), c.Query("filter"))
		}
		return c.JSON(resource.NewList("events", out, base+listQuery(n, cursor, c.Query("filter")), next))
	}
}

// listQuery is the query string of a filtered list's link.
func listQuery(n int, cursor, filter string) string {
	q := pageQuery(n, cursor)
	if filter != "" {
		q += "&filter=" + url.QueryEscape(filter)
	}
	return q
}

// An events cursor is the position of the last event a page looked at:
// base64url of "<created, Unix ms>.<id>".
func encodeEventCursor(e *store.Event) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(e.CreatedAt.UnixMilli(), 10) + "." + e.ID))
}

// eventListQuery is the query of the two event lists, a user's events and
// the environment's security events: both page newest first with the
// same limit, opaque event cursor and SCIM filter (on their own
// attributes), and refuse a bad one the same way.
type eventListQuery struct {
	limit  int
	cursor string    // as sent, for the list's self link
	at     time.Time // the cursor's event: the page starts below it
	id     string    // "" without a cursor
	filter filter.Expr
}

// parseEventListQuery reads limit, cursor and filter (on attrs).
func parseEventListQuery(c *fiber.Ctx, attrs ...string) (eventListQuery, error) {
	var q eventListQuery
	var err error
	if q.limit, err = limit(c, DefaultLimit); err != nil {
		return q, err
	}
	q.cursor = c.Query("cursor")
	if q.at, q.id, err = decodeEventCursor(q.cursor); err != nil {
		return q, err
	}
	if f := c.Query("filter"); f != "" {
		if q.filter, err = filter.Parse(f, attrs...); err != nil {
			return q, apierr.Invalid("The request has an invalid query parameter.",
				apierr.Field(apierr.DetailInvalidValue, "filter", "filter "+err.Error()+"."))
		}
	}
	return q, nil
}

func decodeEventCursor(s string) (time.Time, string, error) {
	if s == "" {
		return time.Time{}, "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", errForeignCursor
	}
	msText, id, ok := strings.Cut(string(b), ".")
	ms, err := strconv.ParseInt(msText, 10, 64)
	if !ok || err != nil || ms < 0 || valid.UUID(id) != nil {
		return time.Time{}, "", errForeignCursor
	}
	return time.UnixMilli(ms).UTC(), strings.ToLower(id), nil
}

// eventResource is the one mapping of an event record to the activity
// entry a user sees. Details pass the recorder's secret filter once more:
// what is shown to people must never carry a secret, whoever wrote it.
func eventResource(e *store.Event) resource.UserEvent {
	details, _ := audit.CleanDetails(e.Details)
	out := resource.UserEvent{ID: e.ID, Action: e.Action, Outcome: e.Outcome,
		Actor:    resource.EventActor{Type: e.ActorType, ID: e.ActorID},
		RemoteIP: e.IP, UserAgent: e.UserAgent, Details: details, CreatedAt: e.CreatedAt.UTC()}
	if loc := audit.Location(details); loc.Known() {
		out.City, out.Country = loc.City, loc.Country
		if out.Country == "" {
			out.Country = loc.CountryCode
		}
	}
	if e.SessionID != "" {
		out.Session = &resource.Ref{ID: e.SessionID}
	}
	if e.UserAgent != "" {
		ag := session.Describe(e.UserAgent)
		if ag.Browser != "" {
			out.Browser = &resource.SessionBrowser{Name: ag.Browser, Version: ag.BrowserVersion}
		}
		if ag.OS != "" {
			out.OS = &resource.SessionOS{Name: ag.OS, Version: ag.OSVersion}
		}
	}
	return out
}
