package store

import "time"

// Bounds of an environment's agreements. They are embedded in the
// environment record, so the total text is capped as well as each part:
// the record stays far below a Mongo document's 16 MB.
const (
	MaxAgreements          = 10      // agreements per environment
	MaxAgreementLanguages  = 10      // languages per agreement
	MaxAgreementRevisions  = 20      // revisions per language
	MaxAgreementText       = 32_000  // characters (runes) in one revision's text, PingOne's limit
	MaxAgreementTextTotal  = 2 << 20 // bytes of revision text across the environment
	MaxAgreementNameLength = 256     // runes in an agreement's name or description
)

// Agreement is terms an environment's users consent to (PingOne's
// /agreements): per-locale languages, each with immutable revisions.
type Agreement struct {
	ID          string              `bson:"id" json:"id"`
	Name        string              `bson:"name" json:"name"`
	Description string              `bson:"description" json:"description"`
	Enabled     bool                `bson:"enabled" json:"enabled"`
	Languages   []AgreementLanguage `bson:"languages" json:"languages"`
	CreatedAt   time.Time           `bson:"createdAt" json:"createdAt"`
	UpdatedAt   time.Time           `bson:"updatedAt" json:"updatedAt"`
}

// AgreementLanguage is an agreement's text for one BCP 47 locale.
type AgreementLanguage struct {
	ID        string              `bson:"id" json:"id"`
	Locale    string              `bson:"locale" json:"locale"`
	Enabled   bool                `bson:"enabled" json:"enabled"`
	Revisions []AgreementRevision `bson:"revisions" json:"revisions"`
	CreatedAt time.Time           `bson:"createdAt" json:"createdAt"`
}

// AgreementRevision is one immutable version of a language's text. The
// one shown is the latest whose EffectiveAt has passed; RequireReconsent
// asks users who consented to an earlier revision again. An HTML text is
// stored sanitised (never as written).
type AgreementRevision struct {
	ID               string    `bson:"id" json:"id"`
	ContentType      string    `bson:"contentType" json:"contentType"`
	Text             string    `bson:"text" json:"text"`
	EffectiveAt      time.Time `bson:"effectiveAt" json:"effectiveAt"`
	RequireReconsent bool      `bson:"requireReconsent" json:"requireReconsent"`
	CreatedAt        time.Time `bson:"createdAt" json:"createdAt"`
}

// CurrentRevision is the language's revision in effect at now: the one
// with the latest EffectiveAt not after now (the later-created on a tie).
func (l AgreementLanguage) CurrentRevision(now time.Time) (AgreementRevision, bool) {
	var cur AgreementRevision
	found := false
	for _, r := range l.Revisions {
		if r.EffectiveAt.After(now) {
			continue
		}
		if !found || !r.EffectiveAt.Before(cur.EffectiveAt) {
			cur, found = r, true
		}
	}
	return cur, found
}

// AgreementConsent is a user's consent to an agreement: the revision and
// language shown and when. A user holds at most one per agreement (the
// latest); revoking removes it, so the next sign-on asks again.
type AgreementConsent struct {
	AgreementID string    `bson:"agreementId" json:"agreementId"`
	LanguageID  string    `bson:"languageId" json:"languageId"`
	Locale      string    `bson:"locale" json:"locale"`
	RevisionID  string    `bson:"revisionId" json:"revisionId"`
	ConsentedAt time.Time `bson:"consentedAt" json:"consentedAt"`
}
