package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

func environmentCases() []testCase {
	return []testCase{
		{name: "Environment/CreateGet", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			e := newEnvironment(newID())
			e.Version = 7
			must(t, "create", s.CreateEnvironment(ctx, e))
			got, err := s.GetEnvironment(ctx, e.ID)
			must(t, "get", err)
			sameRecord(t, "environment", e, got)
		}},
		{name: "Environment/NotFound", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			must(t, "create", s.CreateEnvironment(ctx, newEnvironment(newID())))
			for _, id := range append([]string{newID(), ""}, trickyStrings...) {
				_, err := s.GetEnvironment(ctx, id)
				wantErr(t, "get "+id, err, store.ErrNotFound)
			}
			e := newEnvironment(newID())
			wantErr(t, "update missing", s.UpdateEnvironment(ctx, e), store.ErrNotFound)
		}},
		{name: "Environment/Duplicate", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			e := newEnvironment(newID())
			must(t, "create", s.CreateEnvironment(ctx, e))
			dup := newEnvironment(e.ID)
			dup.Name = "other"
			wantErr(t, "create duplicate", s.CreateEnvironment(ctx, dup), store.ErrDuplicate)
			got, err := s.GetEnvironment(ctx, e.ID)
			must(t, "get", err)
			sameRecord(t, "environment after duplicate", e, got)
		}},
		{name: "Environment/List", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			got, err := s.ListEnvironments(ctx)
			must(t, "list empty", err)
			sameIDs(t, "empty store", nil, ids(got, func(e store.Environment) string { return e.ID }))
			var want []*store.Environment
			for range 4 {
				want = append(want, newEnvironment(newID()))
			}
			for _, i := range []int{2, 0, 3, 1} {
				must(t, "create", s.CreateEnvironment(ctx, want[i]))
			}
			slices.SortFunc(want, func(a, b *store.Environment) int { return compareStrings(a.ID, b.ID) })
			got, err = s.ListEnvironments(ctx)
			must(t, "list", err)
			sameIDs(t, "list in id order", ids(want, func(e *store.Environment) string { return e.ID }),
				ids(got, func(e store.Environment) string { return e.ID }))
			for i := range min(len(got), len(want)) {
				sameRecord(t, "listed environment", want[i], &got[i])
			}
		}},
		{name: "Environment/Update", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			e := newEnvironment(newID())
			must(t, "create", s.CreateEnvironment(ctx, e))
			stale := *e
			e.Name = "renamed"
			e.SelfService.ManageSessions = false
			e.MFASettings.Methods = []string{"FIDO2"}
			e.UpdatedAt = at(time.Hour)
			must(t, "update", s.UpdateEnvironment(ctx, e))
			if e.Version != 1 {
				t.Fatalf("version after update = %d, want 1", e.Version)
			}
			got, err := s.GetEnvironment(ctx, e.ID)
			must(t, "get", err)
			sameRecord(t, "updated environment", e, got)

			stale.Name = "stale write"
			wantErr(t, "stale update", s.UpdateEnvironment(ctx, &stale), store.ErrConflict)
			if stale.Version != 0 {
				t.Errorf("failed update changed the passed version to %d", stale.Version)
			}
			got, err = s.GetEnvironment(ctx, e.ID)
			must(t, "get", err)
			sameRecord(t, "environment after stale update", e, got)

			must(t, "second update", s.UpdateEnvironment(ctx, e))
			if e.Version != 2 {
				t.Fatalf("version after second update = %d, want 2", e.Version)
			}
		}},
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func userCases() []testCase {
	return []testCase{
		{name: "User/CreateGet", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			u := newUser(env, "alice")
			u.Version = 3
			must(t, "create", s.CreateUser(ctx, u))
			got, err := s.GetUser(ctx, env, u.ID)
			must(t, "get", err)
			sameRecord(t, "user by id", u, got)
			got, err = s.GetUserByUsername(ctx, env, "alice")
			must(t, "get by username", err)
			sameRecord(t, "user by username", u, got)
		}},
		{name: "User/MaxDevicesInOrder", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			u := newUser(newID(), "many")
			u.Devices = nil
			for i := range store.MaxDevices {
				u.Devices = append(u.Devices, newDevice(store.MaxDevices-i))
			}
			must(t, "create", s.CreateUser(ctx, u))
			got, err := s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get", err)
			sameRecord(t, "user with max devices", u, got)

			// Reorder, drop and append in one update: the slice order is the
			// user's order and must come back as written.
			slices.Reverse(u.Devices)
			u.Devices = append(u.Devices[2:], newDevice(99))
			u.Devices[0].Nickname = "now first"
			must(t, "update", s.UpdateUser(ctx, u))
			got, err = s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get after update", err)
			sameRecord(t, "user with reordered devices", u, got)

			u.Devices = nil
			must(t, "update to no devices", s.UpdateUser(ctx, u))
			got, err = s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get after clearing devices", err)
			if len(got.Devices) != 0 {
				t.Errorf("devices after clearing: %d, want 0", len(got.Devices))
			}
		}},
		{name: "User/NotFound", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			u := newUser(env, "bob")
			must(t, "create", s.CreateUser(ctx, u))
			_, err := s.GetUser(ctx, env, newID())
			wantErr(t, "get missing id", err, store.ErrNotFound)
			_, err = s.GetUser(ctx, other, u.ID)
			wantErr(t, "get in other environment", err, store.ErrNotFound)
			_, err = s.GetUser(ctx, "", u.ID)
			wantErr(t, "get with empty environment", err, store.ErrNotFound)
			_, err = s.GetUserByUsername(ctx, env, "carol")
			wantErr(t, "get missing username", err, store.ErrNotFound)
			_, err = s.GetUserByUsername(ctx, other, "bob")
			wantErr(t, "get username in other environment", err, store.ErrNotFound)
			_, err = s.GetUserByUsername(ctx, env, "BOB")
			wantErr(t, "usernames match exactly (the server lower-cases)", err, store.ErrNotFound)

			moved := *u
			moved.EnvironmentID = other
			moved.GivenName = "Mallory"
			wantErr(t, "update in other environment", s.UpdateUser(ctx, &moved), store.ErrNotFound)
			missing := newUser(env, "nobody")
			wantErr(t, "update missing", s.UpdateUser(ctx, missing), store.ErrNotFound)
			got, err := s.GetUser(ctx, env, u.ID)
			must(t, "get", err)
			sameRecord(t, "user after foreign updates", u, got)
			list, err := s.ListUsers(ctx, other, store.Page{Limit: 10})
			must(t, "list other environment", err)
			sameIDs(t, "other environment's users", nil, ids(list, func(u store.User) string { return u.ID }))
		}},
		{name: "User/Duplicate", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			u := newUser(env, "dave")
			must(t, "create", s.CreateUser(ctx, u))
			sameID := newUser(env, "someone-else")
			sameID.ID = u.ID
			wantErr(t, "duplicate id", s.CreateUser(ctx, sameID), store.ErrDuplicate)
			sameName := newUser(env, "dave")
			wantErr(t, "duplicate username", s.CreateUser(ctx, sameName), store.ErrDuplicate)
			elsewhere := newUser(other, "dave")
			must(t, "same username in another environment", s.CreateUser(ctx, elsewhere))
			got, err := s.GetUserByUsername(ctx, env, "dave")
			must(t, "get", err)
			sameRecord(t, "first dave", u, got)
			got, err = s.GetUserByUsername(ctx, other, "dave")
			must(t, "get other", err)
			sameRecord(t, "other dave", elsewhere, got)
			_, err = s.GetUser(ctx, env, sameName.ID)
			wantErr(t, "rejected user was not stored", err, store.ErrNotFound)
		}},
		{name: "User/Update", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			u := newUser(env, "erin")
			must(t, "create", s.CreateUser(ctx, u))
			stale := *u
			u.GivenName = "Erin"
			u.Enabled = false
			u.Roles = nil
			u.PasswordChangedAt = at(time.Hour + 999*time.Microsecond)
			must(t, "update", s.UpdateUser(ctx, u))
			if u.Version != 1 {
				t.Fatalf("version after update = %d, want 1", u.Version)
			}
			got, err := s.GetUser(ctx, env, u.ID)
			must(t, "get", err)
			sameRecord(t, "updated user", u, got)

			stale.GivenName = "stale"
			wantErr(t, "stale update", s.UpdateUser(ctx, &stale), store.ErrConflict)
			if stale.Version != 0 {
				t.Errorf("failed update changed the passed version to %d", stale.Version)
			}
			got, err = s.GetUser(ctx, env, u.ID)
			must(t, "get", err)
			sameRecord(t, "user after stale update", u, got)

			// Renaming moves the unique username.
			u.Username = "erin2"
			must(t, "rename", s.UpdateUser(ctx, u))
			if u.Version != 2 {
				t.Fatalf("version after rename = %d, want 2", u.Version)
			}
			_, err = s.GetUserByUsername(ctx, env, "erin")
			wantErr(t, "old username", err, store.ErrNotFound)
			got, err = s.GetUserByUsername(ctx, env, "erin2")
			must(t, "new username", err)
			sameRecord(t, "renamed user", u, got)
			must(t, "old username is free again", s.CreateUser(ctx, newUser(env, "erin")))

			// Renaming onto a taken username is a duplicate, not a silent overwrite.
			u.Username = "erin"
			wantErr(t, "rename onto taken username", s.UpdateUser(ctx, u), store.ErrDuplicate)
			if u.Version != 2 {
				t.Errorf("failed rename changed the passed version to %d", u.Version)
			}
			got, err = s.GetUser(ctx, env, u.ID)
			must(t, "get", err)
			if got.Username != "erin2" || got.Version != 2 {
				t.Errorf("after failed rename: username %q version %d, want erin2 2", got.Username, got.Version)
			}
		}},
		{name: "User/ListPaging", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			var want []string
			for i := range 7 {
				u := newUser(env, "user"+string(rune('a'+i)))
				want = append(want, u.ID)
				must(t, "create", s.CreateUser(ctx, u))
				must(t, "create other", s.CreateUser(ctx, newUser(other, u.Username)))
			}
			slices.Sort(want)
			var got []string
			after := ""
			for page := 0; ; page++ {
				if page > 5 {
					t.Fatalf("paging does not end: %q", got)
				}
				list, err := s.ListUsers(ctx, env, store.Page{After: after, Limit: 3})
				must(t, "list", err)
				if len(list) > 3 {
					t.Fatalf("page of %d users, limit 3", len(list))
				}
				if len(list) == 0 {
					break
				}
				for _, u := range list {
					if u.EnvironmentID != env {
						t.Fatalf("listed user of environment %q", u.EnvironmentID)
					}
					got = append(got, u.ID)
				}
				after = list[len(list)-1].ID
			}
			sameIDs(t, "all pages", want, got)

			list, err := s.ListUsers(ctx, env, store.Page{Limit: 100})
			must(t, "list all", err)
			sameIDs(t, "one big page", want, ids(list, func(u store.User) string { return u.ID }))
			list, err = s.ListUsers(ctx, env, store.Page{After: want[4], Limit: 100})
			must(t, "list after", err)
			sameIDs(t, "after the fifth", want[5:], ids(list, func(u store.User) string { return u.ID }))
			list, err = s.ListUsers(ctx, env, store.Page{Limit: 1})
			must(t, "list one", err)
			sameIDs(t, "first page of one", want[:1], ids(list, func(u store.User) string { return u.ID }))
			if len(list) == 1 {
				u := list[0]
				full, err := s.GetUser(ctx, env, u.ID)
				must(t, "get", err)
				sameRecord(t, "listed user", full, &u)
			}
		}},
		{name: "User/ListByUsernamePrefix", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			for _, name := range []string{"bob", "albert", "al", "alina", "alice", "ak", "am", "al.ice@example.com"} {
				must(t, "create "+name, s.CreateUser(ctx, newUser(env, name)))
			}
			must(t, "create other", s.CreateUser(ctx, newUser(other, "alex")))
			names := func(list []store.User) []string {
				return ids(list, func(u store.User) string { return u.Username })
			}
			same := func(what string, got, want []string) {
				t.Helper()
				if !slices.Equal(got, want) {
					t.Fatalf("%s: %q, want %q", what, got, want)
				}
			}
			var got []string
			after := ""
			for page := 0; ; page++ {
				if page > 5 {
					t.Fatalf("paging does not end: %q", got)
				}
				list, err := s.ListUsersByUsername(ctx, env, "al", store.Page{After: after, Limit: 2})
				must(t, "list", err)
				if len(list) == 0 {
					break
				}
				if len(list) > 2 {
					t.Fatalf("page of %d users, limit 2", len(list))
				}
				got = append(got, names(list)...)
				after = list[len(list)-1].Username
			}
			same("pages of al", got, []string{"al", "al.ice@example.com", "albert", "alice", "alina"})
			list, err := s.ListUsersByUsername(ctx, env, "", store.Page{Limit: 100})
			must(t, "list all", err)
			same("no prefix", names(list), []string{"ak", "al", "al.ice@example.com", "albert", "alice", "alina", "am", "bob"})
			list, err = s.ListUsersByUsername(ctx, env, "alice", store.Page{Limit: 100})
			must(t, "list exact", err)
			same("a whole username", names(list), []string{"alice"})
			list, err = s.ListUsersByUsername(ctx, env, "al", store.Page{After: "zzz", Limit: 100})
			must(t, "list after the end", err)
			same("after every match", names(list), nil)
			for _, tricky := range []string{`{"$gt": ""}`, "%", "_", ".*", "^a"} {
				list, err = s.ListUsersByUsername(ctx, env, tricky, store.Page{Limit: 100})
				must(t, "list "+tricky, err)
				same("literal prefix "+tricky, names(list), nil)
			}
			list, err = s.ListUsersByUsername(ctx, other, "al", store.Page{Limit: 100})
			must(t, "list other", err)
			same("other environment", names(list), []string{"alex"})
		}},
		{name: "User/LiteralValues", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			plain := newUser(env, "plain")
			must(t, "create plain", s.CreateUser(ctx, plain))
			created := map[string]*store.User{}
			for _, name := range trickyStrings {
				// An operator-shaped username must not match "plain".
				_, err := s.GetUserByUsername(ctx, env, name)
				wantErr(t, "lookup before create "+name, err, store.ErrNotFound)
				u := newUser(env, name)
				u.GivenName = name
				u.Devices[0].Nickname = name
				must(t, "create "+name, s.CreateUser(ctx, u))
				created[name] = u
			}
			for _, name := range trickyStrings {
				got, err := s.GetUserByUsername(ctx, env, name)
				must(t, "lookup "+name, err)
				sameRecord(t, "user "+name, created[name], got)
				_, err = s.GetUser(ctx, env, name)
				wantErr(t, "string as id "+name, err, store.ErrNotFound)
				_, err = s.GetUser(ctx, name, plain.ID)
				wantErr(t, "string as environment "+name, err, store.ErrNotFound)
			}
			list, err := s.ListUsers(ctx, env, store.Page{After: `{"$gt": ""}`, Limit: 100})
			must(t, "list after operator", err)
			for _, u := range list {
				if u.ID <= `{"$gt": ""}` {
					t.Errorf("listed id %q not after the literal cursor", u.ID)
				}
			}
		}},
	}
}

