//go:build !js

package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const testEnv = "6c0e7f5e-1d7a-4a57-9a55-0f1f6c7e9a11"

func flowWith(status string, devices ...resource.Device) *resource.Flow {
	f := &resource.Flow{ID: "f1", Status: status}
	if len(devices) > 0 {
		f.Embedded = &resource.FlowEmbedded{Devices: devices}
	}
	return f
}

func TestSignOnStepsByStatus(t *testing.T) {
	twoDevices := []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "a***@example.com"},
		{ID: "d2", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "b***@example.com"},
	}
	selected := flowWith(resource.FlowOTPRequired, twoDevices...)
	selected.SelectedDevice = &resource.Ref{ID: "d2"}
	authApp := resource.Device{ID: "t1", Type: resource.DeviceTOTP, Status: resource.DeviceActive}
	totpDefault := flowWith(resource.FlowOTPRequired, authApp, twoDevices[0])
	totpSelected := flowWith(resource.FlowOTPRequired, twoDevices[0], authApp)
	totpSelected.SelectedDevice = &resource.Ref{ID: "t1"}
	emailSelected := flowWith(resource.FlowOTPRequired, authApp, twoDevices[0])
	emailSelected.SelectedDevice = &resource.Ref{ID: "d1"}
	tests := []struct {
		name    string
		page    *SignOnPage
		present []string
		absent  []string
		text    []string
	}{
		{name: "loading", page: &SignOnPage{}, present: []string{"loading"}, absent: []string{"submit"}},
		{name: "password", page: &SignOnPage{flow: flowWith(resource.FlowUsernamePasswordRequired)},
			present: []string{"username", "password", "submit"}, absent: []string{"email", "otp", "error"}},
		{name: "passwordError", page: &SignOnPage{flow: flowWith(resource.FlowUsernamePasswordRequired), errText: "Wrong username or password."},
			present: []string{"username", "error"}, text: []string{"Wrong username or password."}},
		{name: "enroll", page: &SignOnPage{flow: flowWith(resource.FlowMFAEnrollmentRequired)},
			present: []string{"email", "submit"}, absent: []string{"username", "otp"},
			text: []string{"Add an email address to receive one-time passcodes"}},
		{name: "otpDefaultDevice", page: &SignOnPage{flow: flowWith(resource.FlowOTPRequired, twoDevices...)},
			present: []string{"otp", "submit", "resend"}, text: []string{"We sent a one-time passcode to a***@example.com."}},
		{name: "otpSelectedDevice", page: &SignOnPage{flow: selected},
			present: []string{"otp", "resend"}, text: []string{"b***@example.com"}},
		{name: "otpNotice", page: &SignOnPage{flow: flowWith(resource.FlowOTPRequired), notice: T(MsgResent)},
			present: []string{"otp", "notice"}, text: []string{"We sent you a one-time passcode.", "A new code is on its way."}},
		{name: "otpTOTPDefault", page: &SignOnPage{flow: totpDefault},
			present: []string{"otp", "submit"}, absent: []string{"resend"},
			text: []string{"Enter the code from your authenticator app"}},
		{name: "otpTOTPSelected", page: &SignOnPage{flow: totpSelected},
			present: []string{"otp"}, absent: []string{"resend"},
			text: []string{"Enter the code from your authenticator app"}},
		{name: "otpEmailBesideTOTP", page: &SignOnPage{flow: emailSelected},
			present: []string{"otp", "resend"}, text: []string{"We sent a one-time passcode to a***@example.com."}},
		{name: "deviceSelectionTOTP", page: &SignOnPage{flow: flowWith(resource.FlowDeviceSelectionRequired, authApp, twoDevices[0])},
			present: []string{"device-t1", "device-d1"}, text: []string{"Authenticator app", "a***@example.com"}},
		{name: "deviceSelection", page: &SignOnPage{flow: flowWith(resource.FlowDeviceSelectionRequired, twoDevices...)},
			present: []string{"device-d1", "device-d2", "submit"}, text: []string{"a***@example.com", "b***@example.com"}},
		{name: "completed", page: &SignOnPage{flow: flowWith(resource.FlowCompleted), leaving: true},
			present: []string{"loading"}, absent: []string{"submit"}},
		{name: "expired", page: &SignOnPage{env: testEnv, expired: true},
			present: []string{"error", "back"}, text: []string{"This sign-on page has expired"}},
		{name: "failed", page: &SignOnPage{env: testEnv, flow: flowWith(resource.FlowFailed)},
			present: []string{"error", "back"}, absent: []string{"submit"}},
		{name: "busy", page: &SignOnPage{flow: flowWith(resource.FlowUsernamePasswordRequired), busy: true},
			present: []string{"submit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, tt.page)
			for _, id := range tt.present {
				mustID(t, doc, id)
			}
			for _, id := range tt.absent {
				if byID(doc, id) != nil {
					t.Errorf("#%s should not be shown", id)
				}
			}
			for _, s := range tt.text {
				if !strings.Contains(text(doc), s) {
					t.Errorf("text %q not in %q", s, text(doc))
				}
			}
			if tt.name == "busy" {
				if _, ok := attr(mustID(t, doc, "submit"), "disabled"); !ok {
					t.Error("#submit not disabled while busy")
				}
			}
			if tt.name == "expired" {
				if href, _ := attr(mustID(t, doc, "back"), "href"); href != "/"+testEnv+"/myaccount/" {
					t.Errorf("back link = %q", href)
				}
			}
			if tt.name == "deviceSelection" {
				if _, ok := attr(mustID(t, doc, "device-d1"), "checked"); !ok {
					t.Error("default device not preselected")
				}
				if _, ok := attr(mustID(t, doc, "device-d2"), "checked"); ok {
					t.Error("second device preselected")
				}
			}
		})
	}
}

