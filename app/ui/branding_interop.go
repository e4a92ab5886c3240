package ui

import (
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/valid"
)

// The branding section's JavaScript interop: styling the live preview and
// reading the chosen logo file. No-ops on the host.

// setStyleVars sets custom properties on the element with id through the
// CSSOM (allowed by the strict CSP, unlike a style attribute). Only
// "#rrggbb" values are set.
func setStyleVars(id string, vars map[string]string) {
	if !app.IsClient {
		return
	}
	el := app.Window().GetElementByID(id)
	if !el.Truthy() {
		return
	}
	style := el.Get("style")
	for name, v := range vars {
		if valid.HexColour(v) == nil {
			style.Call("setProperty", name, v)
		}
	}
}

// errFileTooLarge refuses a file over the limit before reading it.
var errFileTooLarge = errors.New("file too large")

// readChosenFile reads the first file of a file input (input) with
// File.arrayBuffer and calls done with its bytes and media type, or an
// error; at most max bytes are read.
func readChosenFile(input app.Value, max int, done func(data []byte, mediaType string, err error)) {
	if !app.IsClient {
		done(nil, "", errors.New("no file outside a browser"))
		return
	}
	files := input.Get("files")
	if !files.Truthy() || files.Length() == 0 {
		done(nil, "", errors.New("no file chosen"))
		return
	}
	f := files.Index(0)
	if f.Get("size").Int() > max {
		done(nil, "", errFileTooLarge)
		return
	}
	mediaType := f.Get("type").String()
	var then, fail app.Func
	release := func() { then.Release(); fail.Release() }
	then = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer release()
		u8 := app.Window().Get("Uint8Array").New(args[0])
		b := make([]byte, u8.Get("length").Int())
		app.CopyBytesToGo(b, u8)
		done(b, mediaType, nil)
		return nil
	})
	fail = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer release()
		done(nil, "", errors.New("read file failed"))
		return nil
	})
	f.Call("arrayBuffer").Call("then", then, fail)
}
