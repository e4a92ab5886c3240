//go:build !js

package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// fakeWebAuthn plays the authenticator: each call takes the next answer.
type fakeWebAuthn struct {
	mu      sync.Mutex
	answers []error // nil: succeed
	options []string
}

func (w *fakeWebAuthn) next(options, out string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.options = append(w.options, options)
	if len(w.answers) > 0 {
		err := w.answers[0]
		w.answers = w.answers[1:]
		if err != nil {
			return "", err
		}
	}
	return out, nil
}

func (w *fakeWebAuthn) Create(options string) (string, error) { return w.next(options, `{"id":"att"}`) }
func (w *fakeWebAuthn) Get(options string) (string, error)    { return w.next(options, `{"id":"as"}`) }
func (w *fakeWebAuthn) Origin() string                        { return "https://id.example" }

const testCreationOptions = `{"challenge":"Y2hhbGxlbmdl","rp":{"id":"id.example"}}`

// fidoServer fakes the device API for FIDO2 pairing.
type fidoServer struct {
	mu      sync.Mutex
	devices []resource.Device
	calls   []string
}

func (s *fidoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := jsonReply(w)
	body, _ := io.ReadAll(r.Body)
	base := paths.Build(paths.Devices, testEnv, userID)
	id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, base), "/")
	s.calls = append(s.calls, r.Method+" /"+id+" "+string(body))
	withOptions := func(d resource.Device) resource.Device {
		if d.Status == resource.DeviceActivationRequired {
			d.PublicKeyCredentialCreationOptions = testCreationOptions
		}
		return d
	}
	switch {
	case r.Method == "GET" && id == "":
		reply(200, resource.NewList("devices", s.devices, "self", ""))
	case r.Method == "POST" && id == "":
		var in apiclient.NewFIDO2Device
		_ = json.Unmarshal(body, &in)
		d := resource.Device{ID: "key", Type: in.Type, Kind: in.Kind, Status: resource.DeviceActivationRequired}
		s.devices = append(s.devices, d)
		reply(201, withOptions(d))
	case r.Method == "GET" && len(s.devices) > 1 && id == s.devices[1].ID:
		reply(200, withOptions(s.devices[1]))
	case r.Method == "POST" && r.Header.Get("Content-Type") == paths.ActionDeviceActivate && len(s.devices) > 1:
		var in resource.FIDO2Activate
		_ = json.Unmarshal(body, &in)
		if in.Attestation != `{"id":"att"}` || in.Origin != "https://id.example" {
			reply(400, apierr.Invalid("The security key or passkey response was not accepted. Try again."))
			return
		}
		s.devices[1].Status, s.devices[1].AuthenticatorName, s.devices[1].Nickname = resource.DeviceActive, "YubiKey 5 Series", "YubiKey 5 Series"
		reply(200, s.devices[1])
	default:
		reply(400, apierr.Invalid("unexpected "+r.Method+" "+r.URL.Path))
	}
}

