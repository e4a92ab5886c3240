package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// worker is a worker application of the Default environment with a
// client-credentials token, as an application developer would hold.
type worker struct {
	e     *env
	envID string
	tok   string
}

func newWorker(t *testing.T, e *env, name string) *worker {
	t.Helper()
	envID := e.srv.Bootstrap.DefaultEnvID
	resp := e.api("POST", paths.Build(paths.Applications, envID), e.adminToken(), `{"name":"`+name+`","type":"WORKER"}`)
	app := decode[resource.Application](t, respWant(t, resp, http.StatusCreated))
	form := url.Values{"grant_type": {"client_credentials"}}
	req := httptest.NewRequest("POST", paths.Build(paths.Token, envID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(app.ID, app.ClientSecret)
	tr := decode[resource.TokenResponse](t, respWant(t, e.do(req), http.StatusOK))
	return &worker{e: e, envID: envID, tok: tr.AccessToken}
}

func (w *worker) create(body string) *http.Response {
	return w.e.api("POST", paths.Build(paths.DeviceAuthN, w.envID), w.tok, body)
}

func (w *worker) get(id string) *http.Response {
	return w.e.api("GET", paths.Build(paths.DeviceAuthNOne, w.envID, id), w.tok, "")
}

func (w *worker) act(id, action, body string) *http.Response {
	return w.e.apiCT("POST", paths.Build(paths.DeviceAuthNOne, w.envID, id), w.tok, "application/vnd.pingidentity."+action+"+json", body)
}

func (w *worker) start(t *testing.T, body string) resource.DeviceAuthentication {
	t.Helper()
	return decode[resource.DeviceAuthentication](t, respWant(t, w.create(body), http.StatusCreated))
}

func userBody(id string) string { return `{"user":{"id":"` + id + `"}}` }

// TestDeviceAuthentication: an application checks a user's MFA through the
// developer API: the default device gets a passcode, a wrong one is
// counted, the right one completes it once, and the record shows how.
func TestDeviceAuthentication(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "dana")
	w := newWorker(t, e, "checker")

	resp := w.create(userBody(u.id))
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "/deviceAuthentications/") {
		t.Fatalf("Location %q", loc)
	}
	da := decode[resource.DeviceAuthentication](t, respWant(t, resp, http.StatusCreated))
	if da.Status != resource.FlowOTPRequired || da.SelectedDevice == nil || da.SelectedDevice.ID != u.first {
		t.Fatalf("created: %+v", da)
	}
	if _, ok := da.Links[resource.ActionOTPCheck]; !ok || da.User.ID != u.id || da.Application.ID == "" {
		t.Fatalf("links/refs: %+v", da)
	}
	if da.Embedded == nil || len(da.Embedded.Devices) != 1 || da.Embedded.Devices[0].Email == "dana.one@example.com" {
		t.Fatalf("devices must be listed masked: %+v", da.Embedded)
	}
	code := e.mail.lastOTP(t, "dana.one@example.com")

	ae := deviceErr(t, w.act(da.ID, "otp.check", `{"otp":"`+wrongCode(code)+`"}`), http.StatusBadRequest)
	if !hasDetail(ae, apierr.DetailInvalidOTP, "otp") {
		t.Fatalf("wrong code: %+v", ae)
	}
	done := decode[resource.DeviceAuthentication](t, respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusOK))
	if done.Status != resource.FlowCompleted || !strings.Contains(strings.Join(done.AMR, " "), "otp") {
		t.Fatalf("completed: %+v", done)
	}
	// Used once: the same code again finds nothing to check.
	respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusBadRequest)
	got := decode[resource.DeviceAuthentication](t, respWant(t, w.get(da.ID), http.StatusOK))
	if got.Status != resource.FlowCompleted {
		t.Fatalf("read back: %+v", got)
	}
	// It expires like a flow.
	e.clock.Add(signon.DeviceAuthTTL + time.Second)
	respWant(t, w.get(da.ID), http.StatusNotFound)
}

