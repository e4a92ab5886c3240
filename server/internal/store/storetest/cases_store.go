package storetest

import (
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

func storeCases() []testCase {
	return []testCase{
		{name: "Store/PingBackend", run: func(t *testing.T, s store.Store) {
			must(t, "ping", s.Ping(t.Context()))
			if s.Backend() == "" {
				t.Error("Backend() is empty; the start-up log line needs a name")
			}
		}},
		{name: "Store/Sweep", run: runSweep},
	}
}

// runSweep creates an expired (one at exactly the sweep time) and a live
// record of every expiring kind in two environments, sweeps, and then looks
// at them with a "now" before any expiry, so a record that is still stored is
// visible whatever the getters' own expiry checks do.
func runSweep(t *testing.T, s store.Store) {
	ctx := t.Context()
	sweepAt := at(time.Hour).UTC().Truncate(time.Millisecond)
	early := at(0)
	n, err := s.Sweep(ctx, sweepAt)
	must(t, "sweep empty store", err)
	if n != 0 {
		t.Errorf("sweep of an empty store deleted %d", n)
	}

	type kept struct {
		env                             string
		flow, code, token, session, key string
		outbox, event                   string
	}
	make1 := func(env string, expires time.Time) kept {
		k := kept{env: env}
		f := newFlow(env, expires)
		must(t, "create flow", s.CreateFlow(ctx, f))
		c := newAuthCode(env, expires)
		must(t, "create code", s.CreateAuthCode(ctx, c))
		r := newRefreshToken(env, expires)
		must(t, "create token", s.CreateRefreshToken(ctx, r))
		se := newSession(env, "sweep-user", early)
		se.ExpiresAt = expires
		must(t, "create session", s.CreateSession(ctx, se))
		k.key = "key-" + newID()
		_, _, err := s.Incr(ctx, env, k.key, expires.Add(-time.Hour), time.Hour)
		must(t, "incr", err)
		m := newOutboxMessage(env, early)
		m.ExpiresAt = expires
		must(t, "add outbox", s.AddOutboxMessage(ctx, m))
		e := newEvent(env, "sweep-user", early)
		e.ExpiresAt = expires
		must(t, "add event", s.AddEvent(ctx, e))
		k.flow, k.code, k.token, k.session, k.outbox, k.event = f.ID, c.ID, r.ID, se.ID, m.ID, e.ID
		return k
	}
	var gone, live []kept
	for _, env := range []string{newID(), newID()} {
		gone = append(gone, make1(env, sweepAt), make1(env, sweepAt.Add(-time.Minute)))
		live = append(live, make1(env, sweepAt.Add(time.Millisecond)))
	}
	// Users, applications, keys and environments never expire.
	u := newUser(gone[0].env, "stays")
	must(t, "create user", s.CreateUser(ctx, u))

	n, err = s.Sweep(ctx, sweepAt)
	must(t, "sweep", err)
	if want := 7 * len(gone); n != want {
		t.Errorf("sweep deleted %d, want %d", n, want)
	}

	present := func(k kept) map[string]bool {
		t.Helper()
		p := map[string]bool{}
		_, err := s.GetFlow(ctx, k.env, k.flow, early)
		p["flow"] = err == nil
		_, err = s.UseAuthCode(ctx, k.env, k.code, early)
		p["code"] = err == nil
		_, err = s.UseRefreshToken(ctx, k.env, k.token, early)
		p["token"] = err == nil
		_, err = s.GetSession(ctx, k.env, k.session)
		p["session"] = err == nil
		c, _, err := s.Count(ctx, k.env, k.key, early)
		must(t, "count", err)
		p["counter"] = c == 1
		msgs, err := s.ListOutbox(ctx, k.env, 100)
		must(t, "list outbox", err)
		p["outbox"] = false
		for _, m := range msgs {
			if m.ID == k.outbox {
				p["outbox"] = true
			}
		}
		events, err := s.ListEvents(ctx, k.env, "", 100)
		must(t, "list events", err)
		p["event"] = false
		for _, e := range events {
			if e.ID == k.event {
				p["event"] = true
			}
		}
		return p
	}
	for _, k := range gone {
		for kind, ok := range present(k) {
			if ok {
				t.Errorf("expired %s survived the sweep", kind)
			}
		}
	}
	for _, k := range live {
		for kind, ok := range present(k) {
			if !ok {
				t.Errorf("live %s was swept", kind)
			}
		}
	}
	if _, err := s.GetUser(ctx, u.EnvironmentID, u.ID); err != nil {
		t.Errorf("user after sweep: %v", err)
	}
	n, err = s.Sweep(ctx, sweepAt)
	must(t, "second sweep", err)
	if n != 0 {
		t.Errorf("second sweep deleted %d, want 0", n)
	}
}
