package storetest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// memStore is a reference in-memory store.Store. It exists to test the
// suite itself: correct (racy false) it must pass Run, proving the suite's
// expectations are consistent; racy, each guarded write is split into a
// check and a write in two lock sections with a runtime.Gosched between
// (the classic read-modify-write bug), and the concurrency checks must
// catch it.
type memStore struct {
	racy bool

	mu       sync.Mutex
	envs     map[string]*store.Environment
	users    map[mkey]*store.User
	apps     map[mkey]*store.Application
	keys     map[mkey]*store.SigningKey
	sessions map[mkey]*store.Session
	tokens   map[mkey]*store.RefreshToken
	codes    map[mkey]*store.AuthCode
	flows    map[mkey]*store.Flow
	counters map[mkey]*memCounter
	outbox   map[mkey]*store.OutboxMessage
	events   map[mkey]*store.Event
	external map[mkey]*store.ExternalIdentity
}

type mkey struct{ env, id string }

type memCounter struct {
	n   int64
	exp time.Time
}

func newMemStore(racy bool) *memStore {
	return &memStore{
		racy:     racy,
		envs:     map[string]*store.Environment{},
		users:    map[mkey]*store.User{},
		apps:     map[mkey]*store.Application{},
		keys:     map[mkey]*store.SigningKey{},
		sessions: map[mkey]*store.Session{},
		tokens:   map[mkey]*store.RefreshToken{},
		codes:    map[mkey]*store.AuthCode{},
		flows:    map[mkey]*store.Flow{},
		counters: map[mkey]*memCounter{},
		outbox:   map[mkey]*store.OutboxMessage{},
		events:   map[mkey]*store.Event{},
	}
}

var _ store.Store = (*memStore)(nil)

// gap is where a racy store lets other callers in between its check and
// its write. Call it with m.mu held.
func (m *memStore) gap() {
	if m.racy {
		m.mu.Unlock()
		runtime.Gosched()
		m.mu.Lock()
	}
}

// clone deep-copies a record as a backend would store it: a JSON round trip,
// times cut to milliseconds in UTC.
func clone[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("clone: %v", err))
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("clone: %v", err))
	}
	store.NormalizeTimes(out)
	return out
}

func newestFirst[R any](rs []R, created func(R) time.Time, id func(R) string) {
	slices.SortFunc(rs, func(a, b R) int {
		if c := created(b).Compare(created(a)); c != 0 {
			return c
		}
		return cmp.Compare(id(b), id(a))
	})
}

func (m *memStore) CreateEnvironment(_ context.Context, e *store.Environment) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.envs[e.ID]; ok {
		return store.ErrDuplicate
	}
	m.envs[e.ID] = clone(e)
	return nil
}

func (m *memStore) GetEnvironment(_ context.Context, id string) (*store.Environment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.envs[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return clone(e), nil
}

func (m *memStore) ListEnvironments(context.Context) ([]store.Environment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Environment
	for _, e := range m.envs {
		out = append(out, *clone(e))
	}
	slices.SortFunc(out, func(a, b store.Environment) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *memStore) UpdateEnvironment(_ context.Context, e *store.Environment) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.envs[e.ID]
	switch {
	case !ok:
		return store.ErrNotFound
	case cur.Version != e.Version:
		return store.ErrConflict
	}
	next := clone(e)
	next.Version++
	m.envs[e.ID] = next
	e.Version = next.Version
	return nil
}

func (m *memStore) usernameTaken(env, username, exceptID string) bool {
	for k, u := range m.users {
		if k.env == env && u.Username == username && k.id != exceptID {
			return true
		}
	}
	return false
}

func (m *memStore) CreateUser(_ context.Context, u *store.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{u.EnvironmentID, u.ID}
	if _, ok := m.users[k]; ok || m.usernameTaken(u.EnvironmentID, u.Username, "") {
		return store.ErrDuplicate
	}
	m.gap()
	m.users[k] = clone(u)
	return nil
}

func (m *memStore) GetUser(_ context.Context, envID, id string) (*store.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[mkey{envID, id}]
	if !ok {
		return nil, store.ErrNotFound
	}
	return clone(u), nil
}

func (m *memStore) GetUserByUsername(_ context.Context, envID, username string) (*store.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, u := range m.users {
		if k.env == envID && u.Username == username {
			return clone(u), nil
		}
	}
	return nil, store.ErrNotFound
}

func (m *memStore) ListUsersByUsername(_ context.Context, envID, prefix string, p store.Page) ([]store.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.User
	for k, u := range m.users {
		if k.env == envID && strings.HasPrefix(u.Username, prefix) && u.Username > p.After {
			out = append(out, *clone(u))
		}
	}
	slices.SortFunc(out, func(a, b store.User) int { return cmp.Compare(a.Username, b.Username) })
	if p.Limit > 0 && len(out) > p.Limit {
		out = out[:p.Limit]
	}
	return out, nil
}

func (m *memStore) ListUsers(_ context.Context, envID string, p store.Page) ([]store.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.User
	for k, u := range m.users {
		if k.env == envID && k.id > p.After {
			out = append(out, *clone(u))
		}
	}
	slices.SortFunc(out, func(a, b store.User) int { return cmp.Compare(a.ID, b.ID) })
	if p.Limit > 0 && len(out) > p.Limit {
		out = out[:p.Limit]
	}
	return out, nil
}

func (m *memStore) UpdateUser(_ context.Context, u *store.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{u.EnvironmentID, u.ID}
	cur, ok := m.users[k]
	switch {
	case !ok:
		return store.ErrNotFound
	case cur.Version != u.Version:
		return store.ErrConflict
	case m.usernameTaken(u.EnvironmentID, u.Username, u.ID):
		return store.ErrDuplicate
	}
	m.gap()
	next := clone(u)
	next.Version++
	m.users[k] = next
	u.Version = next.Version
	return nil
}

func (m *memStore) CreateApplication(_ context.Context, a *store.Application) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{a.EnvironmentID, a.ID}
	if _, ok := m.apps[k]; ok {
		return store.ErrDuplicate
	}
	m.apps[k] = clone(a)
	return nil
}

