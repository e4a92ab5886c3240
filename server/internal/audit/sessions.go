package audit

// Account actions of the sessions and security activity feature (names
// stored and shown: append-only).
const (
	// ActionAccountSecured: "Secure my account" ended the other sessions,
	// cut refresh tokens off, asked for a new password at the next
	// sign-on and froze the user's own method changes for a while.
	ActionAccountSecured = "ACCOUNT_SECURED"
)
