package ui

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// methodsState is the Authentication tab's part of the MyAccount page.
type methodsState struct {
	step       PairStep
	pairID     string // device being paired
	pairTarget string
	pairSecret string // TOTP key being paired, shown only on its step
	pairQR     string
	pairType   string // type of the device being added or paired
	country    string // phone step: country selected
	phoneErr   string // phone step: what is wrong with the number
	regionErr  string // phone step: what is wrong with the country
	pairKind   string // FIDO2 kind being paired
	renaming   string
	confirming string
	busy       bool
	err        string
	notice     string
	needVerify bool
	// nickname is "Name this method" of the pairing under way, and
	// nicknameErr what is wrong with it (pairing.go).
	nickname, nicknameErr string
}

// writeResult is what a device write came back with: the list as the
// server now has it (nil when not re-read), and what to say.
type writeResult struct {
	devices    []resource.Device
	device     *resource.Device // created (pairing continues with it)
	err        string
	needVerify bool
	notice     string
	// phoneErr and regionErr are the server's objections to a new
	// number, shown under its fields.
	phoneErr, regionErr string
}

// methodsPanel builds the Authentication tab from the page's state.
func (p *MyAccountPage) methodsPanel() app.UI {
	m := &p.methods
	online := !p.offline && p.sess != nil
	canCreate := online && p.scopes.Has(scope.CreateDevice)
	canUpdate := online && p.scopes.Has(scope.UpdateDevice)
	canDelete := online && p.scopes.Has(scope.DeleteDevice)
	return &MethodsPanel{
		Devices:   p.devices,
		CanCreate: canCreate,
		CanUpdate: canUpdate,
		CanDelete: canDelete,
		// Reduced scopes (no MFA in this session) leave the list read-only;
		// the step-up brings a token with the write scopes.
		NeedVerify:     online && (m.needVerify || !(canCreate || canUpdate || canDelete)),
		Step:           m.step,
		PairTarget:     m.pairTarget,
		PairSecret:     m.pairSecret,
		PairQR:         m.pairQR,
		PairType:       m.pairType,
		Country:        m.country,
		PhoneError:     m.phoneErr,
		RegionError:    m.regionErr,
		OnChoosePhone:  p.choosePhone,
		OnSubmitPhone:  p.addPhone,
		PairKind:       m.pairKind,
		OnChooseFIDO2:  p.chooseFIDO2,
		OnRetryFIDO2:   p.retryFIDO2,
		Renaming:       m.renaming,
		Confirming:     m.confirming,
		Error:          m.err,
		Notice:         m.notice,
		Busy:           m.busy,
		OnAdd:          func(ctx app.Context) { p.methods = methodsState{step: PairChoose} },
		OnChooseEmail:  func(ctx app.Context) { p.methods = methodsState{step: PairEmail} },
		OnChooseTOTP:   p.chooseTOTP,
		OnCopySecret:   p.copySecret,
		OnCancel:       func(ctx app.Context) { p.methods = methodsState{needVerify: m.needVerify} },
		OnSubmitEmail:  p.addEmail,
		OnSubmitOTP:    p.activate,
		OnResend:       p.resendCode,
		OnFinish:       p.finishPairing,
		OnRename:       func(ctx app.Context, id string) { p.methods = methodsState{renaming: id, needVerify: m.needVerify} },
		OnSaveNickname: p.rename,
		OnMove:         p.move,
		OnMakeDefault:  p.makeDefault,
		OnRemove:       func(ctx app.Context, id string) { p.methods = methodsState{confirming: id, needVerify: m.needVerify} },
		OnConfirm:      p.remove,
		OnVerify:       p.verify,
		Pairing:        p.pairing,
		NicknameError:  m.nicknameErr,
		OnNickname:     p.setPairNickname,
		OnSubmitName:   p.submitName,
	}
}

// write runs one device call off the UI goroutine and applies its result.
func (p *MyAccountPage) write(ctx app.Context, call func(context.Context, *apiclient.Client, session) writeResult) {
	if p.methods.busy || p.sess == nil {
		return
	}
	p.methods.busy, p.methods.err, p.methods.notice = true, "", ""
	api, s := p.acct.api, *p.sess
	ctx.Async(func() {
		r := call(context.Background(), api, s)
		ctx.Dispatch(func(ctx app.Context) { p.applyWrite(r) })
	})
}

