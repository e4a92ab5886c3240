package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// useOnce describes one use-once collection (refresh tokens, auth codes) so
// both get the same cases.
type useOnce[R any] struct {
	newRecord func(envID string, expires time.Time) *R
	create    func(ctx context.Context, s store.Store, r *R) error
	use       func(ctx context.Context, s store.Store, envID, id string, now time.Time) (*R, error)
	id        func(r *R) string
	setID     func(r *R, id string)
	usedAt    func(r *R) *time.Time
}

var refreshTokenUse = useOnce[store.RefreshToken]{
	newRecord: newRefreshToken,
	create: func(ctx context.Context, s store.Store, r *store.RefreshToken) error {
		return s.CreateRefreshToken(ctx, r)
	},
	use: func(ctx context.Context, s store.Store, envID, id string, now time.Time) (*store.RefreshToken, error) {
		return s.UseRefreshToken(ctx, envID, id, now)
	},
	id:     func(r *store.RefreshToken) string { return r.ID },
	setID:  func(r *store.RefreshToken, id string) { r.ID = id },
	usedAt: func(r *store.RefreshToken) *time.Time { return &r.UsedAt },
}

var authCodeUse = useOnce[store.AuthCode]{
	newRecord: newAuthCode,
	create: func(ctx context.Context, s store.Store, r *store.AuthCode) error {
		return s.CreateAuthCode(ctx, r)
	},
	use: func(ctx context.Context, s store.Store, envID, id string, now time.Time) (*store.AuthCode, error) {
		return s.UseAuthCode(ctx, envID, id, now)
	},
	id:     func(r *store.AuthCode) string { return r.ID },
	setID:  func(r *store.AuthCode, id string) { r.ID = id },
	usedAt: func(r *store.AuthCode) *time.Time { return &r.UsedAt },
}

func useOnceCases() []testCase {
	return []testCase{
		{name: "RefreshToken/UseOnce", run: func(t *testing.T, s store.Store) { runUseOnce(t, s, refreshTokenUse) }},
		{name: "AuthCode/UseOnce", run: func(t *testing.T, s store.Store) { runUseOnce(t, s, authCodeUse) }},
	}
}

func runUseOnce[R any](t *testing.T, s store.Store, u useOnce[R]) {
	t.Helper()
	ctx := t.Context()
	env, other := newID(), newID()
	expires := at(time.Minute)
	r := u.newRecord(env, expires)
	must(t, "create", u.create(ctx, s, r))

	dup := u.newRecord(env, expires)
	u.setID(dup, u.id(r))
	wantErr(t, "duplicate id", u.create(ctx, s, dup), store.ErrDuplicate)

	_, err := u.use(ctx, s, env, newID(), at(0))
	wantErr(t, "use unknown", err, store.ErrNotFound)
	_, err = u.use(ctx, s, other, u.id(r), at(0))
	wantErr(t, "use in other environment", err, store.ErrNotFound)
	for _, v := range trickyStrings {
		_, err = u.use(ctx, s, env, v, at(0))
		wantErr(t, "use id "+v, err, store.ErrNotFound)
	}
	_, err = u.use(ctx, s, env, u.id(r), expires)
	wantErr(t, "use at expiry", err, store.ErrNotFound)

	first := at(30*time.Second + 1500*time.Microsecond)
	got, err := u.use(ctx, s, env, u.id(r), first)
	must(t, "first use", err)
	want := *r
	*u.usedAt(&want) = first
	if got == nil {
		t.Fatal("first use returned no record")
	}
	sameRecord(t, "used record", &want, got)

	got, err = u.use(ctx, s, env, u.id(r), first.Add(time.Second))
	wantErr(t, "second use", err, store.ErrConflict)
	if got == nil {
		t.Fatal("second use returned no record with ErrConflict")
	}
	sameRecord(t, "record on reuse (first use time kept)", &want, got)

	_, err = u.use(ctx, s, other, u.id(r), first.Add(time.Second))
	wantErr(t, "reuse from other environment", err, store.ErrNotFound)

	// An expired record is not found, even before it is swept.
	late := u.newRecord(env, at(time.Second))
	must(t, "create expiring", u.create(ctx, s, late))
	_, err = u.use(ctx, s, env, u.id(late), at(2*time.Second))
	wantErr(t, "use after expiry", err, store.ErrNotFound)
	got, err = u.use(ctx, s, env, u.id(late), at(999*time.Millisecond))
	must(t, "use just before expiry", err)
	if got == nil || !u.usedAt(got).Equal(at(999*time.Millisecond).Truncate(time.Millisecond)) {
		t.Errorf("use just before expiry returned %+v", got)
	}
}

