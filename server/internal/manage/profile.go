package manage

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	// The profile's time zones are checked against the zone database built
	// into the binary, so a host without /usr/share/zoneinfo (distroless,
	// scratch) accepts the same zones as a developer's machine.
	_ "time/tzdata"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/phone"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

// My profile: the user's attributes through GET, PATCH and PUT on
// /v1/environments/{envId}/users/{userId}. The rules:
//
//   - An administrator (user writer by role) may write every profile
//     attribute, email and phones directly, and enabled. A user on their
//     own record (p1:update:user, selfService.manageProfile on) may write
//     what selfService.profileAttributes makes EDITABLE; READ_ONLY ones
//     are shown, HIDDEN ones are left out of what they read.
//   - A field the caller may not write is refused (READ_ONLY) when it
//     differs from what the caller read, and accepted when it is the same:
//     clients read, edit and send back the whole object.
//   - PATCH merges (absent: unchanged; null: cleared); PUT replaces what
//     the caller may write (absent: cleared), except email, which cannot be
//     cleared, and username and enabled, which stay as they are.
//   - A user's own new email or phone number does not apply at once: it
//     needs an MFA in this session within StepUpWindow, gets a code, and
//     applies when the code comes back (contact.go). One such change waits
//     at a time.
//   - The ETag is the record's version; If-Match with another version is a
//     412 carrying the current state. Without If-Match, each write is still
//     one version-guarded update, retried on a conflict.

var (
	errProfileOff = apierr.Forbidden("Profile self-service is switched off in this environment.")
	errContactMFA = apierr.New(http.StatusForbidden, apierr.InsufficientPermission,
		"Changing your email address or phone number needs a recent multi-factor authentication. Verify and try again.",
		apierr.Field(apierr.DetailMFARequired, "session", "Complete an MFA in this session first."))
	errUnknownLocale   = errors.New("is not a BCP 47 language tag the server knows")
	errUnknownLanguage = errors.New("is not a language priority list the server understands")
	errUnknownZone     = errors.New("is not an IANA time zone the server knows")
)

// profileView is who reads or writes a user, as far as the attributes go:
// an administrator sees and writes everything, the user themself what the
// environment's profileAttributes allow.
type profileView struct {
	self   bool
	access map[string]string
}

// level is what the caller may do with attribute name.
func (v profileView) level(name string) string {
	if name == "username" {
		// The environment decides for everyone: usernames are how people
		// sign on, and other systems may key on them.
		if resource.ProfileAccess(v.access, name) == resource.AttributeEditable {
			return resource.AttributeEditable
		}
		return resource.AttributeReadOnly
	}
	if !v.self {
		return resource.AttributeEditable
	}
	return resource.ProfileAccess(v.access, name)
}

// viewOf works out the view of a request the access rules already let in:
// the user on their own record, or an administrator.
func (a *API) viewOf(c *fiber.Ctx, envID string) (profileView, error) {
	p := authn.From(c)
	if p.HasRole(envID, authn.ReadRoles...) {
		return profileView{}, nil
	}
	env, err := a.environment(c.UserContext(), envID)
	if err != nil {
		return profileView{}, err
	}
	if !env.SelfService.ManageProfile {
		return profileView{}, errProfileOff
	}
	return profileView{self: true, access: env.SelfService.ProfileAttributes}, nil
}

// userView is the user as the view may see it.
func (a *API) userView(u *store.User, v profileView) resource.User {
	r := a.userResource(u)
	if !v.self {
		return r
	}
	hidden := func(name string) bool { return v.level(name) == resource.AttributeHidden }
	if hidden("name") {
		r.Name = nil
	}
	if hidden("email") {
		r.Email, r.EmailVerified = "", false
	}
	for name, dst := range map[string]*string{"nickname": &r.Nickname, "title": &r.Title, "primaryPhone": &r.PrimaryPhone,
		"mobilePhone": &r.MobilePhone, "locale": &r.Locale, "preferredLanguage": &r.PreferredLanguage, "timezone": &r.Timezone} {
		if hidden(name) {
			*dst = ""
		}
	}
	if hidden("address") {
		r.Address = nil
	}
	if hidden("photo") {
		r.Photo = nil
	}
	if pv := r.PendingVerification; pv != nil && hidden(pv.Attribute) {
		r.PendingVerification = nil
	}
	return r
}

