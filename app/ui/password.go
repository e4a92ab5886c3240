package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// checkDelay is how long typing must pause before the new password is
// checked against the policy: one request per pause, not per key.
const checkDelay = 400 * time.Millisecond

// passwordTab is the Change password tab's part of the MyAccount page.
type passwordTab struct {
	state   *resource.PasswordState
	loading bool
	loadErr string
	// next and current are what the user typed, kept only until the change
	// is done (the live check needs them); seq names the latest keystroke.
	next, current, confirm string
	seq                    int
	checking               bool
	checked                string   // the candidate rules is about
	rules                  []string // its broken rules, as text
	err                    string
	busy                   bool
	done                   bool
	needVerify             bool
}

// loadPassword reads the password state (the policy to show).
func (p *MyAccountPage) loadPassword(ctx app.Context) {
	if p.sess == nil || !p.scopes.Has(scope.ReadUserPassword) || p.pw.loading {
		return
	}
	p.pw.loading = true
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		st, err := api.GetPassword(context.Background(), s.sub, s.accessToken)
		ctx.Dispatch(func(ctx app.Context) {
			p.pw.loading = false
			if err != nil {
				p.pw.loadErr = failed(err).err
				return
			}
			p.pw.state, p.pw.loadErr = &st, ""
		})
	})
}

// passwordPanel builds the Change password tab from the page's state.
func (p *MyAccountPage) passwordPanel() app.UI {
	w := &p.pw
	online := !p.offline && p.sess != nil
	canChange := online && p.scopes.Has(scope.ResetUserPassword)
	var policy *resource.PasswordPolicy
	if w.state != nil {
		policy = w.state.PasswordPolicy
	}
	return &PasswordPanel{
		Policy:     policy,
		Loading:    w.loading && w.state == nil,
		LoadError:  w.loadErr,
		CanChange:  canChange,
		NeedVerify: online && (w.needVerify || !canChange),
		Checking:   w.checking,
		Rules:      w.rulesFor(),
		Valid:      w.next != "" && w.checked == w.next && len(w.rules) == 0 && !w.checking,
		Mismatch:   w.confirm != "" && w.confirm != w.next,
		Error:      w.err,
		Busy:       w.busy,
		Done:       w.done,
		OnInput:    p.passwordInput,
		OnSubmit:   p.changePassword,
		OnVerify:   func(ctx app.Context) { p.stepUpTo(ctx, "password", func(b bool) { p.pw.busy = b }) },
		OnAgain:    func(ctx app.Context) { p.pw = passwordTab{state: w.state} },
	}
}

// rulesFor shows the broken rules only while they are about what is typed.
func (w *passwordTab) rulesFor() []string {
	if w.next == "" || w.checked != w.next {
		return nil
	}
	return w.rules
}

// passwordInput follows the fields; a pause in typing checks the new
// password (the current one too: similarity is compared with it).
func (p *MyAccountPage) passwordInput(ctx app.Context, field, value string) {
	w := &p.pw
	switch field {
	case "current":
		w.current = value
	case "new":
		w.next = value
	case "confirm":
		w.confirm, w.err = value, ""
		return
	}
	// What the last submit said is about what was typed then.
	w.done, w.err = false, ""
	w.seq++
	seq := w.seq
	ctx.After(checkDelay, func(ctx app.Context) {
		if p.pw.seq == seq {
			p.checkPassword(ctx)
		}
	})
}

// checkPassword asks the server which of the policy's rules the new
// password breaks. An answer that arrives after more typing is dropped.
func (p *MyAccountPage) checkPassword(ctx app.Context) {
	w := &p.pw
	next, current, seq := w.next, w.current, w.seq
	if next == "" || p.sess == nil || !p.scopes.Has(scope.ValidateUserPassword) {
		w.rules, w.checked, w.checking = nil, "", false
		return
	}
	if valid.Password(next) != nil {
		w.rules, w.checked, w.checking = []string{T(MsgErrPasswordTooLong)}, next, false
		return
	}
	w.checking = true
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		err := api.ValidatePassword(context.Background(), s.sub, s.accessToken, next, current)
		rules, other := passwordRules(err)
		ctx.Dispatch(func(ctx app.Context) {
			if p.pw.seq != seq {
				return
			}
			p.pw.checking = false
			if other != "" {
				// The check could not run (offline, session over): say nothing
				// about the rules; the change itself will tell.
				p.pw.rules, p.pw.checked = nil, ""
				return
			}
			p.pw.rules, p.pw.checked = rules, next
		})
	})
}

