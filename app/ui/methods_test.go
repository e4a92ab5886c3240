//go:build !js

package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

func testDevices() []resource.Device {
	return []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActivationRequired, Email: "pending@example.com"},
		{ID: "d2", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com", Nickname: "Home"},
		{ID: "d3", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "work@example.com"},
	}
}

// rowActions lists the action classes of each device row, in order.
func rowActions(t *testing.T, c *MethodsPanel) map[string]string {
	t.Helper()
	doc := render(t, c)
	out := map[string]string{}
	for _, row := range byClass(doc, "device") {
		id, _ := attr(row, "data-device-id")
		var acts []string
		for _, b := range byClass(row, "action") {
			cls, _ := attr(b, "class")
			acts = append(acts, strings.TrimSpace(strings.TrimPrefix(cls, "action")))
		}
		out[id] = strings.Join(acts, ",")
	}
	return out
}

func TestMethodsPanelActionsFollowScopes(t *testing.T) {
	tests := []struct {
		name  string
		panel MethodsPanel
		want  map[string]string
		ids   []string // present
		no    []string // absent
	}{
		{
			name:  "readOnly",
			panel: MethodsPanel{Devices: testDevices()},
			want:  map[string]string{"d1": "", "d2": "", "d3": ""},
			ids:   []string{"read-only"},
			no:    []string{"add-method", "verify"},
		},
		{
			name:  "full",
			panel: MethodsPanel{Devices: testDevices(), CanCreate: true, CanUpdate: true, CanDelete: true},
			want: map[string]string{
				"d1": "finish-pairing,rename,move-down,remove",
				"d2": "rename,move-up,move-down,remove", // the default: no "Make default"
				"d3": "rename,move-up,make-default,remove",
			},
			ids: []string{"add-method"},
			no:  []string{"read-only", "verify"},
		},
		{
			name:  "deleteOnly",
			panel: MethodsPanel{Devices: testDevices(), CanDelete: true},
			want:  map[string]string{"d1": "remove", "d2": "remove", "d3": "remove"},
			no:    []string{"add-method", "read-only"},
		},
		{
			name:  "stepUpOffered",
			panel: MethodsPanel{Devices: testDevices(), NeedVerify: true},
			want:  map[string]string{"d1": "", "d2": "", "d3": ""},
			ids:   []string{"verify", "read-only"},
			no:    []string{"add-method"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rowActions(t, &tt.panel)
			for id, want := range tt.want {
				if got[id] != want {
					t.Errorf("row %s actions = %q, want %q", id, got[id], want)
				}
			}
			doc := render(t, &tt.panel)
			wantIDs(t, doc, tt.ids, tt.no)
			if n := len(byClass(doc, "device-default")); n != 1 {
				t.Errorf("%d default rows, want 1", n)
			}
		})
	}
}

func TestMethodsPanelSteps(t *testing.T) {
	choose := render(t, &MethodsPanel{Step: PairChoose})
	mustID(t, choose, "add-email")
	if got := text(mustID(t, choose, "email-weak")); !strings.Contains(got, "NIST 800-63B") {
		t.Errorf("email not marked weakest: %q", got)
	}
	if d, _ := attr(mustID(t, choose, "add-email"), "aria-describedby"); d != "email-weak" {
		t.Errorf("#add-email aria-describedby = %q", d)
	}

	email := render(t, &MethodsPanel{Step: PairEmail, Error: T(MsgErrEmail)})
	for _, id := range []string{"email", "submit", "cancel", "error"} {
		mustID(t, email, id)
	}
	// go-app's HTML encoder writes aria-invalid="true" as a bare attribute.
	if _, ok := attr(mustID(t, email, "email"), "aria-invalid"); !ok {
		t.Error("#email not marked invalid beside the error")
	}

	pair := render(t, &MethodsPanel{Step: PairOTP, PairTarget: "w***@example.com"})
	for _, id := range []string{"otp", "submit", "resend", "cancel"} {
		mustID(t, pair, id)
	}
	if got := text(pair); !strings.Contains(got, "Email pairing") || !strings.Contains(got, "w***@example.com") {
		t.Errorf("pairing step text = %q", got)
	}

	rename := render(t, &MethodsPanel{Devices: testDevices(), CanUpdate: true, Renaming: "d3"})
	mustID(t, rename, "nickname")
	if l := findAll(rename, func(n *nodeT) bool { v, _ := attr(n, "for"); return n.Data == "label" && v == "nickname" }); len(l) != 1 {
		t.Error("#nickname has no label")
	}
	if got := rowActions(t, &MethodsPanel{Devices: testDevices(), CanUpdate: true, Renaming: "d3"})["d3"]; got != "save-nickname,cancel-rename" {
		t.Errorf("renaming row actions = %q", got)
	}

	confirm := render(t, &MethodsPanel{Devices: testDevices(), CanDelete: true, Confirming: "d2"})
	mustID(t, confirm, "confirm-remove")
	if got := text(mustID(t, confirm, "confirm-text")); !strings.Contains(got, "Home") {
		t.Errorf("confirmation does not name the device: %q", got)
	}
}

