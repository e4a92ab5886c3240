package notify

import (
	"context"
	"log/slog"
	"strings"

	"golang.org/x/text/language"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Vars are a notice's values by variable name.
type Vars map[string]string

// Render substitutes ${name} in text with vars[name], in one pass: an
// unknown or missing variable renders as nothing, a "${" that does not
// start a well-formed name stays as it is, and values are never scanned
// again, so a value holding "${otp}" stays literal. Nothing else is
// interpreted: the result is plain text.
func Render(text string, vars Vars) string {
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		name, n, ok := variableAt(text[i:])
		if !ok {
			b.WriteString("${")
			text = text[i+2:]
			continue
		}
		b.WriteString(vars[name])
		text = text[i+n:]
	}
}

// RenderSubject is Render for a subject line: line breaks become spaces,
// so no value can add a mail header.
func RenderSubject(text string, vars Vars) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, Render(text, vars))
}

// variableAt reads "${name}" at the start of s: the name and the length
// of the whole placeholder. A name is a letter then letters and digits.
func variableAt(s string) (name string, n int, ok bool) {
	end := strings.IndexByte(s, '}')
	if end < 3 {
		return "", 0, false
	}
	name = s[2:end]
	for i, r := range name {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return "", 0, false
		}
	}
	return name, end + 1, true
}

// UnknownVariables lists the ${name}s in text that t does not define, in
// order of first use.
func UnknownVariables(t Template, text string) []string {
	var unknown []string
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			return unknown
		}
		name, n, ok := variableAt(text[i:])
		if !ok {
			text = text[i+2:]
			continue
		}
		if !contains(t.Variables, name) && !contains(unknown, name) {
			unknown = append(unknown, name)
		}
		text = text[i+n:]
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// CanonicalLocale returns the BCP 47 tag's canonical form ("fr-ca" →
// "fr-CA"), or false when locale is not a well-formed tag.
func CanonicalLocale(locale string) (string, bool) {
	if locale == "" || len(locale) > 35 {
		return "", false
	}
	tag, err := language.Parse(locale)
	if err != nil || tag == language.Und {
		return "", false
	}
	return tag.String(), true
}

// Fallback lists the locales whose override texts are tried for a user
// with locale, best first: the locale itself, its base language, then
// "en". After them comes the built-in text.
func Fallback(locale string) []string {
	var out []string
	if tag, ok := CanonicalLocale(locale); ok {
		out = append(out, tag)
		if base, _ := language.Make(tag).Base(); base.String() != tag {
			out = append(out, base.String())
		}
	}
	if !contains(out, "en") {
		out = append(out, "en")
	}
	return out
}

// UserLocale is the locale a user's notifications are written in: the
// user's locale, else their preferred language; empty means English.
func UserLocale(u *store.User) string {
	if u == nil {
		return ""
	}
	if u.Profile.Locale != "" {
		return u.Profile.Locale
	}
	// preferredLanguage is an Accept-Language list ("fr, en;q=0.5"): its
	// first choice.
	if tags, _, err := language.ParseAcceptLanguage(u.Profile.PreferredLanguage); err == nil && len(tags) > 0 {
		return tags[0].String()
	}
	return ""
}

// Resolve renders n for a user with locale in env: the first of
// Fallback(locale) that env overrides, else the built-in text. A nil env
// is the built-in text.
func Resolve(env *store.Environment, locale string, n Notice) (subject, text string) {
	if env != nil {
		if byLocale := env.Templates[n.Template]; len(byLocale) > 0 {
			for _, l := range Fallback(locale) {
				if c, ok := byLocale[l]; ok {
					return RenderSubject(c.Subject, n.Vars), Render(c.Body, n.Vars)
				}
			}
		}
	}
	return n.Builtin()
}

// Templates renders notices with the environment's own texts. A nil
// *Templates renders the built-in texts.
type Templates struct {
	Environments store.Environments
	Logger       *slog.Logger
}

// Render renders n for a user with locale in environment envID (see
// Resolve). When the environment cannot be read the built-in text goes
// out: a security notice in English beats none.
func (t *Templates) Render(ctx context.Context, envID, locale string, n Notice) (subject, text string) {
	if t == nil || t.Environments == nil {
		return n.Builtin()
	}
	env, err := t.Environments.GetEnvironment(ctx, envID)
	if err != nil {
		if t.Logger != nil {
			t.Logger.Warn("notification templates: built-in text used", "template", n.Template, "err", err)
		}
		return n.Builtin()
	}
	return Resolve(env, locale, n)
}
