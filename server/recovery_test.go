package server

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

var shownCode = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$`)

func (u *deviceUser) recoveryURL() string { return paths.Build(paths.RecoveryCodes, u.envID, u.id) }

// makeCodes asks for a new recovery-code set as u and returns the codes.
func (u *deviceUser) makeCodes(t *testing.T) []string {
	t.Helper()
	resp := respWant(t, u.e.api("POST", u.recoveryURL(), u.tok, ""), 201)
	if loc := resp.Header.Get("Location"); loc != testPublicURL+u.recoveryURL() {
		t.Errorf("Location %q", loc)
	}
	rc := decode[resource.RecoveryCodes](t, resp)
	if len(rc.Codes) != resource.RecoveryCodeCount || rc.Remaining != resource.RecoveryCodeCount || rc.CreatedAt == nil {
		t.Fatalf("created: %+v", rc)
	}
	for _, c := range rc.Codes {
		if !shownCode.MatchString(c) {
			t.Fatalf("code %q is not xxxxx-xxxxx", c)
		}
	}
	return rc.Codes
}

func (u *deviceUser) remaining(t *testing.T) resource.RecoveryCodes {
	t.Helper()
	body := wantStatus(t, u.e.api("GET", u.recoveryURL(), u.tok, ""), 200)
	if strings.Contains(string(body), `"codes"`) {
		t.Fatalf("GET shows codes: %s", body)
	}
	return decode[resource.RecoveryCodes](t, respOf(body))
}

// respOf wraps a read body again for decode.
func respOf(body []byte) *http.Response {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(string(body)))}
}

// toMFA starts a MyAccount sign-on in a fresh browser and passes the
// password; it returns the browser, the flow id and the flow at its MFA step.
func toMFA(t *testing.T, e *env, username string) (*browser, pkce, string, resource.Flow) {
	t.Helper()
	b := e.browser()
	p := newPKCE()
	id := b.startFlowScoped(p, deviceScopes)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check",
		resource.UsernamePassword{Username: username, Password: userPassword}), 200))
	return b, p, id, f
}

func useCode(b *browser, id, code string) *http.Response {
	return b.action(id, "recoveryCode.check", resource.RecoveryCodeCheck{RecoveryCode: code})
}

func mailsTo(e *env, addr string, from int) []string {
	e.mail.mu.Lock()
	defer e.mail.mu.Unlock()
	var out []string
	for _, m := range e.mail.msgs[from:] {
		if m.To == addr {
			out = append(out, m.Subject+"\n"+m.Text)
		}
	}
	return out
}

func hasEvent(t *testing.T, e *env, userID, action string) store.Event {
	t.Helper()
	es, err := e.st.ListEvents(t.Context(), e.srv.Bootstrap.DefaultEnvID, userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range es {
		if ev.Action == action {
			return ev
		}
	}
	t.Fatalf("no %s event for %s", action, userID)
	return store.Event{}
}

// TestRecoveryCodesLifecycle: a user with MFA makes ten codes (shown once,
// stored hashed, the account told), signs on with one instead of the
// email passcode (amr rec), has nine left, cannot use it again, makes a
// new set (the old codes stop working) and removes it.
func TestRecoveryCodesLifecycle(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "rosa")

	if rc := u.remaining(t); rc.Remaining != 0 || rc.CreatedAt != nil {
		t.Fatalf("before any set: %+v", rc)
	}
	sent := len(e.mail.msgs)
	codes := u.makeCodes(t)
	rec := u.record(t)
	if rec.RecoveryCodes == nil || len(rec.RecoveryCodes.Hashes) != 10 {
		t.Fatalf("stored set: %+v", rec.RecoveryCodes)
	}
	raw, _ := json.Marshal(rec)
	stored := string(raw)
	for _, c := range codes {
		if strings.Contains(stored, c) || strings.Contains(stored, strings.ReplaceAll(c, "-", "")) {
			t.Fatalf("the record holds code %s", c)
		}
	}
	notices := mailsTo(e, "rosa@example.com", sent)
	if len(notices) != 1 || !strings.Contains(notices[0], "recovery codes were created") {
		t.Fatalf("notices to the account: %q", notices)
	}
	for _, m := range e.mail.msgs[sent:] {
		for _, c := range codes {
			if strings.Contains(m.Text, c) {
				t.Fatal("a code was mailed")
			}
		}
	}
	if ev := hasEvent(t, e, u.id, audit.ActionRecoveryCodesCreated); ev.Details["replaced"] != "false" {
		t.Errorf("created event: %+v", ev)
	}
	if rc := u.remaining(t); rc.Remaining != 10 || rc.CreatedAt == nil {
		t.Fatalf("after create: %+v", rc)
	}

	// Sign on with a code instead of the passcode mailed to the device,
	// typed loosely.
	b, p, id, f := toMFA(t, e, "rosa")
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("status %s", f.Status)
	}
	if _, ok := f.Links[resource.ActionRecoveryCodeCheck]; !ok {
		t.Fatalf("the flow does not offer recoveryCode.check: %v", f.Links)
	}
	sent = len(e.mail.msgs)
	f = decode[resource.Flow](t, respWant(t, useCode(b, id, " "+strings.ToUpper(codes[2])+" "), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after the code: %+v", f)
	}
	tr := b.resume(f.ResumeURL, p)
	if amr := claimsOf(t, tr.AccessToken).AMR; !slices.Contains(amr, "mfa") || !slices.Contains(amr, "rec") {
		t.Fatalf("amr %v, want mfa and rec", amr)
	}
	notices = mailsTo(e, "rosa@example.com", sent)
	if len(notices) != 1 || !strings.Contains(notices[0], "You have 9 recovery codes left.") {
		t.Fatalf("notices after use: %q", notices)
	}
	if ev := hasEvent(t, e, u.id, audit.ActionRecoveryCodeUsed); ev.Details["remaining"] != "9" || ev.Outcome != audit.OutcomeSuccess {
		t.Errorf("used event: %+v", ev)
	}
	if rc := u.remaining(t); rc.Remaining != 9 {
		t.Fatalf("after use: %+v", rc)
	}

	// The same code again, in a new flow: wrong, counted.
	b, _, id, _ = toMFA(t, e, "rosa")
	ae := deviceErr(t, useCode(b, id, codes[2]), 400)
	if ae.Code != apierr.InvalidData || !hasDetail(ae, apierr.DetailInvalidOTP, "recoveryCode") ||
		ae.Details[0].InnerError["attemptsRemaining"] != float64(2) {
		t.Fatalf("replayed code: %+v", ae)
	}

	// A new set replaces the old one.
	fresh := u.makeCodes(t)
	if ev := hasEvent(t, e, u.id, audit.ActionRecoveryCodesCreated); ev.Details["replaced"] != "true" {
		t.Errorf("replaced event: %+v", ev)
	}
	ae = deviceErr(t, useCode(b, id, codes[3]), 400)
	if !hasDetail(ae, apierr.DetailInvalidOTP, "recoveryCode") {
		t.Fatalf("an old code after a new set: %+v", ae)
	}
	f = decode[resource.Flow](t, respWant(t, useCode(b, id, fresh[0]), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("new code: %+v", f)
	}

	// Removed: nothing left, nothing offered.
	wantStatus(t, e.api("DELETE", u.recoveryURL(), u.tok, ""), 204)
	hasEvent(t, e, u.id, audit.ActionRecoveryCodesDeleted)
	if rc := u.remaining(t); rc.Remaining != 0 || rc.CreatedAt != nil {
		t.Fatalf("after delete: %+v", rc)
	}
	wantStatus(t, e.api("DELETE", u.recoveryURL(), u.tok, ""), 404)
	b, _, id, f = toMFA(t, e, "rosa")
	if _, ok := f.Links[resource.ActionRecoveryCodeCheck]; ok {
		t.Fatal("a flow offers recovery codes to a user without any")
	}
	if ae := deviceErr(t, useCode(b, id, fresh[1]), 400); ae.Code != apierr.RequestFailed {
		t.Fatalf("code without a set: %+v", ae)
	}
}

func TestRecoveryCodesAccess(t *testing.T) {
	t.Run("another_users_codes_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		bob := newDeviceUser(t, e, "bob")
		bob.makeCodes(t)
		before := bob.record(t)
		for _, method := range []string{"GET", "POST", "DELETE"} {
			t.Run(method, func(t *testing.T) {
				wantStatus(t, e.api(method, bob.recoveryURL(), alice.tok, ""), 404)
			})
		}
		if after := bob.record(t); after.Version != before.Version || len(after.RecoveryCodes.Hashes) != 10 {
			t.Fatalf("bob's record changed: %+v", after.RecoveryCodes)
		}
		if alice.record(t).RecoveryCodes != nil {
			t.Fatal("alice got codes")
		}
	})
	t.Run("another_environment_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		other := paths.Build(paths.RecoveryCodes, e.srv.Bootstrap.AdminEnvID, alice.id)
		for _, method := range []string{"GET", "POST", "DELETE"} {
			wantStatus(t, e.api(method, other, alice.tok, ""), 404)
		}
		if alice.record(t).RecoveryCodes != nil {
			t.Fatal("codes made")
		}
	})
	t.Run("missing_scope_403", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		alice.makeCodes(t)
		tr := e.browser().signOnScoped("openid p1:read:device", "alice", userPassword, "alice.one@example.com")
		for _, method := range []string{"POST", "DELETE"} {
			ae := deviceErr(t, e.api(method, alice.recoveryURL(), tr.AccessToken, ""), 403)
			if ae.Code != apierr.InsufficientPermission || hasDetail(ae, apierr.DetailMFARequired, "") {
				t.Fatalf("%s without scope: %+v", method, ae)
			}
		}
		respWant(t, e.api("GET", alice.recoveryURL(), tr.AccessToken, ""), 200)
		tr = e.browser().signOnScoped("openid", "alice", userPassword, "alice.one@example.com")
		wantStatus(t, e.api("GET", alice.recoveryURL(), tr.AccessToken, ""), 403)
	})
	t.Run("stale_mfa_403", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		codes := alice.makeCodes(t)
		before := alice.record(t)
		alice.setSessionMFA(t, e.clock.Now().Add(-11*time.Minute))
		for _, method := range []string{"POST", "DELETE"} {
			if ae := deviceErr(t, e.api(method, alice.recoveryURL(), alice.tok, ""), 403); !hasDetail(ae, apierr.DetailMFARequired, "") {
				t.Fatalf("%s with stale MFA: %+v", method, ae)
			}
		}
		if after := alice.record(t); after.Version != before.Version {
			t.Fatal("a refused request changed the record")
		}
		// The old codes still work.
		b, _, id, _ := toMFA(t, e, "alice")
		respWant(t, useCode(b, id, codes[0]), 200)
	})
	t.Run("password_only_session", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
		usr := e.createUser("frank", "frank@example.com", userPassword)
		tr := e.browser().signOnScoped(deviceScopes, "frank", userPassword, "")
		u := &deviceUser{e: e, envID: e.srv.Bootstrap.DefaultEnvID, id: usr.ID, tok: tr.AccessToken}
		// No device: codes need one (no first-device exception).
		if ae := deviceErr(t, e.api("POST", u.recoveryURL(), u.tok, ""), 400); ae.Code != apierr.RequestFailed ||
			!hasDetail(ae, apierr.DetailNoUsableDevices, "devices") {
			t.Fatalf("codes without a device: %+v", ae)
		}
		// With a device, a password-only session may not make codes.
		respWant(t, e.api("POST", u.devicesURL(), e.adminToken(), `{"type":"EMAIL","email":"frank.one@example.com","status":"ACTIVE"}`), 201)
		if ae := deviceErr(t, e.api("POST", u.recoveryURL(), u.tok, ""), 403); !hasDetail(ae, apierr.DetailMFARequired, "") {
			t.Fatalf("password-only session: %+v", ae)
		}
		if u.record(t).RecoveryCodes != nil {
			t.Fatal("codes made")
		}
	})
	t.Run("administrators", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		admin := e.adminToken()
		if ae := deviceErr(t, e.api("POST", alice.recoveryURL(), admin, ""), 403); ae.Code != apierr.InsufficientPermission {
			t.Fatalf("admin creates codes: %+v", ae)
		}
		if alice.record(t).RecoveryCodes != nil {
			t.Fatal("an administrator made codes")
		}
		alice.makeCodes(t)
		body := wantStatus(t, e.api("GET", alice.recoveryURL(), admin, ""), 200)
		if rc := decode[resource.RecoveryCodes](t, respOf(body)); rc.Remaining != 10 || strings.Contains(string(body), `"codes"`) {
			t.Fatalf("admin read: %s", body)
		}
		wantStatus(t, e.api("DELETE", alice.recoveryURL(), admin, ""), 204)
		if alice.record(t).RecoveryCodes != nil {
			t.Fatal("codes left after an administrator removed them")
		}
	})
	t.Run("bad_body", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		if ae := deviceErr(t, e.api("POST", alice.recoveryURL(), alice.tok, `{"count":20}`), 400); !hasDetail(ae, apierr.DetailUnknownAttribute, "count") &&
			!hasDetail(ae, apierr.DetailInvalidValue, "count") {
			t.Fatalf("unknown attribute: %+v", ae)
		}
		wantStatus(t, e.apiCT("POST", alice.recoveryURL(), alice.tok, "text/plain", "{}"), 415)
		respWant(t, e.api("POST", alice.recoveryURL(), alice.tok, "{}"), 201)
	})
}

func TestRecoveryCodeSignOnUnhappy(t *testing.T) {
	setup := func(t *testing.T) (*env, *deviceUser, []string) {
		t.Helper()
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "gus")
		return e, u, u.makeCodes(t)
	}
	t.Run("malformed_not_counted", func(t *testing.T) {
		e, u, _ := setup(t)
		b, _, id, _ := toMFA(t, e, "gus")
		before := u.record(t)
		for _, bad := range []string{"abcde", "abcde-fghju", "abcde-fghjk-mnpqr", strings.Repeat("a", 100)} {
			ae := deviceErr(t, useCode(b, id, bad), 400)
			if ae.Code != apierr.InvalidData || !hasDetail(ae, apierr.DetailInvalidValue, "recoveryCode") {
				t.Fatalf("malformed %q: %+v", bad, ae)
			}
		}
		wantStatus(t, b.do("POST", b.flowURL(id), paths.ActionRecoveryCodeCheck, strings.NewReader(`{"recoveryCode":{"$ne":""}}`)), 400)
		if after := u.record(t); after.Version != before.Version {
			t.Fatal("a malformed code changed the record")
		}
		ae := deviceErr(t, useCode(b, id, "zzzzz-zzzzz"), 400)
		if ae.Details[0].InnerError["attemptsRemaining"] != float64(2) {
			t.Fatalf("malformed codes were counted: %+v", ae)
		}
	})
	t.Run("brute_force_locks", func(t *testing.T) {
		e, _, codes := setup(t)
		b, _, id, _ := toMFA(t, e, "gus")
		// A wrong passcode and wrong codes share one per-user counter.
		respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: wrongCode(e.mail.lastOTP(t, "gus.one@example.com"))}), 400)
		ae := deviceErr(t, useCode(b, id, "zzzzz-zzzzz"), 400)
		if ae.Details[0].InnerError["attemptsRemaining"] != float64(1) {
			t.Fatalf("second failure: %+v", ae)
		}
		resp := useCode(b, id, "yyyyy-yyyyy")
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("third failure: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// Locked: even a right code, in another flow, is refused and not spent.
		b2, _, id2, _ := toMFA(t, e, "gus")
		wantStatus(t, useCode(b2, id2, codes[0]), 429)
		e.clock.Add(121 * time.Second)
		f := decode[resource.Flow](t, respWant(t, useCode(b2, id2, codes[0]), 200))
		if f.Status != resource.FlowCompleted {
			t.Fatalf("after the cool-down: %+v", f)
		}
	})
	t.Run("device_selection", func(t *testing.T) {
		e, u, codes := setup(t)
		d := decode[resource.Device](t, respWant(t, u.create("gus.two@example.com"), 201))
		respWant(t, u.activate(d.ID, e.mail.lastOTP(t, "gus.two@example.com")), 200)
		changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.DeviceSelection = resource.SelectPrompt })
		b, _, id, f := toMFA(t, e, "gus")
		if f.Status != resource.FlowDeviceSelectionRequired {
			t.Fatalf("status %s", f.Status)
		}
		if _, ok := f.Links[resource.ActionRecoveryCodeCheck]; !ok {
			t.Fatalf("selection does not offer recoveryCode.check: %v", f.Links)
		}
		f = decode[resource.Flow](t, respWant(t, useCode(b, id, codes[9]), 200))
		if f.Status != resource.FlowCompleted {
			t.Fatalf("after the code: %+v", f)
		}
	})
	t.Run("policy_disables", func(t *testing.T) {
		e, _, codes := setup(t)
		putDefaultPolicy(t, e, strings.Replace(policyBody(resource.SelectDefaultToFirst, "email"),
			`"email"`, `"recoveryCodes":{"enabled":false},"email"`, 1))
		b, _, id, f := toMFA(t, e, "gus")
		if _, ok := f.Links[resource.ActionRecoveryCodeCheck]; ok {
			t.Fatalf("a policy without recovery codes offers them: %v", f.Links)
		}
		if ae := deviceErr(t, useCode(b, id, codes[0]), 400); ae.Code != apierr.RequestFailed {
			t.Fatalf("code under a policy without recovery codes: %+v", ae)
		}
	})
	t.Run("not_while_enrolling", func(t *testing.T) {
		e, u, codes := setup(t)
		// An administrator removes the user's only device: the codes stay,
		// but they stand in for a device, and there is none to stand in for.
		wantStatus(t, e.api("DELETE", u.deviceURL(u.first), e.adminToken(), ""), 204)
		b, _, id, f := toMFA(t, e, "gus")
		if f.Status != resource.FlowMFAEnrollmentRequired {
			t.Fatalf("status %s", f.Status)
		}
		if _, ok := f.Links[resource.ActionRecoveryCodeCheck]; ok {
			t.Fatal("enrollment offers recoveryCode.check")
		}
		if ae := deviceErr(t, useCode(b, id, codes[0]), 400); ae.Code != apierr.InvalidRequest {
			t.Fatalf("code while enrolling: %+v", ae)
		}
		// Nor while a first email is being enrolled (OTP_REQUIRED).
		f = decode[resource.Flow](t, respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: "gus.new@example.com"}), 200))
		if _, ok := f.Links[resource.ActionRecoveryCodeCheck]; ok || f.Status != resource.FlowOTPRequired {
			t.Fatalf("enrollment passcode step: %+v", f)
		}
		if ae := deviceErr(t, useCode(b, id, codes[0]), 400); ae.Code != apierr.RequestFailed {
			t.Fatalf("code while enrolling an email: %+v", ae)
		}
		if n := len(u.record(t).RecoveryCodes.Hashes); n != 10 {
			t.Fatalf("%d codes left, want 10", n)
		}
	})
	t.Run("parallel_uses_one_wins", func(t *testing.T) {
		e, u, codes := setup(t)
		const n = 20
		type flow struct {
			b  *browser
			id string
		}
		flows := make([]flow, n)
		for i := range flows {
			b, _, id, _ := toMFA(t, e, "gus")
			flows[i] = flow{b, id}
		}
		status := make([]int, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range flows {
			wg.Go(func() {
				<-start
				resp := useCode(flows[i].b, flows[i].id, codes[5])
				io.Copy(io.Discard, resp.Body)
				status[i] = resp.StatusCode
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, s := range status {
			switch s {
			case 200:
				ok++
			case 400, 429: // the code was gone; or, past three, the user's limiter
			default:
				t.Errorf("status %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d parallel uses of one code succeeded (%v), want 1", ok, n, status)
		}
		if left := len(u.record(t).RecoveryCodes.Hashes); left != 9 {
			t.Fatalf("%d codes left, want 9", left)
		}
	})
}
