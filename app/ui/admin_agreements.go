package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminAgreements is the console's Agreements section: the environment's
// agreements, each with its languages (one per locale) and each
// language's immutable revisions. A revision's text is always shown as
// text, never as markup, even an HTML one (the server sanitises it; the
// console has no reason to render it).
type AdminAgreements struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	list    []resource.Agreement
	errText string

	// form is the open form: "new", "language" or "revision"; formLang
	// the language a new revision is for.
	form     string
	formLang string
	formErr  string
	busy     string // the id of the control whose request is under way

	// open is the agreement shown in detail with its languages; revsFor
	// the language whose revisions are listed.
	open          *resource.Agreement
	langs         []resource.AgreementLanguage
	revsFor       string
	revs          []resource.AgreementRevision
	confirmDelete bool
	notice        string

	now func() time.Time // tests fix the clock
}

// agreementForm is the New agreement form as read at submit time.
type agreementForm struct{ Name, Description string }

// revisionForm is the Add revision form as read at submit time.
type revisionForm struct {
	Text, ContentType, EffectiveAt string
	RequireReconsent               bool
}

// agreementBody is the POST …/agreements body, or the message saying
// what is missing. A new agreement starts disabled: it has no text yet.
func agreementBody(f agreementForm) (map[string]any, Msg) {
	name := strings.TrimSpace(f.Name)
	if name == "" {
		return nil, MsgConNameRequired
	}
	b := map[string]any{"name": name, "enabled": false}
	if d := strings.TrimSpace(f.Description); d != "" {
		b["description"] = d
	}
	return b, ""
}

// effectiveLayout is what a datetime-local input holds; the console reads
// it as UTC (the label says so) because the wasm runtime has no time zone
// database.
const effectiveLayout = "2006-01-02T15:04"

// revisionBody is the POST …/revisions body: an empty effective time is
// now (to the second, so it is not in the future on the server).
func revisionBody(f revisionForm, now time.Time) (map[string]any, Msg) {
	if strings.TrimSpace(f.Text) == "" {
		return nil, MsgConAgTextRequired
	}
	at := now.UTC().Truncate(time.Second)
	if s := strings.TrimSpace(f.EffectiveAt); s != "" {
		t, err := time.Parse(effectiveLayout, s)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, s); err != nil {
				return nil, MsgConAgBadTime
			}
		}
		at = t.UTC()
	}
	ct := f.ContentType
	if ct != resource.AgreementTextHTML {
		ct = resource.AgreementTextPlain
	}
	return map[string]any{"contentType": ct, "text": f.Text, "effectiveAt": at.Format(time.RFC3339),
		"requireReconsent": f.RequireReconsent}, ""
}

func (s *AdminAgreements) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

// OnMount loads the agreements.
func (s *AdminAgreements) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminAgreements) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminAgreements) load(ctx app.Context) {
	if s.C != nil && s.l.loadedFor != s.C.Env.ID {
		// Another environment: back to its list (a form opened while
		// the list loads stays open).
		s.open, s.form, s.notice = nil, "", ""
	}
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) ([]resource.Agreement, error) {
		return apiclient.ListOf[resource.Agreement](ctx, c.API, paths.Build(paths.Agreements, c.Env.ID), c.Token, "agreements")
	}, func(list []resource.Agreement, err error) {
		s.list, s.errText = list, ""
		if err != nil {
			s.errText = adminErrorText(err)
		}
	})
}

// openForm shows one of the forms (no I/O).
func (s *AdminAgreements) openForm(form, lang string) {
	if s.busy != "" {
		return
	}
	s.form, s.formLang, s.formErr, s.notice = form, lang, "", ""
}

// create adds an agreement and opens it.
func (s *AdminAgreements) create(ctx app.Context, f agreementForm) {
	if s.busy != "" {
		return
	}
	body, msg := agreementBody(f)
	if msg != "" {
		s.formErr = T(msg)
		return
	}
	c := s.C
	var out resource.Agreement
	s.call(ctx, "agreements-create", &s.formErr, func(ctx context.Context) error {
		return c.API.Call(ctx, "POST", paths.Build(paths.Agreements, c.Env.ID), c.Token, "", body, &out)
	}, func() {
		s.list = append(s.list, out)
		s.form, s.open, s.langs, s.revsFor, s.revs = "", &out, nil, "", nil
		s.notice = T(MsgConAgCreated)
	})
}

