package manage

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// A user's agreement consents (the Consents tab): the user reads their own
// with p1:read:userConsent (granted with selfService.viewAgreements) and
// may revoke one, which makes the next sign-on ask again; administrators
// read with a read role and revoke as user writers. Another user's or
// environment's consent is a 404.

// ListAgreementConsents answers GET /v1/environments/{envId}/users/{userId}/agreementConsents:
// the user's ACCEPTED consents to agreements that still exist.
func (a *API) ListAgreementConsents() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadUserConsent)
		if err != nil {
			return err
		}
		env, u, err := a.envUser(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		out := []resource.UserAgreementConsent{}
		for _, ag := range env.Agreements {
			if i := slices.IndexFunc(u.AgreementConsents, func(k store.AgreementConsent) bool { return k.AgreementID == ag.ID }); i >= 0 {
				out = append(out, a.consentResource(envID, userID, ag, &u.AgreementConsents[i]))
			}
		}
		return c.JSON(resource.NewList("agreementConsents", out, a.d.PublicURL+paths.Build(paths.UserAgreementConsents, envID, userID), ""))
	}
}

// GetAgreementConsent answers GET …/agreementConsents/{agreementId}: the
// consent, or PENDING when the user has none; an unknown agreement is 404.
func (a *API) GetAgreementConsent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadUserConsent)
		if err != nil {
			return err
		}
		env, u, err := a.envUser(c.UserContext(), envID, userID)
		if err != nil {
			return err
		}
		i, err := pathAgreement(c, env)
		if err != nil {
			return err
		}
		ag := env.Agreements[i]
		var k *store.AgreementConsent
		if j := slices.IndexFunc(u.AgreementConsents, func(k store.AgreementConsent) bool { return k.AgreementID == ag.ID }); j >= 0 {
			k = &u.AgreementConsents[j]
		}
		return c.JSON(a.consentResource(envID, userID, ag, k))
	}
}

// PostAgreementConsent answers POST …/agreementConsents/{agreementId} with
// Content-Type application/vnd.pingidentity.consent.revoke+json: the
// consent is removed (PENDING), so the next sign-on asks again. No
// consent to revoke is a 404.
func (a *API) PostAgreementConsent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := consentRevokeParams(c, scope.ReadUserConsent)
		if err != nil {
			return err
		}
		env, err := a.environment(c.UserContext(), envID)
		if err != nil {
			return err
		}
		i, err := pathAgreement(c, env)
		if err != nil {
			return err
		}
		ag := env.Agreements[i]
		_, err = a.updateUser(c.UserContext(), envID, userID, func(u *store.User) error {
			n := len(u.AgreementConsents)
			u.AgreementConsents = slices.DeleteFunc(u.AgreementConsents, func(k store.AgreementConsent) bool { return k.AgreementID == ag.ID })
			if len(u.AgreementConsents) == n {
				return errNotFound
			}
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionAgreementConsent, userID, map[string]string{"agreement": ag.ID, "change": "revoked"})
		return c.JSON(a.consentResource(envID, userID, ag, nil))
	}
}

// consentRevokeParams checks a consent revoke request up to its consent:
// the revoke action's Content-Type, the path's environment and user, and
// that the caller is the user with needScope or a user writer. Agreement
// and OAuth consents are revoked the same way (PingOne's one consent.revoke
// media type), so the two handlers share it.
func consentRevokeParams(c *fiber.Ctx, needScope string) (envID, userID string, err error) {
	action, err := httpx.Action(c)
	if err != nil {
		return "", "", err
	}
	if !strings.EqualFold(action, resource.ActionConsentRevoke) {
		return "", "", apierr.New(http.StatusUnsupportedMediaType, apierr.UnsupportedMediaType,
			"Content-Type must be "+paths.ActionConsentRevoke+".")
	}
	if envID, err = envParam(c); err != nil {
		return "", "", err
	}
	if userID, err = pathID(c, "userId"); err != nil {
		return "", "", err
	}
	if err := authn.Self(c, envID, userID, needScope, authn.UserWriters); err != nil {
		return "", "", err
	}
	return envID, userID, nil
}

func (a *API) consentResource(envID, userID string, ag store.Agreement, k *store.AgreementConsent) resource.UserAgreementConsent {
	out := resource.UserAgreementConsent{
		Links:     resource.Links{"self": {Href: a.d.PublicURL + paths.Build(paths.UserAgreementConsent, envID, userID, ag.ID)}},
		Agreement: resource.Ref{ID: ag.ID}, Name: ag.Name, Status: resource.ConsentPending,
	}
	if k != nil {
		at := k.ConsentedAt.UTC()
		out.Status, out.Language, out.Locale = resource.ConsentAccepted, &resource.Ref{ID: k.LanguageID}, k.Locale
		out.Revision, out.ConsentedAt = &resource.Ref{ID: k.RevisionID}, &at
	}
	return out
}
