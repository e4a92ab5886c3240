package signon

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/grant"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// The consent step of third-party applications: when the flow's client
// requires consent (store.Application.RequireConsent) and the user has not
// allowed every scope it asks for, a flow that would complete goes to
// CONSENT_REQUIRED instead (after any agreement). oauth.consent
// {accept: true} records the consent on the user (one per application, the
// scopes added to what was allowed before) and completes the flow; false
// completes it as denied, so resuming answers the client with
// error=access_denied.

// ConsentScopes are the scopes of a request a user consents to: those the
// environment could ever grant (grant.Scopes with MFA done), in the order
// asked. Scopes no token would carry are not worth asking about.
func ConsentScopes(env *store.Environment, requested string) []string {
	return grant.Scopes(grant.Input{Requested: scope.Parse(requested), SelfService: env.SelfService, MFADone: true})
}

// ConsentNeeded reports whether u must see app's consent screen before a
// request for scopes gets a code.
func ConsentNeeded(app *store.Application, u *store.User, scopes []string) bool {
	return app.RequireConsent && !u.OAuthConsentFor(app.ID).Covers(scopes)
}

// consentStatus is COMPLETED, or CONSENT_REQUIRED while the flow's client
// waits for the user's consent.
func (e *Engine) consentStatus(ctx context.Context, f *store.Flow) (string, error) {
	p, err := e.pendingConsent(ctx, f)
	if err != nil || p == nil {
		return resource.FlowCompleted, err
	}
	return resource.FlowConsentRequired, nil
}

// pendingConsent is what the user must allow now, or nil.
func (e *Engine) pendingConsent(ctx context.Context, f *store.Flow) (*resource.FlowConsent, error) {
	if e.d.Apps == nil || f.ClientID == "" || f.UserID == "" || f.ConsentDenied {
		return nil, nil
	}
	app, err := e.d.Apps.GetApplication(ctx, f.EnvironmentID, f.ClientID)
	if err != nil {
		return nil, fmt.Errorf("load flow client: %w", err)
	}
	if !app.RequireConsent {
		return nil, nil
	}
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return nil, err
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return nil, fmt.Errorf("load flow user: %w", err)
	}
	scopes := ConsentScopes(env, f.Scope)
	if !ConsentNeeded(app, u, scopes) {
		return nil, nil
	}
	out := &resource.FlowConsent{Application: resource.Ref{ID: app.ID}, Name: app.Name, Scopes: scopes, New: []string{}}
	if out.Scopes == nil {
		out.Scopes = []string{}
	}
	k := u.OAuthConsentFor(app.ID)
	for _, s := range scopes {
		if k == nil || !slices.Contains(k.Scopes, s) {
			out.New = append(out.New, s)
		}
	}
	return out, nil
}

// oauthConsent answers oauth.consent.
func (e *Engine) oauthConsent(c *fiber.Ctx, f *store.Flow) error {
	var in resource.OAuthConsentAnswer
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if in.Accept == nil {
		return apierr.Invalid("accept is required.", apierr.Field(apierr.DetailRequired, "accept", "accept must be true or false."))
	}
	ctx := c.UserContext()
	p, err := e.pendingConsent(ctx, f)
	if err != nil {
		return err
	}
	if !*in.Accept {
		f.ConsentDenied, f.Status = true, resource.FlowCompleted
		if err := e.save(ctx, f); err != nil {
			return err
		}
		e.recordConsent(c, f, audit.OutcomeFailure, "denied", "", p)
		return nil
	}
	if p != nil {
		id, err := e.grantConsent(ctx, f, p.Scopes)
		if err != nil {
			return err
		}
		e.recordConsent(c, f, audit.OutcomeSuccess, "given", id, p)
	}
	st, err := e.doneStatus(ctx, f)
	if err != nil {
		return err
	}
	if st != resource.FlowCompleted {
		return apierr.ConflictError("Your account changed in another request. Try again.")
	}
	f.Status = st
	return e.save(ctx, f)
}

// grantConsent adds scopes to the user's consent to the flow's client (a
// new consent when there is none), as one version-guarded update of the
// user's record, and returns the consent's id.
func (e *Engine) grantConsent(ctx context.Context, f *store.Flow, scopes []string) (string, error) {
	for range 5 {
		u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
		if err != nil {
			return "", fmt.Errorf("load flow user: %w", err)
		}
		now := e.d.Now()
		k := u.OAuthConsentFor(f.ClientID)
		if k == nil {
			if len(u.OAuthConsents) >= store.MaxOAuthConsents {
				oldest := 0
				for i, o := range u.OAuthConsents {
					if o.UpdatedAt.Before(u.OAuthConsents[oldest].UpdatedAt) {
						oldest = i
					}
				}
				u.OAuthConsents = slices.Delete(u.OAuthConsents, oldest, oldest+1)
			}
			u.OAuthConsents = append(u.OAuthConsents, store.OAuthConsent{ID: ids.New(), ClientID: f.ClientID, GrantedAt: now})
			k = &u.OAuthConsents[len(u.OAuthConsents)-1]
		}
		for _, s := range scopes {
			if !slices.Contains(k.Scopes, s) {
				k.Scopes = append(k.Scopes, s)
			}
		}
		if k.Scopes == nil {
			k.Scopes = []string{}
		}
		k.UpdatedAt = now
		id := k.ID
		u.UpdatedAt = now
		err = e.d.Users.UpdateUser(ctx, u)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return "", fmt.Errorf("save consent: %w", err)
		}
	}
	return "", apierr.ConflictError("Your account changed in another request. Try again.")
}

func (e *Engine) recordConsent(c *fiber.Ctx, f *store.Flow, outcome, change, consentID string, p *resource.FlowConsent) {
	d := map[string]string{"flowId": f.ID, "clientId": f.ClientID, "change": change}
	if consentID != "" {
		d["consentId"] = consentID
	}
	if p != nil {
		d["scopes"] = scope.Set(p.Scopes).String()
	}
	e.d.Audit.Record(c.UserContext(), store.Event{
		EnvironmentID: f.EnvironmentID, Action: audit.ActionOAuthConsent, Outcome: outcome, ActorType: audit.ActorUser,
		ActorID: f.UserID, UserID: f.UserID, IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), Details: d,
	})
}

// embedConsent shows the pending consent in a flow's view.
func (e *Engine) embedConsent(ctx context.Context, f *store.Flow, out *resource.Flow) error {
	p, err := e.pendingConsent(ctx, f)
	if err != nil || p == nil {
		return err
	}
	out.Embedded.Consent = p
	return nil
}

// recordAgreement records an agreement consent given or declined, naming
// the agreement so the consent history can show it.
func (e *Engine) recordAgreement(c *fiber.Ctx, f *store.Flow, outcome, agreementID string) {
	d := map[string]string{"flowId": f.ID, "clientId": f.ClientID}
	if agreementID != "" {
		d["agreement"] = agreementID
	}
	e.d.Audit.Record(c.UserContext(), store.Event{
		EnvironmentID: f.EnvironmentID, Action: audit.ActionAgreementConsent, Outcome: outcome, ActorType: audit.ActorUser,
		ActorID: f.UserID, UserID: f.UserID, IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), Details: d,
	})
}
