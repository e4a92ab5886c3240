package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
)

// PairStep is where adding a method is.
type PairStep int

// Pairing steps of the Authentication tab.
const (
	PairNone   PairStep = iota // the list
	PairChoose                 // which kind of method
	PairEmail                  // the address
	PairOTP                    // the passcode mailed to it (Email pairing)
	PairTOTP                   // the QR code and a code from the app
	PairPhone                  // the country and number (Text message, Voice call)
	PairFIDO2                  // the browser's prompt for a security key or passkey
	PairName                   // the name of an authenticator app or FIDO2 method to create
)

// MethodsPanel is the Authentication tab: the user's methods with the
// actions their scopes allow, and the pairing steps (Add method → Email →
// address → Email pairing). It only displays; the page does the calls.
type MethodsPanel struct {
	app.Compo
	Devices []resource.Device
	// CanCreate, CanUpdate and CanDelete follow the token's device scopes.
	CanCreate, CanUpdate, CanDelete bool
	// NeedVerify offers the step-up (#verify): the server asked for MFA.
	NeedVerify bool
	Step       PairStep
	// PairTarget is the address being paired (PairOTP).
	PairTarget string
	// PairType is the type of the device being added or paired (PairPhone,
	// PairOTP): it names the steps.
	PairType string
	// Country is the country selected on the number step, and PhoneError
	// and RegionError what is wrong with each field (PairPhone).
	Country     string
	PhoneError  string
	RegionError string
	// PairSecret and PairQR are the authenticator app's key (base32) and
	// its QR code as a data: URL (PairTOTP).
	PairSecret string
	PairQR     string
	// PairKind is the FIDO2 kind being paired (PairFIDO2).
	PairKind string
	// Renaming and Confirming name the device whose nickname form or
	// removal confirmation is open.
	Renaming   string
	Confirming string
	Error      string
	Notice     string
	Busy       bool
	// Pairing is config.json's pairing rules (pairing.go); nil while
	// unknown: every method offered, no nickname asked.
	Pairing *resource.AppPairing
	// NicknameError is what is wrong with "Name this method".
	NicknameError string

	OnAdd          func(ctx app.Context)
	OnChooseEmail  func(ctx app.Context)
	OnChooseTOTP   func(ctx app.Context)
	OnChoosePhone  func(ctx app.Context, kind string)
	OnSubmitPhone  func(ctx app.Context, region, phone string)
	OnChooseFIDO2  func(ctx app.Context, kind string)
	OnRetryFIDO2   func(ctx app.Context)
	OnCopySecret   func(ctx app.Context)
	OnCancel       func(ctx app.Context)
	OnSubmitEmail  func(ctx app.Context, email string)
	OnSubmitOTP    func(ctx app.Context, otp string)
	OnResend       func(ctx app.Context)
	OnFinish       func(ctx app.Context, id string)
	OnRename       func(ctx app.Context, id string)
	OnSaveNickname func(ctx app.Context, id, nickname string)
	OnMove         func(ctx app.Context, id string, delta int)
	OnMakeDefault  func(ctx app.Context, id string)
	OnRemove       func(ctx app.Context, id string)
	OnConfirm      func(ctx app.Context, id string)
	OnVerify       func(ctx app.Context)
	// OnNickname gets "Name this method" just before an add form's submit.
	OnNickname func(ctx app.Context, nickname string)
	// OnSubmitName creates the method the naming step is for.
	OnSubmitName func(ctx app.Context, nickname string)
}

func call(f func(app.Context), ctx app.Context) {
	if f != nil {
		f(ctx)
	}
}

func callID(f func(app.Context, string), ctx app.Context, id string) {
	if f != nil {
		f(ctx, id)
	}
}

