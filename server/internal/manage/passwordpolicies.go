package manage

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/ids"
	pp "github.com/myaccount/myaccount/server/internal/passwordpolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// MaxPolicyDescription bounds a password policy's description, in runes.
const MaxPolicyDescription = 1024

var (
	errPolicyBuiltIn = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		"A built-in password policy cannot be deleted.",
		apierr.Field(apierr.DetailInvalidAction, "builtIn", "Standard, Passphrase and Basic always exist."))
	errPolicyDefault = errDefaultUndeletable("password")
	errPolicyLimit   = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		fmt.Sprintf("An environment has at most %d password policies.", store.MaxPasswordPolicies),
		apierr.Field(apierr.DetailLimitExceeded, "passwordPolicies", "Delete a policy first."))
)

// passwordPolicies is the environment's list of password policies: the
// built-ins until it has policies of its own.
var passwordPolicies = policyList[store.PasswordPolicy, resource.PasswordPolicy]{
	name: "passwordPolicies", path: paths.PasswordPolicies, param: "passwordPolicyId",
	list: pp.Policies,
	set:  func(e *store.Environment, ps []store.PasswordPolicy) { e.PasswordPolicies = ps },
	id:   func(p store.PasswordPolicy) string { return p.ID },
	show: (*API).passwordPolicyResource,
}

// ListPasswordPolicies answers GET /v1/environments/{envId}/passwordPolicies
// (readers of the environment): the built-ins until the environment has
// policies of its own.
func (a *API) ListPasswordPolicies() fiber.Handler {
	return func(c *fiber.Ctx) error { return passwordPolicies.listAll(a, c) }
}

// GetPasswordPolicy answers GET …/passwordPolicies/{passwordPolicyId}.
func (a *API) GetPasswordPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error { return passwordPolicies.getOne(a, c) }
}

// CreatePasswordPolicy answers POST …/passwordPolicies (Environment
// Admin). A new default takes the default from the one before.
func (a *API) CreatePasswordPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, p, err := passwordPolicies.create(a, c, func(_ *store.Environment, ps []store.PasswordPolicy) ([]store.PasswordPolicy, store.PasswordPolicy, error) {
			if len(ps) >= store.MaxPasswordPolicies {
				return nil, store.PasswordPolicy{}, errPolicyLimit
			}
			now := a.now()
			p, err := readPasswordPolicy(c.Body(), store.PasswordPolicy{ID: ids.New(), CreatedAt: now}, nil, ps)
			if err != nil {
				return nil, p, err
			}
			p.UpdatedAt = now
			return withDefault(append(ps, p), p), p, nil
		})
		if err != nil {
			return err
		}
		out := a.passwordPolicyResource(envID, p)
		a.record(c, envID, audit.ActionPolicyUpdated, "", passwordPolicyDetails("created", out))
		return created(c, out.Links, out)
	}
}

// PutPasswordPolicy answers PUT …/passwordPolicies/{passwordPolicyId}
// (Environment Admin): the body replaces the policy's rules; a rule left
// out is off. Read-only attributes may be sent back unchanged.
func (a *API) PutPasswordPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, updated, err := passwordPolicies.change(a, c, true, func(e *store.Environment, ps []store.PasswordPolicy, i int) ([]store.PasswordPolicy, store.PasswordPolicy, error) {
			cur := a.passwordPolicyResource(e.ID, ps[i])
			others := slices.Delete(slices.Clone(ps), i, i+1)
			p, err := readPasswordPolicy(c.Body(), store.PasswordPolicy{ID: ps[i].ID, BuiltIn: ps[i].BuiltIn, CreatedAt: ps[i].CreatedAt}, &cur, others)
			if err != nil {
				return nil, p, err
			}
			if ps[i].Default && !p.Default {
				return nil, p, apierr.Invalid("The request has invalid data.", detail("default",
					"default cannot be turned off: make another policy the default instead."))
			}
			p.UpdatedAt = a.now()
			ps[i] = p
			return withDefault(ps, p), p, nil
		})
		if err != nil {
			return err
		}
		out := a.passwordPolicyResource(envID, updated)
		a.record(c, envID, audit.ActionPolicyUpdated, "", passwordPolicyDetails("updated", out))
		return c.JSON(out)
	}
}

