package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// deviceScopes asks for every device scope the MyAccount client may get.
const deviceScopes = "openid profile email p1:read:user p1:read:device p1:create:device p1:update:device p1:delete:device"

// startFlowScoped is startFlow asking for the given scopes.
func (b *browser) startFlowScoped(p pkce, scopes string) string {
	b.e.t.Helper()
	resp := b.do("GET", b.e.authorizeURL(p, url.Values{"scope": {scopes}}), "", nil)
	wantStatus(b.e.t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query().Get("flowId")
}

// signOnScoped is signOn asking for the given scopes. With no MFA policy it
// stops after the password (a password-only session).
func (b *browser) signOnScoped(scopes, username, pw, email string) resource.TokenResponse {
	b.e.t.Helper()
	t := b.e.t
	p := newPKCE()
	id := b.startFlowScoped(p, scopes)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: username, Password: pw}), 200))
	if f.Status == resource.FlowMFAEnrollmentRequired {
		f = decode[resource.Flow](t, respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: email}), 200))
	}
	if f.Status == resource.FlowOTPRequired {
		f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: b.e.mail.lastOTP(t, email)}), 200))
	}
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow not completed: %+v", f)
	}
	return b.resume(f.ResumeURL, p)
}

// apiCT calls the management API with a bearer token and a Content-Type.
func (e *env) apiCT(method, path, tok, ct, body string) *http.Response {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	return e.do(req)
}

// deviceUser is a signed-on user (MFA done, first device enrolled) with
// the device scopes.
type deviceUser struct {
	e     *env
	envID string
	id    string
	tok   string
	first string // the enrolled device's id
}

func newDeviceUser(t *testing.T, e *env, name string) *deviceUser {
	t.Helper()
	u := e.createUser(name, name+"@example.com", userPassword)
	tr := e.browser().signOnScoped(deviceScopes, name, userPassword, name+".one@example.com")
	if !strings.Contains(tr.Scope, "p1:create:device") || !strings.Contains(tr.Scope, "p1:delete:device") {
		t.Fatalf("token lacks device write scopes: %q", tr.Scope)
	}
	du := &deviceUser{e: e, envID: e.srv.Bootstrap.DefaultEnvID, id: u.ID, tok: tr.AccessToken}
	ds := du.list(t)
	if len(ds) != 1 {
		t.Fatalf("devices after sign-on: %+v", ds)
	}
	du.first = ds[0].ID
	return du
}

func (u *deviceUser) devicesURL() string { return paths.Build(paths.Devices, u.envID, u.id) }
func (u *deviceUser) deviceURL(id string) string {
	return paths.Build(paths.Device, u.envID, u.id, id)
}

func (u *deviceUser) list(t *testing.T) []resource.Device {
	t.Helper()
	l := decode[resource.List[resource.Device]](t, respWant(t, u.e.api("GET", u.devicesURL(), u.tok, ""), 200))
	return l.Embedded["devices"]
}

func (u *deviceUser) create(email string) *http.Response {
	return u.e.api("POST", u.devicesURL(), u.tok, `{"type":"EMAIL","email":"`+email+`"}`)
}

func (u *deviceUser) activate(id, code string) *http.Response {
	return u.e.apiCT("POST", u.deviceURL(id), u.tok, paths.ActionDeviceActivate, `{"otp":"`+code+`"}`)
}

func (u *deviceUser) reorder(ids ...string) *http.Response {
	var order []resource.Ref
	for _, id := range ids {
		order = append(order, resource.Ref{ID: id})
	}
	body, _ := json.Marshal(map[string]any{"order": order})
	return u.e.apiCT("POST", u.devicesURL(), u.tok, paths.ActionDevicesReorder, string(body))
}