// Render implements app.Composer.
func (c *MethodsPanel) Render() app.UI {
	switch c.Step {
	case PairChoose:
		return c.choose()
	case PairEmail:
		return &AddEmailStep{Error: c.Error, Busy: c.Busy, OnSubmit: c.OnSubmitEmail, OnCancel: c.OnCancel,
			AskNickname: c.askNickname(), NicknameError: c.NicknameError, OnNickname: c.OnNickname}
	case PairPhone:
		return &AddPhoneStep{Kind: c.PairType, Country: c.Country, PhoneError: c.PhoneError, RegionError: c.RegionError,
			Error: c.Error, Busy: c.Busy, OnSubmit: c.OnSubmitPhone, OnCancel: c.OnCancel,
			AskNickname: c.askNickname(), NicknameError: c.NicknameError, OnNickname: c.OnNickname}
	case PairName:
		return &NameMethodStep{Type: c.PairType, Kind: c.PairKind, NicknameError: c.NicknameError, Error: c.Error,
			Busy: c.Busy, OnSubmit: c.OnSubmitName, OnCancel: c.OnCancel}
	case PairOTP:
		return &PairingStep{Kind: c.PairType, Target: c.PairTarget, Notice: c.Notice, Error: c.Error, Busy: c.Busy,
			OnSubmit: c.OnSubmitOTP, OnResend: c.OnResend, OnCancel: c.OnCancel}
	case PairTOTP:
		return &TOTPPairingStep{Secret: c.PairSecret, QRImage: c.PairQR, Notice: c.Notice, Error: c.Error, Busy: c.Busy,
			OnSubmit: c.OnSubmitOTP, OnCopy: c.OnCopySecret, OnCancel: c.OnCancel}
	case PairFIDO2:
		return &FIDO2PairingStep{Kind: c.PairKind, Error: c.Error, Busy: c.Busy, OnRetry: c.OnRetryFIDO2, OnCancel: c.OnCancel}
	}
	return c.list()
}

func (c *MethodsPanel) cancelButton() app.UI { return cancelButton(c.OnCancel) }

func cancelButton(onCancel func(app.Context)) app.UI {
	return app.Button().ID("cancel").Type("button").Class("link").Text(T(MsgCancel)).
		OnClick(func(ctx app.Context, e app.Event) { call(onCancel, ctx) })
}

// The pairing steps are components of their own: go-app keeps an event
// handler until its scope changes, so one component switching forms would
// submit the new form with the old step's handler (and keep the old
// input's value).

// AddEmailStep asks for the address to pair (Add method → Email).
type AddEmailStep struct {
	app.Compo
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, email string)
	OnCancel func(ctx app.Context)
	// AskNickname shows "Name this method" (pairing.go), whose value goes
	// to OnNickname before OnSubmit.
	AskNickname   bool
	NicknameError string
	OnNickname    func(ctx app.Context, nickname string)
}

// Render implements app.Composer.
func (c *AddEmailStep) Render() app.UI {
	return stepForm(T(MsgAddEmailTitle), T(MsgNext), c.Busy, c.Error,
		func(ctx app.Context) {
			sendNickname(ctx, c.AskNickname, c.OnNickname)
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "email"))
			}
		},
		cancelButton(c.OnCancel),
		app.P().Class("hint", "weak").Text(T(MsgEmailWeak)),
		emailField(c.Error != ""),
		nicknameField(c.AskNickname, c.NicknameError),
	)
}

// PairingStep is "Email pairing": the passcode mailed to Target (or, by
// Kind, texted or read out in a call to it).
type PairingStep struct {
	app.Compo
	// Kind is the device type; empty is EMAIL.
	Kind     string
	Target   string
	Notice   string
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, otp string)
	OnResend func(ctx app.Context)
	OnCancel func(ctx app.Context)
}

