package sqlite

// schema creates every table and index; each statement is idempotent, so
// Open runs it on every start (in one IMMEDIATE transaction, so two
// processes starting together do not race).
//
// Each collection is one STRICT table keyed (env_id, id) holding the record
// as a JSON document (doc) plus the columns its lookups, guards, orderings
// and sweeps need. Times are INTEGER Unix milliseconds. The doc is the
// source of truth for reads; the columns are kept in step by every write.
//
// Ids are unique per (env_id, id) here; MongoDB's _id makes them unique per
// collection. Ids are UUIDs, so the difference never shows.
const schema = `
CREATE TABLE IF NOT EXISTS environments (
	id      TEXT    NOT NULL PRIMARY KEY,
	version INTEGER NOT NULL,
	doc     TEXT    NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS users (
	env_id   TEXT    NOT NULL,
	id       TEXT    NOT NULL,
	username TEXT    NOT NULL,
	version  INTEGER NOT NULL,
	doc      TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS users_username ON users (env_id, username);

CREATE TABLE IF NOT EXISTS applications (
	env_id  TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	version INTEGER NOT NULL,
	doc     TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;

CREATE TABLE IF NOT EXISTS signing_keys (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS signing_keys_created ON signing_keys (env_id, created_at, id);

CREATE TABLE IF NOT EXISTS sessions (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	version    INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (env_id, user_id, created_at, id);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);

CREATE TABLE IF NOT EXISTS refresh_tokens (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	used_at    INTEGER,
	expires_at INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS refresh_tokens_expires ON refresh_tokens (expires_at);

CREATE TABLE IF NOT EXISTS auth_codes (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	used_at    INTEGER,
	expires_at INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS auth_codes_expires ON auth_codes (expires_at);

CREATE TABLE IF NOT EXISTS flows (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	expires_at INTEGER NOT NULL,
	version    INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS flows_expires ON flows (expires_at);

CREATE TABLE IF NOT EXISTS counters (
	env_id     TEXT    NOT NULL,
	key        TEXT    NOT NULL,
	count      INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (env_id, key)
) STRICT;
CREATE INDEX IF NOT EXISTS counters_expires ON counters (expires_at);

CREATE TABLE IF NOT EXISTS outbox (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS outbox_created ON outbox (env_id, created_at, id);
CREATE INDEX IF NOT EXISTS outbox_expires ON outbox (expires_at);

CREATE TABLE IF NOT EXISTS events (
	env_id     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	doc        TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS events_created ON events (env_id, created_at, id);
CREATE INDEX IF NOT EXISTS events_user ON events (env_id, user_id, created_at, id);
CREATE INDEX IF NOT EXISTS events_expires ON events (expires_at);

CREATE TABLE IF NOT EXISTS external_identities (
	env_id  TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	user_id TEXT    NOT NULL,
	doc     TEXT    NOT NULL,
	PRIMARY KEY (env_id, id)
) STRICT;
`
