// Package mongo is the MongoDB backend of the store: production and
// scale-out (replica sets, sharded clusters, Atlas), chosen when MONGODB_URI
// is set.
//
// Every invariant is one single-document atomic operation, never a
// transaction: version compare-and-swap on {environmentId, _id, version},
// "use once" as a findOneAndUpdate guarded on usedAt being zero, counters as
// $inc on a live counter. Every query on a tenant's data starts with
// environmentId, the intended shard key prefix, so the unique indexes
// ({environmentId, username}) stay possible on a sharded cluster.
//
// The backend is tested against FerretDB v1 (see ferrettest), so it keeps to
// what FerretDB implements: no $lookup, $facet, positional $, arrayFilters,
// partialFilterExpression, multi-accumulator $group, conditional $pull or
// pipeline updates. FerretDB also refuses TTL indexes: Open tries to create
// them and, when the server answers NotImplemented, creates plain expiresAt
// indexes instead and leaves expired records to Sweep.
package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"

	"github.com/myaccount/myaccount/server/internal/store"
)

// DefaultDatabase is used when neither Config.Database nor the URI names one.
const DefaultDatabase = "myaccount"

// Collection names.
const (
	collEnvironments  = "environments"
	collUsers         = "users"
	collApplications  = "applications"
	collSigningKeys   = "signingKeys"
	collSessions      = "sessions"
	collRefreshTokens = "refreshTokens"
	collAuthCodes     = "authCodes"
	collFlows         = "flows"
	collCounters      = "counters"
	collOutbox        = "outbox"
	collEvents        = "events"
	// collExternalIdentities: _id is store.ExternalIdentityID, unique.
	collExternalIdentities = "externalIdentities"
)

// Server error codes.
const (
	// codeInternalError is what FerretDB v1 answers when an update breaks a
	// unique index (MongoDB answers DuplicateKey, 11000).
	codeInternalError = 1
	// codeNotImplemented is what FerretDB answers for index options it
	// lacks (expireAfterSeconds among them).
	codeNotImplemented = 238
)

// Config configures Open.
type Config struct {
	// URI is the MongoDB connection string (MONGODB_URI).
	URI string
	// Database overrides the database named in URI; when both are empty,
	// DefaultDatabase is used.
	Database string
	// Logger receives start-up notes; nil discards them.
	Logger *slog.Logger
}

// Store is the MongoDB store. It is safe for concurrent use.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	log    *slog.Logger
	ttl    bool
}

var _ store.Store = (*Store)(nil)

// Open connects to MongoDB with majority write concern and retryable writes
// and reads, and creates the indexes (idempotently: a second Open, or two
// servers starting at once, changes nothing).
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, errors.New("open mongo store: empty URI")
	}
	cs, err := connstring.ParseAndValidate(cfg.URI)
	if err != nil {
		// The connection string may hold a password: do not echo it.
		return nil, errors.New("open mongo store: invalid URI")
	}
	dbName := cfg.Database
	if dbName == "" {
		dbName = cs.Database
	}
	if dbName == "" {
		dbName = DefaultDatabase
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	opts := options.Client().ApplyURI(cfg.URI).
		SetWriteConcern(writeconcern.Majority()).
		SetRetryWrites(true).
		SetRetryReads(true)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("open mongo store: %w", err)
	}
	s := &Store{client: client, db: client.Database(dbName), log: logger}
	if err := s.createIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("open mongo store: %w", err)
	}
	return s, nil
}

// index is one secondary index.
type index struct {
	keys   bson.D
	unique bool
}

// createIndexes creates every index; creating an existing one is a no-op.
func (s *Store) createIndexes(ctx context.Context) error {
	env := func(more ...bson.E) bson.D {
		return append(bson.D{{Key: "environmentId", Value: 1}}, more...)
	}
	userID := bson.E{Key: "userId", Value: 1}
	id := bson.E{Key: "_id", Value: 1}
	created := bson.E{Key: "createdAt", Value: -1}
	indexes := map[string][]index{
		collUsers: {
			{keys: env(bson.E{Key: "username", Value: 1}), unique: true},
			{keys: env(id)}, // ListUsers pages by id within an environment
		},
		collApplications:  {{keys: env(id)}},
		collSigningKeys:   {{keys: env(created)}},
		collSessions:      {{keys: env(userID, created)}},
		collRefreshTokens: {{keys: env(userID)}},
		collAuthCodes:     {{keys: env(userID)}},
		collFlows:         {{keys: env(userID)}},
		collOutbox:        {{keys: env(created)}},
		collEvents:        {{keys: env(userID, created)}, {keys: env(created)}},
	}
	// One index per createIndexes command: FerretDB v1 panics (and drops
	// the connection) when one command names two indexes that both exist
	// already, which is every Open after the first.
	for coll, list := range indexes {
		for _, ix := range list {
			m := mongo.IndexModel{Keys: ix.keys}
			if ix.unique {
				m.Options = options.Index().SetUnique(true)
			}
			if _, err := s.db.Collection(coll).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("create index on %s: %w", coll, err)
			}
		}
	}

	// Expiring records: a TTL index where the server has them (MongoDB
	// deletes expired documents itself), else a plain index for Sweep.
	s.ttl = true
	for _, coll := range expiringCollections() {
		if err := s.createExpiryIndex(ctx, coll); err != nil {
			return err
		}
	}
	if !s.ttl {
		s.log.Info("mongo store: the server refuses TTL indexes; expired records are removed by the periodic sweep only")
	}
	return nil
}

