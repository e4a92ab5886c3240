package manage

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// A burst of failed sign-ons: at least BurstFailures for one user or one
// address within BurstWindow. Failures of one key less than BurstWindow
// apart chain into one entry, so a long attack is one line, not hundreds.
const (
	BurstWindow   = 10 * time.Minute
	BurstFailures = 5
)

// securityScan bounds the events one securityEvents request looks at
// below its cursor (and again above it, for bursts that cross it): a
// page answers with what those held and a cursor to go on.
const (
	securityBatch = 500
	securityScan  = 5000
)

// lastID sorts after every event id at one time: a cursor at the bottom
// of a scan includes every event of that millisecond.
const lastID = "ffffffff-ffff-ffff-ffff-ffffffffffff"

// position orders security events: newest first, by time then id.
type position struct {
	at time.Time
	id string
}

func (p position) before(q position) bool {
	return p.at.Before(q.at) || (p.at.Equal(q.at) && p.id < q.id)
}

// ListSecurityEvents answers GET /v1/environments/{envId}/securityEvents
// (our extension): the environment's lockouts, secured accounts and
// bursts of failed sign-ons, newest first, `limit` at a time with an
// opaque cursor, narrowed by `filter` on kind. Administrators and read-only
// administrators of the environment only; end users get 403.
func (a *API) ListSecurityEvents() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.ReadRoles)
		if err != nil {
			return err
		}
		q, err := parseEventListQuery(c, "kind")
		if err != nil {
			return err
		}
		n, cursor, curAt, curID, expr := q.limit, q.cursor, q.at, q.id, q.filter
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		bound := position{}
		page := store.EventPage{Now: a.d.Now(), Limit: securityBatch}
		if curID != "" {
			// Start a window above the cursor: a burst that ends below it
			// may have failures up to a window later that chain into it.
			bound = position{curAt, curID}
			page.BeforeAt, page.BeforeID = curAt.Add(BurstWindow), lastID
		}
		var scanned []store.Event
		capped := false
		for below := 0; ; {
			list, err := a.d.Store.PageEvents(ctx, envID, "", page)
			if err != nil {
				return fmt.Errorf("page events: %w", err)
			}
			scanned = append(scanned, list...)
			for i := range list {
				if bound.id == "" || (position{list[i].CreatedAt, list[i].ID}).before(bound) {
					below++
				}
			}
			if len(list) < page.Limit {
				break
			}
			if below >= securityScan || len(scanned) >= 2*securityScan {
				capped = true
				break
			}
			last := list[len(list)-1]
			page.BeforeAt, page.BeforeID = last.CreatedAt, last.ID
		}
		items := securityEvents(scanned)
		var out []resource.SecurityEvent
		more := false
		var lastPos position
		for _, it := range items {
			p := position{it.CreatedAt, it.ID}
			if bound.id != "" && !p.before(bound) {
				continue
			}
			if expr != nil && !expr.Match(func(string) string { return it.Kind }) {
				continue
			}
			if len(out) == n {
				more = true
				break
			}
			out = append(out, it)
			lastPos = p
		}
		next := ""
		switch {
		case more:
			next = encodePosition(lastPos)
		case capped && len(scanned) > 0:
			// Go on below what this request looked at.
			bottom := scanned[len(scanned)-1]
			next = encodePosition(position{bottom.CreatedAt, bottom.ID})
		}
		if err := a.nameUsers(c, envID, out); err != nil {
			return err
		}
		base := a.d.PublicURL + paths.Build(paths.SecurityEvents, envID)
		if next != "" {
			next = base + listQuery(n, next, c.Query("filter"))
		}
		return c.JSON(resource.NewList("securityEvents", out, base+listQuery(n, cursor, c.Query("filter")), next))
	}
}

// nameUsers puts the username on the page's user references, one read
// per user; a user deleted since keeps the id alone.
func (a *API) nameUsers(c *fiber.Ctx, envID string, events []resource.SecurityEvent) error {
	names := map[string]string{}
	for _, ev := range events {
		if ev.User == nil {
			continue
		}
		name, seen := names[ev.User.ID]
		if !seen {
			u, err := a.d.Store.GetUser(c.UserContext(), envID, ev.User.ID)
			switch {
			case err == nil:
				name = u.Username
			case !errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("read user of a security event: %w", err)
			}
			names[ev.User.ID] = name
		}
		ev.User.Username = name
	}
	return nil
}

func encodePosition(p position) string {
	return encodeEventCursor(&store.Event{CreatedAt: p.at, ID: p.id})
}

