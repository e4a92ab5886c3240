package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/valid"
)

// The My profile tab's components: they only display, and call back.

// ProfileFieldView is one field of the form as the page wants it shown.
type ProfileFieldView struct {
	Key, Label, Hint, Error, Value string
	Kind                           fieldKind
	Auto                           string
	Max                            int
	ReadOnly                       bool
	// Managed: the environment keeps it read-only (said under it).
	Managed bool
}

// ProfileSectionView is one fieldset of the form.
type ProfileSectionView struct {
	ID, Title string
	Fields    []ProfileFieldView
}

// ProfileForm is the My profile form (#profile-form): a fieldset per
// section, each field labelled, its hint and error tied to it with
// aria-describedby; Save (#profile-save) and Cancel (#profile-cancel); the
// save's outcome (#profile-saved, #profile-error); and on a conflict the
// message (#profile-conflict) with a reload (#profile-reload).
type ProfileForm struct {
	app.Compo
	Sections []ProfileSectionView
	CanSave  bool
	Busy     bool
	Notice   string
	Error    string
	Conflict bool
	OnChange func(ctx app.Context, key, value string)
	OnSubmit func(ctx app.Context, values map[string]string)
	OnCancel func(ctx app.Context)
	OnReload func(ctx app.Context)
}

// Render implements app.Composer.
func (c *ProfileForm) Render() app.UI {
	save := app.Button().ID("profile-save").Type("submit").Class("primary").Text(T(MsgProfileSave))
	if c.Busy {
		save = save.Disabled(true).Aria("busy", "true").Text(T(MsgProfileSaving))
	}
	return app.Form().ID("profile-form").Class("profile-form").NoValidate(true).Aria("labelledby", "profile-title").
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			if c.Busy || !c.CanSave || c.OnSubmit == nil {
				return
			}
			values := map[string]string{}
			for _, s := range c.Sections {
				for _, f := range s.Fields {
					if !f.ReadOnly {
						values[f.Key] = formValue(ctx, f.Key)
					}
				}
			}
			c.OnSubmit(ctx, values)
		}).
		Body(
			app.H1().ID("profile-title").Text(T(MsgProfileTitle)),
			app.Range(c.Sections).Slice(func(i int) app.UI {
				s := c.Sections[i]
				return app.FieldSet().ID("profile-section-"+s.ID).Class("profile-section").Body(
					app.Legend().Text(s.Title),
					app.Div().Class("profile-grid").Body(
						app.Range(s.Fields).Slice(func(j int) app.UI { return c.field(s.Fields[j]) }),
					),
				)
			}),
			// The save's outcome shows by the Save button, where the eyes
			// are, in a slot that is always there: showing or hiding a
			// message never remounts the buttons after it (go-app drops a
			// Dispatch whose source is unmounted).
			app.Div().Class("profile-slot").Body(
				app.If(c.Conflict, func() app.UI {
					return app.Div().ID("profile-conflict").Class("error", "conflict").Role("alert").Body(
						app.P().Text(T(MsgProfileConflict)),
						app.Button().ID("profile-reload").Type("button").Class("primary").Text(T(MsgProfileReload)).
							Disabled(c.Busy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnReload, ctx) }),
					)
				}),
				app.If(c.Error != "", func() app.UI {
					return app.P().ID("profile-error").Class("error").Role("alert").Text(c.Error)
				}),
				app.If(c.Notice != "", func() app.UI {
					return app.P().ID("profile-saved").Class("notice").Role("status").Text(c.Notice)
				}),
			),
			app.If(c.CanSave, func() app.UI {
				return app.Div().Class("profile-actions").Body(
					save,
					app.Button().ID("profile-cancel").Type("button").Class("link").Text(T(MsgProfileCancel)).
						Disabled(c.Busy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }),
				)
			}),
		)
}

