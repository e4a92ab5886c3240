package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
)

// adminForm is the state of one settings form in the console: values and
// switches by their JSON path in the API's body ("otp.length"), and what
// the server said about each. The paths are the server's detail targets,
// so a refusal lands next to the control it is about; a refused save
// leaves every value as the administrator set it.
type adminForm struct {
	// prefix starts every element id (the section's id).
	prefix string
	vals   map[string]string
	checks map[string]bool
	errs   map[string]string
	// groups are keys of no one control that the server's details may
	// name (a set of switches: "methods").
	groups map[string]bool
	// err is what the server said that names no control of the form.
	err   string
	busy  bool
	saved bool
}

func newAdminForm(prefix string) *adminForm {
	return &adminForm{prefix: prefix, vals: map[string]string{}, checks: map[string]bool{}, errs: map[string]string{},
		groups: map[string]bool{}}
}

var idReplacer = strings.NewReplacer(".", "-", "[", "-", "]", "")

// id is the element id of the control for key: "mfa-otp-length".
func (f *adminForm) id(key string) string { return f.prefix + "-" + idReplacer.Replace(key) }

// has reports whether key is one of the form's controls.
func (f *adminForm) has(key string) bool {
	_, v := f.vals[key]
	_, c := f.checks[key]
	return v || c || f.groups[key]
}

// begin clears what the last answer said, before a save.
func (f *adminForm) begin() {
	f.errs, f.err, f.saved, f.busy = map[string]string{}, "", false, true
}

// fail puts a refused save's explanation where it belongs.
func (f *adminForm) fail(err error) {
	f.busy = false
	f.errs, f.err = fieldErrors(err, f.has)
}

// integer reads the whole number at key into dst, or marks the control
// (an empty optional value is ok=false without an error).
func (f *adminForm) integer(key string, dst *int, optional bool) (ok bool) {
	s := strings.TrimSpace(f.vals[key])
	if s == "" && optional {
		return false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.errs[key] = T(MsgAdminCSNumber)
		return false
	}
	*dst = n
	return true
}

// fieldErrors splits a refused call's explanation: the details whose
// target is a control of the form (known) by that target, the rest (the
// message and the other details) as one text.
func fieldErrors(err error, known func(string) bool) (map[string]string, string) {
	out := map[string]string{}
	e, ok := apiclient.AsAPIError(err)
	if !ok {
		return out, adminErrorText(err)
	}
	rest := e.Message
	shown := 0
	for _, d := range e.Details {
		if t := detailKey(d.Target, known); t != "" && d.Message != "" {
			if out[t] != "" {
				out[t] += " "
			}
			out[t] += d.Message
			shown++
			continue
		}
		if d.Message != "" {
			rest += " " + d.Message
		}
	}
	if shown > 0 && shown == len(e.Details) {
		rest = "" // every detail is shown at its control; the message would repeat them
	}
	return out, strings.TrimSpace(rest)
}

// detailKey is the control a detail's target names: the target itself, or
// the list it indexes ("methods[2]" is about "methods"); "" for none.
func detailKey(target string, known func(string) bool) string {
	if target == "" {
		return ""
	}
	if known(target) {
		return target
	}
	if i := strings.IndexByte(target, '['); i > 0 && known(target[:i]) {
		return target[:i]
	}
	return ""
}

// fieldError is the server's word on key under its control.
func (f *adminForm) fieldError(key string) app.UI {
	return app.If(f.errs[key] != "", func() app.UI {
		return app.P().ID(f.id(key) + "-error").Class("field-error").Role("alert").Text(f.errs[key])
	})
}

// text is a labelled input for key: typ is "text" or "number".
func (f *adminForm) text(key string, label Msg, typ string, hint Msg, disabled bool) app.UI {
	id := f.id(key)
	in := app.Input().ID(id).Name(key).Type(typ).Value(f.vals[key]).Disabled(disabled).
		Aria("invalid", f.errs[key] != "").
		OnChange(func(ctx app.Context, e app.Event) { f.vals[key] = ctx.JSSrc().Get("value").String() })
	if typ == "number" {
		in = in.Attr("inputmode", "numeric")
	}
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(T(label)),
		in,
		app.If(hint != "", func() app.UI { return app.P().Class("field-hint").Text(T(hint)) }),
		f.fieldError(key),
	)
}

// check is a labelled switch for key; hint explains it under it.
func (f *adminForm) check(key string, label string, hint Msg, disabled bool) app.UI {
	id := f.id(key)
	return app.Div().Class("field", "admin-check").Body(
		app.Div().Class("admin-check-row").Body(
			app.Input().ID(id).Name(key).Type("checkbox").Checked(f.checks[key]).Disabled(disabled).
				Aria("invalid", f.errs[key] != "").
				OnChange(func(ctx app.Context, e app.Event) { f.checks[key] = ctx.JSSrc().Get("checked").Bool() }),
			app.Label().For(id).Text(label),
		),
		app.If(hint != "", func() app.UI { return app.P().ID(id + "-hint").Class("field-hint").Text(T(hint)) }),
		f.fieldError(key),
	)
}

// adminOption is one choice of a select.
type adminOption struct {
	value string
	label string
}

// choice is a labelled select for key.
func (f *adminForm) choice(key string, label Msg, opts []adminOption, disabled bool) app.UI {
	id := f.id(key)
	cur := f.vals[key]
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(T(label)),
		app.Select().ID(id).Name(key).Disabled(disabled).Aria("invalid", f.errs[key] != "").
			OnChange(func(ctx app.Context, e app.Event) { f.vals[key] = ctx.JSSrc().Get("value").String() }).
			Body(app.Range(opts).Slice(func(i int) app.UI {
				return app.Option().Value(opts[i].value).Selected(opts[i].value == cur).Text(opts[i].label)
			})),
		f.fieldError(key),
	)
}

// status is the form's outcome line: the error no control owns, or
// "Saved." after a save.
func (f *adminForm) status(saved Msg) app.UI {
	return app.Div().Class("admin-form-status").Body(
		app.If(f.err != "", func() app.UI {
			return app.P().ID(f.prefix + "-error").Class("error").Role("alert").Text(f.err)
		}),
		app.If(f.saved, func() app.UI {
			return app.P().ID(f.prefix + "-saved").Class("notice").Role("status").Text(T(saved))
		}),
	)
}

// itoa shows a number in a form, "" for an optional rule that is off.
func itoa(n int, optional bool) string {
	if optional && n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
