// Package grant decides which scopes a user token carries: what the client
// asked for, cut down to what the environment's self-service features allow
// and, under reduced scopes, to reads until the session has completed MFA.
// The server decides; the PWA only reflects the scopes it was given.
package grant

import (
	"slices"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/scope"
)

// Feature names one self-service switch and the scopes it brings.
type Feature struct {
	Name string
	// Setting is the selfService switch (its API attribute) that turns
	// the feature on.
	Setting string
	Enabled func(store.SelfService) bool
	Scopes  []string
}

// Features lists the self-service features that exist so far and the
// self-management scopes each one grants. Later features add rows here.
var Features = []Feature{
	{Name: "profile", Setting: "manageProfile", Enabled: func(s store.SelfService) bool { return s.ManageProfile }, Scopes: []string{scope.ReadUser, scope.UpdateUser}},
	{Name: "authentication", Setting: "manageAuthentication", Enabled: func(s store.SelfService) bool { return s.ManageAuthentication }, Scopes: []string{
		scope.ReadDevice, scope.CreateDevice, scope.UpdateDevice, scope.DeleteDevice}},
	{Name: "changePassword", Setting: "changePassword", Enabled: func(s store.SelfService) bool { return s.ChangePassword }, Scopes: []string{
		scope.ReadUserPassword, scope.ValidateUserPassword, scope.ResetUserPassword}},
	// Accounts & sessions: the open sessions and the security activity
	// (read), signing sessions off and "Secure my account" (delete).
	{Name: "sessions", Setting: "manageSessions", Enabled: func(s store.SelfService) bool { return s.ManageSessions }, Scopes: []string{
		scope.ReadSessions, scope.DeleteSessions}},
	// Linked accounts: list and unlink external accounts.
	{Name: "linkedAccounts", Setting: "manageLinkedAccounts", Enabled: func(s store.SelfService) bool { return s.ManageLinkedAccounts }, Scopes: []string{
		scope.ReadLinkedAccounts, scope.DeleteLinkedAccounts}},
	// Consents: the agreements the user consented to, and revoking one.
	{Name: "agreements", Setting: "viewAgreements", Enabled: func(s store.SelfService) bool { return s.ViewAgreements }, Scopes: []string{scope.ReadUserConsent}},
	// Application consents: the third-party applications the user allowed,
	// and revoking one (which ends its tokens).
	{Name: "oauthConsents", Setting: "manageOAuthConsents", Enabled: func(s store.SelfService) bool { return s.ManageOAuthConsents }, Scopes: []string{
		scope.ReadOAuthConsent, scope.UpdateOAuthConsent}},
}

// Off maps each scope of a feature that is switched off in s to that
// feature: authn drops them from a token on every request, so switching a
// feature off takes effect before the token expires.
func Off(s store.SelfService) map[string]Feature {
	out := map[string]Feature{}
	for _, f := range Features {
		if !f.Enabled(s) {
			for _, sc := range f.Scopes {
				out[sc] = f
			}
		}
	}
	return out
}

// checksOnly are write-shaped scopes that change nothing (validating a
// candidate password): reduced scopes keep them with the reads, so the
// Change password tab can show its rules before the step-up.
var checksOnly = []string{scope.ValidateUserPassword}

// OIDC scopes any client of the environment may have.
var oidc = []string{scope.OpenID, scope.Profile, scope.Email}

// Input is what the decision depends on.
type Input struct {
	Requested     scope.Set
	SelfService   store.SelfService
	Features      []Feature // nil: Features
	ReducedScopes bool      // the client's "allow user actions according to granted authentication scopes"
	MFADone       bool      // the session completed MFA
	// NoActiveDevice: the user has no active MFA method. Pairing the first
	// one needs no MFA (DESIGN §5: otherwise nobody could start), so the
	// create scope survives reduced scopes.
	NoActiveDevice bool
}

// Scopes returns the granted scopes, in the order requested.
func Scopes(in Input) scope.Set {
	feats := in.Features
	if feats == nil {
		feats = Features
	}
	allowed := slices.Clone(oidc)
	for _, f := range feats {
		if f.Enabled(in.SelfService) {
			allowed = append(allowed, f.Scopes...)
		}
	}
	var out scope.Set
	for _, s := range in.Requested {
		if !slices.Contains(allowed, s) || slices.Contains(out, s) {
			continue
		}
		firstDevice := in.NoActiveDevice && s == scope.CreateDevice
		if in.ReducedScopes && !in.MFADone && !slices.Contains(oidc, s) && !scope.IsRead(s) && !slices.Contains(checksOnly, s) && !firstDevice {
			continue
		}
		out = append(out, s)
	}
	return out
}
