package sqlite

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/storetest"
)

// planned collects, across every store a test opens, the statements whose
// plans were checked.
type planned struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (p *planned) add(s *Store) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for q := range s.plannedStatements() {
		p.seen[q] = true
	}
}

// openTest opens a store with the plan check on, in a fresh file; at cleanup
// it fails the test on any plan violation, records the checked statements
// in p (if not nil) and closes the store.
func openTest(t *testing.T, path string, p *planned) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "myaccount.db")
	}
	s, err := Open(t.Context(), Config{Path: path, CheckPlans: true})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		for _, v := range s.PlanViolations() {
			t.Errorf("query plan violation: %s", v)
		}
		if p != nil {
			p.add(s)
		}
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	p := &planned{seen: map[string]bool{}}
	t.Run("Suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return openTest(t, "", p) })
	})
	// Every statement the package defines ran under the plan check.
	for name, q := range statements(t) {
		if !p.seen[q] {
			t.Errorf("statement %s never ran under the query-plan check in the conformance suite", name)
		}
	}
}

// statements returns the q… constants of queries.go by name.
func statements(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "queries.go", nil, 0)
	if err != nil {
		t.Fatalf("parse queries.go: %v", err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s: want a plain string literal", n.Name)
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("%s: %v", n.Name, err)
				}
				if strings.HasPrefix(n.Name, "q") {
					out[n.Name] = v
				}
			}
		}
	}
	if len(out) < 40 {
		t.Fatalf("found %d statements in queries.go; the parser missed some", len(out))
	}
	return out
}

// TestTwoHandlesOneFile opens the file twice, as two server processes on one
// DATA_DIR would (separate connections, separate writers, file locks and the
// busy timeout between them), and runs the concurrency checks across both.
func TestTwoHandlesOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a := openTest(t, path, nil)
	b := openTest(t, path, nil)
	for _, c := range storetest.ConcurrencyChecks() {
		t.Run(c.Name, func(t *testing.T) {
			if err := c.Func(t.Context(), a, b); err != nil {
				t.Error(err)
			}
		})
	}
	// What one handle writes the other reads at once.
	u := &store.User{EnvironmentID: "env", ID: "u1", Username: "x"}
	if err := a.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	got, err := b.GetUserByUsername(t.Context(), "env", "x")
	if err != nil || got.ID != "u1" {
		t.Fatalf("read through the other handle: %v, %v", got, err)
	}
}

func TestPlanCheckRefusesScans(t *testing.T) {
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "db"), CheckPlans: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name  string
		query string
		args  []any
		bad   bool
	}{
		{name: "lookupWithoutEnvironment", query: `SELECT doc FROM users WHERE username = ?`, args: []any{"a"}, bad: true},
		{name: "unindexedColumn", query: `SELECT doc FROM sessions WHERE json_extract(doc, '$.ip') = ?`, args: []any{"a"}, bad: true},
		{name: "sortWithoutIndex", query: `SELECT doc FROM events WHERE env_id = ? ORDER BY expires_at`, args: []any{"e"}, bad: true},
		{name: "deleteByUnindexedColumn", query: `DELETE FROM counters WHERE count > ?`, args: []any{1}, bad: true},
		{name: "indexedLookup", query: qGetUserByUsername, args: []any{"e", "a"}},
		{name: "coveringIndexScanIsFine", query: `SELECT count(*) FROM events INDEXED BY events_expires`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.PlanViolations())
			var err error
			if strings.HasPrefix(tt.query, "DELETE") {
				_, err = s.exec(t.Context(), tt.query, tt.args...)
			} else {
				var rows interface{ Close() error }
				rows, err = s.query(t.Context(), tt.query, tt.args...)
				if err == nil {
					rows.Close()
				}
			}
			recorded := len(s.PlanViolations()) > before
			if tt.bad && (err == nil || !recorded) {
				t.Errorf("plan check let %q through (err %v, recorded %v)", tt.query, err, recorded)
			}
			if !tt.bad && (err != nil || recorded) {
				t.Errorf("plan check refused %q: %v", tt.query, err)
			}
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "myaccount.db")
	ctx := t.Context()
	s, err := Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{EnvironmentID: "env", ID: "u1", Username: "keep"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{Path: path}) // schema creation runs again
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	got, err := s.GetUserByUsername(ctx, "env", "keep")
	if err != nil || got.ID != "u1" {
		t.Fatalf("after reopen: %v, %v", got, err)
	}
	if err := s.CreateUser(ctx, &store.User{EnvironmentID: "env", ID: "u2", Username: "keep"}); !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("unique index after reopen: %v", err)
	}
	if s.Backend() != "sqlite" {
		t.Errorf("Backend() = %q", s.Backend())
	}
}

func TestOpenRejectsBadPaths(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "a?mode=memory")} {
		if s, err := Open(t.Context(), Config{Path: path}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

// TestReadersAreReadOnly: a write sent to the reader pool by mistake fails
// instead of bypassing the single writer.
func TestReadersAreReadOnly(t *testing.T) {
	s := openTest(t, "", nil)
	if _, err := s.r.ExecContext(t.Context(), `DELETE FROM users WHERE env_id = 'x' AND id = 'y'`); err == nil {
		t.Error("reader pool accepted a write")
	}
}

func TestWALModeAndFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "myaccount.db")
	s := openTest(t, path, nil)
	if err := s.CreateUser(t.Context(), &store.User{EnvironmentID: "e", ID: "u"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600 (it holds password hashes)", filepath.Base(p), fi.Mode().Perm())
		}
	}
	var mode string
	if err := s.r.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal mode %q, want wal", mode)
	}
}

func benchStore(b *testing.B) (*Store, *store.User) {
	b.Helper()
	s, err := Open(b.Context(), Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	u := &store.User{EnvironmentID: "env", ID: "u", Username: "bench", CreatedAt: time.Now()}
	for i := range store.MaxDevices / 2 {
		u.Devices = append(u.Devices, store.Device{ID: strconv.Itoa(i), Type: "EMAIL", Status: "ACTIVE", Email: "a@example.com"})
	}
	if err := s.CreateUser(b.Context(), u); err != nil {
		b.Fatal(err)
	}
	// Some neighbours, so lookups go through a real index.
	for i := range 1000 {
		if err := s.CreateUser(b.Context(), &store.User{EnvironmentID: "env", ID: "n" + strconv.Itoa(i), Username: "n" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
	return s, u
}

func BenchmarkGetUser(b *testing.B) {
	s, u := benchStore(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.GetUser(b.Context(), u.EnvironmentID, u.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkGetUserByUsername(b *testing.B) {
	s, u := benchStore(b)
	for b.Loop() {
		if _, err := s.GetUserByUsername(b.Context(), u.EnvironmentID, u.Username); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateUserCAS is the read-modify-CAS cycle of a device change.
func BenchmarkUpdateUserCAS(b *testing.B) {
	s, u := benchStore(b)
	for b.Loop() {
		got, err := s.GetUser(b.Context(), u.EnvironmentID, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		got.Devices[0].Nickname = "n"
		slices.Reverse(got.Devices)
		if err := s.UpdateUser(b.Context(), got); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIncr(b *testing.B) {
	s, _ := benchStore(b)
	now := time.Now()
	for b.Loop() {
		if _, _, err := s.Incr(b.Context(), "env", "k", now, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
