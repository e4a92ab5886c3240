//go:build !js

package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

var allChoices = []string{"add-email", "add-totp", "add-sms", "add-voice", "add-security-key", "add-passkey"}

func TestMethodsPanelFollowsPairingRules(t *testing.T) {
	active := []resource.Device{{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"}}
	pendingOnly := []resource.Device{{ID: "p1", Type: resource.DeviceEmail, Status: resource.DeviceActivationRequired, Email: "new@example.com"}}
	blocked := []resource.Device{{ID: "b1", Type: resource.DeviceSMS, Status: resource.DeviceBlocked, Phone: "+33612345678"}}
	withPending := append(append([]resource.Device(nil), active...), pendingOnly...)
	tests := []struct {
		name  string
		panel MethodsPanel
		ids   []string // present
		no    []string // absent
	}{
		{
			name:  "rulesUnknownOfferAll",
			panel: MethodsPanel{Step: PairChoose},
			ids:   allChoices,
		},
		{
			name: "onlyListedMethods",
			panel: MethodsPanel{Step: PairChoose, Pairing: &resource.AppPairing{
				Methods: []string{resource.DeviceEmail, resource.DeviceVoice, resource.DeviceTOTP}}},
			ids: []string{"add-email", "add-voice", "add-totp"},
			no:  []string{"add-sms", "add-security-key", "add-passkey"},
		},
		{
			name: "fido2Only",
			panel: MethodsPanel{Step: PairChoose, Pairing: &resource.AppPairing{
				Methods: []string{resource.DeviceFIDO2}}},
			ids: []string{"add-security-key", "add-passkey"},
			no:  []string{"add-email", "add-totp", "add-sms", "add-voice"},
		},
		{
			name: "disabledWithDevice",
			panel: MethodsPanel{Devices: withPending, CanCreate: true, CanUpdate: true, Pairing: &resource.AppPairing{
				Disabled: true, Methods: []string{resource.DeviceEmail}}},
			ids: []string{"pairing-off"},
			no:  []string{"add-method"},
		},
		{
			name: "disabledBlockedCounts",
			panel: MethodsPanel{Devices: blocked, CanCreate: true, Pairing: &resource.AppPairing{
				Disabled: true, Methods: []string{resource.DeviceEmail}}},
			ids: []string{"pairing-off"},
			no:  []string{"add-method"},
		},
		{
			name: "disabledFirstMethod",
			panel: MethodsPanel{Devices: pendingOnly, CanCreate: true, Pairing: &resource.AppPairing{
				Disabled: true, Methods: []string{resource.DeviceEmail}}},
			ids: []string{"add-method"},
			no:  []string{"pairing-off"},
		},
		{
			name: "disabledReadOnlySaysNothing",
			panel: MethodsPanel{Devices: active, Pairing: &resource.AppPairing{
				Disabled: true, Methods: []string{resource.DeviceEmail}}},
			ids: []string{"read-only"},
			no:  []string{"add-method", "pairing-off"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, &tt.panel)
			wantIDs(t, doc, tt.ids, tt.no)
		})
	}

	// Pairing off: a pending device's "Finish pairing" goes too (the
	// server would refuse its activation), while its other actions stay.
	off := MethodsPanel{Devices: withPending, CanCreate: true, CanUpdate: true, CanDelete: true,
		Pairing: &resource.AppPairing{Disabled: true, Methods: []string{resource.DeviceEmail}}}
	if got := rowActions(t, &off)["p1"]; got != "rename,move-up,remove" {
		t.Errorf("pending row actions with pairing off = %q", got)
	}
	if got := text(mustID(t, render(t, &off), "pairing-off")); got != "Your administrator has turned off adding methods." {
		t.Errorf("#pairing-off = %q", got)
	}
	on := off
	on.Pairing = &resource.AppPairing{Methods: []string{resource.DeviceEmail}}
	if got := rowActions(t, &on)["p1"]; got != "finish-pairing,rename,move-up,remove" {
		t.Errorf("pending row actions with pairing on = %q", got)
	}
}

func TestNicknameFieldOnAddForms(t *testing.T) {
	ask := &resource.AppPairing{PromptForNickname: true, Methods: []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceTOTP, resource.DeviceFIDO2}}
	tests := []struct {
		name  string
		panel MethodsPanel
		title string
		also  []string // other fields the form keeps
	}{
		{name: "email", panel: MethodsPanel{Step: PairEmail, Pairing: ask}, title: "Email", also: []string{"email"}},
		{name: "sms", panel: MethodsPanel{Step: PairPhone, PairType: resource.DeviceSMS, Country: "FR", Pairing: ask},
			title: "Text message", also: []string{"region", "phone"}},
		{name: "totp", panel: MethodsPanel{Step: PairName, PairType: resource.DeviceTOTP, Pairing: ask}, title: "Authenticator app"},
		{name: "securityKey", panel: MethodsPanel{Step: PairName, PairType: resource.DeviceFIDO2, PairKind: resource.FIDO2SecurityKey, Pairing: ask},
			title: T(MsgDevFIDO2)},
		{name: "passkey", panel: MethodsPanel{Step: PairName, PairType: resource.DeviceFIDO2, PairKind: resource.FIDO2Platform, Pairing: ask},
			title: "Passkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, &tt.panel)
			in := mustID(t, doc, "method-nickname")
			if n, _ := attr(in, "name"); n != "nickname" {
				t.Errorf("field name = %q, want nickname", n)
			}
			if m, _ := attr(in, "maxlength"); m != "100" {
				t.Errorf("maxlength = %q", m)
			}
			if _, req := attr(in, "required"); req {
				t.Error("the name is optional but the field is required")
			}
			labels := findAll(doc, func(n *nodeT) bool { v, _ := attr(n, "for"); return n.Data == "label" && v == "method-nickname" })
			if len(labels) != 1 || text(labels[0]) != "Name this method" {
				t.Errorf("label = %v", labels)
			}
			if h1 := findAll(doc, func(n *nodeT) bool { return n.Data == "h1" }); len(h1) != 1 || !strings.Contains(text(h1[0]), tt.title) {
				t.Errorf("title = %q, want %q", text(doc), tt.title)
			}
			for _, id := range append(tt.also, "submit", "cancel") {
				mustID(t, doc, id)
			}

			// What is wrong with the name shows under it.
			bad := tt.panel
			bad.NicknameError = T(MsgErrNicknameLength)
			doc = render(t, &bad)
			if got := text(mustID(t, doc, "method-nickname-error")); got != T(MsgErrNicknameLength) {
				t.Errorf("error under the field = %q", got)
			}
			if _, ok := attr(mustID(t, doc, "method-nickname"), "aria-invalid"); !ok {
				t.Error("field not marked invalid")
			}

			// Not asked: no field (the naming step is only reached when asked).
			if tt.panel.Step != PairName {
				plain := tt.panel
				plain.Pairing = &resource.AppPairing{Methods: ask.Methods}
				if byID(render(t, &plain), "method-nickname") != nil {
					t.Error("nickname field shown without promptForNickname")
				}
			}
		})
	}
}

