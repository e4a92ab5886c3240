package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/manage"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// profileScopes is what the MyAccount PWA asks for.
const profileScopes = deviceScopes + " p1:update:user"

// profileUser signs a new user on with MFA (the first email device
// enrolled) and the profile scopes.
func profileUser(t *testing.T, e *env, name string) *deviceUser {
	t.Helper()
	u := e.createUser(name, name+"@example.com", userPassword)
	tr := e.browser().signOnScoped(profileScopes, name, userPassword, name+".mfa@example.com")
	if !strings.Contains(tr.Scope, "p1:update:user") {
		t.Fatalf("token lacks p1:update:user: %q", tr.Scope)
	}
	return &deviceUser{e: e, envID: e.srv.Bootstrap.DefaultEnvID, id: u.ID, tok: tr.AccessToken}
}

func (u *deviceUser) userURL() string { return paths.Build(paths.User, u.envID, u.id) }

func (u *deviceUser) patch(body string) *http.Response {
	return u.e.api("PATCH", u.userURL(), u.tok, body)
}

func (u *deviceUser) verify(code string) *http.Response {
	return u.e.apiCT("POST", u.userURL(), u.tok, paths.ActionUserVerify, `{"verificationCode":"`+code+`"}`)
}

// messagesTo returns what was sent to addr, oldest first.
func (m *mailbox) messagesTo(addr string) []notify.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []notify.Message
	for _, msg := range m.msgs {
		if msg.To == addr {
			out = append(out, msg)
		}
	}
	return out
}

var undoLinkRE = regexp.MustCompile(`https?://\S+/emailChange/undo\?\S+`)