// securityEvents turns events (newest first) into security entries, newest
// first: each lockout and secured account as it is, failed sign-ons
// chained per user and per address into bursts.
func securityEvents(events []store.Event) []resource.SecurityEvent {
	var out []resource.SecurityEvent
	byUser := map[string][]*store.Event{}
	byIP := map[string][]*store.Event{}
	for i := len(events) - 1; i >= 0; i-- { // oldest first
		e := &events[i]
		switch {
		case e.Action == audit.ActionAccountLocked:
			out = append(out, single(resource.SecurityLockout, e))
		case e.Action == audit.ActionAccountSecured && e.Outcome == audit.OutcomeSuccess:
			out = append(out, single(resource.SecuritySecured, e))
		case (e.Action == audit.ActionSignOnPassword || e.Action == audit.ActionSignOnMFA) && e.Outcome == audit.OutcomeFailure:
			if e.UserID != "" {
				byUser[e.UserID] = append(byUser[e.UserID], e)
			}
			if e.IP != "" {
				byIP[e.IP] = append(byIP[e.IP], e)
			}
		}
	}
	for _, fs := range byUser {
		for _, ch := range chains(fs) {
			out = append(out, burst(resource.BurstByUser, ch))
		}
	}
	for _, fs := range byIP {
		for _, ch := range chains(fs) {
			if oneUser(ch) {
				continue // the user's own burst says it already
			}
			out = append(out, burst(resource.BurstByIP, ch))
		}
	}
	slices.SortFunc(out, func(x, y resource.SecurityEvent) int {
		if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	})
	return out
}

// chains splits one key's failures (oldest first) where they are more than
// BurstWindow apart, and keeps the chains with BurstFailures within one
// BurstWindow somewhere.
func chains(fs []*store.Event) [][]*store.Event {
	var out [][]*store.Event
	start := 0
	for i := 1; i <= len(fs); i++ {
		if i < len(fs) && fs[i].CreatedAt.Sub(fs[i-1].CreatedAt) <= BurstWindow {
			continue
		}
		if ch := fs[start:i]; dense(ch) {
			out = append(out, ch)
		}
		start = i
	}
	return out
}

// dense reports whether BurstFailures of ch fall within one BurstWindow.
func dense(ch []*store.Event) bool {
	for i := BurstFailures - 1; i < len(ch); i++ {
		if ch[i].CreatedAt.Sub(ch[i-BurstFailures+1].CreatedAt) <= BurstWindow {
			return true
		}
	}
	return false
}

func oneUser(ch []*store.Event) bool {
	for _, e := range ch {
		if e.UserID == "" || e.UserID != ch[0].UserID {
			return false
		}
	}
	return true
}

func single(kind string, e *store.Event) resource.SecurityEvent {
	details, _ := audit.CleanDetails(e.Details)
	out := resource.SecurityEvent{ID: e.ID, Kind: kind, RemoteIP: e.IP, Count: 1, FirstAt: e.CreatedAt.UTC(),
		CreatedAt: e.CreatedAt.UTC(), Details: details}
	if e.UserID != "" {
		out.User = &resource.UserRef{ID: e.UserID}
	}
	place(&out, details)
	return out
}

// burst is one entry for a chain of failures (oldest first), named by its
// last failure.
func burst(by string, ch []*store.Event) resource.SecurityEvent {
	first, last := ch[0], ch[len(ch)-1]
	out := resource.SecurityEvent{ID: last.ID, Kind: resource.SecurityFailureBurst, GroupedBy: by, Count: len(ch),
		FirstAt: first.CreatedAt.UTC(), CreatedAt: last.CreatedAt.UTC()}
	users, ips := map[string]bool{}, map[string]bool{}
	for _, e := range ch {
		users[e.UserID], ips[e.IP] = true, true
	}
	if by == resource.BurstByUser {
		out.User = &resource.UserRef{ID: last.UserID}
		if len(ips) == 1 {
			out.RemoteIP = last.IP
		}
		out.Details = map[string]string{"addresses": strconv.Itoa(len(ips))}
	} else {
		// Its own id: a user's burst may end on the same failure.
		if id, err := uuid.Parse(last.ID); err == nil {
			out.ID = uuid.NewSHA1(id, []byte("ip-burst")).String()
		}
		out.RemoteIP = last.IP
		delete(users, "")
		out.Details = map[string]string{"users": strconv.Itoa(len(users))}
	}
	if out.RemoteIP != "" {
		details, _ := audit.CleanDetails(last.Details)
		place(&out, details)
	}
	return out
}

func place(out *resource.SecurityEvent, details map[string]string) {
	if loc := audit.Location(details); loc.Known() {
		out.City, out.Country = loc.City, cmp.Or(loc.Country, loc.CountryCode)
	}
}
