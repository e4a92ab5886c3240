package resource

import "time"

// IdentityProviderOIDC is the one identity provider type: an external
// OpenID Connect provider.
const IdentityProviderOIDC = "OPENID_CONNECT"

// ExternalIdentityProvider is an environment's external OpenID Connect provider,
// in PingOne's shape. The client secret is write-only: a read shows only
// whether one is set.
type ExternalIdentityProvider struct {
	Links            Links                   `json:"_links,omitempty"`
	ID               string                  `json:"id"`
	Environment      Ref                     `json:"environment"`
	Type             string                  `json:"type"`
	Name             string                  `json:"name"`
	Description      string                  `json:"description,omitempty"`
	Enabled          bool                    `json:"enabled"`
	Issuer           string                  `json:"issuer"`
	ClientID         string                  `json:"clientId"`
	ClientSecretSet  bool                    `json:"clientSecretSet"`
	Scopes           []string                `json:"scopes"`
	AttributeMapping IdentityProviderMapping `json:"attributeMapping"`
	CreateUsers      bool                    `json:"createUsers"`
	CreatedAt        time.Time               `json:"createdAt"`
	UpdatedAt        time.Time               `json:"updatedAt"`
}

// IdentityProviderMapping names the ID token claims that fill a new
// user's attributes.
type IdentityProviderMapping struct {
	Email      string `json:"email"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
}

// LinkedAccount is one of a user's external accounts, in PingOne's shape:
// the provider and the account's id there (the ID token's sub).
type LinkedAccount struct {
	Links            Links     `json:"_links,omitempty"`
	ID               string    `json:"id"`
	Environment      Ref       `json:"environment"`
	User             Ref       `json:"user"`
	IdentityProvider Ref       `json:"identityProvider"`
	Name             string    `json:"name"` // our extension: the provider's name, "" once it is deleted
	ExternalID       string    `json:"externalId"`
	CreatedAt        time.Time `json:"createdAt"`
}
