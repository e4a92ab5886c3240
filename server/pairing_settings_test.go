package server

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/manage"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// setPairingDisabled turns mfaSettings.pairing.disabled on or off through
// the API, the rest of the settings as they are.
func setPairingDisabled(t *testing.T, e *env, on bool) {
	t.Helper()
	putMFASettings(t, e, func(m map[string]any) { m["pairing"].(map[string]any)["disabled"] = on })
}

// wantPairingDisabled checks resp is the 403 of a user pairing while
// pairing is disabled.
func wantPairingDisabled(t *testing.T, resp *http.Response) {
	t.Helper()
	ae := deviceErr(t, resp, http.StatusForbidden)
	if ae.Code != apierr.InsufficientPermission || ae.Message == "" ||
		!hasDetail(ae, apierr.DetailPairingDisabled, "mfaSettings.pairing.disabled") {
		t.Fatalf("want INSUFFICIENT_PERMISSIONS with PAIRING_DISABLED, got %+v", ae)
	}
}

func mailCount(e *env) int {
	e.mail.mu.Lock()
	defer e.mail.mu.Unlock()
	return len(e.mail.msgs)
}

func (u *deviceUser) resend(id string) *http.Response {
	return u.e.apiCT("POST", u.deviceURL(id), u.tok, paths.ActionDeviceSendCode, "")
}

