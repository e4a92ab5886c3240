//go:build !js

package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const modulePath = "github.com/myaccount/myaccount"

// listedPackage is the part of `go list -json` the dependency rules read.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
}

// depViolations applies the wasm build's rules (STYLE.md, "The house") to
// the packages of `GOOS=js GOARCH=wasm go list -deps ./app/...`: no Fiber,
// Mongo driver, SQLite or testing in app.wasm, and none of the project's
// own packages importing net/http (go-app itself does, so the whole list
// cannot be checked for it; ours must use fetch through apiclient).
func depViolations(pkgs []listedPackage) []string {
	forbidden := []string{"github.com/gofiber", "github.com/valyala/fasthttp", "go.mongodb.org/mongo-driver", "modernc.org/sqlite", "testing"}
	var out []string
	for _, p := range pkgs {
		for _, f := range forbidden {
			if p.ImportPath == f || strings.HasPrefix(p.ImportPath, f+"/") {
				out = append(out, "app.wasm depends on "+p.ImportPath)
			}
		}
		if !p.Standard && (p.ImportPath == modulePath || strings.HasPrefix(p.ImportPath, modulePath+"/")) {
			for _, imp := range p.Imports {
				if imp == "net/http" || strings.HasPrefix(imp, "net/http/") {
					out = append(out, p.ImportPath+" imports "+imp+" in the wasm build")
				}
			}
		}
	}
	return out
}

func TestDepViolationsCatchesBreakage(t *testing.T) {
	tests := []struct {
		name string
		pkgs []listedPackage
		want int
	}{
		{name: "clean", pkgs: []listedPackage{
			{ImportPath: "net/http", Standard: true},
			{ImportPath: "github.com/maxence-charriere/go-app/v10/pkg/app", Imports: []string{"net/http"}},
			{ImportPath: modulePath + "/app/apiclient", Imports: []string{"syscall/js", "net/url"}},
			{ImportPath: "testingx/other", Standard: false},
		}, want: 0},
		{name: "ourNetHTTP", pkgs: []listedPackage{{ImportPath: modulePath + "/app/apiclient", Imports: []string{"net/http"}}}, want: 1},
		{name: "ourHTTPTest", pkgs: []listedPackage{{ImportPath: modulePath + "/shared/paths", Imports: []string{"net/http/httptest"}}}, want: 1},
		{name: "fiber", pkgs: []listedPackage{{ImportPath: "github.com/gofiber/fiber/v2"}}, want: 1},
		{name: "mongo", pkgs: []listedPackage{{ImportPath: "go.mongodb.org/mongo-driver/v2/bson"}}, want: 1},
		{name: "sqlite", pkgs: []listedPackage{{ImportPath: "modernc.org/sqlite"}}, want: 1},
		{name: "testing", pkgs: []listedPackage{{ImportPath: "testing", Standard: true}}, want: 1},
		{name: "testingSub", pkgs: []listedPackage{{ImportPath: "testing/iotest", Standard: true}}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := depViolations(tt.pkgs); len(got) != tt.want {
				t.Errorf("violations = %v, want %d", got, tt.want)
			}
		})
	}
}

// TestWasmDependencies lists what app.wasm is built from and applies the
// rules above.
func TestWasmDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root := moduleRoot(t)
	cmd := exec.Command(goBin, "list", "-deps", "-json=ImportPath,Standard,Imports", "./app/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listedPackage
	seen := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
		seen[p.ImportPath] = true
	}
	// The list must be the wasm one: our fetch transport, not net/http's.
	for _, must := range []string{modulePath + "/app/wasm", modulePath + "/app/apiclient", "syscall/js"} {
		if !seen[must] {
			t.Fatalf("%s missing from the wasm dependency list: wrong GOOS/GOARCH?", must)
		}
	}
	for _, v := range depViolations(pkgs) {
		t.Error(v)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