func TestFlowErrorText(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		want        string
		wantExpired bool
	}{
		{name: "wrongOTP", err: &apierr.Error{Status: 400, Code: apierr.InvalidData, Message: "x",
			Details: []apierr.Detail{{Code: apierr.DetailInvalidOTP, InnerError: map[string]any{"attemptsRemaining": float64(2)}}}},
			want: "Wrong code, 2 attempts left"},
		{name: "wrongOTPNoCount", err: &apierr.Error{Status: 400, Code: apierr.InvalidData, Details: []apierr.Detail{{Code: apierr.DetailInvalidOTP}}},
			want: "Wrong code. Try again."},
		{name: "limited", err: &apierr.Error{Status: 429, Code: apierr.RequestLimited, RetryAfter: 30}, want: "Too many attempts, try again in 30 s"},
		{name: "limitedNoDelay", err: &apierr.Error{Status: 429, Code: apierr.RequestLimited}, want: "Too many attempts, try again later."},
		{name: "expired", err: &apierr.Error{Status: 404, Code: apierr.NotFound}, want: "This sign-on page has expired", wantExpired: true},
		{name: "credentials", err: &apierr.Error{Status: 400, Code: apierr.InvalidData, Details: []apierr.Detail{{Code: apierr.DetailInvalidCredentials}}},
			want: "Wrong username or password."},
		{name: "locked", err: &apierr.Error{Status: 400, Code: apierr.InvalidData, Details: []apierr.Detail{{Code: apierr.DetailAccountLocked}}},
			want: T(MsgErrLocked)},
		{name: "codeExpired", err: &apierr.Error{Status: 400, Code: apierr.InvalidData, Details: []apierr.Detail{{Code: apierr.DetailOTPExpired}}},
			want: T(MsgErrCodeExpired)},
		{name: "serverMessage", err: &apierr.Error{Status: 400, Code: apierr.InvalidData, Message: "The email address is not valid."},
			want: "The email address is not valid."},
		{name: "serverError", err: &apierr.Error{Status: 500, Code: apierr.UnexpectedServerError, Message: "internal"}, want: T(MsgErrGeneric)},
		{name: "offline", err: fmt.Errorf("get flow: %w", apiclient.ErrNetwork), want: T(MsgErrOffline)},
		{name: "wrapped", err: fmt.Errorf("flow action: %w", &apierr.Error{Status: 429, RetryAfter: 5}), want: "Too many attempts, try again in 5 s"},
		{name: "other", err: errors.New("decode"), want: T(MsgErrGeneric)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, expired := flowErrorText(tt.err)
			if got != tt.want || expired != tt.wantExpired {
				t.Errorf("flowErrorText = %q, %v; want %q, %v", got, expired, tt.want, tt.wantExpired)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	here, _ := url.Parse("https://id.example/" + testEnv + "/signon/?flowId=f1")
	tests := []struct {
		name, in string
		ok       bool
	}{
		{name: "path", in: "/" + testEnv + "/as/resume?flowId=f1", ok: true},
		{name: "sameOriginAbsolute", in: "https://id.example/" + testEnv + "/as/resume?flowId=f1", ok: true},
		{name: "otherHost", in: "https://evil.example/x"},
		{name: "otherScheme", in: "http://id.example/x"},
		{name: "protocolRelative", in: "//evil.example/x"},
		{name: "backslash", in: "/\\evil.example"},
		{name: "javascript", in: "javascript:alert(1)"},
		{name: "relative", in: "resume"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := sameOrigin(tt.in, here); ok != tt.ok {
				t.Errorf("sameOrigin(%q) = %v", tt.in, ok)
			}
		})
	}
}

// flowServer is a scripted hosted sign-on flow: each POST action answers
// from the script; every request is recorded.
type flowServer struct {
	mu       sync.Mutex
	getFlow  func() (int, any)
	actions  map[string][]func(body map[string]any) (int, http.Header, any)
	requests []string
}

func (s *flowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path != paths.Build(paths.Flow, testEnv, "f1") {
		http.NotFound(w, r)
		return
	}
	var status int
	var body any
	hdr := http.Header{}
	switch r.Method {
	case "GET":
		s.requests = append(s.requests, "GET")
		status, body = s.getFlow()
	case "POST":
		action := paths.ActionOf(r.Header.Get("Content-Type"))
		var in map[string]any
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &in)
		s.requests = append(s.requests, action+" "+string(b))
		script := s.actions[action]
		if len(script) == 0 {
			status, body = 415, apierr.New(415, apierr.UnsupportedMediaType, "unexpected action "+action)
			break
		}
		var h http.Header
		status, h, body = script[0](in)
		s.actions[action] = script[1:]
		for k, v := range h {
			hdr[k] = v
		}
	}
	for k, v := range hdr {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *flowServer) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func ok(f *resource.Flow) func(map[string]any) (int, http.Header, any) {
	return func(map[string]any) (int, http.Header, any) { return 200, nil, f }
}

func newSignOnPage(t *testing.T, srv *flowServer) (*SignOnPage, *fakeBrowser) {
	t.Helper()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	b := &fakeBrowser{}
	return &SignOnPage{deps: &signonDeps{
		api:     apiclient.New(apiclient.Config{BaseURL: hs.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: hs.Client()}}),
		browser: b,
	}}, b
}

