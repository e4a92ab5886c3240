package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// CopyText is the clipboard interop: the Clipboard API's writeText, which
// browsers offer on secure origins (and localhost) only. The promise is
// not awaited: a refusal leaves the key on screen to copy by hand.
func (jsBrowser) CopyText(text string) bool {
	cb := app.Window().Get("navigator").Get("clipboard")
	if !cb.Truthy() {
		return false
	}
	cb.Call("writeText", text)
	return true
}
