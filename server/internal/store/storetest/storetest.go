// Package storetest is the conformance suite every store backend passes
// (dex's pattern): Run exercises every method of every interface in package
// store, and the exported concurrency checks prove the single-record atomic
// updates hold under parallel callers, on one store or across several
// stores sharing one database.
//
// The suite pins down what store.go leaves open, so both backends agree:
//
//   - Times are kept at millisecond precision (MongoDB's BSON datetime) and
//     come back in UTC: a stored time t reads back as
//     t.UTC().Truncate(time.Millisecond). Zero times read back as zero.
//   - Nil and empty slices and maps are interchangeable.
//   - Create* stores the record as given, Version included. Update* writes
//     only if the stored version equals the passed one, then sets the passed
//     Version to that version + 1. A stale version is ErrConflict; a missing
//     record, or one in another environment, is ErrNotFound; a username taken
//     by another user of the environment is ErrDuplicate.
//   - Ids are unique per collection (they are UUIDs); usernames are unique
//     per environment.
//   - A record expires when ExpiresAt <= now.
//   - "Newest first" lists order by CreatedAt descending, then id descending.
//     ListEnvironments and ListApplications order by id. ListUsers orders by
//     id and returns ids greater than Page.After, at most Page.Limit;
//     ListUsersByUsername orders by username, Page.After being a username.
//   - Use* on a used record returns ErrConflict together with the stored
//     record (UsedAt is the first use).
//   - Count of a missing or expired counter is 0 with a zero expiry; Reset of
//     a missing counter is not an error.
//   - Sweep deletes every record with ExpiresAt <= now in every environment
//     (flows, auth codes, refresh tokens, sessions, counters, outbox
//     messages, events) and returns how many it deleted.
//   - Strings are data: values that look like MongoDB operators or paths are
//     stored and matched literally.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Run runs the conformance suite. open returns a fresh, empty store; it is
// called once per subtest and should register the store's Close (and any
// backend-specific assertions) with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, open(t))
		})
	}
	t.Run("Concurrency", func(t *testing.T) {
		for _, c := range ConcurrencyChecks() {
			t.Run(c.Name, func(t *testing.T) {
				s := open(t)
				if err := c.Func(t.Context(), s); err != nil {
					t.Error(err)
				}
			})
		}
	})
}

type testCase struct {
	name string
	run  func(t *testing.T, s store.Store)
}

func cases() []testCase {
	var all []testCase
	all = append(all, environmentCases()...)
	all = append(all, userCases()...)
	all = append(all, applicationCases()...)
	all = append(all, signingKeyCases()...)
	all = append(all, sessionCases()...)
	all = append(all, useOnceCases()...)
	all = append(all, flowCases()...)
	all = append(all, counterCases()...)
	all = append(all, outboxCases()...)
	all = append(all, eventCases()...)
	all = append(all, eventPageCases()...)
	all = append(all, storeCases()...)
	all = append(all, recoveryCases()...)
	all = append(all, deleteCases()...)
	all = append(all, oauthConsentCases()...)
	all = append(all, externalIdentityCases()...)
	all = append(all, brandingCases()...)
	return all
}

// newID returns a fresh UUIDv7, the id format the server uses.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// base is the suite's reference time: sub-millisecond digits and a non-UTC
// zone, so the precision and zone rules are exercised by every record. It is
// in the future so a real MongoDB's TTL index never deletes a fixture
// mid-test: expiry is only ever judged against the "now" a case passes.
var base = time.Date(2031, 5, 6, 7, 8, 9, 123456789, time.FixedZone("UTC+2", 2*3600))

// at returns base plus d.
func at(d time.Duration) time.Time { return base.Add(d) }

// wantErr fails the test unless errors.Is(err, want); want nil means no error.
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: unexpected error: %v", what, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

// must fails the test on a non-nil error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	wantErr(t, what, err, nil)
}

// sameRecord fails the test unless got is want as stored and read back: times
// at millisecond precision in UTC, nil and empty collections equal.
func sameRecord(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := diff(want, got); d != "" {
		t.Errorf("%s: stored record differs:\n%s", what, d)
	}
}