// profileResource fills the profile attributes of r from u.
func profileResource(r *resource.User, u *store.User) {
	p := u.Profile
	r.Nickname, r.Title, r.PrimaryPhone, r.MobilePhone = p.Nickname, p.Title, p.PrimaryPhone, p.MobilePhone
	r.Locale, r.PreferredLanguage, r.Timezone = p.Locale, p.PreferredLanguage, p.Timezone
	if p.Address != (store.Address{}) {
		ad := p.Address
		r.Address = &resource.Address{StreetAddress: ad.StreetAddress, Locality: ad.Locality, Region: ad.Region,
			PostalCode: ad.PostalCode, CountryCode: ad.CountryCode}
	}
	if p.PhotoHref != "" {
		r.Photo = &resource.Photo{Href: p.PhotoHref}
	}
	r.Lifecycle = resource.Lifecycle{Status: resource.LifecycleAccountOK}
	r.IdentityProvider = resource.IdentityProvider{Type: resource.IdentityProviderPingOne}
	if cc := u.ContactChange; cc != nil {
		r.PendingVerification = &resource.PendingVerification{Attribute: cc.Attribute, Value: cc.Value,
			ExpiresAt: cc.ExpiresAt.UTC()}
	}
}

// etag is the entity tag of a user record's version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// etagMatches applies If-Match (RFC 9110 §13.1.1): "*", or a list of
// entity tags compared strongly (a weak tag never matches).
func etagMatches(header string, version int64) bool {
	if header == "*" {
		return true
	}
	want := etag(version)
	for _, t := range strings.Split(header, ",") {
		if strings.TrimSpace(t) == want {
			return true
		}
	}
	return false
}

// sendUser answers with the user as v sees it, and its ETag.
func (a *API) sendUser(c *fiber.Ctx, status int, u *store.User, v profileView) error {
	c.Set(fiber.HeaderETag, etag(u.Version))
	return c.Status(status).JSON(a.userView(u, v))
}

// staleVersion is the 412 for an If-Match naming another version: the
// current state rides along (ETag header, and innerError.current), so a
// client can show what changed without another read.
func (a *API) staleVersion(c *fiber.Ctx, u *store.User, v profileView) error {
	c.Set(fiber.HeaderETag, etag(u.Version))
	d := apierr.Field(apierr.DetailInvalidValue, "If-Match",
		"The user changed since this version was read: read it again and reapply the change.")
	d.InnerError = map[string]any{"etag": etag(u.Version), "current": a.userView(u, v)}
	return apierr.New(http.StatusPreconditionFailed, apierr.Conflict, "The user changed since you read it.", d)
}

// profileWriter checks the caller may write the path's user: a user writer
// of the environment, or the user with p1:update:user. A reader by role
// gets a 403 (it may see the user), anyone else the Self rules.
func profileWriter(c *fiber.Ctx) (writer, error) {
	p := authn.From(c)
	if p == nil {
		return writer{}, apierr.Unauthorized("The access token is missing, invalid, expired or revoked.")
	}
	envID, err := envParam(c)
	if err != nil {
		return writer{}, err
	}
	userID, err := pathID(c, "userId")
	if err != nil {
		return writer{}, err
	}
	if !p.HasRole(envID, authn.UserWriters...) && p.HasRole(envID, authn.ReadRoles...) {
		return writer{}, apierr.Forbidden("The access token does not allow this request.")
	}
	if err := authn.Self(c, envID, userID, scope.UpdateUser, authn.UserWriters); err != nil {
		return writer{}, err
	}
	return writer{EnvID: envID, UserID: userID, P: p, Self: !p.HasRole(envID, authn.UserWriters...)}, nil
}

// freshMFA reports whether w may make a step-up-only change: an
// administrator always, the user with an MFA in this session within
// StepUpWindow (read from the server-side session).
func (a *API) freshMFA(w writer) bool {
	if !w.Self {
		return true
	}
	s := w.P.Session
	return s != nil && !s.MFAAt.IsZero() && a.d.Now().Sub(s.MFAAt) <= StepUpWindow
}

