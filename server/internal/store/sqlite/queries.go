package sqlite

// Every statement the store runs is a constant here, named q…, so the tests
// can prove each one was run under the query-plan check (see plan_test.go).
// Guarded writes are single statements: the guard is in the WHERE clause (or
// the ON CONFLICT clause), never a read followed by a write.

const (
	qCreateEnvironment = `INSERT INTO environments (id, version, doc) VALUES (?, ?, ?)`
	qGetEnvironment    = `SELECT doc FROM environments WHERE id = ?`
	// qListEnvironments reads the whole (small) table by design: it is the
	// one statement allowed a full scan (see scanAllowed).
	qListEnvironments  = `SELECT doc FROM environments ORDER BY id`
	qUpdateEnvironment = `UPDATE environments SET doc = ?, version = version + 1 WHERE id = ? AND version = ?`
	qEnvironmentExists = `SELECT 1 FROM environments WHERE id = ?`

	qCreateUser         = `INSERT INTO users (env_id, id, username, version, doc) VALUES (?, ?, ?, ?, ?)`
	qGetUser            = `SELECT doc FROM users WHERE env_id = ? AND id = ?`
	qGetUserByUsername  = `SELECT doc FROM users WHERE env_id = ? AND username = ?`
	qListUsers          = `SELECT doc FROM users WHERE env_id = ? AND id > ? ORDER BY id LIMIT ?`
	qListUsersByName    = `SELECT doc FROM users WHERE env_id = ? AND username >= ? AND username < ? AND username > ? ORDER BY username LIMIT ?`
	qUpdateUser         = `UPDATE users SET username = ?, doc = ?, version = version + 1 WHERE env_id = ? AND id = ? AND version = ?`
	qUserExists         = `SELECT 1 FROM users WHERE env_id = ? AND id = ?`
	qDeleteUser         = `DELETE FROM users WHERE env_id = ? AND id = ?`
	qCreateApplication  = `INSERT INTO applications (env_id, id, version, doc) VALUES (?, ?, ?, ?)`
	qGetApplication     = `SELECT doc FROM applications WHERE env_id = ? AND id = ?`
	qListApplications   = `SELECT doc FROM applications WHERE env_id = ? ORDER BY id`
	qUpdateApplication  = `UPDATE applications SET doc = ?, version = version + 1 WHERE env_id = ? AND id = ? AND version = ?`
	qApplicationExists  = `SELECT 1 FROM applications WHERE env_id = ? AND id = ?`
	qDeleteApplication  = `DELETE FROM applications WHERE env_id = ? AND id = ?`
	qCreateSigningKey   = `INSERT INTO signing_keys (env_id, id, created_at, doc) VALUES (?, ?, ?, ?)`
	qListSigningKeys    = `SELECT doc FROM signing_keys WHERE env_id = ? ORDER BY created_at DESC, id DESC`
	qCreateSession      = `INSERT INTO sessions (env_id, id, user_id, created_at, expires_at, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`
	qGetSession         = `SELECT doc FROM sessions WHERE env_id = ? AND id = ?`
	qListSessions       = `SELECT doc FROM sessions WHERE env_id = ? AND user_id = ? ORDER BY created_at DESC, id DESC`
	qUpdateSession      = `UPDATE sessions SET user_id = ?, created_at = ?, expires_at = ?, doc = ?, version = version + 1 WHERE env_id = ? AND id = ? AND version = ?`
	qSessionExists      = `SELECT 1 FROM sessions WHERE env_id = ? AND id = ?`
	qCreateRefreshToken = `INSERT INTO refresh_tokens (env_id, id, used_at, expires_at, doc) VALUES (?, ?, ?, ?, ?)`
	// qUseRefreshToken marks an unused, live token used and returns it; no
	// row back means unknown, expired or used, told apart by qGetRefreshToken.
	qUseRefreshToken = `UPDATE refresh_tokens SET used_at = ?1, doc = json_set(doc, '$.usedAt', ?2)
		WHERE env_id = ?3 AND id = ?4 AND used_at IS NULL AND expires_at > ?1 RETURNING doc`
	qGetRefreshToken = `SELECT expires_at, doc FROM refresh_tokens WHERE env_id = ? AND id = ?`
	qCreateAuthCode  = `INSERT INTO auth_codes (env_id, id, used_at, expires_at, doc) VALUES (?, ?, ?, ?, ?)`
	qUseAuthCode     = `UPDATE auth_codes SET used_at = ?1, doc = json_set(doc, '$.usedAt', ?2)
		WHERE env_id = ?3 AND id = ?4 AND used_at IS NULL AND expires_at > ?1 RETURNING doc`
	qGetAuthCode = `SELECT expires_at, doc FROM auth_codes WHERE env_id = ? AND id = ?`
	qCreateFlow  = `INSERT INTO flows (env_id, id, expires_at, version, doc) VALUES (?, ?, ?, ?, ?)`
	qGetFlow     = `SELECT doc FROM flows WHERE env_id = ? AND id = ? AND expires_at > ?`
	qUpdateFlow  = `UPDATE flows SET expires_at = ?, doc = ?, version = version + 1 WHERE env_id = ? AND id = ? AND version = ?`
	qFlowExists  = `SELECT 1 FROM flows WHERE env_id = ? AND id = ?`

	// qIncr creates the counter or bumps it, restarting an expired one, in
	// one statement (SET expressions all see the old row).
	qIncr = `INSERT INTO counters (env_id, key, count, expires_at) VALUES (?1, ?2, 1, ?3)
		ON CONFLICT (env_id, key) DO UPDATE SET
			count = CASE WHEN counters.expires_at <= ?4 THEN 1 ELSE counters.count + 1 END,
			expires_at = CASE WHEN counters.expires_at <= ?4 THEN excluded.expires_at ELSE counters.expires_at END
		RETURNING count, expires_at`
	qCount = `SELECT count, expires_at FROM counters WHERE env_id = ? AND key = ? AND expires_at > ?`
	qReset = `DELETE FROM counters WHERE env_id = ? AND key = ?`

	qAddOutboxMessage = `INSERT INTO outbox (env_id, id, created_at, expires_at, doc) VALUES (?, ?, ?, ?, ?)`
	qListOutbox       = `SELECT doc FROM outbox WHERE env_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`
	qAddEvent         = `INSERT INTO events (env_id, id, user_id, created_at, expires_at, doc) VALUES (?, ?, ?, ?, ?, ?)`
	qListEvents       = `SELECT doc FROM events WHERE env_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`
	qListUserEvents   = `SELECT doc FROM events WHERE env_id = ? AND user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`
	// Paged event reads: the row value (created_at, id) < (?, ?) keeps to
	// the events_created / events_user index order, so a page is an index
	// range.
	qPageEvents = `SELECT doc FROM events WHERE env_id = ? AND (created_at, id) < (?, ?) AND expires_at > ?
		ORDER BY created_at DESC, id DESC LIMIT ?`
	qPageUserEvents = `SELECT doc FROM events WHERE env_id = ? AND user_id = ? AND (created_at, id) < (?, ?) AND expires_at > ?
		ORDER BY created_at DESC, id DESC LIMIT ?`

	qSweepFlows         = `DELETE FROM flows WHERE expires_at <= ?`
	qSweepAuthCodes     = `DELETE FROM auth_codes WHERE expires_at <= ?`
	qSweepRefreshTokens = `DELETE FROM refresh_tokens WHERE expires_at <= ?`
	qSweepSessions      = `DELETE FROM sessions WHERE expires_at <= ?`
	qSweepCounters      = `DELETE FROM counters WHERE expires_at <= ?`
	qSweepOutbox        = `DELETE FROM outbox WHERE expires_at <= ?`
	qSweepEvents        = `DELETE FROM events WHERE expires_at <= ?`
)

// scanAllowed names the statements that may read a whole table: listing
// every environment is a full listing by definition (a handful of tenants),
// not a lookup.
func scanAllowed(query string) bool {
	return query == qListEnvironments
}
