// Package scope names the OAuth scopes MyAccount tokens carry (PingOne's
// self-management scope names) and the sets the server grants.
package scope

import (
	"slices"
	"strings"
)

// OpenID Connect scopes.
const (
	OpenID  = "openid"
	Profile = "profile"
	Email   = "email"
)

// Self-management scopes: they act only on the token's own subject.
const (
	ReadUser             = "p1:read:user"
	UpdateUser           = "p1:update:user"
	CreateDevice         = "p1:create:device"
	ReadDevice           = "p1:read:device"
	UpdateDevice         = "p1:update:device"
	DeleteDevice         = "p1:delete:device"
	ReadUserPassword     = "p1:read:userPassword"
	ResetUserPassword    = "p1:reset:userPassword"
	ValidateUserPassword = "p1:validate:userPassword"
	ReadSessions         = "p1:read:sessions"
	DeleteSessions       = "p1:delete:sessions"
	ReadLinkedAccounts   = "p1:read:userLinkedAccounts"
	DeleteLinkedAccounts = "p1:delete:userLinkedAccounts"
	ReadUserConsent      = "p1:read:userConsent"
	ReadOAuthConsent     = "p1:read:oauthConsent"
	UpdateOAuthConsent   = "p1:update:oauthConsent"
	UpdateUserMFAEnabled = "p1:update:userMfaEnabled"
)

// Reads lists the self-management scopes that only read; a session that has
// not completed MFA gets only these when reduced scopes are on.
var Reads = []string{
	ReadUser, ReadDevice, ReadUserPassword, ReadSessions,
	ReadLinkedAccounts, ReadUserConsent, ReadOAuthConsent,
}

// IsRead reports whether s only reads.
func IsRead(s string) bool { return slices.Contains(Reads, s) }

// Set is a parsed, space-separated scope string.
type Set []string

// Parse splits a space-separated scope string, dropping empties and duplicates.
func Parse(s string) Set {
	var out Set
	for _, f := range strings.Fields(s) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Has reports whether the set holds s.
func (s Set) Has(name string) bool { return slices.Contains(s, name) }

// String joins the set with spaces, as the "scope" claim carries it.
func (s Set) String() string { return strings.Join(s, " ") }
