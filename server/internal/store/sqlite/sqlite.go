// Package sqlite is the embedded store backend, the default when no MongoDB
// is configured: one SQLite file (modernc.org/sqlite, pure Go) in WAL mode.
//
// Writes go through one connection (SQLite allows one writer at a time
// anyway; queuing in database/sql is cheaper than spinning on SQLITE_BUSY),
// reads through a small pool of read-only connections that WAL lets run
// beside the writer. Every invariant is one guarded statement (a version
// compare-and-swap, a "used_at IS NULL" guard, an upsert counter or a unique
// index), so the store also stays correct when several processes open the
// same file: the busy timeout queues their writers.
//
// Records are stored as JSON documents beside the indexed columns their
// lookups need. With Config.CheckPlans every statement is first run under
// EXPLAIN QUERY PLAN and refused if it would scan a whole table.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Config configures Open.
type Config struct {
	// Path is the database file, e.g. DATA_DIR/myaccount.db. Its directory
	// is created (0700) when missing.
	Path string
	// Logger receives one debug line at open; nil discards.
	Logger *slog.Logger
	// BusyTimeout is how long a statement waits for another connection's
	// (or process's) write lock before failing; default 5s.
	BusyTimeout time.Duration
	// Readers is the size of the read-only connection pool; default 4.
	Readers int
	// CheckPlans runs EXPLAIN QUERY PLAN before every statement and fails
	// the statement if its plan scans a whole table or sorts in a temporary
	// b-tree. For tests: it doubles the statements run.
	CheckPlans bool
}

// Store is the SQLite store.Store.
type Store struct {
	w, r       *sql.DB
	log        *slog.Logger
	checkPlans bool

	planMu     sync.Mutex
	planned    map[string]bool // statements whose plan was checked
	violations []string
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at cfg.Path, switches it to
// WAL and creates the schema.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Path == "" {
		return nil, errors.New("open sqlite store: empty path")
	}
	if strings.Contains(cfg.Path, "?") {
		// The driver splits its options off at '?'.
		return nil, fmt.Errorf("open sqlite store: path %q contains '?'", cfg.Path)
	}
	if cfg.BusyTimeout <= 0 {
		cfg.BusyTimeout = 5 * time.Second
	}
	if cfg.Readers <= 0 {
		cfg.Readers = 4
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o700); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}

	// The file holds password hashes and wrapped keys: create it owner-only
	// (SQLite gives its -wal and -shm files the same mode).
	f, err := os.OpenFile(cfg.Path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	f.Close()

	w, err := sql.Open("sqlite", dsn(cfg.Path, cfg.BusyTimeout, "_journal_mode", "WAL", "_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, log: cfg.Logger, checkPlans: cfg.CheckPlans, planned: map[string]bool{}}

	// The schema is created through the writer before any reader connects,
	// so the file exists and is in WAL mode when the readers open it.
	if err := s.createSchema(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	r, err := sql.Open("sqlite", dsn(cfg.Path, cfg.BusyTimeout, "_query_only", "1"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	r.SetMaxOpenConns(cfg.Readers)
	r.SetMaxIdleConns(cfg.Readers)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	s.r = r
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	s.log.Debug("sqlite store open", "path", cfg.Path, "readers", cfg.Readers)
	return s, nil
}

// dsn is the driver's data source name for path: the busy timeout and
// synchronous mode every connection needs, plus extra key/value options.
func dsn(path string, busy time.Duration, extra ...string) string {
	q := url.Values{}
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	// NORMAL is safe with WAL (no corruption); a power cut may lose the
	// last commits, as MongoDB's journal commit interval may.
	q.Set("_synchronous", "NORMAL")
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return path + "?" + q.Encode()
}

func (s *Store) createSchema(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	tx, err := s.w.BeginTx(ctx, nil) // IMMEDIATE (see _txlock): one process creates at a time
	if err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	return nil
}

// Ping checks both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite writer: %w", err)
	}
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite readers: %w", err)
	}
	return nil
}

// Backend returns "sqlite".
func (s *Store) Backend() string { return "sqlite" }

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// PlanViolations returns the statements refused by the plan check
// (Config.CheckPlans), with the offending plan steps.
func (s *Store) PlanViolations() []string {
	s.planMu.Lock()
	defer s.planMu.Unlock()
	return append([]string(nil), s.violations...)
}

// checkPlan runs query under EXPLAIN QUERY PLAN on db and fails if a step
// reads a whole table (SCAN without a covering index) or sorts in a
// temporary b-tree (an ORDER BY no index serves).
func (s *Store) checkPlan(ctx context.Context, db *sql.DB, query string, args []any) error {
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return fmt.Errorf("explain query plan: %w", err)
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			return fmt.Errorf("explain query plan: %w", err)
		}
		fullScan := strings.HasPrefix(detail, "SCAN ") && !strings.Contains(detail, "USING COVERING INDEX")
		if (fullScan && !scanAllowed(query)) || strings.Contains(detail, "TEMP B-TREE") {
			bad = append(bad, detail)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("explain query plan: %w", err)
	}
	s.planMu.Lock()
	defer s.planMu.Unlock()
	s.planned[query] = true
	if len(bad) > 0 {
		v := fmt.Sprintf("%s: %s", strings.Join(strings.Fields(query), " "), strings.Join(bad, "; "))
		s.violations = append(s.violations, v)
		return fmt.Errorf("query plan check: %s", v)
	}
	return nil
}

// plannedStatements returns the statements whose plan was checked.
func (s *Store) plannedStatements() map[string]bool {
	s.planMu.Lock()
	defer s.planMu.Unlock()
	out := make(map[string]bool, len(s.planned))
	for q := range s.planned {
		out[q] = true
	}
	return out
}

// All statements run through exec, query and queryRow, so the plan check
// sees every one.

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.checkPlans {
		if err := s.checkPlan(ctx, s.w, query, args); err != nil {
			return nil, err
		}
	}
	return s.w.ExecContext(ctx, query, args...)
}

