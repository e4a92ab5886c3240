package manage

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// maxConsentHistory bounds one consent history answer: the newest entries.
const maxConsentHistory = 50

// ListConsentHistory answers GET /v1/environments/{envId}/users/{userId}/consentHistory
// (our extension): the agreement and application consents the user gave,
// declined and revoked, newest first, at most 50. It is read from the
// user's security events (AGREEMENT_CONSENT, OAUTH_CONSENT), so it reaches
// back as far as they do (90 days). The user reads their own with
// p1:read:userConsent or p1:read:oauthConsent (either Consents feature);
// readers of the environment read anyone's.
func (a *API) ListConsentHistory() fiber.Handler {
	return func(c *fiber.Ctx) error {
		need := scope.ReadUserConsent
		if p := authn.From(c); p != nil && !p.Scopes.Has(need) {
			need = scope.ReadOAuthConsent
		}
		envID, userID, err := selfParams(c, need)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		env, _, err := a.envUser(ctx, envID, userID)
		if err != nil {
			return err
		}
		names, err := a.appNames(c, envID)
		if err != nil {
			return err
		}
		for _, ag := range env.Agreements {
			names[ag.ID] = ag.Name
		}
		out := []resource.ConsentHistoryEntry{}
		page := store.EventPage{Now: a.d.Now(), Limit: eventBatch}
		for scanned := 0; len(out) < maxConsentHistory && scanned < maxEventScan; {
			list, err := a.d.Store.PageEvents(ctx, envID, userID, page)
			if err != nil {
				return fmt.Errorf("page events: %w", err)
			}
			for i := range list {
				if h, ok := consentEntry(&list[i], names); ok && len(out) < maxConsentHistory {
					out = append(out, h)
				}
			}
			scanned += len(list)
			if len(list) < page.Limit {
				break
			}
			last := list[len(list)-1]
			page.BeforeAt, page.BeforeID = last.CreatedAt, last.ID
		}
		return c.JSON(resource.NewList("consentHistory", out, a.d.PublicURL+paths.Build(paths.UserConsentHistory, envID, userID), ""))
	}
}

// consentEntry maps a consent event to a history entry; other events, and
// consent events that name nothing, are not entries.
func consentEntry(e *store.Event, names map[string]string) (resource.ConsentHistoryEntry, bool) {
	h := resource.ConsentHistoryEntry{ID: e.ID, Actor: resource.EventActor{Type: e.ActorType, ID: e.ActorID}, CreatedAt: e.CreatedAt.UTC()}
	switch e.Action {
	case audit.ActionAgreementConsent:
		h.Kind, h.Target.ID = resource.ConsentKindAgreement, e.Details["agreement"]
	case audit.ActionOAuthConsent:
		h.Kind, h.Target.ID = resource.ConsentKindApplication, e.Details["clientId"]
		h.Scopes = strings.Fields(e.Details["scopes"])
	default:
		return h, false
	}
	if h.Target.ID == "" {
		return h, false
	}
	switch {
	case e.Outcome == audit.OutcomeFailure:
		h.Change = resource.ConsentDeclined
	case e.Details["change"] == "revoked":
		h.Change = resource.ConsentRevoked
	default:
		h.Change = resource.ConsentGiven
	}
	h.Name = names[h.Target.ID]
	return h, true
}
