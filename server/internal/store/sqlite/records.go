package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// The docs of versioned records carry the version they are stored at: an
// update writes the doc of version+1 under the guard "version = old".

// CreateEnvironment stores e.
func (s *Store) CreateEnvironment(ctx context.Context, e *store.Environment) error {
	doc, err := encode(e)
	if err != nil {
		return fmt.Errorf("create environment: %w", err)
	}
	return s.insert(ctx, "create environment", qCreateEnvironment, e.ID, e.Version, doc)
}

// GetEnvironment returns the environment.
func (s *Store) GetEnvironment(ctx context.Context, id string) (*store.Environment, error) {
	return getDoc[store.Environment](ctx, s, "get environment", qGetEnvironment, id)
}

// ListEnvironments returns every environment in id order.
func (s *Store) ListEnvironments(ctx context.Context) ([]store.Environment, error) {
	return listDocs[store.Environment](ctx, s, "list environments", qListEnvironments)
}

// UpdateEnvironment is a version compare-and-swap.
func (s *Store) UpdateEnvironment(ctx context.Context, e *store.Environment) error {
	next := *e
	next.Version++
	doc, err := encode(&next)
	if err != nil {
		return fmt.Errorf("update environment: %w", err)
	}
	return s.casUpdate(ctx, "update environment", &e.Version,
		qUpdateEnvironment, []any{doc, e.ID, e.Version},
		qEnvironmentExists, []any{e.ID})
}

// CreateUser stores u; its id and its username must be free.
func (s *Store) CreateUser(ctx context.Context, u *store.User) error {
	doc, err := encode(u)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return s.insert(ctx, "create user", qCreateUser, u.EnvironmentID, u.ID, u.Username, u.Version, doc)
}

// GetUser returns the user.
func (s *Store) GetUser(ctx context.Context, envID, id string) (*store.User, error) {
	return getDoc[store.User](ctx, s, "get user", qGetUser, envID, id)
}

// GetUserByUsername returns the user with exactly that username.
func (s *Store) GetUserByUsername(ctx context.Context, envID, username string) (*store.User, error) {
	return getDoc[store.User](ctx, s, "get user by username", qGetUserByUsername, envID, username)
}

// ListUsers returns a page of users in id order.
func (s *Store) ListUsers(ctx context.Context, envID string, p store.Page) ([]store.User, error) {
	return listDocs[store.User](ctx, s, "list users", qListUsers, envID, p.After, limit(p.Limit))
}

// ListUsersByUsername lists the users whose username starts with prefix,
// by username, over the (env_id, username) index.
func (s *Store) ListUsersByUsername(ctx context.Context, envID, prefix string, p store.Page) ([]store.User, error) {
	return listDocs[store.User](ctx, s, "list users by username", qListUsersByName,
		envID, prefix, store.PrefixEnd(prefix), p.After, limit(p.Limit))
}

// UpdateUser is a version compare-and-swap; a username taken by another
// user is ErrDuplicate.
func (s *Store) UpdateUser(ctx context.Context, u *store.User) error {
	next := *u
	next.Version++
	doc, err := encode(&next)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return s.casUpdate(ctx, "update user", &u.Version,
		qUpdateUser, []any{u.Username, doc, u.EnvironmentID, u.ID, u.Version},
		qUserExists, []any{u.EnvironmentID, u.ID})
}

// CreateApplication stores a.
func (s *Store) CreateApplication(ctx context.Context, a *store.Application) error {
	doc, err := encode(a)
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	return s.insert(ctx, "create application", qCreateApplication, a.EnvironmentID, a.ID, a.Version, doc)
}

// GetApplication returns the application.
func (s *Store) GetApplication(ctx context.Context, envID, id string) (*store.Application, error) {
	return getDoc[store.Application](ctx, s, "get application", qGetApplication, envID, id)
}

// ListApplications returns the environment's applications in id order.
func (s *Store) ListApplications(ctx context.Context, envID string) ([]store.Application, error) {
	return listDocs[store.Application](ctx, s, "list applications", qListApplications, envID)
}

// UpdateApplication is a version compare-and-swap.
func (s *Store) UpdateApplication(ctx context.Context, a *store.Application) error {
	next := *a
	next.Version++
	doc, err := encode(&next)
	if err != nil {
		return fmt.Errorf("update application: %w", err)
	}
	return s.casUpdate(ctx, "update application", &a.Version,
		qUpdateApplication, []any{doc, a.EnvironmentID, a.ID, a.Version},
		qApplicationExists, []any{a.EnvironmentID, a.ID})
}

