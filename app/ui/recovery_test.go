//go:build !js

package ui

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

func tenCodes() []string {
	var out []string
	for _, c := range "abcdefghjk" {
		out = append(out, strings.Repeat(string(c), 5)+"-12345")
	}
	return out
}

func TestRecoveryPanelStates(t *testing.T) {
	tests := []struct {
		name  string
		panel RecoveryPanel
		text  map[string]string // id → text
		no    []string
	}{
		{
			name:  "notLoaded",
			panel: RecoveryPanel{CanCreate: true},
			no:    []string{"recovery-remaining", "generate-codes", "recovery-codes"},
		},
		{
			name:  "none",
			panel: RecoveryPanel{Loaded: true, CanCreate: true},
			text:  map[string]string{"recovery-remaining": "You have no recovery codes yet.", "generate-codes": "Generate recovery codes"},
			no:    []string{"regenerate-warning", "recovery-verify"},
		},
		{
			name:  "nineLeft",
			panel: RecoveryPanel{Loaded: true, Exists: true, Remaining: 9, CanCreate: true},
			text:  map[string]string{"recovery-remaining": "9 codes left", "generate-codes": "Regenerate recovery codes"},
		},
		{
			name:  "oneLeft",
			panel: RecoveryPanel{Loaded: true, Exists: true, Remaining: 1},
			text:  map[string]string{"recovery-remaining": "1 code left"},
			no:    []string{"generate-codes"}, // no create scope: read-only
		},
		{
			name:  "usedUp",
			panel: RecoveryPanel{Loaded: true, Exists: true, Remaining: 0, CanCreate: true},
			text:  map[string]string{"recovery-remaining": "0 codes left"},
		},
		{
			name:  "confirming",
			panel: RecoveryPanel{Loaded: true, Exists: true, Remaining: 4, CanCreate: true, Confirming: true},
			text: map[string]string{"regenerate-warning": T(MsgRecoveryWarn), "confirm-regenerate": "Yes, make new codes",
				"cancel-regenerate": "Cancel"},
			no: []string{"generate-codes"},
		},
		{
			name:  "needVerify",
			panel: RecoveryPanel{Loaded: true, CanCreate: true, NeedVerify: true},
			text:  map[string]string{"recovery-verify": "Verify to make changes"},
			no:    []string{"generate-codes"},
		},
		{
			name:  "error",
			panel: RecoveryPanel{Loaded: true, CanCreate: true, Error: T(MsgRecoveryNeedDevice)},
			text:  map[string]string{"recovery-error": T(MsgRecoveryNeedDevice)},
		},
		{
			name:  "justMade",
			panel: RecoveryPanel{Loaded: true, Exists: true, Remaining: 10, CanCreate: true, Codes: tenCodes(), Download: "data:text/plain,x"},
			text:  map[string]string{"copy-codes": "Copy codes", "download-codes": "Download as text", "recovery-done": "I have saved them"},
			no:    []string{"recovery-remaining", "generate-codes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, &tt.panel)
			for id, want := range tt.text {
				if got := text(mustID(t, doc, id)); got != want {
					t.Errorf("#%s = %q, want %q", id, got, want)
				}
			}
			wantIDs(t, doc, nil, tt.no)
		})
	}
}

