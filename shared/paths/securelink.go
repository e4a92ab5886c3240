package paths

// SecureLink is where the one-time link of a security notice ("this
// wasn't me") leads: GET shows a page asking to secure the account, its
// form POSTs (user, token) to the same path. Server-rendered HTML.
const SecureLink = "/:envId/secureAccount"

// SecurityEvents is an environment's security events for administrators
// (our extension): lockouts, secured accounts and bursts of failed
// sign-ons, newest first.
const SecurityEvents = "/v1/environments/:envId/securityEvents"