// writeUser serves PATCH (put false) and PUT on a user.
func (a *API) writeUser(c *fiber.Ctx, put bool) error {
	w, err := profileWriter(c)
	if err != nil {
		return err
	}
	if err := httpx.RequireJSON(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	env, err := a.environment(ctx, w.EnvID)
	if err != nil {
		return err
	}
	if w.Self && !env.SelfService.ManageProfile {
		return errProfileOff
	}
	v := profileView{self: w.Self, access: env.SelfService.ProfileAttributes}
	ifMatch := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	for range maxAttempts {
		u, err := a.user(ctx, w.EnvID, w.UserID)
		if err != nil {
			return err
		}
		if ifMatch != "" && !etagMatches(ifMatch, u.Version) {
			return a.staleVersion(c, u, v)
		}
		o, err := parseObject(c.Body())
		if err != nil {
			return err
		}
		previous := u.Email
		e := editProfile(o, u, a.userView(u, v), v, put)
		if err := invalid(o.Details()); err != nil {
			return err
		}
		var code string
		if e.contact != nil {
			if !a.freshMFA(w) {
				return errContactMFA
			}
			if code, err = a.startContactChange(env, u, *e.contact); err != nil {
				return err
			}
		}
		if len(e.changed) == 0 && e.contact == nil {
			return a.sendUser(c, http.StatusOK, u, v)
		}
		u.UpdatedAt = a.now()
		err = a.d.Store.UpdateUser(ctx, u)
		switch {
		case errors.Is(err, store.ErrConflict):
			continue
		case errors.Is(err, store.ErrNotFound):
			return errNotFound
		case errors.Is(err, store.ErrDuplicate):
			return errUsernameTaken
		case err != nil:
			return fmt.Errorf("update user: %w", err)
		}
		if len(e.changed) > 0 {
			a.record(c, w.EnvID, audit.ActionUserUpdated, u.ID, map[string]string{"fields": strings.Join(e.changed, ",")})
		}
		if u.Email != previous {
			a.notifyEmailSet(ctx, u, previous)
		}
		if slices.Contains(e.changed, "enabled") && !u.Enabled {
			if err := a.endSessionsOf(c, w.EnvID, u.ID, "user disabled"); err != nil {
				return err
			}
		}
		if e.contact != nil {
			a.record(c, w.EnvID, audit.ActionContactChangeRequested, u.ID, map[string]string{"attribute": e.contact.attribute})
			if err := a.sendContactCode(ctx, u, code); err != nil {
				return err
			}
		}
		return a.sendUser(c, http.StatusOK, u, v)
	}
	return errConflict
}

// contactEdit is a new email or phone number the user gave for their own
// record: it waits for its code.
type contactEdit struct{ attribute, value string }

// profileEdit is what a body changed on the record.
type profileEdit struct {
	changed []string     // attributes written directly, by JSON path
	contact *contactEdit // a change that waits for a code
}

// knownAttributes are names Rest refuses as READ_ONLY (rather than
// UNKNOWN_ATTRIBUTE) even when the caller's view leaves them out.
var knownAttributes = append([]string{"roles", "population", "pendingVerification"}, resource.ProfileAttributeNames...)

// editProfile applies a PATCH (put false) or PUT body to u, as v may, and
// returns what changed; any refusal is a detail on o, and u is then to be
// dropped. current is u as v sees it before the edit.
func editProfile(o *object, u *store.User, current resource.User, v profileView, put bool) *profileEdit {
	e := &profileEdit{}
	set := func(path string, dst *string, val string) {
		if *dst != val {
			*dst = val
			e.changed = append(e.changed, path)
		}
	}
	// str reads one string attribute of obj (path prefix pre) that check
	// validates and normalises; null or "" clears it.
	str := func(obj *object, name string, dst *string, check func(string) (string, error)) {
		if !obj.Has(name) {
			if put {
				set(obj.target(name), dst, "")
			}
			return
		}
		var s string
		if !obj.String(name, &s, true) {
			return
		}
		if s != "" {
			norm, err := check(s)
			if err != nil {
				obj.Fail(name, err.Error()+".")
				return
			}
			s = norm
		}
		set(obj.target(name), dst, s)
	}
	editable := func(name string) bool { return v.level(name) == resource.AttributeEditable }

	if editable("username") && o.Has("username") {
		var name string
		if o.String("username", &name, false) {
			name = strings.ToLower(name)
			if err := valid.Username(name); err != nil {
				o.Fail("username", err.Error()+".")
			} else {
				set("username", &u.Username, name)
			}
		}
	}
	if editable("name") {
		parts := []struct {
			name string
			dst  *string
		}{{"formatted", &u.FormattedName}, {"given", &u.GivenName}, {"middle", &u.MiddleName}, {"family", &u.FamilyName},
			{"honorificPrefix", &u.Profile.HonorificPrefix}, {"honorificSuffix", &u.Profile.HonorificSuffix}}
		sub, null := o.Object("name")
		switch {
		case null || (put && !o.Has("name")):
			for _, p := range parts {
				set("name."+p.name, p.dst, "")
			}
		case sub != nil:
			for _, p := range parts {
				str(sub, p.name, p.dst, textCheck(valid.MaxName))
			}
			sub.Rest(nil)
		}
	}
	for _, f := range []struct {
		name  string
		dst   *string
		check func(string) (string, error)
	}{
		{"nickname", &u.Profile.Nickname, textCheck(valid.MaxName)},
		{"title", &u.Profile.Title, textCheck(valid.MaxName)},
		{"locale", &u.Profile.Locale, checkLocale},
		{"preferredLanguage", &u.Profile.PreferredLanguage, checkPreferredLanguage},
		{"timezone", &u.Profile.Timezone, checkTimezone},
	} {
		if editable(f.name) {
			str(o, f.name, f.dst, f.check)
		}
	}
	if editable("address") {
		ad := &u.Profile.Address
		parts := []struct {
			name  string
			dst   *string
			check func(string) (string, error)
		}{
			{"streetAddress", &ad.StreetAddress, func(s string) (string, error) { return s, valid.StreetAddress(s) }},
			{"locality", &ad.Locality, textCheck(valid.MaxName)},
			{"region", &ad.Region, textCheck(valid.MaxName)},
			{"postalCode", &ad.PostalCode, textCheck(valid.MaxName)},
			{"countryCode", &ad.CountryCode, func(s string) (string, error) { return s, valid.CountryCode(s) }},
		}
		sub, null := o.Object("address")
		switch {
		case null || (put && !o.Has("address")):
			for _, p := range parts {
				set("address."+p.name, p.dst, "")
			}
		case sub != nil:
			for _, p := range parts {
				str(sub, p.name, p.dst, p.check)
			}
			sub.Rest(nil)
		}
	}
	if editable("photo") {
		sub, null := o.Object("photo")
		switch {
		case null || (put && !o.Has("photo")):
			set("photo.href", &u.Profile.PhotoHref, "")
		case sub != nil:
			str(sub, "href", &u.Profile.PhotoHref, func(s string) (string, error) { return s, valid.PhotoURL(s) })
			sub.Rest(nil)
		}
	}

	// Contact attributes: an administrator writes them; the user's own new
	// value waits for its code.
	contact := func(name, val string, dst *string, clear bool) {
		if val == *dst {
			return
		}
		if !v.self || clear {
			set(name, dst, val)
			if u.ContactChange != nil && u.ContactChange.Attribute == name {
				// The value was set another way: the code is moot.
				u.ContactChange = nil
			}
			return
		}
		if e.contact != nil {
			o.Fail(name, "cannot change with "+e.contact.attribute+" in one request: each new address or number is confirmed on its own.")
			return
		}
		e.contact = &contactEdit{attribute: name, value: val}
	}
	if editable("email") {
		if put {
			o.Require("email")
		}
		var addr string
		if o.String("email", &addr, false) {
			if err := valid.Email(addr); err != nil {
				o.Fail("email", err.Error()+".")
			} else if addr != u.Email {
				before := len(e.changed)
				contact("email", addr, &u.Email, false)
				if len(e.changed) > before {
					// A new address is not verified yet, whoever typed it.
					u.EmailVerified = false
				}
			}
		}
	}
	for _, ph := range []struct {
		name   string
		dst    *string
		mobile bool
	}{{"mobilePhone", &u.Profile.MobilePhone, true}, {"primaryPhone", &u.Profile.PrimaryPhone, false}} {
		if !editable(ph.name) {
			continue
		}
		if !o.Has(ph.name) {
			if put {
				contact(ph.name, "", ph.dst, true)
			}
			continue
		}
		var s string
		if !o.String(ph.name, &s, true) {
			continue
		}
		if s == "" {
			contact(ph.name, "", ph.dst, true)
			continue
		}
		norm, err := checkPhone(s, ph.mobile)
		if err != nil {
			o.Fail(ph.name, err.Error()+".")
			continue
		}
		contact(ph.name, norm, ph.dst, false)
	}
	if !v.self {
		var enabled bool
		if o.Bool("enabled", &enabled) && enabled != u.Enabled {
			u.Enabled = enabled
			e.changed = append(e.changed, "enabled")
		}
	}
	o.Rest(current, knownAttributes...)
	return e
}

func textCheck(max int) func(string) (string, error) {
	return func(s string) (string, error) { return s, valid.Text(s, max) }
}

// checkPhone checks a profile phone number and returns it in E.164. A
// mobile number must be able to get text messages (its code goes by SMS);
// a primary number may be a fixed line (its code comes by a voice call).
func checkPhone(s string, mobile bool) (string, error) {
	if err := valid.Phone(s); err != nil {
		return "", err
	}
	return phone.Normalize(s, "", mobile)
}

// checkLocale checks a BCP 47 tag against the languages x/text knows and
// returns its canonical form ("en-us" → "en-US").
func checkLocale(s string) (string, error) {
	if err := valid.Locale(s); err != nil {
		return "", err
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", errUnknownLocale
	}
	return tag.String(), nil
}

// checkPreferredLanguage checks an Accept-Language style list; it is kept
// as written (spacing trimmed).
func checkPreferredLanguage(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := valid.PreferredLanguage(s); err != nil {
		return "", err
	}
	if _, _, err := language.ParseAcceptLanguage(s); err != nil {
		return "", errUnknownLanguage
	}
	return s, nil
}

// checkTimezone checks an IANA zone name against the embedded zone database.
func checkTimezone(s string) (string, error) {
	if err := valid.Timezone(s); err != nil {
		return "", err
	}
	if _, err := time.LoadLocation(s); err != nil {
		return "", errUnknownZone
	}
	return s, nil
}
