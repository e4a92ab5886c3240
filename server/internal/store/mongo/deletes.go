package mongo

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/store"
)

// DeleteUser removes the user; a missing one is store.ErrNotFound.
func (s *Store) DeleteUser(ctx context.Context, envID, id string) error {
	return s.deleteOne(ctx, collUsers, "delete user", envID, id)
}

// DeleteApplication removes the application; a missing one is
// store.ErrNotFound.
func (s *Store) DeleteApplication(ctx context.Context, envID, id string) error {
	return s.deleteOne(ctx, collApplications, "delete application", envID, id)
}

func (s *Store) deleteOne(ctx context.Context, coll, what, envID, id string) error {
	res, err := s.coll(coll).DeleteOne(ctx, key(envID, id))
	if err != nil {
		return mapErr(what, err)
	}
	if res.DeletedCount == 0 {
		return store.ErrNotFound
	}
	return nil
}
