package store

import "time"

// Profile holds a user's profile attributes beyond the name (the name
// parts stay on User, where they were first). Phone numbers are E.164;
// Locale is a canonical BCP 47 tag; Timezone an IANA zone name.
type Profile struct {
	HonorificPrefix   string  `bson:"honorificPrefix" json:"honorificPrefix"`
	HonorificSuffix   string  `bson:"honorificSuffix" json:"honorificSuffix"`
	Nickname          string  `bson:"nickname" json:"nickname"`
	Title             string  `bson:"title" json:"title"`
	PrimaryPhone      string  `bson:"primaryPhone" json:"primaryPhone"`
	MobilePhone       string  `bson:"mobilePhone" json:"mobilePhone"`
	Address           Address `bson:"address" json:"address"`
	Locale            string  `bson:"locale" json:"locale"`
	PreferredLanguage string  `bson:"preferredLanguage" json:"preferredLanguage"`
	Timezone          string  `bson:"timezone" json:"timezone"`
	PhotoHref         string  `bson:"photoHref" json:"photoHref"`
}

// Address is a user's postal address.
type Address struct {
	StreetAddress string `bson:"streetAddress" json:"streetAddress"`
	Locality      string `bson:"locality" json:"locality"`
	Region        string `bson:"region" json:"region"`
	PostalCode    string `bson:"postalCode" json:"postalCode"`
	CountryCode   string `bson:"countryCode" json:"countryCode"`
}

// ContactChange is a contact change a user asked for on their own record
// and has not confirmed: the new value, the keyed hash of the code sent to
// it (otp.Hasher, bound to the environment and user), and its timers. It
// lives on the user so that "use the code once" and the failure count are
// the same version-guarded update that applies the change. One at a time:
// a new change replaces it.
type ContactChange struct {
	Attribute string    `bson:"attribute" json:"attribute"` // email, mobilePhone, primaryPhone
	Value     string    `bson:"value" json:"value"`
	CodeHash  string    `bson:"codeHash" json:"codeHash"`
	SentAt    time.Time `bson:"sentAt" json:"sentAt"`
	ExpiresAt time.Time `bson:"expiresAt" json:"expiresAt"`
	Failures  int       `bson:"failures" json:"failures"`
}

// EmailUndo lets the previous address take back a confirmed email change
// for a while: the SHA-256 of the token mailed to it, the address to
// restore (and whether it was verified), and until when.
type EmailUndo struct {
	TokenHash   string    `bson:"tokenHash" json:"tokenHash"`
	OldEmail    string    `bson:"oldEmail" json:"oldEmail"`
	OldVerified bool      `bson:"oldVerified" json:"oldVerified"`
	NewEmail    string    `bson:"newEmail" json:"newEmail"`
	ExpiresAt   time.Time `bson:"expiresAt" json:"expiresAt"`
}
