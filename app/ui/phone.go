package ui

import (
	"context"
	"errors"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

// Text message (SMS) and voice call methods: Add method → Text message or
// Voice call → country and number → pairing with the code sent to it.

// Phone number syntax bounds, in digits: the PWA checks the shape only;
// the server parses the number with libphonenumber.
const (
	minPhoneDigits = 4
	maxPhoneDigits = 20
	// maxPhoneInput bounds the field, separators included.
	maxPhoneInput = 32
)

// phoneSyntax checks what a person may type as a phone number: digits,
// spaces, hyphens, parentheses and one leading +, with 4 to 20 digits. It
// returns the message to show, or "" when the number may be sent.
func phoneSyntax(s string) Msg {
	s = strings.TrimSpace(s)
	if s == "" {
		return MsgErrPhoneRequired
	}
	if len(s) > maxPhoneInput {
		return MsgErrPhone
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return MsgErrPhone
		}
	}
	if digits < minPhoneDigits || digits > maxPhoneDigits {
		return MsgErrPhone
	}
	return ""
}

func isPhoneType(t string) bool { return t == resource.DeviceSMS || t == resource.DeviceVoice }

// browserLanguages is navigator.languages (navigator.language when the
// list is missing); empty on the host.
func browserLanguages() []string {
	nav := app.Window().Get("navigator")
	var out []string
	// Truthy, not Type: go-app's host stub panics on Type, and both are
	// strings or missing in browsers.
	if list := nav.Get("languages"); list.Truthy() {
		for i := range list.Length() {
			if v := list.Index(i); v.Truthy() {
				out = append(out, v.String())
			}
		}
	}
	if l := nav.Get("language"); len(out) == 0 && l.Truthy() {
		out = append(out, l.String())
	}
	return out
}

// AddPhoneStep asks for the number to pair (Add method → Text message or
// Voice call): a country, whose code is sent as the region of a national
// number, and the number. Errors the server finds in either field show
// under it.
type AddPhoneStep struct {
	app.Compo
	// Kind is resource.DeviceSMS or resource.DeviceVoice.
	Kind string
	// Country is the ISO code selected when the step opens.
	Country     string
	PhoneError  string
	RegionError string
	Error       string
	Busy        bool
	OnSubmit    func(ctx app.Context, region, phone string)
	OnCancel    func(ctx app.Context)
	// AskNickname shows "Name this method" (pairing.go), whose value goes
	// to OnNickname before OnSubmit.
	AskNickname   bool
	NicknameError string
	OnNickname    func(ctx app.Context, nickname string)
}

// Render implements app.Composer.
func (c *AddPhoneStep) Render() app.UI {
	title, hint := T(MsgAddSMSTitle), T(MsgAddSMSHint)
	if c.Kind == resource.DeviceVoice {
		title, hint = T(MsgAddVoiceTitle), T(MsgAddVoiceHint)
	}
	sel := app.Select().ID("region").Name("region").Attr("autocomplete", "country").Required(true).Body(
		app.Range(countries).Slice(func(i int) app.UI {
			k := countries[i]
			o := app.Option().Value(k.Code).Text(k.Label())
			if k.Code == c.Country {
				o = o.Selected(true)
			}
			return o
		}),
	)
	if c.RegionError != "" {
		sel = sel.Aria("invalid", "true").Aria("describedby", "region-error")
	}
	in := app.Input().ID("phone").Name("phone").Type("tel").Attr("autocomplete", "tel-national").
		Attr("inputmode", "tel").MaxLength(maxPhoneInput).Required(true).Aria("describedby", "phone-hint")
	if c.PhoneError != "" {
		in = in.Aria("invalid", "true").Aria("describedby", "phone-error phone-hint")
	}
	return stepForm(title, T(MsgNext), c.Busy, c.Error,
		func(ctx app.Context) {
			sendNickname(ctx, c.AskNickname, c.OnNickname)
			if c.OnSubmit != nil {
				c.OnSubmit(ctx, formValue(ctx, "region"), formValue(ctx, "phone"))
			}
		},
		cancelButton(c.OnCancel),
		app.P().Class("hint").Text(hint),
		app.Div().Class("field").Body(
			app.Label().For("region").Text(T(MsgCountry)),
			sel,
			fieldError("region-error", c.RegionError),
		),
		app.Div().Class("field").Body(
			app.Label().For("phone").Text(T(MsgPhone)),
			in,
			app.P().ID("phone-hint").Class("field-hint").Text(T(MsgPhoneHint)),
			fieldError("phone-error", c.PhoneError),
		),
		nicknameField(c.AskNickname, c.NicknameError),
	)
}

// fieldError is the message under one field (#id), or nothing.
func fieldError(id, text string) app.UI {
	return app.If(text != "", func() app.UI {
		return app.P().ID(id).Class("field-error").Text(text)
	})
}

// choosePhone opens the number step of an SMS or voice method, with the
// country of the browser's locale selected.
func (p *MyAccountPage) choosePhone(ctx app.Context, kind string) {
	p.methods = methodsState{step: PairPhone, pairType: kind, country: defaultCountry(browserLanguages())}
}

// addPhone checks the number's shape and creates the device; the server
// sends its pairing code by text message or call.
func (p *MyAccountPage) addPhone(ctx app.Context, region, number string) {
	m := &p.methods
	kind := m.pairType
	region, number = strings.TrimSpace(region), strings.TrimSpace(number)
	m.country, m.phoneErr, m.regionErr, m.err = region, "", "", ""
	if _, ok := countryByCode(region); !ok {
		m.regionErr = T(MsgErrRegion)
	}
	if msg := phoneSyntax(number); msg != "" {
		m.phoneErr = T(msg)
	}
	nickname, nickOK := p.pairNickname()
	if m.phoneErr != "" || m.regionErr != "" || !isPhoneType(kind) || !nickOK {
		return
	}
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		d, err := api.CreateDevice(c, s.sub, s.accessToken,
			apiclient.NewPhoneDevice{Type: kind, Phone: number, Region: region, Nickname: nickname})
		if err != nil {
			return phoneFailed(err)
		}
		return reread(c, api, s, writeResult{device: &d})
	})
}

// phoneFailed is failed with the server's objections to the number or the
// region put under their fields.
func phoneFailed(err error) writeResult {
	var e *apierr.Error
	if errors.As(err, &e) && e.Status == 400 {
		var r writeResult
		for _, d := range e.Details {
			switch d.Target {
			case "phone":
				r.phoneErr = phoneErrorText(d)
			case "region":
				r.regionErr = T(MsgErrRegion)
			}
		}
		if r.phoneErr != "" || r.regionErr != "" {
			return r
		}
	}
	return failed(err)
}

// phoneErrorText words the server's detail about the number for the field:
// its messages follow the field's name ("phone is not a mobile number, …").
func phoneErrorText(d apierr.Detail) string {
	if rest, ok := strings.CutPrefix(d.Message, "phone "); ok && d.Code == apierr.DetailInvalidValue {
		return T(MsgErrPhoneServer, rest)
	}
	return T(MsgErrPhone)
}