// changePassword sends the change. The values are read from the form at
// submit time, so a password manager's filling counts.
func (p *MyAccountPage) changePassword(ctx app.Context, current, next, confirm string) {
	w := &p.pw
	if w.busy || p.sess == nil {
		return
	}
	switch {
	case current == "" || next == "":
		w.err = T(MsgErrPasswordRequired)
		return
	case next != confirm:
		w.err = T(MsgPasswordMismatch)
		return
	}
	w.current, w.next, w.confirm = current, next, confirm
	w.busy, w.err = true, ""
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		st, err := api.ResetPassword(context.Background(), s.sub, s.accessToken, current, next)
		ctx.Dispatch(func(ctx app.Context) { p.applyPasswordChange(st, err, next) })
	})
}

func (p *MyAccountPage) applyPasswordChange(st resource.PasswordState, err error, next string) {
	w := &p.pw
	w.busy = false
	if err == nil {
		// Forget what was typed: the tab shows the success state only.
		p.pw = passwordTab{state: &st, done: true}
		return
	}
	var e *apierr.Error
	if errors.As(err, &e) && e.Status == 403 {
		w.needVerify, w.err = true, T(MsgPasswordVerifyExplain)
		return
	}
	rules, other := passwordRules(err)
	if len(rules) > 0 {
		w.rules, w.checked, w.err = rules, next, T(MsgPasswordRulesBroken)
		return
	}
	w.err = other
}

// passwordRules splits a password call's error into the policy rules it
// names (as text, in the server's order) and any other problem (as text).
// No error is no rule and no problem.
func passwordRules(err error) (rules []string, other string) {
	if err == nil {
		return nil, ""
	}
	var e *apierr.Error
	if !errors.As(err, &e) {
		if apiclient.IsNetwork(err) {
			return nil, T(MsgErrOffline)
		}
		return nil, T(MsgErrGeneric)
	}
	for _, d := range e.Details {
		if text := ruleText(d); text != "" && !slices.Contains(rules, text) {
			rules = append(rules, text)
		}
	}
	if len(rules) > 0 {
		return rules, ""
	}
	for _, d := range e.Details {
		if d.Code == apierr.DetailInvalidCredentials {
			return nil, T(MsgPasswordWrongCurrent)
		}
	}
	if e.Status == 401 {
		return nil, T(MsgErrSession)
	}
	text, _ := flowErrorText(err)
	return nil, text
}

// ruleText is the UI's sentence for one broken password rule, with the
// numbers the server sent; "" for a detail that is no password rule.
func ruleText(d apierr.Detail) string {
	n := func(key string) int {
		switch v := d.InnerError[key].(type) {
		case float64:
			return int(v)
		case int:
			return v
		}
		return 0
	}
	switch d.Code {
	case apierr.DetailPasswordTooShort:
		return T(MsgRuleTooShort, n("minLength"))
	case apierr.DetailPasswordTooLong:
		return T(MsgRuleTooLong, n("maxLength"))
	case apierr.DetailPasswordCommon:
		return T(MsgRuleCommon)
	case apierr.DetailPasswordProfileData:
		return T(MsgRuleProfile)
	case apierr.DetailPasswordSimilar:
		return T(MsgRuleSimilar)
	case apierr.DetailPasswordSameAsCurrent:
		return T(MsgRuleSame)
	case apierr.DetailPasswordHistory:
		return T(MsgRuleHistory, n("count"))
	case apierr.DetailPasswordCharacters:
		chars, _ := d.InnerError["characters"].(string)
		return T(MsgRuleCharacters, n("count"), chars)
	case apierr.DetailPasswordRepeated:
		return T(MsgRuleRepeated, n("maxRepeatedCharacters"))
	case apierr.DetailPasswordUniqueChars:
		return T(MsgRuleUnique, n("minUniqueCharacters"))
	case apierr.DetailPasswordMinAge:
		return T(MsgRuleMinAge)
	case apierr.DetailPasswordInvalidContent:
		return T(MsgRuleControl)
	}
	return ""
}

// requirements lists a policy's rules as the tab and the sign-on step
// show them before anything is typed.
func requirements(p *resource.PasswordPolicy) []string {
	if p == nil {
		return nil
	}
	out := []string{T(MsgReqLength, p.Length.Min, p.Length.Max)}
	if p.ExcludesCommonlyUsed {
		out = append(out, T(MsgReqCommon))
	}
	if p.ExcludesProfileData {
		out = append(out, T(MsgReqProfile))
	}
	if p.NotSimilarToCurrent {
		out = append(out, T(MsgReqSimilar))
	}
	if p.History != nil && p.History.Count > 0 {
		out = append(out, T(MsgReqHistory, p.History.Count))
	}
	if p.MaxRepeatedCharacters > 0 {
		out = append(out, T(MsgReqRepeated, p.MaxRepeatedCharacters))
	}
	if p.MinUniqueCharacters > 0 {
		out = append(out, T(MsgReqUnique, p.MinUniqueCharacters))
	}
	sets := make([]string, 0, len(p.MinCharacters))
	for chars := range p.MinCharacters {
		sets = append(sets, chars)
	}
	slices.Sort(sets)
	for _, chars := range sets {
		out = append(out, T(MsgRuleCharacters, p.MinCharacters[chars], chars))
	}
	return out
}

