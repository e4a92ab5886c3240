//go:build !wasm

package ui

import (
	_ "embed"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// workerTemplate is the service worker, a go-app ServiceWorkerTemplate with
// a navigation fallback for MyAccount shells (see worker.js). Embedded in
// the server only: this file is not part of app.wasm.
//
//go:embed worker.js
var workerTemplate string

// Paths of the PWA's own static files under assets/web.
const (
	StylePath    = "/web/css/myaccount.css"
	IconPath     = "/web/icons/icon-192.png"
	IconLarge    = "/web/icons/icon-512.png"
	IconMaskable = "/web/icons/maskable-512.png"
	IconSVG      = "/web/icons/icon.svg"
)

// HandlerConfig is what the server passes to Handler.
type HandlerConfig struct {
	// AssetsDir is the directory holding web/: the URL /web/x is the file
	// AssetsDir/web/x.
	AssetsDir string
	// Version is the hex SHA-256 of app.wasm, the same on every server
	// instance (go-app's default is a timestamp, which is not).
	Version string
	// WasmSize is app.wasm's uncompressed size in bytes, for the loading
	// progress (the server sends it compressed, so Content-Length is not
	// the size the browser counts). Zero falls back to Content-Length.
	WasmSize int64
	// PublicURL is the server's public base URL (PUBLIC_URL).
	PublicURL string
	// StartURL is where the installed app opens ("/" when empty): the
	// Default environment's MyAccount is a good choice.
	StartURL string
}

// Handler builds the go-app handler serving the PWA's pages and go-app's
// generated files (app.js, app-worker.js, manifest, wasm_exec.js, app.css)
// and, under /web/, the files in AssetsDir/web. Route only paths for which
// IsAppPath is true to it, and serve /web/app.wasm before it (compressed).
func Handler(c HandlerConfig) *app.Handler {
	h := &app.Handler{
		Name:            T(MsgAppName),
		ShortName:       T(MsgAppName),
		Title:           T(MsgAppName),
		Description:     T(MsgAppAbout),
		Lang:            "en",
		BackgroundColor: "#f5f7fa",
		ThemeColor:      "#1f4e79",
		LoadingLabel:    "{progress}%",
		Icon: app.Icon{
			Default:  IconPath,
			Large:    IconLarge,
			Maskable: IconMaskable,
			SVG:      IconSVG,
		},
		// go-app's page links its own /app.css first; ours follows.
		Styles:                []string{StylePath},
		Resources:             assetDir{dir: c.AssetsDir, files: http.FileServer(http.Dir(c.AssetsDir))},
		Version:               c.Version,
		StartURL:              c.StartURL,
		ServiceWorkerTemplate: workerTemplate,
		Env:                   map[string]string{EnvPublicURL: strings.TrimRight(c.PublicURL, "/")},
	}
	if u, err := url.Parse(c.PublicURL); err == nil && u.Host != "" {
		// Only for the og: meta tags, which want absolute URLs.
		h.Domain, h.Image = u.Host, IconLarge
	}
	if c.WasmSize > 0 {
		h.WasmContentLength = strconv.FormatInt(c.WasmSize, 10)
	}
	return h
}

// assetDir serves /web/x from dir/web/x and resolves resource URLs to
// themselves. app.LocalDir(dir) would serve the same files but also put dir
// into every URL it resolves ("assets/web/app.css"), which only works when
// dir is "".
type assetDir struct {
	dir   string
	files http.Handler
}

// Resolve implements app.ResourceResolver: /web/x stays /web/x.
func (a assetDir) Resolve(location string) string {
	switch {
	case location == "" || location == "/":
		return "/"
	case strings.HasPrefix(location, "http://"), strings.HasPrefix(location, "https://"):
		return location
	case location == "web" || location == "/web" || strings.HasPrefix(location, "web/") || strings.HasPrefix(location, "/web/"):
		return "/" + strings.Trim(location, "/")
	}
	return location
}

// ServeHTTP serves files only: no directory listings, no dot files.
func (a assetDir) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := path.Clean("/" + r.URL.Path)
	if !strings.HasPrefix(p, "/web/") || strings.HasSuffix(r.URL.Path, "/") || strings.Contains(p, "/.") {
		http.NotFound(w, r)
		return
	}
	a.files.ServeHTTP(w, r)
}