func flowCases() []testCase {
	return []testCase{
		{name: "Flow/CreateGetExpire", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			f := newFlow(env, at(10*time.Minute+time.Microsecond))
			must(t, "create", s.CreateFlow(ctx, f))
			got, err := s.GetFlow(ctx, env, f.ID, at(0))
			must(t, "get", err)
			sameRecord(t, "flow", f, got)
			_, err = s.GetFlow(ctx, other, f.ID, at(0))
			wantErr(t, "other environment", err, store.ErrNotFound)
			_, err = s.GetFlow(ctx, env, newID(), at(0))
			wantErr(t, "missing", err, store.ErrNotFound)
			for _, v := range trickyStrings {
				_, err = s.GetFlow(ctx, env, v, at(0))
				wantErr(t, "id "+v, err, store.ErrNotFound)
			}
			_, err = s.GetFlow(ctx, env, f.ID, at(10*time.Minute-time.Millisecond))
			must(t, "get a millisecond before expiry", err)
			// Stored at millisecond precision, ExpiresAt is base+10m: expired at that instant.
			_, err = s.GetFlow(ctx, env, f.ID, at(10*time.Minute).Truncate(time.Millisecond))
			wantErr(t, "get at expiry", err, store.ErrNotFound)
			_, err = s.GetFlow(ctx, env, f.ID, at(time.Hour))
			wantErr(t, "get after expiry", err, store.ErrNotFound)
			dup := newFlow(env, at(time.Hour))
			dup.ID = f.ID
			wantErr(t, "duplicate id", s.CreateFlow(ctx, dup), store.ErrDuplicate)
		}},
		{name: "Flow/Update", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			f := newFlow(env, at(time.Hour))
			f.AMR = nil
			must(t, "create", s.CreateFlow(ctx, f))
			stale := *f
			f.Status = "OTP_REQUIRED"
			f.OTPHash = "new-hash"
			f.OTPFailures = 0
			f.AMR = []string{"pwd"}
			f.ExpiresAt = at(2 * time.Hour)
			must(t, "update", s.UpdateFlow(ctx, f))
			if f.Version != 1 {
				t.Fatalf("version after update = %d, want 1", f.Version)
			}
			got, err := s.GetFlow(ctx, env, f.ID, at(90*time.Minute))
			must(t, "get after extending expiry", err)
			sameRecord(t, "updated flow", f, got)
			stale.Status = "COMPLETED"
			wantErr(t, "stale update", s.UpdateFlow(ctx, &stale), store.ErrConflict)
			moved := *f
			moved.EnvironmentID = other
			wantErr(t, "update in other environment", s.UpdateFlow(ctx, &moved), store.ErrNotFound)
			wantErr(t, "update missing", s.UpdateFlow(ctx, newFlow(env, at(time.Hour))), store.ErrNotFound)
			got, err = s.GetFlow(ctx, env, f.ID, at(0))
			must(t, "get", err)
			sameRecord(t, "flow after rejected updates", f, got)
		}},
	}
}

func counterCases() []testCase {
	return []testCase{
		{name: "Counter/IncrExpire", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			const window = time.Minute
			wantExp := at(window).UTC().Truncate(time.Millisecond)
			for i := int64(1); i <= 3; i++ {
				n, exp, err := s.Incr(ctx, env, "login:alice", at(time.Duration(i-1)*time.Second), window)
				must(t, "incr", err)
				if n != i || !exp.Equal(wantExp) {
					t.Fatalf("incr %d = %d, %s; want %d, %s (the window starts at the first increment)", i, n, exp, i, wantExp)
				}
			}
			n, exp, err := s.Count(ctx, env, "login:alice", at(30*time.Second))
			must(t, "count", err)
			if n != 3 || !exp.Equal(wantExp) {
				t.Errorf("count = %d, %s; want 3, %s", n, exp, wantExp)
			}
			n, _, err = s.Count(ctx, env, "login:alice", wantExp)
			must(t, "count at expiry", err)
			if n != 0 {
				t.Errorf("count at expiry = %d, want 0", n)
			}
			// At expiry the counter starts again, with a new window.
			n, exp, err = s.Incr(ctx, env, "login:alice", wantExp, window)
			must(t, "incr at expiry", err)
			if want := wantExp.Add(window); n != 1 || !exp.Equal(want) {
				t.Errorf("incr at expiry = %d, %s; want 1, %s", n, exp, want)
			}
			if exp.Location() != time.UTC {
				t.Errorf("expiry location %s, want UTC", exp.Location())
			}
		}},
		{name: "Counter/CountReset", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			n, exp, err := s.Count(ctx, env, "missing", at(0))
			must(t, "count missing", err)
			if n != 0 || !exp.IsZero() {
				t.Errorf("count missing = %d, %s; want 0, zero time", n, exp)
			}
			must(t, "reset missing", s.Reset(ctx, env, "missing"))
			for range 2 {
				_, _, err = s.Incr(ctx, env, "k", at(0), time.Hour)
				must(t, "incr", err)
			}
			n, _, err = s.Incr(ctx, other, "k", at(0), time.Hour)
			must(t, "incr other environment", err)
			if n != 1 {
				t.Errorf("same key in another environment = %d, want 1", n)
			}
			must(t, "reset other environment", s.Reset(ctx, other, "k"))
			n, _, err = s.Count(ctx, env, "k", at(0))
			must(t, "count", err)
			if n != 2 {
				t.Errorf("count after resetting another environment's key = %d, want 2", n)
			}
			must(t, "reset", s.Reset(ctx, env, "k"))
			n, _, err = s.Count(ctx, env, "k", at(0))
			must(t, "count after reset", err)
			if n != 0 {
				t.Errorf("count after reset = %d, want 0", n)
			}
			n, _, err = s.Incr(ctx, env, "k", at(0), time.Hour)
			must(t, "incr after reset", err)
			if n != 1 {
				t.Errorf("incr after reset = %d, want 1", n)
			}
		}},
		{name: "Counter/LiteralKeys", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			for i, key := range trickyStrings {
				for range i + 1 {
					_, _, err := s.Incr(ctx, env, key, at(0), time.Hour)
					must(t, "incr "+key, err)
				}
			}
			for i, key := range trickyStrings {
				n, _, err := s.Count(ctx, env, key, at(0))
				must(t, "count "+key, err)
				if n != int64(i+1) {
					t.Errorf("count %q = %d, want %d", key, n, i+1)
				}
			}
		}},
	}
}