// expiringCollections hold records with expiresAt, removed by Sweep.
func expiringCollections() []string {
	return []string{collFlows, collAuthCodes, collRefreshTokens, collSessions, collCounters, collOutbox, collEvents}
}

func (s *Store) createExpiryIndex(ctx context.Context, coll string) error {
	keys := bson.D{{Key: "expiresAt", Value: 1}}
	iv := s.db.Collection(coll).Indexes()
	if s.ttl {
		_, err := iv.CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: options.Index().SetExpireAfterSeconds(0)})
		var ce mongo.CommandError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ce) && ce.Code == codeNotImplemented:
			s.ttl = false // FerretDB: fall through to a plain index
		default:
			return fmt.Errorf("create ttl index on %s: %w", coll, err)
		}
	}
	if _, err := iv.CreateOne(ctx, mongo.IndexModel{Keys: keys}); err != nil {
		return fmt.Errorf("create expiry index on %s: %w", coll, err)
	}
	return nil
}

// TTL reports whether the server accepted TTL indexes (false on FerretDB).
func (s *Store) TTL() bool { return s.ttl }

// Backend names the backend for the start-up log line.
func (s *Store) Backend() string { return "mongo" }

// Ping checks the primary answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("ping mongo: %w", err)
	}
	return nil
}

// Close disconnects, waiting at most ten seconds for operations in flight.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("close mongo store: %w", err)
	}
	return nil
}

// Sweep deletes every record whose expiresAt is at or before now. It is the
// one query without an environment id: it is maintenance across tenants.
func (s *Store) Sweep(ctx context.Context, now time.Time) (int, error) {
	filter := bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now}}}}
	total := 0
	for _, coll := range expiringCollections() {
		res, err := s.db.Collection(coll).DeleteMany(ctx, filter)
		if err != nil {
			return total, fmt.Errorf("sweep %s: %w", coll, err)
		}
		total += int(res.DeletedCount)
	}
	return total, nil
}

// coll returns a collection of the store's database.
func (s *Store) coll(name string) *mongo.Collection { return s.db.Collection(name) }

// key is the filter of one record of a tenant: environmentId first.
func key(envID, id string) bson.D {
	return bson.D{{Key: "environmentId", Value: envID}, {Key: "_id", Value: id}}
}

// mapErr wraps err with op and maps the driver's errors to the store's.
func mapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isDuplicate(err):
		return fmt.Errorf("%s: %w", op, store.ErrDuplicate)
	case errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
}

// isDuplicate reports a unique index refusing a write. Besides MongoDB's
// duplicate key errors it recognises FerretDB v1's answer to an update that
// breaks a unique index (renaming a user onto a taken username): an
// InternalError carrying SQLite's constraint message. The message test is
// narrow on purpose; no other internal error is taken for a duplicate.
func isDuplicate(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorCodeWithMessage(codeInternalError, "UNIQUE constraint failed")
}

// insert adds doc; a taken unique key is store.ErrDuplicate.
func insert(ctx context.Context, c *mongo.Collection, op string, doc any) error {
	_, err := c.InsertOne(ctx, doc)
	return mapErr(op, err)
}

// findOne returns the document filter matches, or store.ErrNotFound.
func findOne[T any](ctx context.Context, c *mongo.Collection, op string, filter bson.D) (*T, error) {
	var v T
	if err := c.FindOne(ctx, filter).Decode(&v); err != nil {
		return nil, mapErr(op, err)
	}
	return &v, nil
}

// findAll returns every document filter matches, in the order of opts; an
// empty result is an empty slice.
func findAll[T any](ctx context.Context, c *mongo.Collection, op string, filter bson.D, opts *options.FindOptionsBuilder) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, mapErr(op, err)
	}
	return out, nil
}

// newestFirst sorts by creation time, descending, ties by id.
func newestFirst() bson.D {
	return bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}
}

// compareAndSwap replaces the record filter names if its stored version is
// still version; doc carries version+1. A record that is there with another
// version is store.ErrConflict; one that is not is store.ErrNotFound.
func compareAndSwap(ctx context.Context, c *mongo.Collection, op string, filter bson.D, version int64, doc any) error {
	guarded := append(filter[:len(filter):len(filter)], bson.E{Key: "version", Value: version})
	res, err := c.ReplaceOne(ctx, guarded, doc)
	if err != nil {
		return mapErr(op, err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := c.CountDocuments(ctx, filter, options.Count().SetLimit(1))
	if err != nil {
		return mapErr(op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", op, store.ErrConflict)
}

// useOnce sets usedAt = now on the live, unused record of filter and returns
// it. Of parallel callers exactly one matches the usedAt-zero guard; the
// others get the record back with store.ErrConflict (reuse). A missing or
// expired record is store.ErrNotFound.
func useOnce[T any](ctx context.Context, c *mongo.Collection, op string, filter bson.D, now time.Time) (*T, error) {
	guarded := append(filter[:len(filter):len(filter)],
		bson.E{Key: "usedAt", Value: time.Time{}},
		bson.E{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: now}}},
	)
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: now}}}}
	var v T
	err := c.FindOneAndUpdate(ctx, guarded, update, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&v)
	if err == nil {
		return &v, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, mapErr(op, err)
	}
	live := append(filter[:len(filter):len(filter)], bson.E{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: now}}})
	got, err := findOne[T](ctx, c, op, live)
	if err != nil {
		return nil, err
	}
	return got, fmt.Errorf("%s: %w", op, store.ErrConflict)
}
