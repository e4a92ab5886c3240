package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/totp"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// putDefaultPolicy replaces the Default environment's default device
// authentication policy through the API.
func putDefaultPolicy(t *testing.T, e *env, body string) {
	t.Helper()
	envID := e.srv.Bootstrap.DefaultEnvID
	respWant(t, e.api("PUT", paths.Build(paths.DeviceAuthPolicy, envID, mfapolicy.DefaultID(envID)), e.adminToken(), body), 200)
}

// putMFASettings reads the Default environment's MFA settings, lets change
// edit them and puts them back through the API.
func putMFASettings(t *testing.T, e *env, change func(m map[string]any)) {
	t.Helper()
	path := paths.Build(paths.MFASettings, e.srv.Bootstrap.DefaultEnvID)
	tok := e.adminToken()
	m := decode[map[string]any](t, respWant(t, e.api("GET", path, tok, ""), 200))
	change(m)
	body, _ := json.Marshal(m)
	respWant(t, e.api("PUT", path, tok, string(body)), 200)
}

// policyBody is a default-policy body enabling the given methods.
func policyBody(selection string, methods ...string) string {
	p := map[string]any{"name": "Default", "authentication": map[string]string{"deviceSelection": selection}}
	for _, f := range []string{"sms", "voice", "email", "totp", "fido2"} {
		p[f] = map[string]bool{"enabled": false}
	}
	for _, m := range methods {
		p[m] = map[string]bool{"enabled": true}
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// passwordStep signs name on with the password and returns the answer.
func passwordStep(t *testing.T, e *env, name string) (*browser, string, *http.Response) {
	t.Helper()
	b := e.browser()
	id := b.startFlowScoped(newPKCE(), deviceScopes)
	return b, id, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: name, Password: userPassword})
}

// wantNoUsableDevices checks the password step failed the flow with
// NO_USABLE_DEVICES rather than offering enrollment.
func wantNoUsableDevices(t *testing.T, e *env, name string) {
	t.Helper()
	b, id, resp := passwordStep(t, e, name)
	ae := deviceErr(t, resp, 400)
	if ae.Code != apierr.RequestFailed || !hasDetail(ae, apierr.DetailNoUsableDevices, "devices") {
		t.Fatalf("want NO_USABLE_DEVICES, got %+v", ae)
	}
	if f := decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(id), "", nil), 200)); f.Status != resource.FlowFailed {
		t.Fatalf("flow %s, want FAILED", f.Status)
	}
}

// TestSignOnHonoursPolicyMethods: a type the default policy disables is
// never challenged nor listed; with nothing left to challenge, the user
// gets NO_USABLE_DEVICES (not enrollment of another email device).
func TestSignOnHonoursPolicyMethods(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "pia")
	d, _ := pairTOTP(t, e, u)
	putDefaultPolicy(t, e, policyBody(resource.SelectDefaultToFirst, "sms", "totp"))

	sent := len(e.mail.msgs)
	_, _, f := totpFlow(t, e, "pia")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != d.ID ||
		len(f.Embedded.Devices) != 1 || f.Embedded.Devices[0].ID != d.ID {
		t.Fatalf("flow under a policy without email: %+v", f)
	}
	if len(e.mail.msgs) != sent {
		t.Fatal("a passcode went to the disabled email device")
	}

	// The MFA settings narrow the policy further: without TOTP there,
	// pia's devices are all out of reach.
	changeEnv(t, e, func(env *store.Environment) {
		env.MFASettings.Methods = []string{resource.DeviceEmail, resource.DeviceSMS}
	})
	wantNoUsableDevices(t, e, "pia")
}

// TestExcludeEmailFromSignOn: email devices are not challenged and nobody
// is enrolled with email during sign-on, while a user (with a recent MFA)
// can still pair an email device by its mailed passcode.
func TestExcludeEmailFromSignOn(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "pia")
	e.createUser("newbie", "newbie@example.com", userPassword)
	putMFASettings(t, e, func(m map[string]any) { m["excludeEmailFromSignOn"] = true })

	// Pairing by email still works.
	d := decode[resource.Device](t, respWant(t, u.create("pia.two@example.com"), 201))
	respWant(t, u.activate(d.ID, e.mail.lastOTP(t, "pia.two@example.com")), 200)

	wantNoUsableDevices(t, e, "pia")
	wantNoUsableDevices(t, e, "newbie")

	// An authenticator app is challenged, without a choice of the emails.
	u.setSessionMFA(t, e.clock.Now())
	app, _ := pairTOTP(t, e, u)
	_, _, f := totpFlow(t, e, "pia")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != app.ID || len(f.Embedded.Devices) != 1 {
		t.Fatalf("flow: %+v", f)
	}
}

