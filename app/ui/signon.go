package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// SignOnPage is the hosted sign-on page (/{envId}/signon/?flowId=…). It
// reads the flow (the flow cookie goes along with the same-origin fetch),
// shows the step its status asks for, posts the step's action, and leaves
// for resumeUrl once the flow is COMPLETED.
type SignOnPage struct {
	app.Compo

	// deps is set by tests; OnMount wires the browser's when nil.
	deps *signonDeps

	env     string
	flowID  string
	here    *url.URL // the page's URL: the origin resumeUrl must keep
	busy    bool
	flow    *resource.Flow
	errText string
	notice  string
	expired bool
	leaving bool
	// recovery shows the recovery-code step instead of the device's.
	recovery bool
	rules    []string // a new password's broken rules (password.reset)
}

// signonDeps are what the sign-on page talks to.
type signonDeps struct {
	api      *apiclient.Client
	browser  Browser
	webauthn WebAuthn // nil: the browser's (fido.go)
}

// flowResult is the outcome of one call about the flow.
type flowResult struct {
	flow    *resource.Flow
	errText string
	expired bool
}

// OnMount reads the flow.
func (p *SignOnPage) OnMount(ctx app.Context) { p.mount(ctx, ctx.Page().URL()) }

func (p *SignOnPage) mount(ctx app.Context, u *url.URL) {
	p.here = u
	p.env = envFromPath(u.Path)
	p.flowID = u.Query().Get("flowId")
	if p.env == "" || !validFlowID(p.flowID) {
		p.expired = true
		return
	}
	if p.deps == nil {
		p.deps = &signonDeps{
			api:     apiclient.New(apiclient.Config{EnvironmentID: p.env}),
			browser: jsBrowser{},
		}
	}
	deps, flowID := p.deps, p.flowID
	ctx.Async(func() {
		f, err := deps.api.GetFlow(context.Background(), flowID)
		r := toFlowResult(f, err)
		ctx.Dispatch(func(ctx app.Context) { p.apply(r) })
	})
}

// apply shows a flow result; COMPLETED leaves for resumeUrl.
func (p *SignOnPage) apply(r flowResult) {
	p.busy = false
	p.errText = r.errText
	if r.expired {
		p.expired = true
		return
	}
	if r.flow == nil {
		return
	}
	p.flow = r.flow
	if r.flow.Error != nil && p.errText == "" {
		p.errText = r.flow.Error.Message // why the last external sign-on failed
	}
	if r.flow.Status == resource.FlowCompleted {
		if to, ok := sameOrigin(r.flow.ResumeURL, p.here); ok {
			p.leaving = true
			p.deps.browser.Redirect(to)
			return
		}
		p.errText = T(MsgFlowFailed)
	}
}

// act validates nothing (callers do) and posts one action.
func (p *SignOnPage) act(ctx app.Context, action string, body any, notice string) {
	if p.busy || p.flow == nil || p.deps == nil {
		return
	}
	p.busy, p.errText, p.notice = true, "", ""
	deps, flowID := p.deps, p.flowID
	ctx.Async(func() {
		f, err := deps.api.FlowAction(context.Background(), flowID, action, body)
		r := toFlowResult(f, err)
		ctx.Dispatch(func(ctx app.Context) {
			p.apply(r)
			if r.errText == "" {
				p.notice = notice
			}
		})
	})
}

func (p *SignOnPage) submitPassword(ctx app.Context, username, password string) {
	username = strings.TrimSpace(username)
	if msg := checkUsername(username); msg != "" {
		p.errText = msg
		return
	}
	if msg := checkPassword(password); msg != "" {
		p.errText = msg
		return
	}
	p.act(ctx, resource.ActionUsernamePasswordCheck, resource.UsernamePassword{Username: username, Password: password}, "")
}

func (p *SignOnPage) submitEmail(ctx app.Context, email string) {
	email = strings.TrimSpace(email)
	if valid.Email(email) != nil {
		p.errText = T(MsgErrEmail)
		return
	}
	p.act(ctx, resource.ActionDeviceRegister, resource.DeviceRegister{Type: resource.DeviceEmail, Email: email}, "")
}