func TestFIDO2Steps(t *testing.T) {
	choose := render(t, &MethodsPanel{Step: PairChoose})
	for id, want := range map[string]string{"add-security-key": "Security key", "add-passkey": "Passkey"} {
		if got := text(mustID(t, choose, id)); got != want {
			t.Errorf("#%s = %q, want %q", id, got, want)
		}
		if d, _ := attr(mustID(t, choose, id), "aria-describedby"); d != id+"-hint" || byID(choose, id+"-hint") == nil {
			t.Errorf("#%s is not described by its hint", id)
		}
	}

	tests := []struct {
		name, kind, title string
		busy              bool
		err               string
	}{
		{name: "key_prompt", kind: resource.FIDO2SecurityKey, title: "Add a security key", busy: true},
		{name: "passkey_failed", kind: resource.FIDO2Platform, title: "Add a passkey", err: T(MsgFIDOCancelled)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, &MethodsPanel{Step: PairFIDO2, PairKind: tt.kind, Busy: tt.busy, Error: tt.err})
			if !strings.Contains(text(doc), tt.title) {
				t.Errorf("title missing: %q", text(doc))
			}
			mustID(t, doc, "fido-prompt")
			mustID(t, doc, "cancel")
			// The retry stays while busy, disabled: it receives the result.
			if _, disabled := attr(mustID(t, doc, "fido-retry"), "disabled"); disabled != tt.busy {
				t.Errorf("retry disabled=%v while busy=%v", disabled, tt.busy)
			}
			if (byID(doc, "error") != nil) != (tt.err != "") {
				t.Errorf("error shown: %v, want %v", byID(doc, "error") != nil, tt.err != "")
			}
		})
	}

	// A paired device shows its kind and its authenticator's name.
	list := render(t, &MethodsPanel{Devices: []resource.Device{
		{ID: "p", Type: resource.DeviceFIDO2, Kind: resource.FIDO2Platform, Status: resource.DeviceActive,
			Nickname: "Laptop", AuthenticatorName: "iCloud Keychain"},
		{ID: "k", Type: resource.DeviceFIDO2, Kind: resource.FIDO2SecurityKey, Status: resource.DeviceActive,
			Nickname: "YubiKey 5 Series", AuthenticatorName: "YubiKey 5 Series"},
	}})
	rows := byClass(list, "device")
	if got := text(byClass(rows[0], "device-type")[0]); got != "Passkey" {
		t.Errorf("passkey listed as %q", got)
	}
	if got := text(byClass(rows[0], "device-authenticator")[0]); got != "iCloud Keychain" {
		t.Errorf("authenticator shown as %q", got)
	}
	if got := text(byClass(rows[1], "device-type")[0]); got != "Security key" {
		t.Errorf("key listed as %q", got)
	}
	if n := len(byClass(rows[1], "device-authenticator")); n != 0 {
		t.Error("the authenticator's name is repeated under the same nickname")
	}
}

func TestWebAuthnErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Msg
	}{
		{name: "cancelled", err: &webAuthnError{Name: "NotAllowedError"}, want: MsgFIDOCancelled},
		{name: "aborted", err: &webAuthnError{Name: "AbortError"}, want: MsgFIDOCancelled},
		{name: "registered", err: &webAuthnError{Name: "InvalidStateError"}, want: MsgFIDOExists},
		{name: "unsupported", err: &webAuthnError{Name: "NotSupportedError"}, want: MsgFIDOUnsupported},
		{name: "wrong_site", err: &webAuthnError{Name: "SecurityError"}, want: MsgFIDOUnsupported},
		{name: "wrapped", err: fmt.Errorf("x: %w", &webAuthnError{Name: "NotAllowedError"}), want: MsgFIDOCancelled},
		{name: "other", err: errors.New("boom"), want: MsgErrGeneric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := webAuthnErrorText(tt.err); got != T(tt.want) {
				t.Errorf("got %q, want %q", got, T(tt.want))
			}
		})
	}
	// Outside the browser there is no authenticator, and it says so.
	if _, err := (jsWebAuthn{}).Create("{}"); webAuthnErrorText(err) != T(MsgFIDOUnsupported) {
		t.Errorf("host stub: %v", err)
	}
}

func TestMyAccountPagePairsFIDO2(t *testing.T) {
	fs := &fidoServer{devices: []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
	}}
	p, ctx, e := mfaTabPage(t, fs, deviceScopes(), fs.devices)
	wa := &fakeWebAuthn{answers: []error{&webAuthnError{Name: "NotAllowedError"}}}
	p.acct.webauthn = wa

	// Add method → Security key: the device is made and the prompt runs;
	// the user cancels it, which the step says, keeping the device.
	p.methodsPanel().(*MethodsPanel).OnAdd(ctx)
	p.methodsPanel().(*MethodsPanel).OnChooseFIDO2(ctx, resource.FIDO2SecurityKey)
	e.ConsumeAll()
	if p.methods.step != PairFIDO2 || p.methods.pairID != "key" || p.methods.err != T(MsgFIDOCancelled) {
		t.Fatalf("after a cancelled prompt: %+v", p.methods)
	}
	doc := render(t, p)
	mustID(t, doc, "fido-retry")
	if got := text(mustID(t, doc, "error")); got != T(MsgFIDOCancelled) {
		t.Errorf("#error = %q", got)
	}
	// Try again: the device is read again and the attestation pairs it.
	p.methodsPanel().(*MethodsPanel).OnRetryFIDO2(ctx)
	e.ConsumeAll()
	if p.methods.step != PairNone || p.methods.err != "" || len(p.devices) != 2 ||
		p.devices[1].Status != resource.DeviceActive || p.devices[1].AuthenticatorName != "YubiKey 5 Series" {
		t.Fatalf("after pairing: %+v, devices %+v", p.methods, p.devices)
	}
	if len(wa.options) != 2 || wa.options[1] != testCreationOptions {
		t.Errorf("the authenticator got %q", wa.options)
	}
	want := []string{
		`POST / {"type":"FIDO2","kind":"SECURITY_KEY"}`,
		`GET /key `,
		`POST /key {"attestation":"{\"id\":\"att\"}","origin":"https://id.example"}`,
		`GET / `,
	}
	if strings.Join(fs.calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(fs.calls, "\n"), strings.Join(want, "\n"))
	}
}

