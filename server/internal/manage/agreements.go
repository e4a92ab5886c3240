package manage

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/htmlsafe"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// The environment's agreements: PingOne's /agreements, their
// /languages (one per locale) and each language's immutable /revisions.
// They are embedded in the environment record (bounded by store's Max*
// constants) and change with its version guard. Readers of the
// environment read; Environment Admins write. An HTML revision is
// sanitised (htmlsafe) before it is stored, so nothing unsafe is ever
// served back.

func errAgreementLimit(what string, n int) error {
	return apierr.New(http.StatusBadRequest, apierr.RequestFailed,
		fmt.Sprintf("At most %d %s.", n, what),
		apierr.Field(apierr.DetailLimitExceeded, "", "Delete one first."))
}

var errAgreementTextTotal = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
	"The environment's agreements hold as much text as they may.",
	apierr.Field(apierr.DetailLimitExceeded, "text", "Delete an agreement first."))

// ListAgreements answers GET /v1/environments/{envId}/agreements.
func (a *API) ListAgreements() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		out := make([]resource.Agreement, 0, len(env.Agreements))
		for _, ag := range env.Agreements {
			out = append(out, a.agreementResource(env.ID, ag))
		}
		return c.JSON(resource.NewList("agreements", out, a.d.PublicURL+paths.Build(paths.Agreements, env.ID), ""))
	}
}

// GetAgreement answers GET …/agreements/{agreementId}.
func (a *API) GetAgreement() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		i, err := pathAgreement(c, env)
		if err != nil {
			return err
		}
		return c.JSON(a.agreementResource(env.ID, env.Agreements[i]))
	}
}

// CreateAgreement answers POST …/agreements (Environment Admin) with
// {"name", "description", "enabled"}. A new agreement has no language yet,
// so it cannot start enabled.
func (a *API) CreateAgreement() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		ag := store.Agreement{ID: ids.New(), CreatedAt: a.now(), Languages: []store.AgreementLanguage{}}
		ag.UpdatedAt = ag.CreatedAt
		if err := readAgreement(c.Body(), &ag, resource.Agreement{}, true); err != nil {
			return err
		}
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			if len(e.Agreements) >= store.MaxAgreements {
				return errAgreementLimit("agreements per environment", store.MaxAgreements)
			}
			e.Agreements = append(e.Agreements, ag)
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionAgreementUpdated, "", map[string]string{"agreement": ag.ID, "change": "created"})
		out := a.agreementResource(envID, ag)
		return created(c, out.Links, out)
	}
}

// PutAgreement answers PUT …/agreements/{agreementId} (Environment Admin):
// name, description and enabled. Enabling needs an enabled language with
// a revision in effect.
func (a *API) PutAgreement() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		var saved store.Agreement
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			i, err := pathAgreement(c, e)
			if err != nil {
				return err
			}
			ag := e.Agreements[i]
			if err := readAgreement(c.Body(), &ag, a.agreementResource(envID, ag), false); err != nil {
				return err
			}
			if ag.Enabled && !a.agreementPresentable(ag) {
				return apierr.Invalid("The agreement has no text to show.",
					detail("enabled", "An agreement can be enabled only when one of its enabled languages has a revision in effect."))
			}
			ag.UpdatedAt = a.now()
			e.Agreements[i] = ag
			saved = ag
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionAgreementUpdated, "", map[string]string{"agreement": saved.ID, "change": "updated"})
		return c.JSON(a.agreementResource(envID, saved))
	}
}

// DeleteAgreement answers DELETE …/agreements/{agreementId} (Environment
// Admin), with its languages and revisions.
func (a *API) DeleteAgreement() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", false)
		if err != nil {
			return err
		}
		var id string
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			i, err := pathAgreement(c, e)
			if err != nil {
				return err
			}
			id = e.Agreements[i].ID
			e.Agreements = slices.Delete(e.Agreements, i, i+1)
			if e.SignOnPolicy.AgreementID == id { // sign-on no longer asks for it
				e.SignOnPolicy.AgreementID = ""
			}
			dropPolicyAgreement(e, id)
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionAgreementUpdated, "", map[string]string{"agreement": id, "change": "deleted"})
		return c.SendStatus(http.StatusNoContent)
	}
}

