package audit

// Identity provider actions (names stored and shown: append-only).
const (
	ActionIdentityProviderUpdated = "IDENTITY_PROVIDER_UPDATED" // an external identity provider was created, changed or deleted
)