func (p *SignOnPage) submitOTP(ctx app.Context, otp string) {
	otp = strings.TrimSpace(otp)
	if valid.OTP(otp) != nil {
		p.errText = T(MsgErrOTPFormat)
		return
	}
	p.act(ctx, resource.ActionOTPCheck, resource.OTPCheck{OTP: otp}, "")
}

func (p *SignOnPage) resend(ctx app.Context) {
	p.act(ctx, resource.ActionOTPResend, struct{}{}, T(MsgResent))
}

func (p *SignOnPage) submitDevice(ctx app.Context, id string) {
	if id == "" {
		p.errText = T(MsgErrSelectDevice)
		return
	}
	p.act(ctx, resource.ActionDeviceSelect, resource.DeviceSelect{Device: resource.Ref{ID: id}}, "")
}

// Render implements app.Composer.
func (p *SignOnPage) Render() app.UI {
	return app.Div().Class("shell", "signon").Body(
		app.Header().Class("topbar").Body(&BrandMark{Fallback: T(MsgAppName)}),
		app.Main().ID("main").Class("content", "narrow").Body(p.body()),
		&BrandFooter{},
	)
}

func (p *SignOnPage) body() app.UI {
	switch {
	case p.expired:
		return &ExpiredView{Text: T(MsgExpired), MyAccountURL: myAccountPath(p.env)}
	case p.leaving:
		return &Loading{Label: T(MsgRedirecting)}
	case p.flow == nil && p.errText != "":
		return app.Div().Class("card", "step").Body(&ErrorMessage{Text: p.errText})
	case p.flow == nil:
		return &Loading{Label: T(MsgLoading)}
	}
	f := p.flow
	if p.recovery && recoveryOffered(f) {
		return &RecoveryCodeStep{Error: p.errText, Busy: p.busy, OnSubmit: p.submitRecoveryCode,
			OnBack: func(ctx app.Context) { p.showRecovery(false) }}
	}
	switch f.Status {
	case resource.FlowUsernamePasswordRequired:
		return app.Div().Body(&PasswordStep{Error: p.errText, Busy: p.busy, OnSubmit: p.submitPassword}, p.providersView(f))
	case resource.FlowPasswordRequired:
		return &ProvePasswordStep{Username: flowUsername(f), Error: p.errText, Busy: p.busy, OnSubmit: p.submitProof}
	case resource.FlowMFAEnrollmentRequired:
		return &EnrollEmailStep{Error: p.errText, Busy: p.busy, OnSubmit: p.submitEmail}
	case resource.FlowOTPRequired:
		return p.withRecovery(&OTPStep{Target: otpTarget(f), TOTP: challenged(f).Type == resource.DeviceTOTP, Notice: p.notice, Error: p.errText, Busy: p.busy,
			OnSubmit: p.submitOTP, OnResend: p.resend})
	case resource.FlowAssertionRequired:
		return p.withRecovery(&AssertionStep{Device: challenged(f), Error: p.errText, Busy: p.busy, OnUse: p.useKey})
	case resource.FlowDeviceSelectionRequired:
		return p.withRecovery(&DeviceSelectStep{Devices: flowDevices(f), Error: p.errText, Busy: p.busy, OnSubmit: p.submitDevice})
	case resource.FlowMustChangePassword, resource.FlowPasswordExpired:
		return p.passwordStep(f)
	case resource.FlowAgreementConsentRequired:
		return p.agreementStep(f)
	case resource.FlowConsentRequired:
		return p.consentStep(f)
	case resource.FlowCompleted:
		return app.Div().Class("card", "step").Body(&ErrorMessage{Text: p.errText})
	}
	return &ExpiredView{Text: T(MsgFlowFailed), MyAccountURL: myAccountPath(p.env)}
}

func myAccountPath(env string) string {
	if env == "" {
		return "/"
	}
	return paths.Build(paths.MyAccount, env)
}

