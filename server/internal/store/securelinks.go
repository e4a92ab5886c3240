package store

import "time"

// MaxSecureLinks bounds User.SecureLinks: a user keeps the newest few
// one-time "this wasn't me" links of their security notices.
const MaxSecureLinks = 5

// SecureLink is one emailed one-time link that secures the account without
// signing on: the SHA-256 of its token (bound to the environment and the
// user, see package securelink) and until when it works. Using it removes
// it in the same version-guarded update of the user that secures the
// account, so each link works once.
type SecureLink struct {
	TokenHash string    `bson:"tokenHash" json:"tokenHash"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt" json:"expiresAt"`
}
