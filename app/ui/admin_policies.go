package ui

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
)

// policyKind says how the console's policy editor works on one kind of an
// environment's policies (device authentication, password): their paths,
// how to read one and how a form becomes a body.
type policyKind[E any] struct {
	// prefix starts the element ids: "mfa-policy", "passwords-policy".
	prefix string
	// list and one are the collection's and a policy's route.
	list, one string
	// embedded names the list answer's items.
	embedded string
	id       func(E) string
	name     func(E) string
	isDflt   func(E) bool
	// deletable reports whether a policy may go (nil: all but the default).
	deletable func(E) bool
	form      func(E) *adminForm
	newForm   func() *adminForm
	// body is the POST/PUT body, ok=false when the form is not valid
	// (its errors set).
	body    func(*adminForm) (map[string]any, bool)
	summary func(E) string
	fields  func(f *adminForm, ro bool) app.UI
}

const policyNew = "new"

// policyEditor lists an environment's policies of one kind and edits one
// at a time: editing is "" (none), policyNew or the policy's id.
type policyEditor[E any] struct {
	items      []E
	editing    string
	form       *adminForm
	confirming string
	busy       bool
	err        string
}

func (ed *policyEditor[E]) find(k policyKind[E], id string) (E, bool) {
	for _, p := range ed.items {
		if k.id(p) == id {
			return p, true
		}
	}
	var zero E
	return zero, false
}

// write sends one change, then reads the list again (a new default
// changes the others). A refusal stays on the form when there is one.
func (ed *policyEditor[E]) write(ctx app.Context, c *AdminContext, k policyKind[E], method, path string, body any, f *adminForm) {
	if ed.busy {
		return
	}
	ed.busy, ed.err = true, ""
	embedded := k.embedded
	ctx.Async(func() {
		bg := context.Background()
		err := c.API.Call(bg, method, path, c.Token, "", body, nil)
		var items []E
		var lerr error
		if err == nil {
			items, lerr = apiclient.ListOf[E](bg, c.API, paths.Build(k.list, c.Env.ID), c.Token, embedded)
		}
		ctx.Dispatch(func(ctx app.Context) {
			ed.busy = false
			if err != nil {
				if f != nil {
					f.fail(err)
				} else {
					ed.err = adminErrorText(err)
				}
				return
			}
			ed.editing, ed.confirming, ed.form = "", "", nil
			if lerr != nil {
				ed.err = adminErrorText(lerr)
				return
			}
			ed.items = items
		})
	})
}

func (ed *policyEditor[E]) onSave(ctx app.Context, c *AdminContext, k policyKind[E]) {
	f := ed.form
	if f == nil || ed.busy {
		return
	}
	f.begin()
	body, ok := k.body(f)
	f.busy = false
	if !ok {
		return
	}
	if ed.editing == policyNew {
		ed.write(ctx, c, k, "POST", paths.Build(k.list, c.Env.ID), body, f)
		return
	}
	ed.write(ctx, c, k, "PUT", paths.Build(k.one, c.Env.ID, ed.editing), body, f)
}

func (ed *policyEditor[E]) onMakeDefault(ctx app.Context, c *AdminContext, k policyKind[E], p E) {
	f := k.form(p)
	f.checks["default"] = true
	body, ok := k.body(f)
	if !ok {
		ed.err = T(MsgErrGeneric)
		return
	}
	ed.write(ctx, c, k, "PUT", paths.Build(k.one, c.Env.ID, k.id(p)), body, nil)
}