func applicationCases() []testCase {
	return []testCase{
		{name: "Application/CreateGetList", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			var want []*store.Application
			for range 3 {
				a := newApplication(env)
				want = append(want, a)
			}
			want[1].RedirectURIs = nil
			for _, i := range []int{1, 2, 0} {
				must(t, "create", s.CreateApplication(ctx, want[i]))
			}
			must(t, "create other", s.CreateApplication(ctx, newApplication(other)))
			got, err := s.GetApplication(ctx, env, want[0].ID)
			must(t, "get", err)
			sameRecord(t, "application", want[0], got)
			slices.SortFunc(want, func(a, b *store.Application) int { return compareStrings(a.ID, b.ID) })
			list, err := s.ListApplications(ctx, env)
			must(t, "list", err)
			sameIDs(t, "list in id order", ids(want, func(a *store.Application) string { return a.ID }),
				ids(list, func(a store.Application) string { return a.ID }))
			for i := range min(len(list), len(want)) {
				sameRecord(t, "listed application", want[i], &list[i])
			}
			list, err = s.ListApplications(ctx, newID())
			must(t, "list empty environment", err)
			sameIDs(t, "empty environment", nil, ids(list, func(a store.Application) string { return a.ID }))
		}},
		{name: "Application/NotFoundDuplicate", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			a := newApplication(env)
			must(t, "create", s.CreateApplication(ctx, a))
			_, err := s.GetApplication(ctx, env, newID())
			wantErr(t, "missing", err, store.ErrNotFound)
			_, err = s.GetApplication(ctx, other, a.ID)
			wantErr(t, "other environment", err, store.ErrNotFound)
			for _, v := range trickyStrings {
				_, err = s.GetApplication(ctx, env, v)
				wantErr(t, "id "+v, err, store.ErrNotFound)
			}
			dup := newApplication(env)
			dup.ID = a.ID
			wantErr(t, "duplicate id", s.CreateApplication(ctx, dup), store.ErrDuplicate)
			moved := *a
			moved.EnvironmentID = other
			wantErr(t, "update in other environment", s.UpdateApplication(ctx, &moved), store.ErrNotFound)
			wantErr(t, "update missing", s.UpdateApplication(ctx, newApplication(env)), store.ErrNotFound)
			got, err := s.GetApplication(ctx, env, a.ID)
			must(t, "get", err)
			sameRecord(t, "application", a, got)
		}},
		{name: "Application/Update", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			a := newApplication(newID())
			must(t, "create", s.CreateApplication(ctx, a))
			stale := *a
			a.Enabled = false
			a.SecretHash = "rotated"
			a.RedirectURIs = []string{"https://c.example/cb"}
			must(t, "update", s.UpdateApplication(ctx, a))
			if a.Version != 1 {
				t.Fatalf("version after update = %d, want 1", a.Version)
			}
			got, err := s.GetApplication(ctx, a.EnvironmentID, a.ID)
			must(t, "get", err)
			sameRecord(t, "updated application", a, got)
			wantErr(t, "stale update", s.UpdateApplication(ctx, &stale), store.ErrConflict)
			got, err = s.GetApplication(ctx, a.EnvironmentID, a.ID)
			must(t, "get", err)
			sameRecord(t, "application after stale update", a, got)
		}},
	}
}

