package storetest

import (
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// TestRunOnReference runs the whole suite against the correct in-memory
// store: the suite's expectations are consistent with a plain implementation.
func TestRunOnReference(t *testing.T) {
	Run(t, func(t *testing.T) store.Store { return newMemStore(false) })
}

// TestChecksCatchRaces proves every concurrency check fails on a store whose
// guards are split into check-then-write: a check that passed there would
// prove nothing on a real backend.
func TestChecksCatchRaces(t *testing.T) {
	const attempts = 20
	for _, c := range ConcurrencyChecks() {
		t.Run(c.Name, func(t *testing.T) {
			for i := range attempts {
				err := c.Func(t.Context(), newMemStore(true))
				if err != nil {
					t.Logf("caught on attempt %d: %v", i+1, firstLine(err.Error()))
					return
				}
			}
			t.Fatalf("%s passed %d times on a racy store", c.Name, attempts)
		})
	}
}

// TestChecksAcrossStores runs the checks with several handles, as the
// two-process SQLite test does; on the reference store the handles share one
// memStore.
func TestChecksAcrossStores(t *testing.T) {
	s := newMemStore(false)
	for _, c := range ConcurrencyChecks() {
		t.Run(c.Name, func(t *testing.T) {
			if err := c.Func(t.Context(), s, s, s); err != nil {
				t.Error(err)
			}
		})
	}
	if err := CheckParallelIncr(t.Context()); err == nil {
		t.Error("a check with no store passed")
	}
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

func TestDiff(t *testing.T) {
	ms := time.Date(2030, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
	want := store.User{
		ID: "u", Username: "a", CreatedAt: ms.Add(123 * time.Microsecond).In(time.FixedZone("X", 3600)),
		Devices: []store.Device{{ID: "d1"}, {ID: "d2"}},
	}
	good := want
	good.CreatedAt = ms
	good.Devices = []store.Device{{ID: "d1"}, {ID: "d2"}}
	tests := []struct {
		name    string
		mutate  func(u *store.User)
		differs bool
	}{
		{name: "same", mutate: func(*store.User) {}},
		{name: "emptyVersusNilSlice", mutate: func(u *store.User) { u.Roles = []store.RoleAssignment{} }},
		{name: "field", mutate: func(u *store.User) { u.Username = "b" }, differs: true},
		{name: "deviceOrder", mutate: func(u *store.User) { u.Devices = []store.Device{{ID: "d2"}, {ID: "d1"}} }, differs: true},
		{name: "deviceDropped", mutate: func(u *store.User) { u.Devices = u.Devices[:1] }, differs: true},
		{name: "subMillisecond", mutate: func(u *store.User) { u.CreatedAt = want.CreatedAt.UTC() }, differs: true},
		{name: "notUTC", mutate: func(u *store.User) { u.CreatedAt = ms.In(time.FixedZone("X", 3600)) }, differs: true},
		{name: "otherInstant", mutate: func(u *store.User) { u.CreatedAt = ms.Add(time.Millisecond) }, differs: true},
		{name: "zeroTime", mutate: func(u *store.User) { u.UpdatedAt = time.Unix(0, 0).UTC() }, differs: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := good
			got.Devices = append([]store.Device(nil), good.Devices...)
			tt.mutate(&got)
			d := diff(&want, &got)
			if (d != "") != tt.differs {
				t.Errorf("diff = %q, want a difference: %v", d, tt.differs)
			}
		})
	}
}