// diff lists the differences between want and got (see sameRecord).
func diff(want, got any) string {
	var out []string
	diffValue("", reflect.ValueOf(want), reflect.ValueOf(got), &out)
	return strings.Join(out, "\n")
}

var timeType = reflect.TypeFor[time.Time]()

func diffValue(path string, w, g reflect.Value, out *[]string) {
	if !w.IsValid() || !g.IsValid() {
		if w.IsValid() != g.IsValid() {
			*out = append(*out, fmt.Sprintf("%s: want %v, got %v", path, w, g))
		}
		return
	}
	if w.Type() != g.Type() {
		*out = append(*out, fmt.Sprintf("%s: want type %s, got %s", path, w.Type(), g.Type()))
		return
	}
	if w.Type() == timeType {
		wt := w.Interface().(time.Time).UTC().Truncate(time.Millisecond)
		gt := g.Interface().(time.Time)
		switch {
		case !wt.Equal(gt):
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, wt.Format(time.RFC3339Nano), gt.Format(time.RFC3339Nano)))
		case gt.Location() != time.UTC:
			*out = append(*out, fmt.Sprintf("%s: want location UTC, got %s", path, gt.Location()))
		case gt.Nanosecond()%int(time.Millisecond) != 0:
			*out = append(*out, fmt.Sprintf("%s: %s is finer than milliseconds", path, gt.Format(time.RFC3339Nano)))
		}
		return
	}
	switch w.Kind() {
	case reflect.Pointer:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				*out = append(*out, fmt.Sprintf("%s: want nil=%v, got nil=%v", path, w.IsNil(), g.IsNil()))
			}
			return
		}
		diffValue(path, w.Elem(), g.Elem(), out)
	case reflect.Struct:
		for i := range w.NumField() {
			diffValue(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i), out)
		}
	case reflect.Slice:
		if w.Type().Elem().Kind() == reflect.Uint8 {
			if !slices.Equal(w.Bytes(), g.Bytes()) {
				*out = append(*out, fmt.Sprintf("%s: want %x, got %x", path, w.Bytes(), g.Bytes()))
			}
			return
		}
		if w.Len() != g.Len() {
			*out = append(*out, fmt.Sprintf("%s: want %d elements, got %d: want %+v, got %+v", path, w.Len(), g.Len(), w, g))
			return
		}
		for i := range w.Len() {
			diffValue(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i), out)
		}
	case reflect.Map:
		if w.Len() != g.Len() {
			*out = append(*out, fmt.Sprintf("%s: want %d entries, got %d: want %v, got %v", path, w.Len(), g.Len(), w, g))
			return
		}
		for _, k := range w.MapKeys() {
			diffValue(fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), g.MapIndex(k), out)
		}
	default:
		if !reflect.DeepEqual(w.Interface(), g.Interface()) {
			*out = append(*out, fmt.Sprintf("%s: want %#v, got %#v", path, w.Interface(), g.Interface()))
		}
	}
}

// ids returns the ids of records, in order.
func ids[R any](rs []R, id func(R) string) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, id(r))
	}
	return out
}

// sameIDs fails the test unless got lists exactly want, in order.
func sameIDs(t *testing.T, what string, want, got []string) {
	t.Helper()
	if !slices.Equal(want, got) && !(len(want) == 0 && len(got) == 0) {
		t.Errorf("%s: ids\n got %q\nwant %q", what, got, want)
	}
}

// trickyStrings are values that would change meaning if a backend spliced
// them into a query instead of binding them: MongoDB operators and paths,
// SQL quotes and wildcards, and non-ASCII text.
var trickyStrings = []string{
	`{"$ne": ""}`,
	`$where`,
	`$gt`,
	`a.b.c`,
	`.`,
	`%`,
	`_`,
	`' OR '1'='1`,
	`"; DROP TABLE users; --`,
	`ünïcødé-用户-🙂`,
	`Ünïcødé-用户-🙂`,
}