func TestDefaultOrder(t *testing.T) {
	tests := []struct {
		name string
		id   string
		want string
	}{
		{name: "lastActiveBeforeDefault", id: "d3", want: "d1,d3,d2"},
		{name: "alreadyDefault", id: "d2", want: "d1,d2,d3"},
		{name: "pendingStays", id: "d1", want: "d1,d2,d3"},
		{name: "unknown", id: "zz", want: "d1,d2,d3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(defaultOrder(testDevices(), tt.id), ","); got != tt.want {
				t.Errorf("order = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFailedMapsDeviceErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		want       string
		needVerify bool
	}{
		{name: "mfaRequired", err: &apierr.Error{Status: 403, Code: apierr.InsufficientPermission,
			Details: []apierr.Detail{{Code: apierr.DetailMFARequired}}}, needVerify: true},
		{name: "wrongOTP", err: &apierr.Error{Status: 400, Code: apierr.InvalidData,
			Details: []apierr.Detail{{Code: apierr.DetailInvalidOTP, InnerError: map[string]any{"attemptsRemaining": float64(2)}}}},
			want: "Wrong code, 2 attempts left"},
		{name: "limited", err: &apierr.Error{Status: 429, Code: apierr.RequestLimited, RetryAfter: 30}, want: "Too many attempts, try again in 30 s"},
		{name: "cap", err: &apierr.Error{Status: 400, Code: apierr.RequestFailed,
			Details: []apierr.Detail{{Code: apierr.DetailLimitExceeded}}}, want: T(MsgErrDeviceLimit)},
		{name: "plain403", err: &apierr.Error{Status: 403, Code: apierr.InsufficientPermission, Message: "no scope"}, want: "no scope"},
		{name: "gone", err: &apierr.Error{Status: 404, Code: apierr.NotFound}, want: T(MsgErrDeviceGone)},
		{name: "other", err: fmt.Errorf("boom"), want: T(MsgErrGeneric)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := failed(fmt.Errorf("call: %w", tt.err))
			if r.err != tt.want || r.needVerify != tt.needVerify {
				t.Errorf("failed = %q verify %v, want %q verify %v", r.err, r.needVerify, tt.want, tt.needVerify)
			}
		})
	}
}

// deviceServer fakes the device API for one user: it checks media types
// and bodies, keeps the list, and answers MFA_REQUIRED while stale is set.
type deviceServer struct {
	t       *testing.T
	mu      sync.Mutex
	devices []resource.Device
	stale   bool
	calls   []string
	// pairingOver stops reads returning a pending TOTP key (30 min gone).
	pairingOver bool
}

const (
	testSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	testQR     = "data:image/png;base64,iVBORw0KGgo="
)

func (s *deviceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := jsonReply(w)
	if r.Header.Get("Authorization") != "Bearer tok" {
		reply(401, map[string]string{"code": "INVALID_TOKEN"})
		return
	}
	body, _ := io.ReadAll(r.Body)
	ct := r.Header.Get("Content-Type")
	s.calls = append(s.calls, r.Method+" "+strings.TrimPrefix(r.URL.Path, paths.Build(paths.Devices, testEnv, userID))+" "+ct)
	if r.Method != "GET" && s.stale {
		reply(403, apierr.Error{Code: apierr.InsufficientPermission, Message: "verify first",
			Details: []apierr.Detail{{Code: apierr.DetailMFARequired}}})
		return
	}
	list := func() { reply(200, resource.NewList("devices", s.devices, "self", "")) }
	base := paths.Build(paths.Devices, testEnv, userID)
	id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, base), "/")
	id = strings.TrimSuffix(id, "/nickname")
	find := func() int {
		for i, d := range s.devices {
			if d.ID == id {
				return i
			}
		}
		return -1
	}
	switch {
	case r.Method == "GET" && r.URL.Path == base:
		list()
	case r.Method == "POST" && r.URL.Path == base && ct == paths.JSON:
		var in apiclient.NewEmailDevice
		_ = json.Unmarshal(body, &in)
		d := resource.Device{ID: "new", Type: in.Type, Email: in.Email, Status: resource.DeviceActivationRequired}
		s.devices = append(s.devices, d)
		if in.Type == resource.DeviceTOTP {
			// The list never carries the key; the answer does.
			d.Secret, d.KeyURI, d.QRImage = testSecret, "otpauth://totp/x", testQR
		}
		reply(201, d)
	case r.Method == "GET" && find() >= 0:
		d := s.devices[find()]
		if d.Type == resource.DeviceTOTP && d.Status == resource.DeviceActivationRequired && !s.pairingOver {
			d.Secret, d.QRImage = testSecret, testQR
		}
		reply(200, d)
	case r.Method == "POST" && r.URL.Path == base && ct == paths.ActionDevicesReorder:
		var in struct{ Order []resource.Ref }
		_ = json.Unmarshal(body, &in)
		var out []resource.Device
		for _, ref := range in.Order {
			for _, d := range s.devices {
				if d.ID == ref.ID {
					out = append(out, d)
				}
			}
		}
		s.devices = out
		list()
	case r.Method == "POST" && ct == paths.ActionDeviceActivate && find() >= 0:
		var in resource.OTPCheck
		_ = json.Unmarshal(body, &in)
		if in.OTP != "123456" {
			reply(400, apierr.Error{Code: apierr.InvalidData, Message: "wrong",
				Details: []apierr.Detail{{Code: apierr.DetailInvalidOTP, InnerError: map[string]any{"attemptsRemaining": 4}}}})
			return
		}
		s.devices[find()].Status = resource.DeviceActive
		reply(200, s.devices[find()])
	case r.Method == "POST" && ct == paths.ActionDeviceSendCode && find() >= 0:
		reply(204, nil)
	case r.Method == "PUT" && strings.HasSuffix(r.URL.Path, "/nickname") && ct == paths.JSON && find() >= 0:
		var in struct{ Nickname string }
		_ = json.Unmarshal(body, &in)
		s.devices[find()].Nickname = in.Nickname
		reply(200, s.devices[find()])
	case r.Method == "DELETE" && find() >= 0:
		i := find()
		s.devices = append(s.devices[:i], s.devices[i+1:]...)
		reply(204, nil)
	default:
		reply(400, apierr.Error{Code: apierr.InvalidData, Message: "unexpected " + r.Method + " " + r.URL.Path + " " + ct})
	}
}