// DeletePasswordPolicy answers DELETE …/passwordPolicies/{passwordPolicyId}
// (Environment Admin): neither a built-in nor the default can go.
func (a *API) DeletePasswordPolicy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, gone, err := passwordPolicies.change(a, c, false, func(_ *store.Environment, ps []store.PasswordPolicy, i int) ([]store.PasswordPolicy, store.PasswordPolicy, error) {
			gone := ps[i]
			switch {
			case gone.BuiltIn:
				return nil, gone, errPolicyBuiltIn
			case gone.Default:
				return nil, gone, errPolicyDefault
			}
			return slices.Delete(ps, i, i+1), gone, nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionPolicyUpdated, "", map[string]string{
			"policy": "passwordPolicy", "change": "deleted", "policyId": gone.ID, "name": gone.Name})
		return c.SendStatus(http.StatusNoContent)
	}
}

// withDefault keeps exactly one default: p when it is one, else the one
// there was.
func withDefault(ps []store.PasswordPolicy, p store.PasswordPolicy) []store.PasswordPolicy {
	if !p.Default {
		return ps
	}
	for i := range ps {
		ps[i].Default = ps[i].ID == p.ID
	}
	return ps
}

func passwordPolicyDetails(change string, p resource.PasswordPolicy) map[string]string {
	return map[string]string{"policy": "passwordPolicy", "change": change, "policyId": p.ID, "name": p.Name,
		"default": strconv.FormatBool(p.Default), "minLength": strconv.Itoa(p.Length.Min),
		"excludesCommonlyUsed": strconv.FormatBool(p.ExcludesCommonlyUsed)}
}