// record reads the user's record straight from the store.
func (u *deviceUser) record(t *testing.T) *store.User {
	t.Helper()
	rec, err := u.e.st.GetUser(t.Context(), u.envID, u.id)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// setSessionMFA moves the MFA time of the session behind u.tok.
func (u *deviceUser) setSessionMFA(t *testing.T, at time.Time) {
	t.Helper()
	sid := claimsOf(t, u.tok).SID
	s, err := u.e.st.GetSession(t.Context(), u.envID, sid)
	if err != nil {
		t.Fatal(err)
	}
	s.MFAAt = at
	if err := u.e.st.UpdateSession(t.Context(), s); err != nil {
		t.Fatal(err)
	}
}

// changeEnv edits the Default environment's record directly.
func changeEnv(t *testing.T, e *env, change func(*store.Environment)) {
	t.Helper()
	env, err := e.st.GetEnvironment(t.Context(), e.srv.Bootstrap.DefaultEnvID)
	if err != nil {
		t.Fatal(err)
	}
	change(env)
	if err := e.st.UpdateEnvironment(t.Context(), env); err != nil {
		t.Fatal(err)
	}
}

func deviceErr(t *testing.T, resp *http.Response, status int) apierr.Error {
	t.Helper()
	return decode[apierr.Error](t, respWant(t, resp, status))
}

func hasDetail(ae apierr.Error, code, target string) bool {
	for _, d := range ae.Details {
		if d.Code == code && (target == "" || d.Target == target) {
			return true
		}
	}
	return false
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// TestDeviceLifecycle: a signed-on user with MFA adds a second email
// device, activates it with the mailed passcode, renames it, makes it the
// default and deletes the first one.
func TestDeviceLifecycle(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "alice")

	d := decode[resource.Device](t, respWant(t, u.create("alice.two@example.com"), 201))
	if d.Status != resource.DeviceActivationRequired || d.Email != "alice.two@example.com" || d.ID == "" {
		t.Fatalf("created: %+v", d)
	}
	code := e.mail.lastOTP(t, "alice.two@example.com")
	if rec := u.record(t); len(rec.Devices) != 2 || rec.Devices[1].ActivationHash == "" || strings.Contains(rec.Devices[1].ActivationHash, code) {
		t.Fatalf("pending device not stored with a passcode hash: %+v", rec.Devices)
	}
	// A pending device is not offered at sign-on.
	if ds := u.list(t); resource.DefaultDevice(ds) != 0 {
		t.Fatalf("default moved to a pending device: %+v", ds)
	}

	notices := func() int {
		n := 0
		for _, m := range e.mail.msgs {
			if m.To == "alice@example.com" {
				n++
			}
		}
		return n
	}
	before := notices()
	got := decode[resource.Device](t, respWant(t, u.activate(d.ID, code), 200))
	if got.Status != resource.DeviceActive {
		t.Fatalf("activated: %+v", got)
	}
	if notices() != before+1 {
		t.Error("no device-paired notice to the account address")
	}
	// Its "this wasn't me" link is a one-time secure link.
	if last := e.mail.msgs[len(e.mail.msgs)-1]; last.To != "alice@example.com" ||
		!strings.Contains(last.Text, testPublicURL+paths.Build(paths.SecureLink, u.envID)+"?token=") {
		t.Errorf("device-paired notice without a one-time secure link: %q", last.Text)
	}
	// The passcode is used once.
	if ae := deviceErr(t, u.activate(d.ID, code), 400); !hasDetail(ae, apierr.DetailInvalidAction, "") {
		t.Fatalf("replayed passcode: %+v", ae)
	}

	got = decode[resource.Device](t, respWant(t, e.api("PUT", paths.Build(paths.DeviceNickname, u.envID, u.id, d.ID), u.tok, `{"nickname":"Work mail"}`), 200))
	if got.Nickname != "Work mail" {
		t.Fatalf("renamed: %+v", got)
	}
	got = decode[resource.Device](t, respWant(t, e.api("GET", u.deviceURL(d.ID), u.tok, ""), 200))
	if got.Nickname != "Work mail" || got.Status != resource.DeviceActive {
		t.Fatalf("read back: %+v", got)
	}

	l := decode[resource.List[resource.Device]](t, respWant(t, u.reorder(d.ID, u.first), 200))
	if ds := l.Embedded["devices"]; len(ds) != 2 || ds[0].ID != d.ID || resource.DefaultDevice(ds) != 0 {
		t.Fatalf("reordered: %+v", ds)
	}

	sent := len(e.mail.msgs)
	wantStatus(t, e.api("DELETE", u.deviceURL(u.first), u.tok, ""), 204)
	if ds := u.list(t); len(ds) != 1 || ds[0].ID != d.ID {
		t.Fatalf("after delete: %+v", ds)
	}
	// The account's address is told, with the "this wasn't me" link.
	if n := len(e.mail.msgs); n != sent+1 || e.mail.msgs[n-1].To != "alice@example.com" ||
		!strings.Contains(e.mail.msgs[n-1].Subject, "removed") || !strings.Contains(e.mail.msgs[n-1].Text, "/myaccount/#secure") ||
		strings.Contains(e.mail.msgs[n-1].Text, "alice.one@example.com") {
		t.Fatalf("removal notice: %+v", e.mail.msgs[sent:])
	}
	wantStatus(t, e.api("GET", u.deviceURL(u.first), u.tok, ""), 404)

	// The next sign-on's passcode goes to the new default.
	e.browser().signOnScoped(deviceScopes, "alice", userPassword, "alice.two@example.com")
}

// TestDeleteDefaultPromotesNext: removing the default makes the next
// ACTIVE device in the order the default, skipping pending ones.
func TestDeleteDefaultPromotesNext(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "erin")
	pending := decode[resource.Device](t, respWant(t, u.create("erin.pending@example.com"), 201))
	second := decode[resource.Device](t, respWant(t, u.create("erin.two@example.com"), 201))
	respWant(t, u.activate(second.ID, e.mail.lastOTP(t, "erin.two@example.com")), 200)
	wantStatus(t, e.api("DELETE", u.deviceURL(u.first), u.tok, ""), 204)
	ds := u.list(t)
	if len(ds) != 2 || ds[0].ID != pending.ID || ds[resource.DefaultDevice(ds)].ID != second.ID {
		t.Fatalf("after deleting the default: %+v", ds)
	}
}