// TestPairingDisabled: with mfaSettings.pairing.disabled on, a user with a
// device may not create, activate or resend one (nothing changes, nothing
// is sent), while an administrator still adds devices for them, sign-on
// still enrolls a newcomer's first device, and turning it off restores
// pairing.
func TestPairingDisabled(t *testing.T) {
	e := newSQLiteEnv(t)
	alice := newDeviceUser(t, e, "alice")
	pending := decode[resource.Device](t, respWant(t, alice.create("alice.two@example.com"), 201))
	code := e.mail.lastOTP(t, "alice.two@example.com")
	setPairingDisabled(t, e, true)

	before, sent := alice.record(t), mailCount(e)
	for _, tc := range []struct {
		name string
		resp func() *http.Response
	}{
		{name: "create_email", resp: func() *http.Response { return alice.create("alice.three@example.com") }},
		{name: "create_sms", resp: func() *http.Response {
			return e.api("POST", alice.devicesURL(), alice.tok, `{"type":"SMS","phone":"+33612345678"}`)
		}},
		{name: "create_totp", resp: func() *http.Response {
			return e.api("POST", alice.devicesURL(), alice.tok, `{"type":"TOTP","nickname":"Phone"}`)
		}},
		{name: "create_fido2", resp: func() *http.Response {
			return e.api("POST", alice.devicesURL(), alice.tok, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		}},
		// A device left pending before the switch is not paired after it.
		{name: "activate_pending", resp: func() *http.Response { return alice.activate(pending.ID, code) }},
		{name: "resend_pending", resp: func() *http.Response { return alice.resend(pending.ID) }},
	} {
		t.Run(tc.name, func(t *testing.T) { wantPairingDisabled(t, tc.resp()) })
	}
	after := alice.record(t)
	if after.Version != before.Version || len(after.Devices) != 2 || after.Devices[1].Status != resource.DeviceActivationRequired {
		t.Fatalf("record changed: version %d → %d, devices %+v", before.Version, after.Version, after.Devices)
	}
	if n := mailCount(e); n != sent {
		t.Fatalf("%d messages sent while pairing is disabled", n-sent)
	}

	// The step-up does not hide the reason: a stale session hears about
	// the switch, not about MFA it could never use.
	alice.setSessionMFA(t, e.clock.Now().Add(-24*time.Hour))
	wantPairingDisabled(t, alice.create("alice.four@example.com"))

	// Renaming, reordering and removing are not pairing.
	alice.setSessionMFA(t, e.clock.Now())
	respWant(t, e.api("PUT", paths.Build(paths.DeviceNickname, alice.envID, alice.id, alice.first), alice.tok, `{"nickname":"Home"}`), 200)
	wantStatus(t, e.api("DELETE", alice.deviceURL(pending.ID), alice.tok, ""), 204)

	// Administrators still pair devices for users.
	admin := e.adminToken()
	d := decode[resource.Device](t, respWant(t, e.api("POST", alice.devicesURL(), admin,
		`{"type":"EMAIL","email":"alice.admin@example.com","status":"ACTIVE","nickname":"Set up by IT"}`), 201))
	if d.Status != resource.DeviceActive || d.Nickname != "Set up by IT" {
		t.Fatalf("admin create: %+v", d)
	}
	p := decode[resource.Device](t, respWant(t, e.api("POST", alice.devicesURL(), admin, `{"type":"EMAIL","email":"alice.five@example.com"}`), 201))
	respWant(t, e.apiCT("POST", alice.deviceURL(p.ID), admin, paths.ActionDeviceActivate,
		`{"otp":"`+e.mail.lastOTP(t, "alice.five@example.com")+`"}`), 200)
	if n := len(alice.list(t)); n != 3 {
		t.Fatalf("%d devices after the administrator's, want 3", n)
	}

	// Enrollment during sign-on pairs a newcomer's first device anyway.
	carol := newDeviceUser(t, e, "carol")
	wantPairingDisabled(t, carol.create("carol.two@example.com"))

	setPairingDisabled(t, e, false)
	respWant(t, carol.create("carol.two@example.com"), 201)
}

// TestPairingDisabledFirstDevice: a user with no ACTIVE device may pair one
// while pairing is disabled (or nobody could start), but only one: a
// second pending device made meanwhile is refused activation once the
// first is paired.
func TestPairingDisabledFirstDevice(t *testing.T) {
	e := newSQLiteEnv(t)
	setPairingDisabled(t, e, true)
	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
	usr := e.createUser("frank", "frank@example.com", userPassword)
	tr := e.browser().signOnScoped(deviceScopes, "frank", userPassword, "")
	u := &deviceUser{e: e, envID: e.srv.Bootstrap.DefaultEnvID, id: usr.ID, tok: tr.AccessToken}

	one := decode[resource.Device](t, respWant(t, u.create("frank.one@example.com"), 201))
	two := decode[resource.Device](t, respWant(t, u.create("frank.two@example.com"), 201))
	e.clock.Add(manage.ResendInterval)
	wantStatus(t, u.resend(one.ID), http.StatusNoContent)
	respWant(t, u.activate(one.ID, e.mail.lastOTP(t, "frank.one@example.com")), 200)

	wantPairingDisabled(t, u.activate(two.ID, e.mail.lastOTP(t, "frank.two@example.com")))
	wantPairingDisabled(t, u.create("frank.three@example.com"))
	ds := u.list(t)
	if len(ds) != 2 || ds[0].Status != resource.DeviceActive || ds[1].Status != resource.DeviceActivationRequired {
		t.Fatalf("devices: %+v", ds)
	}
}

// TestMFASettingsPairingDisabled: pairing.disabled round-trips, is
// optional on PUT (an older body leaves it as it is), and a bad value is
// refused with nothing saved.
func TestMFASettingsPairingDisabled(t *testing.T) {
	e := newSQLiteEnv(t)
	path := paths.Build(paths.MFASettings, e.srv.Bootstrap.DefaultEnvID)
	tok := e.adminToken()
	get := func() resource.MFASettings {
		t.Helper()
		return decode[resource.MFASettings](t, respWant(t, e.api("GET", path, tok, ""), 200))
	}
	if s := get(); s.Pairing.Disabled {
		t.Fatal("pairing disabled by default")
	}
	const old = `{"otp":{"length":6,"lifetimeSeconds":600,"failureCount":3,"coolDownSeconds":120},` +
		`"methods":["EMAIL","SMS","VOICE","TOTP","FIDO2"],"pairing":{"maxAllowedDevices":%d%s}}`
	body := func(max int, extra string) string { return fmt.Sprintf(old, max, extra) }

	s := decode[resource.MFASettings](t, respWant(t, e.api("PUT", path, tok, body(5, `,"disabled":true`)), 200))
	if !s.Pairing.Disabled || !get().Pairing.Disabled {
		t.Fatalf("PUT disabled true: answered %+v, stored %+v", s.Pairing, get().Pairing)
	}
	// The first shape of the body, without disabled: kept.
	s = decode[resource.MFASettings](t, respWant(t, e.api("PUT", path, tok, body(4, "")), 200))
	if !s.Pairing.Disabled || s.Pairing.MaxAllowedDevices != 4 {
		t.Fatalf("PUT without disabled: %+v", s.Pairing)
	}

	tests := []struct {
		name, extra string
		target      string
	}{
		{name: "string", extra: `,"disabled":"yes"`, target: "pairing.disabled"},
		{name: "number", extra: `,"disabled":0`, target: "pairing.disabled"},
		{name: "null", extra: `,"disabled":null`, target: "pairing.disabled"},
		{name: "unknown_sibling", extra: `,"disabled":false,"pairingDisabled":false`, target: "pairing.pairingDisabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := deviceErr(t, e.api("PUT", path, tok, body(9, tt.extra)), 400)
			if ae.Code != apierr.InvalidData || !hasTarget(ae, tt.target) {
				t.Fatalf("want INVALID_DATA on %s, got %+v", tt.target, ae)
			}
			if g := get(); !g.Pairing.Disabled || g.Pairing.MaxAllowedDevices != 4 {
				t.Fatalf("saved after a refused PUT: %+v", g.Pairing)
			}
		})
	}

	// Only administrators change it.
	alice := newDeviceUser(t, e, "alice")
	if ae := deviceErr(t, e.api("PUT", path, alice.tok, body(5, `,"disabled":false`)), 403); ae.Code != apierr.InsufficientPermission {
		t.Fatalf("user PUT: %+v", ae)
	}
	respWant(t, e.api("PUT", path, tok, body(5, `,"disabled":false`)), 200)
	if get().Pairing.Disabled {
		t.Fatal("PUT disabled false not stored")
	}
}

