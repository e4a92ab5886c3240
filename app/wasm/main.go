//go:build js && wasm

// Command wasm is the MyAccount PWA compiled to app.wasm:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o assets/web/app.wasm ./app/wasm
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/ui"
)

func main() {
	ui.Register()
	app.RunWhenOnBrowser()
}