func TestDeviceAccess(t *testing.T) {
	t.Run("another_users_device_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		bob := newDeviceUser(t, e, "bob")
		before := bob.record(t)
		// Alice's token on Bob's path, and Bob's device id under Alice's path.
		for _, tc := range []struct {
			name, method, path, ct, body string
		}{
			{"get", "GET", bob.deviceURL(bob.first), "", ""},
			{"create", "POST", bob.devicesURL(), paths.JSON, `{"type":"EMAIL","email":"evil@example.com"}`},
			{"activate", "POST", bob.deviceURL(bob.first), paths.ActionDeviceActivate, `{"otp":"123456"}`},
			{"rename", "PUT", paths.Build(paths.DeviceNickname, bob.envID, bob.id, bob.first), paths.JSON, `{"nickname":"x"}`},
			{"reorder", "POST", bob.devicesURL(), paths.ActionDevicesReorder, `{"order":[{"id":"` + bob.first + `"}]}`},
			{"delete", "DELETE", bob.deviceURL(bob.first), "", ""},
			{"own_path_other_device_get", "GET", alice.deviceURL(bob.first), "", ""},
			{"own_path_other_device_delete", "DELETE", alice.deviceURL(bob.first), "", ""},
			{"own_path_other_device_rename", "PUT", paths.Build(paths.DeviceNickname, alice.envID, alice.id, bob.first), paths.JSON, `{"nickname":"x"}`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantStatus(t, e.apiCT(tc.method, tc.path, alice.tok, tc.ct, tc.body), 404)
			})
		}
		after := bob.record(t)
		if after.Version != before.Version || len(after.Devices) != 1 {
			t.Fatalf("bob's record changed: %+v", after)
		}
		if len(alice.list(t)) != 1 {
			t.Fatal("alice's devices changed")
		}
	})
	t.Run("another_environment_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		other := e.srv.Bootstrap.AdminEnvID
		wantStatus(t, e.api("POST", paths.Build(paths.Devices, other, alice.id), alice.tok, `{"type":"EMAIL","email":"a@example.com"}`), 404)
		wantStatus(t, e.api("DELETE", paths.Build(paths.Device, other, alice.id, alice.first), alice.tok, ""), 404)
		wantStatus(t, e.api("GET", paths.Build(paths.Device, other, alice.id, alice.first), alice.tok, ""), 404)
		if len(alice.list(t)) != 1 {
			t.Fatal("devices changed")
		}
	})
	t.Run("missing_scope_403", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		tr := e.browser().signOnScoped("openid p1:read:device", "alice", userPassword, "alice.one@example.com")
		ae := deviceErr(t, e.api("POST", alice.devicesURL(), tr.AccessToken, `{"type":"EMAIL","email":"a2@example.com"}`), 403)
		if ae.Code != apierr.InsufficientPermission || hasDetail(ae, apierr.DetailMFARequired, "") {
			t.Fatalf("missing scope: %+v", ae)
		}
		wantStatus(t, e.api("DELETE", alice.deviceURL(alice.first), tr.AccessToken, ""), 403)
		respWant(t, e.api("GET", alice.deviceURL(alice.first), tr.AccessToken, ""), 200)
	})
	t.Run("stale_mfa_403", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		alice.setSessionMFA(t, e.clock.Now().Add(-11*time.Minute))
		for _, resp := range []*http.Response{
			alice.create("a2@example.com"),
			e.api("PUT", paths.Build(paths.DeviceNickname, alice.envID, alice.id, alice.first), alice.tok, `{"nickname":"x"}`),
			alice.reorder(alice.first),
			e.api("DELETE", alice.deviceURL(alice.first), alice.tok, ""),
		} {
			if ae := deviceErr(t, resp, 403); !hasDetail(ae, apierr.DetailMFARequired, "") {
				t.Fatalf("stale MFA: %+v", ae)
			}
		}
		alice.setSessionMFA(t, e.clock.Now().Add(-9*time.Minute))
		respWant(t, alice.create("a2@example.com"), 201)
	})
	t.Run("admin_creates_active_and_deletes_last", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		admin := e.adminToken()
		sent := len(e.mail.msgs)
		d := decode[resource.Device](t, respWant(t, e.api("POST", alice.devicesURL(), admin, `{"type":"EMAIL","email":"a2@example.com","status":"ACTIVE"}`), 201))
		if d.Status != resource.DeviceActive {
			t.Fatalf("admin create: %+v", d)
		}
		for _, m := range e.mail.msgs[sent:] {
			if m.To == "a2@example.com" {
				t.Fatal("a passcode was sent for a device created ACTIVE")
			}
		}
		wantStatus(t, e.api("DELETE", alice.deviceURL(d.ID), admin, ""), 204)
		// An administrator may remove the last one (a reset); a user may not.
		wantStatus(t, e.api("DELETE", alice.deviceURL(alice.first), admin, ""), 204)
		if len(alice.list(t)) != 0 {
			t.Fatal("devices left")
		}
	})
}

