package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	benchUsername = "ada"
	benchEmail    = "ada@example.com"
	benchPassword = userPassword
)

// newBenchEnv is a server on a fresh SQLite file without the query-plan
// check (it doubles every statement and would distort the timings), with
// one user signed on to MyAccount through an enrolled email device.
func newBenchEnv(b *testing.B) (*env, resource.User, resource.TokenResponse) {
	b.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "db.sqlite")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	e := newEnv(b, st, nil)
	u := e.createUser(benchUsername, benchEmail, benchPassword)
	tr := e.browser().signOn(newPKCE(), benchUsername, benchPassword, benchEmail)
	return e, u, tr
}

// BenchmarkSessionCheck is what every user-token request pays before its
// handler: find the environment, verify the ES256 JWT, read the session and
// the user.
func BenchmarkSessionCheck(b *testing.B) {
	e, u, tr := newBenchEnv(b)
	// The same construction as New's; the key manager (and its cache of
	// decrypted keys) is the server's own.
	auth := authn.New(authn.Deps{Store: e.srv.Store, Keys: e.srv.keys, PublicURL: testPublicURL, Now: e.clock.Now})
	ctx := context.Background()
	header := "Bearer " + tr.AccessToken
	b.ReportAllocs()
	for b.Loop() {
		p, err := auth.Authenticate(ctx, header)
		if err != nil {
			b.Fatal(err)
		}
		if p.Subject != u.ID || p.Session == nil {
			b.Fatalf("principal %+v, want the user's session", p)
		}
	}
}

// benchGet times GET path with the user's token through the Fiber app:
// middleware (request id, access log, metrics, security headers), the
// session check, the access rule, the store read and the JSON answer.
// App.Test's in-memory connection stands in for the network.
func benchGet(b *testing.B, e *env, path, tok string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if resp := e.api("GET", path, tok, ""); resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkProfileRead is GET /v1/environments/{env}/users/{id} with the
// user's own MyAccount token.
func BenchmarkProfileRead(b *testing.B) {
	e, u, tr := newBenchEnv(b)
	path := paths.Build(paths.User, e.srv.Bootstrap.DefaultEnvID, u.ID)
	if got := decode[resource.User](b, respWant(b, e.api("GET", path, tr.AccessToken, ""), 200)); got.Username != benchUsername {
		b.Fatalf("profile %+v, want %s", got, benchUsername)
	}
	benchGet(b, e, path, tr.AccessToken)
}

// BenchmarkDeviceList is GET .../users/{id}/devices (one email device).
func BenchmarkDeviceList(b *testing.B) {
	e, u, tr := newBenchEnv(b)
	path := paths.Build(paths.Devices, e.srv.Bootstrap.DefaultEnvID, u.ID)
	l := decode[resource.List[resource.Device]](b, respWant(b, e.api("GET", path, tr.AccessToken, ""), 200))
	if d := l.Embedded["devices"]; len(d) != 1 || d[0].Type != resource.DeviceEmail {
		b.Fatalf("devices %+v, want the one email device", d)
	}
	benchGet(b, e, path, tr.AccessToken)
}

// BenchmarkFlowOTPCheck is the otp.check action of a sign-on flow through
// the Fiber app: flow cookie and flow read, rate-limit counter, passcode
// HMAC, the guarded flow update, the counter reset and the audit record.
// Each iteration needs a fresh flow at OTP_REQUIRED; making one (authorize
// and password check) runs with the timer stopped.
func BenchmarkFlowOTPCheck(b *testing.B) {
	e, _, _ := newBenchEnv(b)
	br := e.browser()
	next := func() (flowID, code string) {
		id := br.startFlow(newPKCE())
		f := decode[resource.Flow](b, respWant(b, br.action(id, "usernamePassword.check",
			resource.UsernamePassword{Username: benchUsername, Password: benchPassword}), 200))
		if f.Status != resource.FlowOTPRequired {
			b.Fatalf("status %s, want OTP_REQUIRED", f.Status)
		}
		return id, e.mail.lastOTP(b, benchEmail)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		id, code := next()
		b.StartTimer()
		if resp := br.action(id, "otp.check", resource.OTPCheck{OTP: code}); resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