// openAgreement reads an agreement's languages, then shows it; the Open
// button stays mounted (disabled) until then.
func (s *AdminAgreements) openAgreement(ctx app.Context, ag resource.Agreement) {
	if s.busy != "" {
		return
	}
	c := s.C
	var langs []resource.AgreementLanguage
	s.call(ctx, "agreements-open-"+ag.ID, &s.errText, func(ctx context.Context) (err error) {
		langs, err = apiclient.ListOf[resource.AgreementLanguage](ctx, c.API, paths.Build(paths.AgreementLanguages, c.Env.ID, ag.ID), c.Token, "languages")
		return err
	}, func() {
		a := ag
		s.open, s.langs, s.revsFor, s.revs, s.form, s.notice, s.confirmDelete = &a, langs, "", nil, "", "", false
	})
}

// call runs an API call with the button busyID kept mounted, disabled,
// until the answer (go-app drops a Dispatch whose source is gone); a
// failure shows in *errText (the form's or the section's), else done
// applies the answer.
func (s *AdminAgreements) call(ctx app.Context, busyID string, errText *string, call func(context.Context) error, done func()) {
	s.busy, *errText = busyID, ""
	adminAsync(ctx, call, func(err error) {
		s.busy = ""
		if err != nil {
			*errText = adminErrorText(err)
			return
		}
		done()
	})
}

// back returns to the list.
func (s *AdminAgreements) back() {
	if s.busy == "" {
		s.open, s.form, s.formErr, s.notice, s.confirmDelete = nil, "", "", "", false
	}
}

// addLanguage adds a locale to the open agreement.
func (s *AdminAgreements) addLanguage(ctx app.Context, locale string) {
	if s.busy != "" || s.open == nil {
		return
	}
	locale = strings.TrimSpace(locale)
	if locale == "" {
		s.formErr = T(MsgConAgLocaleRequired)
		return
	}
	c, ag := s.C, *s.open
	var out resource.AgreementLanguage
	s.call(ctx, "agreements-add-language", &s.formErr, func(ctx context.Context) error {
		return c.API.Call(ctx, "POST", paths.Build(paths.AgreementLanguages, c.Env.ID, ag.ID), c.Token, "",
			map[string]any{"locale": locale, "enabled": true}, &out)
	}, func() {
		s.langs = append(s.langs, out)
		s.form, s.notice = "", T(MsgConAgLanguageAdded, out.Locale)
	})
}

// addRevision adds a revision to a language of the open agreement, then
// reads the languages (their revision in effect) and that language's
// revisions again.
func (s *AdminAgreements) addRevision(ctx app.Context, langID string, f revisionForm) {
	if s.busy != "" || s.open == nil {
		return
	}
	body, msg := revisionBody(f, s.clock())
	if msg != "" {
		s.formErr = T(msg)
		return
	}
	c, ag := s.C, *s.open
	var langs []resource.AgreementLanguage
	var revs []resource.AgreementRevision
	s.call(ctx, "agreements-add-revision", &s.formErr, func(ctx context.Context) error {
		if err := c.API.Call(ctx, "POST", paths.Build(paths.AgreementRevisions, c.Env.ID, ag.ID, langID), c.Token, "", body, nil); err != nil {
			return err
		}
		var err error
		if langs, err = apiclient.ListOf[resource.AgreementLanguage](ctx, c.API, paths.Build(paths.AgreementLanguages, c.Env.ID, ag.ID), c.Token, "languages"); err != nil {
			return err
		}
		revs, err = apiclient.ListOf[resource.AgreementRevision](ctx, c.API, paths.Build(paths.AgreementRevisions, c.Env.ID, ag.ID, langID), c.Token, "revisions")
		return err
	}, func() {
		s.langs, s.revsFor, s.revs, s.form, s.notice = langs, langID, revs, "", T(MsgConAgRevisionAdded)
	})
}

// showRevisions lists a language's revisions (the button stays mounted).
func (s *AdminAgreements) showRevisions(ctx app.Context, langID string) {
	if s.busy != "" || s.open == nil {
		return
	}
	c, ag := s.C, *s.open
	var revs []resource.AgreementRevision
	s.call(ctx, "agreements-revisions-"+langID, &s.errText, func(ctx context.Context) (err error) {
		revs, err = apiclient.ListOf[resource.AgreementRevision](ctx, c.API, paths.Build(paths.AgreementRevisions, c.Env.ID, ag.ID, langID), c.Token, "revisions")
		return err
	}, func() {
		s.revsFor, s.revs = langID, revs
	})
}

