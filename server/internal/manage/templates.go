package manage

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// The environment's notification texts: PingOne's
// /environments/{envId}/templates/{templateName}/contents, keyed here by
// locale alone (an SMS or voice text is a template of its own, see
// notify's registry). Readers of the environment read; Environment Admins
// write. Texts are plain text with ${variable} placeholders from the
// template's list; the renderer substitutes them and nothing else.

var errTemplateLocale = apierr.Invalid("The locale is not a BCP 47 language tag.",
	detail("locale", "locale must be a BCP 47 language tag, such as fr or fr-CA."))

// errTemplateLocales refuses one more locale than a template may have.
var errTemplateLocales = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
	fmt.Sprintf("A notification template has its own text for at most %d locales.", store.MaxTemplateLocales),
	apierr.Field(apierr.DetailLimitExceeded, "locale", "Delete another locale's text first."))

// ListTemplates answers GET /v1/environments/{envId}/templates (readers of
// the environment).
func (a *API) ListTemplates() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		all := notify.TemplateList()
		out := make([]resource.NotificationTemplate, 0, len(all))
		for _, t := range all {
			out = append(out, a.templateResource(env, t))
		}
		return c.JSON(resource.NewList("templates", out, a.d.PublicURL+paths.Build(paths.Templates, env.ID), ""))
	}
}

// GetTemplate answers GET …/templates/{templateName}.
func (a *API) GetTemplate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		t, err := pathTemplate(c)
		if err != nil {
			return err
		}
		return c.JSON(a.templateResource(env, t))
	}
}

// GetTemplateContent answers GET …/templates/{templateName}/contents/{locale}:
// the environment's text for exactly that locale, or for "en" the built-in
// text when the environment has none; any other locale without a text is
// a 404 (sending falls back, reading does not).
func (a *API) GetTemplateContent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := a.readEnvironment(c)
		if err != nil {
			return err
		}
		t, locale, err := pathContent(c)
		if err != nil {
			return err
		}
		content, ok := env.Templates[t.Name][locale]
		if !ok && locale != "en" {
			return errNotFound
		}
		return c.JSON(a.contentResource(env.ID, t, locale, content, !ok))
	}
}

// PutTemplateContent answers PUT …/templates/{templateName}/contents/{locale}
// (Environment Admin) with {"subject", "body"}: sets the environment's
// text for the locale. An e-mail template needs a subject; SMS and voice
// have none.
func (a *API) PutTemplateContent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", true)
		if err != nil {
			return err
		}
		t, locale, err := pathContent(c)
		if err != nil {
			return err
		}
		var saved store.TemplateContent
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			current, had := e.Templates[t.Name][locale]
			content, err := readTemplateContent(c.Body(), t, a.contentResource(envID, t, locale, current, !had))
			if err != nil {
				return err
			}
			if !had && len(e.Templates[t.Name]) >= store.MaxTemplateLocales {
				return errTemplateLocales
			}
			content.UpdatedAt = a.now()
			if e.Templates == nil {
				e.Templates = map[string]map[string]store.TemplateContent{}
			}
			if e.Templates[t.Name] == nil {
				e.Templates[t.Name] = map[string]store.TemplateContent{}
			}
			e.Templates[t.Name][locale] = content
			saved = content
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionTemplateUpdated, "", map[string]string{"template": t.Name, "locale": locale, "change": "set"})
		return c.JSON(a.contentResource(envID, t, locale, saved, false))
	}
}

// DeleteTemplateContent answers DELETE …/templates/{templateName}/contents/{locale}
// (Environment Admin): the locale falls back again (its base language,
// "en", the built-in text). A locale without a text is a 404.
func (a *API) DeleteTemplateContent() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, _, err := adminEdit(c, "", false)
		if err != nil {
			return err
		}
		t, locale, err := pathContent(c)
		if err != nil {
			return err
		}
		_, err = a.updateEnvironment(c.UserContext(), envID, func(e *store.Environment) error {
			if _, ok := e.Templates[t.Name][locale]; !ok {
				return errNotFound
			}
			delete(e.Templates[t.Name], locale)
			if len(e.Templates[t.Name]) == 0 {
				delete(e.Templates, t.Name)
			}
			return nil
		})
		if err != nil {
			return err
		}
		a.record(c, envID, audit.ActionTemplateUpdated, "", map[string]string{"template": t.Name, "locale": locale, "change": "deleted"})
		return c.SendStatus(http.StatusNoContent)
	}
}

// pathTemplate reads the path's template name: an unknown one is a 404.
func pathTemplate(c *fiber.Ctx) (notify.Template, error) {
	t, ok := notify.LookupTemplate(c.Params("templateName"))
	if !ok {
		return t, errNotFound
	}
	return t, nil
}

