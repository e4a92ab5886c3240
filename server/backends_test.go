package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/mongo"
	"github.com/myaccount/myaccount/server/internal/store/mongo/ferrettest"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// backends opens each store backend for the tests that must hold on both.
func backends(t *testing.T) map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store { return openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite")) },
		"mongo": func(t *testing.T) store.Store {
			st, err := mongo.Open(context.Background(), mongo.Config{URI: ferrettest.Start(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
	}
}

// TestOperatorJSONRefused sends MongoDB query operators where strings
// belong, on both backends: every request is a 400 and nothing changes.
func TestOperatorJSONRefused(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open(t), nil)
			envID := e.srv.Bootstrap.DefaultEnvID
			e.createUser("grace", "grace@example.com", userPassword)
			admin := e.adminToken()
			users := func() int {
				l := decode[resource.List[resource.User]](t, respWant(t, e.api("GET", paths.Build(paths.Users, envID), admin, ""), 200))
				return len(l.Embedded["users"])
			}
			before := users()
			for _, body := range []string{
				`{"username":{"$ne":""},"email":"x@example.com","password":{"value":"long enough pw"}}`,
				`{"username":"mallory","email":{"$gt":""},"password":{"value":"long enough pw"}}`,
				`{"username":"mallory","email":"m@example.com","password":{"value":{"$ne":null}}}`,
				`{"username":"mallory","email":"m@example.com","name":{"given":{"$where":"1"}}}`,
			} {
				wantStatus(t, e.api("POST", paths.Build(paths.Users, envID), admin, body), 400)
			}
			if got := users(); got != before {
				t.Fatalf("users went from %d to %d", before, got)
			}
			b := e.browser()
			id := b.startFlow(newPKCE())
			for _, body := range []string{
				`{"username":{"$ne":""},"password":{"$ne":""}}`,
				`{"username":"grace","password":{"$gt":""}}`,
				`{"username":{"$regex":".*"},"password":userPassword}`,
			} {
				resp := b.do("POST", b.flowURL(id), paths.ActionUsernamePassword, strings.NewReader(body))
				wantStatus(t, resp, 400)
			}
			f := decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(id), "", nil), 200))
			if f.Status != resource.FlowUsernamePasswordRequired {
				t.Fatalf("flow moved on: %s", f.Status)
			}
		})
	}
}

// TestTwoServersOneDatabase runs two server instances, each with its own
// database client, on one database: the failure counter and the single use
// of a passcode hold across them on both backends.
func TestTwoServersOneDatabase(t *testing.T) {
	shared := map[string]func(t *testing.T) (store.Store, store.Store){
		"sqlite": func(t *testing.T) (store.Store, store.Store) {
			p := filepath.Join(t.TempDir(), "db.sqlite")
			return openSQLite(t, p), openSQLite(t, p)
		},
		"mongo": func(t *testing.T) (store.Store, store.Store) {
			uri := ferrettest.Start(t)
			var out [2]store.Store
			for i := range out {
				st, err := mongo.Open(context.Background(), mongo.Config{URI: uri})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				out[i] = st
			}
			return out[0], out[1]
		},
	}
	for name, open := range shared {
		t.Run(name, func(t *testing.T) {
			st1, st2 := open(t)
			e1 := newEnv(t, st1, nil)
			e2 := newEnv(t, st2, e1.clock)
			b1, b2 := e1.srv.Bootstrap, e2.srv.Bootstrap
			if b1.AdminEnvID != b2.AdminEnvID || b1.DefaultEnvID != b2.DefaultEnvID || !b1.AdminCreated || b2.AdminCreated {
				t.Fatalf("the servers bootstrapped differently: %+v vs %+v", e1.srv.Bootstrap, e2.srv.Bootstrap)
			}
			servers := []*env{e1, e2}
			e1.createUser("heidi", "heidi@example.com", userPassword)

			// Wrong passwords alternate between the servers; the fifth locks.
			b := e1.browser()
			id := b.startFlow(newPKCE())
			for i := 0; i < 5; i++ {
				b.e = servers[i%2]
				resp := b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "heidi", Password: "not the password"})
				want := 400
				if i == 4 {
					want = 429
				}
				wantStatus(t, resp, want)
			}

			// One passcode, sent to both servers at once: exactly one wins.
			e1.createUser("ivan", "ivan@example.com", userPassword)
			b = e1.browser()
			id = b.startFlow(newPKCE())
			respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ivan", Password: userPassword}), 200)
			respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: "ivan.mfa@example.com"}), 200)
			code := e1.mail.lastOTP(t, "ivan.mfa@example.com")
			statuses := make(chan int, 6)
			for i := 0; i < 6; i++ {
				go func() {
					bb := &browser{e: servers[i%2], jar: b.jar}
					statuses <- bb.action(id, "otp.check", resource.OTPCheck{OTP: code}).StatusCode
				}()
			}
			ok := 0
			for i := 0; i < 6; i++ {
				if <-statuses == 200 {
					ok++
				}
			}
			if ok != 1 {
				t.Fatalf("%d of 6 submissions of one passcode across two servers succeeded, want 1", ok)
			}
		})
	}
}