// readPasswordPolicy reads a create or replace body onto base (id, builtIn
// and createdAt kept). current is the policy as the API shows it now (nil
// for a create): read-only attributes equal to it are accepted. others are
// the environment's other policies, whose names a new name must not take.
func readPasswordPolicy(body []byte, base store.PasswordPolicy, current *resource.PasswordPolicy, others []store.PasswordPolicy) (store.PasswordPolicy, error) {
	o, err := parseObject(body)
	if err != nil {
		return store.PasswordPolicy{}, err
	}
	p := store.PasswordPolicy{ID: base.ID, BuiltIn: base.BuiltIn, CreatedAt: base.CreatedAt}
	o.Require("name", "length")
	if o.String("name", &p.Name, false) {
		switch {
		case strings.TrimSpace(p.Name) == "" || valid.Text(p.Name, valid.MaxName) != nil:
			o.Fail("name", fmt.Sprintf("must be 1 to %d characters without control characters.", valid.MaxName))
		case slices.ContainsFunc(others, func(q store.PasswordPolicy) bool { return strings.EqualFold(q.Name, p.Name) }):
			*o.details = append(*o.details, apierr.Field(apierr.DetailUniqueness, "name", "name is taken by another password policy."))
		}
	}
	if o.String("description", &p.Description, true) && valid.Text(p.Description, MaxPolicyDescription) != nil {
		o.Fail("description", fmt.Sprintf("must be at most %d characters without control characters.", MaxPolicyDescription))
	}
	o.Bool("default", &p.Default)
	o.Bool("excludesCommonlyUsed", &p.ExcludesCommonlyUsed)
	o.Bool("excludesProfileData", &p.ExcludesProfileData)
	o.Bool("notSimilarToCurrent", &p.NotSimilarToCurrent)
	if l, _ := o.Object("length"); l != nil {
		l.Require("min", "max")
		l.Int("min", &p.MinLength, pp.MinLengthLow, pp.MinLengthHigh)
		l.Int("max", &p.MaxLength, pp.MaxLengthLow, pp.MaxLengthHigh)
		l.Rest(nil)
	}
	if h, _ := o.Object("history"); h != nil {
		h.Require("count", "retentionDays")
		h.Int("count", &p.HistoryCount, 1, pp.MaxHistoryCount)
		h.Int("retentionDays", &p.HistoryRetentionDays, 1, pp.MaxHistoryRetentionDays)
		h.Rest(nil)
	}
	if l, _ := o.Object("lockout"); l != nil {
		l.Require("failureCount", "durationSeconds")
		l.Int("failureCount", &p.LockoutFailureCount, 1, pp.MaxLockoutFailures)
		l.Int("durationSeconds", &p.LockoutDurationSeconds, pp.MinLockoutSeconds, pp.MaxLockoutSeconds)
		l.Rest(nil)
	}
	o.Int("minAgeDays", &p.MinAgeDays, 0, pp.MaxMinAgeDays)
	if o.Int("maxAgeDays", &p.MaxAgeDays, 0, pp.MaxMaxAgeDays) && p.MaxAgeDays > 0 && p.MaxAgeDays < p.MinAgeDays+pp.MinAgeGapDays {
		o.Fail("maxAgeDays", fmt.Sprintf("must be at least minAgeDays + %d.", pp.MinAgeGapDays))
	}
	o.Int("maxRepeatedCharacters", &p.MaxRepeatedCharacters, 0, pp.MaxRepeatLimit)
	o.Int("minUniqueCharacters", &p.MinUniqueCharacters, 0, pp.MaxUniqueLimit)
	if mc, _ := o.Object("minCharacters"); mc != nil {
		p.MinCharacters = readMinCharacters(mc)
	}
	total := 0
	for _, r := range p.MinCharacters {
		total += r.Count
	}
	if p.MinLength > 0 && (total > p.MinLength || p.MinUniqueCharacters > p.MinLength) {
		o.Fail("length.min", "must be at least the characters minCharacters and minUniqueCharacters ask for.")
	}
	var cur any
	if current != nil {
		cur = current
	}
	o.Rest(cur, "id", "environment", "builtIn", "createdAt", "updatedAt", "populationCount", "_links")
	if err := invalid(o.Details()); err != nil {
		return store.PasswordPolicy{}, err
	}
	return p, nil
}

// readMinCharacters reads PingOne's {"<characters>": count} object, in
// the order of its keys.
func readMinCharacters(mc *object) []store.CharacterRule {
	keys := make([]string, 0, len(mc.fields))
	for k := range mc.fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > pp.MaxMinCharacterRules {
		*mc.details = append(*mc.details, detail("minCharacters",
			fmt.Sprintf("minCharacters holds at most %d character sets.", pp.MaxMinCharacterRules)))
		return nil
	}
	var out []store.CharacterRule
	for _, k := range keys {
		n := 0
		if !mc.Int(k, &n, 1, pp.MaxLengthLow) {
			continue
		}
		if k == "" || utf8.RuneCountInString(k) > pp.MaxCharacterSetLength || !utf8.ValidString(k) ||
			strings.IndexFunc(k, unicode.IsControl) >= 0 {
			mc.Fail(k, fmt.Sprintf("must name 1 to %d characters.", pp.MaxCharacterSetLength))
			continue
		}
		out = append(out, store.CharacterRule{Characters: k, Count: n})
	}
	return out
}

// passwordPolicyResource is a stored policy as the API shows it, with its link.
func (a *API) passwordPolicyResource(envID string, p store.PasswordPolicy) resource.PasswordPolicy {
	out := pp.Resource(envID, p)
	out.Links = resource.Links{"self": a.link(paths.Build(paths.PasswordPolicy, envID, p.ID))}
	return out
}