// bodyRecorder keeps the bodies of the POSTs it passes on.
type bodyRecorder struct {
	next   http.Handler
	mu     sync.Mutex
	bodies []map[string]any
}

func (r *bodyRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method == "POST" && req.Header.Get("Content-Type") == "application/json" {
		b, _ := io.ReadAll(req.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		r.mu.Lock()
		r.bodies = append(r.bodies, m)
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.next.ServeHTTP(w, req)
}

func (r *bodyRecorder) last(t *testing.T) map[string]any {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) == 0 {
		t.Fatal("no create sent")
	}
	return r.bodies[len(r.bodies)-1]
}

func (r *bodyRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

func TestMyAccountPageSendsNickname(t *testing.T) {
	ds := &deviceServer{t: t, devices: []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
	}}
	rec := &bodyRecorder{next: ds}
	p, ctx, e := mfaTabPage(t, rec, deviceScopes(), ds.devices)
	p.pairing = &resource.AppPairing{PromptForNickname: true, Methods: []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceTOTP}}
	panel := func() *MethodsPanel { return p.methodsPanel().(*MethodsPanel) }

	// Email: the form hands its name over before its submit.
	panel().OnAdd(ctx)
	panel().OnChooseEmail(ctx)
	mustID(t, render(t, p), "method-nickname")
	panel().OnNickname(ctx, strings.Repeat("x", 101))
	p.addEmail(ctx, "work@example.com")
	if rec.count() != 0 || p.methods.nicknameErr != T(MsgErrNicknameLength) || p.methods.step != PairEmail {
		t.Fatalf("long name: %d creates, %+v", rec.count(), p.methods)
	}
	mustID(t, render(t, p), "method-nickname-error")
	panel().OnNickname(ctx, "  Work mail ")
	p.addEmail(ctx, "work@example.com")
	e.ConsumeAll()
	if b := rec.last(t); b["type"] != "EMAIL" || b["email"] != "work@example.com" || b["nickname"] != "Work mail" {
		t.Fatalf("email create body = %v", b)
	}
	if p.methods.step != PairOTP {
		t.Fatalf("after create: %+v", p.methods)
	}

	// Phone: the same field, next to the number.
	panel().OnCancel(ctx)
	panel().OnAdd(ctx)
	panel().OnChoosePhone(ctx, resource.DeviceSMS)
	panel().OnNickname(ctx, "Mobile")
	p.addPhone(ctx, "FR", "06 12 34 56 78")
	e.ConsumeAll()
	if b := rec.last(t); b["type"] != "SMS" || b["region"] != "FR" || b["nickname"] != "Mobile" {
		t.Fatalf("phone create body = %v", b)
	}

	// Authenticator app: named first, created on Next.
	panel().OnCancel(ctx)
	panel().OnAdd(ctx)
	n := rec.count()
	panel().OnChooseTOTP(ctx)
	e.ConsumeAll()
	if p.methods.step != PairName || rec.count() != n {
		t.Fatalf("TOTP chosen: %+v, %d creates", p.methods, rec.count()-n)
	}
	panel().OnSubmitName(ctx, "Phone app")
	e.ConsumeAll()
	if b := rec.last(t); b["type"] != "TOTP" || b["nickname"] != "Phone app" {
		t.Fatalf("TOTP create body = %v", b)
	}
	if p.methods.step != PairTOTP || p.methods.nickname != "" {
		t.Fatalf("after TOTP create: %+v", p.methods)
	}

	// An empty name is no name: nothing sent for it.
	panel().OnCancel(ctx)
	panel().OnAdd(ctx)
	panel().OnChooseEmail(ctx)
	panel().OnNickname(ctx, "   ")
	p.addEmail(ctx, "home@example.com")
	e.ConsumeAll()
	if b := rec.last(t); b["email"] != "home@example.com" || b["nickname"] != nil {
		t.Fatalf("create without a name = %v", b)
	}

	// Not asked: TOTP is created at once, as before.
	p.pairing.PromptForNickname = false
	panel().OnCancel(ctx)
	panel().OnAdd(ctx)
	panel().OnChooseTOTP(ctx)
	e.ConsumeAll()
	if b := rec.last(t); b["type"] != "TOTP" || b["nickname"] != nil || p.methods.step != PairTOTP {
		t.Fatalf("unnamed TOTP: body %v, %+v", b, p.methods)
	}
}