// TestEmailChange is the whole email change: step-up, a code to the new
// address, wrong and replayed codes, the notice with an undo link to the
// old address, and the undo, which restores the address and ends every
// session.
func TestEmailChange(t *testing.T) {
	e := newSQLiteEnv(t)
	u := profileUser(t, e, "alice")
	const oldAddr, newAddr = "alice@example.com", "alice.new@example.org"

	res := decode[resource.User](t, respWant(t, u.patch(`{"email":"`+newAddr+`","nickname":"Ally"}`), 200))
	if res.Email != oldAddr || res.Nickname != "Ally" || res.PendingVerification == nil ||
		res.PendingVerification.Value != newAddr || res.PendingVerification.Attribute != "email" {
		t.Fatalf("after asking for the change: %+v", res)
	}
	code := e.mail.lastOTP(t, newAddr)
	if msgs := e.mail.messagesTo(newAddr); len(msgs) != 1 || strings.Contains(msgs[0].Subject, code) {
		t.Fatalf("code messages to the new address: %+v", msgs)
	}
	if rec := u.record(t); rec.Email != oldAddr || rec.ContactChange == nil || strings.Contains(rec.ContactChange.CodeHash, code) {
		t.Fatalf("stored before the code: email %q change %+v", rec.Email, rec.ContactChange)
	}

	// A wrong code counts and says how many tries are left.
	ae := deviceErr(t, u.verify(wrongCode(code)), 400)
	if !hasDetail(ae, apierr.DetailInvalidOTP, "verificationCode") || ae.Details[0].InnerError["attemptsRemaining"] != float64(2) {
		t.Fatalf("wrong code: %+v", ae)
	}
	if rec := u.record(t); rec.Email != oldAddr || rec.ContactChange.Failures != 1 {
		t.Fatalf("after a wrong code: %q %+v", rec.Email, rec.ContactChange)
	}
	// Malformed codes are refused before anything is counted.
	for _, bad := range []string{`{"verificationCode":{"$ne":""}}`, `{"verificationCode":"12ab56"}`, `{}`, `{"verificationCode":"123456","x":1}`} {
		if ae := deviceErr(t, e.apiCT("POST", u.userURL(), u.tok, paths.ActionUserVerify, bad), 400); ae.Code != apierr.InvalidData {
			t.Fatalf("%s: %+v", bad, ae)
		}
	}
	if rec := u.record(t); rec.ContactChange.Failures != 1 {
		t.Fatalf("malformed codes counted: %d", rec.ContactChange.Failures)
	}

	got := decode[resource.User](t, respWant(t, u.verify(code), 200))
	if got.Email != newAddr || !got.EmailVerified || got.PendingVerification != nil {
		t.Fatalf("after the code: %+v", got)
	}
	// Replayed: there is nothing left to confirm.
	if ae := deviceErr(t, u.verify(code), 400); !hasDetail(ae, apierr.DetailInvalidAction, "") {
		t.Fatalf("replayed code: %+v", ae)
	}

	// The old address is told, with the undo link; the new one is not.
	notices := e.mail.messagesTo(oldAddr)
	if len(notices) == 0 {
		t.Fatal("no notice to the old address")
	}
	notice := notices[len(notices)-1]
	link := undoLinkRE.FindString(notice.Text)
	if !strings.Contains(notice.Text, "a***@example.org") || link == "" || strings.Contains(notice.Text, newAddr) {
		t.Fatalf("notice: %q", notice.Text)
	}
	lu, err := url.Parse(link)
	if err != nil || lu.Query().Get("user") != u.id || len(lu.Query().Get("token")) != 43 {
		t.Fatalf("undo link %q", link)
	}
	if rec := u.record(t); rec.EmailUndo == nil || strings.Contains(rec.EmailUndo.TokenHash, lu.Query().Get("token")) {
		t.Fatalf("undo stored as %+v", rec.EmailUndo)
	}

	// A second session, to see the undo end it.
	other := e.browser().signOnScoped(profileScopes, "alice", userPassword, "alice.mfa@example.com")

	// GET shows the question and changes nothing (mail scanners follow links).
	page := e.do(httptestRequest("GET", strings.TrimPrefix(link, testPublicURL), "", ""))
	body := string(wantStatus(t, page, 200))
	if !strings.Contains(page.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, `name="token"`) ||
		!strings.Contains(body, "a***@example.com") || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("undo page %s %q", page.Header.Get("Content-Type"), body)
	}
	if rec := u.record(t); rec.Email != newAddr {
		t.Fatalf("GET of the link changed the email to %q", rec.Email)
	}
	form := url.Values{"user": {u.id}, "token": {lu.Query().Get("token")}}
	undoPath := paths.Build(paths.EmailUndo, u.envID)

	// A wrong token restores nothing.
	bad := url.Values{"user": {u.id}, "token": {strings.Repeat("A", 43)}}
	wantStatus(t, e.do(httptestRequest("POST", undoPath, "application/x-www-form-urlencoded", bad.Encode())), 400)
	if rec := u.record(t); rec.Email != newAddr {
		t.Fatal("a wrong token restored the address")
	}

	done := string(wantStatus(t, e.do(httptestRequest("POST", undoPath, "application/x-www-form-urlencoded", form.Encode())), 200))
	if !strings.Contains(done, "again") {
		t.Fatalf("undo answer %q", done)
	}
	rec := u.record(t)
	if rec.Email != oldAddr || rec.EmailUndo != nil || rec.ContactChange != nil {
		t.Fatalf("after undo: %q %+v", rec.Email, rec.EmailUndo)
	}
	for _, tok := range []string{u.tok, other.AccessToken} {
		if resp := e.api("GET", u.userURL(), tok, ""); resp.StatusCode != 401 {
			t.Fatalf("a session outlived the undo: %d", resp.StatusCode)
		}
	}
	if msgs := e.mail.messagesTo(oldAddr); !strings.Contains(msgs[len(msgs)-1].Subject, "restored") {
		t.Fatalf("no restored notice: %+v", msgs[len(msgs)-1])
	}
	// The link works once.
	wantStatus(t, e.do(httptestRequest("POST", undoPath, "application/x-www-form-urlencoded", form.Encode())), 400)
	wantStatus(t, e.do(httptestRequest("GET", strings.TrimPrefix(link, testPublicURL), "", "")), 400)
	if rec := u.record(t); rec.Email != oldAddr {
		t.Fatalf("email %q after a replayed undo", rec.Email)
	}
}