// CreateSigningKey stores k.
func (s *Store) CreateSigningKey(ctx context.Context, k *store.SigningKey) error {
	doc, err := encode(k)
	if err != nil {
		return fmt.Errorf("create signing key: %w", err)
	}
	return s.insert(ctx, "create signing key", qCreateSigningKey, k.EnvironmentID, k.ID, ms(k.CreatedAt), doc)
}

// ListSigningKeys returns the environment's keys, newest first.
func (s *Store) ListSigningKeys(ctx context.Context, envID string) ([]store.SigningKey, error) {
	return listDocs[store.SigningKey](ctx, s, "list signing keys", qListSigningKeys, envID)
}

// CreateSession stores x.
func (s *Store) CreateSession(ctx context.Context, x *store.Session) error {
	doc, err := encode(x)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return s.insert(ctx, "create session", qCreateSession,
		x.EnvironmentID, x.ID, x.UserID, ms(x.CreatedAt), ms(x.ExpiresAt), x.Version, doc)
}

// GetSession returns the session, revoked or expired included.
func (s *Store) GetSession(ctx context.Context, envID, id string) (*store.Session, error) {
	return getDoc[store.Session](ctx, s, "get session", qGetSession, envID, id)
}

// ListSessions returns the user's sessions, newest first.
func (s *Store) ListSessions(ctx context.Context, envID, userID string) ([]store.Session, error) {
	return listDocs[store.Session](ctx, s, "list sessions", qListSessions, envID, userID)
}

// UpdateSession is a version compare-and-swap.
func (s *Store) UpdateSession(ctx context.Context, x *store.Session) error {
	next := *x
	next.Version++
	doc, err := encode(&next)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	return s.casUpdate(ctx, "update session", &x.Version,
		qUpdateSession, []any{x.UserID, ms(x.CreatedAt), ms(x.ExpiresAt), doc, x.EnvironmentID, x.ID, x.Version},
		qSessionExists, []any{x.EnvironmentID, x.ID})
}

// CreateRefreshToken stores t.
func (s *Store) CreateRefreshToken(ctx context.Context, t *store.RefreshToken) error {
	doc, err := encode(t)
	if err != nil {
		return fmt.Errorf("create refresh token: %w", err)
	}
	return s.insert(ctx, "create refresh token", qCreateRefreshToken,
		t.EnvironmentID, t.ID, nullMS(t.UsedAt), ms(t.ExpiresAt), doc)
}

// UseRefreshToken marks the token used (see store.RefreshTokens).
func (s *Store) UseRefreshToken(ctx context.Context, envID, id string, now time.Time) (*store.RefreshToken, error) {
	return useOnce[store.RefreshToken](ctx, s, "use refresh token", qUseRefreshToken, qGetRefreshToken, envID, id, now)
}

// CreateAuthCode stores c.
func (s *Store) CreateAuthCode(ctx context.Context, c *store.AuthCode) error {
	doc, err := encode(c)
	if err != nil {
		return fmt.Errorf("create auth code: %w", err)
	}
	return s.insert(ctx, "create auth code", qCreateAuthCode,
		c.EnvironmentID, c.ID, nullMS(c.UsedAt), ms(c.ExpiresAt), doc)
}

// UseAuthCode marks the code used (see store.AuthCodes).
func (s *Store) UseAuthCode(ctx context.Context, envID, id string, now time.Time) (*store.AuthCode, error) {
	return useOnce[store.AuthCode](ctx, s, "use auth code", qUseAuthCode, qGetAuthCode, envID, id, now)
}

