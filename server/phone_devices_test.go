package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// lastMessage returns the newest message the server sent to to.
func (m *mailbox) lastMessage(t testing.TB, to string) notify.Message {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.msgs) - 1; i >= 0; i-- {
		if m.msgs[i].To == to {
			return m.msgs[i]
		}
	}
	t.Fatalf("nothing sent to %s", to)
	return notify.Message{}
}

var spelledRE = regexp.MustCompile(`code is ((?:\d, )+\d)\. Again: ((?:\d, )+\d)\.`)

// voiceOTP reads the passcode a voice message spells ("1, 2, 3, …"),
// said twice.
func voiceOTP(t testing.TB, m notify.Message) string {
	t.Helper()
	g := spelledRE.FindStringSubmatch(m.Text)
	if m.Channel != notify.ChannelVoice || g == nil || g[1] != g[2] {
		t.Fatalf("not a spelled voice passcode: %+v", m)
	}
	return strings.ReplaceAll(g[1], ", ", "")
}

func (u *deviceUser) createPhone(t *testing.T, body string) resource.Device {
	t.Helper()
	return decode[resource.Device](t, respWant(t, u.e.api("POST", u.devicesURL(), u.tok, body), http.StatusCreated))
}

// TestSMSDeviceLifecycle: a national number needs a region, is stored in
// E.164, gets its pairing passcode by SMS and activates with it; the
// paired notice masks the number.
func TestSMSDeviceLifecycle(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "sally")
	before := u.record(t)
	ae := deviceErr(t, u.e.api("POST", u.devicesURL(), u.tok, `{"type":"SMS","phone":"06 12 34 56 78"}`), 400)
	if ae.Code != apierr.InvalidData || !hasDetail(ae, apierr.DetailInvalidValue, "phone") {
		t.Fatalf("national number without region: %+v", ae)
	}
	if after := u.record(t); after.Version != before.Version {
		t.Fatal("a refused create changed the user")
	}

	d := u.createPhone(t, `{"type":"SMS","phone":"06 12 34 56 78","region":"FR","nickname":"Work phone"}`)
	if d.Type != resource.DeviceSMS || d.Phone != "+33612345678" || d.Status != resource.DeviceActivationRequired || d.Email != "" {
		t.Fatalf("created: %+v", d)
	}
	m := e.mail.lastMessage(t, "+33612345678")
	if m.Channel != notify.ChannelSMS || m.Subject != "" {
		t.Fatalf("pairing message: %+v", m)
	}
	if rec := u.record(t); rec.Devices[len(rec.Devices)-1].Phone != "+33612345678" {
		t.Fatalf("stored: %+v", rec.Devices)
	}
	// A resend before the cool-down is refused; after it a new SMS goes out.
	wantStatus(t, u.e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.ActionDeviceSendCode, ""), http.StatusTooManyRequests)
	e.clock.Add(31 * time.Second)
	wantStatus(t, u.e.apiCT("POST", u.deviceURL(d.ID), u.tok, paths.ActionDeviceSendCode, ""), http.StatusNoContent)
	code := e.mail.lastOTP(t, "+33612345678")
	if code == otpRE.FindString(m.Text) {
		t.Fatal("the resend sent the same passcode")
	}

	got := decode[resource.Device](t, respWant(t, u.activate(d.ID, code), 200))
	if got.Status != resource.DeviceActive || got.Phone != "+33612345678" {
		t.Fatalf("activated: %+v", got)
	}
	notice := e.mail.lastMessage(t, "sally@example.com")
	if !strings.Contains(notice.Text, "********5678") || strings.Contains(notice.Text, "612345678") {
		t.Fatalf("paired notice: %q", notice.Text)
	}
}

