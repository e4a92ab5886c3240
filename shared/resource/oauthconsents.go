package resource

import "time"

// The consent step of a third-party application (Application.RequireConsent):
// a signed-on user who has not yet allowed every scope the application asks
// for sees CONSENT_REQUIRED; oauth.consent {accept: true} records the
// consent and completes the flow, false sends the browser back to the
// application with error=access_denied.
const (
	FlowConsentRequired = "CONSENT_REQUIRED"
	ActionOAuthConsent  = "oauth.consent"
)

// OAuthConsentAnswer is the body of oauth.consent.
type OAuthConsentAnswer struct {
	Accept *bool `json:"accept"`
}

// FlowConsent is what CONSENT_REQUIRED asks: the application and the
// scopes it asks for; New are those the user has not allowed before (all
// of them the first time).
type FlowConsent struct {
	Application Ref      `json:"application"`
	Name        string   `json:"name"`
	Scopes      []string `json:"scopes"`
	New         []string `json:"newScopes"`
}

// Statuses of an OAuth consent (PingOne's).
const (
	OAuthConsentAccepted = "ACCEPTED"
	OAuthConsentRevoked  = "REVOKED"
)

// OAuthConsentRevoke is the body of PATCH …/oauthConsents/{id} with
// Content-Type application/vnd.pingidentity.consent.revoke+json (PingOne's
// shape): {"status": "REVOKED"}.
type OAuthConsentRevoke struct {
	Status string `json:"status"`
}

// UserOAuthConsent is a user's consent to a third-party application
// (/users/{userId}/oauthConsents/{id}): the scopes allowed, when the
// consent was first given and last widened.
type UserOAuthConsent struct {
	Links       Links         `json:"_links"`
	ID          string        `json:"id"`
	Environment Ref           `json:"environment"`
	User        Ref           `json:"user"`
	Application ConsentAppRef `json:"application"`
	Scopes      []string      `json:"scopes"`
	Status      string        `json:"status"`
	GrantedAt   time.Time     `json:"grantedAt"`
	CreatedAt   time.Time     `json:"createdAt"`
	UpdatedAt   time.Time     `json:"updatedAt"`
}

// ConsentAppRef names the application of a consent.
type ConsentAppRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Kinds and changes of a consent history entry.
const (
	ConsentKindAgreement   = "AGREEMENT"
	ConsentKindApplication = "APPLICATION"
	ConsentGiven           = "GIVEN"
	ConsentRevoked         = "REVOKED"
	ConsentDeclined        = "DECLINED"
)

// ConsentHistoryEntry is one consent given, declined or revoked
// (/users/{userId}/consentHistory, our extension), read from the user's
// security events, so it lasts as long as they do (90 days).
type ConsentHistoryEntry struct {
	ID     string   `json:"id"`
	Kind   string   `json:"kind"`   // AGREEMENT or APPLICATION
	Change string   `json:"change"` // GIVEN, DECLINED or REVOKED
	Target Ref      `json:"target"` // the agreement or application
	Name   string   `json:"name"`   // its name now ("" when it is gone)
	Scopes []string `json:"scopes,omitempty"`
	// Actor is who made the change: the user, or an administrator.
	Actor     EventActor `json:"actor"`
	CreatedAt time.Time  `json:"createdAt"`
}