// pathContent reads the path's template (404 when unknown) and locale
// (400 unless BCP 47), in its canonical form.
func pathContent(c *fiber.Ctx) (notify.Template, string, error) {
	t, err := pathTemplate(c)
	if err != nil {
		return t, "", err
	}
	locale, ok := notify.CanonicalLocale(c.Params("locale"))
	if !ok {
		return t, "", errTemplateLocale
	}
	return t, locale, nil
}

// readTemplateContent reads a PUT body against template t; current is the
// content as GET shows it, so its read-only fields may be echoed.
func readTemplateContent(body []byte, t notify.Template, current resource.TemplateContent) (store.TemplateContent, error) {
	o, err := parseObject(body)
	if err != nil {
		return store.TemplateContent{}, err
	}
	var out store.TemplateContent
	email := t.Channel == notify.ChannelEmail
	if email {
		o.Require("subject")
	}
	o.Require("body")
	if o.String("subject", &out.Subject, !email) {
		switch {
		case !email && out.Subject != "":
			o.Fail("subject", "must be empty: SMS and voice messages have no subject.")
		case email:
			checkTemplateText(o, t, "subject", out.Subject, store.MaxTemplateSubject, false)
		}
	}
	if o.String("body", &out.Body, false) {
		checkTemplateText(o, t, "body", out.Body, store.MaxTemplateBody, true)
	}
	o.Rest(current)
	if err := invalid(o.Details()); err != nil {
		return out, err
	}
	return out, nil
}

// checkTemplateText checks one text: not blank, at most limit runes, valid
// UTF-8 without control characters (line breaks and tabs only where
// multiline), and only the template's variables.
func checkTemplateText(o *object, t notify.Template, name, text string, limit int, multiline bool) {
	switch {
	case strings.TrimSpace(text) == "":
		o.Fail(name, "must not be empty.")
		return
	case utf8.RuneCountInString(text) > limit:
		*o.details = append(*o.details, apierr.Field(apierr.DetailSizeLimit, name,
			fmt.Sprintf("%s must be at most %d characters.", name, limit)))
		return
	case !utf8.ValidString(text):
		o.Fail(name, "must be valid UTF-8.")
		return
	}
	for _, r := range text {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			if multiline {
				o.Fail(name, "must not contain control characters other than line breaks and tabs.")
			} else {
				o.Fail(name, "must not contain control characters or line breaks.")
			}
			return
		}
	}
	if unknown := notify.UnknownVariables(t, text); len(unknown) > 0 {
		names := make([]string, len(unknown))
		for i, u := range unknown {
			names[i] = "${" + u + "}"
		}
		o.Fail(name, fmt.Sprintf("uses unknown variable %s; %s has %s.", strings.Join(names, ", "), t.Name, variableList(t)))
	}
}

func variableList(t notify.Template) string {
	if len(t.Variables) == 0 {
		return "no variables"
	}
	names := make([]string, len(t.Variables))
	for i, v := range t.Variables {
		names[i] = "${" + v + "}"
	}
	return strings.Join(names, ", ")
}

func deliveryMethod(channel string) string {
	switch channel {
	case notify.ChannelSMS:
		return resource.DeliverySMS
	case notify.ChannelVoice:
		return resource.DeliveryVoice
	}
	return resource.DeliveryEmail
}

func (a *API) templateResource(env *store.Environment, t notify.Template) resource.NotificationTemplate {
	self := a.d.PublicURL + paths.Build(paths.Template, env.ID, t.Name)
	locales := slices.Sorted(maps.Keys(env.Templates[t.Name]))
	if locales == nil {
		locales = []string{}
	}
	return resource.NotificationTemplate{
		Links:          resource.Links{"self": {Href: self}, "environment": {Href: a.d.PublicURL + paths.Build(paths.Environment, env.ID)}},
		Name:           t.Name,
		Description:    t.Description,
		DeliveryMethod: deliveryMethod(t.Channel),
		Variables:      slices.Clone(t.Variables),
		Default:        resource.TemplateText{Subject: t.Subject, Body: t.Body},
		Locales:        locales,
	}
}

// contentResource shows one locale's text; builtin shows t's own.
func (a *API) contentResource(envID string, t notify.Template, locale string, c store.TemplateContent, builtin bool) resource.TemplateContent {
	out := resource.TemplateContent{
		Links: resource.Links{
			"self":     {Href: a.d.PublicURL + paths.Build(paths.TemplateContent, envID, t.Name, locale)},
			"template": {Href: a.d.PublicURL + paths.Build(paths.Template, envID, t.Name)},
		},
		Template: t.Name, Locale: locale, DeliveryMethod: deliveryMethod(t.Channel),
		Subject: c.Subject, Body: c.Body, Default: builtin,
	}
	if builtin {
		out.Subject, out.Body = t.Subject, t.Body
	} else {
		at := c.UpdatedAt.UTC()
		out.UpdatedAt = &at
	}
	return out
}
