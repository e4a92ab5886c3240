package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
)

// The hosted sign-on steps, one component per flow status. Each is a form
// whose primary button is #submit; the page validates and sends.

// stepForm is the frame every step shares: a card with a heading, the
// fields, the error, the primary button and what comes after it (after may
// be nil). Submitting calls submit with the browser's own submission
// cancelled (no page load, no values in a URL): go-app runs the handler
// before the event returns to JavaScript, so PreventDefault still counts.
func stepForm(title, button string, busy bool, errText string, submit func(ctx app.Context), after app.UI, fields ...app.UI) app.UI {
	btn := app.Button().ID("submit").Type("submit").Class("primary").Text(button)
	if busy {
		btn = btn.Disabled(true).Aria("busy", "true")
	}
	return app.Form().Class("card", "step").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			if !busy {
				submit(ctx)
			}
		}).
		Body(
			app.H1().Text(title),
			app.Div().Class("step-fields").Body(fields...),
			&ErrorMessage{Text: errText},
			btn,
			after,
		)
}

// PasswordStep asks for the username and password
// (USERNAME_PASSWORD_REQUIRED).
type PasswordStep struct {
	app.Compo
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, username, password string)
}

// Render implements app.Composer.
func (c *PasswordStep) Render() app.UI {
	return stepForm(T(MsgSignOnTitle), T(MsgSignOnButton), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "username"), formValue(ctx, "password"))
			}
		},
		nil,
		labelled(T(MsgUsername), "username", app.Input().ID("username").Name("username").Type("text").
			Attr("autocomplete", "username").Attr("autocapitalize", "none").Attr("spellcheck", "false").
			Required(true), c.Error != ""),
		labelled(T(MsgPassword), "password", app.Input().ID("password").Name("password").Type("password").
			Attr("autocomplete", "current-password").Required(true), c.Error != ""),
	)
}

// EnrollEmailStep pairs a first email device during sign-on
// (MFA_ENROLLMENT_REQUIRED).
type EnrollEmailStep struct {
	app.Compo
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, email string)
}

// Render implements app.Composer.
func (c *EnrollEmailStep) Render() app.UI {
	return stepForm(T(MsgEnrollTitle), T(MsgEnrollButton), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "email"))
			}
		},
		nil,
		app.P().Class("hint").Text(T(MsgEnrollExplain)),
		emailField(c.Error != ""),
	)
}

// OTPStep asks for the one-time passcode sent to Target (OTP_REQUIRED).
type OTPStep struct {
	app.Compo
	// Target is where the code went, masked by the server; empty when
	// unknown.
	Target string
	// TOTP says the code comes from an authenticator app: nothing was
	// sent, so there is no "Send a new code".
	TOTP     bool
	Notice   string
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, otp string)
	OnResend func(ctx app.Context)
}

// Render implements app.Composer.
func (c *OTPStep) Render() app.UI {
	title, sent := T(MsgOTPTitle), T(MsgOTPSent)
	if c.Target != "" {
		sent = T(MsgOTPSentTo, c.Target)
	}
	var resend app.UI
	if c.TOTP {
		title, sent = T(MsgOTPTitleTOTP), T(MsgOTPHintTOTP)
	} else {
		resend = app.Button().ID("resend").Type("button").Class("link").Text(T(MsgResend)).
			OnClick(func(ctx app.Context, e app.Event) {
				if c.OnResend != nil && !c.Busy {
					c.OnResend(ctx)
				}
			})
	}
	return stepForm(title, T(MsgOTPButton), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "otp"))
			}
		},
		resend,
		app.P().ID("otp-target").Class("hint").Text(sent),
		labelled(T(MsgOTP), "otp", app.Input().ID("otp").Name("otp").Type("text").
			Attr("inputmode", "numeric").Attr("autocomplete", "one-time-code").Pattern("[0-9]*").
			MaxLength(10).Required(true), c.Error != ""),
		app.If(c.Notice != "", func() app.UI {
			return app.P().ID("notice").Class("notice").Role("status").Text(c.Notice)
		}),
	)
}

// DeviceSelectStep lets the user pick the device to verify with
// (DEVICE_SELECTION_REQUIRED). The default device is preselected.
type DeviceSelectStep struct {
	app.Compo
	Devices  []resource.Device
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, deviceID string)
}

// Render implements app.Composer.
func (c *DeviceSelectStep) Render() app.UI {
	def := resource.DefaultDevice(c.Devices)
	return stepForm(T(MsgSelectTitle), T(MsgSelectButton), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "device"))
			}
		},
		nil,
		app.Ul().Class("choices").Body(
			app.Range(c.Devices).Slice(func(i int) app.UI {
				d := c.Devices[i]
				in := app.Input().Type("radio").Name("device").ID("device-" + d.ID).Value(d.ID)
				if i == def {
					in = in.Checked(true)
				}
				label := deviceKindLabel(d)
				if t := deviceDetail(d); t != "" {
					label += " · " + t
				}
				return app.Li().Class("choice", "device").Body(
					in,
					app.Label().For("device-"+d.ID).Text(label),
				)
			}),
		),
	)
}

// ExpiredView says the flow is gone (404) and links back to MyAccount,
// which starts a new one.
type ExpiredView struct {
	app.Compo
	Text         string
	MyAccountURL string
}

// Render implements app.Composer.
func (c *ExpiredView) Render() app.UI {
	return app.Div().Class("card", "step").Body(
		app.H1().ID("error").Role("alert").Text(c.Text),
		app.P().Body(app.A().ID("back").Class("button").Href(c.MyAccountURL).Text(T(MsgBackToMyAccount))),
	)
}

// labelled is an input with its label; invalid marks it for screen readers
// and points it at the error text.
func labelled(label, id string, in app.HTMLInput, invalid bool) app.UI {
	if invalid {
		in = in.Aria("invalid", "true").Aria("describedby", "error")
	}
	return app.Div().Class("field").Body(app.Label().For(id).Text(label), in)
}

// emailField is the labelled email address input (#email) of the sign-on
// enrollment step and MyAccount's add-method step.
func emailField(invalid bool) app.UI {
	return labelled(T(MsgEmail), "email", app.Input().ID("email").Name("email").Type("email").
		Attr("autocomplete", "email").Attr("inputmode", "email").Required(true), invalid)
}
