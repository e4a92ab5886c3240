package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// adminListStatus is a console list's status slot: Loading while loading,
// else the empty text (its element id prefix+"-empty") when the list
// read fine and has nothing. The slot itself stays, so what follows keeps
// its place (go-app diffs by position) when loading ends.
func adminListStatus(prefix string, loading bool, errText string, n int, empty Msg) app.UI {
	return app.Div().Class("admin-status").Body(
		app.If(loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(!loading && errText == "" && n == 0, func() app.UI {
			return app.P().ID(prefix + "-empty").Class("empty").Text(T(empty))
		}),
	)
}