// setEnabled enables or disables the open agreement (PUT replaces name,
// description and enabled; the server refuses enabling one without text
// in effect).
func (s *AdminAgreements) setEnabled(ctx app.Context, on bool) {
	if s.busy != "" || s.open == nil {
		return
	}
	s.notice = ""
	c, ag := s.C, *s.open
	body := map[string]any{"name": ag.Name, "enabled": on}
	if ag.Description != "" {
		body["description"] = ag.Description
	}
	var out resource.Agreement
	s.call(ctx, "agreements-toggle", &s.errText, func(ctx context.Context) error {
		return c.API.Call(ctx, "PUT", paths.Build(paths.Agreement, c.Env.ID, ag.ID), c.Token, "", body, &out)
	}, func() {
		s.open = &out
		if i := slices.IndexFunc(s.list, func(a resource.Agreement) bool { return a.ID == out.ID }); i >= 0 {
			s.list[i] = out
		}
	})
}

// remove deletes the open agreement after a confirmation.
func (s *AdminAgreements) remove(ctx app.Context) {
	if s.busy != "" || s.open == nil {
		return
	}
	if !s.confirmDelete {
		s.confirmDelete = true
		return
	}
	c, ag := s.C, *s.open
	s.call(ctx, "agreements-confirm-delete", &s.errText, func(ctx context.Context) error {
		return c.API.Call(ctx, "DELETE", paths.Build(paths.Agreement, c.Env.ID, ag.ID), c.Token, "", nil, nil)
	}, func() {
		s.list = slices.DeleteFunc(s.list, func(a resource.Agreement) bool { return a.ID == ag.ID })
		s.open, s.confirmDelete, s.notice = nil, false, T(MsgConAgDeleted, ag.Name)
	})
}

// Render implements app.Composer.
func (s *AdminAgreements) Render() app.UI {
	if s.open != nil {
		return s.detail()
	}
	return app.Div().Class("admin-section").Body(
		app.H2().Text(T(MsgConAgreements)),
		app.P().Class("hint").Text(T(MsgConAgHint)),
		&ErrorMessage{Text: s.errText},
		app.P().ID("agreements-notice").Class("notice").Role("status").Text(s.notice),
		adminListStatus("agreements", s.l.loading, s.errText, len(s.list), MsgConAgEmpty),
		app.Ul().ID("agreements-list").Class("devices").Body(
			app.Range(s.list).Slice(func(i int) app.UI {
				ag := s.list[i]
				id := "agreements-open-" + ag.ID
				return app.Li().Class("device", "agreement-row").Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("device-nickname").Text(ag.Name),
						app.Span().Class("badge").Text(enabledText(ag.Enabled)),
					),
					app.If(ag.Description != "", func() app.UI { return app.P().Class("device-target").Text(ag.Description) }),
					app.Div().Class("row-actions").Body(
						app.Button().ID(id).Type("button").Class("action").Disabled(s.busy == id).Text(T(MsgConOpen)).
							OnClick(func(ctx app.Context, e app.Event) { s.openAgreement(ctx, ag) }, app.EventScope(ag.ID)),
					),
				)
			}),
		),
		app.If(s.C.CanWrite() && s.form != "new", func() app.UI {
			return app.Button().ID("agreements-new").Type("button").Class("action").Text(T(MsgConAgNew)).
				OnClick(func(ctx app.Context, e app.Event) { s.openForm("new", "") })
		}),
		app.If(s.form == "new", func() app.UI { return s.newForm() }),
	)
}

func (s *AdminAgreements) newForm() app.UI {
	return app.Form().ID("agreements-new-form").Class("admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.create(ctx, agreementForm{Name: formValue(ctx, "agreements-name"), Description: formValue(ctx, "agreements-description")})
	}).Body(
		app.H3().Text(T(MsgConAgNew)),
		adminField(T(MsgConName), "agreements-name", "", app.Input().Type("text").MaxLength(256).Required(true)),
		adminField(T(MsgConDescription), "agreements-description", "", app.Input().Type("text").MaxLength(1024)),
		&ErrorMessage{Text: s.formErr},
		adminSubmit("agreements-create", T(MsgConCreate), s.busy == "agreements-create"),
		app.Button().ID("agreements-cancel").Type("button").Class("link").Text(T(MsgCancel)).
			OnClick(func(ctx app.Context, e app.Event) { s.openForm("", "") }),
	)
}

