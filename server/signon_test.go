package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestSignOnEnrollThenOTP is the newcomer's path: password, enroll an email
// device with the mailed passcode, tokens, profile and devices through the
// API; then a second sign-on with password + passcode of that device.
func TestSignOnEnrollThenOTP(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("Alice", "alice@example.com", "correct horse battery")
	b := e.browser()
	tr := b.signOn(newPKCE(), "alice", "correct horse battery", "alice.mfa@example.com")
	if !strings.Contains(tr.Scope, "p1:read:user") || !strings.Contains(tr.Scope, "p1:read:device") || tr.IDToken == "" || tr.RefreshToken == "" {
		t.Fatalf("token response: %+v", tr)
	}
	envID := e.srv.Bootstrap.DefaultEnvID
	me := decode[resource.User](t, respWant(t, e.api("GET", paths.Build(paths.User, envID, u.ID), tr.AccessToken, ""), 200))
	if me.Username != "alice" || me.Email != "alice@example.com" {
		t.Fatalf("profile: %+v", me)
	}
	devs := decode[resource.List[resource.Device]](t, respWant(t, e.api("GET", paths.Build(paths.Devices, envID, u.ID), tr.AccessToken, ""), 200))
	if d := devs.Embedded["devices"]; len(d) != 1 || d[0].Type != "EMAIL" || d[0].Status != "ACTIVE" || d[0].Email != "alice.mfa@example.com" {
		t.Fatalf("devices: %+v", devs)
	}
	// The account's own address is told a method was added.
	found := false
	for _, m := range e.mail.msgs {
		found = found || (m.To == "alice@example.com" && !otpRE.MatchString(m.Text))
	}
	if !found {
		t.Error("no device-paired notification to the account address")
	}

	// A new browser signs on with password + the passcode of the paired device.
	b2 := e.browser()
	tr2 := b2.signOn(newPKCE(), "ALICE", "correct horse battery", "alice.mfa@example.com")
	if tr2.AccessToken == "" {
		t.Fatal("no access token on second sign-on")
	}

	// The SSO cookie answers prompt=none without a prompt.
	p := newPKCE()
	resp := b2.do("GET", e.authorizeURL(p, url.Values{"prompt": {"none"}}), "", nil)
	wantStatus(t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("code") == "" {
		t.Fatalf("prompt=none with a session: %s", loc)
	}
	// Without a session it answers login_required.
	resp = e.browser().do("GET", e.authorizeURL(p, url.Values{"prompt": {"none"}}), "", nil)
	loc, _ = url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "login_required" || loc.Query().Get("state") != p.state {
		t.Fatalf("prompt=none without session: %s", loc)
	}
}

// TestUnknownUserLooksLikeWrongPassword: same status, same body (but the
// request id) and one hash each.
func TestUnknownUserLooksLikeWrongPassword(t *testing.T) {
	e := newSQLiteEnv(t)
	e.createUser("bob", "bob@example.com", userPassword)
	answer := func(username string) (int, map[string]any, int64) {
		b := e.browser()
		id := b.startFlow(newPKCE())
		before := e.srv.Hasher.Calls()
		resp := b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: username, Password: "wrong password!"})
		body := decode[map[string]any](t, resp)
		delete(body, "id")
		return resp.StatusCode, body, e.srv.Hasher.Calls() - before
	}
	s1, b1, h1 := answer("bob")
	s2, b2, h2 := answer("nobody")
	j1, _ := json.Marshal(b1)
	j2, _ := json.Marshal(b2)
	if s1 != 400 || s1 != s2 || string(j1) != string(j2) {
		t.Fatalf("answers differ: %d %s / %d %s", s1, j1, s2, j2)
	}
	if h1 != 1 || h2 != 1 {
		t.Fatalf("hasher calls: known %d, unknown %d; want 1 and 1", h1, h2)
	}
}