func signingKeyCases() []testCase {
	return []testCase{
		{name: "SigningKey/CreateList", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			old := newSigningKey(env, at(-time.Hour))
			mid := newSigningKey(env, at(0))
			newest := newSigningKey(env, at(time.Hour))
			newest.PrivateKey = nil
			for _, k := range []*store.SigningKey{mid, newest, old} {
				must(t, "create", s.CreateSigningKey(ctx, k))
			}
			must(t, "create other", s.CreateSigningKey(ctx, newSigningKey(other, at(2*time.Hour))))
			list, err := s.ListSigningKeys(ctx, env)
			must(t, "list", err)
			want := []*store.SigningKey{newest, mid, old}
			sameIDs(t, "newest first", ids(want, func(k *store.SigningKey) string { return k.ID }),
				ids(list, func(k store.SigningKey) string { return k.ID }))
			for i := range min(len(list), len(want)) {
				sameRecord(t, "listed key", want[i], &list[i])
			}
			dup := newSigningKey(env, at(0))
			dup.ID = mid.ID
			wantErr(t, "duplicate id", s.CreateSigningKey(ctx, dup), store.ErrDuplicate)
			list, err = s.ListSigningKeys(ctx, newID())
			must(t, "list empty environment", err)
			if len(list) != 0 {
				t.Errorf("keys of an unknown environment: %d", len(list))
			}
		}},
	}
}