func flowDevices(f *resource.Flow) []resource.Device {
	if f.Embedded == nil {
		return nil
	}
	return f.Embedded.Devices
}

// otpTarget is the masked address of the device the code went to.
func otpTarget(f *resource.Flow) string { return deviceTarget(challenged(f)) }

// challenged is the device the OTP step is about: the flow's selected
// device, else its default one (zero when unknown).
func challenged(f *resource.Flow) resource.Device {
	devs := flowDevices(f)
	if f.SelectedDevice != nil {
		for _, d := range devs {
			if d.ID == f.SelectedDevice.ID {
				return d
			}
		}
	}
	if i := resource.DefaultDevice(devs); i >= 0 {
		return devs[i]
	}
	// While a first device is being enrolled, the flow lists just that
	// one, not yet active.
	if len(devs) == 1 {
		return devs[0]
	}
	return resource.Device{}
}

// toFlowResult maps a flow call's outcome to what the page shows.
func toFlowResult(f resource.Flow, err error) flowResult {
	if err == nil {
		return flowResult{flow: &f}
	}
	text, expired := flowErrorText(err)
	return flowResult{errText: text, expired: expired}
}

// flowErrorText turns a flow call's error into the text to show, and says
// whether the flow is gone (404: expired, or not this browser's).
func flowErrorText(err error) (string, bool) {
	if apiclient.IsNetwork(err) {
		return T(MsgErrOffline), false
	}
	var e *apierr.Error
	if !errors.As(err, &e) {
		return T(MsgErrGeneric), false
	}
	if e.Status == 404 || e.Code == apierr.NotFound {
		return T(MsgExpired), true
	}
	if e.Status == 429 || e.Code == apierr.RequestLimited {
		if e.RetryAfter > 0 {
			return T(MsgErrTooMany, e.RetryAfter), false
		}
		return T(MsgErrTooManyNoDelay), false
	}
	for _, d := range e.Details {
		switch d.Code {
		case apierr.DetailInvalidOTP:
			if n, ok := attemptsRemaining(d); ok {
				return T(MsgErrWrongCode, n), false
			}
			return T(MsgErrWrongCodeNoCount), false
		case apierr.DetailOTPExpired:
			return T(MsgErrCodeExpired), false
		case apierr.DetailInvalidCredentials:
			return T(MsgErrCredentials), false
		case apierr.DetailAccountLocked:
			return T(MsgErrLocked), false
		}
	}
	if e.Status >= 500 || e.Message == "" {
		return T(MsgErrGeneric), false
	}
	// Public API messages are written for users (apierr: "safe to show").
	return e.Message, false
}

func attemptsRemaining(d apierr.Detail) (int, bool) {
	switch v := d.InnerError["attemptsRemaining"].(type) {
	case float64:
		return int(v), true
	case int:
		return v, true
	}
	return 0, false
}

func checkUsername(s string) string {
	switch err := valid.Username(s); {
	case err == nil:
		return ""
	case errors.Is(err, valid.ErrRequired):
		return T(MsgErrUsernameRequired)
	}
	return T(MsgErrUsernameFormat)
}

func checkPassword(s string) string {
	switch err := valid.Password(s); {
	case err == nil:
		return ""
	case errors.Is(err, valid.ErrRequired):
		return T(MsgErrPasswordRequired)
	}
	return T(MsgErrPasswordTooLong)
}

// sameOrigin accepts a resumeUrl only if it stays on this site: a path, or
// an absolute URL whose origin is the page's. Anything else would make the
// sign-on page an open redirect.
func sameOrigin(raw string, here *url.URL) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return "", false
	}
	if u.Scheme == "" && u.Host == "" {
		if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(raw, "//") || strings.HasPrefix(raw, "/\\") {
			return "", false
		}
		return raw, true
	}
	if here == nil || here.Host == "" || u.Host != here.Host || u.Scheme != here.Scheme {
		return "", false
	}
	return raw, true
}

// validFlowID accepts ids that are safe inside a URL path segment.
func validFlowID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
