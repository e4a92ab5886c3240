package paths

// A user's sign-on sessions (PingOne's user sessions) and security
// activity (our extension).
const (
	// Sessions lists a user's open sessions; DELETE on it (our extension)
	// ends every one but the caller's own.
	Sessions = "/v1/environments/:envId/users/:userId/sessions"
	// Session is one of them: GET, DELETE (sign it off).
	Session = "/v1/environments/:envId/users/:userId/sessions/:sessionId"
	// UserEvents is the user's security activity, newest first.
	UserEvents = "/v1/environments/:envId/users/:userId/events"
)

// ActionUserSecure is "Secure my account" (our extension), POST on the
// user: every other session ends, refresh tokens stop working, the next
// sign-on asks for a new password and the user's own method changes are
// frozen for a while.
const ActionUserSecure = "application/vnd.pingidentity.user.secure+json"
