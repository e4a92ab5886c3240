package ui

import (
	"context"
	"errors"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// The My profile tab: the user's attributes as a form. What it shows and
// lets the user edit is the environment's selfService.profileAttributes
// (from config.json): HIDDEN attributes are not shown (the server leaves
// them out anyway), READ_ONLY ones are shown read-only. Fields are checked
// as they are left (shared/valid, the server's own checks); Save sends a
// merge patch of what changed, guarded by the ETag read with the profile,
// so a change made elsewhere meanwhile comes back as a conflict instead of
// being overwritten. The email address changes on its own (a code goes to
// the new address); a new phone number saved with the form gets a code too.

// fieldKind is how a profile field is edited.
type fieldKind int

const (
	kindText fieldKind = iota
	kindTel
	kindURL
	kindTextarea
	kindCountry
	kindTimezone
)

// profileField is one editable attribute of the form.
type profileField struct {
	key   string // form name; the DOM id is "pf-" + key
	path  string // JSON path in the user ("name.given")
	group string // its selfService.profileAttributes key
	label Msg
	hint  Msg
	kind  fieldKind
	auto  string // autocomplete token
	max   int    // maxlength, in characters
	check func(string) Msg
	bad   Msg // what to say when the server refuses the value
	get   func(u *resource.User) string
}

type profileSection struct {
	id     string
	title  Msg
	fields []profileField
}

func nameOf(u *resource.User) resource.Name {
	if u.Name == nil {
		return resource.Name{}
	}
	return *u.Name
}

func addressOf(u *resource.User) resource.Address {
	if u.Address == nil {
		return resource.Address{}
	}
	return *u.Address
}

func checkText(s string) Msg {
	switch valid.Text(s, valid.MaxName) {
	case nil:
		return ""
	case valid.ErrTooLong:
		return MsgErrTooLong
	}
	return MsgErrText
}

func checkWith(f func(string) error, bad Msg) func(string) Msg {
	return func(s string) Msg {
		switch f(s) {
		case nil:
			return ""
		case valid.ErrTooLong:
			return MsgErrTooLong
		}
		return bad
	}
}

func textField(key, path, group string, label Msg, auto string, get func(u *resource.User) string) profileField {
	return profileField{key: key, path: path, group: group, label: label, auto: auto, max: valid.MaxName,
		check: checkText, bad: MsgErrText, get: get}
}

// profileSections is the form, section by section, in PingOne's order.
func profileSections() []profileSection {
	phone := func(key string, label Msg, auto string, get func(u *resource.User) string) profileField {
		return profileField{key: key, path: key, group: key, label: label, hint: MsgHintPhone, kind: kindTel, auto: auto,
			max: valid.MaxPhoneInput, check: checkWith(valid.Phone, MsgErrProfilePhone), bad: MsgErrProfilePhone, get: get}
	}
	return []profileSection{
		{id: "name", title: MsgProfileSectionName, fields: []profileField{
			{key: "username", path: "username", group: "username", label: MsgFieldUsername, auto: "username",
				max: valid.MaxUsername, check: checkWith(valid.Username, MsgErrUsername), bad: MsgErrUsername,
				get: func(u *resource.User) string { return u.Username }},
			textField("honorificPrefix", "name.honorificPrefix", "name", MsgFieldPrefix, "honorific-prefix",
				func(u *resource.User) string { return nameOf(u).HonorificPrefix }),
			textField("given", "name.given", "name", MsgFieldGiven, "given-name", func(u *resource.User) string { return nameOf(u).Given }),
			textField("middle", "name.middle", "name", MsgFieldMiddle, "additional-name", func(u *resource.User) string { return nameOf(u).Middle }),
			textField("family", "name.family", "name", MsgFieldFamily, "family-name", func(u *resource.User) string { return nameOf(u).Family }),
			textField("honorificSuffix", "name.honorificSuffix", "name", MsgFieldSuffix, "honorific-suffix",
				func(u *resource.User) string { return nameOf(u).HonorificSuffix }),
			textField("nickname", "nickname", "nickname", MsgFieldNickname, "nickname", func(u *resource.User) string { return u.Nickname }),
		}},
		{id: "work", title: MsgProfileSectionWork, fields: []profileField{
			textField("title", "title", "title", MsgFieldTitle, "organization-title", func(u *resource.User) string { return u.Title }),
		}},
		{id: "phones", title: MsgProfileSectionPhones, fields: []profileField{
			phone("mobilePhone", MsgFieldMobile, "tel", func(u *resource.User) string { return u.MobilePhone }),
			phone("primaryPhone", MsgFieldPrimary, "off", func(u *resource.User) string { return u.PrimaryPhone }),
		}},
		{id: "address", title: MsgProfileSectionAddr, fields: []profileField{
			{key: "streetAddress", path: "address.streetAddress", group: "address", label: MsgFieldStreet, kind: kindTextarea,
				auto: "street-address", max: valid.MaxStreetAddress, check: checkWith(valid.StreetAddress, MsgErrText), bad: MsgErrText,
				get: func(u *resource.User) string { return addressOf(u).StreetAddress }},
			textField("locality", "address.locality", "address", MsgFieldLocality, "address-level2",
				func(u *resource.User) string { return addressOf(u).Locality }),
			textField("region", "address.region", "address", MsgFieldRegion, "address-level1",
				func(u *resource.User) string { return addressOf(u).Region }),
			textField("postalCode", "address.postalCode", "address", MsgFieldPostal, "postal-code",
				func(u *resource.User) string { return addressOf(u).PostalCode }),
			{key: "countryCode", path: "address.countryCode", group: "address", label: MsgFieldCountry, kind: kindCountry,
				auto: "country", check: checkWith(valid.CountryCode, MsgErrCountry), bad: MsgErrCountry,
				get: func(u *resource.User) string { return addressOf(u).CountryCode }},
		}},
		{id: "locale", title: MsgProfileSectionLocale, fields: []profileField{
			{key: "timezone", path: "timezone", group: "timezone", label: MsgFieldTimezone, kind: kindTimezone,
				check: checkWith(valid.Timezone, MsgErrTimezone), bad: MsgErrTimezone,
				get: func(u *resource.User) string { return u.Timezone }},
			{key: "locale", path: "locale", group: "locale", label: MsgFieldLocale, hint: MsgHintLocale, auto: "off",
				max: valid.MaxLocale, check: checkWith(valid.Locale, MsgErrLocale), bad: MsgErrLocale,
				get: func(u *resource.User) string { return u.Locale }},
			{key: "preferredLanguage", path: "preferredLanguage", group: "preferredLanguage", label: MsgFieldLanguage,
				hint: MsgHintLanguage, auto: "language", max: valid.MaxPreferredLanguage,
				check: checkWith(valid.PreferredLanguage, MsgErrLanguage), bad: MsgErrLanguage,
				get: func(u *resource.User) string { return u.PreferredLanguage }},
		}},
		{id: "photo", title: MsgProfileSectionPhoto, fields: []profileField{
			{key: "photo", path: "photo.href", group: "photo", label: MsgFieldPhoto, hint: MsgHintPhoto, kind: kindURL,
				auto: "photo", max: valid.MaxPhotoURL, check: checkWith(valid.PhotoURL, MsgErrPhoto), bad: MsgErrPhoto,
				get: func(u *resource.User) string {
					if u.Photo == nil {
						return ""
					}
					return u.Photo.Href
				}},
		}},
	}
}

// allProfileFields lists every field of the form.
func allProfileFields() []profileField {
	var out []profileField
	for _, s := range profileSections() {
		out = append(out, s.fields...)
	}
	return out
}

// profileState is the My profile tab's part of the MyAccount page.
type profileState struct {
	etag   string            // of the profile the form was filled from
	attrs  map[string]string // selfService.profileAttributes
	orig   map[string]string // field values as read
	values map[string]string // field values as the form holds them
	errs   map[string]Msg    // inline errors by field
	busy   bool
	notice string
	err    string
	// conflict: the profile changed elsewhere since it was read.
	conflict bool
	// needVerify: a new email or phone needs a step-up first.
	needVerify   bool
	emailEditing bool
	emailErr     string
	codeErr      string
}

// access is what the user may do with a profile attribute.
func (ps *profileState) access(group string) string { return resource.ProfileAccess(ps.attrs, group) }

// resetProfile fills the form from u (the server's latest) and forgets
// edits and errors.
func (p *MyAccountPage) resetProfile(u *resource.User, etag string) {
	ps := &p.profile
	ps.etag = etag
	ps.orig, ps.values, ps.errs = map[string]string{}, map[string]string{}, map[string]Msg{}
	if u == nil {
		return
	}
	for _, f := range allProfileFields() {
		v := f.get(u)
		ps.orig[f.key], ps.values[f.key] = v, v
	}
}

// editable reports whether the user may write f now.
func (p *MyAccountPage) editable(f profileField) bool {
	return !p.offline && p.sess != nil && p.scopes.Has(scope.UpdateUser) &&
		p.profile.access(f.group) == resource.AttributeEditable
}

// onProfileChange keeps a field's value and checks it when it is left.
func (p *MyAccountPage) onProfileChange(ctx app.Context, key, value string) {
	ps := &p.profile
	if ps.values == nil {
		return
	}
	ps.values[key] = value
	delete(ps.errs, key)
	for _, f := range allProfileFields() {
		if f.key == key && p.editable(f) {
			if v := strings.TrimSpace(value); v != "" {
				if msg := f.check(v); msg != "" {
					ps.errs[key] = msg
				}
			}
		}
	}
}

// profilePatch is the merge patch from the form's changes: changed
// values, "" as null; nested attributes as objects.
func (p *MyAccountPage) profilePatch() (map[string]any, map[string]Msg) {
	ps := &p.profile
	patch := map[string]any{}
	errs := map[string]Msg{}
	changed := map[string]bool{}
	for _, f := range allProfileFields() {
		if !p.editable(f) {
			continue
		}
		v := strings.TrimSpace(ps.values[f.key])
		if v == ps.orig[f.key] {
			continue
		}
		if v != "" {
			if msg := f.check(v); msg != "" {
				errs[f.key] = msg
				continue
			}
		}
		changed[f.key] = v != ""
		var val any = v
		if v == "" {
			val = nil
		}
		top, member, nested := strings.Cut(f.path, ".")
		if !nested {
			patch[top] = val
			continue
		}
		sub, _ := patch[top].(map[string]any)
		if sub == nil {
			sub = map[string]any{}
			patch[top] = sub
		}
		sub[member] = val
	}
	// The server confirms one new number at a time.
	if changed["mobilePhone"] && changed["primaryPhone"] {
		errs["primaryPhone"] = MsgErrOnePhone
	}
	return patch, errs
}

// profileCall runs one profile request off the UI goroutine; done gets
// its result on the UI goroutine.
func (p *MyAccountPage) profileCall(ctx app.Context, call func(context.Context, *apiclient.Client, session, string) (apiclient.Profile, error),
	done func(app.Context, apiclient.Profile, error)) {
	ps := &p.profile
	if ps.busy || p.sess == nil {
		return
	}
	ps.busy, ps.notice, ps.err, ps.codeErr, ps.emailErr = true, "", "", "", ""
	api, s, etag := p.acct.api, *p.sess, ps.etag
	ctx.Async(func() {
		prof, err := call(context.Background(), api, s, etag)
		ctx.Dispatch(func(ctx app.Context) {
			p.profile.busy = false
			done(ctx, prof, err)
		})
	})
}

// takeProfile shows the user as the server answered (the form refilled).
func (p *MyAccountPage) takeProfile(ctx app.Context, prof apiclient.Profile) {
	if prof.User.ID == "" {
		return
	}
	u := prof.User
	p.user = &u
	p.resetProfile(p.user, prof.ETag)
	syncFields(p.profile.values)
}

// profileFailed puts an error where it belongs: the conflict banner, the
// step-up offer, a field, or the form's message. It returns the fields'
// details it could not place.
func (p *MyAccountPage) profileFailed(err error) {
	ps := &p.profile
	var e *apierr.Error
	switch {
	case apiclient.IsConflict(err):
		ps.conflict = true
		return
	case apiclient.IsNetwork(err):
		ps.err = T(MsgErrOffline)
		return
	case !errors.As(err, &e):
		ps.err = T(MsgErrGeneric)
		return
	case e.Status == 401:
		ps.err = T(MsgErrSession)
		return
	}
	placed := false
	for _, d := range e.Details {
		if d.Code == apierr.DetailMFARequired {
			ps.needVerify = true
			return
		}
		if d.Target == "email" {
			ps.emailErr, placed = T(MsgErrEmail), true
			continue
		}
		for _, f := range allProfileFields() {
			if d.Target != f.path && d.Target != f.key {
				continue
			}
			msg := f.bad
			switch {
			case d.Code == apierr.DetailReadOnly:
				msg = MsgErrReadOnlyField
			case d.Code == apierr.DetailUniqueness:
				msg = MsgErrUsernameTaken
			case strings.Contains(d.Message, "too long"):
				msg = MsgErrTooLong
			case f.kind == kindTel && strings.Contains(d.Message, "mobile"):
				msg = MsgErrNotMobile
			}
			ps.errs[f.key], placed = msg, true
		}
	}
	if placed {
		ps.err = T(MsgProfileFix)
		return
	}
	ps.err, _ = flowErrorText(err)
}

// saveProfile sends what changed in the form.
func (p *MyAccountPage) saveProfile(ctx app.Context, values map[string]string) {
	ps := &p.profile
	if ps.busy || ps.values == nil {
		return
	}
	for k, v := range values {
		ps.values[k] = v
	}
	ps.notice, ps.err, ps.conflict = "", "", false
	patch, errs := p.profilePatch()
	ps.errs = errs
	if len(errs) > 0 {
		ps.err = T(MsgProfileFix)
		return
	}
	if len(patch) == 0 {
		ps.notice = T(MsgProfileNothing)
		return
	}
	p.profileCall(ctx, func(c context.Context, api *apiclient.Client, s session, etag string) (apiclient.Profile, error) {
		return api.PatchProfile(c, s.sub, s.accessToken, etag, patch)
	}, func(ctx app.Context, prof apiclient.Profile, err error) {
		if err != nil {
			p.profileFailed(err)
			return
		}
		p.takeProfile(ctx, prof)
		p.profile.notice = T(MsgProfileSaved)
		if pv := prof.User.PendingVerification; pv != nil && patch[pv.Attribute] != nil {
			// The new number is not saved yet: it waits for its code.
			p.profile.notice = T(MsgProfileSavedPending)
		}
	})
}

// cancelProfile puts the form back as it was read.
func (p *MyAccountPage) cancelProfile(ctx app.Context) {
	ps := &p.profile
	if ps.busy {
		return
	}
	for k, v := range ps.orig {
		ps.values[k] = v
	}
	ps.errs, ps.notice, ps.err = map[string]Msg{}, "", ""
	syncFields(ps.values)
}

// reloadProfile reads the profile again (after a conflict).
func (p *MyAccountPage) reloadProfile(ctx app.Context) {
	p.profileCall(ctx, func(c context.Context, api *apiclient.Client, s session, _ string) (apiclient.Profile, error) {
		return api.GetProfile(c, s.sub, s.accessToken)
	}, func(ctx app.Context, prof apiclient.Profile, err error) {
		if err != nil {
			p.profileFailed(err)
			return
		}
		p.profile.conflict = false
		p.takeProfile(ctx, prof)
	})
}

// submitEmail asks for a new email address: a code goes to it.
func (p *MyAccountPage) submitEmail(ctx app.Context, addr string) {
	ps := &p.profile
	addr = strings.TrimSpace(addr)
	switch {
	case valid.Email(addr) != nil:
		ps.emailErr = T(MsgErrEmail)
		return
	case p.user != nil && addr == p.user.Email:
		ps.emailErr = T(MsgEmailSame)
		return
	}
	p.profileCall(ctx, func(c context.Context, api *apiclient.Client, s session, etag string) (apiclient.Profile, error) {
		return api.PatchProfile(c, s.sub, s.accessToken, etag, map[string]any{"email": addr})
	}, func(ctx app.Context, prof apiclient.Profile, err error) {
		if err != nil {
			p.profileFailed(err)
			return
		}
		p.profile.emailEditing = false
		p.takeProfile(ctx, prof)
	})
}

// submitCode confirms the pending change with its code.
func (p *MyAccountPage) submitCode(ctx app.Context, code string) {
	code = strings.TrimSpace(code)
	if valid.OTP(code) != nil {
		p.profile.codeErr = T(MsgErrOTPFormat)
		return
	}
	var value string
	if p.user != nil && p.user.PendingVerification != nil {
		value = p.user.PendingVerification.Value
	}
	p.profileCall(ctx, func(c context.Context, api *apiclient.Client, s session, _ string) (apiclient.Profile, error) {
		prof, err := api.VerifyContact(c, s.sub, s.accessToken, code)
		if e, ok := apiclient.AsAPIError(err); ok && e.Status == 400 && changeDropped(e) {
			// The change is gone (expired, too many tries, or already
			// done): show the profile as it is now, with the reason.
			if fresh, rerr := api.GetProfile(c, s.sub, s.accessToken); rerr == nil {
				return fresh, err
			}
		}
		return prof, err
	}, func(ctx app.Context, prof apiclient.Profile, err error) {
		p.takeProfile(ctx, prof)
		if err == nil {
			p.profile.notice = T(MsgContactChanged, value)
			return
		}
		e, ok := apiclient.AsAPIError(err)
		switch {
		case ok && hasDetailCode(e, apierr.DetailLimitExceeded):
			p.profile.err = T(MsgErrCodeLimit)
		case ok && hasDetailCode(e, apierr.DetailInvalidAction):
			p.profile.err = T(MsgErrCodeGone)
		case ok && e.Status == 400:
			p.profile.codeErr, _ = flowErrorText(err)
			if changeDropped(e) {
				p.profile.err, p.profile.codeErr = p.profile.codeErr, ""
			}
		default:
			p.profileFailed(err)
		}
	})
}

// changeDropped reports whether a refused code also ended the change.
func changeDropped(e *apierr.Error) bool {
	return hasDetailCode(e, apierr.DetailLimitExceeded) || hasDetailCode(e, apierr.DetailOTPExpired) ||
		hasDetailCode(e, apierr.DetailInvalidAction)
}

func hasDetailCode(e *apierr.Error, code string) bool {
	for _, d := range e.Details {
		if d.Code == code {
			return true
		}
	}
	return false
}

// resendCode asks for a new code for the pending change.
func (p *MyAccountPage) resendContactCode(ctx app.Context) {
	p.profileCall(ctx, func(c context.Context, api *apiclient.Client, s session, _ string) (apiclient.Profile, error) {
		return apiclient.Profile{}, api.ResendContactCode(c, s.sub, s.accessToken)
	}, func(_ app.Context, _ apiclient.Profile, err error) {
		if err != nil {
			p.profile.codeErr, _ = flowErrorText(err)
			return
		}
		p.profile.notice = T(MsgPendingResent)
	})
}

// cancelChange drops the pending change.
func (p *MyAccountPage) cancelChange(ctx app.Context) {
	p.profileCall(ctx, func(c context.Context, api *apiclient.Client, s session, _ string) (apiclient.Profile, error) {
		return api.CancelContactChange(c, s.sub, s.accessToken)
	}, func(ctx app.Context, prof apiclient.Profile, err error) {
		if err != nil {
			p.profileFailed(err)
			return
		}
		p.takeProfile(ctx, prof)
	})
}

// verifyProfile steps up through MFA and comes back to this tab. As on the
// Authentication tab, the tab stays (busy) until the answer: ctx is the
// button's, and go-app drops a Dispatch whose source is unmounted.
func (p *MyAccountPage) verifyProfile(ctx app.Context) {
	if p.profile.busy {
		return
	}
	p.profile.busy = true
	a := p.acct
	ctx.Async(func() {
		r := a.stepUp(context.Background(), "profile")
		ctx.Dispatch(func(ctx app.Context) {
			p.profile.busy = false
			p.applyAuth(ctx, r)
		})
	})
}

// profilePanel builds the My profile tab from the page's state.
func (p *MyAccountPage) profilePanel() app.UI {
	ps := &p.profile
	u := p.user
	online := !p.offline && p.sess != nil
	canWrite := online && p.scopes.Has(scope.UpdateUser)
	var sections []ProfileSectionView
	anyEditable := false
	for _, s := range profileSections() {
		sv := ProfileSectionView{ID: s.id, Title: T(s.title)}
		for _, f := range s.fields {
			acc := ps.access(f.group)
			if acc == resource.AttributeHidden || (f.key == "username" && acc != resource.AttributeEditable) {
				continue
			}
			fv := ProfileFieldView{Key: f.key, Label: T(f.label), Kind: f.kind, Auto: f.auto, Max: f.max,
				Value: ps.values[f.key], ReadOnly: !p.editable(f), Managed: acc != resource.AttributeEditable}
			if f.hint != "" {
				fv.Hint = T(f.hint)
			}
			if msg := ps.errs[f.key]; msg != "" {
				fv.Error = T(msg)
			}
			anyEditable = anyEditable || !fv.ReadOnly
			sv.Fields = append(sv.Fields, fv)
		}
		if len(sv.Fields) > 0 {
			sections = append(sections, sv)
		}
	}
	var pending *resource.PendingVerification
	if u.PendingVerification != nil && ps.access(u.PendingVerification.Attribute) != resource.AttributeHidden {
		pending = u.PendingVerification
	}
	return app.Div().Class("profile").Body(
		&EmailBlock{
			Username: u.Username, Email: u.Email, Verified: u.EmailVerified,
			CanChange: canWrite && ps.access("email") == resource.AttributeEditable && pending == nil,
			Editing:   ps.emailEditing && canWrite, Busy: ps.busy, Error: ps.emailErr,
			OnStart:  func(ctx app.Context) { ps.emailEditing, ps.emailErr = true, "" },
			OnSubmit: p.submitEmail,
			OnCancel: func(ctx app.Context) { ps.emailEditing, ps.emailErr = false, "" },
		},
		app.If(pending != nil && online, func() app.UI {
			return &PendingChange{Attribute: pending.Attribute, Value: pending.Value, Busy: ps.busy, Error: ps.codeErr,
				OnSubmit: p.submitCode, OnResend: p.resendContactCode, OnCancel: p.cancelChange}
		}),
		// Reduced scopes (no MFA in this session) leave the form read-only;
		// the step-up brings a token that may write.
		app.If((ps.needVerify || !canWrite) && online, func() app.UI {
			text := T(MsgProfileVerify)
			if !canWrite {
				text = T(MsgProfileVerifyEdit)
			}
			return app.Div().ID("profile-verify-box").Class("pending", "verify").Role("alert").Body(
				app.P().ID("profile-verify-text").Text(text),
				app.Button().ID("profile-verify").Type("button").Class("primary").Text(T(MsgProfileVerifyButton)).
					Disabled(ps.busy).OnClick(func(ctx app.Context, e app.Event) { p.verifyProfile(ctx) }),
			)
		}),
		&ProfileForm{
			Sections: sections, CanSave: anyEditable, Busy: ps.busy, Notice: ps.notice, Error: ps.err,
			Conflict: ps.conflict,
			OnChange: p.onProfileChange,
			OnSubmit: p.saveProfile,
			OnCancel: p.cancelProfile,
			OnReload: p.reloadProfile,
		},
	)
}