// query runs a read on the reader pool.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.checkPlans {
		if err := s.checkPlan(ctx, s.r, query, args); err != nil {
			return nil, err
		}
	}
	return s.r.QueryContext(ctx, query, args...)
}

// queryRow runs a single-row statement: on the writer when write is set
// (UPDATE … RETURNING, upserts), else on the reader pool.
func (s *Store) queryRow(ctx context.Context, write bool, query string, args []any, dest ...any) error {
	db := s.r
	if write {
		db = s.w
	}
	if s.checkPlans {
		if err := s.checkPlan(ctx, db, query, args); err != nil {
			return err
		}
	}
	return db.QueryRowContext(ctx, query, args...).Scan(dest...)
}

// mapErr turns driver errors into the store's: a unique or primary key
// violation is ErrDuplicate, no rows is ErrNotFound.
func mapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return fmt.Errorf("%s: %w", what, store.ErrDuplicate)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// ms is a time column value: Unix milliseconds, the stored precision.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS is the inverse of ms, in UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullMS is ms for a column where the zero time means "not yet" (used_at).
func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// jsonTime is how a time is written into a doc by json_set: as
// encoding/json writes it, at the stored precision.
func jsonTime(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)
}

// encode is the doc of a record.
func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode record: %w", err)
	}
	return string(b), nil
}

// decode reads a doc into a new R, with every time at the stored precision
// (milliseconds) in UTC, whatever precision and zone the writer gave.
func decode[R any](doc string) (*R, error) {
	r := new(R)
	if err := json.Unmarshal([]byte(doc), r); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	store.NormalizeTimes(r)
	return r, nil
}

// getDoc reads one doc by a single-row query on the reader pool.
func getDoc[R any](ctx context.Context, s *Store, what, query string, args ...any) (*R, error) {
	var doc string
	if err := s.queryRow(ctx, false, query, args, &doc); err != nil {
		return nil, mapErr(what, err)
	}
	r, err := decode[R](doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// listDocs reads the docs of a query on the reader pool.
func listDocs[R any](ctx context.Context, s *Store, what, query string, args ...any) ([]R, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, mapErr(what, err)
	}
	defer rows.Close()
	var out []R
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, mapErr(what, err)
		}
		r, err := decode[R](doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, *r)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(what, err)
	}
	return out, nil
}

// insert runs an INSERT, mapping a taken key to ErrDuplicate.
func (s *Store) insert(ctx context.Context, what, query string, args ...any) error {
	_, err := s.exec(ctx, query, args...)
	return mapErr(what, err)
}

// casUpdate runs a version-guarded UPDATE. When no row changed it tells a
// missing record (ErrNotFound) from a moved-on version (ErrConflict) with
// the exists query; on success it bumps *version.
func (s *Store) casUpdate(ctx context.Context, what string, version *int64, update string, updateArgs []any, exists string, existsArgs []any) error {
	res, err := s.exec(ctx, update, updateArgs...)
	if err != nil {
		return mapErr(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 1 {
		*version++
		return nil
	}
	var one int
	if err := s.queryRow(ctx, false, exists, existsArgs, &one); err != nil {
		return mapErr(what, err)
	}
	return fmt.Errorf("%s: %w", what, store.ErrConflict)
}

// limit is a LIMIT value: SQLite reads a negative limit as "no limit".
func limit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}
