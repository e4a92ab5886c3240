package manage

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// readPolicyBody reads the writable attributes of a sign-on policy into p:
// kind (PASSWORD: single factor; PASSWORD_MFA: one MFA step),
// enrollDuringSignOn (a user with no device enrols one during sign-on, or
// is blocked), deviceSelection (required), name and agreementId.
func readPolicyBody(o *object, e *store.Environment, p *store.SignOnPolicy) {
	o.Require("kind", "enrollDuringSignOn", "deviceSelection")
	var kind string
	if o.String("kind", &kind, false) {
		switch kind {
		case resource.PolicyPasswordOnly:
			p.MFA = false
		case resource.PolicyPasswordMFA:
			p.MFA = true
		default:
			o.Fail("kind", "must be PASSWORD or PASSWORD_MFA.")
		}
	}
	o.Bool("enrollDuringSignOn", &p.EnrollDuringSignOn)
	if o.String("deviceSelection", &p.DeviceSelection, false) &&
		p.DeviceSelection != resource.SelectDefaultToFirst && p.DeviceSelection != resource.SelectPrompt {
		o.Fail("deviceSelection", "must be DEFAULT_TO_FIRST or PROMPT_TO_SELECT.")
	}
	var name string
	if o.String("name", &name, false) && checkName(o, name) {
		if taken := policyNameTaken(e, name, p.ID); taken {
			*o.details = append(*o.details, apierr.Field(apierr.DetailUniqueness, "name", "name is taken by another sign-on policy."))
		} else {
			p.Name = name
		}
	}
	readPolicyAgreement(o, e, p)
}

// policyNameTaken reports whether another sign-on policy than id has name.
func policyNameTaken(e *store.Environment, name, id string) bool {
	if e.SignOnPolicy.ID != id && strings.EqualFold(e.SignOnPolicy.Name, name) {
		return true
	}
	return slices.ContainsFunc(e.SignOnPolicies, func(p store.SignOnPolicy) bool {
		return p.ID != id && strings.EqualFold(p.Name, name)
	})
}

// readPolicyApps reads an additional policy's applications: [{"id": …}],
// each an application of the environment users sign on to (not a worker)
// and in no other additional policy. Left out, they stay as they are.
func readPolicyApps(o *object, e *store.Environment, apps []store.Application, p *store.SignOnPolicy) {
	ids, ok := readAppRefs(o, apps, func(id string) bool {
		return slices.ContainsFunc(e.SignOnPolicies, func(q store.SignOnPolicy) bool { return q.ID != p.ID && slices.Contains(q.Applications, id) })
	}, "The application already has another sign-on policy; remove it there first.")
	if ok {
		p.Applications = ids
	}
}

// readAppRefs reads a policy's applications: [{"id": …}] as client ids,
// each one of apps users sign on to (not a worker) and, with taken, not
// taken elsewhere (takenMsg says why). ok is false when the list is left
// out or any entry is refused (its details added to o).
func readAppRefs(o *object, apps []store.Application, taken func(id string) bool, takenMsg string) (ids []string, ok bool) {
	subs, present := o.Objects("applications")
	if !present {
		return nil, false
	}
	out, bad := []string{}, false
	for i, s := range subs {
		var id string
		s.Require("id")
		if s.String("id", &id, false) {
			id = strings.ToLower(id)
			j := slices.IndexFunc(apps, func(a store.Application) bool { return a.ID == id })
			switch {
			case j < 0 || apps[j].Type == resource.AppWorker:
				o.Fail(fmt.Sprintf("applications[%d].id", i), "must be the id of one of the environment's applications users sign on to.")
				bad = true
			case taken != nil && taken(id):
				*o.details = append(*o.details, apierr.Field(apierr.DetailUniqueness, fmt.Sprintf("applications[%d].id", i), takenMsg))
				bad = true
			case !slices.Contains(out, id):
				out = append(out, id)
			}
		}
		s.Rest(nil)
	}
	return out, !bad
}

// extraPolicy is the index of the additional policy id, or -1.
func extraPolicy(e *store.Environment, id string) int {
	return slices.IndexFunc(e.SignOnPolicies, func(p store.SignOnPolicy) bool { return p.ID == id })
}

// extraPolicyResource maps an additional sign-on policy.
func (a *API) extraPolicyResource(envID string, p store.SignOnPolicy) resource.SignOnPolicy {
	kind := resource.PolicyPasswordOnly
	if p.MFA {
		kind = resource.PolicyPasswordMFA
	}
	out := resource.SignOnPolicy{
		Links: resource.Links{"self": a.link(paths.Build(paths.SignOnPolicy, envID, p.ID))},
		ID:    p.ID, Name: p.Name, Kind: kind, EnrollDuringSignOn: p.EnrollDuringSignOn,
		DeviceSelection: p.DeviceSelection, UpdatedAt: p.UpdatedAt.UTC(), AgreementID: p.AgreementID,
		Applications: []resource.Ref{},
	}
	for _, id := range p.Applications {
		out.Applications = append(out.Applications, resource.Ref{ID: id})
	}
	return out
}