func (s *AdminAgreements) detail() app.UI {
	ag := *s.open
	w := s.C.CanWrite()
	return app.Div().Class("admin-section").Body(
		app.Button().ID("agreements-back").Type("button").Class("link").Text(T(MsgConBack)).
			OnClick(func(ctx app.Context, e app.Event) { s.back() }),
		app.H2().ID("agreements-title").Text(ag.Name),
		app.P().Class("hint").Text(ag.Description),
		app.Dl().Class("fields").Body(
			app.Dt().Text(T(MsgConID)), app.Dd().ID("agreements-id").Text(ag.ID),
			app.Dt().Text(T(MsgConStatus)), app.Dd().ID("agreements-status").Text(enabledText(ag.Enabled)),
		),
		&ErrorMessage{Text: s.errText},
		app.P().ID("agreements-notice").Class("notice").Role("status").Text(s.notice),
		app.H3().Text(T(MsgConAgLanguages)),
		app.Div().Class("admin-status").Body(
			app.If(len(s.langs) == 0, func() app.UI {
				return app.P().ID("agreements-no-languages").Class("empty").Text(T(MsgConAgNoLanguages))
			}),
		),
		app.Ul().ID("agreements-languages").Class("devices").Body(
			app.Range(s.langs).Slice(func(i int) app.UI { return s.languageRow(s.langs[i], w) }),
		),
		app.Div().ID("agreements-revisions-slot").Body(
			app.If(s.revsFor != "", func() app.UI { return s.revisionList() }),
		),
		app.If(w && s.form == "", func() app.UI {
			return app.Div().Class("row-actions").Body(
				app.Button().ID("agreements-new-language").Type("button").Class("action").Text(T(MsgConAgAddLanguage)).
					OnClick(func(ctx app.Context, e app.Event) { s.openForm("language", "") }),
				app.Button().ID("agreements-toggle").Type("button").Class("action").Disabled(s.busy == "agreements-toggle").
					Text(toggleText(ag.Enabled)).OnClick(func(ctx app.Context, e app.Event) { s.setEnabled(ctx, !ag.Enabled) }),
				app.Button().ID("agreements-delete").Type("button").Class("action").Text(T(MsgConDelete)).
					OnClick(func(ctx app.Context, e app.Event) { s.remove(ctx) }),
			)
		}),
		app.If(s.confirmDelete, func() app.UI {
			return app.Div().Class("confirm").Body(
				app.P().Text(T(MsgConAgDeleteQ, ag.Name)),
				app.Div().Class("row-actions").Body(
					app.Button().ID("agreements-confirm-delete").Type("button").Class("action", "danger").
						Disabled(s.busy == "agreements-confirm-delete").Text(T(MsgConDelete)).
						OnClick(func(ctx app.Context, e app.Event) { s.remove(ctx) }),
					app.Button().ID("agreements-cancel-delete").Type("button").Class("action").Text(T(MsgCancel)).
						OnClick(func(ctx app.Context, e app.Event) {
							if s.busy == "" {
								s.confirmDelete = false
							}
						}),
				),
			)
		}),
		app.If(s.form == "language", func() app.UI { return s.languageForm() }),
		app.If(s.form == "revision", func() app.UI { return s.revisionForm() }),
	)
}

func (s *AdminAgreements) languageRow(l resource.AgreementLanguage, w bool) app.UI {
	revID := "agreements-revisions-" + l.ID
	current := T(MsgConAgNoRevision)
	if l.CurrentRevision != nil {
		current = T(MsgConAgCurrent, l.CurrentRevision.ID)
	}
	return app.Li().Class("device", "agreement-language").Body(
		app.Div().Class("device-head").Body(
			app.Span().Class("device-nickname", "agreement-locale").Text(l.Locale),
			app.Span().Class("badge").Text(enabledText(l.Enabled)),
		),
		app.P().Class("device-target").Text(current),
		app.Div().Class("row-actions").Body(
			app.Button().ID(revID).Type("button").Class("action", "show-revisions").Disabled(s.busy == revID).Text(T(MsgConAgRevisions)).
				OnClick(func(ctx app.Context, e app.Event) { s.showRevisions(ctx, l.ID) }, app.EventScope(l.ID)),
			app.If(w, func() app.UI {
				return app.Button().ID("agreements-new-revision-"+l.ID).Type("button").Class("action", "add-revision").
					Text(T(MsgConAgAddRevision)).
					OnClick(func(ctx app.Context, e app.Event) { s.openForm("revision", l.ID) }, app.EventScope(l.ID))
			}),
		),
	)
}