// ListAgreementLanguages answers GET …/agreements/{agreementId}/languages.
func (a *API) ListAgreementLanguages() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		i, err := pathAgreement(c, env)
		if err != nil {
			return err
		}
		ag := env.Agreements[i]
		out := make([]resource.AgreementLanguage, 0, len(ag.Languages))
		for _, l := range ag.Languages {
			out = append(out, a.languageResource(env.ID, ag.ID, l))
		}
		return c.JSON(resource.NewList("languages", out, a.d.PublicURL+paths.Build(paths.AgreementLanguages, env.ID, ag.ID), ""))
	}
}

// GetAgreementLanguage answers GET …/languages/{languageId}.
func (a *API) GetAgreementLanguage() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		i, j, err := pathAgreementLanguage(c, env)
		if err != nil {
			return err
		}
		return c.JSON(a.languageResource(env.ID, env.Agreements[i].ID, env.Agreements[i].Languages[j]))
	}
}

// CreateAgreementLanguage answers POST …/languages (Environment Admin)
// with {"locale", "enabled"}: one language per locale (BCP 47, canonical
// form); enabled defaults to true.
func (a *API) CreateAgreementLanguage() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		o, err := parseObject(c.Body())
		if err != nil {
			return err
		}
		l := store.AgreementLanguage{ID: ids.New(), Enabled: true, CreatedAt: a.now(), Revisions: []store.AgreementRevision{}}
		o.Require("locale")
		var locale string
		if o.String("locale", &locale, false) {
			canonical, ok := notify.CanonicalLocale(locale)
			if !ok {
				o.Fail("locale", "locale must be a BCP 47 language tag, such as fr or fr-CA.")
			}
			l.Locale = canonical
		}
		o.Bool("enabled", &l.Enabled)
		o.Rest(resource.AgreementLanguage{}, "id", "agreement", "currentRevision", "createdAt", "_links")
		if err := invalid(o.Details()); err != nil {
			return err
		}
		var agID string
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			i, err := pathAgreement(c, e)
			if err != nil {
				return err
			}
			ag := &e.Agreements[i]
			agID = ag.ID
			if len(ag.Languages) >= store.MaxAgreementLanguages {
				return errAgreementLimit("languages per agreement", store.MaxAgreementLanguages)
			}
			for _, have := range ag.Languages {
				if have.Locale == l.Locale {
					return apierr.Invalid("The agreement already has this language.",
						apierr.Field(apierr.DetailInvalidValue, "locale", "The agreement already has a language for "+l.Locale+"."))
				}
			}
			ag.Languages = append(ag.Languages, l)
			ag.UpdatedAt = a.now()
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionAgreementUpdated, "", map[string]string{"agreement": agID, "language": l.ID, "change": "created"})
		out := a.languageResource(envID, agID, l)
		return created(c, out.Links, out)
	}
}

// ListAgreementRevisions answers GET …/languages/{languageId}/revisions,
// oldest first.
func (a *API) ListAgreementRevisions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		i, j, err := pathAgreementLanguage(c, env)
		if err != nil {
			return err
		}
		ag, l := env.Agreements[i], env.Agreements[i].Languages[j]
		out := make([]resource.AgreementRevision, 0, len(l.Revisions))
		for _, r := range l.Revisions {
			out = append(out, a.revisionResource(env.ID, ag.ID, l.ID, r))
		}
		return c.JSON(resource.NewList("revisions", out, a.d.PublicURL+paths.Build(paths.AgreementRevisions, env.ID, ag.ID, l.ID), ""))
	}
}

// GetAgreementRevision answers GET …/revisions/{revisionId}.
func (a *API) GetAgreementRevision() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		i, j, err := pathAgreementLanguage(c, env)
		if err != nil {
			return err
		}
		ag, l := env.Agreements[i], env.Agreements[i].Languages[j]
		id, err := pathID(c, "revisionId")
		if err != nil {
			return err
		}
		for _, r := range l.Revisions {
			if r.ID == id {
				return c.JSON(a.revisionResource(env.ID, ag.ID, l.ID, r))
			}
		}
		return errNotFound
	}
}