func (p *MyAccountPage) applyWrite(r writeResult) {
	m := &p.methods
	m.busy = false
	if r.devices != nil {
		p.devices = r.devices
	}
	if r.needVerify {
		// The step-up replaces whatever was under way.
		p.methods = methodsState{needVerify: true, err: r.err}
		return
	}
	if r.phoneErr != "" || r.regionErr != "" {
		m.phoneErr, m.regionErr = r.phoneErr, r.regionErr
		return
	}
	if r.device != nil && r.device.Type == resource.DeviceFIDO2 {
		// A FIDO2 pairing that did not finish: its step offers a retry
		// of the prompt for this device.
		m.step, m.pairID = PairFIDO2, r.device.ID
	}
	if r.err != "" {
		m.err = r.err
		return
	}
	m.notice = r.notice
	switch {
	case r.device != nil && r.device.Type == resource.DeviceTOTP:
		if r.device.Secret == "" {
			// Past its pairing window the server no longer hands out the key.
			p.methods = methodsState{err: T(MsgTOTPPairExpired)}
			return
		}
		p.methods = methodsState{step: PairTOTP, pairID: r.device.ID, pairSecret: r.device.Secret, pairQR: r.device.QRImage}
	case r.device != nil:
		m.step, m.pairID, m.pairTarget, m.pairType = PairOTP, r.device.ID, deviceTarget(*r.device), r.device.Type
	case (m.step == PairOTP || m.step == PairTOTP) && r.notice != "":
		// A new code was sent: stay on the pairing step.
	default:
		p.methods = methodsState{notice: r.notice}
	}
}

// reread follows a write with the list as the server has it now.
func reread(ctx context.Context, api *apiclient.Client, s session, r writeResult) writeResult {
	if d, err := api.ListDevices(ctx, s.sub, s.accessToken); err == nil {
		r.devices = d
	}
	return r
}

func (p *MyAccountPage) addEmail(ctx app.Context, email string) {
	email = strings.TrimSpace(email)
	if valid.Email(email) != nil {
		p.methods.err = T(MsgErrEmail)
		return
	}
	nickname, ok := p.pairNickname()
	if !ok {
		return
	}
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		d, err := api.CreateDevice(c, s.sub, s.accessToken,
			apiclient.NewEmailDevice{Type: resource.DeviceEmail, Email: email, Nickname: nickname})
		if err != nil {
			return failed(err)
		}
		return reread(c, api, s, writeResult{device: &d})
	})
}

// addTOTP creates an authenticator-app device at once: there is nothing to
// ask first (but its name, when the environment asks: pairing.go), and the
// step needs the key the server makes.
func (p *MyAccountPage) addTOTP(ctx app.Context) {
	nickname := p.methods.nickname // named on the naming step (pairing.go)
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		d, err := api.CreateDevice(c, s.sub, s.accessToken, apiclient.NewTOTPDevice{Type: resource.DeviceTOTP, Nickname: nickname})
		if err != nil {
			return failed(err)
		}
		return reread(c, api, s, writeResult{device: &d})
	})
}

func (p *MyAccountPage) copySecret(ctx app.Context) {
	if p.methods.pairSecret != "" && p.acct.browser.CopyText(p.methods.pairSecret) {
		p.methods.notice = T(MsgTOTPCopied)
	}
}

// finishPairing reopens a pending device's pairing step. A TOTP device is
// read again: lists never carry its key, a read does while it is pending.
func (p *MyAccountPage) finishPairing(ctx app.Context, id string) {
	for _, d := range p.devices {
		if d.ID == id && d.Type == resource.DeviceFIDO2 {
			p.methods = methodsState{pairID: id, pairKind: d.Kind, needVerify: p.methods.needVerify}
			p.retryFIDO2(ctx)
			return
		}
		if d.ID == id && d.Type == resource.DeviceTOTP {
			p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
				d, err := api.GetDevice(c, s.sub, s.accessToken, id)
				if err != nil {
					return failed(err)
				}
				return writeResult{device: &d}
			})
			return
		}
		if d.ID == id {
			p.methods = methodsState{step: PairOTP, pairID: id, pairTarget: deviceTarget(d), pairType: d.Type}
		}
	}
}

func (p *MyAccountPage) activate(ctx app.Context, otp string) {
	otp = strings.TrimSpace(otp)
	if valid.OTP(otp) != nil {
		p.methods.err = T(MsgErrOTPFormat)
		return
	}
	id, totp := p.methods.pairID, p.methods.step == PairTOTP
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		if _, err := api.ActivateDevice(c, s.sub, s.accessToken, id, otp); err != nil {
			r := failed(err)
			if totp && r.err == T(MsgErrCodeExpired) {
				// No new code can be sent: the pairing itself is over.
				r.err = T(MsgTOTPPairExpired)
			}
			return r
		}
		return reread(c, api, s, writeResult{})
	})
}

