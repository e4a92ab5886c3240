package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server"
	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/store"
)

const (
	adminEnvID   = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
	defaultEnvID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
)

// output is a stdout or stderr the server writes from its goroutine while
// the test reads it; waitFor blocks until a text appears (no sleeping).
type output struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newOutput() *output { return &output{changed: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, err := o.b.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return n, err
}

func (o *output) String() string { o.mu.Lock(); defer o.mu.Unlock(); return o.b.String() }

func (o *output) waitFor(t *testing.T, text string, done <-chan error) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		o.mu.Lock()
		found, changed := strings.Contains(o.b.String(), text), o.changed
		o.mu.Unlock()
		if found {
			return
		}
		select {
		case <-changed:
		case err := <-done:
			t.Fatalf("run returned %v before printing %q; output:\n%s", err, text, o.String())
		case <-deadline:
			t.Fatalf("no %q within the deadline; output:\n%s", text, o.String())
		}
	}
}

// testEnv is the process environment of one test: a temporary DATA_DIR,
// fixed environment ids, no assets.
func testEnv(t *testing.T, extra map[string]string) func(string) string {
	t.Helper()
	vars := map[string]string{
		"DATA_DIR": t.TempDir(), "ASSETS_DIR": t.TempDir(), "LOG_LEVEL": "warn",
		"MYACCOUNT_ADMIN_ENV_ID": adminEnvID, "MYACCOUNT_DEFAULT_ENV_ID": defaultEnvID,
	}
	for k, v := range extra {
		vars[k] = v
	}
	return func(k string) string { return vars[k] }
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// serveOnce runs `myaccount serve` until it is ready, checks /readyz, stops
// it as SIGTERM would (the context ends) and returns what it printed.
func serveOnce(t *testing.T, getenv func(string) string) (stdout, stderr string) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut := newOutput(), newOutput()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-addr", addr}, getenv, strings.NewReader(""), out, errOut) }()
	out.waitFor(t, "Create a user:", done)

	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"sqlite"`) {
		t.Fatalf("readyz: %d %s", resp.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after the stop; stderr:\n%s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	return out.String(), errOut.String()
}

var passwordLine = regexp.MustCompile(`First administrator password \(shown once, save it now\): (\S+)`)

// TestServeThenOperatorCommands is an operator's first minutes: start the
// server on an empty data directory, stop it, start it again, then create
// users and read the outbox with the CLI.
func TestServeThenOperatorCommands(t *testing.T) {
	getenv := testEnv(t, nil)
	ctx := t.Context()

	first, logs := serveOnce(t, getenv)
	for _, want := range []string{
		"MyAccount is running at http://127.0.0.1:",
		"Administrators environment: " + adminEnvID,
		"Default environment:        " + defaultEnvID,
		"/" + defaultEnvID + "/myaccount/",
		"users create --env " + defaultEnvID,
		"outbox --env " + defaultEnvID,
	} {
		if !strings.Contains(first, want) {
			t.Errorf("welcome text lacks %q:\n%s", want, first)
		}
	}
	m := passwordLine.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("no one-time administrator password line:\n%s", first)
	}
	adminPassword := m[1]
	if strings.Contains(logs, adminPassword) {
		t.Error("the administrator password was logged")
	}

	// A second start reuses the data: same environments, no new password.
	second, _ := serveOnce(t, getenv)
	if !strings.Contains(second, "Default environment:        "+defaultEnvID) || strings.Contains(second, adminPassword) ||
		!strings.Contains(second, "already exists") {
		t.Errorf("second start:\n%s", second)
	}

	// The printed password is the administrator's.
	st := openStore(t, getenv)
	admin, err := st.GetUserByUsername(ctx, adminEnvID, "admin")
	if err != nil {
		t.Fatal(err)
	}
	checkPassword(t, admin, adminPassword)
	st.Close()

	var stdout, stderr bytes.Buffer
	args := []string{"users", "create", "--env", defaultEnvID, "--username", "Zoe", "--email", "zoe@example.com", "--given", "Zoe"}
	if err := run(ctx, args, getenv, strings.NewReader("a long and quiet password\n"), &stdout, &stderr); err != nil {
		t.Fatalf("users create: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "created user zoe") || strings.Contains(stdout.String()+stderr.String(), "a long and quiet password") {
		t.Fatalf("users create printed:\n%s\n%s", stdout.String(), stderr.String())
	}
	st = openStore(t, getenv)
	zoe, err := st.GetUserByUsername(ctx, defaultEnvID, "zoe")
	if err != nil {
		t.Fatalf("the created user is not in the store: %v", err)
	}
	if zoe.Email != "zoe@example.com" || zoe.GivenName != "Zoe" || !zoe.Enabled {
		t.Fatalf("created user: %+v", zoe)
	}
	checkPassword(t, zoe, "a long and quiet password")
	st.Close()

	err = run(ctx, args, getenv, strings.NewReader("another long password\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("duplicate username: %v", err)
	}

	// The environment's password policy holds: a common password is
	// refused and nobody is created.
	yves := []string{"users", "create", "--env", defaultEnvID, "--username", "yves", "--email", "yves@example.com"}
	err = run(ctx, yves, getenv, strings.NewReader("password123\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "password policy") {
		t.Fatalf("common password: %v", err)
	}
	st = openStore(t, getenv)
	if _, err := st.GetUserByUsername(ctx, defaultEnvID, "yves"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused password created the user: %v", err)
	}
	st.Close()

	stdout.Reset()
	if err := run(ctx, []string{"outbox", "--env", defaultEnvID}, getenv, nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(stdout.String()) != "The outbox is empty." {
		t.Fatalf("outbox: %q", stdout.String())
	}

	err = run(ctx, []string{"users", "create", "--env", "7c9e6679-7425-40de-944b-e07fc1f90000", "--username", "yan", "--email", "yan@example.com"},
		getenv, strings.NewReader("yan's long password\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("unknown environment: %v", err)
	}
}

func openStore(t *testing.T, getenv func(string) string) store.Store {
	t.Helper()
	cfg, err := config.Load(nil, getenv)
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := server.OpenStore(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func checkPassword(t *testing.T, u *store.User, pw string) {
	t.Helper()
	ok, err := password.New(password.Config{}).Verify(t.Context(), pw, u.PasswordHash)
	if err != nil || !ok {
		t.Fatalf("password of %s does not verify: %v", u.Username, err)
	}
}

// TestCommandProblems: bad input is refused before anything is opened, with
// every problem named.
func TestCommandProblems(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		env   map[string]string
		want  []string
	}{
		{
			name: "create_without_env_bad_email",
			args: []string{"users", "create", "--username", "zoe", "--email", "not-an-address"},
			want: []string{"--env", "--email"},
		},
		{
			name: "create_every_flag_wrong",
			args: []string{"users", "create", "--env", "nope", "--username", "", "--email", "zoe@", "--given", strings.Repeat("g", 500)},
			want: []string{"--env", "--username", "--email", "--given"},
		},
		{
			name:  "create_short_password",
			args:  []string{"users", "create", "--env", defaultEnvID, "--username", "zoe", "--email", "zoe@example.com"},
			stdin: "short\n",
			want:  []string{"at least 8"},
		},
		{
			name:  "create_empty_password",
			args:  []string{"users", "create", "--env", defaultEnvID, "--username", "zoe", "--email", "zoe@example.com"},
			stdin: "",
			want:  []string{"password"},
		},
		{
			name: "create_unknown_flag",
			args: []string{"users", "create", "--role", "admin"},
			want: []string{"role"},
		},
		{
			name: "outbox_without_env",
			args: []string{"outbox"},
			want: []string{"--env"},
		},
		{
			name: "users_without_create",
			args: []string{"users", "delete"},
			want: []string{"usage:"},
		},
		{
			name: "unknown_command",
			args: []string{"frobnicate"},
			want: []string{"usage:", "users create", "outbox"},
		},
		{
			name: "serve_bad_configuration",
			args: []string{"serve"},
			env:  map[string]string{"LOG_LEVEL": "loud", "ADDR": "nonsense", "MONGODB_URI": "mongodb://db.example:27017"},
			want: []string{"configuration", "LOG_LEVEL", "ADDR", "MYACCOUNT_SECRET_KEY is required"},
		},
		{
			name: "cli_bad_configuration",
			args: []string{"outbox", "--env", defaultEnvID},
			env:  map[string]string{"LOG_LEVEL": "loud"},
			want: []string{"configuration", "LOG_LEVEL"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := testEnv(t, tt.env)
			var stdout bytes.Buffer
			err := run(t.Context(), tt.args, getenv, strings.NewReader(tt.stdin), &stdout, io.Discard)
			if err == nil {
				t.Fatalf("no error; stdout:\n%s", stdout.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(stdout.String(), "created user") || strings.Contains(stdout.String(), "MyAccount is running") {
				t.Errorf("stdout after a refusal:\n%s", stdout.String())
			}
		})
	}
}

func TestHelp(t *testing.T) {
	var stdout bytes.Buffer
	if err := run(t.Context(), []string{"help"}, testEnv(t, nil), nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "myaccount users create --env") {
		t.Fatalf("help: %s", stdout.String())
	}
}
