package storetest

import (
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
)

// deleteCases: deleting a user or an application removes exactly that
// record of that environment; a missing one, or one named under another
// environment, is ErrNotFound; the username is free again.
func deleteCases() []testCase {
	return []testCase{
		{name: "User/Delete", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			u, keep := newUser(env, "gone"), newUser(env, "kept")
			must(t, "create", s.CreateUser(ctx, u))
			must(t, "create kept", s.CreateUser(ctx, keep))
			wantErr(t, "other environment", s.DeleteUser(ctx, other, u.ID), store.ErrNotFound)
			must(t, "delete", s.DeleteUser(ctx, env, u.ID))
			_, err := s.GetUser(ctx, env, u.ID)
			wantErr(t, "get deleted", err, store.ErrNotFound)
			_, err = s.GetUserByUsername(ctx, env, "gone")
			wantErr(t, "by username", err, store.ErrNotFound)
			wantErr(t, "delete again", s.DeleteUser(ctx, env, u.ID), store.ErrNotFound)
			if _, err := s.GetUser(ctx, env, keep.ID); err != nil {
				t.Fatalf("the other user went too: %v", err)
			}
			must(t, "username free again", s.CreateUser(ctx, newUser(env, "gone")))
		}},
		{name: "Application/Delete", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			a, keep := newApplication(env), newApplication(env)
			must(t, "create", s.CreateApplication(ctx, a))
			must(t, "create kept", s.CreateApplication(ctx, keep))
			wantErr(t, "other environment", s.DeleteApplication(ctx, other, a.ID), store.ErrNotFound)
			must(t, "delete", s.DeleteApplication(ctx, env, a.ID))
			_, err := s.GetApplication(ctx, env, a.ID)
			wantErr(t, "get deleted", err, store.ErrNotFound)
			wantErr(t, "delete again", s.DeleteApplication(ctx, env, a.ID), store.ErrNotFound)
			list, err := s.ListApplications(ctx, env)
			must(t, "list", err)
			if len(list) != 1 || list[0].ID != keep.ID {
				t.Fatalf("left %d applications, want only the kept one", len(list))
			}
		}},
	}
}