// Render implements app.Composer.
func (c *PairingStep) Render() app.UI {
	sent := T(MsgOTPSent)
	if c.Target != "" {
		sent = T(MsgOTPSentTo, c.Target)
	}
	title := T(MsgPairingTitle)
	switch c.Kind {
	case resource.DeviceSMS:
		title = T(MsgSMSPairingTitle)
	case resource.DeviceVoice:
		title = T(MsgVoicePairingTitle)
		if c.Target != "" {
			sent = T(MsgOTPCalling, c.Target)
		}
	}
	return stepForm(title, T(MsgNext), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "otp"))
			}
		},
		app.Div().Class("step-after").Body(
			app.Button().ID("resend").Type("button").Class("link").Text(T(MsgResend)).
				OnClick(func(ctx app.Context, e app.Event) {
					if !c.Busy {
						call(c.OnResend, ctx)
					}
				}),
			cancelButton(c.OnCancel),
		),
		app.P().ID("otp-target").Class("hint").Text(sent),
		labelled(T(MsgOTP), "otp", app.Input().ID("otp").Name("otp").Type("text").
			Attr("inputmode", "numeric").Attr("autocomplete", "one-time-code").Pattern("[0-9]*").
			MaxLength(10).Required(true), c.Error != ""),
		app.If(c.Notice != "", func() app.UI {
			return app.P().ID("notice").Class("notice").Role("status").Text(c.Notice)
		}),
	)
}

// TOTPPairingStep pairs an authenticator app: the QR code of the key URI,
// the key itself for manual entry, and the first code the app shows.
type TOTPPairingStep struct {
	app.Compo
	Secret string
	// QRImage is a data: URL (the CSP allows img-src data:); only data:
	// images are shown, so a hostile value cannot load from elsewhere.
	QRImage  string
	Notice   string
	Error    string
	Busy     bool
	OnSubmit func(ctx app.Context, otp string)
	OnCopy   func(ctx app.Context)
	OnCancel func(ctx app.Context)
}

// Render implements app.Composer.
func (c *TOTPPairingStep) Render() app.UI {
	return stepForm(T(MsgTOTPTitle), T(MsgNext), c.Busy, c.Error,
		func(ctx app.Context) {
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "otp"))
			}
		},
		app.Div().Class("step-after").Body(cancelButton(c.OnCancel)),
		app.P().Class("hint").Text(T(MsgTOTPScan)),
		app.If(strings.HasPrefix(c.QRImage, "data:image/"), func() app.UI {
			return app.Img().ID("totp-qr").Class("qr").Src(c.QRImage).Alt(T(MsgTOTPQRAlt)).
				Width(256).Height(256)
		}),
		app.P().ID("totp-manual").Class("hint").Text(T(MsgTOTPManual)),
		app.Div().Class("secret-row").Body(
			app.Code().ID("totp-secret").Class("secret").Aria("describedby", "totp-manual").Text(groupSecret(c.Secret)),
			app.Button().ID("copy-secret").Type("button").Class("action").Text(T(MsgTOTPCopy)).
				OnClick(func(ctx app.Context, e app.Event) { call(c.OnCopy, ctx) }),
		),
		labelled(T(MsgTOTPCode), "otp", app.Input().ID("otp").Name("otp").Type("text").
			Attr("inputmode", "numeric").Attr("autocomplete", "one-time-code").Pattern("[0-9]*").
			MaxLength(10).Required(true), c.Error != ""),
		app.If(c.Notice != "", func() app.UI {
			return app.P().ID("notice").Class("notice").Role("status").Text(c.Notice)
		}),
	)
}

