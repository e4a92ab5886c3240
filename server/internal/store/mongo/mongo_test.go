package mongo_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/mongo"
	"github.com/myaccount/myaccount/server/internal/store/mongo/ferrettest"
	"github.com/myaccount/myaccount/server/internal/store/storetest"
)

// server is the one FerretDB (or real MongoDB) of this test binary; every
// store opened on it gets a fresh database.
var server *ferrettest.Server

func TestMain(m *testing.M) {
	s, err := ferrettest.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server = s
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// open opens a store on uri and closes it when t ends.
func open(t *testing.T, uri string) *mongo.Store {
	t.Helper()
	s, err := mongo.Open(t.Context(), mongo.Config{URI: uri})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, server.NewURI(t))
	})
}

// TestChecksAcrossClients runs the concurrency checks with two stores, each
// its own client and connection, on one database: what two server
// instances behind a load balancer do.
func TestChecksAcrossClients(t *testing.T) {
	uri := server.NewURI(t)
	a, b := open(t, uri), open(t, uri)
	for _, c := range storetest.ConcurrencyChecks() {
		t.Run(c.Name, func(t *testing.T) {
			if err := c.Func(t.Context(), a, b); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOpenIsIdempotent opens a second store on a database that has data and
// indexes; the unique index still holds through the second store.
func TestOpenIsIdempotent(t *testing.T) {
	uri := server.NewURI(t)
	first := open(t, uri)
	u := &store.User{EnvironmentID: "env", ID: "u1", Username: "alice"}
	if err := first.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("create: %v", err)
	}
	second := open(t, uri)
	if got, err := second.GetUserByUsername(t.Context(), "env", "alice"); err != nil || got.ID != "u1" {
		t.Fatalf("get through second store = %+v, %v", got, err)
	}
	dup := &store.User{EnvironmentID: "env", ID: "u2", Username: "alice"}
	if err := second.CreateUser(t.Context(), dup); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate username after reopen: %v, want ErrDuplicate", err)
	}
	// FerretDB refuses TTL indexes; a real MongoDB takes them.
	if got, want := second.TTL(), !server.FerretDB(); got != want {
		t.Errorf("TTL() = %v, want %v", got, want)
	}
}

// TestDatabaseChoice checks Config.Database overrides the URI's database.
func TestDatabaseChoice(t *testing.T) {
	uri := server.NewURI(t)
	inURI := open(t, uri)
	other := strings.TrimPrefix(server.NewURI(t), "mongodb://")
	other = other[strings.Index(other, "/")+1:]
	other = other[:strings.IndexAny(other+"?", "?")]
	s, err := mongo.Open(t.Context(), mongo.Config{URI: uri, Database: other})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	e := &store.Environment{ID: "e1", Name: "one"}
	if err := s.CreateEnvironment(t.Context(), e); err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := inURI.GetEnvironment(t.Context(), "e1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("environment written to the overriding database is visible in the URI's: %v", err)
	}
	if _, err := s.GetEnvironment(t.Context(), "e1"); err != nil {
		t.Errorf("get: %v", err)
	}
	if s.Backend() != "mongo" {
		t.Errorf("Backend() = %q", s.Backend())
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		uri  string
	}{
		{name: "empty", uri: ""},
		{name: "notMongo", uri: "postgres://user:s3cret-pw@host/db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := mongo.Open(context.Background(), mongo.Config{URI: tt.uri})
			if err == nil {
				_ = s.Close()
				t.Fatal("open succeeded")
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("error echoes the password: %v", err)
			}
		})
	}
}
