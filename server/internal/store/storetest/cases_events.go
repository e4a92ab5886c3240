package storetest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// eventPageCases pin down EventPager and the session fields the sessions
// API relies on: pages by position newest first, events past ExpiresAt
// hidden on read and swept, and a user's sessions listed newest first
// whatever order they were made in (the per-user cap ends the oldest live
// ones beyond store.MaxLiveSessions).
func eventPageCases() []testCase {
	return []testCase{
		{name: "Event/PageByPosition", run: runEventPage},
		{name: "Event/ExpiryHiddenThenSwept", run: runEventExpiry},
		{name: "Session/ListForCap", run: runSessionsForCap},
	}
}

func runEventPage(t *testing.T, s store.Store) {
	ctx := t.Context()
	env, other := newID(), newID()
	alice, bob := newID(), newID()
	now := at(time.Hour)
	var want []*store.Event // alice's visible events, oldest first
	add := func(user string, created time.Time, expires time.Time) *store.Event {
		e := newEvent(env, user, created)
		e.ExpiresAt = expires
		must(t, "add event", s.AddEvent(ctx, e))
		return e
	}
	// Three at one instant: ties are ordered by id.
	for _, d := range []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute, 3 * time.Minute, 4 * time.Minute} {
		want = append(want, add(alice, at(d), now.Add(time.Millisecond)))
	}
	bobs := add(bob, at(150*time.Second), now.Add(time.Hour))
	add(alice, at(5*time.Minute), now)                    // expired at now: never listed
	add(alice, at(30*time.Second), now.Add(-time.Second)) // expired earlier
	must(t, "other environment", s.AddEvent(ctx, newEvent(other, alice, at(time.Minute))))

	page := func(user string, limit int) []string {
		t.Helper()
		var got []string
		p := store.EventPage{Now: now, Limit: limit}
		for range 20 {
			list, err := s.PageEvents(ctx, env, user, p)
			must(t, "page events", err)
			if len(list) > limit {
				t.Fatalf("page of %d holds %d events", limit, len(list))
			}
			for _, e := range list {
				got = append(got, e.ID)
			}
			if len(list) < limit {
				return got
			}
			last := list[len(list)-1]
			p.BeforeAt, p.BeforeID = last.CreatedAt, last.ID
		}
		t.Fatal("paging did not end")
		return nil
	}
	var wantIDs []string
	for i := len(want) - 1; i >= 0; i-- {
		wantIDs = append(wantIDs, want[i].ID)
	}
	// Ties at one instant come newest id first, as ListEvents orders them.
	all, err := s.ListEvents(ctx, env, alice, 0)
	must(t, "list events", err)
	var listed []string
	for _, e := range all {
		if e.ExpiresAt.After(now) {
			listed = append(listed, e.ID)
		}
	}
	sameIDs(t, "ListEvents order (unexpired)", wantIDs, listed)
	for _, n := range []int{1, 2, 3, 100} {
		sameIDs(t, "alice's events paged", wantIDs, page(alice, n))
	}

	everyone := page("", 2)
	if len(everyone) != len(wantIDs)+1 || everyone[4] != bobs.ID {
		t.Errorf("every user's events: %d, want %d with bob's fifth: %q", len(everyone), len(wantIDs)+1, everyone)
	}
	list, err := s.PageEvents(ctx, other, bob, store.EventPage{Now: now, Limit: 10})
	must(t, "page other environment", err)
	if len(list) != 0 {
		t.Errorf("bob has %d events in an environment he has none in", len(list))
	}
	// A position past the end is an empty page, not an error.
	list, err = s.PageEvents(ctx, env, alice, store.EventPage{Now: now, Limit: 10, BeforeAt: at(-time.Hour), BeforeID: newID()})
	must(t, "page past the end", err)
	if len(list) != 0 {
		t.Errorf("page before the first event holds %d", len(list))
	}
	got, err := s.PageEvents(ctx, env, alice, store.EventPage{Now: now, Limit: 1})
	must(t, "first page", err)
	if len(got) == 1 {
		sameRecord(t, "paged event", want[len(want)-1], &got[0])
	}
}

// runEventExpiry: an event kept 90 days is listed until then, hidden from
// the moment it expires (before any sweep) and deleted by the sweep.
func runEventExpiry(t *testing.T, s store.Store) {
	ctx := t.Context()
	env, user := newID(), newID()
	const retention = 90 * 24 * time.Hour
	old := newEvent(env, user, at(0))
	old.ExpiresAt = old.CreatedAt.Add(retention)
	recent := newEvent(env, user, at(time.Hour))
	recent.ExpiresAt = recent.CreatedAt.Add(retention)
	must(t, "add old", s.AddEvent(ctx, old))
	must(t, "add recent", s.AddEvent(ctx, recent))
	count := func(now time.Time) int {
		t.Helper()
		list, err := s.PageEvents(ctx, env, user, store.EventPage{Now: now, Limit: 10})
		must(t, "page events", err)
		return len(list)
	}
	expiry := old.ExpiresAt.UTC().Truncate(time.Millisecond)
	if n := count(expiry.Add(-time.Millisecond)); n != 2 {
		t.Errorf("a millisecond before expiry: %d events, want 2", n)
	}
	if n := count(expiry); n != 1 {
		t.Errorf("at expiry: %d events, want 1 (the old one is hidden before any sweep)", n)
	}
	n, err := s.Sweep(ctx, expiry)
	must(t, "sweep", err)
	if n != 1 {
		t.Errorf("sweep deleted %d, want 1", n)
	}
	all, err := s.ListEvents(ctx, env, user, 0)
	must(t, "list events", err)
	sameIDs(t, "events after the sweep", []string{recent.ID}, ids(all, func(e store.Event) string { return e.ID }))
}

// runSessionsForCap: sessions made in any order list newest first with
// revoked and expired ones in place, and the fields the sessions API
// keeps up to date survive an update.
func runSessionsForCap(t *testing.T, s store.Store) {
	ctx := t.Context()
	env, user := newID(), newID()
	n := store.MaxLiveSessions + 2
	made := make([]*store.Session, n)
	for i := range made {
		made[i] = newSession(env, user, at(time.Duration(i)*time.Minute))
	}
	made[3].RevokedAt = at(time.Hour)
	made[5].ExpiresAt = at(5 * time.Minute)
	order := rand.Perm(n)
	for _, i := range order {
		must(t, "create session", s.CreateSession(ctx, made[i]))
	}
	list, err := s.ListSessions(ctx, env, user)
	must(t, "list sessions", err)
	var want []string
	for i := n - 1; i >= 0; i-- {
		want = append(want, made[i].ID)
	}
	sameIDs(t, "sessions newest first", want, ids(list, func(x store.Session) string { return x.ID }))

	x := made[n-1]
	x.LastUsedAt = at(2 * time.Hour)
	x.Locations = append([]store.SessionLocation{{IP: "198.51.100.9", At: at(2 * time.Hour)}}, x.Locations...)
	x.RefreshNotBefore = at(2 * time.Hour)
	must(t, "update session", s.UpdateSession(ctx, x))
	got, err := s.GetSession(ctx, env, x.ID)
	must(t, "get session", err)
	sameRecord(t, "touched session", x, got)
}
