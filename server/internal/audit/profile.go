package audit

// Profile actions (names stored and shown: append-only).
const (
	ActionContactChangeRequested = "CONTACT_CHANGE_REQUESTED" // a user asked to change their email or phone; a code went to the new one
	ActionContactChanged         = "CONTACT_CHANGED"          // the code came back: the new email or phone applies
	ActionEmailChangeUndone      = "EMAIL_CHANGE_UNDONE"      // the previous address took back an email change; sessions ended
)
