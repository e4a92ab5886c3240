package ui

import (
	"context"
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/resource"
)

// Security keys and passkeys: pairing in the Authentication tab and the
// ASSERTION_REQUIRED step of the sign-on page. The browser calls are in
// webauthn.go.

// WebAuthn is the browser's credential API. Pages take it as a dependency
// so host tests can play the authenticator.
type WebAuthn interface {
	// Create runs navigator.credentials.create with the server's creation
	// options (JSON, binary members base64url) and returns the new
	// PublicKeyCredential as JSON in the same encoding.
	Create(options string) (string, error)
	// Get runs navigator.credentials.get with the server's request options
	// and returns the assertion's PublicKeyCredential as JSON.
	Get(options string) (string, error)
	// Origin is the page's origin, which the server checks.
	Origin() string
}

// jsWebAuthn is WebAuthn over navigator.credentials (webauthn.go; a stub
// that always fails outside the browser).
type jsWebAuthn struct{}

// webAuthnOf is w, or the browser's when nil (pages made by OnMount).
func webAuthnOf(w WebAuthn) WebAuthn {
	if w == nil {
		return jsWebAuthn{}
	}
	return w
}

// webAuthnError is a rejected navigator.credentials call: Name is the
// DOMException's name (NotAllowedError, InvalidStateError, …).
type webAuthnError struct{ Name, Message string }

func (e *webAuthnError) Error() string { return "webauthn: " + e.Name + ": " + e.Message }

// webAuthnErrorText is what to show for a failed browser call.
func webAuthnErrorText(err error) string {
	var e *webAuthnError
	if !errors.As(err, &e) {
		return T(MsgErrGeneric)
	}
	switch e.Name {
	case "NotAllowedError", "AbortError":
		// Cancelled, timed out, or refused: the browser does not say which.
		return T(MsgFIDOCancelled)
	case "InvalidStateError":
		return T(MsgFIDOExists)
	case "NotSupportedError", "SecurityError":
		return T(MsgFIDOUnsupported)
	}
	return T(MsgErrGeneric)
}

// deviceKindLabel names a device's method; a FIDO2 device by its kind.
func deviceKindLabel(d resource.Device) string {
	if d.Type == resource.DeviceFIDO2 && d.Kind == resource.FIDO2Platform {
		return T(MsgDevPasskey)
	}
	return deviceTypeLabel(d.Type)
}

// deviceDetail is the second half of a device's label: where codes go, or
// which authenticator a FIDO2 device is.
func deviceDetail(d resource.Device) string {
	if d.Type == resource.DeviceFIDO2 {
		return d.AuthenticatorName
	}
	return deviceTarget(d)
}

// FIDO2PairingStep adds a security key or passkey: the browser's prompt
// runs when the step opens; the step says what to do, shows what went
// wrong, and offers to try again.
type FIDO2PairingStep struct {
	app.Compo
	Kind     string // resource.FIDO2SecurityKey or FIDO2Platform
	Error    string
	Busy     bool
	OnRetry  func(ctx app.Context)
	OnCancel func(ctx app.Context)
}

// Render implements app.Composer.
func (c *FIDO2PairingStep) Render() app.UI {
	title, prompt := T(MsgFIDOTitleKey), T(MsgFIDOPromptKey)
	if c.Kind == resource.FIDO2Platform {
		title, prompt = T(MsgFIDOTitlePasskey), T(MsgFIDOPromptPasskey)
	}
	// The button stays while busy (disabled): it is the source of the
	// retry's result, which go-app delivers only to mounted sources.
	btn := app.Button().ID("fido-retry").Type("button").Class("primary").Text(T(MsgFIDORetry)).
		OnClick(func(ctx app.Context, e app.Event) {
			if !c.Busy {
				call(c.OnRetry, ctx)
			}
		})
	if c.Busy {
		btn = btn.Disabled(true).Aria("busy", "true")
	}
	return app.Div().ID("fido-step").Class("card", "step").Body(
		app.H1().Text(title),
		app.P().ID("fido-prompt").Class("hint").Role("status").Text(prompt),
		&ErrorMessage{Text: c.Error},
		btn,
		app.Div().Class("step-after").Body(cancelButton(c.OnCancel)),
	)
}