// field renders one labelled input, select or textarea.
func (c *ProfileForm) field(f ProfileFieldView) app.UI {
	id := "pf-" + f.Key
	var described []string
	if f.Error != "" {
		described = append(described, id+"-error")
	}
	if f.Hint != "" && !f.ReadOnly {
		described = append(described, id+"-hint")
	}
	if f.Managed {
		described = append(described, id+"-managed")
	}
	onChange := func(ctx app.Context, e app.Event) {
		if c.OnChange != nil {
			c.OnChange(ctx, f.Key, ctx.JSSrc().Get("value").String())
		}
	}
	var control app.UI
	switch f.Kind {
	case kindCountry, kindTimezone:
		sel := app.Select().ID(id).Name(f.Key).Attr("value", f.Value).OnChange(onChange, app.EventScope(f.Key))
		if f.ReadOnly {
			// A select has no read-only state; disabled also keeps it out
			// of the submitted values, which Save reads only for editable
			// fields anyway.
			sel = sel.Disabled(true)
		}
		if f.Auto != "" {
			sel = sel.Attr("autocomplete", f.Auto)
		}
		if len(described) > 0 {
			sel = sel.Aria("describedby", strings.Join(described, " "))
		}
		if f.Error != "" {
			sel = sel.Aria("invalid", "true")
		}
		control = sel.Body(selectOptions(f.Kind, f.Value)...)
	case kindTextarea:
		ta := app.Textarea().ID(id).Name(f.Key).Attr("value", f.Value).Rows(3).
			Attr("autocomplete", f.Auto).OnChange(onChange, app.EventScope(f.Key))
		if f.ReadOnly {
			ta = ta.ReadOnly(true)
		}
		if f.Max > 0 {
			ta = ta.MaxLength(f.Max)
		}
		if len(described) > 0 {
			ta = ta.Aria("describedby", strings.Join(described, " "))
		}
		if f.Error != "" {
			ta = ta.Aria("invalid", "true")
		}
		control = ta
	default:
		typ := map[fieldKind]string{kindTel: "tel", kindURL: "url"}[f.Kind]
		if typ == "" {
			typ = "text"
		}
		in := app.Input().ID(id).Name(f.Key).Type(typ).Value(f.Value).
			Attr("autocomplete", f.Auto).OnChange(onChange, app.EventScope(f.Key))
		if f.ReadOnly {
			in = in.ReadOnly(true)
		}
		if f.Kind == kindTel {
			in = in.Attr("inputmode", "tel")
		}
		if f.Max > 0 {
			in = in.MaxLength(f.Max)
		}
		if len(described) > 0 {
			in = in.Aria("describedby", strings.Join(described, " "))
		}
		if f.Error != "" {
			in = in.Aria("invalid", "true")
		}
		control = in
	}
	return app.Div().Class("field").DataSet("field", f.Key).Body(
		app.Label().For(id).Text(f.Label),
		control,
		app.If(f.Hint != "" && !f.ReadOnly, func() app.UI { return app.P().ID(id + "-hint").Class("field-hint").Text(f.Hint) }),
		app.If(f.Managed, func() app.UI {
			return app.P().ID(id + "-managed").Class("field-hint").Text(T(MsgHintReadOnly))
		}),
		fieldError(id+"-error", f.Error),
	)
}

// selectOptions are a picker's options: "Not set" first, then the list;
// a current value missing from the list is kept as its own option, so
// showing the form never changes it.
func selectOptions(kind fieldKind, current string) []app.UI {
	type opt struct{ value, label string }
	opts := []opt{{"", T(MsgNotChosen)}}
	found := current == ""
	if kind == kindCountry {
		for _, k := range addressCountries {
			opts = append(opts, opt{k.Code, k.Name})
			found = found || k.Code == current
		}
	} else {
		for _, z := range timezones {
			opts = append(opts, opt{z, strings.ReplaceAll(z, "_", " ")})
			found = found || z == current
		}
	}
	if !found {
		opts = append(opts, opt{current, current})
	}
	out := make([]app.UI, 0, len(opts))
	for _, o := range opts {
		el := app.Option().Value(o.value).Text(o.label)
		if o.value == current {
			el = el.Selected(true)
		}
		out = append(out, el)
	}
	return out
}

// EmailBlock shows the username and email (#profile-username,
// #profile-email) and, when the user may change the email, a Change button
// (#change-email) that opens a small form (#new-email, #send-email-code,
// #cancel-email).
type EmailBlock struct {
	app.Compo
	Username  string
	Email     string
	Verified  bool
	CanChange bool
	Editing   bool
	Busy      bool
	Error     string
	OnStart   func(ctx app.Context)
	OnSubmit  func(ctx app.Context, addr string)
	OnCancel  func(ctx app.Context)
}