// putExtraPolicy is PUT of an additional policy: as the default one, plus
// applications.
func (a *API) putExtraPolicy(c *fiber.Ctx, e *store.Environment, id string, out *resource.SignOnPolicy) error {
	i := extraPolicy(e, id)
	if i < 0 {
		return errNotFound
	}
	apps, err := a.d.Store.ListApplications(c.UserContext(), e.ID)
	if err != nil {
		return fmt.Errorf("list applications: %w", err)
	}
	o, err := parseObject(c.Body())
	if err != nil {
		return err
	}
	p := e.SignOnPolicies[i]
	p.Applications = slices.Clone(p.Applications)
	readPolicyBody(o, e, &p)
	readPolicyApps(o, e, apps, &p)
	o.Rest(a.extraPolicyResource(e.ID, e.SignOnPolicies[i]))
	if err := invalid(o.Details()); err != nil {
		return err
	}
	p.UpdatedAt = a.now()
	e.SignOnPolicies[i] = p
	*out = a.extraPolicyResource(e.ID, p)
	return nil
}

// CreateSignOnPolicy answers POST /v1/environments/{envId}/signOnPolicies
// (Environment Admin): an additional policy with name, kind,
// enrollDuringSignOn and deviceSelection (required), agreementId and
// applications (optional). It applies to the applications it names; every
// other application keeps the default policy.
func (a *API) CreateSignOnPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		apps, err := a.d.Store.ListApplications(ctx, envID)
		if err != nil {
			return fmt.Errorf("list applications: %w", err)
		}
		var out resource.SignOnPolicy
		_, err = a.updateEnvironment(ctx, envID, func(e *store.Environment) error {
			o, err := parseObject(c.Body())
			if err != nil {
				return err
			}
			p := store.SignOnPolicy{ID: ids.New(), UpdatedAt: a.now()}
			o.Require("name")
			readPolicyBody(o, e, &p)
			readPolicyApps(o, e, apps, &p)
			o.Rest(nil, "id", "default", "updatedAt", "_links")
			if err := invalid(o.Details()); err != nil {
				return err
			}
			if len(e.SignOnPolicies) >= store.MaxSignOnPolicies {
				return apierr.New(http.StatusBadRequest, apierr.RequestFailed, "The maximum number of sign-on policies is reached.",
					apierr.Field(apierr.DetailLimitExceeded, "signOnPolicies", "At most "+strconv.Itoa(store.MaxSignOnPolicies)+" additional policies."))
			}
			e.SignOnPolicies = append(slices.Clone(e.SignOnPolicies), p)
			out = a.extraPolicyResource(e.ID, p)
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyCreated, "", map[string]string{
			"policy": "signOnPolicy", "policyId": out.ID, "name": out.Name, "kind": out.Kind,
			"enrollDuringSignOn": strconv.FormatBool(out.EnrollDuringSignOn), "applications": strconv.Itoa(len(out.Applications))})
		return created(c, out.Links, out)
	}
}

// DeleteSignOnPolicy answers DELETE
// /v1/environments/{envId}/signOnPolicies/{policyId} (Environment Admin):
// its applications go back to the default policy, which cannot be deleted.
func (a *API) DeleteSignOnPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, policyID, err := adminEdit(c, "policyId", false)
		if err != nil {
			return err
		}
		var gone store.SignOnPolicy
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			if e.SignOnPolicy.ID == policyID {
				return errDefaultUndeletable("sign-on")
			}
			i := extraPolicy(e, policyID)
			if i < 0 {
				return errNotFound
			}
			gone = e.SignOnPolicies[i]
			e.SignOnPolicies = slices.Delete(slices.Clone(e.SignOnPolicies), i, i+1)
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyDeleted, "", map[string]string{
			"policy": "signOnPolicy", "policyId": gone.ID, "name": gone.Name})
		return c.SendStatus(http.StatusNoContent)
	}
}

// dropPolicyAgreement stops the additional sign-on policies asking for a
// deleted agreement.
func dropPolicyAgreement(e *store.Environment, agreementID string) {
	for i := range e.SignOnPolicies {
		if e.SignOnPolicies[i].AgreementID == agreementID {
			e.SignOnPolicies[i].AgreementID = ""
		}
	}
}