func (s *deviceServer) ids() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(deviceIDs(s.devices), ",")
}

func TestMyAccountPageManagesMethods(t *testing.T) {
	ds := &deviceServer{t: t, devices: []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
	}}
	p, ctx, e := mfaTabPage(t, ds, deviceScopes(), ds.devices)

	// Add Method → Email: a bad address never leaves the page.
	p.methodsPanel().(*MethodsPanel).OnAdd(ctx)
	p.methodsPanel().(*MethodsPanel).OnChooseEmail(ctx)
	p.addEmail(ctx, "not an address")
	if p.methods.err != T(MsgErrEmail) || len(ds.calls) != 0 {
		t.Fatalf("bad address: err %q, calls %v", p.methods.err, ds.calls)
	}
	p.addEmail(ctx, " work@example.com ")
	e.ConsumeAll()
	if p.methods.step != PairOTP || p.methods.pairID != "new" || p.methods.pairTarget != "w***@example.com" {
		t.Fatalf("after create: %+v", p.methods)
	}
	mustID(t, render(t, p), "otp")

	// A wrong code says how many tries are left; the right one pairs.
	p.activate(ctx, "000000")
	e.ConsumeAll()
	if p.methods.err != "Wrong code, 4 attempts left" || p.methods.step != PairOTP {
		t.Fatalf("wrong code: %+v", p.methods)
	}
	p.resendCode(ctx)
	e.ConsumeAll()
	if p.methods.notice != T(MsgResent) || p.methods.step != PairOTP {
		t.Fatalf("resend: %+v", p.methods)
	}
	p.activate(ctx, "123456")
	e.ConsumeAll()
	if p.methods.step != PairNone || p.methods.err != "" || len(p.devices) != 2 || p.devices[1].Status != resource.DeviceActive {
		t.Fatalf("after activation: %+v, devices %+v", p.methods, p.devices)
	}

	// Rename, make default, remove the first.
	p.rename(ctx, "new", strings.Repeat("x", 101))
	if p.methods.err != T(MsgErrNicknameLength) {
		t.Errorf("long nickname: %q", p.methods.err)
	}
	p.rename(ctx, "new", "Work")
	e.ConsumeAll()
	p.makeDefault(ctx, "new")
	e.ConsumeAll()
	if got := ds.ids(); got != "new,d1" {
		t.Fatalf("order after make default = %s", got)
	}
	p.move(ctx, "new", 1)
	e.ConsumeAll()
	p.move(ctx, "new", -1)
	e.ConsumeAll()
	p.remove(ctx, "d1")
	e.ConsumeAll()
	if len(p.devices) != 1 || p.devices[0].ID != "new" || p.devices[0].Nickname != "Work" {
		t.Fatalf("after remove: %+v", p.devices)
	}
	wantCalls := []string{
		"POST  application/json",
		"GET  ",
		"POST /new application/vnd.pingidentity.device.activate+json",
		"POST /new application/vnd.pingidentity.device.sendActivationCode+json",
		"POST /new application/vnd.pingidentity.device.activate+json",
		"GET  ",
		"PUT /new/nickname application/json",
		"GET  ",
		"POST  application/vnd.pingidentity.devices.reorder+json",
		"POST  application/vnd.pingidentity.devices.reorder+json",
		"POST  application/vnd.pingidentity.devices.reorder+json",
		"DELETE /d1 ",
		"GET  ",
	}
	if strings.Join(ds.calls, "\n") != strings.Join(wantCalls, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(ds.calls, "\n"), strings.Join(wantCalls, "\n"))
	}

	// MFA too old: the tab offers the step-up instead of failing.
	ds.mu.Lock()
	ds.stale = true
	ds.mu.Unlock()
	p.methods.renaming = "new"
	p.rename(ctx, "new", "Again")
	e.ConsumeAll()
	if !p.methods.needVerify || p.methods.renaming != "" {
		t.Fatalf("MFA_REQUIRED: %+v", p.methods)
	}
	mustID(t, render(t, p), "verify")
}