func httptestRequest(method, target, ct, body string) *http.Request {
	req, _ := http.NewRequest(method, testPublicURL+target, strings.NewReader(body))
	req.RequestURI = target
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return req
}

// TestEmailChangeTwiceKeepsFirstUndo: a second change inside the undo
// window must not hand the undo to the first new address (an intruder's).
func TestEmailChangeTwiceKeepsFirstUndo(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newProfileChange(t, e, "bob", "bob.one@example.org")
	first := u.record(t).EmailUndo
	e.clock.Add(manage.ResendInterval)
	respWant(t, u.patch(`{"email":"bob.two@example.org"}`), 200)
	respWant(t, u.verify(e.mail.lastOTP(t, "bob.two@example.org")), 200)
	rec := u.record(t)
	if rec.Email != "bob.two@example.org" || rec.EmailUndo == nil || rec.EmailUndo.TokenHash != first.TokenHash ||
		rec.EmailUndo.OldEmail != "bob@example.com" {
		t.Fatalf("second change moved the undo: %+v", rec.EmailUndo)
	}
	if msgs := e.mail.messagesTo("bob.one@example.org"); undoLinkRE.MatchString(msgs[len(msgs)-1].Text) {
		t.Fatalf("the first new address got an undo link: %q", msgs[len(msgs)-1].Text)
	}
}

// newProfileChange signs a user on and confirms a first email change.
func newProfileChange(t *testing.T, e *env, name, to string) *deviceUser {
	t.Helper()
	u := profileUser(t, e, name)
	respWant(t, u.patch(`{"email":"`+to+`"}`), 200)
	respWant(t, u.verify(e.mail.lastOTP(t, to)), 200)
	return u
}