// TestFirstDeviceWithPasswordOnly: with no ACTIVE device a password-only
// session may pair one; once it has one, the next needs MFA.
func TestFirstDeviceWithPasswordOnly(t *testing.T) {
	e := newSQLiteEnv(t)
	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
	usr := e.createUser("frank", "frank@example.com", userPassword)
	tr := e.browser().signOnScoped(deviceScopes, "frank", userPassword, "")
	if s, _ := e.st.GetSession(t.Context(), e.srv.Bootstrap.DefaultEnvID, claimsOf(t, tr.AccessToken).SID); s == nil || !s.MFAAt.IsZero() {
		t.Fatalf("session is not password-only: %+v", s)
	}
	u := &deviceUser{e: e, envID: e.srv.Bootstrap.DefaultEnvID, id: usr.ID, tok: tr.AccessToken}
	sent := len(e.mail.msgs)
	d := decode[resource.Device](t, respWant(t, u.create("frank.one@example.com"), 201))
	respWant(t, u.activate(d.ID, e.mail.lastOTP(t, "frank.one@example.com")), 200)
	notified := false
	for _, m := range e.mail.msgs[sent:] {
		notified = notified || m.To == "frank@example.com"
	}
	if !notified {
		t.Error("first device paired without a notice to the account address")
	}
	if ae := deviceErr(t, u.create("frank.two@example.com"), 403); ae.Code != apierr.InsufficientPermission || !hasDetail(ae, apierr.DetailMFARequired, "") {
		t.Fatalf("second device with a password-only session: %+v", ae)
	}
	if ae := deviceErr(t, e.api("DELETE", u.deviceURL(d.ID), u.tok, ""), 403); !hasDetail(ae, apierr.DetailMFARequired, "") {
		t.Fatalf("delete with a password-only session: %+v", ae)
	}
	if n := len(u.list(t)); n != 1 {
		t.Fatalf("%d devices, want 1", n)
	}
}

