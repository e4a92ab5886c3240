package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// Recovery codes: the Authentication tab's "Recovery codes" panel (make a
// set, see it once, copy or download it, then only "N codes left"), and
// the sign-on page's "Use a recovery code" step.

// Recovery-code messages.
const (
	MsgRecoveryTitle          Msg = "recovery.title"
	MsgRecoveryExplain        Msg = "recovery.explain"
	MsgRecoveryNone           Msg = "recovery.none"
	MsgRecoveryLeft           Msg = "recovery.left"
	MsgRecoveryLeftOne        Msg = "recovery.leftOne"
	MsgRecoveryGenerate       Msg = "recovery.generate"
	MsgRecoveryRegenerate     Msg = "recovery.regenerate"
	MsgRecoveryWarn           Msg = "recovery.regenerate.warn"
	MsgRecoveryWarnYes        Msg = "recovery.regenerate.yes"
	MsgRecoverySaveNow        Msg = "recovery.saveNow"
	MsgRecoveryCodesLabel     Msg = "recovery.codes.label"
	MsgRecoveryCopy           Msg = "recovery.copy"
	MsgRecoveryCopied         Msg = "recovery.copied"
	MsgRecoveryDownload       Msg = "recovery.download"
	MsgRecoveryDone           Msg = "recovery.done"
	MsgRecoveryFileHead       Msg = "recovery.file.head"
	MsgRecoveryVerifyExplain  Msg = "recovery.verify.explain"
	MsgRecoveryNeedDevice     Msg = "recovery.needDevice"
	MsgRecoveryUse            Msg = "recovery.use"
	MsgRecoveryUseDevice      Msg = "recovery.useDevice"
	MsgRecoveryStepTitle      Msg = "recovery.step.title"
	MsgRecoveryStepHint       Msg = "recovery.step.hint"
	MsgRecoveryCodeLabel      Msg = "recovery.step.label"
	MsgErrRecoveryCodeFormat  Msg = "error.recovery.format"
	MsgErrRecoveryCodeWrong   Msg = "error.recovery.wrong"
	MsgErrRecoveryCodeWrongNo Msg = "error.recovery.wrongNoCount"
)

// recoveryFileName is what "Download" saves the codes as.
const recoveryFileName = "myaccount-recovery-codes.txt"

// recoveryState is the recovery-code part of the MyAccount page.
type recoveryState struct {
	loaded     bool
	remaining  int
	exists     bool     // a set exists (used up or not)
	codes      []string // a set just made: shown until "Done", never again
	confirming bool     // the "old codes stop working" warning is open
	busy       bool
	err        string
	notice     string
	needVerify bool
}

// recoveryResult is what a recovery-code call came back with.
type recoveryResult struct {
	rc         *resource.RecoveryCodes
	err        string
	needVerify bool
}

// loadRecovery reads how many codes are left, beside the device list. A
// failure leaves the panel without a count; the list's own load reports
// the session and network problems.
func (p *MyAccountPage) loadRecovery(ctx app.Context) {
	if p.sess == nil || !p.scopes.Has(scope.ReadDevice) {
		return
	}
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		rc, err := api.GetRecoveryCodes(context.Background(), s.sub, s.accessToken)
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil {
				p.recovery.loaded, p.recovery.remaining, p.recovery.exists = true, rc.Remaining, rc.CreatedAt != nil
			}
		})
	})
}

// generateRecovery asks for a new set; over an existing one it first
// shows the warning that the old codes stop working.
func (p *MyAccountPage) generateRecovery(ctx app.Context) {
	r := &p.recovery
	if r.busy || p.sess == nil {
		return
	}
	if r.exists && !r.confirming {
		r.confirming, r.err, r.notice = true, "", ""
		return
	}
	r.busy, r.confirming, r.err, r.notice = true, false, "", ""
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		rc, err := api.CreateRecoveryCodes(context.Background(), s.sub, s.accessToken)
		res := recoveryResult{rc: &rc}
		if err != nil {
			res = recoveryFailed(err)
		}
		ctx.Dispatch(func(ctx app.Context) { p.applyRecovery(res) })
	})
}

func (p *MyAccountPage) applyRecovery(res recoveryResult) {
	r := &p.recovery
	r.busy = false
	if res.rc == nil {
		r.err, r.needVerify = res.err, res.needVerify
		return
	}
	*r = recoveryState{loaded: true, exists: true, remaining: res.rc.Remaining, codes: res.rc.Codes}
}

// recoveryFailed maps a failed create: the step-up offer for MFA_REQUIRED,
// a plain request for a device first, else what device writes show.
func recoveryFailed(err error) recoveryResult {
	var e *apierr.Error
	if errors.As(err, &e) {
		for _, d := range e.Details {
			if d.Code == apierr.DetailNoUsableDevices {
				return recoveryResult{err: T(MsgRecoveryNeedDevice)}
			}
		}
	}
	w := failed(err)
	return recoveryResult{err: w.err, needVerify: w.needVerify}
}

