package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
)

// Small pieces the console's forms share (applications, identity
// providers, agreements, environments). Forms are read once, at submit
// time, into a plain struct (see formValue), so the logic that turns the
// struct into a request body is a pure function the host tests call.

// adminFormChecked reads a named checkbox of the form an event came from.
func adminFormChecked(ctx app.Context, name string) bool {
	el := ctx.JSSrc().Get("elements").Call("namedItem", name)
	return el.Truthy() && el.Get("checked").Bool()
}

// lines splits a textarea's value into its non-empty trimmed lines, in
// order, without repeats.
func lines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// roleOver reports whether the administrator holds one of roles over
// envID (or over every environment, "*"); the environments section asks
// about environments other than the chosen one.
func (c *AdminContext) roleOver(envID string, roles ...string) bool {
	for _, r := range c.Roles {
		if (r.EnvironmentID == "*" || r.EnvironmentID == envID) && slices.Contains(roles, r.Role) {
			return true
		}
	}
	return false
}

// adminField is a labelled text input of a console form.
func adminField(label, id, value string, in app.HTMLInput) app.UI {
	in = in.ID(id).Name(id)
	if value != "" {
		in = in.Value(value)
	}
	return app.Div().Class("field").Body(app.Label().For(id).Text(label), in)
}

// adminTextarea is a labelled textarea of a console form.
func adminTextarea(label, id, value, hint string) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		app.Textarea().ID(id).Name(id).Rows(4).Text(value),
		app.If(hint != "", func() app.UI { return app.P().Class("field-hint").Text(hint) }),
	)
}

// adminCheckbox is a labelled checkbox of a console form.
func adminCheckbox(label, id string, checked bool) app.UI {
	return app.Div().Class("choice", "admin-check").Body(
		app.Input().Type("checkbox").ID(id).Name(id).Checked(checked),
		app.Label().For(id).Text(label),
	)
}

// adminSubmit is a form's submit button: it stays mounted while the
// request is under way (go-app drops a Dispatch whose source is gone),
// disabled and marked busy.
func adminSubmit(id, label string, busy bool) app.UI {
	b := app.Button().ID(id).Type("submit").Class("primary").Text(label)
	if busy {
		b = b.Disabled(true).Aria("busy", "true")
	}
	return b
}

// adminAsync runs call off the UI goroutine and hands its error to done
// on it.
func adminAsync(ctx app.Context, call func(context.Context) error, done func(error)) {
	ctx.Async(func() {
		err := call(context.Background())
		ctx.Dispatch(func(app.Context) { done(err) })
	})
}

// adminNewErrorText is adminErrorText for the calls a server may not
// have yet (application delete and secret rotation, environment writes):
// a 404 or 405 says so, with the server's own words.
func adminNewErrorText(err error) string {
	if e, ok := apiclient.AsAPIError(err); ok && (e.Status == 404 || e.Status == 405) {
		return T(MsgConUnsupported) + " " + adminErrorText(err)
	}
	return adminErrorText(err)
}
