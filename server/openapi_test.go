package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/docs"
)

// undocumented are paths that are plumbing, not API: the PWA's compiled app.
var undocumented = []string{"/web/app.wasm"}

// TestOpenAPIMatchesRoutes checks the hand-written OpenAPI document against
// the route table both ways, and that every documented operation answers
// (reaches its handler rather than the router's 404 or 405).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newSQLiteEnv(t)
	documented, err := docs.Operations()
	if err != nil {
		t.Fatal(err)
	}
	var registered []docs.Operation
	for _, r := range e.srv.App.GetRoutes(true) {
		// Fiber registers HEAD beside every GET.
		if r.Method == http.MethodHead || slices.Contains(undocumented, r.Path) {
			continue
		}
		op := docs.Operation{Method: r.Method, Path: docs.Template(r.Path)}
		if !slices.Contains(registered, op) {
			registered = append(registered, op)
		}
	}
	for _, op := range registered {
		if !slices.Contains(documented, op) {
			t.Errorf("route %s is not in docs/openapi.json", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(registered, op) {
			t.Errorf("docs/openapi.json documents %s, which is not a route", op)
		}
	}

	// Every documented operation answers: fill the parameters with real or
	// well-formed ids; the handler may refuse (401, 404 with its own
	// message…) but the router must have matched.
	fill := strings.NewReplacer("{envId}", e.srv.Bootstrap.DefaultEnvID,
		"{userId}", "0190b7c4-0000-7000-8000-000000000001", "{flowId}", "0190b7c4-0000-7000-8000-000000000002",
		"{appId}", "0190b7c4-0000-7000-8000-000000000003", "{policyId}", "0190b7c4-0000-7000-8000-000000000004",
		"{deviceId}", "0190b7c4-0000-7000-8000-000000000005",
		"{deviceAuthenticationId}", "0190b7c4-0000-7000-8000-000000000006",
		"{passwordPolicyId}", "0190b7c4-0000-7000-8000-000000000007",
		"{templateName}", "password_changed", "{locale}", "fr",
		"{identityProviderId}", "0190b7c4-0000-7000-8000-000000000008")
	for _, op := range documented {
		req := httptest.NewRequest(op.Method, fill.Replace(op.Path), nil)
		resp := e.do(req)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusMethodNotAllowed || routerNotFound(resp.StatusCode, body) {
			t.Errorf("%s does not answer: %d %s", op, resp.StatusCode, body)
		}
	}
}

// routerNotFound recognises the answer of the router itself (no route).
func routerNotFound(status int, body []byte) bool {
	if status != http.StatusNotFound {
		return false
	}
	var e struct{ Message string }
	json.Unmarshal(body, &e)
	return e.Message == "The requested resource was not found."
}
