package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Environments, users, applications and signing keys: long-lived records
// changed by version compare-and-swap.

// CreateEnvironment stores e; a taken id is store.ErrDuplicate.
func (s *Store) CreateEnvironment(ctx context.Context, e *store.Environment) error {
	return insert(ctx, s.coll(collEnvironments), "create environment", e)
}

// envKey filters an environment: its _id is its environment id.
func envKey(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// GetEnvironment returns the environment or store.ErrNotFound.
func (s *Store) GetEnvironment(ctx context.Context, id string) (*store.Environment, error) {
	return findOne[store.Environment](ctx, s.coll(collEnvironments), "get environment", envKey(id))
}

// ListEnvironments returns every environment in id order.
func (s *Store) ListEnvironments(ctx context.Context) ([]store.Environment, error) {
	sort := bson.D{{Key: "_id", Value: 1}}
	return findAll[store.Environment](ctx, s.coll(collEnvironments), "list environments", bson.D{}, options.Find().SetSort(sort))
}

// UpdateEnvironment is a version compare-and-swap.
func (s *Store) UpdateEnvironment(ctx context.Context, e *store.Environment) error {
	next := *e
	next.Version++
	if err := compareAndSwap(ctx, s.coll(collEnvironments), "update environment", envKey(e.ID), e.Version, &next); err != nil {
		return err
	}
	e.Version = next.Version
	return nil
}

// CreateUser stores u; a taken id or username is store.ErrDuplicate.
func (s *Store) CreateUser(ctx context.Context, u *store.User) error {
	return insert(ctx, s.coll(collUsers), "create user", u)
}

// GetUser returns the user or store.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, envID, id string) (*store.User, error) {
	return findOne[store.User](ctx, s.coll(collUsers), "get user", key(envID, id))
}

// GetUserByUsername matches username exactly; it is a value in a typed
// filter, so operator-looking input such as `{"$ne": ""}` stays a string.
func (s *Store) GetUserByUsername(ctx context.Context, envID, username string) (*store.User, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}, {Key: "username", Value: username}}
	return findOne[store.User](ctx, s.coll(collUsers), "get user by username", filter)
}

// ListUsers returns one page of the environment's users in id order; a
// Limit of zero or less means no limit.
func (s *Store) ListUsers(ctx context.Context, envID string, p store.Page) ([]store.User, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}}
	if p.After != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: p.After}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	if p.Limit > 0 {
		opts.SetLimit(int64(p.Limit))
	}
	return findAll[store.User](ctx, s.coll(collUsers), "list users", filter, opts)
}

// ListUsersByUsername lists the users whose username starts with prefix,
// by username, over the (environmentId, username) index.
func (s *Store) ListUsersByUsername(ctx context.Context, envID, prefix string, p store.Page) ([]store.User, error) {
	lower := bson.E{Key: "$gte", Value: prefix}
	if p.After >= prefix {
		lower = bson.E{Key: "$gt", Value: p.After}
	}
	filter := bson.D{{Key: "environmentId", Value: envID},
		{Key: "username", Value: bson.D{lower, {Key: "$lt", Value: store.PrefixEnd(prefix)}}}}
	opts := options.Find().SetSort(bson.D{{Key: "username", Value: 1}})
	if p.Limit > 0 {
		opts.SetLimit(int64(p.Limit))
	}
	return findAll[store.User](ctx, s.coll(collUsers), "list users by username", filter, opts)
}

// UpdateUser is a version compare-and-swap; a new username that is taken is
// store.ErrDuplicate.
func (s *Store) UpdateUser(ctx context.Context, u *store.User) error {
	next := *u
	next.Version++
	if err := compareAndSwap(ctx, s.coll(collUsers), "update user", key(u.EnvironmentID, u.ID), u.Version, &next); err != nil {
		return err
	}
	u.Version = next.Version
	return nil
}

// CreateApplication stores a; a taken id is store.ErrDuplicate.
func (s *Store) CreateApplication(ctx context.Context, a *store.Application) error {
	return insert(ctx, s.coll(collApplications), "create application", a)
}

// GetApplication returns the application or store.ErrNotFound.
func (s *Store) GetApplication(ctx context.Context, envID, id string) (*store.Application, error) {
	return findOne[store.Application](ctx, s.coll(collApplications), "get application", key(envID, id))
}

// ListApplications returns the environment's applications in id order.
func (s *Store) ListApplications(ctx context.Context, envID string) ([]store.Application, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	return findAll[store.Application](ctx, s.coll(collApplications), "list applications", filter, opts)
}

// UpdateApplication is a version compare-and-swap.
func (s *Store) UpdateApplication(ctx context.Context, a *store.Application) error {
	next := *a
	next.Version++
	if err := compareAndSwap(ctx, s.coll(collApplications), "update application", key(a.EnvironmentID, a.ID), a.Version, &next); err != nil {
		return err
	}
	a.Version = next.Version
	return nil
}

// CreateSigningKey stores k; a taken id is store.ErrDuplicate.
func (s *Store) CreateSigningKey(ctx context.Context, k *store.SigningKey) error {
	return insert(ctx, s.coll(collSigningKeys), "create signing key", k)
}

// ListSigningKeys returns the environment's keys, newest first.
func (s *Store) ListSigningKeys(ctx context.Context, envID string) ([]store.SigningKey, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}}
	return findAll[store.SigningKey](ctx, s.coll(collSigningKeys), "list signing keys", filter, options.Find().SetSort(newestFirst()))
}

// listNewest returns the newest records of filter, at most limit (no limit
// when limit <= 0).
func listNewest[T any](ctx context.Context, s *Store, coll, op string, filter bson.D, limit int) ([]T, error) {
	opts := options.Find().SetSort(newestFirst())
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return findAll[T](ctx, s.coll(coll), op, filter, opts)
}
