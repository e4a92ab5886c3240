package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/fido/fidotest"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// testOrigin is the origin of testPublicURL: where the PWA's pages run.
const testOrigin = testPublicURL

// yubiKey5 is the AAGUID of a YubiKey 5 Series key.
var yubiKey5 = [16]byte{0xcb, 0x69, 0x48, 0x1e, 0x8f, 0xf7, 0x40, 0x39, 0x93, 0xec, 0x0a, 0x27, 0x29, 0xa1, 0x54, 0xa8}

func newKey(t *testing.T, aaguid [16]byte) *fidotest.Authenticator {
	t.Helper()
	a, err := fidotest.New(aaguid)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// createFIDO2 adds a pending FIDO2 device for u with the create body.
func (u *deviceUser) createFIDO2(t *testing.T, body string) resource.Device {
	t.Helper()
	d := decode[resource.Device](t, respWant(t, u.e.api("POST", u.devicesURL(), u.tok, body), 201))
	if d.Type != resource.DeviceFIDO2 || d.Status != resource.DeviceActivationRequired || d.PublicKeyCredentialCreationOptions == "" {
		t.Fatalf("created: %+v", d)
	}
	return d
}

// activateFIDO2 posts device.activate with an attestation and origin.
func (u *deviceUser) activateFIDO2(id, attestation, origin string) *http.Response {
	body, _ := json.Marshal(resource.FIDO2Activate{Attestation: attestation, Origin: origin})
	return u.e.apiCT("POST", u.deviceURL(id), u.tok, paths.ActionDeviceActivate, string(body))
}

// attest has a answer d's creation options in a page at origin.
func attest(t *testing.T, a *fidotest.Authenticator, d resource.Device, origin string) string {
	t.Helper()
	att, err := a.Create([]byte(d.PublicKeyCredentialCreationOptions), origin)
	if err != nil {
		t.Fatal(err)
	}
	return string(att)
}

// pairFIDO2 adds and activates a FIDO2 device of kind for u with a.
func pairFIDO2(t *testing.T, u *deviceUser, a *fidotest.Authenticator, kind string) resource.Device {
	t.Helper()
	d := u.createFIDO2(t, `{"type":"FIDO2","kind":"`+kind+`"}`)
	got := decode[resource.Device](t, respWant(t, u.activateFIDO2(d.ID, attest(t, a, d, testOrigin), testOrigin), 200))
	if got.Status != resource.DeviceActive {
		t.Fatalf("activated: %+v", got)
	}
	return got
}

func storedDevice(t *testing.T, u *deviceUser, id string) store.Device {
	t.Helper()
	rec := u.record(t)
	i := slices.IndexFunc(rec.Devices, func(d store.Device) bool { return d.ID == id })
	if i < 0 {
		t.Fatalf("device %s not stored", id)
	}
	return rec.Devices[i]
}

// TestFIDO2DeviceLifecycle: creating a security key answers with the
// creation options for this server's RP ID; the pending device keeps the
// ceremony and shows the options on read (not in lists); the attestation
// activates it, named after its AAGUID, with the credential stored and the
// ceremony cleared; the account's address is told; the same attestation
// again is refused.
func TestFIDO2DeviceLifecycle(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "fay")
	d := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
	var opts struct {
		RP                     struct{ ID string }
		User                   struct{ Name string }
		AuthenticatorSelection struct{ AuthenticatorAttachment, ResidentKey string }
		Attestation            string
	}
	if err := json.Unmarshal([]byte(d.PublicKeyCredentialCreationOptions), &opts); err != nil {
		t.Fatal(err)
	}
	if opts.RP.ID != "localhost" || opts.User.Name != "fay" || opts.AuthenticatorSelection.AuthenticatorAttachment != "cross-platform" ||
		opts.AuthenticatorSelection.ResidentKey != "discouraged" || opts.Attestation != "none" || d.Kind != resource.FIDO2SecurityKey {
		t.Fatalf("creation options: %s (kind %q)", d.PublicKeyCredentialCreationOptions, d.Kind)
	}
	if sd := storedDevice(t, u, d.ID); sd.FIDO2 == nil || len(sd.FIDO2.Session) == 0 || sd.ActivationExpiresAt.Sub(e.clock.Now()) != 10*time.Minute {
		t.Fatalf("pending device: %+v", sd)
	}
	for _, x := range u.list(t) {
		if x.PublicKeyCredentialCreationOptions != "" {
			t.Fatal("the list shows creation options")
		}
	}
	pend := decode[resource.Device](t, respWant(t, e.api("GET", u.deviceURL(d.ID), u.tok, ""), 200))
	if pend.PublicKeyCredentialCreationOptions != d.PublicKeyCredentialCreationOptions {
		t.Fatal("a read of the pending device does not show its creation options")
	}

	key := newKey(t, yubiKey5)
	key.Transports = []string{"usb", "nfc"}
	att := attest(t, key, d, testOrigin)
	sent := len(e.mail.msgs)
	got := decode[resource.Device](t, respWant(t, u.activateFIDO2(d.ID, att, testOrigin), 200))
	if got.Status != resource.DeviceActive || got.AuthenticatorName != "YubiKey 5 Series" || got.Nickname != "YubiKey 5 Series" ||
		got.Kind != resource.FIDO2SecurityKey || got.PublicKeyCredentialCreationOptions != "" {
		t.Fatalf("activated: %+v", got)
	}
	sd := storedDevice(t, u, d.ID)
	if c := sd.FIDO2; c == nil || string(c.CredentialID) != string(key.CredentialID) || len(c.PublicKey) == 0 || c.SignCount != 1 ||
		len(c.Session) != 0 || c.CreationOptions != "" || !slices.Equal(c.Transports, []string{"usb", "nfc"}) || !sd.ActivationExpiresAt.IsZero() {
		t.Fatalf("stored credential: %+v", sd.FIDO2)
	}
	notified := false
	for _, m := range e.mail.msgs[sent:] {
		notified = notified || (m.To == "fay@example.com" && strings.Contains(m.Text, "YubiKey 5 Series"))
	}
	if !notified {
		t.Error("no device-paired notice naming the key to the account address")
	}
	// The ceremony is used once: the same attestation finds the device ACTIVE.
	if ae := deviceErr(t, u.activateFIDO2(d.ID, att, testOrigin), 400); !hasDetail(ae, apierr.DetailInvalidAction, "status") {
		t.Fatalf("replayed attestation: %+v", ae)
	}
	// A passkey by default, with the fallback name when the AAGUID is zero.
	pk := newKey(t, [16]byte{})
	pk.UserVerified, pk.Attachment, pk.Transports = true, "platform", []string{"internal"}
	p := u.createFIDO2(t, `{"type":"FIDO2","nickname":"Laptop"}`)
	if !strings.Contains(p.PublicKeyCredentialCreationOptions, `"residentKey":"required"`) || p.Kind != resource.FIDO2Platform {
		t.Fatalf("passkey options: %s", p.PublicKeyCredentialCreationOptions)
	}
	if !strings.Contains(p.PublicKeyCredentialCreationOptions, `"excludeCredentials"`) {
		t.Fatalf("the paired key is not excluded: %s", p.PublicKeyCredentialCreationOptions)
	}
	gp := decode[resource.Device](t, respWant(t, u.activateFIDO2(p.ID, attest(t, pk, p, testOrigin), testOrigin), 200))
	if gp.Nickname != "Laptop" || gp.AuthenticatorName != "Passkey" {
		t.Fatalf("passkey: %+v", gp)
	}

	evs, err := e.st.ListEvents(t.Context(), u.envID, u.id, 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
	}
	for _, want := range []string{audit.ActionDeviceCreated, audit.ActionDeviceActivated} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s event in %v", want, actions)
		}
	}
}