func (p *MyAccountPage) resendCode(ctx app.Context) {
	id := p.methods.pairID
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		if err := api.ResendDeviceCode(c, s.sub, s.accessToken, id); err != nil {
			return failed(err)
		}
		return writeResult{notice: T(MsgResent)}
	})
}

func (p *MyAccountPage) rename(ctx app.Context, id, nickname string) {
	nickname = strings.TrimSpace(nickname)
	if utf8.RuneCountInString(nickname) > 100 {
		p.methods.err = T(MsgErrNicknameLength)
		return
	}
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		if _, err := api.RenameDevice(c, s.sub, s.accessToken, id, nickname); err != nil {
			return failed(err)
		}
		return reread(c, api, s, writeResult{})
	})
}

// move swaps a device with its neighbour (delta -1 up, +1 down).
func (p *MyAccountPage) move(ctx app.Context, id string, delta int) {
	ids := deviceIDs(p.devices)
	i := indexOf(ids, id)
	j := i + delta
	if i < 0 || j < 0 || j >= len(ids) {
		return
	}
	ids[i], ids[j] = ids[j], ids[i]
	p.reorder(ctx, ids)
}

// makeDefault moves a device just before the current default, which makes
// it the first ACTIVE one.
func (p *MyAccountPage) makeDefault(ctx app.Context, id string) {
	p.reorder(ctx, defaultOrder(p.devices, id))
}

func (p *MyAccountPage) reorder(ctx app.Context, ids []string) {
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		d, err := api.ReorderDevices(c, s.sub, s.accessToken, ids)
		if err != nil {
			return failed(err)
		}
		return writeResult{devices: d}
	})
}

func (p *MyAccountPage) remove(ctx app.Context, id string) {
	p.write(ctx, func(c context.Context, api *apiclient.Client, s session) writeResult {
		if err := api.DeleteDevice(c, s.sub, s.accessToken, id); err != nil {
			return failed(err)
		}
		return reread(c, api, s, writeResult{})
	})
}

// verify steps up through MFA and comes back to this tab.
func (p *MyAccountPage) verify(ctx app.Context) {
	p.stepUpTo(ctx, "mfa", func(b bool) { p.methods.busy = b })
}

// stepUpTo steps up through MFA and comes back to fragment. The panel stays
// up, marked busy by busy, until the answer, and applyAuth leaves: ctx is
// the clicked button's, and go-app drops a Dispatch whose source is no
// longer mounted (switching to "Redirecting…" first lost the answer and
// the button never led anywhere).
func (p *MyAccountPage) stepUpTo(ctx app.Context, fragment string, busy func(bool)) {
	if p.verifying {
		return
	}
	p.verifying = true
	busy(true)
	a := p.acct
	ctx.Async(func() {
		r := a.stepUp(context.Background(), fragment)
		ctx.Dispatch(func(ctx app.Context) {
			p.verifying = false
			busy(false)
			p.applyAuth(ctx, r)
		})
	})
}

func deviceIDs(ds []resource.Device) []string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

func indexOf(ids []string, id string) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return -1
}

// defaultOrder is the device order with id moved just before the first
// ACTIVE device (or left as is when it already is the default).
func defaultOrder(ds []resource.Device, id string) []string {
	ids := deviceIDs(ds)
	from, to := indexOf(ids, id), resource.DefaultDevice(ds)
	if from < 0 || to < 0 || from <= to {
		return ids
	}
	out := make([]string, 0, len(ids))
	out = append(out, ids[:to]...)
	out = append(out, id)
	for _, v := range ids[to:] {
		if v != id {
			out = append(out, v)
		}
	}
	return out
}

// failed turns a device call's error into what the tab shows: the step-up
// offer for MFA_REQUIRED, attempts left for a wrong code, the wait for a
// 429, as the sign-on pages do.
func failed(err error) writeResult {
	if text := frozenText(err); text != "" {
		return writeResult{err: text}
	}
	var e *apierr.Error
	if !errors.As(err, &e) {
		if apiclient.IsNetwork(err) {
			return writeResult{err: T(MsgErrOffline)}
		}
		return writeResult{err: T(MsgErrGeneric)}
	}
	for _, d := range e.Details {
		switch d.Code {
		case apierr.DetailMFARequired:
			return writeResult{needVerify: true}
		case apierr.DetailLimitExceeded:
			return writeResult{err: T(MsgErrDeviceLimit)}
		case apierr.DetailPairingDisabled:
			return writeResult{err: T(MsgPairingOff)}
		}
	}
	switch {
	case e.Status == 401:
		return writeResult{err: T(MsgErrSession)}
	case e.Status == 404:
		return writeResult{err: T(MsgErrDeviceGone)}
	}
	text, _ := flowErrorText(err)
	return writeResult{err: text}
}
