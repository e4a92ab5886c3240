package sqlite

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/store"
)

// DeleteUser removes the user; a missing one is store.ErrNotFound.
func (s *Store) DeleteUser(ctx context.Context, envID, id string) error {
	return s.deleteOne(ctx, "delete user", qDeleteUser, envID, id)
}

// DeleteApplication removes the application; a missing one is
// store.ErrNotFound.
func (s *Store) DeleteApplication(ctx context.Context, envID, id string) error {
	return s.deleteOne(ctx, "delete application", qDeleteApplication, envID, id)
}

func (s *Store) deleteOne(ctx context.Context, what, query string, args ...any) error {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return mapErr(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(what, err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}