func outboxCases() []testCase {
	return []testCase{
		{name: "Outbox/AddList", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			var want []*store.OutboxMessage
			for i := range 5 {
				want = append(want, newOutboxMessage(env, at(time.Duration(i)*time.Second)))
			}
			for _, i := range []int{3, 0, 4, 1, 2} {
				must(t, "add", s.AddOutboxMessage(ctx, want[i]))
			}
			must(t, "add other", s.AddOutboxMessage(ctx, newOutboxMessage(other, at(time.Hour))))
			dup := newOutboxMessage(env, at(0))
			dup.ID = want[0].ID
			wantErr(t, "duplicate id", s.AddOutboxMessage(ctx, dup), store.ErrDuplicate)
			list, err := s.ListOutbox(ctx, env, 3)
			must(t, "list", err)
			newest := []*store.OutboxMessage{want[4], want[3], want[2]}
			sameIDs(t, "newest three", ids(newest, func(m *store.OutboxMessage) string { return m.ID }),
				ids(list, func(m store.OutboxMessage) string { return m.ID }))
			for i := range min(len(list), len(newest)) {
				sameRecord(t, "listed message", newest[i], &list[i])
			}
			list, err = s.ListOutbox(ctx, env, 100)
			must(t, "list all", err)
			if len(list) != 5 {
				t.Errorf("listed %d messages, want 5", len(list))
			}
			list, err = s.ListOutbox(ctx, newID(), 10)
			must(t, "list unknown environment", err)
			if len(list) != 0 {
				t.Errorf("messages of an unknown environment: %d", len(list))
			}
		}},
	}
}

func eventCases() []testCase {
	return []testCase{
		{name: "Event/AddList", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			alice, bob := newID(), newID()
			var all []*store.Event
			for i := range 6 {
				user := alice
				if i%2 == 1 {
					user = bob
				}
				all = append(all, newEvent(env, user, at(time.Duration(i)*time.Minute)))
			}
			all[2].Details = nil
			for _, i := range []int{5, 2, 0, 4, 1, 3} {
				must(t, "add", s.AddEvent(ctx, all[i]))
			}
			must(t, "add other environment", s.AddEvent(ctx, newEvent(other, alice, at(time.Hour))))
			dup := newEvent(env, alice, at(0))
			dup.ID = all[0].ID
			wantErr(t, "duplicate id", s.AddEvent(ctx, dup), store.ErrDuplicate)

			list, err := s.ListEvents(ctx, env, "", 4)
			must(t, "list", err)
			want := []*store.Event{all[5], all[4], all[3], all[2]}
			sameIDs(t, "newest four of every user", ids(want, func(e *store.Event) string { return e.ID }),
				ids(list, func(e store.Event) string { return e.ID }))
			for i := range min(len(list), len(want)) {
				sameRecord(t, "listed event", want[i], &list[i])
			}
			list, err = s.ListEvents(ctx, env, alice, 10)
			must(t, "list alice", err)
			want = []*store.Event{all[4], all[2], all[0]}
			sameIDs(t, "alice's events", ids(want, func(e *store.Event) string { return e.ID }),
				ids(list, func(e store.Event) string { return e.ID }))
			list, err = s.ListEvents(ctx, env, bob, 1)
			must(t, "list bob", err)
			sameIDs(t, "bob's newest", []string{all[5].ID}, ids(list, func(e store.Event) string { return e.ID }))
			list, err = s.ListEvents(ctx, other, bob, 10)
			must(t, "list bob elsewhere", err)
			if len(list) != 0 {
				t.Errorf("bob's events in another environment: %d", len(list))
			}
		}},
		{name: "Event/SameTimeOrderedByID", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			var want []string
			for range 4 {
				e := newEvent(env, "u", at(0))
				want = append(want, e.ID)
				must(t, "add", s.AddEvent(ctx, e))
			}
			slices.Sort(want)
			slices.Reverse(want)
			list, err := s.ListEvents(ctx, env, "", 10)
			must(t, "list", err)
			sameIDs(t, "ties broken by id descending", want, ids(list, func(e store.Event) string { return e.ID }))
		}},
	}
}