func TestSignOnPageWholeFlow(t *testing.T) {
	device := resource.Device{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "j***@example.com"}
	wrongOTP := func(map[string]any) (int, http.Header, any) {
		return 400, nil, apierr.Invalid("The passcode is not valid.", apierr.Detail{
			Code: apierr.DetailInvalidOTP, Target: "otp", Message: "wrong", InnerError: map[string]any{"attemptsRemaining": 2},
		})
	}
	srv := &flowServer{
		getFlow: func() (int, any) { return 200, flowWith(resource.FlowUsernamePasswordRequired) },
		actions: map[string][]func(map[string]any) (int, http.Header, any){
			resource.ActionUsernamePasswordCheck: {ok(flowWith(resource.FlowMFAEnrollmentRequired))},
			resource.ActionDeviceRegister:        {ok(flowWith(resource.FlowOTPRequired, device))},
			resource.ActionOTPCheck: {wrongOTP, ok(&resource.Flow{ID: "f1", Status: resource.FlowCompleted,
				ResumeURL: "/" + testEnv + "/as/resume?flowId=f1"})},
			resource.ActionOTPResend: {ok(flowWith(resource.FlowOTPRequired, device))},
		},
	}
	p, b := newSignOnPage(t, srv)
	ctx, e := newHarness(t)
	u, _ := url.Parse("https://id.example/" + testEnv + "/signon/?flowId=f1")

	p.mount(ctx, u)
	e.ConsumeAll()
	doc := render(t, p)
	mustID(t, doc, "username")
	mustID(t, doc, "password")

	// Invalid input is refused before anything is sent.
	p.submitPassword(ctx, " ", "secret")
	e.ConsumeAll()
	if p.errText != T(MsgErrUsernameRequired) {
		t.Errorf("empty username: errText = %q", p.errText)
	}
	p.submitPassword(ctx, "jane", "")
	e.ConsumeAll()
	if p.errText != T(MsgErrPasswordRequired) {
		t.Errorf("empty password: errText = %q", p.errText)
	}
	p.submitPassword(ctx, "ja ne", "secret")
	e.ConsumeAll()
	if p.errText != T(MsgErrUsernameFormat) {
		t.Errorf("username with a space: errText = %q", p.errText)
	}
	if got := srv.log(); len(got) != 1 {
		t.Fatalf("invalid input reached the server: %v", got)
	}

	p.submitPassword(ctx, "jane", "correct horse")
	e.ConsumeAll()
	doc = render(t, p)
	mustID(t, doc, "email")
	if !strings.Contains(text(doc), "Add an email address to receive one-time passcodes") {
		t.Errorf("enrollment step text = %q", text(doc))
	}

	p.submitEmail(ctx, "not-an-email")
	e.ConsumeAll()
	if p.errText != T(MsgErrEmail) {
		t.Errorf("bad email: errText = %q", p.errText)
	}
	p.submitEmail(ctx, "jane@example.com")
	e.ConsumeAll()
	doc = render(t, p)
	mustID(t, doc, "otp")
	if !strings.Contains(text(doc), "j***@example.com") {
		t.Errorf("OTP step does not say where the code went: %q", text(doc))
	}

	p.submitOTP(ctx, "12ab")
	e.ConsumeAll()
	if p.errText != T(MsgErrOTPFormat) {
		t.Errorf("bad otp: errText = %q", p.errText)
	}
	p.submitOTP(ctx, "000000")
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "error")); got != "Wrong code, 2 attempts left" {
		t.Errorf("#error = %q", got)
	}
	mustID(t, doc, "otp") // still on the OTP step

	p.resend(ctx)
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "notice")); got != T(MsgResent) {
		t.Errorf("#notice = %q", got)
	}
	if byID(doc, "error") != nil {
		t.Error("old error still shown after resend")
	}

	p.submitOTP(ctx, "123456")
	e.ConsumeAll()
	if got := b.last(); got != "/"+testEnv+"/as/resume?flowId=f1" {
		t.Errorf("redirect = %q, want the resumeUrl", got)
	}

	want := []string{
		"GET",
		`usernamePassword.check {"username":"jane","password":"correct horse"}`,
		`device.register {"type":"EMAIL","email":"jane@example.com"}`,
		`otp.check {"otp":"000000"}`,
		`otp.resend {}`,
		`otp.check {"otp":"123456"}`,
	}
	if got := srv.log(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSignOnPageDeviceSelection(t *testing.T) {
	devices := []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "a***@example.com"},
		{ID: "d2", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "b***@example.com"},
	}
	srv := &flowServer{
		getFlow: func() (int, any) { return 200, flowWith(resource.FlowDeviceSelectionRequired, devices...) },
		actions: map[string][]func(map[string]any) (int, http.Header, any){
			resource.ActionDeviceSelect: {ok(flowWith(resource.FlowOTPRequired, devices[1]))},
		},
	}
	p, _ := newSignOnPage(t, srv)
	ctx, e := newHarness(t)
	u, _ := url.Parse("https://id.example/" + testEnv + "/signon/?flowId=f1")
	p.mount(ctx, u)
	e.ConsumeAll()
	p.submitDevice(ctx, "")
	e.ConsumeAll()
	if p.errText != T(MsgErrSelectDevice) {
		t.Errorf("no device: errText = %q", p.errText)
	}
	p.submitDevice(ctx, "d2")
	e.ConsumeAll()
	if got := srv.log(); got[len(got)-1] != `device.select {"device":{"id":"d2"}}` {
		t.Errorf("requests = %v", got)
	}
	mustID(t, render(t, p), "otp")
}