func (p *MyAccountPage) copyRecovery(ctx app.Context) {
	if len(p.recovery.codes) > 0 && p.acct.browser.CopyText(strings.Join(p.recovery.codes, "\n")) {
		p.recovery.notice = T(MsgRecoveryCopied)
	}
}

// recoveryPanel builds the panel from the page's state.
func (p *MyAccountPage) recoveryPanel() app.UI {
	r := &p.recovery
	online := !p.offline && p.sess != nil
	username := ""
	if p.user != nil {
		username = p.user.Username
	}
	return &RecoveryPanel{
		Loaded:     r.loaded,
		Remaining:  r.remaining,
		Exists:     r.exists,
		Codes:      r.codes,
		Download:   recoveryDownload(r.codes, username),
		CanCreate:  online && p.scopes.Has(scope.CreateDevice),
		NeedVerify: online && r.needVerify,
		Confirming: r.confirming,
		Busy:       r.busy,
		Error:      r.err,
		Notice:     r.notice,
		OnGenerate: p.generateRecovery,
		OnCancel:   func(ctx app.Context) { p.recovery.confirming = false },
		OnCopy:     p.copyRecovery,
		OnDone: func(ctx app.Context) {
			p.recovery.codes, p.recovery.notice = nil, ""
		},
		OnVerify: p.verify,
	}
}

// recoveryDownload is the codes as a text file in a data: URL: a link
// with the download attribute saves it without any script (and go-app
// leaves such links to the browser).
func recoveryDownload(codes []string, username string) string {
	if len(codes) == 0 {
		return ""
	}
	head := T(MsgRecoveryFileHead)
	if username != "" {
		head += " (" + username + ")"
	}
	text := head + "\n\n" + strings.Join(codes, "\n") + "\n"
	return "data:text/plain;charset=utf-8," + url.PathEscape(text)
}

// RecoveryPanel is the "Recovery codes" part of the Authentication tab.
// It only displays; the page does the calls.
type RecoveryPanel struct {
	app.Compo
	// Loaded says Remaining and Exists are known.
	Loaded    bool
	Remaining int
	Exists    bool
	// Codes is a set just made, shown once; Download is them as a data:
	// URL of a text file.
	Codes      []string
	Download   string
	CanCreate  bool
	NeedVerify bool
	Confirming bool
	Busy       bool
	Error      string
	Notice     string

	OnGenerate func(ctx app.Context)
	OnCancel   func(ctx app.Context)
	OnCopy     func(ctx app.Context)
	OnDone     func(ctx app.Context)
	OnVerify   func(ctx app.Context)
}

// Render implements app.Composer.
func (c *RecoveryPanel) Render() app.UI {
	return app.Div().ID("recovery").Class("recovery").Body(
		app.H2().Class("methods-title").Text(T(MsgRecoveryTitle)),
		app.P().Class("hint").Text(T(MsgRecoveryExplain)),
		app.If(c.Error != "", func() app.UI {
			return app.P().ID("recovery-error").Class("error").Role("alert").Text(c.Error)
		}),
		app.If(c.Notice != "", func() app.UI {
			return app.P().ID("recovery-notice").Class("notice").Role("status").Text(c.Notice)
		}),
		app.If(len(c.Codes) > 0, func() app.UI { return c.shown() }).
			Else(func() app.UI { return c.summary() }),
	)
}

// shown is a new set: the codes, copy, download, done.
func (c *RecoveryPanel) shown() app.UI {
	return app.Div().Class("recovery-shown").Body(
		app.P().ID("recovery-save-now").Class("hint", "recovery-warn").Text(T(MsgRecoverySaveNow)),
		app.Ol().ID("recovery-codes").Class("recovery-codes").Aria("label", T(MsgRecoveryCodesLabel)).Body(
			app.Range(c.Codes).Slice(func(i int) app.UI {
				return app.Li().Body(app.Code().Class("recovery-code", "secret").Text(c.Codes[i]))
			}),
		),
		app.Div().Class("row-actions").Body(
			app.Button().ID("copy-codes").Type("button").Class("action").Text(T(MsgRecoveryCopy)).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnCopy, ctx) }),
			app.A().ID("download-codes").Class("action", "recovery-download").Href("%s", c.Download).
				Download(recoveryFileName).Text(T(MsgRecoveryDownload)),
			app.Button().ID("recovery-done").Type("button").Class("action").Text(T(MsgRecoveryDone)).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnDone, ctx) }),
		),
	)
}