// TestDeviceSelectionModes: DEFAULT_TO_FIRST challenges the default device,
// PROMPT_TO_SELECT asks when there is a choice, ALWAYS_DISPLAY_DEVICES asks
// even with one device.
func TestDeviceSelectionModes(t *testing.T) {
	tests := []struct {
		name    string
		mode    string
		devices int
		want    string
	}{
		{"first_with_two", resource.SelectDefaultToFirst, 2, resource.FlowOTPRequired},
		{"prompt_with_one", resource.SelectPrompt, 1, resource.FlowOTPRequired},
		{"prompt_with_two", resource.SelectPrompt, 2, resource.FlowDeviceSelectionRequired},
		{"always_with_one", resource.SelectAlwaysDisplay, 1, resource.FlowDeviceSelectionRequired},
		{"always_with_two", resource.SelectAlwaysDisplay, 2, resource.FlowDeviceSelectionRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSQLiteEnv(t)
			u := newDeviceUser(t, e, "pia")
			if tt.devices == 2 {
				d := decode[resource.Device](t, respWant(t, u.create("pia.two@example.com"), 201))
				respWant(t, u.activate(d.ID, e.mail.lastOTP(t, "pia.two@example.com")), 200)
			}
			putDefaultPolicy(t, e, policyBody(tt.mode, "email", "totp"))
			b, id, resp := passwordStep(t, e, "pia")
			f := decode[resource.Flow](t, respWant(t, resp, 200))
			if f.Status != tt.want || len(f.Embedded.Devices) != tt.devices {
				t.Fatalf("flow %s with %d devices, want %s with %d", f.Status, len(f.Embedded.Devices), tt.want, tt.devices)
			}
			if f.Status == resource.FlowOTPRequired {
				if f.SelectedDevice == nil || f.SelectedDevice.ID != u.first {
					t.Fatalf("challenged %+v, want the default device %s", f.SelectedDevice, u.first)
				}
				return
			}
			last := f.Embedded.Devices[len(f.Embedded.Devices)-1]
			f = decode[resource.Flow](t, respWant(t, b.action(id, "device.select", resource.DeviceSelect{Device: resource.Ref{ID: last.ID}}), 200))
			if f.Status != resource.FlowOTPRequired || f.SelectedDevice.ID != last.ID {
				t.Fatalf("after select: %+v", f)
			}
			addr := "pia.one@example.com"
			if tt.devices == 2 {
				addr = "pia.two@example.com"
			}
			f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: e.mail.lastOTP(t, addr)}), 200))
			if f.Status != resource.FlowCompleted {
				t.Fatalf("flow: %+v", f)
			}
		})
	}
}