// PasswordPanel is the Change password tab: the policy's requirements, the
// current, new and confirmation fields with the new password's broken
// rules as it is typed, and the outcome. It only displays; the page does
// the calls.
type PasswordPanel struct {
	app.Compo
	Policy    *resource.PasswordPolicy
	Loading   bool
	LoadError string
	// CanChange follows the reset scope; NeedVerify offers the step-up
	// (#verify-password) when the token lacks it.
	CanChange  bool
	NeedVerify bool
	Checking   bool
	Rules      []string // broken rules of what is typed
	Valid      bool     // what is typed meets the policy
	Mismatch   bool     // the confirmation differs
	Error      string
	Busy       bool
	Done       bool

	OnInput  func(ctx app.Context, field, value string)
	OnSubmit func(ctx app.Context, current, next, confirm string)
	OnVerify func(ctx app.Context)
	OnAgain  func(ctx app.Context)
}

// Render implements app.Composer.
func (c *PasswordPanel) Render() app.UI {
	if c.Done {
		return app.Div().Class("password").Body(
			app.H2().Class("methods-title").Text(T(MsgPasswordTitle)),
			app.P().ID("password-changed").Class("notice").Role("status").Text(T(MsgPasswordChanged)),
			app.Button().ID("change-again").Type("button").Class("link").Text(T(MsgPasswordAgain)).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnAgain, ctx) }),
		)
	}
	input := func(field string) func(ctx app.Context, e app.Event) {
		return func(ctx app.Context, e app.Event) {
			if c.OnInput != nil {
				c.OnInput(ctx, field, ctx.JSSrc().Get("value").String())
			}
		}
	}
	// go-app matches children by position: the parts that come and go sit
	// in one wrapper, so the form after them (and what is typed in it) is
	// never replaced when they change.
	return app.Div().Class("password").Body(
		app.H2().Class("methods-title").Text(T(MsgPasswordTitle)),
		app.Div().Body(
			app.If(c.Loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
			app.If(c.LoadError != "", func() app.UI { return &ErrorMessage{Text: c.LoadError} }),
			app.If(c.NeedVerify, func() app.UI {
				return app.Div().Class("verify").Body(
					app.P().Class("hint").Text(T(MsgPasswordVerifyExplain)),
					app.Button().ID("verify-password").Type("button").Class("primary").Text(T(MsgVerify)).
						OnClick(func(ctx app.Context, e app.Event) { call(c.OnVerify, ctx) }),
				)
			}),
			requirementList(c.Policy),
		),
		app.If(c.CanChange, func() app.UI {
			return app.Form().ID("password-form").NoValidate(true).
				OnSubmit(func(ctx app.Context, e app.Event) {
					e.PreventDefault()
					if !c.Busy && c.OnSubmit != nil {
						c.OnSubmit(ctx, formValue(ctx, "current-password"), formValue(ctx, "new-password"), formValue(ctx, "confirm-password"))
					}
				}).
				Body(
					labelled(T(MsgPasswordCurrent), "current-password", app.Input().ID("current-password").
						Name("current-password").Type("password").Attr("autocomplete", "current-password").Required(true).
						OnInput(input("current")), c.Error == T(MsgPasswordWrongCurrent)),
					app.Div().Class("field").Body(
						app.Label().For("new-password").Text(T(MsgPasswordNew)),
						app.Input().ID("new-password").Name("new-password").Type("password").
							Attr("autocomplete", "new-password").Required(true).
							Aria("describedby", "password-requirements password-rules").
							Aria("invalid", len(c.Rules) > 0).
							OnInput(input("new")),
					),
					ruleFeedback(c.Checking, c.Rules, c.Valid),
					app.Div().Class("field").Body(
						app.Label().For("confirm-password").Text(T(MsgPasswordConfirm)),
						app.Input().ID("confirm-password").Name("confirm-password").Type("password").
							Attr("autocomplete", "new-password").Required(true).
							Aria("invalid", c.Mismatch).OnInput(input("confirm")),
						// Last in its field: appearing, it moves nothing else.
						app.If(c.Mismatch, func() app.UI {
							return app.P().ID("password-mismatch").Class("hint").Role("status").Text(T(MsgPasswordMismatch))
						}),
					),
					&ErrorMessage{Text: c.Error},
					app.Button().ID("change-password").Type("submit").Class("primary").Disabled(c.Busy).
						Aria("busy", c.Busy).Text(T(MsgPasswordSubmit)),
				)
		}),
	)
}