// TestMyAccountConfigPairing: config.json's pairing block follows the MFA
// settings, and its methods are exactly the types a user's create accepts.
func TestMyAccountConfigPairing(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	config := func() resource.AppConfig {
		t.Helper()
		c := decode[resource.AppConfig](t, respWant(t, e.api("GET", paths.Build(paths.MyAccountConfig, envID), "", ""), 200))
		if c.Pairing == nil {
			t.Fatalf("config.json has no pairing block: %+v", c)
		}
		return c
	}
	c := config()
	if c.Pairing.Disabled || c.Pairing.PromptForNickname ||
		!slices.Equal(c.Pairing.Methods, []string{"EMAIL", "SMS", "VOICE", "TOTP", "FIDO2"}) {
		t.Fatalf("default pairing: %+v", *c.Pairing)
	}

	putMFASettings(t, e, func(m map[string]any) {
		m["methods"] = []string{"TOTP", "EMAIL", "VOICE"}
		m["promptForNicknameOnPairing"] = true
		m["pairing"].(map[string]any)["disabled"] = true
	})
	c = config()
	if !c.Pairing.Disabled || !c.Pairing.PromptForNickname ||
		!slices.Equal(c.Pairing.Methods, []string{"EMAIL", "VOICE", "TOTP"}) {
		t.Fatalf("pairing after PUT: %+v", *c.Pairing)
	}

	// EMAIL is pairable even when a stored record leaves it out, as the
	// create rule says; the list and the create agree type by type.
	u := newDeviceUser(t, e, "nina")
	changeEnv(t, e, func(env *store.Environment) {
		env.MFASettings.Methods = []string{resource.DeviceTOTP}
		env.MFASettings.PairingDisabled = false
	})
	c = config()
	if !slices.Equal(c.Pairing.Methods, []string{"EMAIL", "TOTP"}) {
		t.Fatalf("pairable without EMAIL listed: %v", c.Pairing.Methods)
	}
	bodies := map[string]string{
		"EMAIL": `{"type":"EMAIL","email":"nina.two@example.com"}`,
		"SMS":   `{"type":"SMS","phone":"+33612345678"}`,
		"VOICE": `{"type":"VOICE","phone":"+33612345678"}`,
		"TOTP":  `{"type":"TOTP"}`,
		"FIDO2": `{"type":"FIDO2","kind":"SECURITY_KEY"}`,
	}
	for _, typ := range []string{"EMAIL", "SMS", "VOICE", "TOTP", "FIDO2"} {
		t.Run(typ, func(t *testing.T) {
			resp := e.api("POST", u.devicesURL(), u.tok, bodies[typ])
			if slices.Contains(c.Pairing.Methods, typ) {
				respWant(t, resp, 201)
				return
			}
			if ae := deviceErr(t, resp, 400); ae.Code != apierr.InvalidData || !hasTarget(ae, "type") {
				t.Fatalf("create %s: %+v", typ, ae)
			}
		})
	}
}