// render draws the list, then the editor or the New button (last, so the
// rows above keep their places).
func (ed *policyEditor[E]) render(c *AdminContext, k policyKind[E]) app.UI {
	ro := !c.CanWrite()
	canDelete := func(p E) bool {
		if k.isDflt(p) {
			return false
		}
		return k.deletable == nil || k.deletable(p)
	}
	return app.Div().ID(k.prefix+"-list").Body(
		app.If(ed.err != "", func() app.UI {
			return app.P().ID(k.prefix + "-error").Class("error").Role("alert").Text(ed.err)
		}),
		app.If(len(ed.items) == 0, func() app.UI { return app.P().Class("empty").Text(T(MsgAdminCSNoPolicies)) }),
		app.Ul().Class("devices", "admin-policies").Body(
			app.Range(ed.items).Slice(func(i int) app.UI {
				p := ed.items[i]
				id := k.id(p)
				return app.Li().Class("device", "admin-policy").DataSet("policy-id", id).Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("device-nickname").Text(k.name(p)),
						app.If(k.isDflt(p), func() app.UI { return app.Span().Class("badge").Text(T(MsgDeviceDefault)) }),
					),
					app.P().Class("device-target").Text(k.summary(p)),
					app.If(!ro, func() app.UI {
						return app.Div().Class("row-actions").Body(
							app.Button().Type("button").Class("action", "edit").Disabled(ed.busy).Text(T(MsgAdminCSEdit)).
								Aria("label", T(MsgAdminCSEdit)+" "+k.name(p)).
								OnClick(func(ctx app.Context, e app.Event) {
									ed.editing, ed.form, ed.confirming, ed.err = id, k.form(p), "", ""
								}),
							app.If(!k.isDflt(p), func() app.UI {
								return app.Button().Type("button").Class("action", "make-default").Disabled(ed.busy).
									Text(T(MsgMakeDefault)).Aria("label", T(MsgMakeDefault)+" "+k.name(p)).
									OnClick(func(ctx app.Context, e app.Event) { ed.onMakeDefault(ctx, c, k, p) })
							}),
							app.If(canDelete(p), func() app.UI {
								return app.Button().Type("button").Class("action", "danger", "remove").Disabled(ed.busy).
									Text(T(MsgAdminCSDelete)).Aria("label", T(MsgAdminCSDelete)+" "+k.name(p)).
									OnClick(func(ctx app.Context, e app.Event) { ed.confirming, ed.err = id, "" })
							}),
						)
					}),
					app.If(ed.confirming == id, func() app.UI {
						return app.Div().Class("confirm").Role("alertdialog").Body(
							app.P().Text(T(MsgAdminCSConfirmDelete, k.name(p))),
							app.Div().Class("row-actions").Body(
								app.Button().ID(k.prefix+"-confirm-delete").Type("button").Class("danger").Disabled(ed.busy).
									Text(T(MsgAdminCSDelete)).
									OnClick(func(ctx app.Context, e app.Event) {
										ed.write(ctx, c, k, "DELETE", paths.Build(k.one, c.Env.ID, id), nil, nil)
									}),
								app.Button().Type("button").Class("action").Disabled(ed.busy).Text(T(MsgCancel)).
									OnClick(func(ctx app.Context, e app.Event) { ed.confirming = "" }),
							),
						)
					}),
				)
			}),
		),
		app.If(!ro && ed.editing == "", func() app.UI {
			return app.Button().ID(k.prefix + "-new").Type("button").Class("action").Disabled(ed.busy).
				Text(T(MsgAdminCSNewPolicy)).
				OnClick(func(ctx app.Context, e app.Event) { ed.editing, ed.form, ed.err = policyNew, k.newForm(), "" })
		}),
		app.If(!ro && ed.editing != "" && ed.form != nil, func() app.UI {
			title := T(MsgAdminCSNewPolicy)
			if p, ok := ed.find(k, ed.editing); ok {
				title = T(MsgAdminCSEditPolicy, k.name(p))
			}
			return app.Form().ID(k.prefix+"-form").Class("admin-policy-form").
				OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).Body(
				app.H3().Text(title),
				k.fields(ed.form, false),
				app.Div().Class("row-actions").Body(
					app.Button().ID(k.prefix+"-save").Type("button").Class("primary").Disabled(ed.busy).
						Text(T(MsgAdminCSSave)).OnClick(func(ctx app.Context, e app.Event) { ed.onSave(ctx, c, k) }),
					app.Button().ID(k.prefix+"-cancel").Type("button").Class("action").Disabled(ed.busy).
						Text(T(MsgCancel)).OnClick(func(ctx app.Context, e app.Event) { ed.editing, ed.form = "", nil }),
				),
				ed.form.status(MsgAdminCSSaved),
			)
		}),
	)
}
