//go:build !js

package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

const testVersion = "3f5a0c9e1b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf02468"

// newAppServer serves Handler over a temporary assets directory holding
// the files the page and the worker reference.
func newAppServer(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"web/app.wasm":                  "\x00asm fake",
		"web/css/myaccount.css":         "body{}",
		"web/icons/icon-192.png":        "png",
		"web/icons/icon-512.png":        "png",
		"web/icons/maskable-512.png":    "png",
		"web/icons/icon.svg":            "<svg/>",
		"web/.secret":                   "no",
		"outside.txt":                   "no",
		"web/icons/nested/also-not.png": "no",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	Register()
	srv := httptest.NewServer(Handler(HandlerConfig{
		AssetsDir: dir, Version: testVersion, WasmSize: 7840261,
		PublicURL: "https://id.example/", StartURL: "/" + testEnv + "/myaccount/",
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string) (int, http.Header, string) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestPageHasNoInlineCode checks the generated page fits the CSP the
// server sends (script-src 'self' 'wasm-unsafe-eval'; style-src 'self';
// img-src 'self' data:): no inline script or style, nothing from elsewhere.
func TestPageHasNoInlineCode(t *testing.T) {
	srv := newAppServer(t)
	for _, path := range []string{"/" + testEnv + "/myaccount/", "/" + testEnv + "/signon/?flowId=f1", "/admin/"} {
		t.Run(strings.Trim(strings.ReplaceAll(path, "/", "_"), "_"), func(t *testing.T) {
			status, hdr, body := get(t, srv, path)
			if status != 200 {
				t.Fatalf("GET %s = %d", path, status)
			}
			if etag := hdr.Get("ETag"); etag != `"`+testVersion+`"` {
				t.Errorf("ETag = %q, want the wasm hash", etag)
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var scripts []string
			for _, n := range findAll(doc, func(*nodeT) bool { return true }) {
				if n.Data == "style" {
					t.Errorf("inline <style> element")
				}
				if _, ok := attr(n, "style"); ok {
					t.Errorf("style attribute on <%s>", n.Data)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("inline handler %s on <%s>", a.Key, n.Data)
					}
					if (a.Key == "src" || a.Key == "href") && !strings.HasPrefix(a.Val, "/") {
						t.Errorf("<%s %s=%q> is not same-origin", n.Data, a.Key, a.Val)
					}
				}
				if n.Data == "script" {
					src, ok := attr(n, "src")
					if !ok || strings.TrimSpace(text(n)) != "" {
						t.Errorf("inline <script>: %q", text(n))
					}
					scripts = append(scripts, src)
				}
			}
			if strings.Join(scripts, " ") != "/wasm_exec.js /app.js" {
				t.Errorf("scripts = %v", scripts)
			}
			var styles []string
			for _, l := range findAll(doc, func(n *nodeT) bool { r, _ := attr(n, "rel"); return n.Data == "link" && r == "stylesheet" }) {
				href, _ := attr(l, "href")
				styles = append(styles, href)
			}
			if strings.Join(styles, " ") != "/app.css "+StylePath {
				t.Errorf("stylesheets = %v", styles)
			}
		})
	}
	if status, _, _ := get(t, srv, "/not-a-page/"); status != 404 {
		t.Errorf("unregistered page = %d, want 404", status)
	}
}

// TestWorkerCachesWhatItNeeds checks every URL the worker precaches is
// served (cache.addAll fails as a whole on one miss), and that the worker
// has the navigation fallback for MyAccount shells.
func TestWorkerCachesWhatItNeeds(t *testing.T) {
	srv := newAppServer(t)
	status, _, js := get(t, srv, "/app-worker.js")
	if status != 200 {
		t.Fatalf("GET /app-worker.js = %d", status)
	}
	if !strings.Contains(js, `"app-" + "`+testVersion+`"`) {
		t.Error("worker cache not named after the version")
	}
	const marker = "const resourcesToCache = "
	i := strings.Index(js, marker)
	j := strings.Index(js[i:], ".filter(")
	if i < 0 || j < 0 {
		t.Fatalf("no resource list in the worker:\n%s", js)
	}
	var list []string
	if err := json.Unmarshal([]byte(js[i+len(marker):i+j]), &list); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"/app.js": false, "/wasm_exec.js": false, "/web/app.wasm": false, "/app.css": false, StylePath: false, IconPath: false}
	for _, u := range list {
		if u == "/" {
			continue // filtered out by the worker: not a page here
		}
		if _, ok := want[u]; ok {
			want[u] = true
		}
		if status, _, _ := get(t, srv, u); status != 200 {
			t.Errorf("worker precaches %s, which answers %d", u, status)
		}
	}
	for u, seen := range want {
		if !seen {
			t.Errorf("worker does not precache %s", u)
		}
	}
	for _, s := range []string{`req.mode === "navigate"`, "myaccount", "navigateShell", "event.waitUntil"} {
		if !strings.Contains(js, s) {
			t.Errorf("worker lacks %q", s)
		}
	}
}

func TestGeneratedFiles(t *testing.T) {
	srv := newAppServer(t)
	_, _, js := get(t, srv, "/app.js")
	for _, s := range []string{`"` + EnvPublicURL + `":"https://id.example"`, `"GOAPP_VERSION":"` + testVersion + `"`, `"7840261"`, `"/web/app.wasm"`} {
		if !strings.Contains(js, s) {
			t.Errorf("app.js lacks %s", s)
		}
	}
	_, _, manifest := get(t, srv, "/manifest.webmanifest")
	var m struct {
		Name     string `json:"name"`
		StartURL string `json:"start_url"`
		Icons    []struct {
			Src string `json:"src"`
		} `json:"icons"`
	}
	if err := json.Unmarshal([]byte(manifest), &m); err != nil {
		t.Fatal(err)
	}
	if m.Name != "MyAccount" || m.StartURL != "/"+testEnv+"/myaccount/" || len(m.Icons) == 0 {
		t.Errorf("manifest = %+v", m)
	}
	for _, icon := range m.Icons {
		if !strings.HasPrefix(icon.Src, "/web/icons/") {
			t.Errorf("manifest icon %q is not ours", icon.Src)
		}
	}
}

func TestAssetFiles(t *testing.T) {
	srv := newAppServer(t)
	tests := []struct {
		name, path string
		status     int
	}{
		{name: "css", path: StylePath, status: 200},
		{name: "listing", path: "/web/", status: 404},
		{name: "subListing", path: "/web/icons/", status: 404},
		{name: "dotFile", path: "/web/.secret", status: 404},
		{name: "traversal", path: "/web/../outside.txt", status: 404},
		{name: "missing", path: "/web/nope.css", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _, _ := get(t, srv, tt.path); status != tt.status {
				t.Errorf("GET %s = %d, want %d", tt.path, status, tt.status)
			}
		})
	}
}

func TestIsAppPath(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/" + testEnv + "/myaccount/", true},
		{"/" + testEnv + "/myaccount", true},
		{"/" + testEnv + "/signon/", true},
		{"/admin/", true},
		{"/admin", true},
		{"/app.js", true},
		{"/app-worker.js", true},
		{"/manifest.webmanifest", true},
		{"/web/css/myaccount.css", true},
		{"/robots.txt", false},
		{"/sitemap.xml", false},
		{"/ads.txt", false},
		{"/" + testEnv + "/as/authorize", false},
		{"/v1/environments", false},
		{"/" + testEnv + "/myaccount/config.json", false},
		{"/x/myaccount/", false},
	}
	for _, tt := range tests {
		if got := IsAppPath(tt.path); got != tt.want {
			t.Errorf("IsAppPath(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestEnvFromPath(t *testing.T) {
	for in, want := range map[string]string{
		"/" + testEnv + "/myaccount/":                  testEnv,
		"/" + strings.ToUpper(testEnv) + "/myaccount/": testEnv,
		"/admin/":       "",
		"/":             "",
		"/1234/signon/": "",
	} {
		if got := envFromPath(in); got != want {
			t.Errorf("envFromPath(%q) = %q, want %q", in, got, want)
		}
	}
}
