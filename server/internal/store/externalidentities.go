package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// ExternalIdentity claims an external account (a provider's issuer and
// subject) for one user of the environment. A user's linked accounts live
// in the user record, which cannot make (issuer, subject) unique across
// users; this record, keyed by ExternalIdentityID, does: of two users
// linking one external account at the same moment, one insert wins and
// the other is ErrDuplicate. The claim is written before the user record
// gains the linked account and released after it loses it.
type ExternalIdentity struct {
	EnvironmentID   string    `bson:"environmentId" json:"environmentId"`
	ID              string    `bson:"_id" json:"id"` // ExternalIdentityID(environmentId, issuer, subject)
	Issuer          string    `bson:"issuer" json:"issuer"`
	Subject         string    `bson:"subject" json:"subject"`
	UserID          string    `bson:"userId" json:"userId"`
	LinkedAccountID string    `bson:"linkedAccountId" json:"linkedAccountId"`
	CreatedAt       time.Time `bson:"createdAt" json:"createdAt"`
}

// ExternalIdentityID is the id of the claim of (issuer, subject) in an
// environment: a hash, so that any characters of either stay out of keys,
// with length prefixes so that distinct triples never join alike.
func ExternalIdentityID(envID, issuer, subject string) string {
	s := sha256.Sum256([]byte(strconv.Itoa(len(envID)) + ":" + envID + ":" + strconv.Itoa(len(issuer)) + ":" + issuer + ":" + subject))
	return hex.EncodeToString(s[:])
}

// ExternalIdentities stores the claims of external accounts.
type ExternalIdentities interface {
	// ClaimExternalIdentity stores x (its ID is set from its environment,
	// issuer and subject); an external account already claimed in the
	// environment is ErrDuplicate.
	ClaimExternalIdentity(ctx context.Context, x *ExternalIdentity) error
	// GetExternalIdentity returns the claim of (issuer, subject), or
	// ErrNotFound.
	GetExternalIdentity(ctx context.Context, envID, issuer, subject string) (*ExternalIdentity, error)
	// ReleaseExternalIdentity deletes the claim of (issuer, subject) when
	// userID holds it; else ErrNotFound.
	ReleaseExternalIdentity(ctx context.Context, envID, issuer, subject, userID string) error
}
