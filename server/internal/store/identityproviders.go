package store

import "time"

// MaxIdentityProviders bounds an environment's external identity
// providers: they live in the environment record.
const MaxIdentityProviders = 10

// IdentityProvider is an external OpenID Connect provider users of the
// environment may sign on with (PingOne's OPENID_CONNECT identity
// provider). ClientSecretSealed is the client secret sealed with the
// server's secret box (associated data: environment and provider ids);
// it is never shown.
type IdentityProvider struct {
	ID                 string           `bson:"id" json:"id"`
	Type               string           `bson:"type" json:"type"`
	Name               string           `bson:"name" json:"name"`
	Description        string           `bson:"description,omitempty" json:"description,omitempty"`
	Enabled            bool             `bson:"enabled" json:"enabled"`
	Issuer             string           `bson:"issuer" json:"issuer"`
	ClientID           string           `bson:"clientId" json:"clientId"`
	ClientSecretSealed []byte           `bson:"clientSecretSealed,omitempty" json:"clientSecretSealed,omitempty"`
	Scopes             []string         `bson:"scopes" json:"scopes"`
	AttributeMapping   AttributeMapping `bson:"attributeMapping" json:"attributeMapping"`
	CreateUsers        bool             `bson:"createUsers" json:"createUsers"`
	CreatedAt          time.Time        `bson:"createdAt" json:"createdAt"`
	UpdatedAt          time.Time        `bson:"updatedAt" json:"updatedAt"`
}

// AttributeMapping names the ID token claims that fill a user's
// attributes when a provider creates a user.
type AttributeMapping struct {
	Email      string `bson:"email" json:"email"`
	GivenName  string `bson:"givenName" json:"givenName"`
	FamilyName string `bson:"familyName" json:"familyName"`
}

// MaxLinkedAccounts bounds a user's linked accounts: they live in the
// user record.
const MaxLinkedAccounts = 10

// LinkedAccount is an external account (the provider's issuer and
// subject) a user may sign on with. Issuer and Subject, never an email
// address, identify the external account.
type LinkedAccount struct {
	ID                 string    `bson:"id" json:"id"`
	IdentityProviderID string    `bson:"identityProviderId" json:"identityProviderId"`
	Issuer             string    `bson:"issuer" json:"issuer"`
	Subject            string    `bson:"subject" json:"subject"`
	CreatedAt          time.Time `bson:"createdAt" json:"createdAt"`
}
