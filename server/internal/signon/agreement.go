package signon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// The agreement step: when the environment's sign-on policy names an
// enabled agreement and the user has not consented to its revision in
// effect (or that revision requires consent again), a flow that would
// complete goes to AGREEMENT_CONSENT_REQUIRED instead, showing the text
// in the user's language; agreement.consent {accept: true} records the
// consent on the user and completes the flow, false fails it.

// pendingAgreement is what a user must consent to now.
type pendingAgreement struct {
	agreement store.Agreement
	language  store.AgreementLanguage
	revision  store.AgreementRevision
}

// doneStatus is the status of a flow whose user has proven who they are:
// COMPLETED, or AGREEMENT_CONSENT_REQUIRED while an agreement waits.
func (e *Engine) doneStatus(ctx context.Context, f *store.Flow) (string, error) {
	if f.Kind != "" || f.UserID == "" {
		return resource.FlowCompleted, nil
	}
	p, err := e.flowAgreement(ctx, f)
	if err != nil {
		return "", err
	}
	if p == nil {
		return e.consentStatus(ctx, f)
	}
	return resource.FlowAgreementConsentRequired, nil
}

// flowAgreement loads the flow's environment and user and returns the
// agreement the user must consent to, or nil.
func (e *Engine) flowAgreement(ctx context.Context, f *store.Flow) (*pendingAgreement, error) {
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return nil, err
	}
	if env.SignOnPolicy.AgreementID == "" {
		return nil, nil
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return nil, fmt.Errorf("load flow user: %w", err)
	}
	return e.agreementFor(env, u), nil
}

// agreementFor is what u must consent to in env now, or nil.
func (e *Engine) agreementFor(env *store.Environment, u *store.User) *pendingAgreement {
	i := slices.IndexFunc(env.Agreements, func(ag store.Agreement) bool { return ag.ID == env.SignOnPolicy.AgreementID })
	if i < 0 || !env.Agreements[i].Enabled {
		return nil
	}
	ag := env.Agreements[i]
	l, r, ok := agreementText(ag, notify.UserLocale(u), e.d.Now)
	if !ok {
		return nil
	}
	for _, c := range u.AgreementConsents {
		if c.AgreementID == ag.ID && (c.RevisionID == r.ID || !r.RequireReconsent) {
			return nil
		}
	}
	return &pendingAgreement{agreement: ag, language: l, revision: r}
}

// agreementText picks the language to show for locale: the exact locale,
// then its base language, then English, then the first language with text
// (PingOne falls back to the environment's default language); only enabled
// languages with a revision in effect count.
func agreementText(ag store.Agreement, locale string, now func() time.Time) (store.AgreementLanguage, store.AgreementRevision, bool) {
	base, _, _ := strings.Cut(locale, "-")
	for _, want := range []string{locale, base, "en", ""} {
		for _, l := range ag.Languages {
			if !l.Enabled || (want != "" && !strings.EqualFold(l.Locale, want)) {
				continue
			}
			if r, ok := l.CurrentRevision(now()); ok {
				return l, r, true
			}
		}
	}
	return store.AgreementLanguage{}, store.AgreementRevision{}, false
}

// agreementConsent answers agreement.consent.
func (e *Engine) agreementConsent(c *fiber.Ctx, f *store.Flow) error {
	var in resource.AgreementConsentAnswer
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if in.Accept == nil {
		return apierr.Invalid("accept is required.", apierr.Field(apierr.DetailRequired, "accept", "accept must be true or false."))
	}
	ctx := c.UserContext()
	if !*in.Accept {
		f.Status = resource.FlowFailed
		if err := e.save(ctx, f); err != nil {
			return err
		}
		agreementID := ""
		if p, err := e.flowAgreement(ctx, f); err == nil && p != nil {
			agreementID = p.agreement.ID
		}
		e.recordAgreement(c, f, audit.OutcomeFailure, agreementID)
		return nil
	}
	for range 3 {
		env, err := e.flowEnv(ctx, f)
		if err != nil {
			return err
		}
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return fmt.Errorf("load flow user: %w", err)
		}
		p := e.agreementFor(env, u)
		if p == nil { // consented meanwhile, or the agreement went away
			break
		}
		consent := store.AgreementConsent{AgreementID: p.agreement.ID, LanguageID: p.language.ID, Locale: p.language.Locale,
			RevisionID: p.revision.ID, ConsentedAt: e.d.Now()}
		u.AgreementConsents = slices.DeleteFunc(u.AgreementConsents, func(c store.AgreementConsent) bool {
			return c.AgreementID == p.agreement.ID || !slices.ContainsFunc(env.Agreements, func(ag store.Agreement) bool { return ag.ID == c.AgreementID })
		})
		if len(u.AgreementConsents) >= store.MaxAgreements {
			u.AgreementConsents = u.AgreementConsents[1:]
		}
		u.AgreementConsents = append(u.AgreementConsents, consent)
		u.UpdatedAt = e.d.Now()
		err = e.d.Users.UpdateUser(ctx, u)
		if err == nil {
			e.recordAgreement(c, f, audit.OutcomeSuccess, p.agreement.ID)
			break
		}
		if !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("save consent: %w", err)
		}
	}
	st, err := e.doneStatus(ctx, f)
	if err != nil {
		return err
	}
	if st == resource.FlowAgreementConsentRequired {
		return apierr.ConflictError("Your account changed in another request. Try again.")
	}
	f.Status = st
	return e.save(ctx, f)
}

// embedAgreement shows the pending agreement in a flow's view.
func (e *Engine) embedAgreement(env *store.Environment, u *store.User, out *resource.Flow) {
	p := e.agreementFor(env, u)
	if p == nil {
		return
	}
	out.Embedded.Agreement = &resource.FlowAgreement{ID: p.agreement.ID, Name: p.agreement.Name, Locale: p.language.Locale,
		Revision: resource.Ref{ID: p.revision.ID}, ContentType: p.revision.ContentType, Text: p.revision.Text}
}
