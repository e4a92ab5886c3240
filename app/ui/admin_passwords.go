package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminPasswords lists the chosen environment's password policies (the
// built-ins until it has its own) and creates, edits, deletes them and
// picks the default. A rule left empty is off (PUT replaces the policy).
type AdminPasswords struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	loadErr string
	pols    policyEditor[resource.PasswordPolicy]
}

// OnMount loads the policies.
func (s *AdminPasswords) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminPasswords) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminPasswords) load(ctx app.Context) {
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) ([]resource.PasswordPolicy, error) {
		return apiclient.ListOf[resource.PasswordPolicy](ctx, c.API, paths.Build(paths.PasswordPolicies, c.Env.ID), c.Token, "passwordPolicies")
	}, func(ps []resource.PasswordPolicy, err error) {
		s.loadErr = ""
		if err != nil {
			s.loadErr = adminErrorText(err)
			return
		}
		s.pols = policyEditor[resource.PasswordPolicy]{items: ps}
	})
}

// passwordNumbers are the form's whole-number rules; optional ones are
// off when empty.
var passwordNumbers = []struct {
	key      string
	label    Msg
	optional bool
}{
	{"length.min", MsgAdminCSMinLength, false},
	{"length.max", MsgAdminCSMaxLength, false},
	{"minUniqueCharacters", MsgAdminCSMinUnique, true},
	{"maxRepeatedCharacters", MsgAdminCSMaxRepeated, true},
	{"history.count", MsgAdminCSHistoryCount, true},
	{"history.retentionDays", MsgAdminCSHistoryDays, true},
	{"lockout.failureCount", MsgAdminCSLockoutFailures, true},
	{"lockout.durationSeconds", MsgAdminCSLockoutDuration, true},
	{"minAgeDays", MsgAdminCSMinAge, true},
	{"maxAgeDays", MsgAdminCSMaxAge, true},
}

var passwordSwitches = []struct {
	key   string
	label Msg
}{
	{"excludesCommonlyUsed", MsgAdminCSExcludesCommon},
	{"excludesProfileData", MsgAdminCSExcludesProfile},
	{"notSimilarToCurrent", MsgAdminCSNotSimilar},
}

// passwordPolicyForm fills the form from p.
func passwordPolicyForm(p resource.PasswordPolicy) *adminForm {
	f := newAdminForm("passwords-policy")
	f.vals["name"], f.vals["description"] = p.Name, p.Description
	f.checks["default"] = p.Default
	f.checks["excludesCommonlyUsed"] = p.ExcludesCommonlyUsed
	f.checks["excludesProfileData"] = p.ExcludesProfileData
	f.checks["notSimilarToCurrent"] = p.NotSimilarToCurrent
	f.vals["length.min"], f.vals["length.max"] = itoa(p.Length.Min, false), itoa(p.Length.Max, false)
	f.vals["minUniqueCharacters"] = itoa(p.MinUniqueCharacters, true)
	f.vals["maxRepeatedCharacters"] = itoa(p.MaxRepeatedCharacters, true)
	f.vals["history.count"], f.vals["history.retentionDays"] = "", ""
	if p.History != nil {
		f.vals["history.count"], f.vals["history.retentionDays"] = itoa(p.History.Count, false), itoa(p.History.RetentionDays, false)
	}
	f.vals["lockout.failureCount"], f.vals["lockout.durationSeconds"] = "", ""
	if p.Lockout != nil {
		f.vals["lockout.failureCount"], f.vals["lockout.durationSeconds"] = itoa(p.Lockout.FailureCount, false), itoa(p.Lockout.DurationSeconds, false)
	}
	f.vals["minAgeDays"], f.vals["maxAgeDays"] = itoa(p.MinAgeDays, true), itoa(p.MaxAgeDays, true)
	f.vals["minCharacters"] = encodeMinCharacters(p.MinCharacters)
	f.groups["history"], f.groups["lockout"], f.groups["length"] = true, true, true
	return f
}

