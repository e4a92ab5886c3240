package resource

import "time"

// Address is a user's postal address (PingOne's address.*). CountryCode is
// ISO 3166-1 alpha-2; StreetAddress may hold line breaks.
type Address struct {
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	CountryCode   string `json:"countryCode,omitempty"`
}

// Photo is where the user's picture is (an https URL).
type Photo struct {
	Href string `json:"href"`
}

// Lifecycle states (PingOne's lifecycle.status).
const LifecycleAccountOK = "ACCOUNT_OK"

// Lifecycle is the user's account lifecycle; always ACCOUNT_OK here.
type Lifecycle struct {
	Status string `json:"status"`
}

// IdentityProviderPingOne is the type of a user this server keeps itself.
const IdentityProviderPingOne = "PING_ONE"

// IdentityProvider says who keeps the user's credentials (PingOne's
// identityProvider.type); always PING_ONE here.
type IdentityProvider struct {
	Type string `json:"type"`
}

// PendingVerification is a contact change a user started on their own
// record and has not confirmed yet (our extension): the new value got a
// code, and the change applies once the code comes back with the
// user.verify action. Attribute is "email", "mobilePhone" or
// "primaryPhone".
type PendingVerification struct {
	Attribute string    `json:"attribute"`
	Value     string    `json:"value"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// User actions: POST to the user with Content-Type
// application/vnd.pingidentity.<action>+json.
const (
	// ActionUserVerify confirms the pending contact change with its code
	// (PingOne's user.verify, body {verificationCode}).
	ActionUserVerify = "user.verify"
	// ActionUserSendVerificationCode sends a new code for the pending
	// change (PingOne's user.sendVerificationCode, no body).
	ActionUserSendVerificationCode = "user.sendVerificationCode"
	// ActionUserCancelVerification drops the pending change (ours).
	ActionUserCancelVerification = "user.cancelVerification"
)

// VerificationCode is the body of user.verify.
type VerificationCode struct {
	VerificationCode string `json:"verificationCode"`
}

// What end users may do with one profile attribute of their own record:
// the environment's selfService.profileAttributes (PingOne's
// access-control scopes on user attributes, kept as one setting per
// attribute).
const (
	AttributeHidden   = "HIDDEN"    // not shown, not writable
	AttributeReadOnly = "READ_ONLY" // shown, not writable
	AttributeEditable = "EDITABLE"  // shown and writable
)

// ProfileAttributeNames are the keys of selfService.profileAttributes, in
// the order the My profile tab shows them. "name" and "address" cover
// their members, "photo" its href.
var ProfileAttributeNames = []string{
	"username", "name", "nickname", "title", "email", "primaryPhone", "mobilePhone",
	"address", "locale", "preferredLanguage", "timezone", "photo",
}

// DefaultProfileAttribute is the access of an attribute the environment
// has not set: the username and job title are the organisation's to set,
// everything else is the user's.
func DefaultProfileAttribute(name string) string {
	switch name {
	case "username", "title":
		return AttributeReadOnly
	}
	return AttributeEditable
}

// ProfileAccess returns the access of attribute name under the setting m
// (missing keys take their default).
func ProfileAccess(m map[string]string, name string) string {
	if v, ok := m[name]; ok {
		return v
	}
	return DefaultProfileAttribute(name)
}

// EffectiveProfileAttributes is the setting m with every attribute's
// access filled in (defaults for the missing ones).
func EffectiveProfileAttributes(m map[string]string) map[string]string {
	out := make(map[string]string, len(ProfileAttributeNames))
	for _, n := range ProfileAttributeNames {
		out[n] = ProfileAccess(m, n)
	}
	return out
}