func TestMyAccountPageNamesFIDO2(t *testing.T) {
	fs := &fidoServer{devices: []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
	}}
	p, ctx, e := mfaTabPage(t, fs, scope.Set{scope.ReadDevice, scope.CreateDevice}, fs.devices)
	p.acct.webauthn = &fakeWebAuthn{}
	p.pairing = &resource.AppPairing{PromptForNickname: true, Methods: []string{resource.DeviceEmail, resource.DeviceFIDO2}}

	p.methodsPanel().(*MethodsPanel).OnAdd(ctx)
	p.methodsPanel().(*MethodsPanel).OnChooseFIDO2(ctx, resource.FIDO2SecurityKey)
	if p.methods.step != PairName || len(fs.calls) != 0 {
		t.Fatalf("security key chosen: %+v, calls %v", p.methods, fs.calls)
	}
	mustID(t, render(t, p), "method-nickname")
	p.methodsPanel().(*MethodsPanel).OnSubmitName(ctx, "Blue key")
	e.ConsumeAll()
	if len(fs.calls) == 0 || fs.calls[0] != `POST / {"type":"FIDO2","kind":"SECURITY_KEY","nickname":"Blue key"}` {
		t.Fatalf("calls = %v", fs.calls)
	}
	if p.methods.step != PairNone || p.methods.err != "" || len(p.devices) != 2 {
		t.Fatalf("after pairing: %+v, devices %+v", p.methods, p.devices)
	}
}

func TestFailedSaysPairingIsOff(t *testing.T) {
	r := failed(&apierr.Error{Status: 403, Code: apierr.InsufficientPermission, Message: "off",
		Details: []apierr.Detail{{Code: apierr.DetailPairingDisabled, Target: "mfaSettings.pairing.disabled"}}})
	if r.err != T(MsgPairingOff) || r.needVerify {
		t.Errorf("failed = %+v", r)
	}
}

// TestSignOnKeepsPairingRules: the rules config.json carries at sign-on
// reach the Authentication tab.
func TestSignOnKeepsPairingRules(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:device p1:create:device")
	rules := &resource.AppPairing{Disabled: true, Methods: []string{resource.DeviceEmail}}
	wrap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == apiclient.ConfigPath(testEnv) {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(resource.AppConfig{EnvironmentID: testEnv, ClientID: clientID, PublicURL: publicURL, Pairing: rules})
			return
		}
		f.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(wrap.Close)
	f.acct.api = apiclient.New(apiclient.Config{BaseURL: wrap.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: wrap.Client()}})
	ctx, e := newHarness(t)

	p := &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI+"#mfa"))
	e.ConsumeAll()
	q := f.authorizeParams(t, authResult{redirect: f.browser.last()})
	p = &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	e.ConsumeAll()
	if p.phase != phaseReady || p.pairing == nil || !p.pairing.Disabled {
		t.Fatalf("after sign-on: phase %v, pairing %+v, err %q", p.phase, p.pairing, p.errText)
	}
	doc := render(t, p)
	mustID(t, doc, "pairing-off")
	if byID(doc, "add-method") != nil {
		t.Error("Add method offered while pairing is off")
	}
}