func TestFIDO2DeviceUnhappy(t *testing.T) {
	// refused checks a refused activation changed nothing.
	refused := func(t *testing.T, u *deviceUser, resp *http.Response, status int, before *store.User) apierr.Error {
		t.Helper()
		ae := deviceErr(t, resp, status)
		if after := u.record(t); after.Version != before.Version {
			t.Fatalf("record changed by a refused request: %+v", ae)
		}
		return ae
	}
	t.Run("another_users_device_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		bob := newDeviceUser(t, e, "bob")
		d := bob.createFIDO2(t, `{"type":"FIDO2"}`)
		key := newKey(t, yubiKey5)
		key.UserVerified = true
		att := attest(t, key, d, testOrigin)
		before := bob.record(t)
		wantStatus(t, alice.activateFIDO2(d.ID, att, testOrigin), 404)
		body, _ := json.Marshal(resource.FIDO2Activate{Attestation: att, Origin: testOrigin})
		wantStatus(t, e.apiCT("POST", bob.deviceURL(d.ID), alice.tok, paths.ActionDeviceActivate, string(body)), 404)
		wantStatus(t, e.api("GET", bob.deviceURL(d.ID), alice.tok, ""), 404)
		refused(t, bob, e.api("POST", bob.devicesURL(), alice.tok, `{"type":"FIDO2"}`), 404, before)
		respWant(t, bob.activateFIDO2(d.ID, att, testOrigin), 200)
	})
	t.Run("another_environment_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		before := alice.record(t)
		other := e.srv.Bootstrap.AdminEnvID
		refused(t, alice, e.api("POST", paths.Build(paths.Devices, other, alice.id), alice.tok, `{"type":"FIDO2"}`), 404, before)
	})
	t.Run("missing_scope_403", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		d := alice.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		att := attest(t, newKey(t, yubiKey5), d, testOrigin)
		before := alice.record(t)
		tr := e.browser().signOnScoped("openid p1:read:device", "alice", userPassword, "alice.one@example.com")
		ro := &deviceUser{e: e, envID: alice.envID, id: alice.id, tok: tr.AccessToken}
		if ae := refused(t, alice, e.api("POST", alice.devicesURL(), ro.tok, `{"type":"FIDO2"}`), 403, before); ae.Code != apierr.InsufficientPermission {
			t.Fatalf("create without scope: %+v", ae)
		}
		refused(t, alice, ro.activateFIDO2(d.ID, att, testOrigin), 403, before)
	})
	t.Run("no_step_up_403", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		d := alice.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		att := attest(t, newKey(t, yubiKey5), d, testOrigin)
		alice.setSessionMFA(t, e.clock.Now().Add(-11*time.Minute))
		before := alice.record(t)
		if ae := refused(t, alice, e.api("POST", alice.devicesURL(), alice.tok, `{"type":"FIDO2"}`), 403, before); !hasDetail(ae, apierr.DetailMFARequired, "") {
			t.Fatalf("create without step-up: %+v", ae)
		}
		if ae := refused(t, alice, alice.activateFIDO2(d.ID, att, testOrigin), 403, before); !hasDetail(ae, apierr.DetailMFARequired, "") {
			t.Fatalf("activate without step-up: %+v", ae)
		}
	})
	t.Run("bad_attestation_400", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "alice")
		d := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		other := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		key := newKey(t, yubiKey5)
		otherRP := d
		otherRP.PublicKeyCredentialCreationOptions = strings.Replace(d.PublicKeyCredentialCreationOptions, `"id":"localhost"`, `"id":"evil.example"`, 1)
		before := u.record(t)
		for _, tc := range []struct {
			name, body, target string
		}{
			{"garbage", `{"attestation":"not json","origin":"` + testOrigin + `"}`, "attestation"},
			{"empty_object", `{"attestation":"{}","origin":"` + testOrigin + `"}`, "attestation"},
			{"attestation_not_a_string", `{"attestation":{"id":"x"},"origin":"` + testOrigin + `"}`, "attestation"},
			{"missing_origin", `{"attestation":"{}"}`, "origin"},
			{"body_origin_other_site", mustJSON(t, resource.FIDO2Activate{Attestation: attest(t, key, d, testOrigin), Origin: "https://evil.example"}), "origin"},
			{"client_data_other_site", mustJSON(t, resource.FIDO2Activate{Attestation: attest(t, key, d, "https://evil.example"), Origin: testOrigin}), "attestation"},
			{"other_devices_challenge", mustJSON(t, resource.FIDO2Activate{Attestation: attest(t, key, other, testOrigin), Origin: testOrigin}), "attestation"},
			{"other_rp_id", mustJSON(t, resource.FIDO2Activate{Attestation: attest(t, key, otherRP, testOrigin), Origin: testOrigin}), "attestation"},
			{"unknown_field", `{"attestation":"{}","origin":"` + testOrigin + `","otp":"123456"}`, "otp"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp := e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.ActionDeviceActivate, tc.body)
				ae := refused(t, u, resp, 400, before)
				if ae.Code != apierr.InvalidData || !hasTarget(ae, tc.target) {
					t.Fatalf("error: %+v", ae)
				}
			})
		}
		// Still pending, and the genuine attestation still pairs it.
		respWant(t, u.activateFIDO2(d.ID, attest(t, key, d, testOrigin), testOrigin), 200)
	})
	t.Run("expired_pairing", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "alice")
		d := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		att := attest(t, newKey(t, yubiKey5), d, testOrigin)
		rec := u.record(t)
		rec.Devices[1].ActivationExpiresAt = e.clock.Now()
		if err := e.st.UpdateUser(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
		before := u.record(t)
		if ae := refused(t, u, u.activateFIDO2(d.ID, att, testOrigin), 400, before); !hasDetail(ae, apierr.DetailOTPExpired, "attestation") {
			t.Fatalf("expired pairing: %+v", ae)
		}
		if got := decode[resource.Device](t, respWant(t, e.api("GET", u.deviceURL(d.ID), u.tok, ""), 200)); got.PublicKeyCredentialCreationOptions != "" {
			t.Fatal("an expired pairing still shows its options")
		}
		// The expired pending device is dropped at the next create.
		next := u.createFIDO2(t, `{"type":"FIDO2"}`)
		if ds := u.list(t); len(ds) != 2 || ds[1].ID != next.ID {
			t.Fatalf("expired pending device kept: %+v", ds)
		}
	})
	t.Run("replay", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "alice")
		key := newKey(t, yubiKey5)
		d := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		att := attest(t, key, d, testOrigin)
		respWant(t, u.activateFIDO2(d.ID, att, testOrigin), 200)
		// The same attestation for a second pending device of the user.
		second := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		before := u.record(t)
		refused(t, u, u.activateFIDO2(second.ID, att, testOrigin), 400, before)
		// The same key answering the second device's own challenge: one
		// authenticator is one device.
		ae := refused(t, u, u.activateFIDO2(second.ID, attest(t, key, second, testOrigin), testOrigin), 400, before)
		if !hasDetail(ae, apierr.DetailInvalidValue, "attestation") {
			t.Fatalf("key paired twice: %+v", ae)
		}
		// Parallel activations with one attestation: one wins.
		third := u.createFIDO2(t, `{"type":"FIDO2","kind":"SECURITY_KEY"}`)
		att3 := attest(t, newKey(t, yubiKey5), third, testOrigin)
		if n := parallel(8, func() *http.Response { return u.activateFIDO2(third.ID, att3, testOrigin) }); n != 1 {
			t.Fatalf("%d activations with one attestation succeeded, want 1", n)
		}
	})
	t.Run("bad_create_bodies", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "alice")
		admin := e.adminToken()
		for _, tc := range []struct{ name, tok, body, target string }{
			{"unknown_kind", u.tok, `{"type":"FIDO2","kind":"PHONE"}`, "kind"},
			{"kind_on_email", u.tok, `{"type":"EMAIL","email":"a@example.com","kind":"PLATFORM"}`, "kind"},
			{"admin_active_fido2", admin, `{"type":"FIDO2","status":"ACTIVE"}`, "status"},
			{"email_on_fido2", u.tok, `{"type":"FIDO2","email":"a@example.com"}`, "email"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ae := deviceErr(t, e.api("POST", u.devicesURL(), tc.tok, tc.body), 400)
				if !hasTarget(ae, tc.target) {
					t.Fatalf("error: %+v", ae)
				}
			})
		}
		if len(u.list(t)) != 1 {
			t.Fatal("device added")
		}
	})
	t.Run("method_not_enabled", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.MFASettings.Methods = []string{resource.DeviceEmail} })
		u := newDeviceUser(t, e, "alice")
		if ae := deviceErr(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"FIDO2"}`), 400); !hasDetail(ae, apierr.DetailInvalidValue, "type") {
			t.Fatalf("disabled method: %+v", ae)
		}
		if len(u.list(t)) != 1 {
			t.Fatal("device added")
		}
	})
	t.Run("passcode_actions_refused", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "alice")
		d := u.createFIDO2(t, `{"type":"FIDO2"}`)
		before := u.record(t)
		if ae := refused(t, u, u.activate(d.ID, "123456"), 400, before); !hasDetail(ae, apierr.DetailRequired, "attestation") {
			t.Fatalf("otp for a FIDO2 device: %+v", ae)
		}
		refused(t, u, e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.ActionDeviceSendCode, ""), 400, before)
		// An attestation for an email device.
		em := decode[resource.Device](t, respWant(t, u.create("alice.two@example.com"), 201))
		before = u.record(t)
		refused(t, u, u.activateFIDO2(em.ID, "{}", testOrigin), 400, before)
	})
	t.Run("ip_public_url_has_no_fido2", func(t *testing.T) {
		// An IP address cannot be an RP ID: the server runs, without FIDO2.
		e := newEnvWith(t, openSQLite(t, t.TempDir()+"/db.sqlite"), "http://127.0.0.1:8080", nil, nil)
		usr := e.createUser("ian", "ian@example.com", userPassword)
		path := paths.Build(paths.Devices, e.srv.Bootstrap.DefaultEnvID, usr.ID)
		ae := deviceErr(t, e.api("POST", path, e.adminToken(), `{"type":"FIDO2"}`), 400)
		if !hasDetail(ae, apierr.DetailInvalidValue, "type") || !strings.Contains(ae.Details[0].Message, "IP address") {
			t.Fatalf("FIDO2 on an IP address: %+v", ae)
		}
	})
	t.Run("device_cap", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.MFASettings.MaxAllowedDevices = 1 })
		u := newDeviceUser(t, e, "alice")
		if ae := deviceErr(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"FIDO2"}`), 400); !hasDetail(ae, apierr.DetailLimitExceeded, "") {
			t.Fatalf("over the cap: %+v", ae)
		}
	})
	t.Run("first_device_password_only", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
		usr := e.createUser("frank", "frank@example.com", userPassword)
		tr := e.browser().signOnScoped(deviceScopes, "frank", userPassword, "")
		u := &deviceUser{e: e, envID: e.srv.Bootstrap.DefaultEnvID, id: usr.ID, tok: tr.AccessToken}
		key := newKey(t, yubiKey5)
		pairFIDO2(t, u, key, resource.FIDO2SecurityKey)
		if ae := deviceErr(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"FIDO2"}`), 403); !hasDetail(ae, apierr.DetailMFARequired, "") {
			t.Fatalf("second device with a password-only session: %+v", ae)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func hasTarget(ae apierr.Error, target string) bool {
	for _, d := range ae.Details {
		if d.Target == target {
			return true
		}
	}
	return false
}

// assertionFlow signs name on with the password and returns the flow at
// its MFA step, with its browser.
func assertionFlow(t *testing.T, e *env, name string) (*browser, string, resource.Flow, pkce) {
	t.Helper()
	b := e.browser()
	p := newPKCE()
	id := b.startFlowScoped(p, deviceScopes)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check",
		resource.UsernamePassword{Username: name, Password: userPassword}), 200))
	return b, id, f, p
}

// assertFor has a answer the flow's request options in a page at origin.
func assertFor(t *testing.T, a *fidotest.Authenticator, f resource.Flow, origin string) string {
	t.Helper()
	as, err := a.Get([]byte(f.PublicKeyCredentialRequestOptions), origin)
	if err != nil {
		t.Fatal(err)
	}
	return string(as)
}

// TestFIDO2SignOn: a passkey made the default is challenged for an
// assertion (nothing is sent), a passcode action is refused at that step,
// a bad assertion counts as a wrong passcode, and a good one completes the
// MFA with amr hwk+mfa and stores the new sign count.
func TestFIDO2SignOn(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "fay")
	pk := newKey(t, [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8})
	pk.UserVerified, pk.Attachment, pk.Transports = true, "platform", []string{"internal"}
	d := pairFIDO2(t, u, pk, resource.FIDO2Platform)
	if d.AuthenticatorName != "Chromium virtual authenticator" {
		t.Fatalf("paired: %+v", d)
	}
	respWant(t, u.reorder(d.ID, u.first), 200)

	sent := len(e.mail.msgs)
	b, id, f, p := assertionFlow(t, e, "fay")
	if f.Status != resource.FlowAssertionRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != d.ID ||
		f.Links[resource.ActionAssertionCheck].Href == "" {
		t.Fatalf("flow: %+v", f)
	}
	var opts struct {
		RPID             string
		UserVerification string
		AllowCredentials []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(f.PublicKeyCredentialRequestOptions), &opts); err != nil {
		t.Fatal(err)
	}
	if opts.RPID != "localhost" || opts.UserVerification != "required" || len(opts.AllowCredentials) != 1 {
		t.Fatalf("request options: %s", f.PublicKeyCredentialRequestOptions)
	}
	if i := slices.IndexFunc(f.Embedded.Devices, func(x resource.Device) bool { return x.ID == d.ID }); i < 0 ||
		f.Embedded.Devices[i].AuthenticatorName != d.AuthenticatorName || f.Embedded.Devices[i].Kind != resource.FIDO2Platform {
		t.Fatalf("flow devices: %+v", f.Embedded.Devices)
	}
	if len(e.mail.msgs) != sent {
		t.Fatal("a message was sent for a FIDO2 device")
	}
	if got := decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(id), "", nil), 200)); got.PublicKeyCredentialRequestOptions != f.PublicKeyCredentialRequestOptions {
		t.Fatal("reading the flow does not show the same request options")
	}
	wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: "123456"}), 400)
	wantStatus(t, b.action(id, "otp.resend", struct{}{}), 400)

	// A claimed origin of another site is refused before anything is counted.
	ae := decode[apierr.Error](t, respWant(t, b.action(id, "assertion.check",
		resource.AssertionCheck{Assertion: assertFor(t, pk, f, testOrigin), Origin: "https://evil.example"}), 400))
	if !hasTarget(ae, "origin") {
		t.Fatalf("other origin: %+v", ae)
	}
	bad, err := fidotest.TamperSignature([]byte(assertFor(t, pk, f, testOrigin)))
	if err != nil {
		t.Fatal(err)
	}
	ae = decode[apierr.Error](t, respWant(t, b.action(id, "assertion.check", resource.AssertionCheck{Assertion: string(bad), Origin: testOrigin}), 400))
	if !hasDetail(ae, apierr.DetailInvalidValue, "assertion") || ae.Details[0].InnerError["attemptsRemaining"] != float64(2) {
		t.Fatalf("tampered assertion: %+v", ae)
	}
	as := assertFor(t, pk, f, testOrigin)
	f = decode[resource.Flow](t, respWant(t, b.action(id, "assertion.check", resource.AssertionCheck{Assertion: as, Origin: testOrigin}), 200))
	if f.Status != resource.FlowCompleted || f.PublicKeyCredentialRequestOptions != "" {
		t.Fatalf("flow: %+v", f)
	}
	if sd := storedDevice(t, u, d.ID); sd.FIDO2.SignCount != int64(pk.SignCount) {
		t.Fatalf("sign count %d stored, want %d", sd.FIDO2.SignCount, pk.SignCount)
	}
	// The used assertion is not accepted again, here or in another flow.
	wantStatus(t, b.action(id, "assertion.check", resource.AssertionCheck{Assertion: as, Origin: testOrigin}), 400)
	b2, id2, _, _ := assertionFlow(t, e, "fay")
	ae = decode[apierr.Error](t, respWant(t, b2.action(id2, "assertion.check", resource.AssertionCheck{Assertion: as, Origin: testOrigin}), 400))
	if !hasDetail(ae, apierr.DetailInvalidValue, "assertion") {
		t.Fatalf("replayed assertion: %+v", ae)
	}

	tr := b.resume(f.ResumeURL, p)
	cl := claimsOf(t, tr.AccessToken)
	if !slices.Contains(cl.AMR, "hwk") || !slices.Contains(cl.AMR, "mfa") {
		t.Fatalf("amr %v, want hwk and mfa", cl.AMR)
	}
}

func TestFIDO2SignOnUnhappy(t *testing.T) {
	// setup pairs a security key for a new user, makes it the default and
	// starts a flow at its assertion step.
	setup := func(t *testing.T) (*env, *deviceUser, *fidotest.Authenticator, resource.Device) {
		t.Helper()
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "fay")
		key := newKey(t, yubiKey5)
		d := pairFIDO2(t, u, key, resource.FIDO2SecurityKey)
		respWant(t, u.reorder(d.ID, u.first), 200)
		return e, u, key, d
	}
	check := func(b *browser, id, assertion string) *http.Response {
		return b.action(id, "assertion.check", resource.AssertionCheck{Assertion: assertion, Origin: testOrigin})
	}
	t.Run("wrong_assertions_lock_like_passcodes", func(t *testing.T) {
		e, _, key, _ := setup(t)
		b, id, f, _ := assertionFlow(t, e, "fay")
		other := newKey(t, yubiKey5) // a key the user never paired
		for left := 2; left >= 1; left-- {
			ae := decode[apierr.Error](t, respWant(t, check(b, id, assertFor(t, other, f, testOrigin)), 400))
			if ae.Details[0].InnerError["attemptsRemaining"] != float64(left) {
				t.Fatalf("wrong assertion: %+v", ae)
			}
		}
		resp := check(b, id, assertFor(t, other, f, testOrigin))
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("third wrong assertion: %d", resp.StatusCode)
		}
		// Locked across flows, even with the right key.
		b2, id2, f2, _ := assertionFlow(t, e, "fay")
		wantStatus(t, check(b2, id2, assertFor(t, key, f2, testOrigin)), 429)
		e.clock.Add(121 * time.Second)
		respWant(t, check(b2, id2, assertFor(t, key, f2, testOrigin)), 200)
	})
	t.Run("client_data_of_another_site", func(t *testing.T) {
		e, _, key, _ := setup(t)
		b, id, f, _ := assertionFlow(t, e, "fay")
		wantStatus(t, check(b, id, assertFor(t, key, f, "https://evil.example")), 400)
		respWant(t, check(b, id, assertFor(t, key, f, testOrigin)), 200)
	})
	t.Run("counter_went_back", func(t *testing.T) {
		e, u, key, d := setup(t)
		b, id, f, _ := assertionFlow(t, e, "fay")
		clone := *key
		clone.SignCount = 0
		before := storedDevice(t, u, d.ID).FIDO2.SignCount
		wantStatus(t, check(b, id, assertFor(t, &clone, f, testOrigin)), 400)
		if after := storedDevice(t, u, d.ID).FIDO2.SignCount; after != before {
			t.Fatalf("sign count moved from %d to %d on a refused assertion", before, after)
		}
	})
	t.Run("parallel_checks_one_wins", func(t *testing.T) {
		e, _, key, _ := setup(t)
		b, id, f, _ := assertionFlow(t, e, "fay")
		as := assertFor(t, key, f, testOrigin)
		if n := parallel(8, func() *http.Response { return check(b, id, as) }); n != 1 {
			t.Fatalf("%d checks of one assertion succeeded, want 1", n)
		}
	})
	t.Run("device_removed_mid_flow", func(t *testing.T) {
		e, u, key, d := setup(t)
		b, id, f, _ := assertionFlow(t, e, "fay")
		wantStatus(t, e.api("DELETE", u.deviceURL(d.ID), u.tok, ""), 204)
		wantStatus(t, check(b, id, assertFor(t, key, f, testOrigin)), 404)
	})
	t.Run("another_browser_404", func(t *testing.T) {
		e, _, key, _ := setup(t)
		_, id, f, _ := assertionFlow(t, e, "fay")
		wantStatus(t, check(e.browser(), id, assertFor(t, key, f, testOrigin)), 404)
	})
	t.Run("selection_offers_the_key", func(t *testing.T) {
		e, _, key, d := setup(t)
		changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.DeviceSelection = resource.SelectPrompt })
		b, id, f, _ := assertionFlow(t, e, "fay")
		if f.Status != resource.FlowDeviceSelectionRequired {
			t.Fatalf("flow: %s", f.Status)
		}
		f = decode[resource.Flow](t, respWant(t, b.action(id, "device.select", resource.DeviceSelect{Device: resource.Ref{ID: d.ID}}), 200))
		if f.Status != resource.FlowAssertionRequired || f.PublicKeyCredentialRequestOptions == "" {
			t.Fatalf("after select: %+v", f)
		}
		f = decode[resource.Flow](t, respWant(t, check(b, id, assertFor(t, key, f, testOrigin)), 200))
		if f.Status != resource.FlowCompleted {
			t.Fatalf("flow: %s", f.Status)
		}
	})
}