// TestEmailChangeCodeUnhappy: expired codes, too many wrong codes, resend
// throttling, cancel, and a step-up that is too old.
func TestEmailChangeCodeUnhappy(t *testing.T) {
	e := newSQLiteEnv(t)
	u := profileUser(t, e, "carol")
	respWant(t, u.patch(`{"email":"carol.new@example.org"}`), 200)
	code := e.mail.lastOTP(t, "carol.new@example.org")

	// Another change within ResendInterval is refused (no inbox flooding).
	if resp := u.patch(`{"email":"carol.other@example.org"}`); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("change within the resend interval: %d", resp.StatusCode)
	}
	if resp := e.apiCT("POST", u.userURL(), u.tok, paths.ActionUserSendVerificationCode, ""); resp.StatusCode != 429 {
		t.Fatalf("resend within the interval: %d", resp.StatusCode)
	}

	// Expired: refused, and the pending change is gone. (The record is
	// aged rather than the clock, whose tokens last less than a code.)
	rec := u.record(t)
	rec.ContactChange.ExpiresAt = e.clock.Now()
	if err := e.st.UpdateUser(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	if ae := deviceErr(t, u.verify(code), 400); !hasDetail(ae, apierr.DetailOTPExpired, "verificationCode") {
		t.Fatalf("expired code: %+v", ae)
	}
	if rec := u.record(t); rec.ContactChange != nil || rec.Email != "carol@example.com" {
		t.Fatalf("after an expired code: %+v", rec.ContactChange)
	}

	// Too many wrong codes cancel the change; the right one no longer works.
	e.clock.Add(manage.ResendInterval)
	respWant(t, u.patch(`{"email":"carol.new@example.org"}`), 200)
	code = e.mail.lastOTP(t, "carol.new@example.org")
	deviceErr(t, u.verify(wrongCode(code)), 400)
	deviceErr(t, u.verify(wrongCode(code)), 400)
	if ae := deviceErr(t, u.verify(wrongCode(code)), 400); !hasDetail(ae, apierr.DetailLimitExceeded, "verificationCode") {
		t.Fatalf("third wrong code: %+v", ae)
	}
	if ae := deviceErr(t, u.verify(code), 400); !hasDetail(ae, apierr.DetailInvalidAction, "") {
		t.Fatalf("right code after the limit: %+v", ae)
	}
	if rec := u.record(t); rec.Email != "carol@example.com" {
		t.Fatalf("email %q", rec.Email)
	}

	// Resend: a new code, the old one dead; cancel drops the change.
	e.clock.Add(manage.ResendInterval)
	respWant(t, u.patch(`{"email":"carol.new@example.org"}`), 200)
	old := e.mail.lastOTP(t, "carol.new@example.org")
	e.clock.Add(manage.ResendInterval)
	wantStatus(t, e.apiCT("POST", u.userURL(), u.tok, paths.ActionUserSendVerificationCode, ""), 204)
	if fresh := e.mail.lastOTP(t, "carol.new@example.org"); fresh != old {
		deviceErr(t, u.verify(old), 400)
	}
	got := decode[resource.User](t, respWant(t, e.apiCT("POST", u.userURL(), u.tok, paths.ActionUserCancelVerification, "{}"), 200))
	if got.PendingVerification != nil {
		t.Fatalf("after cancel: %+v", got)
	}
	if resp := e.apiCT("POST", u.userURL(), u.tok, "application/json", `{"verificationCode":"123456"}`); resp.StatusCode != 415 {
		t.Fatalf("POST with plain JSON: %d", resp.StatusCode)
	}

	// An MFA older than the step-up window is none.
	e.clock.Add(manage.ResendInterval)
	u.setSessionMFA(t, e.clock.Now().Add(-manage.StepUpWindow-time.Second))
	if ae := deviceErr(t, u.patch(`{"email":"carol.late@example.org"}`), 403); !hasDetail(ae, apierr.DetailMFARequired, "") {
		t.Fatalf("stale step-up: %+v", ae)
	}
}

// TestPhoneChangeByCode: a new mobile number gets its code by SMS, a new
// primary number by a voice call; each applies only with its code.
func TestPhoneChangeByCode(t *testing.T) {
	e := newSQLiteEnv(t)
	u := profileUser(t, e, "dave")
	respWant(t, u.patch(`{"mobilePhone":"+44 7400 123456"}`), 200)
	m := e.mail.lastMessage(t, "+447400123456")
	if m.Channel != notify.ChannelSMS {
		t.Fatalf("mobile code by %s", m.Channel)
	}
	if rec := u.record(t); rec.Profile.MobilePhone != "" {
		t.Fatalf("mobile applied before its code: %q", rec.Profile.MobilePhone)
	}
	got := decode[resource.User](t, respWant(t, u.verify(e.mail.lastOTP(t, "+447400123456")), 200))
	if got.MobilePhone != "+447400123456" {
		t.Fatalf("after the code: %+v", got)
	}
	e.clock.Add(manage.ResendInterval)
	respWant(t, u.patch(`{"primaryPhone":"+44 20 7946 0018"}`), 200)
	m = e.mail.lastMessage(t, "+442079460018")
	if m.Channel != notify.ChannelVoice {
		t.Fatalf("primary code by %s", m.Channel)
	}
	// The call spells the digits: "…number is 1, 2, 3, 4, 5, 6. Again: …".
	spelled, _, _ := strings.Cut(m.Text[strings.Index(m.Text, " is ")+4:], ".")
	respWant(t, u.verify(strings.ReplaceAll(spelled, ", ", "")), 200)
	if rec := u.record(t); rec.Profile.PrimaryPhone != "+442079460018" || rec.Email != "dave@example.com" {
		t.Fatalf("after the primary code: %+v", rec.Profile)
	}
}