func (m *memStore) GetApplication(_ context.Context, envID, id string) (*store.Application, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.apps[mkey{envID, id}]
	if !ok {
		return nil, store.ErrNotFound
	}
	return clone(a), nil
}

func (m *memStore) ListApplications(_ context.Context, envID string) ([]store.Application, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Application
	for k, a := range m.apps {
		if k.env == envID {
			out = append(out, *clone(a))
		}
	}
	slices.SortFunc(out, func(a, b store.Application) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *memStore) UpdateApplication(_ context.Context, a *store.Application) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{a.EnvironmentID, a.ID}
	cur, ok := m.apps[k]
	switch {
	case !ok:
		return store.ErrNotFound
	case cur.Version != a.Version:
		return store.ErrConflict
	}
	next := clone(a)
	next.Version++
	m.apps[k] = next
	a.Version = next.Version
	return nil
}

func (m *memStore) CreateSigningKey(_ context.Context, sk *store.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{sk.EnvironmentID, sk.ID}
	if _, ok := m.keys[k]; ok {
		return store.ErrDuplicate
	}
	m.keys[k] = clone(sk)
	return nil
}

func (m *memStore) ListSigningKeys(_ context.Context, envID string) ([]store.SigningKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.SigningKey
	for k, sk := range m.keys {
		if k.env == envID {
			out = append(out, *clone(sk))
		}
	}
	newestFirst(out, func(k store.SigningKey) time.Time { return k.CreatedAt }, func(k store.SigningKey) string { return k.ID })
	return out, nil
}

func (m *memStore) CreateSession(_ context.Context, s *store.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{s.EnvironmentID, s.ID}
	if _, ok := m.sessions[k]; ok {
		return store.ErrDuplicate
	}
	m.sessions[k] = clone(s)
	return nil
}

func (m *memStore) GetSession(_ context.Context, envID, id string) (*store.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[mkey{envID, id}]
	if !ok {
		return nil, store.ErrNotFound
	}
	return clone(s), nil
}

func (m *memStore) ListSessions(_ context.Context, envID, userID string) ([]store.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Session
	for k, s := range m.sessions {
		if k.env == envID && s.UserID == userID {
			out = append(out, *clone(s))
		}
	}
	newestFirst(out, func(s store.Session) time.Time { return s.CreatedAt }, func(s store.Session) string { return s.ID })
	return out, nil
}

func (m *memStore) UpdateSession(_ context.Context, s *store.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{s.EnvironmentID, s.ID}
	cur, ok := m.sessions[k]
	switch {
	case !ok:
		return store.ErrNotFound
	case cur.Version != s.Version:
		return store.ErrConflict
	}
	next := clone(s)
	next.Version++
	m.sessions[k] = next
	s.Version = next.Version
	return nil
}

func (m *memStore) CreateRefreshToken(_ context.Context, t *store.RefreshToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{t.EnvironmentID, t.ID}
	if _, ok := m.tokens[k]; ok {
		return store.ErrDuplicate
	}
	m.tokens[k] = clone(t)
	return nil
}

func (m *memStore) UseRefreshToken(_ context.Context, envID, id string, now time.Time) (*store.RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[mkey{envID, id}]
	switch {
	case !ok || !t.ExpiresAt.After(now):
		return nil, store.ErrNotFound
	case !t.UsedAt.IsZero():
		return clone(t), store.ErrConflict
	}
	m.gap()
	t.UsedAt = now.UTC().Truncate(time.Millisecond)
	return clone(t), nil
}

func (m *memStore) CreateAuthCode(_ context.Context, c *store.AuthCode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{c.EnvironmentID, c.ID}
	if _, ok := m.codes[k]; ok {
		return store.ErrDuplicate
	}
	m.codes[k] = clone(c)
	return nil
}

