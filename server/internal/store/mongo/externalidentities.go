package mongo

import (
	"context"
	"fmt"

	"github.com/myaccount/myaccount/server/internal/store"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// ClaimExternalIdentity stores x under _id store.ExternalIdentityID: the
// _id index makes (issuer, subject) unique per environment, so a second
// claim is store.ErrDuplicate.
func (s *Store) ClaimExternalIdentity(ctx context.Context, x *store.ExternalIdentity) error {
	x.ID = store.ExternalIdentityID(x.EnvironmentID, x.Issuer, x.Subject)
	return insert(ctx, s.coll(collExternalIdentities), "claim external identity", x)
}

// GetExternalIdentity returns the claim of (issuer, subject).
func (s *Store) GetExternalIdentity(ctx context.Context, envID, issuer, subject string) (*store.ExternalIdentity, error) {
	return findOne[store.ExternalIdentity](ctx, s.coll(collExternalIdentities), "get external identity",
		key(envID, store.ExternalIdentityID(envID, issuer, subject)))
}

// ReleaseExternalIdentity deletes userID's claim of (issuer, subject).
func (s *Store) ReleaseExternalIdentity(ctx context.Context, envID, issuer, subject, userID string) error {
	f := append(key(envID, store.ExternalIdentityID(envID, issuer, subject)), bson.E{Key: "userId", Value: userID})
	res, err := s.coll(collExternalIdentities).DeleteOne(ctx, f)
	if err != nil {
		return mapErr("release external identity", err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("release external identity: %w", store.ErrNotFound)
	}
	return nil
}