// CreateAgreementRevision answers POST …/revisions (Environment Admin)
// with {"contentType", "text", "effectiveAt", "requireReconsent"}.
// Revisions are immutable: there is no PUT or DELETE. An HTML text is
// stored sanitised; the size limit applies to the text as written.
func (a *API) CreateAgreementRevision() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		r, err := readRevision(c.Body())
		if err != nil {
			return err
		}
		r.ID, r.CreatedAt = ids.New(), a.now()
		var agID, langID string
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			i, j, err := pathAgreementLanguage(c, e)
			if err != nil {
				return err
			}
			ag := &e.Agreements[i]
			l := &ag.Languages[j]
			agID, langID = ag.ID, l.ID
			if len(l.Revisions) >= store.MaxAgreementRevisions {
				return errAgreementLimit("revisions per language", store.MaxAgreementRevisions)
			}
			if agreementTextBytes(e)+len(r.Text) > store.MaxAgreementTextTotal {
				return errAgreementTextTotal
			}
			l.Revisions = append(l.Revisions, r)
			ag.UpdatedAt = a.now()
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionAgreementUpdated, "", map[string]string{"agreement": agID, "language": langID, "revision": r.ID, "change": "created"})
		out := a.revisionResource(envID, agID, langID, r)
		return created(c, out.Links, out)
	}
}

// readAgreement reads a POST or PUT body into ag; current is the agreement
// as GET shows it, so its read-only fields may be echoed.
func readAgreement(body []byte, ag *store.Agreement, current resource.Agreement, create bool) error {
	o, err := parseObject(body)
	if err != nil {
		return err
	}
	// PUT replaces: what it leaves out is empty or false.
	ag.Description, ag.Enabled = "", false
	o.Require("name")
	if o.String("name", &ag.Name, false) {
		checkAgreementName(o, "name", ag.Name, true)
	}
	if o.String("description", &ag.Description, true) {
		checkAgreementName(o, "description", ag.Description, false)
	}
	if o.Bool("enabled", &ag.Enabled) && create && ag.Enabled {
		o.Fail("enabled", "A new agreement has no text yet: add a language and a revision, then enable it.")
	}
	o.Rest(current, "id", "environment", "createdAt", "updatedAt", "_links")
	return invalid(o.Details())
}

func checkAgreementName(o *object, name, s string, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		o.Fail(name, "must not be empty.")
	case utf8.RuneCountInString(s) > store.MaxAgreementNameLength:
		*o.details = append(*o.details, apierr.Field(apierr.DetailSizeLimit, name,
			fmt.Sprintf("%s must be at most %d characters.", name, store.MaxAgreementNameLength)))
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		o.Fail(name, "must be valid UTF-8 without control characters.")
	}
}

// readRevision reads a new revision; an HTML text comes back sanitised.
func readRevision(body []byte) (store.AgreementRevision, error) {
	var r store.AgreementRevision
	o, err := parseObject(body)
	if err != nil {
		return r, err
	}
	o.Require("contentType", "text", "effectiveAt")
	if o.String("contentType", &r.ContentType, false) &&
		r.ContentType != resource.AgreementTextPlain && r.ContentType != resource.AgreementTextHTML {
		o.Fail("contentType", "must be text/plain or text/html.")
	}
	var at string
	if o.String("effectiveAt", &at, false) {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			o.Fail("effectiveAt", "must be an RFC 3339 date and time, such as 2026-01-31T09:00:00Z.")
		}
		r.EffectiveAt = t.UTC()
	}
	o.Bool("requireReconsent", &r.RequireReconsent)
	if o.String("text", &r.Text, false) {
		switch {
		case strings.TrimSpace(r.Text) == "":
			o.Fail("text", "must not be empty.")
		case !utf8.ValidString(r.Text):
			o.Fail("text", "must be valid UTF-8.")
		case utf8.RuneCountInString(r.Text) > store.MaxAgreementText:
			*o.details = append(*o.details, apierr.Field(apierr.DetailSizeLimit, "text",
				fmt.Sprintf("text must be at most %d characters.", store.MaxAgreementText)))
		case strings.ContainsRune(r.Text, 0):
			o.Fail("text", "must not contain NUL characters.")
		}
	}
	o.Rest(resource.AgreementRevision{}, "id", "agreement", "language", "createdAt", "_links")
	if err := invalid(o.Details()); err != nil {
		return r, err
	}
	if r.ContentType == resource.AgreementTextHTML {
		r.Text = htmlsafe.Sanitize(r.Text)
		if strings.TrimSpace(r.Text) == "" {
			return r, invalid([]apierr.Detail{detail("text", "has no text left once unsafe HTML is removed.")})
		}
	}
	return r, nil
}