func TestSignOnPageErrors(t *testing.T) {
	tests := []struct {
		name    string
		get     func() (int, any)
		action  func(map[string]any) (int, http.Header, any)
		url     string
		want    string
		expired bool
	}{
		{name: "expiredOnLoad", get: func() (int, any) { return 404, apierr.NotFoundError("flow not found") }, want: "This sign-on page has expired", expired: true},
		{name: "expiredOnAction", action: func(map[string]any) (int, http.Header, any) { return 404, nil, apierr.NotFoundError("gone") },
			want: "This sign-on page has expired", expired: true},
		{name: "limited", action: func(map[string]any) (int, http.Header, any) {
			return 429, http.Header{"Retry-After": {"30"}}, apierr.Limited(30)
		}, want: "Too many attempts, try again in 30 s"},
		{name: "noFlowID", url: "https://id.example/" + testEnv + "/signon/", want: "This sign-on page has expired", expired: true},
		{name: "badFlowID", url: "https://id.example/" + testEnv + "/signon/?flowId=..%2Fx", want: "This sign-on page has expired", expired: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &flowServer{
				getFlow: tt.get,
				actions: map[string][]func(map[string]any) (int, http.Header, any){resource.ActionUsernamePasswordCheck: {tt.action}},
			}
			if srv.getFlow == nil {
				srv.getFlow = func() (int, any) { return 200, flowWith(resource.FlowUsernamePasswordRequired) }
			}
			p, _ := newSignOnPage(t, srv)
			ctx, e := newHarness(t)
			raw := tt.url
			if raw == "" {
				raw = "https://id.example/" + testEnv + "/signon/?flowId=f1"
			}
			u, _ := url.Parse(raw)
			p.mount(ctx, u)
			e.ConsumeAll()
			if tt.action != nil {
				p.submitPassword(ctx, "jane", "pw")
				e.ConsumeAll()
			}
			doc := render(t, p)
			if got := text(mustID(t, doc, "error")); got != tt.want {
				t.Errorf("#error = %q, want %q", got, tt.want)
			}
			if (byID(doc, "back") != nil) != tt.expired {
				t.Errorf("back link shown = %v, want %v", byID(doc, "back") != nil, tt.expired)
			}
			if tt.url != "" && len(srv.log()) != 0 {
				t.Errorf("a bad URL reached the server: %v", srv.log())
			}
		})
	}
}