func TestPasswordLockout(t *testing.T) {
	e := newSQLiteEnv(t)
	e.createUser("carol", "carol@example.com", userPassword)
	b := e.browser()
	id := b.startFlow(newPKCE())
	var last *http.Response
	for i := 0; i < 5; i++ {
		last = b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "carol", Password: "wrong password!"})
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("fifth failure: %d, Retry-After %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	// Locked: even the right password is refused until the window ends.
	resp := b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "carol", Password: userPassword})
	wantStatus(t, resp, 429)
	e.clock.Add(16 * time.Minute)
	id = b.startFlow(newPKCE())
	resp = b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "carol", Password: userPassword})
	wantStatus(t, resp, 200)
}

// otpFlow signs dave on with his password and enrolls a device, stopping
// at OTP_REQUIRED; it returns the browser, flow id and the right passcode.
func otpFlow(t *testing.T, e *env) (*browser, string, string) {
	t.Helper()
	if _, err := e.st.GetUserByUsername(t.Context(), e.srv.Bootstrap.DefaultEnvID, "dave"); err != nil {
		e.createUser("dave", "dave@example.com", userPassword)
	}
	b := e.browser()
	id := b.startFlow(newPKCE())
	respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "dave", Password: userPassword}), 200)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: "dave.mfa@example.com"}), 200))
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("status %s", f.Status)
	}
	return b, id, e.mail.lastOTP(t, "dave.mfa@example.com")
}

func TestOTPUnhappyPaths(t *testing.T) {
	t.Run("wrong_otp_counts_down_then_locks", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, code := otpFlow(t, e)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for left := 2; left >= 1; left-- {
			ae := decode[apierr.Error](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: wrong}), 400))
			if ae.Code != apierr.InvalidData || len(ae.Details) != 1 || ae.Details[0].Code != apierr.DetailInvalidOTP ||
				ae.Details[0].InnerError["attemptsRemaining"] != float64(left) {
				t.Fatalf("wrong otp answer: %+v", ae)
			}
		}
		resp := b.action(id, "otp.check", resource.OTPCheck{OTP: wrong})
		wantStatus(t, resp, 429)
		// Locked: the right code is refused during the cool-down.
		wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 429)
	})
	t.Run("reused_otp", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, code := otpFlow(t, e)
		respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 200)
		wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 400)
	})
	t.Run("parallel_submissions_one_wins", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, code := otpFlow(t, e)
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = b.action(id, "otp.check", resource.OTPCheck{OTP: code}).StatusCode
			}()
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			if c == 200 {
				ok++
			}
		}
		if ok != 1 {
			t.Fatalf("%d submissions of one passcode succeeded (%v), want exactly 1", ok, codes)
		}
	})
	t.Run("expired_otp", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, code := otpFlow(t, e)
		e.clock.Add(11 * time.Minute)
		ae := decode[apierr.Error](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 400))
		if ae.Details[0].Code != apierr.DetailOTPExpired {
			t.Fatalf("expired otp: %+v", ae)
		}
	})
	t.Run("expired_flow_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, code := otpFlow(t, e)
		e.clock.Add(31 * time.Minute)
		wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 404)
	})
	t.Run("other_browser_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		_, id, code := otpFlow(t, e)
		other := e.browser()
		other.startFlow(newPKCE()) // has its own binding cookie
		wantStatus(t, other.action(id, "otp.check", resource.OTPCheck{OTP: code}), 404)
		wantStatus(t, e.browser().do("GET", other.flowURL(id), "", nil), 404)
	})
	t.Run("wrong_media_type_415", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, _ := otpFlow(t, e)
		wantStatus(t, b.do("POST", b.flowURL(id), "application/json", strings.NewReader(`{"otp":"123456"}`)), 415)
	})
	t.Run("operator_json_400", func(t *testing.T) {
		e := newSQLiteEnv(t)
		b, id, _ := otpFlow(t, e)
		resp := b.do("POST", b.flowURL(id), "application/vnd.pingidentity.otp.check+json", strings.NewReader(`{"otp":{"$ne":""}}`))
		ae := decode[apierr.Error](t, respWant(t, resp, 400))
		if ae.Details[0].Target != "otp" {
			t.Fatalf("detail: %+v", ae)
		}
	})
}
