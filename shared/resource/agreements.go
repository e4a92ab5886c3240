package resource

import "time"

// Content types of an agreement revision's text.
const (
	AgreementTextPlain = "text/plain"
	AgreementTextHTML  = "text/html" // stored sanitised to a small allow-list
)

// Agreement is terms an environment's users consent to
// (/environments/{envId}/agreements/{agreementId}).
type Agreement struct {
	Links       Links     `json:"_links"`
	ID          string    `json:"id"`
	Environment Ref       `json:"environment"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Enabled     bool      `json:"enabled"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// AgreementLanguage is an agreement's text for one locale
// (…/agreements/{agreementId}/languages/{languageId}); CurrentRevision is
// the revision in effect now, when there is one.
type AgreementLanguage struct {
	Links           Links     `json:"_links"`
	ID              string    `json:"id"`
	Agreement       Ref       `json:"agreement"`
	Locale          string    `json:"locale"`
	Enabled         bool      `json:"enabled"`
	CurrentRevision *Ref      `json:"currentRevision,omitempty"`
	CreatedAt       time.Time `json:"createdAt"`
}

// AgreementRevision is one immutable version of a language's text
// (…/languages/{languageId}/revisions/{revisionId}). An HTML text is
// already sanitised; a client still renders it only through its own
// safe path, never as raw markup of its own making.
type AgreementRevision struct {
	Links            Links     `json:"_links"`
	ID               string    `json:"id"`
	Agreement        Ref       `json:"agreement"`
	Language         Ref       `json:"language"`
	ContentType      string    `json:"contentType"`
	Text             string    `json:"text"`
	EffectiveAt      time.Time `json:"effectiveAt"`
	RequireReconsent bool      `json:"requireReconsent"`
	CreatedAt        time.Time `json:"createdAt"`
}

// The hosted flow's agreement step (PingOne's status and action names).
const (
	FlowAgreementConsentRequired = "AGREEMENT_CONSENT_REQUIRED"
	ActionAgreementConsent       = "agreement.consent"
)

// AgreementConsentAnswer is the body of agreement.consent: accept true
// records the consent and continues; false fails the flow.
type AgreementConsentAnswer struct {
	Accept *bool `json:"accept"`
}

// FlowAgreement is the agreement a flow asks the user to consent to, with
// the text of the revision in effect in the user's language. An HTML text
// is sanitised on write; clients render it only through a safe path.
type FlowAgreement struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Locale      string `json:"locale"`
	Revision    Ref    `json:"revision"`
	ContentType string `json:"contentType"`
	Text        string `json:"text"`
}

// Statuses of a user's agreement consent.
const (
	ConsentAccepted = "ACCEPTED"
	ConsentPending  = "PENDING" // none recorded (or revoked): the next sign-on asks
)

// ActionConsentRevoke is the action of POST …/agreementConsents/{agreementId}.
const ActionConsentRevoke = "consent.revoke"

// UserAgreementConsent is a user's consent to one agreement
// (/users/{userId}/agreementConsents/{agreementId}): the revision, language
// and time of an ACCEPTED one; a PENDING one has none of them.
type UserAgreementConsent struct {
	Links       Links      `json:"_links"`
	Agreement   Ref        `json:"agreement"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	Language    *Ref       `json:"language,omitempty"`
	Locale      string     `json:"locale,omitempty"`
	Revision    *Ref       `json:"revision,omitempty"`
	ConsentedAt *time.Time `json:"consentedAt,omitempty"`
}
