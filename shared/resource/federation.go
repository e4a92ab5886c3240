package resource

// Federated sign-on with an external OpenID Connect provider (our
// extension of PingOne's flow): the hosted sign-on page offers each
// enabled provider of the environment (FlowEmbedded.IdentityProviders);
// the browser goes to the provider and back, and the flow continues as the
// linked user, or asks the password of the account the provider's email
// address matches (PASSWORD_REQUIRED, password.check) before linking it.
const (
	// FlowPasswordRequired: the flow's user is known (an external account
	// matched their email address, or they link a provider from MyAccount
	// without a recent MFA) and must prove the account is theirs with its
	// password.
	FlowPasswordRequired = "PASSWORD_REQUIRED"
	// ActionPasswordCheck answers PASSWORD_REQUIRED: {"password": "…"}.
	ActionPasswordCheck = "password.check"
)

// PasswordCheck is the body of password.check.
type PasswordCheck struct {
	Password string `json:"password"`
}

// FlowIdentityProvider is a provider a sign-on flow offers: the page links
// to Href, which sends the browser to the provider.
type FlowIdentityProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Href string `json:"href"`
}

// FlowError is why the last external sign-on of a flow failed; the flow
// goes on where it was, so the user may try again or sign on otherwise.
type FlowError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Federation error codes (FlowError.Code and MyAccount's ?linkError=).
const (
	FederationFailed        = "EXTERNAL_SIGNON_FAILED"     // the provider refused, or its answer did not verify
	FederationNoAccount     = "NO_MATCHING_ACCOUNT"        // no linked or matching user, and the provider creates none
	FederationLinkedToOther = "ALREADY_LINKED"             // the external account is another user's
	FederationUnavailable   = "PROVIDER_UNAVAILABLE"       // the provider is disabled, deleted or unreachable
	FederationLimit         = "LINKED_ACCOUNTS_LIMIT"      // the user has the most linked accounts allowed
	FederationNoPassword    = "PASSWORD_PROOF_UNAVAILABLE" // the matching account has no password to prove it with
)

// AppIdentityProvider is an enabled external provider as the PWA's
// configuration names it.
type AppIdentityProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}
