package server

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/totp"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// createTOTP adds a TOTP device for u and returns the 201 body, with the
// pairing material.
func (u *deviceUser) createTOTP(t *testing.T) resource.Device {
	t.Helper()
	d := decode[resource.Device](t, respWant(t, u.e.api("POST", u.devicesURL(), u.tok, `{"type":"TOTP","nickname":"Phone app"}`), 201))
	if d.Type != resource.DeviceTOTP || d.Status != resource.DeviceActivationRequired || d.Secret == "" {
		t.Fatalf("created: %+v", d)
	}
	return d
}

// totpCode is what an authenticator app shows for secret at the server's time.
func totpCode(t *testing.T, e *env, secret string) string {
	t.Helper()
	code, err := totp.Code(secret, e.clock.Now(), totp.Params{})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// noPairing fails when a device resource carries pairing material.
func noPairing(t *testing.T, where string, ds ...resource.Device) {
	t.Helper()
	for _, d := range ds {
		if d.Secret != "" || d.KeyURI != "" || d.QRImage != "" {
			t.Fatalf("%s shows the TOTP secret: %+v", where, d)
		}
	}
}

// pairTOTP adds and activates a TOTP device for u; it returns the device
// and its secret.
func pairTOTP(t *testing.T, e *env, u *deviceUser) (resource.Device, string) {
	t.Helper()
	d := u.createTOTP(t)
	got := decode[resource.Device](t, respWant(t, u.activate(d.ID, totpCode(t, e, d.Secret)), 200))
	if got.Status != resource.DeviceActive {
		t.Fatalf("activated: %+v", got)
	}
	return got, d.Secret
}

// TestTOTPDeviceLifecycle: create shows the secret, URI and QR code; the
// record holds only the sealed secret; a wrong code counts down; a current
// code activates; afterwards the secret is never shown again.
func TestTOTPDeviceLifecycle(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "tina")
	d := u.createTOTP(t)

	uri, err := url.Parse(d.KeyURI)
	if err != nil || uri.Scheme != "otpauth" || uri.Host != "totp" || uri.Query().Get("secret") != d.Secret ||
		uri.Query().Get("issuer") == "" || !strings.HasSuffix(uri.Path, ":tina") {
		t.Fatalf("key URI %q: %v", d.KeyURI, err)
	}
	raw, ok := strings.CutPrefix(d.QRImage, "data:image/png;base64,")
	if !ok {
		t.Fatalf("qrImage is not a PNG data URL: %.40q", d.QRImage)
	}
	pngBytes, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(pngBytes)); err != nil || img.Bounds().Dx() != totp.QRSize {
		t.Fatalf("qr png: %v", err)
	}

	rec := u.record(t)
	dev := rec.Devices[slices.IndexFunc(rec.Devices, func(x store.Device) bool { return x.ID == d.ID })]
	if len(dev.SecretSealed) == 0 || bytes.Contains(dev.SecretSealed, []byte(d.Secret)) || dev.TOTPStep != 0 {
		t.Fatalf("stored device: sealed %d bytes, step %d", len(dev.SecretSealed), dev.TOTPStep)
	}
	if got := dev.ActivationExpiresAt.Sub(e.clock.Now()); got != 30*time.Minute {
		t.Fatalf("pairing window %v", got)
	}
	for _, m := range e.mail.msgs {
		if strings.Contains(m.Text, d.Secret) {
			t.Fatal("secret mailed")
		}
	}
	noPairing(t, "list", u.list(t)...)
	// While pending, reading the device shows the same pairing again.
	pend := decode[resource.Device](t, respWant(t, e.api("GET", u.deviceURL(d.ID), u.tok, ""), 200))
	if pend.Secret != d.Secret || pend.KeyURI != d.KeyURI || pend.QRImage != d.QRImage {
		t.Fatalf("pending read: %+v", pend)
	}

	code := totpCode(t, e, d.Secret)
	ae := deviceErr(t, u.activate(d.ID, wrongCode(code)), 400)
	if !hasDetail(ae, apierr.DetailInvalidOTP, "otp") || ae.Details[0].InnerError["attemptsRemaining"] != float64(2) {
		t.Fatalf("wrong code: %+v", ae)
	}
	got := decode[resource.Device](t, respWant(t, u.activate(d.ID, code), 200))
	if got.Status != resource.DeviceActive {
		t.Fatalf("activated: %+v", got)
	}
	noPairing(t, "activate response", got)
	noPairing(t, "read after activation", decode[resource.Device](t, respWant(t, e.api("GET", u.deviceURL(d.ID), u.tok, ""), 200)))
	noPairing(t, "list after activation", u.list(t)...)
	// The accepted code's step is stored: the same code never works again.
	rec = u.record(t)
	dev = rec.Devices[slices.IndexFunc(rec.Devices, func(x store.Device) bool { return x.ID == d.ID })]
	if want := e.clock.Now().Unix() / 30; dev.TOTPStep != want || dev.ActivationFailures != 0 {
		t.Fatalf("stored step %d, want %d (failures %d)", dev.TOTPStep, want, dev.ActivationFailures)
	}
	wantStatus(t, u.activate(d.ID, code), 400)
	// Nothing to send to an app.
	wantStatus(t, e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.ActionDeviceSendCode, ""), 400)

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