// groupSecret writes a base32 key in groups of four, as authenticator apps
// accept it and as people copy it without losing their place.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (c *MethodsPanel) choose() app.UI {
	return app.Div().Class("card", "step").Body(
		app.H1().Text(T(MsgChooseMethod)),
		app.Ul().Class("choices").Body(
			c.offer(resource.DeviceEmail, app.Li().Class("choice", "method-choice").Body(
				app.Button().ID("add-email").Type("button").Class("choice-button").
					Aria("describedby", "email-weak").
					OnClick(func(ctx app.Context, e app.Event) { call(c.OnChooseEmail, ctx) }).
					Text(T(MsgDevEmail)),
				app.P().ID("email-weak").Class("hint", "weak").Text(T(MsgEmailWeak)),
			)),
			c.offer(resource.DeviceTOTP, app.Li().Class("choice", "method-choice").Body(
				app.Button().ID("add-totp").Type("button").Class("choice-button").
					Aria("describedby", "totp-hint").
					OnClick(func(ctx app.Context, e app.Event) { call(c.OnChooseTOTP, ctx) }).
					Text(T(MsgDevTOTP)),
				app.P().ID("totp-hint").Class("hint").Text(T(MsgTOTPChoiceHint)),
			)),
			c.phoneChoice("add-sms", resource.DeviceSMS, MsgDevSMS, MsgSMSChoiceHint),
			c.phoneChoice("add-voice", resource.DeviceVoice, MsgDevVoice, MsgVoiceChoiceHint),
			c.fidoChoice("add-security-key", resource.FIDO2SecurityKey, MsgDevFIDO2, MsgSecurityKeyHint),
			c.fidoChoice("add-passkey", resource.FIDO2Platform, MsgDevPasskey, MsgPasskeyHint),
		),
		&ErrorMessage{Text: c.Error},
		c.cancelButton(),
	)
}

// phoneChoice is the Text message or Voice call entry of the choice list.
func (c *MethodsPanel) phoneChoice(id, kind string, label, hint Msg) app.UI {
	if !c.offers(kind) {
		return nil
	}
	return app.Li().Class("choice", "method-choice").Body(
		app.Button().ID(id).Type("button").Class("choice-button").
			Aria("describedby", id+"-hint").
			OnClick(func(ctx app.Context, e app.Event) {
				if c.OnChoosePhone != nil {
					c.OnChoosePhone(ctx, kind)
				}
			}, app.EventScope(kind)).
			Text(T(label)),
		app.P().ID(id+"-hint").Class("hint").Text(T(hint)),
	)
}

func (c *MethodsPanel) list() app.UI {
	writable := c.CanCreate || c.CanUpdate || c.CanDelete
	def := resource.DefaultDevice(c.Devices)
	return app.Div().Class("methods").Body(
		app.H2().Class("methods-title").Text(T(MsgMethodsTitle)),
		&ErrorMessage{Text: c.Error},
		app.If(c.Notice != "", func() app.UI {
			return app.P().ID("notice").Class("notice").Role("status").Text(c.Notice)
		}),
		app.If(c.NeedVerify, func() app.UI {
			return app.Div().Class("verify").Body(
				app.P().Class("hint").Text(T(MsgVerifyExplain)),
				app.Button().ID("verify").Type("button").Class("primary").Text(T(MsgVerify)).Disabled(c.Busy).
					OnClick(func(ctx app.Context, e app.Event) { call(c.OnVerify, ctx) }),
			)
		}),
		app.If(!writable, func() app.UI {
			return app.P().ID("read-only").Class("hint").Text(T(MsgReadOnly))
		}),
		app.If(len(c.Devices) == 0, func() app.UI { return app.P().Class("empty").Text(T(MsgDevicesEmpty)) }),
		app.If(len(c.Devices) > 0, func() app.UI {
			return app.Ul().Class("devices").Body(
				app.Range(c.Devices).Slice(func(i int) app.UI { return c.row(i, i == def) }),
			)
		}),
		app.If(c.CanCreate && !c.canPair(), pairingOffNote),
		app.If(c.CanCreate && c.canPair(), func() app.UI {
			return app.Button().ID("add-method").Type("button").Class("primary").Text(T(MsgAddMethod)).
				Disabled(c.Busy).OnClick(func(ctx app.Context, e app.Event) { call(c.OnAdd, ctx) })
		}),
	)
}