// TestDeviceAuthenticationAccess: only worker applications of the
// environment start one, and each sees only its own; a device
// authentication is never a sign-on flow.
func TestDeviceAuthenticationAccess(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "erin")
	w := newWorker(t, e, "owner")
	other := newWorker(t, e, "other")
	da := w.start(t, userBody(u.id))
	code := e.mail.lastOTP(t, "erin.one@example.com")
	envID := e.srv.Bootstrap.DefaultEnvID

	tests := []struct {
		name string
		resp func() *http.Response
		want int
		code string
	}{
		{"no-token", func() *http.Response {
			return e.api("POST", paths.Build(paths.DeviceAuthN, envID), "", userBody(u.id))
		}, 401, apierr.InvalidToken},
		{"user-token", func() *http.Response {
			return e.api("POST", paths.Build(paths.DeviceAuthN, envID), u.tok, userBody(u.id))
		}, 403, apierr.InsufficientPermission},
		{"other-environment-worker", func() *http.Response {
			return e.api("POST", paths.Build(paths.DeviceAuthN, envID), e.adminToken(), userBody(u.id))
		}, 403, apierr.InsufficientPermission},
		{"worker-in-wrong-environment-path", func() *http.Response {
			return w.e.api("POST", paths.Build(paths.DeviceAuthN, e.srv.Bootstrap.AdminEnvID), w.tok, userBody(u.id))
		}, 403, apierr.InsufficientPermission},
		{"other-app-reads", func() *http.Response { return other.get(da.ID) }, 404, apierr.NotFound},
		{"other-app-checks", func() *http.Response {
			return other.act(da.ID, "otp.check", `{"otp":"`+code+`"}`)
		}, 404, apierr.NotFound},
		{"unknown-id", func() *http.Response { return w.get("0190b3a0-0000-7000-8000-000000000000") }, 404, apierr.NotFound},
		{"user-reads", func() *http.Response {
			return e.api("GET", paths.Build(paths.DeviceAuthNOne, envID, da.ID), u.tok, "")
		}, 403, apierr.InsufficientPermission},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ae := deviceErr(t, tc.resp(), tc.want)
			if ae.Code != tc.code {
				t.Fatalf("code %s, want %s", ae.Code, tc.code)
			}
		})
	}
	// A browser cannot drive or resume it as a sign-on flow.
	b := e.browser()
	respWant(t, b.do("GET", b.flowURL(da.ID), "", nil), http.StatusNotFound)
	respWant(t, b.do("GET", paths.Build(paths.Resume, envID)+"?flowId="+da.ID, "", nil), http.StatusNotFound)
	// Nothing above used the passcode: the owner still completes it.
	done := decode[resource.DeviceAuthentication](t, respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusOK))
	if done.Status != resource.FlowCompleted {
		t.Fatalf("after refusals: %+v", done)
	}
}

