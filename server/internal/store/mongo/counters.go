package mongo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/myaccount/myaccount/server/internal/store"
)

// counter is the stored form of an expiring counter. Its _id joins the
// environment id and the key, so "one counter per key" is the _id index and
// a racing second insert fails with a duplicate key.
type counter struct {
	ID            string    `bson:"_id"`
	EnvironmentID string    `bson:"environmentId"`
	Key           string    `bson:"key"`
	Count         int64     `bson:"count"`
	ExpiresAt     time.Time `bson:"expiresAt"`
}

// incrAttempts bounds Incr's retries. Each retry means another caller
// created or reset the counter in between, after which $inc matches; more
// than a few means something else is wrong.
const incrAttempts = 5

// counterID joins the environment id and the key. The length prefix keeps
// distinct pairs from ever joining to the same id, whatever characters
// either holds.
func counterID(envID, key string) string {
	return strconv.Itoa(len(envID)) + ":" + envID + ":" + key
}

func counterKey(envID, key string) bson.D {
	return bson.D{{Key: "environmentId", Value: envID}, {Key: "_id", Value: counterID(envID, key)}}
}

// Incr adds one to a live counter, or restarts an expired one at 1, or
// creates a missing one at 1: three single-document operations, each
// atomic, tried in that order until one applies.
func (s *Store) Incr(ctx context.Context, envID, key string, now time.Time, window time.Duration) (int64, time.Time, error) {
	if window <= 0 {
		return 0, time.Time{}, fmt.Errorf("incr counter: window %v is not positive", window)
	}
	c := s.coll(collCounters)
	after := options.FindOneAndUpdate().SetReturnDocument(options.After)
	k := counterKey(envID, key)
	live := append(k[:len(k):len(k)], bson.E{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: now}}})
	expired := append(k[:len(k):len(k)], bson.E{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now}}})
	restart := bson.D{{Key: "$set", Value: bson.D{
		{Key: "count", Value: int64(1)},
		{Key: "expiresAt", Value: now.Add(window)},
	}}}
	for range incrAttempts {
		var got counter
		err := c.FindOneAndUpdate(ctx, live, bson.D{{Key: "$inc", Value: bson.D{{Key: "count", Value: int64(1)}}}}, after).Decode(&got)
		if err == nil {
			return got.Count, got.ExpiresAt, nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return 0, time.Time{}, mapErr("incr counter", err)
		}
		err = c.FindOneAndUpdate(ctx, expired, restart, after).Decode(&got)
		if err == nil {
			return got.Count, got.ExpiresAt, nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return 0, time.Time{}, mapErr("incr counter", err)
		}
		fresh := counter{ID: counterID(envID, key), EnvironmentID: envID, Key: key, Count: 1, ExpiresAt: now.Add(window)}
		_, err = c.InsertOne(ctx, fresh)
		if err == nil {
			// Return the expiry as stored (UTC, milliseconds), as the other
			// two paths return it.
			return fresh.Count, time.UnixMilli(fresh.ExpiresAt.UnixMilli()).UTC(), nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return 0, time.Time{}, mapErr("incr counter", err)
		}
		// Another caller created it first: increment theirs.
	}
	return 0, time.Time{}, fmt.Errorf("incr counter: gave up after %d attempts: %w", incrAttempts, store.ErrConflict)
}

// Count returns the counter's value, 0 when missing or expired.
func (s *Store) Count(ctx context.Context, envID, key string, now time.Time) (int64, time.Time, error) {
	filter := append(counterKey(envID, key), bson.E{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: now}}})
	got, err := findOne[counter](ctx, s.coll(collCounters), "count", filter)
	if errors.Is(err, store.ErrNotFound) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, err
	}
	return got.Count, got.ExpiresAt, nil
}

// Reset deletes the counter; a missing one is no error.
func (s *Store) Reset(ctx context.Context, envID, key string) error {
	if _, err := s.coll(collCounters).DeleteOne(ctx, counterKey(envID, key)); err != nil {
		return mapErr("reset counter", err)
	}
	return nil
}