// row is one device with its actions. Buttons carry the device's name in
// their accessible label, since "Remove" alone is ambiguous in a list.
func (c *MethodsPanel) row(i int, isDefault bool) app.UI {
	d := c.Devices[i]
	name := deviceName(d)
	li := app.Li().Class("device").DataSet("device-id", d.ID)
	if isDefault {
		li = li.Class("device-default")
	}
	pending := d.Status == resource.DeviceActivationRequired
	btn := func(class string, label Msg, onClick func(ctx app.Context)) app.UI {
		return app.Button().Type("button").Class("action", class).Disabled(c.Busy).
			Aria("label", T(label)+": "+name).Text(T(label)).
			OnClick(func(ctx app.Context, e app.Event) { onClick(ctx) }, app.EventScope(d.ID+class))
	}
	var actions []app.UI
	if pending && c.CanCreate && c.canPair() {
		actions = append(actions, btn("finish-pairing", MsgFinishPairing, func(ctx app.Context) { callID(c.OnFinish, ctx, d.ID) }))
	}
	if c.CanUpdate {
		actions = append(actions, btn("rename", MsgRename, func(ctx app.Context) { callID(c.OnRename, ctx, d.ID) }))
		if i > 0 {
			actions = append(actions, btn("move-up", MsgMoveUp, func(ctx app.Context) {
				if c.OnMove != nil {
					c.OnMove(ctx, d.ID, -1)
				}
			}))
		}
		if i < len(c.Devices)-1 {
			actions = append(actions, btn("move-down", MsgMoveDown, func(ctx app.Context) {
				if c.OnMove != nil {
					c.OnMove(ctx, d.ID, 1)
				}
			}))
		}
		if !isDefault && d.Status == resource.DeviceActive {
			actions = append(actions, btn("make-default", MsgMakeDefault, func(ctx app.Context) { callID(c.OnMakeDefault, ctx, d.ID) }))
		}
	}
	if c.CanDelete {
		actions = append(actions, btn("remove", MsgRemove, func(ctx app.Context) { callID(c.OnRemove, ctx, d.ID) }))
	}
	return li.Body(
		deviceSummary(d, isDefault),
		app.If(c.Renaming == d.ID, func() app.UI {
			return app.Form().Class("rename-form").NoValidate(true).
				OnSubmit(func(ctx app.Context, e app.Event) {
					e.PreventDefault()
					if !c.Busy && c.OnSaveNickname != nil {
						c.OnSaveNickname(ctx, d.ID, formValue(ctx, "nickname"))
					}
				}, app.EventScope(d.ID)).
				Body(
					labelled(T(MsgNickname), "nickname", app.Input().ID("nickname").Name("nickname").Type("text").
						Value(d.Nickname).MaxLength(100).AutoFocus(true), false),
					app.Div().Class("row-actions").Body(
						app.Button().Type("submit").Class("action", "save-nickname").Disabled(c.Busy).Text(T(MsgSave)),
						app.Button().Type("button").Class("action", "cancel-rename").Text(T(MsgCancel)).
							OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }, app.EventScope(d.ID)),
					),
				)
		}),
		app.If(c.Confirming == d.ID, func() app.UI {
			return app.Div().Class("confirm").Role("alertdialog").Aria("labelledby", "confirm-text").Body(
				app.P().ID("confirm-text").Text(T(MsgRemoveConfirm, name)),
				app.Div().Class("row-actions").Body(
					app.Button().ID("confirm-remove").Type("button").Class("action", "danger").Disabled(c.Busy).
						Text(T(MsgRemoveYes)).
						OnClick(func(ctx app.Context, e app.Event) { callID(c.OnConfirm, ctx, d.ID) }, app.EventScope(d.ID)),
					app.Button().ID("cancel-remove").Type("button").Class("action").Text(T(MsgCancel)).
						OnClick(func(ctx app.Context, e app.Event) { call(c.OnCancel, ctx) }, app.EventScope(d.ID)),
				),
			)
		}),
		app.If(len(actions) > 0 && c.Renaming != d.ID && c.Confirming != d.ID, func() app.UI {
			return app.Div().Class("row-actions").Body(actions...)
		}),
	)
}

// deviceName is how a device is named in labels: its nickname, else its
// kind and masked target.
func deviceName(d resource.Device) string {
	if d.Nickname != "" {
		return d.Nickname
	}
	if t := deviceTarget(d); t != "" {
		return deviceTypeLabel(d.Type) + " " + t
	}
	return deviceTypeLabel(d.Type)
}
