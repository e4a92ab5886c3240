package audit

// Administration actions (names stored and shown: append-only).
const (
	ActionEnvironmentUpdated       = "ENVIRONMENT_UPDATED"        // an environment was renamed or its type changed
	ActionEnvironmentDeleted       = "ENVIRONMENT_DELETED"        // an environment was deleted (soft: it stays in the store, marked)
	ActionApplicationDeleted       = "APPLICATION_DELETED"        // an application was deleted
	ActionApplicationSecretRotated = "APPLICATION_SECRET_ROTATED" // a worker's client secret was replaced; the old one stopped working
	ActionUserDeleted              = "USER_DELETED"               // an administrator deleted a user
	ActionUserSessionsEnded        = "USER_SESSIONS_ENDED"        // disabling, locking or deleting a user ended their sessions
)