func TestVerifyStepsUpWithoutPromptLogin(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:device")
	ctx, e := newHarness(t)
	p := &MyAccountPage{acct: f.acct, sess: &session{accessToken: "tok", sub: userID, scopes: scope.Set{scope.ReadDevice}},
		scopes: scope.Set{scope.ReadDevice}, phase: phaseReady, loaded: true, tab: "mfa"}
	// Reduced scopes: read-only, with the step-up offered.
	doc := render(t, p)
	mustID(t, doc, "read-only")
	mustID(t, doc, "verify")
	if byID(doc, "add-method") != nil || len(byClass(doc, "remove")) != 0 {
		t.Error("write controls shown without the write scopes")
	}
	p.verify(ctx)
	e.ConsumeAll()
	q := f.authorizeParams(t, authResult{redirect: f.browser.last()})
	if q.Get("acr_values") != "Multi_Factor" || q.Has("prompt") || q.Get("code_challenge_method") != "S256" {
		t.Errorf("step-up authorize = %v", q)
	}
	if !strings.Contains(q.Get("scope"), scope.CreateDevice) {
		t.Errorf("step-up does not ask for the write scopes: %q", q.Get("scope"))
	}
	var pend struct{ Fragment string }
	_ = f.session.Get(f.acct.pendingKey(), &pend)
	if pend.Fragment != "mfa" || p.phase != phaseLeaving {
		t.Errorf("pending fragment %q, phase %v", pend.Fragment, p.phase)
	}
}

func TestTOTPPairingStep(t *testing.T) {
	choose := render(t, &MethodsPanel{Step: PairChoose})
	if got := text(mustID(t, choose, "add-totp")); got != "Authenticator app" {
		t.Errorf("#add-totp = %q", got)
	}

	doc := render(t, &MethodsPanel{Step: PairTOTP, PairSecret: testSecret, PairQR: testQR, Error: "Wrong code, 4 attempts left"})
	for _, id := range []string{"otp", "submit", "cancel", "copy-secret", "error"} {
		mustID(t, doc, id)
	}
	if byID(doc, "resend") != nil {
		t.Error("an authenticator app has no code to resend")
	}
	img := mustID(t, doc, "totp-qr")
	if src, _ := attr(img, "src"); src != testQR {
		t.Errorf("QR src = %q", src)
	}
	if alt, _ := attr(img, "alt"); alt == "" {
		t.Error("QR image has no alt text")
	}
	if got := text(mustID(t, doc, "totp-secret")); got != "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP" {
		t.Errorf("secret shown as %q", got)
	}
	if !strings.Contains(text(doc), "Scan this QR code") {
		t.Errorf("title missing: %q", text(doc))
	}

	// Only a data: image is shown: anything else could load from elsewhere.
	hostile := render(t, &MethodsPanel{Step: PairTOTP, PairSecret: testSecret, PairQR: "https://evil.example/x.png"})
	if byID(hostile, "totp-qr") != nil {
		t.Error("a non-data: QR image was rendered")
	}
}