// summary is how many codes are left and the button to make a set.
func (c *RecoveryPanel) summary() app.UI {
	left := T(MsgRecoveryNone)
	switch {
	case c.Exists && c.Remaining == 1:
		left = T(MsgRecoveryLeftOne)
	case c.Exists:
		left = T(MsgRecoveryLeft, c.Remaining)
	}
	label := T(MsgRecoveryGenerate)
	if c.Exists {
		label = T(MsgRecoveryRegenerate)
	}
	return app.Div().Body(
		app.If(c.Loaded, func() app.UI { return app.P().ID("recovery-remaining").Text(left) }),
		app.If(c.NeedVerify, func() app.UI {
			return app.Div().Class("verify").Body(
				app.P().Class("hint").Text(T(MsgRecoveryVerifyExplain)),
				app.Button().ID("recovery-verify").Type("button").Class("primary").Text(T(MsgVerify)).
					OnClick(func(ctx app.Context, e app.Event) { call(c.OnVerify, ctx) }),
			)
		}),
		app.If(c.Confirming, func() app.UI {
			return app.Div().Class("confirm").Role("alertdialog").Aria("labelledby", "regenerate-warning").Body(
				app.P().ID("regenerate-warning").Text(T(MsgRecoveryWarn)),
				app.Div().Class("row-actions").Body(
					app.Button().ID("confirm-regenerate").Type("button").Class("action", "danger").Disabled(c.Busy).
						Text(T(MsgRecoveryWarnYes)).
						OnClick(func(ctx app.Context, e app.Event) { call(c.OnGenerate, ctx) }),
					app.Button().ID("cancel-regenerate").Type("button").Class("action").Text(T(MsgCancel)).
						OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }),
				),
			)
		}),
		app.If(c.Loaded && c.CanCreate && !c.Confirming && !c.NeedVerify, func() app.UI {
			return app.Button().ID("generate-codes").Type("button").Class("action").Text(label).Disabled(c.Busy).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnGenerate, ctx) })
		}),
	)
}

// The sign-on side.

// recoveryOffered says the flow takes a recovery code now.
func recoveryOffered(f *resource.Flow) bool {
	if f == nil {
		return false
	}
	_, ok := f.Links[resource.ActionRecoveryCodeCheck]
	return ok
}

// withRecovery puts "Use a recovery code" under an MFA step when the flow
// offers it. The wrapper is always there, so the step keeps its place in
// the tree whether or not the link shows.
func (p *SignOnPage) withRecovery(step app.UI) app.UI {
	return app.Div().Class("mfa-step").Body(
		step,
		app.If(recoveryOffered(p.flow), func() app.UI {
			return app.P().Class("recovery-offer").Body(
				app.Button().ID("use-recovery").Type("button").Class("link").Text(T(MsgRecoveryUse)).
					OnClick(func(ctx app.Context, e app.Event) { p.showRecovery(true) }),
			)
		}),
	)
}

func (p *SignOnPage) showRecovery(on bool) {
	if p.busy {
		return
	}
	p.recovery, p.errText, p.notice = on, "", ""
}

func (p *SignOnPage) submitRecoveryCode(ctx app.Context, code string) {
	if _, err := valid.RecoveryCode(code); err != nil {
		p.errText = T(MsgErrRecoveryCodeFormat)
		return
	}
	deps, flowID := p.deps, p.flowID
	if p.busy || p.flow == nil || deps == nil {
		return
	}
	p.busy, p.errText, p.notice = true, "", ""
	ctx.Async(func() {
		f, err := deps.api.FlowAction(context.Background(), flowID, resource.ActionRecoveryCodeCheck,
			resource.RecoveryCodeCheck{RecoveryCode: strings.TrimSpace(code)})
		r := toFlowResult(f, err)
		if err != nil {
			r.errText = recoveryErrorText(err, r.errText)
		}
		ctx.Dispatch(func(ctx app.Context) { p.apply(r) })
	})
}

// recoveryErrorText names a wrong code a recovery code, not a passcode.
func recoveryErrorText(err error, text string) string {
	var e *apierr.Error
	if !errors.As(err, &e) {
		return text
	}
	for _, d := range e.Details {
		if d.Code == apierr.DetailInvalidOTP {
			if n, ok := attemptsRemaining(d); ok {
				return T(MsgErrRecoveryCodeWrong, n)
			}
			return T(MsgErrRecoveryCodeWrongNo)
		}
	}
	return text
}

// RecoveryCodeStep asks for a recovery code instead of the device's
// passcode (our extension).
type RecoveryCodeStep struct {
	app.Compo
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, code string)
	OnBack   func(ctx app.Context)
}

// Render implements app.Composer.
func (c *RecoveryCodeStep) Render() app.UI {
	return stepForm(T(MsgRecoveryStepTitle), T(MsgOTPButton), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "recoveryCode"))
			}
		},
		app.Button().ID("use-device").Type("button").Class("link").Text(T(MsgRecoveryUseDevice)).
			OnClick(func(ctx app.Context, e app.Event) { call(c.OnBack, ctx) }),
		app.P().Class("hint").Text(T(MsgRecoveryStepHint)),
		labelled(T(MsgRecoveryCodeLabel), "recovery-code", app.Input().ID("recovery-code").Name("recoveryCode").Type("text").
			Attr("autocomplete", "off").Attr("autocapitalize", "none").Attr("spellcheck", "false").
			MaxLength(valid.MaxRecoveryInput).Required(true).AutoFocus(true), c.Error != ""),
	)
}