func TestDeviceActivationUnhappy(t *testing.T) {
	setup := func(t *testing.T) (*env, *deviceUser, resource.Device, string) {
		t.Helper()
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "gina")
		d := decode[resource.Device](t, respWant(t, u.create("gina.two@example.com"), 201))
		return e, u, d, e.mail.lastOTP(t, "gina.two@example.com")
	}
	t.Run("wrong_otp_counts_down_then_locks", func(t *testing.T) {
		e, u, d, code := setup(t)
		for left := 2; left >= 1; left-- {
			ae := deviceErr(t, u.activate(d.ID, wrongCode(code)), 400)
			if ae.Code != apierr.InvalidData || !hasDetail(ae, apierr.DetailInvalidOTP, "otp") ||
				ae.Details[0].InnerError["attemptsRemaining"] != float64(left) {
				t.Fatalf("wrong otp: %+v", ae)
			}
		}
		resp := u.activate(d.ID, wrongCode(code))
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("third wrong code: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		wantStatus(t, u.activate(d.ID, code), 429) // locked: even the right code
		e.clock.Add(121 * time.Second)
		respWant(t, u.activate(d.ID, code), 200)
	})
	t.Run("expired_otp", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.MFASettings.OTPLifetime = 120 })
		u := newDeviceUser(t, e, "gina")
		d := decode[resource.Device](t, respWant(t, u.create("gina.two@example.com"), 201))
		code := e.mail.lastOTP(t, "gina.two@example.com")
		e.clock.Add(121 * time.Second)
		if ae := deviceErr(t, u.activate(d.ID, code), 400); !hasDetail(ae, apierr.DetailOTPExpired, "otp") {
			t.Fatalf("expired: %+v", ae)
		}
		// The expired pending device is dropped at the next create.
		respWant(t, u.create("gina.three@example.com"), 201)
		ds := u.list(t)
		if len(ds) != 2 || ds[1].Email != "gina.three@example.com" {
			t.Fatalf("expired pending device kept: %+v", ds)
		}
	})
	t.Run("parallel_activations_one_wins", func(t *testing.T) {
		_, u, d, code := setup(t)
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := u.activate(d.ID, code)
				io.Copy(io.Discard, resp.Body)
				codes[i] = resp.StatusCode
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
			t.Fatalf("%d activations with one passcode succeeded (%v), want 1", ok, codes)
		}
	})
	t.Run("resend_cool_down", func(t *testing.T) {
		e, u, d, old := setup(t)
		resend := func() *http.Response {
			return e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.ActionDeviceSendCode, "")
		}
		resp := resend()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("resend at once: %d", resp.StatusCode)
		}
		e.clock.Add(31 * time.Second)
		wantStatus(t, resend(), 204)
		code := e.mail.lastOTP(t, "gina.two@example.com")
		if code != old {
			wantStatus(t, u.activate(d.ID, old), 400) // replaced
		}
		respWant(t, u.activate(d.ID, code), 200)
		wantStatus(t, resend(), 400) // no longer pending
	})
	t.Run("wrong_media_type_415", func(t *testing.T) {
		e, u, d, code := setup(t)
		wantStatus(t, e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.JSON, `{"otp":"`+code+`"}`), 415)
		wantStatus(t, e.apiCT("POST", u.devicesURL(), u.tok, paths.ActionOTPCheck, `{}`), 415)
	})
}