func TestRecoveryPanelShowsCodesOnce(t *testing.T) {
	codes := tenCodes()
	doc := render(t, &RecoveryPanel{Loaded: true, Exists: true, Remaining: 10, Codes: codes,
		Download: recoveryDownload(codes, "jane")})
	list := mustID(t, doc, "recovery-codes")
	items := byClass(list, "recovery-code")
	if len(items) != 10 || text(items[0]) != codes[0] || text(items[9]) != codes[9] {
		t.Fatalf("codes shown: %q", text(list))
	}
	if l, _ := attr(list, "aria-label"); l == "" {
		t.Error("the code list has no label")
	}
	a := mustID(t, doc, "download-codes")
	if d, ok := attr(a, "download"); !ok || d != recoveryFileName {
		t.Errorf("download attribute %q", d)
	}
	href, _ := attr(a, "href")
	raw, ok := strings.CutPrefix(href, "data:text/plain;charset=utf-8,")
	if !ok {
		t.Fatalf("href %.40q is not a text data: URL", href)
	}
	file, err := url.PathUnescape(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(file, T(MsgRecoveryFileHead)+" (jane)\n\n") || !strings.HasSuffix(file, strings.Join(codes, "\n")+"\n") {
		t.Errorf("downloaded file:\n%s", file)
	}
	if recoveryDownload(nil, "jane") != "" {
		t.Error("a download without codes")
	}
}

// recoveryServer fakes the recovery-code API of one user.
type recoveryServer struct {
	mu        sync.Mutex
	remaining int
	exists    bool
	stale     bool // answers MFA_REQUIRED to writes
	noDevice  bool
	calls     []string
}

func (s *recoveryServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := jsonReply(w)
	body, _ := io.ReadAll(r.Body)
	s.calls = append(s.calls, r.Method+" "+r.Header.Get("Content-Type")+" "+string(body))
	if r.URL.Path != paths.Build(paths.RecoveryCodes, testEnv, userID) || r.Header.Get("Authorization") != "Bearer tok" {
		reply(404, apierr.NotFoundError("no"))
		return
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	switch {
	case r.Method == "GET":
		out := resource.RecoveryCodes{Remaining: s.remaining}
		if s.exists {
			out.CreatedAt = &at
		}
		reply(200, out)
	case s.stale:
		reply(403, apierr.Error{Code: apierr.InsufficientPermission, Message: "verify first",
			Details: []apierr.Detail{{Code: apierr.DetailMFARequired}}})
	case s.noDevice:
		reply(400, apierr.Error{Code: apierr.RequestFailed, Message: "add a device",
			Details: []apierr.Detail{{Code: apierr.DetailNoUsableDevices, Target: "devices"}}})
	default:
		s.exists, s.remaining = true, 10
		reply(201, resource.RecoveryCodes{Codes: tenCodes(), Remaining: 10, CreatedAt: &at})
	}
}

func TestMyAccountPageMakesRecoveryCodes(t *testing.T) {
	rs := &recoveryServer{remaining: 3, exists: true}
	p, ctx, e := mfaTabPage(t, rs, deviceScopes(),
		[]resource.Device{{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"}})
	p.user = &resource.User{Username: "jane"}

	p.loadRecovery(ctx)
	e.ConsumeAll()
	doc := render(t, p)
	if got := text(mustID(t, doc, "recovery-remaining")); got != "3 codes left" {
		t.Fatalf("#recovery-remaining = %q", got)
	}

	// Regenerate warns first; cancel sends nothing.
	p.generateRecovery(ctx)
	mustID(t, render(t, p), "regenerate-warning")
	p.recoveryPanel().(*RecoveryPanel).OnCancel(ctx)
	if p.recovery.confirming || len(rs.calls) != 1 {
		t.Fatalf("after cancel: %+v, calls %v", p.recovery, rs.calls)
	}
	p.generateRecovery(ctx)
	p.generateRecovery(ctx) // "Yes, make new codes"
	e.ConsumeAll()
	doc = render(t, p)
	if n := len(byClass(mustID(t, doc, "recovery-codes"), "recovery-code")); n != 10 {
		t.Fatalf("%d codes shown", n)
	}
	if byID(doc, "generate-codes") != nil {
		t.Error("generate offered while the codes are shown")
	}
	p.copyRecovery(ctx)
	browser := p.acct.browser.(*fakeBrowser)
	if len(browser.copied) != 1 || browser.copied[0] != strings.Join(tenCodes(), "\n") || p.recovery.notice != T(MsgRecoveryCopied) {
		t.Errorf("copy: %q, notice %q", browser.copied, p.recovery.notice)
	}
	p.recoveryPanel().(*RecoveryPanel).OnDone(ctx)
	doc = render(t, p)
	if byID(doc, "recovery-codes") != nil || strings.Contains(text(doc), tenCodes()[0]) {
		t.Fatal("codes still on the page after Done")
	}
	if got := text(mustID(t, doc, "recovery-remaining")); got != "10 codes left" {
		t.Errorf("after done: %q", got)
	}
	if got := strings.Join(rs.calls, "\n"); got != "GET  \nPOST application/json {}" {
		t.Errorf("calls:\n%s", got)
	}

	// Stale MFA: the step-up is offered instead.
	rs.mu.Lock()
	rs.stale = true
	rs.mu.Unlock()
	p.generateRecovery(ctx)
	p.generateRecovery(ctx)
	e.ConsumeAll()
	if !p.recovery.needVerify || p.recovery.codes != nil {
		t.Fatalf("MFA_REQUIRED: %+v", p.recovery)
	}
	mustID(t, render(t, p), "recovery-verify")

	// No device: say what to do.
	rs.mu.Lock()
	rs.stale, rs.noDevice = false, true
	rs.mu.Unlock()
	p.recovery = recoveryState{loaded: true}
	p.generateRecovery(ctx)
	e.ConsumeAll()
	if p.recovery.err != T(MsgRecoveryNeedDevice) {
		t.Errorf("no device: %+v", p.recovery)
	}

	// Codes never outlive the session in the page.
	p.recovery.codes = tenCodes()
	p.sess.idToken = "id"
	p.onSignoff(ctx, app.Event{})
	if p.recovery.codes != nil {
		t.Error("codes kept after sign-off")
	}
}

func TestMyAccountPageHidesRecoveryOffline(t *testing.T) {
	p := &MyAccountPage{phase: phaseReady, loaded: true, tab: "mfa", offline: true, scopes: scope.Set{scope.ReadDevice},
		devices: []resource.Device{{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive}}}
	if byID(render(t, p), "recovery") != nil {
		t.Error("recovery panel shown offline")
	}
}

func TestSignOnPageRecoveryCode(t *testing.T) {
	device := resource.Device{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "j***@example.com"}
	offering := flowWith(resource.FlowOTPRequired, device)
	offering.Links = resource.Links{resource.ActionRecoveryCodeCheck: {Href: "x"}}
	wrong := func(map[string]any) (int, http.Header, any) {
		return 400, nil, apierr.Invalid("wrong", apierr.Detail{Code: apierr.DetailInvalidOTP, Target: "recoveryCode",
			InnerError: map[string]any{"attemptsRemaining": 2}})
	}
	srv := &flowServer{
		getFlow: func() (int, any) { return 200, offering },
		actions: map[string][]func(map[string]any) (int, http.Header, any){
			resource.ActionRecoveryCodeCheck: {wrong, ok(&resource.Flow{ID: "f1", Status: resource.FlowCompleted,
				ResumeURL: "/" + testEnv + "/as/resume?flowId=f1"})},
		},
	}
	p, b := newSignOnPage(t, srv)
	ctx, e := newHarness(t)
	u, _ := url.Parse("https://id.example/" + testEnv + "/signon/?flowId=f1")
	p.mount(ctx, u)
	e.ConsumeAll()
	doc := render(t, p)
	mustID(t, doc, "otp")
	if got := text(mustID(t, doc, "use-recovery")); got != "Use a recovery code" {
		t.Fatalf("#use-recovery = %q", got)
	}

	p.showRecovery(true)
	doc = render(t, p)
	mustID(t, doc, "recovery-code")
	if byID(doc, "otp") != nil {
		t.Error("the passcode field stays beside the recovery code")
	}
	p.submitRecoveryCode(ctx, "abc")
	e.ConsumeAll()
	if p.errText != T(MsgErrRecoveryCodeFormat) || len(srv.log()) != 1 {
		t.Fatalf("malformed: %q, requests %v", p.errText, srv.log())
	}
	p.submitRecoveryCode(ctx, "zzzzz-zzzzz")
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "error")); got != "Wrong or used recovery code, 2 attempts left" {
		t.Errorf("#error = %q", got)
	}
	mustID(t, doc, "recovery-code")

	// Back to the passcode and again to the code: the error goes.
	p.showRecovery(false)
	mustID(t, render(t, p), "otp")
	p.showRecovery(true)
	if p.errText != "" {
		t.Errorf("error kept: %q", p.errText)
	}
	p.submitRecoveryCode(ctx, " ABCDE-12345 ")
	e.ConsumeAll()
	if got := b.last(); got != "/"+testEnv+"/as/resume?flowId=f1" {
		t.Errorf("redirect = %q", got)
	}
	want := []string{"GET", `recoveryCode.check {"recoveryCode":"zzzzz-zzzzz"}`, `recoveryCode.check {"recoveryCode":"ABCDE-12345"}`}
	if got := srv.log(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s", strings.Join(got, "\n"))
	}
}

func TestSignOnPageWithoutRecoveryCodes(t *testing.T) {
	device := resource.Device{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "j***@example.com"}
	for _, f := range []*resource.Flow{
		flowWith(resource.FlowOTPRequired, device),
		flowWith(resource.FlowDeviceSelectionRequired, device),
	} {
		p := &SignOnPage{flow: f, recovery: true}
		doc := render(t, p)
		if byID(doc, "use-recovery") != nil || byID(doc, "recovery-code") != nil {
			t.Errorf("%s without the link offers recovery codes", f.Status)
		}
	}
	sel := flowWith(resource.FlowDeviceSelectionRequired, device)
	sel.Links = resource.Links{resource.ActionRecoveryCodeCheck: {Href: "x"}}
	mustID(t, render(t, &SignOnPage{flow: sel}), "use-recovery")
}