// requirementList shows a policy's rules (#password-requirements).
func requirementList(p *resource.PasswordPolicy) app.UI {
	reqs := requirements(p)
	if len(reqs) == 0 {
		return nil
	}
	return app.Div().Class("hint").Body(
		app.P().Text(T(MsgPasswordRequirements)),
		app.Ul().ID("password-requirements").Body(
			app.Range(reqs).Slice(func(i int) app.UI { return app.Li().Text(reqs[i]) }),
		),
	)
}

// ruleFeedback is the live verdict on the new password (#password-rules),
// announced politely: the broken rules, or that it meets the policy.
func ruleFeedback(checking bool, rules []string, ok bool) app.UI {
	box := app.Div().ID("password-rules").Role("status").Aria("live", "polite")
	switch {
	case len(rules) > 0:
		return box.Body(app.Ul().Class("error").Body(
			app.Range(rules).Slice(func(i int) app.UI { return app.Li().Class("rule-broken").Text(rules[i]) }),
		))
	case checking:
		return box.Body(app.P().Class("hint").Text(T(MsgPasswordChecking)))
	case ok:
		return box.Body(app.P().ID("password-ok").Class("notice").Text(T(MsgPasswordMeets)))
	}
	return box
}

// PasswordChangeStep asks for a new password during sign-on
// (MUST_CHANGE_PASSWORD, PASSWORD_EXPIRED): the current one again, the new
// one twice, with the policy's requirements and, after a refusal, the
// rules it broke.
type PasswordChangeStep struct {
	app.Compo
	Expired  bool
	Policy   *resource.PasswordPolicy
	Rules    []string
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, current, next, confirm string)
}

// Render implements app.Composer.
func (c *PasswordChangeStep) Render() app.UI {
	title, why := T(MsgMustChangeTitle), T(MsgMustChangeExplain)
	if c.Expired {
		title, why = T(MsgExpiredTitle), T(MsgExpiredExplain)
	}
	return stepForm(title, T(MsgPasswordSubmit), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "current-password"), formValue(ctx, "new-password"), formValue(ctx, "confirm-password"))
			}
		},
		nil,
		app.P().ID("password-why").Class("hint").Text(why),
		requirementList(c.Policy),
		labelled(T(MsgPasswordCurrent), "current-password", app.Input().ID("current-password").Name("current-password").
			Type("password").Attr("autocomplete", "current-password").Required(true), c.Error != "" && len(c.Rules) == 0),
		labelled(T(MsgPasswordNew), "new-password", app.Input().ID("new-password").Name("new-password").
			Type("password").Attr("autocomplete", "new-password").Required(true), len(c.Rules) > 0),
		ruleFeedback(false, c.Rules, false),
		labelled(T(MsgPasswordConfirm), "confirm-password", app.Input().ID("confirm-password").Name("confirm-password").
			Type("password").Attr("autocomplete", "new-password").Required(true), false),
	)
}

// submitNewPassword is the sign-on page's password.reset: the flow's
// error details become the rules the step lists.
func (p *SignOnPage) submitNewPassword(ctx app.Context, current, next, confirm string) {
	switch {
	case current == "" || next == "":
		p.errText = T(MsgErrPasswordRequired)
		return
	case next != confirm:
		p.errText = T(MsgPasswordMismatch)
		return
	case valid.Password(next) != nil:
		p.errText = T(MsgErrPasswordTooLong)
		return
	}
	if p.busy || p.flow == nil || p.deps == nil {
		return
	}
	p.busy, p.errText, p.rules = true, "", nil
	deps, flowID := p.deps, p.flowID
	ctx.Async(func() {
		f, err := deps.api.FlowAction(context.Background(), flowID, resource.ActionPasswordReset,
			resource.PasswordReset{CurrentPassword: current, NewPassword: next})
		rules, other := passwordRules(err)
		r := toFlowResult(f, err)
		ctx.Dispatch(func(ctx app.Context) {
			p.apply(r)
			switch {
			case len(rules) > 0:
				p.rules, p.errText = rules, T(MsgPasswordRulesBroken)
			case other != "" && !r.expired:
				p.errText = other
			}
		})
	})
}

// passwordStep is the sign-on step of a password that must change.
func (p *SignOnPage) passwordStep(f *resource.Flow) app.UI {
	var pol *resource.PasswordPolicy
	if f.Embedded != nil {
		pol = f.Embedded.PasswordPolicy
	}
	return &PasswordChangeStep{Expired: f.Status == resource.FlowPasswordExpired, Policy: pol, Rules: p.rules,
		Error: p.errText, Busy: p.busy, OnSubmit: p.submitNewPassword}
}