func TestDeviceInputUnhappy(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "hank")
	nick := paths.Build(paths.DeviceNickname, u.envID, u.id, u.first)
	tests := []struct {
		name   string
		resp   func() *http.Response
		target string
	}{
		{"malformed_email", func() *http.Response { return u.create("not-an-email") }, "email"},
		{"display_name_email", func() *http.Response {
			return e.api("POST", u.devicesURL(), u.tok, `{"type":"EMAIL","email":"Hank <h@example.com>"}`)
		}, "email"},
		{"missing_email", func() *http.Response { return e.api("POST", u.devicesURL(), u.tok, `{"type":"EMAIL"}`) }, "email"},
		{"malformed_phone", func() *http.Response {
			return e.api("POST", u.devicesURL(), u.tok, `{"type":"SMS","phone":"+15555550100"}`)
		}, "phone"},
		{"unknown_type", func() *http.Response {
			return e.api("POST", u.devicesURL(), u.tok, `{"type":"PUSH"}`)
		}, "type"},
		{"operator_email", func() *http.Response {
			return e.api("POST", u.devicesURL(), u.tok, `{"type":"EMAIL","email":{"$ne":""}}`)
		}, "email"},
		{"unknown_attribute", func() *http.Response {
			return e.api("POST", u.devicesURL(), u.tok, `{"type":"EMAIL","email":"h2@example.com","secret":"x"}`)
		}, "secret"},
		{"operator_otp", func() *http.Response {
			return e.apiCT("POST", u.deviceURL(u.first), u.tok, paths.ActionDeviceActivate, `{"otp":{"$ne":""}}`)
		}, "otp"},
		{"oversized_nickname", func() *http.Response {
			return e.api("PUT", nick, u.tok, `{"nickname":"`+strings.Repeat("n", 101)+`"}`)
		}, "nickname"},
		{"operator_nickname", func() *http.Response { return e.api("PUT", nick, u.tok, `{"nickname":{"$ne":""}}`) }, "nickname"},
		{"control_char_nickname", func() *http.Response { return e.api("PUT", nick, u.tok, `{"nickname":"a\u0007b"}`) }, "nickname"},
		{"operator_reorder_id", func() *http.Response {
			return e.apiCT("POST", u.devicesURL(), u.tok, paths.ActionDevicesReorder, `{"order":[{"id":{"$ne":""}}]}`)
		}, "order[0].id"},
	}
	before := u.record(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := deviceErr(t, tt.resp(), 400)
			found := false
			for _, d := range ae.Details {
				found = found || d.Target == tt.target
			}
			if ae.Code != apierr.InvalidData || !found {
				t.Fatalf("want INVALID_DATA about %s, got %+v", tt.target, ae)
			}
		})
	}
	if after := u.record(t); after.Version != before.Version {
		t.Fatalf("a refused request changed the record: %+v", after.Devices)
	}
	got := decode[resource.Device](t, respWant(t, e.api("PUT", nick, u.tok, `{"nickname":"`+strings.Repeat("é", 100)+`"}`), 200))
	if got.Nickname != strings.Repeat("é", 100) {
		t.Fatalf("100-character nickname: %q", got.Nickname)
	}
}

