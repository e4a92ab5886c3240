package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Browser is the little of the browser the pages use beyond go-app: leaving
// the app for a server page and knowing whether the device is online. Pages
// take it as a dependency so host tests can watch what they do.
type Browser interface {
	// Redirect leaves the app for a server URL (/as/authorize, /as/resume,
	// /as/signoff). ctx.Navigate would route a same-origin URL inside the app.
	Redirect(url string)
	// Online is navigator.onLine: false means surely offline, true only
	// maybe online.
	Online() bool
	// Focus moves keyboard focus to the element with id.
	Focus(id string)
	// CopyText puts text on the clipboard and reports whether the browser
	// has a clipboard to put it on (clipboard.go).
	CopyText(text string) bool
}

// jsBrowser is Browser over go-app's window (no-ops on the host).
type jsBrowser struct{}

func (jsBrowser) Redirect(url string) { app.Window().Get("location").Call("assign", url) }

func (jsBrowser) Online() bool {
	on := app.Window().Get("navigator").Get("onLine")
	return on.Type() != app.TypeBoolean || on.Bool()
}

func (jsBrowser) Focus(id string) {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Call("focus")
	}
}

// formValue reads a named control's current value from the form an event
// came from. Reading at submit time (rather than mirroring every keystroke)
// also catches values a password manager filled in.
func formValue(ctx app.Context, name string) string {
	el := ctx.JSSrc().Get("elements").Call("namedItem", name)
	if !el.Truthy() {
		return ""
	}
	return el.Get("value").String()
}
