package audit

// Identity provider actions (names stored and shown: append-only).
const (
	ActionIdentityProviderUpdated = "IDENTITY_PROVIDER_UPDATED" // an external identity provider was created, changed or deleted
)

// Linked account actions (names stored and shown: append-only).
const (
	ActionLinkedAccountDeleted = "LINKED_ACCOUNT_DELETED" // a user's external account was unlinked
	ActionLinkedAccountAdded   = "LINKED_ACCOUNT_ADDED"   // an external account was linked to a user
	ActionSignOnExternal       = "SIGNON_EXTERNAL"        // an external provider's sign-on was checked (outcome says how it went)
)
