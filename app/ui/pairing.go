package ui

import (
	"errors"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// The environment's pairing rules in the Authentication tab, from
// config.json's pairing block: "Add method" lists only the types a user may
// add, gives way to a note while adding is turned off (a first method
// aside), and the add forms ask for an optional nickname when the
// environment wants one. The server enforces the same rules; this only
// keeps the page from offering what it would refuse.

// offers reports whether "Add method" lists typ: every type while the
// rules are unknown (nil), else those config.json lists.
func (c *MethodsPanel) offers(typ string) bool {
	return c.Pairing == nil || slices.Contains(c.Pairing.Methods, typ)
}

// offer is ui when "Add method" lists typ, else nothing.
func (c *MethodsPanel) offer(typ string, ui app.UI) app.UI {
	if !c.offers(typ) {
		return nil
	}
	return ui
}

// canPair reports whether the user may pair a method now: pairing is on,
// or this would be their first, as the server decides.
func (c *MethodsPanel) canPair() bool {
	return c.Pairing == nil || !c.Pairing.Disabled || firstMethod(c.Devices)
}

// askNickname reports whether the add forms ask for a nickname.
func (c *MethodsPanel) askNickname() bool {
	return c.Pairing != nil && c.Pairing.PromptForNickname
}

// firstMethod reports whether ds has no ACTIVE or BLOCKED device: pairing
// one is a first pairing, which "pairing disabled" still allows (or
// nobody could start).
func firstMethod(ds []resource.Device) bool {
	return !slices.ContainsFunc(ds, func(d resource.Device) bool {
		return d.Status == resource.DeviceActive || d.Status == resource.DeviceBlocked
	})
}

// pairingOffNote stands where "Add method" would.
func pairingOffNote() app.UI {
	return app.P().ID("pairing-off").Class("hint").Role("note").Text(T(MsgPairingOff))
}

// nicknameField is the optional "Name this method" input of the add
// forms (#method-nickname, sent as the create body's nickname), with what
// is wrong with it under it; nothing when not asked.
func nicknameField(ask bool, errText string) app.UI {
	return app.If(ask, func() app.UI {
		in := app.Input().ID("method-nickname").Name("nickname").Type("text").
			MaxLength(valid.MaxNickname).Attr("autocomplete", "off").Aria("describedby", "method-nickname-hint")
		if errText != "" {
			in = in.Aria("invalid", "true").Aria("describedby", "method-nickname-error method-nickname-hint")
		}
		return app.Div().Class("field").Body(
			app.Label().For("method-nickname").Text(T(MsgNameMethod)),
			in,
			app.P().ID("method-nickname-hint").Class("field-hint").Text(T(MsgNameMethodHint)),
			fieldError("method-nickname-error", errText),
		)
	})
}

// sendNickname hands the form's nickname to on before the form's own
// submit, when the form asks for one.
func sendNickname(ctx app.Context, ask bool, on func(ctx app.Context, nickname string)) {
	if ask && on != nil {
		on(ctx, formValue(ctx, "nickname"))
	}
}

// NameMethodStep names an authenticator app, security key or passkey
// before it is created (those are created as soon as they are chosen, so
// their name is asked first when the environment wants one).
type NameMethodStep struct {
	app.Compo
	// Type is resource.DeviceTOTP or resource.DeviceFIDO2, and Kind the
	// FIDO2 kind.
	Type, Kind    string
	NicknameError string
	Error         string
	Busy          bool
	OnSubmit      func(ctx app.Context, nickname string)
	OnCancel      func(ctx app.Context)
}

// Render implements app.Composer.
func (c *NameMethodStep) Render() app.UI {
	title, hint := T(MsgDevTOTP), T(MsgTOTPChoiceHint)
	switch {
	case c.Type == resource.DeviceFIDO2 && c.Kind == resource.FIDO2Platform:
		title, hint = T(MsgDevPasskey), T(MsgPasskeyHint)
	case c.Type == resource.DeviceFIDO2:
		title, hint = T(MsgDevFIDO2), T(MsgSecurityKeyHint)
	}
	// The submit button stays while busy (disabled): for a security key
	// it is the source of the browser prompt's result.
	return stepForm(title, T(MsgNext), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "nickname"))
			}
		},
		cancelButton(c.OnCancel),
		app.P().Class("hint").Text(hint),
		nicknameField(true, c.NicknameError),
	)
}

// promptNickname reports whether the environment asks for a nickname at
// pairing.
func (p *MyAccountPage) promptNickname() bool {
	return p.pairing != nil && p.pairing.PromptForNickname
}

// setPairNickname keeps what the user typed in "Name this method", just
// before the form's submit reads it.
func (p *MyAccountPage) setPairNickname(ctx app.Context, nickname string) {
	p.methods.nickname, p.methods.nicknameErr = strings.TrimSpace(nickname), ""
}

// pairNickname is the nickname to send with a create, checked as the
// server checks it; false (the reason under the field) when it cannot go.
func (p *MyAccountPage) pairNickname() (string, bool) {
	n := p.methods.nickname
	switch err := valid.Nickname(n); {
	case errors.Is(err, valid.ErrTooLong):
		p.methods.nicknameErr = T(MsgErrNicknameLength)
	case err != nil:
		p.methods.nicknameErr = T(MsgErrNicknameFormat)
	default:
		return n, true
	}
	return "", false
}

// chooseTOTP is "Add method → Authenticator app": created at once, or
// named first when the environment asks.
func (p *MyAccountPage) chooseTOTP(ctx app.Context) {
	if p.promptNickname() {
		p.methods = methodsState{step: PairName, pairType: resource.DeviceTOTP}
		return
	}
	p.addTOTP(ctx)
}

// chooseFIDO2 is "Add method → Security key or Passkey": the browser's
// prompt at once, or after naming it when the environment asks.
func (p *MyAccountPage) chooseFIDO2(ctx app.Context, kind string) {
	if p.promptNickname() {
		p.methods = methodsState{step: PairName, pairType: resource.DeviceFIDO2, pairKind: kind}
		return
	}
	p.addFIDO2(ctx, kind)
}

// submitName creates the method the naming step is for, with its name.
func (p *MyAccountPage) submitName(ctx app.Context, nickname string) {
	p.setPairNickname(ctx, nickname)
	if _, ok := p.pairNickname(); !ok || p.methods.busy {
		return
	}
	switch p.methods.pairType {
	case resource.DeviceTOTP:
		p.addTOTP(ctx)
	case resource.DeviceFIDO2:
		p.addFIDO2(ctx, p.methods.pairKind)
	}
}
