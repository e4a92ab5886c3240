// Package docs carries the API contract into the binary: openapi.json, the
// hand-written OpenAPI 3 document of every route (served at
// /v1/openapi.json), and helpers for the test that checks the server's route
// table against it. The prose contract is api.md beside it.
package docs

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// OpenAPI is the OpenAPI 3.0 document, as written in docs/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// Operation is one documented method on one path. Path is in OpenAPI's
// template form ("/v1/environments/{envId}"); Method is upper case.
type Operation struct {
	Method string
	Path   string
}

func (o Operation) String() string { return o.Method + " " + o.Path }

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Operations lists every operation of the document, sorted by path then
// method.
func Operations() ([]Operation, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi.json: %w", err)
	}
	var ops []Operation
	for p, item := range doc.Paths {
		for m := range item {
			if slices.Contains(methods, m) {
				ops = append(ops, Operation{Method: strings.ToUpper(m), Path: p})
			}
		}
	}
	slices.SortFunc(ops, func(a, b Operation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return ops, nil
}

// Template turns a Fiber route path into OpenAPI's template form:
// "/:envId<guid>/flows/:flowId" becomes "/{envId}/flows/{flowId}".
// Constraints ("<guid>") and the optional marker ("?") are dropped.
func Template(fiberPath string) string {
	segs := strings.Split(fiberPath, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		name := s[1:]
		if j := strings.IndexAny(name, "<?"); j >= 0 {
			name = name[:j]
		}
		segs[i] = "{" + name + "}"
	}
	return strings.Join(segs, "/")
}