func TestGroupSecret(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "short", in: "ABC", want: "ABC"},
		{name: "exact", in: "ABCDEFGH", want: "ABCD EFGH"},
		{name: "ragged", in: "ABCDEFGHIJ", want: "ABCD EFGH IJ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupSecret(tt.in); got != tt.want {
				t.Errorf("groupSecret(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMyAccountPagePairsTOTP(t *testing.T) {
	ds := &deviceServer{t: t, devices: []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
	}}
	p, ctx, e := mfaTabPage(t, ds, deviceScopes(), ds.devices)

	// Add method → Authenticator app creates the device at once and shows
	// its QR code and key.
	p.methodsPanel().(*MethodsPanel).OnAdd(ctx)
	p.methodsPanel().(*MethodsPanel).OnChooseTOTP(ctx)
	e.ConsumeAll()
	if p.methods.step != PairTOTP || p.methods.pairID != "new" || p.methods.pairSecret != testSecret || p.methods.pairQR != testQR {
		t.Fatalf("after create: %+v", p.methods)
	}
	if len(p.devices) != 2 || p.devices[1].Secret != "" {
		t.Fatalf("list after create: %+v", p.devices)
	}
	mustID(t, render(t, p), "totp-qr")

	p.copySecret(ctx)
	browser := p.acct.browser.(*fakeBrowser)
	if browser.copied == nil || browser.copied[0] != testSecret || p.methods.notice != T(MsgTOTPCopied) {
		t.Errorf("copy: clipboard %v, notice %q", browser.copied, p.methods.notice)
	}

	// Cancel, then "Finish pairing" reads the device again for its key.
	p.methodsPanel().(*MethodsPanel).OnCancel(ctx)
	if p.methods.pairSecret != "" {
		t.Fatal("the key stays in the page after cancel")
	}
	doc := render(t, p)
	if n := len(byClass(doc, "finish-pairing")); n != 1 {
		t.Fatalf("%d finish-pairing buttons, want 1", n)
	}
	p.finishPairing(ctx, "new")
	e.ConsumeAll()
	if p.methods.step != PairTOTP || p.methods.pairSecret != testSecret {
		t.Fatalf("finish pairing: %+v", p.methods)
	}

	// A wrong code keeps the step (and the key); the right one pairs.
	p.activate(ctx, "000000")
	e.ConsumeAll()
	if p.methods.err != "Wrong code, 4 attempts left" || p.methods.step != PairTOTP || p.methods.pairSecret != testSecret {
		t.Fatalf("wrong code: %+v", p.methods)
	}
	p.activate(ctx, "123456")
	e.ConsumeAll()
	if p.methods.step != PairNone || p.methods.pairSecret != "" || p.devices[1].Status != resource.DeviceActive {
		t.Fatalf("after activation: %+v, devices %+v", p.methods, p.devices)
	}
	wantCalls := []string{
		"POST  application/json",
		"GET  ",
		"GET /new ",
		"POST /new application/vnd.pingidentity.device.activate+json",
		"POST /new application/vnd.pingidentity.device.activate+json",
		"GET  ",
	}
	if strings.Join(ds.calls, "\n") != strings.Join(wantCalls, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(ds.calls, "\n"), strings.Join(wantCalls, "\n"))
	}

	// Past the pairing window the read has no key: say so, not a blank step.
	ds.mu.Lock()
	ds.devices = append(ds.devices, resource.Device{ID: "old", Type: resource.DeviceTOTP, Status: resource.DeviceActivationRequired})
	ds.pairingOver = true
	p.devices = append([]resource.Device(nil), ds.devices...)
	ds.mu.Unlock()
	p.finishPairing(ctx, "old")
	e.ConsumeAll()
	if p.methods.step != PairNone || p.methods.err != T(MsgTOTPPairExpired) {
		t.Errorf("expired pairing: %+v", p.methods)
	}
}
