package server

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/mongo"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
)

// OpenStore opens the backend the configuration names (MongoDB when
// MONGODB_URI is set, else SQLite in DATA_DIR) and loads the key-encryption
// key (MYACCOUNT_SECRET_KEY, else a key file generated in DATA_DIR).
func OpenStore(ctx context.Context, c config.Config, log *slog.Logger) (store.Store, []byte, error) {
	var kek []byte
	var err error
	if c.SecretKey != "" {
		kek, err = secret.ParseKey(c.SecretKey)
	} else {
		kek, err = secret.LoadOrCreateKey(c.DataDir)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("key-encryption key: %w", err)
	}
	var st store.Store
	if c.MongoURI != "" {
		st, err = mongo.Open(ctx, mongo.Config{URI: c.MongoURI, Logger: log})
	} else {
		st, err = sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(c.DataDir, "myaccount.db"), Logger: log})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open store: %w", err)
	}
	return st, kek, nil
}
