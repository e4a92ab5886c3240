package ui

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
)

// removableList is a tab's list of things the user may remove one by one
// (consents, linked accounts): what was read, and the removal under way
// behind a confirmation. Its confirm button stays on the page, disabled
// (busy), until the answer: go-app drops a Dispatch whose source element is
// no longer mounted.
type removableList[E any] struct {
	loadedList[E]
	confirming string // the id asked about
	busy       string // the removal under way
	err        string
	notice     string
	needVerify bool
}

// loadedList is a MyAccount list as last read: read once at a time, its
// error shown in place of the list.
type loadedList[E any] struct {
	list    []E
	loaded  bool
	loading bool
	loadErr string
}

// load reads the list with fetch, once at a time, when signed on and
// online; a 401 ends the session.
func (w *loadedList[E]) load(p *MyAccountPage, ctx app.Context, fetch func(context.Context) ([]E, error)) {
	if p.sess == nil || w.loading || p.offline {
		return
	}
	w.loading = true
	ctx.Async(func() {
		list, err := fetch(context.Background())
		ctx.Dispatch(func(ctx app.Context) {
			w.loading = false
			if isUnauthorized(err) {
				p.sessionEnded(ctx)
				return
			}
			if err != nil {
				w.loadErr = failed(err).err
				return
			}
			w.list, w.loaded, w.loadErr = list, true, ""
		})
	})
}

// remove asks to confirm id first; confirmed, it removes id with del and
// reads the list again with fetch. done is the notice of a removal; gone
// the notice when id was already gone (404), or "" to count that as done.
func (w *removableList[E]) remove(p *MyAccountPage, ctx app.Context, id string,
	del func(context.Context, string) error, fetch func(context.Context) ([]E, error), done, gone Msg) {
	if w.busy != "" || p.sess == nil {
		return
	}
	if w.confirming != id {
		w.confirming, w.err, w.notice = id, "", ""
		return
	}
	w.busy, w.err, w.notice = id, "", ""
	ctx.Async(func() {
		c := context.Background()
		err := del(c, id)
		e, isAPI := apiclient.AsAPIError(err)
		wasGone := isAPI && e.Status == 404
		var list []E
		if err == nil || wasGone {
			list, _ = fetch(c)
		}
		ctx.Dispatch(func(ctx app.Context) {
			w.busy, w.confirming = "", ""
			if list != nil {
				w.list = list
			}
			switch {
			case isUnauthorized(err):
				p.sessionEnded(ctx)
			case wasGone && gone != "":
				w.notice = T(gone)
			case err != nil && !wasGone:
				r := failed(err)
				w.err, w.needVerify = r.err, r.needVerify
			default:
				w.notice = T(done)
			}
		})
	})
}

// removeControls is a removable row's button and, once asked, the
// confirmation in its place; the confirm and cancel buttons stay mounted,
// disabled, while a removal is under way. onRemove and onCancel must act
// on the page (as p's methods and closures over p do): go-app keeps a
// button's first handler for its scope (it compares handlers by code),
// so a handler sees the callbacks of the render that mounted it.
type removeControls struct {
	id         string // the row's id, also the event scope
	verb       string // the buttons' id prefix: verb+id, "confirm-"+verb+id, "cancel-"+verb+id
	textID     string // the id of the question's element
	question   string
	label, yes Msg // the button's and the confirm button's texts
	confirming string
	busy       string
	onRemove   func(ctx app.Context, id string)
	onCancel   func(ctx app.Context)
}

func (r removeControls) render() app.UI {
	id := r.id
	if r.confirming == id {
		return app.Div().Class("confirm").Role("alertdialog").Aria("labelledby", r.textID).Body(
			app.P().ID(r.textID).Text(r.question),
			app.Div().Class("row-actions").Body(
				app.Button().ID("confirm-"+r.verb+id).Type("button").Class("action", "danger").Text(T(r.yes)).
					Disabled(r.busy != "").
					OnClick(func(ctx app.Context, e app.Event) { callID(r.onRemove, ctx, id) }, app.EventScope(id)),
				app.Button().ID("cancel-"+r.verb+id).Type("button").Class("action").Text(T(MsgCancel)).
					Disabled(r.busy != "").
					OnClick(func(ctx app.Context, e app.Event) { call(r.onCancel, ctx) }, app.EventScope(id)),
			),
		)
	}
	return app.Div().Class("row-actions").Body(
		app.Button().ID(r.verb+id).Type("button").Class("action").Text(T(r.label)).
			Disabled(r.busy != "").
			OnClick(func(ctx app.Context, e app.Event) { callID(r.onRemove, ctx, id) }, app.EventScope(id)),
	)
}