// TestProfileReducedScopes: with reduced scopes on, a password-only
// session reads its profile but cannot write it.
func TestProfileReducedScopes(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	app, err := e.st.GetApplication(t.Context(), envID, bootstrap.MyAccountClientID(envID))
	if err != nil {
		t.Fatal(err)
	}
	app.ReducedScopes = true
	if err := e.st.UpdateApplication(t.Context(), app); err != nil {
		t.Fatal(err)
	}
	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
	usr := e.createUser("erin", "erin@example.com", userPassword)
	tr := e.browser().signOnScoped(profileScopes, "erin", userPassword, "")
	if !strings.Contains(tr.Scope, "p1:read:user") || strings.Contains(tr.Scope, "p1:update:user") {
		t.Fatalf("reduced-scope token: %q", tr.Scope)
	}
	path := paths.Build(paths.User, envID, usr.ID)
	respWant(t, e.api("GET", path, tr.AccessToken, ""), 200)
	for _, method := range []string{"PATCH", "PUT"} {
		if ae := deviceErr(t, e.api(method, path, tr.AccessToken, `{"email":"erin@example.com","nickname":"E"}`), 403); ae.Code != apierr.InsufficientPermission {
			t.Fatalf("%s with a reduced-scope token: %+v", method, ae)
		}
	}
	if rec, _ := e.st.GetUser(t.Context(), envID, usr.ID); rec.Profile.Nickname != "" {
		t.Fatal("a reduced-scope token wrote the profile")
	}
}

// TestMyAccountConfigProfileAttributes: the PWA learns what to show from
// config.json.
func TestMyAccountConfigProfileAttributes(t *testing.T) {
	e := newSQLiteEnv(t)
	changeEnv(t, e, func(env *store.Environment) {
		env.SelfService.ProfileAttributes = map[string]string{"nickname": resource.AttributeHidden}
	})
	cfg := decode[resource.AppConfig](t, respWant(t, e.do(httptestRequest("GET", paths.Build(paths.MyAccountConfig, e.srv.Bootstrap.DefaultEnvID), "", "")), 200))
	if cfg.ProfileAttributes["nickname"] != resource.AttributeHidden || cfg.ProfileAttributes["title"] != resource.AttributeReadOnly ||
		cfg.ProfileAttributes["email"] != resource.AttributeEditable {
		t.Fatalf("config profileAttributes %v", cfg.ProfileAttributes)
	}
}

// TestSecurityNotices: an administrator's email change tells the previous
// address (without an undo link: the organisation decided), and removing
// a sign-on method tells the account, with the "this wasn't me" link.
func TestSecurityNotices(t *testing.T) {
	e := newSQLiteEnv(t)
	u := profileUser(t, e, "fay")
	respWant(t, e.api("PATCH", u.userURL(), e.adminToken(), `{"email":"fay@corp.example.com"}`), 200)
	msgs := e.mail.messagesTo("fay@example.com")
	if len(msgs) == 0 {
		t.Fatal("no notice to the previous address")
	}
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Text, "administrator") || !strings.Contains(last.Text, "f***@corp.example.com") ||
		undoLinkRE.MatchString(last.Text) {
		t.Fatalf("administrator change notice: %q", last.Text)
	}

	d := decode[resource.Device](t, respWant(t, u.create("fay.two@example.com"), 201))
	respWant(t, u.activate(d.ID, e.mail.lastOTP(t, "fay.two@example.com")), 200)
	wantStatus(t, e.api("DELETE", u.deviceURL(d.ID), u.tok, ""), 204)
	msgs = e.mail.messagesTo("fay@corp.example.com")
	last = msgs[len(msgs)-1]
	secure := testPublicURL + paths.Build(paths.MyAccount, u.envID)
	if !strings.Contains(last.Subject, "removed") || !strings.Contains(last.Text, "f***@example.com") ||
		!strings.Contains(last.Text, secure) {
		t.Fatalf("removed notice: %q %q", last.Subject, last.Text)
	}
}