func TestDeviceSetRules(t *testing.T) {
	t.Run("reorder_must_name_every_device_once", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "ivy")
		d := decode[resource.Device](t, respWant(t, u.create("ivy.two@example.com"), 201))
		before := u.record(t)
		for _, order := range [][]string{
			{u.first},
			{u.first, u.first},
			{u.first, d.ID, d.ID},
			{u.first, "0190b7c4-0000-7000-8000-0000000000ff"},
			{},
		} {
			wantStatus(t, u.reorder(order...), 400)
		}
		if after := u.record(t); after.Version != before.Version || after.Devices[0].ID != u.first {
			t.Fatalf("refused reorder changed the record: %+v", after.Devices)
		}
		respWant(t, u.reorder(d.ID, strings.ToUpper(u.first)), 200)
	})
	t.Run("device_cap", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.MFASettings.MaxAllowedDevices = 2 })
		u := newDeviceUser(t, e, "ivy")
		respWant(t, u.create("ivy.two@example.com"), 201)
		ae := deviceErr(t, u.create("ivy.three@example.com"), 400)
		if ae.Code != apierr.RequestFailed || !hasDetail(ae, apierr.DetailLimitExceeded, "") {
			t.Fatalf("over the cap: %+v", ae)
		}
		if n := len(u.list(t)); n != 2 {
			t.Fatalf("%d devices, want 2", n)
		}
	})
	t.Run("last_active_device_under_mfa_policy", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "ivy")
		// A pending device does not count as a usable one.
		respWant(t, u.create("ivy.two@example.com"), 201)
		ae := deviceErr(t, e.api("DELETE", u.deviceURL(u.first), u.tok, ""), 400)
		if ae.Code != apierr.RequestFailed {
			t.Fatalf("deleting the last ACTIVE device: %+v", ae)
		}
		if n := len(u.list(t)); n != 2 {
			t.Fatalf("%d devices, want 2", n)
		}
		// Without an MFA policy the user may remove it.
		changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
		wantStatus(t, e.api("DELETE", u.deviceURL(u.first), u.tok, ""), 204)
	})
	t.Run("user_cannot_create_active", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "ivy")
		d := decode[resource.Device](t, respWant(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"EMAIL","email":"ivy.two@example.com","status":"ACTIVE"}`), 201))
		if d.Status != resource.DeviceActivationRequired {
			t.Fatalf("a user's own device was created %s", d.Status)
		}
	})
}

// TestReducedScopesKeepDeviceWritesOut: with reduced scopes on, a session
// without MFA gets the read scope only — except p1:create:device while the
// user has no active method (pairing the first one needs no MFA); once one
// is active, a password-only session can write nothing.
func TestReducedScopesKeepDeviceWritesOut(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	app, err := e.st.GetApplication(t.Context(), envID, bootstrap.MyAccountClientID(envID))
	if err != nil {
		t.Fatal(err)
	}
	app.ReducedScopes = true
	if err := e.st.UpdateApplication(t.Context(), app); err != nil {
		t.Fatal(err)
	}
	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
	usr := e.createUser("kim", "kim@example.com", userPassword)

	// No device yet: the first one may be paired.
	tr := e.browser().signOnScoped(deviceScopes, "kim", userPassword, "")
	if !strings.Contains(tr.Scope, "p1:read:device") || !strings.Contains(tr.Scope, "p1:create:device") ||
		strings.Contains(tr.Scope, "p1:update:device") || strings.Contains(tr.Scope, "p1:delete:device") {
		t.Fatalf("reduced-scope token without a device: %q", tr.Scope)
	}
	u := &deviceUser{e: e, envID: envID, id: usr.ID, tok: tr.AccessToken}
	respWant(t, u.create("kim.one@example.com"), 201)

	// An active device exists (an administrator made it): password-only
	// sessions now carry no write scope and every write is refused.
	respWant(t, e.api("POST", u.devicesURL(), e.adminToken(), `{"type":"EMAIL","email":"kim.two@example.com","status":"ACTIVE"}`), 201)
	tr = e.browser().signOnScoped(deviceScopes, "kim", userPassword, "")
	if !strings.Contains(tr.Scope, "p1:read:device") || strings.Contains(tr.Scope, "p1:create:device") ||
		strings.Contains(tr.Scope, "p1:update:device") || strings.Contains(tr.Scope, "p1:delete:device") {
		t.Fatalf("reduced-scope token with an active device: %q", tr.Scope)
	}
	u.tok = tr.AccessToken
	if ae := deviceErr(t, u.create("kim.three@example.com"), 403); ae.Code != apierr.InsufficientPermission {
		t.Fatalf("create with a reduced-scope token: %+v", ae)
	}
	if n := len(u.list(t)); n != 2 {
		t.Fatalf("%d devices, want 2", n)
	}
}