// useOnce runs a use-once guard: one UPDATE … WHERE used_at IS NULL …
// RETURNING decides the winner; a loser reads the record to tell "used"
// (ErrConflict, with the record) from "unknown or expired" (ErrNotFound).
func useOnce[R any](ctx context.Context, s *Store, what, use, get, envID, id string, now time.Time) (*R, error) {
	var doc string
	err := s.queryRow(ctx, true, use, []any{ms(now), jsonTime(now), envID, id}, &doc)
	if err == nil {
		r, err := decode[R](doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return r, nil
	}
	if err := mapErr(what, err); !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var expires int64
	if err := s.queryRow(ctx, false, get, []any{envID, id}, &expires, &doc); err != nil {
		return nil, mapErr(what, err)
	}
	if expires <= ms(now) {
		return nil, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	r, err := decode[R](doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return r, fmt.Errorf("%s: %w", what, store.ErrConflict)
}

// CreateFlow stores f.
func (s *Store) CreateFlow(ctx context.Context, f *store.Flow) error {
	doc, err := encode(f)
	if err != nil {
		return fmt.Errorf("create flow: %w", err)
	}
	return s.insert(ctx, "create flow", qCreateFlow, f.EnvironmentID, f.ID, ms(f.ExpiresAt), f.Version, doc)
}

// GetFlow returns the flow unless it expired.
func (s *Store) GetFlow(ctx context.Context, envID, id string, now time.Time) (*store.Flow, error) {
	return getDoc[store.Flow](ctx, s, "get flow", qGetFlow, envID, id, ms(now))
}

// UpdateFlow is a version compare-and-swap.
func (s *Store) UpdateFlow(ctx context.Context, f *store.Flow) error {
	next := *f
	next.Version++
	doc, err := encode(&next)
	if err != nil {
		return fmt.Errorf("update flow: %w", err)
	}
	return s.casUpdate(ctx, "update flow", &f.Version,
		qUpdateFlow, []any{ms(f.ExpiresAt), doc, f.EnvironmentID, f.ID, f.Version},
		qFlowExists, []any{f.EnvironmentID, f.ID})
}

// Incr adds one to the counter in one upsert (see store.Counters).
func (s *Store) Incr(ctx context.Context, envID, key string, now time.Time, window time.Duration) (int64, time.Time, error) {
	var n, exp int64
	err := s.queryRow(ctx, true, qIncr, []any{envID, key, ms(now.Add(window)), ms(now)}, &n, &exp)
	if err != nil {
		return 0, time.Time{}, mapErr("incr counter", err)
	}
	return n, fromMS(exp), nil
}

// Count returns the counter's live value, 0 when missing or expired.
func (s *Store) Count(ctx context.Context, envID, key string, now time.Time) (int64, time.Time, error) {
	var n, exp int64
	err := s.queryRow(ctx, false, qCount, []any{envID, key, ms(now)}, &n, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, mapErr("count counter", err)
	}
	return n, fromMS(exp), nil
}

// Reset deletes the counter.
func (s *Store) Reset(ctx context.Context, envID, key string) error {
	_, err := s.exec(ctx, qReset, envID, key)
	return mapErr("reset counter", err)
}

// AddOutboxMessage stores m.
func (s *Store) AddOutboxMessage(ctx context.Context, m *store.OutboxMessage) error {
	doc, err := encode(m)
	if err != nil {
		return fmt.Errorf("add outbox message: %w", err)
	}
	return s.insert(ctx, "add outbox message", qAddOutboxMessage,
		m.EnvironmentID, m.ID, ms(m.CreatedAt), ms(m.ExpiresAt), doc)
}

// ListOutbox returns the newest messages first, at most limit (all when
// limit <= 0).
func (s *Store) ListOutbox(ctx context.Context, envID string, n int) ([]store.OutboxMessage, error) {
	return listDocs[store.OutboxMessage](ctx, s, "list outbox", qListOutbox, envID, limit(n))
}

// AddEvent stores e.
func (s *Store) AddEvent(ctx context.Context, e *store.Event) error {
	doc, err := encode(e)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return s.insert(ctx, "add event", qAddEvent,
		e.EnvironmentID, e.ID, e.UserID, ms(e.CreatedAt), ms(e.ExpiresAt), doc)
}

// ListEvents returns events newest first, of one user or (userID "") all.
func (s *Store) ListEvents(ctx context.Context, envID, userID string, n int) ([]store.Event, error) {
	if userID == "" {
		return listDocs[store.Event](ctx, s, "list events", qListEvents, envID, limit(n))
	}
	return listDocs[store.Event](ctx, s, "list events", qListUserEvents, envID, userID, limit(n))
}

// Sweep deletes what expired at or before now, table by table (each DELETE
// is its own short write, so a large sweep does not hold the writer long).
func (s *Store) Sweep(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for _, q := range []string{qSweepFlows, qSweepAuthCodes, qSweepRefreshTokens, qSweepSessions,
		qSweepCounters, qSweepOutbox, qSweepEvents} {
		res, err := s.exec(ctx, q, ms(now))
		if err != nil {
			return total, mapErr("sweep", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("sweep: %w", err)
		}
		total += int(n)
	}
	return total, nil
}