func (s *AdminAgreements) revisionList() app.UI {
	locale := ""
	for _, l := range s.langs {
		if l.ID == s.revsFor {
			locale = l.Locale
		}
	}
	return app.Div().ID("agreements-revisions").Class("agreement-revisions").Body(
		app.H3().Text(T(MsgConAgRevisionsOf, locale)),
		app.If(len(s.revs) == 0, func() app.UI { return app.P().Class("empty").Text(T(MsgConAgNoRevisions)) }),
		app.Ul().Class("devices").Body(
			app.Range(s.revs).Slice(func(i int) app.UI {
				r := s.revs[i]
				meta := T(MsgConAgEffective, r.EffectiveAt.UTC().Format("2006-01-02 15:04 UTC"), r.ContentType)
				return app.Li().Class("device", "agreement-revision").Body(
					app.P().Class("device-status").Text(meta),
					app.If(r.RequireReconsent, func() app.UI { return app.Span().Class("badge").Text(T(MsgConAgReconsent)) }),
					// Text, never markup: an HTML revision shows its source.
					app.Pre().Class("agreement-text", "revision-text").Text(r.Text),
				)
			}),
		),
	)
}

func (s *AdminAgreements) languageForm() app.UI {
	return app.Form().ID("agreements-language-form").Class("admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.addLanguage(ctx, formValue(ctx, "agreements-locale"))
	}).Body(
		app.H3().Text(T(MsgConAgAddLanguage)),
		adminField(T(MsgConAgLocale), "agreements-locale", "en", app.Input().Type("text").MaxLength(35).Required(true).
			Attr("autocomplete", "off").Attr("spellcheck", "false")),
		app.P().Class("field-hint").Text(T(MsgConAgLocaleHint)),
		&ErrorMessage{Text: s.formErr},
		adminSubmit("agreements-add-language", T(MsgConAdd), s.busy == "agreements-add-language"),
		app.Button().ID("agreements-cancel").Type("button").Class("link").Text(T(MsgCancel)).
			OnClick(func(ctx app.Context, e app.Event) { s.openForm("", "") }),
	)
}

func (s *AdminAgreements) revisionForm() app.UI {
	lang := s.formLang
	return app.Form().ID("agreements-revision-form").Class("admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.addRevision(ctx, lang, revisionForm{Text: formValue(ctx, "agreements-text"), ContentType: formValue(ctx, "agreements-content-type"),
			EffectiveAt: formValue(ctx, "agreements-effective"), RequireReconsent: adminFormChecked(ctx, "agreements-reconsent")})
	}, app.EventScope(lang)).Body(
		app.H3().Text(T(MsgConAgAddRevision)),
		adminTextarea(T(MsgConAgText), "agreements-text", "", ""),
		app.Div().Class("field").Body(
			app.Label().For("agreements-content-type").Text(T(MsgConAgContentType)),
			app.Select().ID("agreements-content-type").Name("agreements-content-type").Body(
				app.Option().Value(resource.AgreementTextPlain).Selected(true).Text(T(MsgConAgPlain)),
				app.Option().Value(resource.AgreementTextHTML).Text(T(MsgConAgHTML)),
			),
		),
		adminField(T(MsgConAgEffectiveAt), "agreements-effective", "", app.Input().Type("datetime-local")),
		app.P().Class("field-hint").Text(T(MsgConAgEffectiveHint)),
		adminCheckbox(T(MsgConAgRequireReconsent), "agreements-reconsent", false),
		&ErrorMessage{Text: s.formErr},
		adminSubmit("agreements-add-revision", T(MsgConAdd), s.busy == "agreements-add-revision"),
		app.Button().ID("agreements-cancel").Type("button").Class("link").Text(T(MsgCancel)).
			OnClick(func(ctx app.Context, e app.Event) { s.openForm("", "") }),
	)
}

// enabledText and toggleText are a resource's enabled status and the
// button that flips it.
func enabledText(on bool) string {
	if on {
		return T(MsgConEnabled)
	}
	return T(MsgConDisabled)
}

func toggleText(on bool) string {
	if on {
		return T(MsgConDisable)
	}
	return T(MsgConEnable)
}