func (m *memStore) UseAuthCode(_ context.Context, envID, id string, now time.Time) (*store.AuthCode, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[mkey{envID, id}]
	switch {
	case !ok || !c.ExpiresAt.After(now):
		return nil, store.ErrNotFound
	case !c.UsedAt.IsZero():
		return clone(c), store.ErrConflict
	}
	m.gap()
	c.UsedAt = now.UTC().Truncate(time.Millisecond)
	return clone(c), nil
}

func (m *memStore) CreateFlow(_ context.Context, f *store.Flow) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{f.EnvironmentID, f.ID}
	if _, ok := m.flows[k]; ok {
		return store.ErrDuplicate
	}
	m.flows[k] = clone(f)
	return nil
}

func (m *memStore) GetFlow(_ context.Context, envID, id string, now time.Time) (*store.Flow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.flows[mkey{envID, id}]
	if !ok || !f.ExpiresAt.After(now) {
		return nil, store.ErrNotFound
	}
	return clone(f), nil
}

func (m *memStore) UpdateFlow(_ context.Context, f *store.Flow) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{f.EnvironmentID, f.ID}
	cur, ok := m.flows[k]
	switch {
	case !ok:
		return store.ErrNotFound
	case cur.Version != f.Version:
		return store.ErrConflict
	}
	m.gap()
	next := clone(f)
	next.Version++
	m.flows[k] = next
	f.Version = next.Version
	return nil
}

func (m *memStore) Incr(_ context.Context, envID, key string, now time.Time, window time.Duration) (int64, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{envID, key}
	var cur memCounter
	if c, ok := m.counters[k]; ok && c.exp.After(now) {
		cur = *c
	} else {
		cur.exp = now.Add(window).UTC().Truncate(time.Millisecond)
	}
	m.gap()
	cur.n++
	m.counters[k] = &cur
	return cur.n, cur.exp, nil
}

func (m *memStore) Count(_ context.Context, envID, key string, now time.Time) (int64, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.counters[mkey{envID, key}]
	if !ok || !c.exp.After(now) {
		return 0, time.Time{}, nil
	}
	return c.n, c.exp, nil
}

func (m *memStore) Reset(_ context.Context, envID, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.counters, mkey{envID, key})
	return nil
}

func (m *memStore) AddOutboxMessage(_ context.Context, msg *store.OutboxMessage) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{msg.EnvironmentID, msg.ID}
	if _, ok := m.outbox[k]; ok {
		return store.ErrDuplicate
	}
	m.outbox[k] = clone(msg)
	return nil
}

func (m *memStore) ListOutbox(_ context.Context, envID string, limit int) ([]store.OutboxMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.OutboxMessage
	for k, msg := range m.outbox {
		if k.env == envID {
			out = append(out, *clone(msg))
		}
	}
	newestFirst(out, func(m store.OutboxMessage) time.Time { return m.CreatedAt }, func(m store.OutboxMessage) string { return m.ID })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (m *memStore) AddEvent(_ context.Context, e *store.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{e.EnvironmentID, e.ID}
	if _, ok := m.events[k]; ok {
		return store.ErrDuplicate
	}
	m.events[k] = clone(e)
	return nil
}

func (m *memStore) ListEvents(_ context.Context, envID, userID string, limit int) ([]store.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Event
	for k, e := range m.events {
		if k.env == envID && (userID == "" || e.UserID == userID) {
			out = append(out, *clone(e))
		}
	}
	newestFirst(out, func(e store.Event) time.Time { return e.CreatedAt }, func(e store.Event) string { return e.ID })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (m *memStore) Ping(context.Context) error { return nil }

func sweepMap[V any](mp map[mkey]V, expires func(V) time.Time, now time.Time) int {
	n := 0
	for k, v := range mp {
		if !expires(v).After(now) {
			delete(mp, k)
			n++
		}
	}
	return n
}

func (m *memStore) Sweep(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := sweepMap(m.flows, func(f *store.Flow) time.Time { return f.ExpiresAt }, now)
	n += sweepMap(m.codes, func(c *store.AuthCode) time.Time { return c.ExpiresAt }, now)
	n += sweepMap(m.tokens, func(t *store.RefreshToken) time.Time { return t.ExpiresAt }, now)
	n += sweepMap(m.sessions, func(s *store.Session) time.Time { return s.ExpiresAt }, now)
	n += sweepMap(m.counters, func(c *memCounter) time.Time { return c.exp }, now)
	n += sweepMap(m.outbox, func(o *store.OutboxMessage) time.Time { return o.ExpiresAt }, now)
	n += sweepMap(m.events, func(e *store.Event) time.Time { return e.ExpiresAt }, now)
	return n, nil
}

func (m *memStore) Backend() string { return "memory" }

func (m *memStore) Close() error { return nil }