func TestTOTPDeviceUnhappy(t *testing.T) {
	t.Run("wrong_codes_lock_like_email", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "tina")
		d := u.createTOTP(t)
		code := totpCode(t, e, d.Secret)
		for range 2 {
			wantStatus(t, u.activate(d.ID, wrongCode(code)), 400)
		}
		resp := u.activate(d.ID, wrongCode(code))
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("third wrong code: %d", resp.StatusCode)
		}
		wantStatus(t, u.activate(d.ID, code), 429) // locked: even the right code
	})
	t.Run("pairing_expires", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "tina")
		d := u.createTOTP(t)
		// Access tokens live shorter than the pairing window: end the
		// window in the record instead of moving the clock past it.
		rec := u.record(t)
		rec.Devices[1].ActivationExpiresAt = e.clock.Now()
		if err := e.st.UpdateUser(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
		if ae := deviceErr(t, u.activate(d.ID, totpCode(t, e, d.Secret)), 400); !hasDetail(ae, apierr.DetailOTPExpired, "otp") {
			t.Fatalf("expired pairing: %+v", ae)
		}
		noPairing(t, "expired pending read", decode[resource.Device](t, respWant(t, e.api("GET", u.deviceURL(d.ID), u.tok, ""), 200)))
		// The expired pending device is dropped at the next create.
		next := u.createTOTP(t)
		if ds := u.list(t); len(ds) != 2 || ds[1].ID != next.ID {
			t.Fatalf("expired pending device kept: %+v", ds)
		}
	})
	t.Run("parallel_activations_one_wins", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "tina")
		d := u.createTOTP(t)
		code := totpCode(t, e, d.Secret)
		if n := parallel(8, func() *http.Response { return u.activate(d.ID, code) }); n != 1 {
			t.Fatalf("%d activations with one code succeeded, want 1", n)
		}
	})
	t.Run("method_not_enabled", func(t *testing.T) {
		e := newSQLiteEnv(t)
		changeEnv(t, e, func(env *store.Environment) { env.MFASettings.Methods = []string{resource.DeviceEmail} })
		u := newDeviceUser(t, e, "tina")
		ae := deviceErr(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"TOTP"}`), 400)
		if !hasDetail(ae, apierr.DetailInvalidValue, "type") {
			t.Fatalf("disabled method: %+v", ae)
		}
		if len(u.list(t)) != 1 {
			t.Fatal("device added")
		}
	})
	t.Run("bad_bodies", func(t *testing.T) {
		e := newSQLiteEnv(t)
		u := newDeviceUser(t, e, "tina")
		admin := e.adminToken()
		for _, tc := range []struct{ name, tok, body string }{
			{"email_on_totp", u.tok, `{"type":"TOTP","email":"a@example.com"}`},
			{"admin_active_totp", admin, `{"type":"TOTP","status":"ACTIVE"}`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantStatus(t, e.api("POST", u.devicesURL(), tc.tok, tc.body), 400)
			})
		}
		if len(u.list(t)) != 1 {
			t.Fatal("device added")
		}
	})
	t.Run("another_users_device_404", func(t *testing.T) {
		e := newSQLiteEnv(t)
		alice := newDeviceUser(t, e, "alice")
		bob := newDeviceUser(t, e, "bob")
		d := bob.createTOTP(t)
		before := bob.record(t)
		code := totpCode(t, e, d.Secret)
		wantStatus(t, e.api("GET", alice.deviceURL(d.ID), alice.tok, ""), 404)
		wantStatus(t, alice.activate(d.ID, code), 404)
		wantStatus(t, e.api("GET", bob.deviceURL(d.ID), alice.tok, ""), 404)
		wantStatus(t, e.apiCT("POST", bob.deviceURL(d.ID), alice.tok, paths.ActionDeviceActivate, `{"otp":"`+code+`"}`), 404)
		if after := bob.record(t); after.Version != before.Version {
			t.Fatal("bob's record changed")
		}
		respWant(t, bob.activate(d.ID, code), 200)
	})
}

// parallel runs n copies of req at once and counts the 200 answers.
func parallel(n int, req func() *http.Response) int {
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range codes {
		wg.Go(func() {
			resp := req()
			io.Copy(io.Discard, resp.Body)
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 200 {
			ok++
		}
	}
	return ok
}

// totpFlow signs name on with the password and returns a flow at the OTP
// step, with its browser.
func totpFlow(t *testing.T, e *env, name string) (*browser, string, resource.Flow) {
	t.Helper()
	b := e.browser()
	id := b.startFlowScoped(newPKCE(), deviceScopes)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check",
		resource.UsernamePassword{Username: name, Password: userPassword}), 200))
	return b, id, f
}

// TestTOTPSignOn: the TOTP device made the default by reorder is challenged
// without sending anything; the activation's code and a used code are
// refused; a fresh code completes the flow; 20 flows given one code at
// once complete exactly once.
func TestTOTPSignOn(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "tina")
	d, secret := pairTOTP(t, e, u)
	respWant(t, u.reorder(d.ID, u.first), 200)

	sent := len(e.mail.msgs)
	b, id, f := totpFlow(t, e, "tina")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != d.ID {
		t.Fatalf("flow: %+v", f)
	}
	if len(e.mail.msgs) != sent {
		t.Fatal("a passcode was sent for a TOTP device")
	}
	wantStatus(t, b.action(id, "otp.resend", struct{}{}), 400)
	// The code of the step used for activation was used.
	ae := decode[apierr.Error](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: totpCode(t, e, secret)}), 400))
	if !hasDetail(ae, apierr.DetailInvalidOTP, "otp") {
		t.Fatalf("replayed activation code: %+v", ae)
	}
	e.clock.Add(30 * time.Second)
	code := totpCode(t, e, secret)
	f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow: %+v", f)
	}
	// The same code in another flow is a replay.
	b2, id2, _ := totpFlow(t, e, "tina")
	wantStatus(t, b2.action(id2, "otp.check", resource.OTPCheck{OTP: code}), 400)

	// 20 flows at the OTP step get one fresh code at the same moment.
	e.clock.Add(30 * time.Second)
	type flow struct {
		b  *browser
		id string
	}
	flows := make([]flow, 20)
	for i := range flows {
		b, id, f := totpFlow(t, e, "tina")
		if f.Status != resource.FlowOTPRequired {
			t.Fatalf("flow %d: %+v", i, f)
		}
		flows[i] = flow{b, id}
	}
	code = totpCode(t, e, secret)
	var next int
	var mu sync.Mutex
	if n := parallel(len(flows), func() *http.Response {
		mu.Lock()
		fl := flows[next]
		next++
		mu.Unlock()
		return fl.b.action(fl.id, "otp.check", resource.OTPCheck{OTP: code})
	}); n != 1 {
		t.Fatalf("%d of 20 submissions of one code succeeded, want 1", n)
	}
}

// TestTOTPSelectedUnderPrompt: under PROMPT_TO_SELECT the TOTP device is
// offered and choosing it sends nothing.
func TestTOTPSelectedUnderPrompt(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "tina")
	d, secret := pairTOTP(t, e, u)
	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.DeviceSelection = resource.SelectPrompt })

	b, id, f := totpFlow(t, e, "tina")
	if f.Status != resource.FlowDeviceSelectionRequired || len(f.Embedded.Devices) != 2 {
		t.Fatalf("flow: %+v", f)
	}
	noPairing(t, "flow", f.Embedded.Devices...)
	sent := len(e.mail.msgs)
	f = decode[resource.Flow](t, respWant(t, b.action(id, "device.select", resource.DeviceSelect{Device: resource.Ref{ID: d.ID}}), 200))
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != d.ID || len(e.mail.msgs) != sent {
		t.Fatalf("after select: %+v (%d messages sent)", f, len(e.mail.msgs)-sent)
	}
	e.clock.Add(30 * time.Second)
	f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: totpCode(t, e, secret)}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow: %+v", f)
	}
}