func TestSignOnPageAssertion(t *testing.T) {
	key := resource.Device{ID: "k1", Type: resource.DeviceFIDO2, Kind: resource.FIDO2SecurityKey, Status: resource.DeviceActive,
		Nickname: "Blue key", AuthenticatorName: "YubiKey 5 Series"}
	step := flowWith(resource.FlowAssertionRequired, key)
	step.SelectedDevice = &resource.Ref{ID: "k1"}
	step.PublicKeyCredentialRequestOptions = `{"challenge":"Y2hhbGxlbmdl","rpId":"id.example"}`
	wrong := func(map[string]any) (int, http.Header, any) {
		d := apierr.Field(apierr.DetailInvalidValue, "assertion", "not accepted")
		d.InnerError = map[string]any{"attemptsRemaining": 2}
		return 400, nil, apierr.Invalid("Your security key or passkey was not accepted. Try again.", d)
	}
	srv := &flowServer{
		getFlow: func() (int, any) { return 200, step },
		actions: map[string][]func(map[string]any) (int, http.Header, any){
			resource.ActionAssertionCheck: {wrong, ok(&resource.Flow{ID: "f1", Status: resource.FlowCompleted,
				ResumeURL: "/" + testEnv + "/as/resume?flowId=f1"})},
		},
	}
	p, b := newSignOnPage(t, srv)
	wa := &fakeWebAuthn{answers: []error{&webAuthnError{Name: "NotAllowedError"}}}
	p.deps.webauthn = wa
	ctx, e := newHarness(t)
	u, _ := url.Parse("https://id.example/" + testEnv + "/signon/?flowId=f1")
	p.mount(ctx, u)
	e.ConsumeAll()
	doc := render(t, p)
	if got := text(mustID(t, doc, "submit")); got != "Use your security key or passkey" {
		t.Errorf("#submit = %q", got)
	}
	if got := text(mustID(t, doc, "assertion-hint")); !strings.Contains(got, "Blue key") {
		t.Errorf("the step does not name the key: %q", got)
	}

	// Cancelled in the browser: said, and nothing sent.
	p.useKey(ctx)
	e.ConsumeAll()
	if got := text(mustID(t, render(t, p), "error")); got != T(MsgFIDOCancelled) {
		t.Errorf("#error = %q", got)
	}
	// Refused by the server: its message.
	p.useKey(ctx)
	e.ConsumeAll()
	if got := text(mustID(t, render(t, p), "error")); got != "Your security key or passkey was not accepted. Try again." {
		t.Errorf("#error = %q", got)
	}
	p.useKey(ctx)
	e.ConsumeAll()
	if got := b.last(); got != "/"+testEnv+"/as/resume?flowId=f1" {
		t.Errorf("redirect = %q, want the resumeUrl", got)
	}
	if len(wa.options) != 3 || wa.options[2] != step.PublicKeyCredentialRequestOptions {
		t.Errorf("the authenticator got %q", wa.options)
	}
	want := []string{
		"GET",
		`assertion.check {"assertion":"{\"id\":\"as\"}","origin":"https://id.example"}`,
		`assertion.check {"assertion":"{\"id\":\"as\"}","origin":"https://id.example"}`,
	}
	if got := srv.log(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