// TestDeviceAuthenticationInput: malformed requests are 400 with a detail
// naming the field, and create nothing.
func TestDeviceAuthenticationInput(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "fay")
	w := newWorker(t, e, "checker")
	sent := len(e.mail.msgs)
	tests := []struct {
		name, body, target string
	}{
		{"empty-user", `{"user":{"id":""}}`, "user.id"},
		{"unknown-user", userBody("0190b3a0-0000-7000-8000-000000000000"), "user.id"},
		{"device-and-one-time", `{"user":{"id":"` + u.id + `"},"selectedDevice":{"id":"` + u.first + `","oneTime":{"type":"EMAIL","email":"a@example.com"}}}`, "selectedDevice"},
		{"not-the-users-device", `{"user":{"id":"` + u.id + `"},"selectedDevice":{"id":"0190b3a0-0000-7000-8000-000000000000"}}`, "selectedDevice.id"},
		{"bad-one-time-email", `{"user":{"id":"` + u.id + `"},"selectedDevice":{"oneTime":{"type":"EMAIL","email":"not-an-address"}}}`, "selectedDevice.oneTime.email"},
		{"bad-one-time-phone", `{"user":{"id":"` + u.id + `"},"selectedDevice":{"oneTime":{"type":"SMS","phone":"12"}}}`, "selectedDevice.oneTime.phone"},
		{"bad-one-time-type", `{"user":{"id":"` + u.id + `"},"selectedDevice":{"oneTime":{"type":"TOTP"}}}`, "selectedDevice.oneTime.type"},
		{"bad-policy", `{"user":{"id":"` + u.id + `"},"policy":{"id":"x"}}`, "policy.id"},
		{"unknown-policy", `{"user":{"id":"` + u.id + `"},"policy":{"id":"0190b3a0-0000-7000-8000-000000000000"}}`, "policy.id"},
		{"unknown-field", `{"user":{"id":"` + u.id + `"},"extra":1}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ae := deviceErr(t, w.create(tc.body), http.StatusBadRequest)
			if ae.Code != apierr.InvalidData || (tc.target != "" && !hasDetail(ae, apierr.DetailInvalidValue, tc.target)) {
				t.Fatalf("error %+v, want a detail on %q", ae, tc.target)
			}
		})
	}
	if len(e.mail.msgs) != sent {
		t.Fatalf("refused requests sent %d messages", len(e.mail.msgs)-sent)
	}
	resp := e.apiCT("POST", paths.Build(paths.DeviceAuthN, w.envID), w.tok, "text/plain", userBody(u.id))
	respWant(t, resp, http.StatusUnsupportedMediaType)
}

// TestDeviceAuthenticationOneTimeAndSelection: a one-time target gets the
// passcode without being paired; several devices with PROMPT_TO_SELECT ask
// for a choice; a user with nothing to challenge FAILS with
// NO_USABLE_DEVICES.
func TestDeviceAuthenticationOneTimeAndSelection(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "gil")
	w := newWorker(t, e, "checker")

	t.Run("one-time-email", func(t *testing.T) {
		da := w.start(t, `{"user":{"id":"`+u.id+`"},"selectedDevice":{"oneTime":{"type":"EMAIL","email":"gil.other@example.org"}}}`)
		if da.Status != resource.FlowOTPRequired || da.OneTime == nil || da.OneTime.Email == "gil.other@example.org" || da.Embedded != nil {
			t.Fatalf("one-time: %+v", da)
		}
		code := e.mail.lastOTP(t, "gil.other@example.org")
		done := decode[resource.DeviceAuthentication](t, respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusOK))
		if done.Status != resource.FlowCompleted {
			t.Fatalf("one-time done: %+v", done)
		}
		if n := len(u.record(t).Devices); n != 1 {
			t.Fatalf("a one-time target must not be paired: %d devices", n)
		}
	})
	t.Run("one-time-sms", func(t *testing.T) {
		da := w.start(t, `{"user":{"id":"`+u.id+`"},"selectedDevice":{"oneTime":{"type":"SMS","phone":"+33 6 12 34 56 78"}}}`)
		code := e.mail.lastOTP(t, "+33612345678")
		respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusOK)
	})
	t.Run("selection", func(t *testing.T) {
		resp := e.api("POST", u.devicesURL(), e.adminToken(), `{"type":"EMAIL","email":"gil.two@example.com","status":"ACTIVE"}`)
		second := decode[resource.Device](t, respWant(t, resp, http.StatusCreated))
		// The default policy challenges the first device; a policy that
		// prompts, named in the request, asks for a choice.
		if da := w.start(t, userBody(u.id)); da.Status != resource.FlowOTPRequired || da.SelectedDevice.ID != u.first {
			t.Fatalf("default policy: %+v", da)
		}
		body := strings.Replace(policyBody(resource.SelectPrompt, "email"), `"Default"`, `"Prompting"`, 1)
		pol := decode[struct{ ID string }](t, respWant(t,
			e.api("POST", paths.Build(paths.DeviceAuthPolicies, w.envID), e.adminToken(), body), http.StatusCreated))
		da := w.start(t, `{"user":{"id":"`+u.id+`"},"policy":{"id":"`+pol.ID+`"}}`)
		if da.Status != resource.FlowDeviceSelectionRequired || da.Embedded == nil || len(da.Embedded.Devices) != 2 ||
			da.Policy == nil || da.Policy.ID != pol.ID {
			t.Fatalf("selection: %+v", da)
		}
		// A one-time SMS target is refused by this email-only policy.
		ae := deviceErr(t, w.create(`{"user":{"id":"`+u.id+`"},"policy":{"id":"`+pol.ID+`"},`+
			`"selectedDevice":{"oneTime":{"type":"SMS","phone":"+33612345678"}}}`), http.StatusBadRequest)
		if !hasDetail(ae, apierr.DetailInvalidValue, "selectedDevice.oneTime.type") {
			t.Fatalf("one-time SMS under an email-only policy: %+v", ae)
		}
		sel := decode[resource.DeviceAuthentication](t, respWant(t,
			w.act(da.ID, "device.select", `{"device":{"id":"`+second.ID+`"}}`), http.StatusOK))
		if sel.Status != resource.FlowOTPRequired || sel.SelectedDevice.ID != second.ID {
			t.Fatalf("selected: %+v", sel)
		}
		code := e.mail.lastOTP(t, "gil.two@example.com")
		respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusOK)
		// Selecting up front skips the question.
		up := w.start(t, `{"user":{"id":"`+u.id+`"},"selectedDevice":{"id":"`+second.ID+`"}}`)
		if up.Status != resource.FlowOTPRequired || up.SelectedDevice.ID != second.ID {
			t.Fatalf("selected up front: %+v", up)
		}
	})
	t.Run("no-usable-devices", func(t *testing.T) {
		nobody := e.createUser("hal", "hal@example.com", userPassword)
		da := w.start(t, userBody(nobody.ID))
		if da.Status != resource.FlowFailed || da.Error == nil || da.Error.Code != apierr.DetailNoUsableDevices {
			t.Fatalf("no devices: %+v", da)
		}
		respWant(t, w.act(da.ID, "otp.check", `{"otp":"123456"}`), http.StatusBadRequest)
	})
}

// TestDeviceAuthenticationLimits: wrong passcodes lock the user's checks
// (the same per-user counter as sign-on), and of 20 parallel submissions of
// the right code exactly one completes.
func TestDeviceAuthenticationLimits(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "ivy")
	w := newWorker(t, e, "checker")

	da := w.start(t, userBody(u.id))
	code := e.mail.lastOTP(t, "ivy.one@example.com")
	const n = 20
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			resp := w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`)
			statuses[i] = resp.StatusCode
			resp.Body.Close()
		})
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == http.StatusOK {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d parallel checks succeeded: %v", ok, n, statuses)
	}

	env, err := e.st.GetEnvironment(t.Context(), w.envID)
	if err != nil {
		t.Fatal(err)
	}
	da = w.start(t, userBody(u.id))
	code = e.mail.lastOTP(t, "ivy.one@example.com")
	var last *http.Response
	for range env.MFASettings.OTPFailureCount {
		last = w.act(da.ID, "otp.check", `{"otp":"`+wrongCode(code)+`"}`)
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d wrong codes: %d", env.MFASettings.OTPFailureCount, last.StatusCode)
	}
	// Locked: even the right code waits for the cool-down.
	respWant(t, w.act(da.ID, "otp.check", `{"otp":"`+code+`"}`), http.StatusTooManyRequests)
}