// TestVoiceDevice: a voice device takes a fixed line, its passcode is
// spelled digit by digit, and activation uses the EMAIL device's wrong-code
// counting.
func TestVoiceDevice(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "victor")
	d := u.createPhone(t, `{"type":"VOICE","phone":"+33 1 42 68 53 00"}`)
	if d.Type != resource.DeviceVoice || d.Phone != "+33142685300" {
		t.Fatalf("created: %+v", d)
	}
	m := e.mail.lastMessage(t, "+33142685300")
	code := voiceOTP(t, m)
	if len(code) != 6 || strings.Contains(m.Text, code) {
		t.Fatalf("voice text %q does not spell the code", m.Text)
	}
	ae := deviceErr(t, u.activate(d.ID, wrongCode(code)), 400)
	if !hasDetail(ae, apierr.DetailInvalidOTP, "otp") {
		t.Fatalf("wrong code: %+v", ae)
	}
	if n := u.record(t).Devices[1].ActivationFailures; n != 1 {
		t.Fatalf("failures = %d, want 1", n)
	}
	got := decode[resource.Device](t, respWant(t, u.activate(d.ID, code), 200))
	if got.Status != resource.DeviceActive {
		t.Fatalf("activated: %+v", got)
	}
}

func TestPhoneDeviceUnhappy(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "paula")
	tests := []struct {
		name, body, target string
	}{
		{name: "invalid_number", body: `{"type":"SMS","phone":"+15555550100"}`, target: "phone"},
		{name: "letters", body: `{"type":"VOICE","phone":"call me","region":"FR"}`, target: "phone"},
		{name: "fixed_line_sms", body: `{"type":"SMS","phone":"+33142685300"}`, target: "phone"},
		{name: "unknown_region", body: `{"type":"SMS","phone":"0612345678","region":"XX"}`, target: "region"},
		{name: "missing_phone", body: `{"type":"SMS"}`, target: "phone"},
		{name: "phone_on_email", body: `{"type":"EMAIL","email":"p2@example.com","phone":"+33612345678"}`, target: "phone"},
		{name: "email_on_sms", body: `{"type":"SMS","phone":"+33612345678","email":"p2@example.com"}`, target: "email"},
		{name: "operator_phone", body: `{"type":"SMS","phone":{"$ne":""}}`, target: "phone"},
	}
	before := u.record(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := deviceErr(t, e.api("POST", u.devicesURL(), u.tok, tt.body), 400)
			if ae.Code != apierr.InvalidData || len(ae.Details) != 1 || ae.Details[0].Target != tt.target {
				t.Fatalf("want INVALID_DATA about %s, got %+v", tt.target, ae)
			}
			if strings.Contains(ae.Message+ae.Details[0].Message, "612345678") {
				t.Errorf("error repeats the number: %+v", ae)
			}
			// Details begin with their field's name, once ("region region …" was a bug).
			if m := ae.Details[0].Message; !strings.HasPrefix(m, tt.target+" ") || strings.HasPrefix(m, tt.target+" "+tt.target) {
				t.Errorf("detail message %q does not name %s once", m, tt.target)
			}
		})
	}
	t.Run("method_disabled", func(t *testing.T) {
		changeEnv(t, e, func(env *store.Environment) {
			env.MFASettings.Methods = []string{resource.DeviceEmail, resource.DeviceVoice}
		})
		ae := deviceErr(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"SMS","phone":"+33612345678"}`), 400)
		if ae.Code != apierr.InvalidData || !hasDetail(ae, apierr.DetailInvalidValue, "type") {
			t.Fatalf("disabled SMS: %+v", ae)
		}
		respWant(t, e.api("POST", u.devicesURL(), u.tok, `{"type":"VOICE","phone":"+33612345678"}`), http.StatusCreated)
	})
	if after := u.record(t); len(after.Devices) != len(before.Devices)+1 {
		t.Fatalf("devices: %+v", after.Devices)
	}
	t.Run("another_users_device_404", func(t *testing.T) {
		bob := newDeviceUser(t, e, "bert")
		d := bob.createPhone(t, `{"type":"VOICE","phone":"+33612345679"}`)
		code := voiceOTP(t, e.mail.lastMessage(t, "+33612345679"))
		was := bob.record(t)
		for _, tc := range []struct{ name, method, ct, body string }{
			{"get", "GET", "", ""},
			{"activate", "POST", paths.ActionDeviceActivate, `{"otp":"` + code + `"}`},
			{"resend", "POST", paths.ActionDeviceSendCode, ""},
			{"delete", "DELETE", "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ct := tc.ct
				if ct == "" {
					ct = paths.JSON
				}
				wantStatus(t, e.apiCT(tc.method, u.deviceURL(d.ID), u.tok, ct, tc.body), http.StatusNotFound)
			})
		}
		if now := bob.record(t); now.Version != was.Version || now.Devices[1].Status != resource.DeviceActivationRequired {
			t.Fatalf("bob's devices changed: %+v", now.Devices)
		}
	})
}

// TestSMSSignOn: an ACTIVE SMS device made the default gets the sign-on
// passcode by SMS, shown masked in the flow; otp.resend sends a new one
// and only the newest completes the flow.
func TestSMSSignOn(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "simon")
	d := u.createPhone(t, `{"type":"SMS","phone":"+44 7400 123456"}`)
	respWant(t, u.activate(d.ID, e.mail.lastOTP(t, "+447400123456")), 200)
	respWant(t, u.reorder(d.ID, u.first), 200)

	b, id, f := totpFlow(t, e, "simon")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != d.ID {
		t.Fatalf("flow: %+v", f)
	}
	if f.Embedded == nil || len(f.Embedded.Devices) != 2 || f.Embedded.Devices[0].Phone != "*********3456" ||
		f.Embedded.Devices[0].Email != "" {
		t.Fatalf("flow devices: %+v", f.Embedded)
	}
	m := e.mail.lastMessage(t, "+447400123456")
	if m.Channel != notify.ChannelSMS {
		t.Fatalf("sign-on message: %+v", m)
	}
	first := e.mail.lastOTP(t, "+447400123456")
	e.clock.Add(31 * time.Second)
	respWant(t, b.action(id, "otp.resend", struct{}{}), 200)
	code := e.mail.lastOTP(t, "+447400123456")
	if code == first {
		t.Fatal("otp.resend sent the same passcode")
	}
	if e.mail.lastMessage(t, "+447400123456").Channel != notify.ChannelSMS {
		t.Fatal("resend left the SMS channel")
	}
	wantStatus(t, b.action(id, "otp.check", resource.OTPCheck{OTP: first}), 400)
	f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow: %+v", f)
	}
}

// TestPhoneGatewayWiring: with SMS_GATEWAY_URL set and no Sender override,
// the pairing passcode is POSTed to the gateway while e-mail (the paired
// notice) stays in the dev outbox.
func TestPhoneGatewayWiring(t *testing.T) {
	var mu sync.Mutex
	var got []notify.GatewayRequest
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in notify.GatewayRequest
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, in)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(gw.Close)
	e := newEnvWith(t, openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite")), testPublicURL, nil, func(o *Options) {
		o.Sender = nil
		o.Config.SMSGatewayURL = gw.URL + "/messages"
	})
	envID := e.srv.Bootstrap.DefaultEnvID
	usr := e.createUser("gwen", "gwen@example.com", userPassword)
	admin := e.adminToken()
	d := decode[resource.Device](t, respWant(t, e.api("POST", paths.Build(paths.Devices, envID, usr.ID), admin,
		`{"type":"SMS","phone":"07400 123456","region":"GB"}`), http.StatusCreated))
	mu.Lock()
	if len(got) != 1 || got[0].Channel != notify.ChannelSMS || got[0].To != "+447400123456" {
		mu.Unlock()
		t.Fatalf("gateway got %+v", got)
	}
	code := otpRE.FindString(got[0].Text)
	mu.Unlock()
	respWant(t, e.apiCT("POST", paths.Build(paths.Device, envID, usr.ID, d.ID), admin, paths.ActionDeviceActivate,
		`{"otp":"`+code+`"}`), http.StatusOK)
	msgs, err := e.st.ListOutbox(t.Context(), envID, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Channel != notify.ChannelEmail || strings.Contains(m.Body, "123456") {
			t.Errorf("outbox holds %+v", m)
		}
	}
	if len(msgs) != 1 || msgs[0].To != "gwen@example.com" {
		t.Fatalf("outbox: %+v, want the paired notice", msgs)
	}
}