// TestPolicyOTPFailureRule: the default policy's own failure count
// replaces the MFA settings' (3).
func TestPolicyOTPFailureRule(t *testing.T) {
	e := newSQLiteEnv(t)
	newDeviceUser(t, e, "pia")
	putDefaultPolicy(t, e, `{"name":"Default","sms":{"enabled":true},"voice":{"enabled":true},"email":{"enabled":true},`+
		`"totp":{"enabled":true},"fido2":{"enabled":true},"otp":{"failure":{"count":2,"coolDown":{"duration":45,"timeUnit":"SECONDS"}}}}`)
	b, id, resp := passwordStep(t, e, "pia")
	respWant(t, resp, 200)
	code := e.mail.lastOTP(t, "pia.one@example.com")
	ae := deviceErr(t, b.action(id, "otp.check", resource.OTPCheck{OTP: wrongCode(code)}), 400)
	if ae.Details[0].InnerError["attemptsRemaining"] != float64(1) {
		t.Fatalf("first wrong code: %+v", ae)
	}
	resp = b.action(id, "otp.check", resource.OTPCheck{OTP: wrongCode(code)})
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "45" {
		t.Fatalf("second wrong code: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 429)
	e.clock.Add(46 * time.Second)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after the cool-down: %+v", f)
	}
}

// TestMFALockout: failures in several flows add up to the account-wide
// lockout, which is audited and holds the right code back until its window
// ends.
func TestMFALockout(t *testing.T) {
	e := newSQLiteEnv(t)
	newDeviceUser(t, e, "pia")
	putMFASettings(t, e, func(m map[string]any) {
		m["otp"].(map[string]any)["failureCount"] = 7
		m["lockout"] = map[string]any{"failureCount": 4, "durationSeconds": 600}
	})
	for i, wantLeft := range []float64{3, 2, 1} {
		b, id, resp := passwordStep(t, e, "pia")
		respWant(t, resp, 200)
		code := e.mail.lastOTP(t, "pia.one@example.com")
		ae := deviceErr(t, b.action(id, "otp.check", resource.OTPCheck{OTP: wrongCode(code)}), 400)
		if ae.Details[0].InnerError["attemptsRemaining"] != wantLeft {
			t.Fatalf("failure %d: %+v, want %v attempts left", i+1, ae, wantLeft)
		}
	}
	b, id, resp := passwordStep(t, e, "pia")
	respWant(t, resp, 200)
	code := e.mail.lastOTP(t, "pia.one@example.com")
	wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: wrongCode(code)}), 429)
	wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 429)
	evs, err := e.st.ListEvents(t.Context(), e.srv.Bootstrap.DefaultEnvID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	locked := 0
	for _, ev := range evs {
		if ev.Action == audit.ActionAccountLocked {
			locked++
		}
	}
	if locked != 1 {
		t.Fatalf("%d ACCOUNT_LOCKED events, want 1", locked)
	}
	e.clock.Add(10 * time.Minute)
	b, id, resp = passwordStep(t, e, "pia")
	respWant(t, resp, 200)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: e.mail.lastOTP(t, "pia.one@example.com")}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after the lockout: %+v", f)
	}
}

// TestTOTPGraceWindow: mfaSettings.totp.timeWindowSteps is the grace window
// at pairing and at sign-on.
func TestTOTPGraceWindow(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "pia")
	putMFASettings(t, e, func(m map[string]any) { m["totp"] = map[string]any{"timeWindowSteps": 0} })
	codeAt := func(secret string, steps int) string {
		c, err := totp.Code(secret, e.clock.Now().Add(time.Duration(steps)*30*time.Second), totp.Params{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	// Pairing: the previous step's code is outside a window of 0.
	d := u.createTOTP(t)
	ae := deviceErr(t, u.activate(d.ID, codeAt(d.Secret, -1)), 400)
	if !hasDetail(ae, apierr.DetailInvalidOTP, "otp") {
		t.Fatalf("activation with last step's code: %+v", ae)
	}
	respWant(t, u.activate(d.ID, codeAt(d.Secret, 0)), 200)
	respWant(t, u.reorder(d.ID, u.first), 200)

	e.clock.Add(5 * 30 * time.Second)
	b, id, f := totpFlow(t, e, "pia")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice.ID != d.ID {
		t.Fatalf("flow: %+v", f)
	}
	wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: codeAt(d.Secret, -1)}), 400)
	respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: codeAt(d.Secret, 0)}), 200)

	// A window of 2 takes a code two steps old.
	putMFASettings(t, e, func(m map[string]any) { m["totp"] = map[string]any{"timeWindowSteps": 2} })
	e.clock.Add(3 * 30 * time.Second)
	b, id, _ = totpFlow(t, e, "pia")
	f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: codeAt(d.Secret, -2)}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow: %+v", f)
	}
}

// TestPolicyChangedBeforeCheck: a code for a device the policy stopped
// allowing after the challenge does not complete the sign-on.
func TestPolicyChangedBeforeCheck(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "pia")
	d, secret := pairTOTP(t, e, u)
	respWant(t, u.reorder(d.ID, u.first), 200)
	e.clock.Add(30 * time.Second)
	b, id, f := totpFlow(t, e, "pia")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice.ID != d.ID {
		t.Fatalf("flow: %+v", f)
	}
	putDefaultPolicy(t, e, policyBody(resource.SelectDefaultToFirst, "email"))
	ae := deviceErr(t, b.action(id, "otp.check", resource.OTPCheck{OTP: totpCode(t, e, secret)}), 404)
	if ae.Code != apierr.NotFound {
		t.Fatalf("%+v", ae)
	}
	if f := decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(id), "", nil), 200)); f.Status == resource.FlowCompleted {
		t.Fatal("flow completed")
	}
}