// encodeMinCharacters shows minCharacters as lines of "count characters"
// ("1 0123456789"), sorted.
func encodeMinCharacters(m map[string]int) string {
	var lines []string
	for set, n := range m {
		lines = append(lines, strconv.Itoa(n)+" "+set)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func decodeMinCharacters(s string) map[string]int {
	out := map[string]int{}
	for line := range strings.SplitSeq(s, "\n") {
		n, set, ok := strings.Cut(line, " ")
		if c, err := strconv.Atoi(n); ok && err == nil && set != "" {
			out[set] = c
		}
	}
	return out
}

// passwordPolicyBody is the POST or PUT body, or ok=false with the form's
// errors set: a number that is not one, or a pair (history, lockout) with
// one half left empty.
func passwordPolicyBody(f *adminForm) (map[string]any, bool) {
	n, set := map[string]int{}, map[string]bool{}
	for _, r := range passwordNumbers {
		var v int
		if f.integer(r.key, &v, r.optional) {
			n[r.key], set[r.key] = v, true
		}
	}
	pair := func(obj, a, b string) map[string]any {
		ka, kb := obj+"."+a, obj+"."+b
		switch {
		case set[ka] && set[kb]:
			return map[string]any{a: n[ka], b: n[kb]}
		case set[ka] && f.errs[kb] == "":
			f.errs[kb] = T(MsgAdminCSPairNeeded)
		case set[kb] && f.errs[ka] == "":
			f.errs[ka] = T(MsgAdminCSPairNeeded)
		}
		return nil
	}
	body := map[string]any{
		"name":    strings.TrimSpace(f.vals["name"]),
		"default": f.checks["default"],
		"length":  map[string]any{"min": n["length.min"], "max": n["length.max"]},
	}
	if d := strings.TrimSpace(f.vals["description"]); d != "" {
		body["description"] = d
	}
	for _, sw := range passwordSwitches {
		body[sw.key] = f.checks[sw.key]
	}
	if h := pair("history", "count", "retentionDays"); h != nil {
		body["history"] = h
	}
	if l := pair("lockout", "failureCount", "durationSeconds"); l != nil {
		body["lockout"] = l
	}
	for _, k := range []string{"minUniqueCharacters", "maxRepeatedCharacters", "minAgeDays", "maxAgeDays"} {
		if set[k] {
			body[k] = n[k]
		}
	}
	if mc := decodeMinCharacters(f.vals["minCharacters"]); len(mc) > 0 {
		body["minCharacters"] = mc
	}
	return body, len(f.errs) == 0
}

func (s *AdminPasswords) kind() policyKind[resource.PasswordPolicy] {
	return policyKind[resource.PasswordPolicy]{
		prefix: "passwords-policy", list: paths.PasswordPolicies, one: paths.PasswordPolicy, embedded: "passwordPolicies",
		id:        func(p resource.PasswordPolicy) string { return p.ID },
		name:      func(p resource.PasswordPolicy) string { return p.Name },
		isDflt:    func(p resource.PasswordPolicy) bool { return p.Default },
		deletable: func(p resource.PasswordPolicy) bool { return !p.BuiltIn },
		form:      passwordPolicyForm,
		newForm: func() *adminForm {
			return passwordPolicyForm(resource.PasswordPolicy{Length: resource.PasswordLength{Min: 8, Max: 255}, ExcludesCommonlyUsed: true})
		},
		body: passwordPolicyBody,
		summary: func(p resource.PasswordPolicy) string {
			out := T(MsgAdminCSLengthSummary, p.Length.Min, p.Length.Max)
			if p.BuiltIn {
				out += " · " + T(MsgAdminCSBuiltIn)
			}
			return out
		},
		fields: passwordPolicyFields,
	}
}

func passwordPolicyFields(f *adminForm, ro bool) app.UI {
	var nums, sws []app.UI
	for _, r := range passwordNumbers {
		nums = append(nums, f.text(r.key, r.label, "number", "", ro))
	}
	for _, sw := range passwordSwitches {
		sws = append(sws, f.check(sw.key, T(sw.label), "", ro))
	}
	return app.Div().Body(
		f.text("name", MsgAdminCSName, "text", "", ro),
		f.text("description", MsgAdminCSDescription, "text", "", ro),
		app.Div().Class("admin-fields").Body(nums...),
		app.P().Class("field-hint").Text(T(MsgAdminCSEmptyIsOff)),
		app.Div().Class("admin-fields").Body(sws...),
		app.Div().Class("field").Body(
			app.Label().For(f.id("minCharacters")).Text(T(MsgAdminCSMinCharacters)),
			app.Textarea().ID(f.id("minCharacters")).Rows(3).Disabled(ro).Text(f.vals["minCharacters"]).
				OnChange(func(ctx app.Context, e app.Event) { f.vals["minCharacters"] = ctx.JSSrc().Get("value").String() }),
			app.P().Class("field-hint").Text(T(MsgAdminCSMinCharactersHint)),
			f.fieldError("minCharacters"),
		),
		f.fieldError("history"), f.fieldError("lockout"), f.fieldError("length"),
		f.check("default", T(MsgAdminCSMakeDefault), "", ro),
	)
}

// Render implements app.Composer.
func (s *AdminPasswords) Render() app.UI {
	return app.Div().Class("admin-settings").Body(
		app.H2().Text(T(MsgAdminCSPasswords)),
		app.P().Class("hint").Text(T(MsgAdminCSPasswordsHint)),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.loadErr != "", func() app.UI { return &ErrorMessage{Text: s.loadErr} }),
		app.If(!s.l.loading && s.loadErr == "", func() app.UI { return s.pols.render(s.C, s.kind()) }),
	)
}
