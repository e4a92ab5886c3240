// Package ferrettest gives tests of the mongo store backend a MongoDB
// wire-protocol server: FerretDB v1 started in-process on SQLite in a
// temporary directory, or, when MYACCOUNT_TEST_MONGODB_URI is set, that real
// MongoDB. It imports "testing" and is for tests only: non-test code must
// never import it.
//
// FerretDB v1 runs every update and findAndModify as "read the matching
// documents, then write them back by _id" with no transaction, so two
// connections updating one document at once lose writes (DESIGN §2). MongoDB
// makes each single-document write atomic and the store relies on that, so
// the FerretDB started here sits behind a small proxy that lets one command
// at a time through (see proxy.go). Its URIs also carry maxPoolSize=1, as the
// design asks, which serialises the commands of one client even without the
// proxy.
package ferrettest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// EnvURI names the environment variable that points the tests at a real
// MongoDB instead of an in-process FerretDB.
const EnvURI = "MYACCOUNT_TEST_MONGODB_URI"

// Server is a running MongoDB-compatible server for tests. Each NewURI call
// names a fresh database on it, so tests sharing one Server do not see each
// other's data.
type Server struct {
	base     *url.URL // the server's URI, without a database
	ferretDB bool
	n        atomic.Int64
	stop     func() error
}

// New starts FerretDB in-process (SQLite in a new temporary directory,
// 127.0.0.1 on a free port, its logs discarded), or connects nothing and
// returns the real MongoDB named by MYACCOUNT_TEST_MONGODB_URI when that is
// set. Close stops it. TestMain uses New to share one server across a test
// binary; single tests use Start.
func New() (*Server, error) {
	if raw := os.Getenv(EnvURI); raw != "" {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", EnvURI, err)
		}
		return &Server{base: u, stop: func() error { return nil }}, nil
	}
	return startFerretDB()
}

// Start returns a URI naming a fresh database on a server started for this
// test alone (or on the real MongoDB of MYACCOUNT_TEST_MONGODB_URI); the
// server stops when the test ends.
func Start(t testing.TB) (uri string) {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatalf("ferrettest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("ferrettest: %v", err)
		}
	})
	return s.NewURI(t)
}

// FerretDB reports whether the server is the in-process FerretDB (false: a
// real MongoDB).
func (s *Server) FerretDB() bool { return s.ferretDB }

// NewURI returns a URI whose path names a database no other NewURI call on
// s names. On FerretDB it carries maxPoolSize=1. On a real MongoDB the
// database is dropped when t ends.
func (s *Server) NewURI(t testing.TB) string {
	t.Helper()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("ferrettest: %v", err)
	}
	// Short and plain: MongoDB limits database names to 63 bytes and
	// FerretDB's SQLite backend to letters, digits, '_' and '-'.
	db := fmt.Sprintf("t%d_%s", s.n.Add(1), hex.EncodeToString(b[:]))
	uri := s.uri(db)
	if !s.ferretDB {
		t.Cleanup(func() { dropDatabase(t, uri, db) })
	}
	return uri
}

// Close stops the in-process FerretDB and removes its files; on a real
// MongoDB it does nothing.
func (s *Server) Close() error { return s.stop() }

// uri returns the server's URI with db as its database.
func (s *Server) uri(db string) string {
	u := *s.base
	q := u.Query()
	// A database in the path also becomes the default authSource; keep the
	// credentials authenticating where they did before.
	if u.User != nil && q.Get("authSource") == "" {
		src := strings.TrimPrefix(u.Path, "/")
		if src == "" {
			src = "admin"
		}
		q.Set("authSource", src)
	}
	if s.ferretDB {
		q.Set("maxPoolSize", "1")
	}
	u.Path = "/" + db
	u.RawPath = ""
	u.RawQuery = q.Encode()
	return u.String()
}

func startFerretDB() (*Server, error) {
	dir, err := os.MkdirTemp("", "ferrettest-")
	if err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		// Errors only: FerretDB logs connections at info and dumps every
		// failed command's wire messages at warn (the tests provoke
		// duplicate keys on purpose; those reach the client as errors
		// anyway). What is left is a FerretDB panic, which otherwise shows
		// only as a connection closed under the client.
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI waits until the listener is bound to its port.
	target, err := url.Parse(f.MongoDBURI())
	if err != nil {
		cancel()
		<-done
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	p, err := listenProxy(target.Host)
	if err != nil {
		cancel()
		<-done
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	base := &url.URL{Scheme: "mongodb", Host: p.Addr(), Path: "/"}
	stop := func() error {
		perr := p.Close()
		cancel()
		ferr := <-done
		derr := os.RemoveAll(dir)
		if err := errors.Join(perr, ferr, derr); err != nil {
			return fmt.Errorf("stop ferretdb: %w", err)
		}
		return nil
	}
	return &Server{base: base, ferretDB: true, stop: stop}, nil
}

// dropDatabase removes a test's database from a real MongoDB.
func dropDatabase(t testing.TB, uri, db string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Errorf("ferrettest: drop %s: %v", db, err)
		return
	}
	defer func() { _ = c.Disconnect(ctx) }()
	if err := c.Database(db).Drop(ctx); err != nil {
		t.Errorf("ferrettest: drop %s: %v", db, err)
	}
}
