package store

import "slices"

// MaxSignOnPolicies bounds an environment's additional sign-on policies.
const MaxSignOnPolicies = 20

// SignOnPolicyFor is the sign-on policy that applies to an application:
// the additional policy naming its client id, else the default one.
func (e *Environment) SignOnPolicyFor(clientID string) SignOnPolicy {
	for _, p := range e.SignOnPolicies {
		if clientID != "" && slices.Contains(p.Applications, clientID) {
			return p
		}
	}
	return e.SignOnPolicy
}

// ForClient is a copy of e whose SignOnPolicy is the one that applies to
// the application clientID, so code written for one policy per
// environment (the sign-on engine) applies the application's own.
func (e *Environment) ForClient(clientID string) *Environment {
	c := *e
	c.SignOnPolicy = e.SignOnPolicyFor(clientID)
	return &c
}