// Render implements app.Composer.
func (c *EmailBlock) Render() app.UI {
	status := T(MsgEmailUnverified)
	if c.Verified {
		status = T(MsgEmailVerified)
	}
	send := app.Button().ID("send-email-code").Type("submit").Class("primary").Text(T(MsgEmailSendCode))
	if c.Busy {
		send = send.Disabled(true).Aria("busy", "true")
	}
	in := app.Input().ID("new-email").Name("email").Type("email").Attr("autocomplete", "email").
		Attr("inputmode", "email").MaxLength(valid.MaxEmail).Required(true)
	if c.Error != "" {
		in = in.Aria("invalid", "true").Aria("describedby", "new-email-error")
	}
	return app.Div().Class("profile-account").Body(
		app.Dl().Class("fields").Body(
			app.Dt().Text(T(MsgProfileUsername)),
			app.Dd().ID("profile-username").Text(orNotSet(c.Username)),
			app.If(c.Email != "", func() app.UI {
				return app.Div().Class("profile-email-row").Body(
					app.Dt().Text(T(MsgProfileEmail)),
					app.Dd().Body(
						app.Span().ID("profile-email").Text(c.Email),
						app.Span().ID("profile-email-status").Class("badge").Text(status),
					),
				)
			}),
		),
		app.If(c.CanChange && !c.Editing, func() app.UI {
			return app.Button().ID("change-email").Type("button").Class("link").Text(T(MsgEmailChange)).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnStart, ctx) })
		}),
		app.If(c.CanChange && c.Editing, func() app.UI {
			return app.Form().ID("email-form").Class("email-form").NoValidate(true).
				OnSubmit(func(ctx app.Context, e app.Event) {
					e.PreventDefault()
					if !c.Busy && c.OnSubmit != nil {
						c.OnSubmit(ctx, formValue(ctx, "email"))
					}
				}).
				Body(
					app.Div().Class("field").Body(
						app.Label().For("new-email").Text(T(MsgEmailNew)),
						in,
						fieldError("new-email-error", c.Error),
					),
					send,
					app.Button().ID("cancel-email").Type("button").Class("link").Text(T(MsgCancel)).
						OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }),
				)
		}),
	)
}

// PendingChange asks for the code of a pending email or phone change
// (#pending-form: #pending-text, #verification-code, #verify-code,
// #resend-code, #cancel-change, #code-error).
type PendingChange struct {
	app.Compo
	Attribute string
	Value     string
	Busy      bool
	Error     string
	OnSubmit  func(ctx app.Context, code string)
	OnResend  func(ctx app.Context)
	OnCancel  func(ctx app.Context)
}

// Render implements app.Composer.
func (c *PendingChange) Render() app.UI {
	text := T(MsgPendingEmail, c.Value)
	switch c.Attribute {
	case "mobilePhone":
		text = T(MsgPendingMobile, c.Value)
	case "primaryPhone":
		text = T(MsgPendingPrimary, c.Value)
	}
	in := app.Input().ID("verification-code").Name("code").Type("text").Attr("inputmode", "numeric").
		Attr("autocomplete", "one-time-code").MaxLength(10).Required(true).Aria("describedby", "pending-text")
	if c.Error != "" {
		in = in.Aria("invalid", "true").Aria("describedby", "pending-text code-error")
	}
	confirm := app.Button().ID("verify-code").Type("submit").Class("primary").Text(T(MsgPendingConfirm))
	if c.Busy {
		confirm = confirm.Disabled(true).Aria("busy", "true")
	}
	return app.Form().ID("pending-form").Class("pending").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			if !c.Busy && c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "code"))
			}
		}).
		Body(
			app.P().ID("pending-text").Text(text),
			app.Div().Class("field").Body(
				app.Label().For("verification-code").Text(T(MsgPendingCode)),
				in,
				fieldError("code-error", c.Error),
			),
			confirm,
			app.Div().Class("row-actions").Body(
				app.Button().ID("resend-code").Type("button").Class("link").Text(T(MsgPendingResend)).Disabled(c.Busy).
					OnClick(func(ctx app.Context, e app.Event) { call(c.OnResend, ctx) }),
				app.Button().ID("cancel-change").Type("button").Class("link").Text(T(MsgPendingCancel)).Disabled(c.Busy).
					OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }),
			),
		)
}
