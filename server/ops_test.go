package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// faultyStore is a real store whose Ping and GetEnvironment fail while
// switched on: the database going away under a running server.
type faultyStore struct {
	store.Store
	pingDown atomic.Bool
	envDown  atomic.Bool
}

// internalDetail is an error text that must never reach a client.
const internalDetail = "disk quota exceeded on /secret/volume-7"

func (s *faultyStore) Ping(ctx context.Context) error {
	if s.pingDown.Load() {
		return errors.New("connection refused")
	}
	return s.Store.Ping(ctx)
}

func (s *faultyStore) GetEnvironment(ctx context.Context, id string) (*store.Environment, error) {
	if s.envDown.Load() {
		return nil, errors.New(internalDetail)
	}
	return s.Store.GetEnvironment(ctx, id)
}

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// opsEnv is a server on a faultyStore, serving a test app.wasm, logging to
// a buffer, and listening on loopback: fasthttp enforces the body limit
// while reading from the connection, which App.Test bypasses.
type opsEnv struct {
	*env
	st   *faultyStore
	log  *syncBuffer
	wasm wasmFiles
	base string
	http *http.Client
}

type wasmFiles struct{ raw, br, gz []byte }

// writeWasm writes dir/web/app.wasm and, when given, its .br and .gz.
func writeWasm(t *testing.T, f wasmFiles) string {
	t.Helper()
	dir := t.TempDir()
	web := filepath.Join(dir, "web")
	if err := os.MkdirAll(web, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"app.wasm": f.raw, "app.wasm.br": f.br, "app.wasm.gz": f.gz} {
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(web, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newOpsEnv(t *testing.T) *opsEnv {
	t.Helper()
	// Distinct bytes per form, so the test sees which one was served.
	files := wasmFiles{raw: []byte("\x00asm\x01\x00\x00\x00 raw module"), br: []byte("brotli form"), gz: []byte("gzip form")}
	w, err := LoadWasm(writeWasm(t, files))
	if err != nil {
		t.Fatal(err)
	}
	fs := &faultyStore{Store: openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))}
	logs := &syncBuffer{}
	e := newEnvWith(t, fs, testPublicURL, nil, func(o *Options) {
		o.Wasm = w
		o.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveOn(t, e, ln)
	// No transparent decompression: the test reads what the server sent.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections) // before the shutdown (cleanups run last first)
	return &opsEnv{env: e, st: fs, log: logs, wasm: files, base: "http://" + ln.Addr().String(), http: client}
}

// send makes a request over the network; header is name, value pairs.
func (e *opsEnv) send(t *testing.T, method, target, token string, body io.Reader, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, e.base+target, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// oversize stands for a body one byte over BodyLimit in the tables.
const oversize = "\x00oversize"

// request sends body (oversize: see sendOversize) as JSON.
func (e *opsEnv) request(t *testing.T, method, target, token, body string) *http.Response {
	t.Helper()
	switch body {
	case oversize:
		return e.sendOversize(t, method, target, token)
	case "":
		return e.send(t, method, target, token, nil)
	}
	return e.send(t, method, target, token, strings.NewReader(body))
}

// sendOversize announces a body one byte over BodyLimit and sends only the
// headers: the server must refuse on the announced length, without reading
// the body (sending it would race the server's close of the connection).
func (e *opsEnv) sendOversize(t *testing.T, method, target, token string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n",
		method, target, strings.TrimPrefix(e.base, "http://"), BodyLimit+1)
	if token != "" {
		head += "Authorization: Bearer " + token + "\r\n"
	}
	if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// get sends a GET through the Fiber app (no network); header is name,
// value pairs.
func (e *opsEnv) get(t *testing.T, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func apiError(t *testing.T, resp *http.Response, status int, code string) apierr.Error {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	ae := decode[apierr.Error](t, respWant(t, resp, status))
	if ae.Code != code || ae.Message == "" || ae.ID == "" || ae.ID != resp.Header.Get("X-Request-Id") {
		t.Fatalf("error body %+v (X-Request-Id %q), want code %s with a message and the request id", ae, resp.Header.Get("X-Request-Id"), code)
	}
	return ae
}

// TestSecurityHeaders: every response, success or error, page or API,
// carries the security headers; API responses are never cached.
func TestSecurityHeaders(t *testing.T) {
	e := newOpsEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	admin := e.adminToken()
	tests := []struct {
		name   string
		method string
		target string
		token  string
		body   string
		status int
		cache  string // the Cache-Control wanted
	}{
		{"healthz", "GET", paths.Healthz, "", "", 200, "no-store"},
		{"readyz", "GET", paths.Readyz, "", "", 200, "no-store"},
		{"metrics", "GET", paths.Metrics, "", "", 200, "no-store"},
		{"openapi", "GET", paths.OpenAPI, "", "", 200, "no-store"},
		{"discovery", "GET", paths.Build(paths.OIDCDiscovery, envID), "", "", 200, "no-store"},
		{"config", "GET", paths.Build(paths.MyAccountConfig, envID), "", "", 200, "no-store"},
		{"api_unauthorized", "GET", paths.Environments, "", "", 401, "no-store"},
		{"api_ok", "GET", paths.Environments, admin, "", 200, "no-store"},
		{"api_not_found", "GET", "/v1/nothing-here", admin, "", 404, "no-store"},
		{"token_error", "POST", paths.Build(paths.Token, envID), "", "{}", 400, "no-store"},
		{"body_too_large", "POST", paths.Build(paths.Users, envID), admin, oversize, 413, "no-store"},
		{"unknown_page", "GET", "/no/such/page", "", "", 404, "no-store"},
		{"wasm", "GET", "/web/app.wasm", "", "", 200, "no-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.request(t, tt.method, tt.target, tt.token, tt.body)
			wantStatus(t, resp, tt.status)
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"'wasm-unsafe-eval'", "frame-ancestors 'none'", "default-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %s", csp, want)
				}
			}
			if strings.Contains(csp, "'unsafe-inline'") {
				t.Errorf("CSP allows inline code: %q", csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": tt.cache,
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if len(h.Get("X-Request-Id")) != 36 {
				t.Errorf("X-Request-Id = %q, want a UUID", h.Get("X-Request-Id"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent on an http:// public URL")
			}
		})
	}
}

func TestErrorAnswers(t *testing.T) {
	e := newOpsEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	admin := e.adminToken()
	tests := []struct {
		name   string
		method string
		target string
		token  string
		body   string
		status int
		code   string
	}{
		{"body_over_limit_api", "POST", paths.Build(paths.Users, envID), admin, oversize, 413, apierr.RequestTooLarge},
		{"body_over_limit_user_patch", "PATCH", paths.Build(paths.User, envID, "0190b7c4-0000-7000-8000-000000000003"), admin, oversize, 413, apierr.RequestTooLarge},
		{"body_over_limit_user_put", "PUT", paths.Build(paths.User, envID, "0190b7c4-0000-7000-8000-000000000003"), admin, oversize, 413, apierr.RequestTooLarge},
		{"body_over_limit_flow", "POST", paths.Build(paths.Flow, envID, "0190b7c4-0000-7000-8000-000000000002"), "", oversize, 413, apierr.RequestTooLarge},
		{"body_over_limit_password", "PUT", paths.Build(paths.UserPassword, envID, "0190b7c4-0000-7000-8000-000000000003"), admin, oversize, 413, apierr.RequestTooLarge},
		{"body_over_limit_template", "PUT", paths.Build(paths.TemplateContent, envID, "password_changed", "fr"), admin, oversize, 413, apierr.RequestTooLarge},
		{"unknown_v1_path", "GET", "/v1/nothing-here", admin, "", 404, apierr.NotFound},
		{"unknown_v1_subresource", "GET", paths.Build(paths.Environment, envID) + "/gadgets", admin, "", 404, apierr.NotFound},
		{"malformed_env_id", "GET", paths.Build(paths.Users, "not-a-uuid"), admin, "", 404, apierr.NotFound},
		{"unknown_env_config", "GET", paths.Build(paths.MyAccountConfig, "0190b7c4-0000-7000-8000-00000000000e"), "", "", 404, apierr.NotFound},
		{"body_at_limit_is_read", "POST", paths.Build(paths.Users, envID), admin, strings.Repeat("a", BodyLimit), 400, apierr.InvalidData},
		{"method_not_allowed_v1", "DELETE", paths.Environments, admin, "", 405, apierr.MethodNotAllowed},
		{"method_not_allowed_token", "GET", paths.Build(paths.Token, envID), "", "", 405, apierr.MethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.request(t, tt.method, tt.target, tt.token, tt.body)
			apiError(t, resp, tt.status, tt.code)
			if tt.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	e := newOpsEnv(t)
	h := decode[map[string]string](t, respWant(t, e.get(t, paths.Healthz), 200))
	if h["status"] != "ok" {
		t.Fatalf("healthz: %v", h)
	}
	r := decode[map[string]string](t, respWant(t, e.get(t, paths.Readyz), 200))
	if r["status"] != "ready" || r["store"] != "sqlite" {
		t.Fatalf("readyz: %v", r)
	}

	e.st.pingDown.Store(true)
	apiError(t, e.get(t, paths.Readyz), http.StatusServiceUnavailable, apierr.ServiceUnavailable)
	// Liveness does not depend on the database.
	respWant(t, e.get(t, paths.Healthz), 200)

	e.st.pingDown.Store(false)
	respWant(t, e.get(t, paths.Readyz), 200)
}

// TestMetricsUseRoutePatterns: request counters are labelled with the
// route pattern, so ids in paths never become label values.
func TestMetricsUseRoutePatterns(t *testing.T) {
	e := newOpsEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("mallory", "mallory@example.com", userPassword)
	admin := e.adminToken()
	respWant(t, e.api("GET", paths.Build(paths.User, envID, u.ID), admin, ""), 200)
	respWant(t, e.api("GET", paths.Build(paths.User, envID, "0190b7c4-0000-7000-8000-000000000001"), admin, ""), 404)

	body := string(wantStatus(t, e.get(t, paths.Metrics), 200))
	userRoute := guid(paths.User)
	for _, want := range []string{
		`myaccount_http_requests_total{method="GET",route="` + userRoute + `",status="200"} 1`,
		`myaccount_http_requests_total{method="GET",route="` + userRoute + `",status="404"} 1`,
		`myaccount_http_requests_total{method="POST",route="` + guid(paths.Users) + `",status="201"} 1`,
		`myaccount_http_request_duration_seconds_count{method="GET",route="` + userRoute + `"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, id := range []string{envID, u.ID} {
		if strings.Contains(body, id) {
			t.Errorf("metrics contain the id %s", id)
		}
	}
}

func TestWasmServing(t *testing.T) {
	e := newOpsEnv(t)
	sum := sha256.Sum256(e.wasm.raw)
	w, err := LoadWasm(writeWasm(t, e.wasm))
	if err != nil {
		t.Fatal(err)
	}
	if w.Hash != hex.EncodeToString(sum[:]) || w.Size() != int64(len(e.wasm.raw)) {
		t.Fatalf("hash %s size %d", w.Hash, w.Size())
	}
	first := e.get(t, "/web/app.wasm")
	etag := first.Header.Get("ETag")
	wantStatus(t, first, 200)
	if etag == "" || !strings.Contains(w.Hash, strings.Trim(etag, `"`)) {
		t.Fatalf("ETag %q does not come from the hash %s", etag, w.Hash)
	}

	tests := []struct {
		name     string
		accept   string
		encoding string
		body     []byte
	}{
		{"brotli", "br", "br", e.wasm.br},
		{"gzip", "gzip", "gzip", e.wasm.gz},
		{"none", "", "", e.wasm.raw},
		{"identity", "identity", "", e.wasm.raw},
		{"brotli_refused", "br;q=0, gzip", "gzip", e.wasm.gz},
		{"both_prefers_brotli", "gzip, deflate, br", "br", e.wasm.br},
		{"case_and_spaces", "GZIP ; q=0.8", "gzip", e.wasm.gz},
		{"all_refused", "br;q=0, gzip;q=0", "", e.wasm.raw},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.get(t, "/web/app.wasm", "Accept-Encoding", tt.accept)
			body := wantStatus(t, resp, 200)
			if got := resp.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			if !bytes.Equal(body, tt.body) {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			if resp.Header.Get("Content-Type") != "application/wasm" || resp.Header.Get("Vary") != "Accept-Encoding" ||
				resp.Header.Get("ETag") != etag {
				t.Errorf("headers: %v", resp.Header)
			}
		})
	}

	t.Run("not_modified", func(t *testing.T) {
		resp := e.get(t, "/web/app.wasm", "Accept-Encoding", "br", "If-None-Match", etag)
		if body := wantStatus(t, resp, http.StatusNotModified); len(body) != 0 {
			t.Errorf("304 with a body of %d bytes", len(body))
		}
		wantStatus(t, e.get(t, "/web/app.wasm", "If-None-Match", `"stale"`), 200)
	})

	t.Run("no_compressed_forms", func(t *testing.T) {
		raw, err := LoadWasm(writeWasm(t, wasmFiles{raw: e.wasm.raw}))
		if err != nil {
			t.Fatal(err)
		}
		app := fiber.New()
		app.Get("/app.wasm", raw.handler())
		req := httptest.NewRequest("GET", "/app.wasm", nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if body := wantStatus(t, resp, 200); !bytes.Equal(body, e.wasm.raw) || resp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("served %q encoded %q", body, resp.Header.Get("Content-Encoding"))
		}
	})

	t.Run("missing_app_wasm", func(t *testing.T) {
		if _, err := LoadWasm(t.TempDir()); err == nil || !strings.Contains(err.Error(), "make wasm") {
			t.Fatalf("LoadWasm of an empty dir: %v", err)
		}
	})
}

func TestMyAccountConfigAndOpenAPI(t *testing.T) {
	e := newOpsEnv(t)
	for _, envID := range []string{e.srv.Bootstrap.DefaultEnvID, e.srv.Bootstrap.AdminEnvID} {
		c := decode[resource.AppConfig](t, respWant(t, e.get(t, paths.Build(paths.MyAccountConfig, envID)), 200))
		if c.EnvironmentID != envID || c.ClientID != bootstrap.MyAccountClientID(envID) || c.PublicURL != testPublicURL {
			t.Fatalf("config of %s: %+v", envID, c)
		}
	}
	resp := respWant(t, e.get(t, paths.OpenAPI), 200)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("openapi Content-Type %q", ct)
	}
	doc := decode[map[string]any](t, resp)
	if _, ok := doc["openapi"].(string); !ok {
		t.Fatalf("openapi document without an openapi version: %v", doc["openapi"])
	}
	if p, _ := doc["paths"].(map[string]any); len(p) == 0 {
		t.Fatal("openapi document has no paths")
	}
}

// TestInternalErrorsStayInside: a failure the handler did not expect is a
// 500 with a request id; its text goes to the log with that id, never to
// the client.
func TestInternalErrorsStayInside(t *testing.T) {
	e := newOpsEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	e.st.envDown.Store(true)
	for _, target := range []string{
		paths.Build(paths.MyAccountConfig, envID),
		paths.Build(paths.OIDCDiscovery, envID),
		paths.Build(paths.JWKS, envID),
	} {
		t.Run(strings.ReplaceAll(strings.Trim(target[37:], "/"), "/", "_"), func(t *testing.T) {
			resp := e.get(t, target)
			body := wantStatus(t, resp, http.StatusInternalServerError)
			if bytes.Contains(body, []byte(internalDetail)) || bytes.Contains(body, []byte("quota")) {
				t.Fatalf("500 body echoes the internal error: %s", body)
			}
			var ae apierr.Error
			if err := json.Unmarshal(body, &ae); err != nil {
				t.Fatalf("500 body is not JSON: %s", body)
			}
			id := resp.Header.Get("X-Request-Id")
			if ae.Code != apierr.UnexpectedServerError || ae.ID == "" || ae.ID != id {
				t.Fatalf("500 body %s (X-Request-Id %q)", body, id)
			}
			logged := false
			for _, line := range strings.Split(e.log.String(), "\n") {
				logged = logged || (strings.Contains(line, internalDetail) && strings.Contains(line, id))
			}
			if !logged {
				t.Errorf("the cause was not logged with request id %s:\n%s", id, e.log.String())
			}
		})
	}
}
