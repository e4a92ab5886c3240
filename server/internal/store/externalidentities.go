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

// FlowLinkMode marks a flow that links a provider to its (signed-on) user
// from MyAccount rather than signing on.
const FlowLinkMode = "LINK"

// FlowFederation is a flow's round trip to an external provider. The
// state's secret (StateHash), the nonce and the PKCE verifier are bound to
// the flow and used once: the callback clears StateHash with the flow's
// version guard before it does anything else. Issuer and Subject hold a
// verified external account waiting for its user's password (the flow is
// PASSWORD_REQUIRED).
type FlowFederation struct {
	Mode       string    `bson:"mode,omitempty" json:"mode,omitempty"` // "" (sign-on) or FlowLinkMode
	ProviderID string    `bson:"providerId" json:"providerId"`
	StateHash  string    `bson:"stateHash,omitempty" json:"stateHash,omitempty"`
	Nonce      string    `bson:"nonce,omitempty" json:"nonce,omitempty"`
	Verifier   string    `bson:"verifier,omitempty" json:"verifier,omitempty"`
	ExpiresAt  time.Time `bson:"expiresAt" json:"expiresAt"`
	Issuer     string    `bson:"issuer,omitempty" json:"issuer,omitempty"`
	Subject    string    `bson:"subject,omitempty" json:"subject,omitempty"`
	// ErrorCode and ErrorMessage: why the last round trip failed (shown
	// once by the flow; cleared by its next action).
	ErrorCode    string `bson:"errorCode,omitempty" json:"errorCode,omitempty"`
	ErrorMessage string `bson:"errorMessage,omitempty" json:"errorMessage,omitempty"`
}
