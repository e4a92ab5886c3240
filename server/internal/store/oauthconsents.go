package store

import (
	"slices"
	"time"
)

// MaxOAuthConsents bounds a user's embedded OAuth consents: one per
// application, so this is also how many third-party applications one user
// may have said yes to; a consent beyond it drops the least recently
// updated one (that application asks again).
const MaxOAuthConsents = 50

// OAuthConsent is a user's consent to a third-party application
// (Application.RequireConsent) acting for them with Scopes. A user holds at
// most one per application; a broader request adds scopes to it.
// GrantedAt is when this consent began: tokens of the application issued
// before it (from a consent since revoked) are refused, so revoking — which
// removes the consent — ends the application's refresh and access tokens.
type OAuthConsent struct {
	ID        string    `bson:"id" json:"id"`
	ClientID  string    `bson:"clientId" json:"clientId"`
	Scopes    []string  `bson:"scopes" json:"scopes"`
	GrantedAt time.Time `bson:"grantedAt" json:"grantedAt"`
	UpdatedAt time.Time `bson:"updatedAt" json:"updatedAt"`
}

// OAuthConsentFor returns u's consent to the application clientID, or nil.
func (u *User) OAuthConsentFor(clientID string) *OAuthConsent {
	i := slices.IndexFunc(u.OAuthConsents, func(k OAuthConsent) bool { return k.ClientID == clientID })
	if i < 0 {
		return nil
	}
	return &u.OAuthConsents[i]
}

// Covers reports whether the consent includes every one of scopes.
func (k *OAuthConsent) Covers(scopes []string) bool {
	if k == nil {
		return false
	}
	for _, s := range scopes {
		if !slices.Contains(k.Scopes, s) {
			return false
		}
	}
	return true
}

// Allows reports whether a token of the consent's application issued at
// issuedAt may still be used: the consent exists and began no later. JWTs
// carry whole seconds, so pass their iat with the consent's second in
// mind (AllowsJWT).
func (k *OAuthConsent) Allows(issuedAt time.Time) bool {
	return k != nil && !issuedAt.Before(k.GrantedAt)
}

// AllowsJWT is Allows for a token whose issue time has whole seconds.
func (k *OAuthConsent) AllowsJWT(issuedAt time.Time) bool {
	return k != nil && !issuedAt.Before(k.GrantedAt.Truncate(time.Second))
}
