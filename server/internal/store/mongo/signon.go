package mongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Sessions, refresh tokens, authorization codes and flows: hot, expiring
// records in their own collections.

// CreateSession stores ss; a taken id is store.ErrDuplicate.
func (s *Store) CreateSession(ctx context.Context, ss *store.Session) error {
	return insert(ctx, s.coll(collSessions), "create session", ss)
}

// GetSession returns the session, revoked or expired or not.
func (s *Store) GetSession(ctx context.Context, envID, id string) (*store.Session, error) {
	return findOne[store.Session](ctx, s.coll(collSessions), "get session", key(envID, id))
}

// ListSessions returns the user's sessions, newest first.
func (s *Store) ListSessions(ctx context.Context, envID, userID string) ([]store.Session, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}, {Key: "userId", Value: userID}}
	return findAll[store.Session](ctx, s.coll(collSessions), "list sessions", filter, options.Find().SetSort(newestFirst()))
}

// UpdateSession is a version compare-and-swap.
func (s *Store) UpdateSession(ctx context.Context, ss *store.Session) error {
	next := *ss
	next.Version++
	if err := compareAndSwap(ctx, s.coll(collSessions), "update session", key(ss.EnvironmentID, ss.ID), ss.Version, &next); err != nil {
		return err
	}
	ss.Version = next.Version
	return nil
}

// CreateRefreshToken stores t; a taken id is store.ErrDuplicate.
func (s *Store) CreateRefreshToken(ctx context.Context, t *store.RefreshToken) error {
	return insert(ctx, s.coll(collRefreshTokens), "create refresh token", t)
}

// UseRefreshToken marks the token used at now and returns it. A reused
// token comes back with store.ErrConflict so the caller can revoke its
// session; a missing or expired one is store.ErrNotFound.
func (s *Store) UseRefreshToken(ctx context.Context, envID, id string, now time.Time) (*store.RefreshToken, error) {
	return useOnce[store.RefreshToken](ctx, s.coll(collRefreshTokens), "use refresh token", key(envID, id), now)
}

// CreateAuthCode stores c; a taken id is store.ErrDuplicate.
func (s *Store) CreateAuthCode(ctx context.Context, c *store.AuthCode) error {
	return insert(ctx, s.coll(collAuthCodes), "create auth code", c)
}

// UseAuthCode marks the code used, as UseRefreshToken.
func (s *Store) UseAuthCode(ctx context.Context, envID, id string, now time.Time) (*store.AuthCode, error) {
	return useOnce[store.AuthCode](ctx, s.coll(collAuthCodes), "use auth code", key(envID, id), now)
}

// CreateFlow stores f; a taken id is store.ErrDuplicate.
func (s *Store) CreateFlow(ctx context.Context, f *store.Flow) error {
	return insert(ctx, s.coll(collFlows), "create flow", f)
}

// GetFlow returns the flow while it has not expired.
func (s *Store) GetFlow(ctx context.Context, envID, id string, now time.Time) (*store.Flow, error) {
	filter := append(key(envID, id), bson.E{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: now}}})
	return findOne[store.Flow](ctx, s.coll(collFlows), "get flow", filter)
}

// UpdateFlow is a version compare-and-swap.
func (s *Store) UpdateFlow(ctx context.Context, f *store.Flow) error {
	next := *f
	next.Version++
	if err := compareAndSwap(ctx, s.coll(collFlows), "update flow", key(f.EnvironmentID, f.ID), f.Version, &next); err != nil {
		return err
	}
	f.Version = next.Version
	return nil
}