// addFIDO2 pairs a security key or passkey in one go: the server makes the
// device and its creation options, the browser asks the authenticator, and
// the attestation activates the device. The page stays as it is meanwhile
// (the browser shows its own prompt): go-app drops the result of a call
// whose button left the page, so the pairing step opens only to show a
// failure and offer to try again.
func (p *MyAccountPage) addFIDO2(ctx app.Context, kind string) {
	if p.methods.busy {
		return
	}
	p.methods.pairKind, p.methods.pairID = kind, ""
	wa := webAuthnOf(p.acct.webauthn)
	nickname := p.methods.nickname // named on the naming step (pairing.go)
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		d, err := api.CreateDevice(c, s.sub, s.accessToken,
			apiclient.NewFIDO2Device{Type: resource.DeviceFIDO2, Kind: kind, Nickname: nickname})
		if err != nil {
			return failed(err)
		}
		return pairFIDO2(c, api, s, wa, d)
	})
}

// retryFIDO2 runs the browser's prompt again for the device being paired
// (read again for its options), or starts over when none was made.
func (p *MyAccountPage) retryFIDO2(ctx app.Context) {
	id, kind := p.methods.pairID, p.methods.pairKind
	if id == "" {
		p.addFIDO2(ctx, kind)
		return
	}
	wa := webAuthnOf(p.acct.webauthn)
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		d, err := api.GetDevice(c, s.sub, s.accessToken, id)
		if err != nil {
			return failed(err)
		}
		return pairFIDO2(c, api, s, wa, d)
	})
}

// pairFIDO2 has the authenticator answer d's creation options and sends
// the attestation. The result names d, so a retry reuses it.
func pairFIDO2(c context.Context, api *apiclient.Client, s session, wa WebAuthn, d resource.Device) writeResult {
	if d.Status != resource.DeviceActivationRequired || d.PublicKeyCredentialCreationOptions == "" {
		// Past its pairing window the server no longer hands out options.
		return writeResult{device: &d, err: T(MsgFIDOExpired)}
	}
	att, err := wa.Create(d.PublicKeyCredentialCreationOptions)
	if err != nil {
		return writeResult{device: &d, err: webAuthnErrorText(err)}
	}
	if _, err := api.ActivateFIDO2Device(c, s.sub, s.accessToken, d.ID, att, wa.Origin()); err != nil {
		r := failed(err)
		r.device = &d
		return r
	}
	// No notice above the list: it would shift the list, and go-app would
	// remount the row buttons the next call's result is delivered to.
	return reread(c, api, s, writeResult{})
}

// useKey answers ASSERTION_REQUIRED: the browser asks the security key or
// passkey, and the assertion goes to the flow.
func (p *SignOnPage) useKey(ctx app.Context) {
	if p.busy || p.flow == nil || p.deps == nil {
		return
	}
	p.busy, p.errText, p.notice = true, "", ""
	deps, flowID, opts := p.deps, p.flowID, p.flow.PublicKeyCredentialRequestOptions
	wa := webAuthnOf(deps.webauthn)
	ctx.Async(func() {
		var r flowResult
		as, err := wa.Get(opts)
		if err != nil {
			r = flowResult{errText: webAuthnErrorText(err)}
		} else {
			f, err := deps.api.FlowAction(context.Background(), flowID, resource.ActionAssertionCheck,
				resource.AssertionCheck{Assertion: as, Origin: wa.Origin()})
			r = toFlowResult(f, err)
		}
		ctx.Dispatch(func(ctx app.Context) { p.apply(r) })
	})
}

// AssertionStep asks for the security key or passkey (ASSERTION_REQUIRED).
type AssertionStep struct {
	app.Compo
	// Device is the one challenged; its name says which key to use.
	Device resource.Device
	Error  string
	Busy   bool
	OnUse  func(ctx app.Context)
}

// Render implements app.Composer.
func (c *AssertionStep) Render() app.UI {
	name := c.Device.Nickname
	if name == "" {
		name = deviceDetail(c.Device)
	}
	hint := T(MsgAssertionHint)
	if name != "" {
		hint = T(MsgAssertionHintNamed, name)
	}
	return stepForm(T(MsgAssertionTitle), T(MsgAssertionButton), c.Busy, c.Error,
		func(ctx app.Context) { call(c.OnUse, ctx) },
		nil,
		app.P().ID("assertion-hint").Class("hint").Text(hint),
	)
}

// fidoChoice is one FIDO2 choice of "Add method".
func (c *MethodsPanel) fidoChoice(id, kind string, label, hint Msg) app.UI {
	if !c.offers(resource.DeviceFIDO2) {
		return nil
	}
	return app.Li().Class("choice", "method-choice").Body(
		app.Button().ID(id).Type("button").Class("choice-button").Aria("describedby", id+"-hint").
			OnClick(func(ctx app.Context, e app.Event) {
				if c.OnChooseFIDO2 != nil {
					c.OnChooseFIDO2(ctx, kind)
				}
			}).
			Text(T(label)),
		app.P().ID(id+"-hint").Class("hint").Text(T(hint)),
	)
}