// TestDeviceAuthenticationFIDO2: a user whose default device is a passkey
// gets ASSERTION_REQUIRED with the WebAuthn request, nothing is sent, and
// the passkey's assertion completes the check once.
func TestDeviceAuthenticationFIDO2(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "kim")
	pk := newKey(t, yubiKey5)
	d := pairFIDO2(t, u, pk, resource.FIDO2SecurityKey)
	respWant(t, u.reorder(d.ID, u.first), 200)
	w := newWorker(t, e, "checker")

	sent := len(e.mail.msgs)
	da := w.start(t, userBody(u.id))
	if da.Status != resource.FlowAssertionRequired || da.PublicKeyCredentialRequestOptions == "" ||
		da.SelectedDevice == nil || da.SelectedDevice.ID != d.ID {
		t.Fatalf("created: %+v", da)
	}
	if _, ok := da.Links[resource.ActionAssertionCheck]; !ok || len(e.mail.msgs) != sent {
		t.Fatalf("links %v, %d messages sent", da.Links, len(e.mail.msgs)-sent)
	}
	as, err := pk.Get([]byte(da.PublicKeyCredentialRequestOptions), testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(resource.AssertionCheck{Assertion: string(as), Origin: testOrigin})
	done := decode[resource.DeviceAuthentication](t, respWant(t, w.act(da.ID, "assertion.check", string(body)), http.StatusOK))
	if done.Status != resource.FlowCompleted || !slices.Contains(done.AMR, "hwk") {
		t.Fatalf("completed: %+v", done)
	}
	respWant(t, w.act(da.ID, "assertion.check", string(body)), http.StatusBadRequest)
}