func agreementTextBytes(e *store.Environment) int {
	n := 0
	for _, ag := range e.Agreements {
		for _, l := range ag.Languages {
			for _, r := range l.Revisions {
				n += len(r.Text)
			}
		}
	}
	return n
}

// agreementPresentable reports whether ag has text to show now.
func (a *API) agreementPresentable(ag store.Agreement) bool {
	for _, l := range ag.Languages {
		if _, ok := l.CurrentRevision(a.now()); ok && l.Enabled {
			return true
		}
	}
	return false
}

// pathAgreement finds the path's agreement in e, or 404.
func pathAgreement(c *fiber.Ctx, e *store.Environment) (int, error) {
	id, err := pathID(c, "agreementId")
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(e.Agreements, func(ag store.Agreement) bool { return ag.ID == id })
	if i < 0 {
		return 0, errNotFound
	}
	return i, nil
}

// pathAgreementLanguage finds the path's agreement and language, or 404.
func pathAgreementLanguage(c *fiber.Ctx, e *store.Environment) (int, int, error) {
	i, err := pathAgreement(c, e)
	if err != nil {
		return 0, 0, err
	}
	id, err := pathID(c, "languageId")
	if err != nil {
		return 0, 0, err
	}
	j := slices.IndexFunc(e.Agreements[i].Languages, func(l store.AgreementLanguage) bool { return l.ID == id })
	if j < 0 {
		return 0, 0, errNotFound
	}
	return i, j, nil
}

func (a *API) agreementResource(envID string, ag store.Agreement) resource.Agreement {
	return resource.Agreement{
		Links: resource.Links{
			"self":      {Href: a.d.PublicURL + paths.Build(paths.Agreement, envID, ag.ID)},
			"languages": {Href: a.d.PublicURL + paths.Build(paths.AgreementLanguages, envID, ag.ID)},
		},
		ID: ag.ID, Environment: resource.Ref{ID: envID}, Name: ag.Name, Description: ag.Description,
		Enabled: ag.Enabled, CreatedAt: ag.CreatedAt.UTC(), UpdatedAt: ag.UpdatedAt.UTC(),
	}
}

func (a *API) languageResource(envID, agID string, l store.AgreementLanguage) resource.AgreementLanguage {
	out := resource.AgreementLanguage{
		Links: resource.Links{
			"self":      {Href: a.d.PublicURL + paths.Build(paths.AgreementLanguage, envID, agID, l.ID)},
			"revisions": {Href: a.d.PublicURL + paths.Build(paths.AgreementRevisions, envID, agID, l.ID)},
		},
		ID: l.ID, Agreement: resource.Ref{ID: agID}, Locale: l.Locale, Enabled: l.Enabled, CreatedAt: l.CreatedAt.UTC(),
	}
	if r, ok := l.CurrentRevision(a.now()); ok {
		out.CurrentRevision = &resource.Ref{ID: r.ID}
	}
	return out
}

func (a *API) revisionResource(envID, agID, langID string, r store.AgreementRevision) resource.AgreementRevision {
	return resource.AgreementRevision{
		Links: resource.Links{"self": {Href: a.d.PublicURL + paths.Build(paths.AgreementRevision, envID, agID, langID, r.ID)}},
		ID:    r.ID, Agreement: resource.Ref{ID: agID}, Language: resource.Ref{ID: langID},
		ContentType: r.ContentType, Text: r.Text, EffectiveAt: r.EffectiveAt.UTC(),
		RequireReconsent: r.RequireReconsent, CreatedAt: r.CreatedAt.UTC(),
	}
}

// readPolicyAgreement reads a sign-on policy's agreementId: one of the
// environment's agreements, or null or absent for none (PUT replaces).
func readPolicyAgreement(o *object, e *store.Environment, p *store.SignOnPolicy) {
	p.AgreementID = ""
	var id string
	if !o.String("agreementId", &id, true) || id == "" {
		return
	}
	id = strings.ToLower(id)
	if !slices.ContainsFunc(e.Agreements, func(ag store.Agreement) bool { return ag.ID == id }) {
		o.Fail("agreementId", "must be the id of one of the environment's agreements.")
		return
	}
	p.AgreementID = id
}