func sessionCases() []testCase {
	return []testCase{
		{name: "Session/CreateGetList", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			user, otherUser := newID(), newID()
			s1 := newSession(env, user, at(0))
			s2 := newSession(env, user, at(time.Minute))
			s3 := newSession(env, user, at(2*time.Minute))
			s3.RevokedAt = at(3 * time.Minute)
			s3.AMR = nil
			for _, x := range []*store.Session{s2, s3, s1,
				newSession(env, otherUser, at(time.Hour)),
				newSession(other, user, at(time.Hour))} {
				must(t, "create", s.CreateSession(ctx, x))
			}
			got, err := s.GetSession(ctx, env, s3.ID)
			must(t, "get revoked", err)
			sameRecord(t, "revoked session", s3, got)
			list, err := s.ListSessions(ctx, env, user)
			must(t, "list", err)
			want := []*store.Session{s3, s2, s1}
			sameIDs(t, "user's sessions newest first", ids(want, func(x *store.Session) string { return x.ID }),
				ids(list, func(x store.Session) string { return x.ID }))
			for i := range min(len(list), len(want)) {
				sameRecord(t, "listed session", want[i], &list[i])
			}
			list, err = s.ListSessions(ctx, other, otherUser)
			must(t, "list other", err)
			if len(list) != 0 {
				t.Errorf("sessions of a user in an environment they are not in: %d", len(list))
			}
		}},
		{name: "Session/NotFoundDuplicateUpdate", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			x := newSession(env, newID(), at(0))
			must(t, "create", s.CreateSession(ctx, x))
			_, err := s.GetSession(ctx, env, newID())
			wantErr(t, "missing", err, store.ErrNotFound)
			_, err = s.GetSession(ctx, other, x.ID)
			wantErr(t, "other environment", err, store.ErrNotFound)
			dup := newSession(env, newID(), at(0))
			dup.ID = x.ID
			wantErr(t, "duplicate id", s.CreateSession(ctx, dup), store.ErrDuplicate)

			stale := *x
			x.MFAAt = at(time.Minute)
			x.AMR = append(x.AMR, "mfa")
			x.ExpiresAt = at(24 * time.Hour)
			must(t, "update", s.UpdateSession(ctx, x))
			if x.Version != 1 {
				t.Fatalf("version after update = %d, want 1", x.Version)
			}
			got, err := s.GetSession(ctx, env, x.ID)
			must(t, "get", err)
			sameRecord(t, "updated session", x, got)
			stale.RevokedAt = at(time.Minute)
			wantErr(t, "stale update", s.UpdateSession(ctx, &stale), store.ErrConflict)
			moved := *x
			moved.EnvironmentID = other
			wantErr(t, "update in other environment", s.UpdateSession(ctx, &moved), store.ErrNotFound)
			wantErr(t, "update missing", s.UpdateSession(ctx, newSession(env, newID(), at(0))), store.ErrNotFound)
			got, err = s.GetSession(ctx, env, x.ID)
			must(t, "get", err)
			sameRecord(t, "session after rejected updates", x, got)
		}},
	}
}
