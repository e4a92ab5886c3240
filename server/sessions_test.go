package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// sessionScopes asks for the Accounts & sessions scopes, with the profile
// and device ones.
const sessionScopes = "openid profile email p1:read:user p1:read:device p1:update:device p1:read:sessions p1:delete:sessions"

const (
	chromeUA  = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	chrome2UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36"
	firefoxUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)

// signOnUA is signOnScoped with a User-Agent on the way back (the session
// and its sign-on event take it from /as/resume).
func (b *browser) signOnUA(scopes, ua, username, pw, email string) resource.TokenResponse {
	b.e.t.Helper()
	t := b.e.t
	p := newPKCE()
	id := b.startFlowScoped(p, scopes)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: username, Password: pw}), 200))
	if f.Status == resource.FlowMFAEnrollmentRequired {
		f = decode[resource.Flow](t, respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: email}), 200))
	}
	if f.Status == resource.FlowOTPRequired {
		f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: b.e.mail.lastOTP(t, email)}), 200))
	}
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow not completed: %+v", f)
	}
	req := httptest.NewRequest("GET", strings.TrimPrefix(f.ResumeURL, testPublicURL), nil)
	req.Header.Set("User-Agent", ua)
	u, _ := url.Parse(testPublicURL + req.URL.RequestURI())
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	resp := b.e.do(req)
	wantStatus(t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != p.state || loc.Query().Get("code") == "" {
		t.Fatalf("bad redirect back: %s", loc)
	}
	return decode[resource.TokenResponse](t, respWant(t, b.e.exchange(loc.Query().Get("code"), p.verifier, b.e.myAccountRedirect()), 200))
}

func (e *env) sessions(t *testing.T, userID, tok string) []resource.UserSession {
	t.Helper()
	l := decode[resource.List[resource.UserSession]](t, respWant(t, e.api("GET", paths.Build(paths.Sessions, e.srv.Bootstrap.DefaultEnvID, userID), tok, ""), 200))
	return l.Embedded["sessions"]
}

func invalidGrant(t *testing.T, r *http.Response) bool {
	t.Helper()
	return r.StatusCode == 400 && decode[resource.OAuthError](t, r).Error == "invalid_grant"
}

// TestSessionSignOffAcrossInstances: a user signed on in two browsers
// lists their sessions on one server instance (two, the current one
// marked), signs the other off on a second instance sharing the database,
// and that session's access token is refused on its very next request,
// on either instance, as is its refresh token. The current session cannot
// be deleted through the API (400: sign off instead) and goes on.
func TestSessionSignOffAcrossInstances(t *testing.T) {
	p := filepath.Join(t.TempDir(), "db.sqlite")
	e1 := newEnv(t, openSQLite(t, p), nil)
	e2 := newEnv(t, openSQLite(t, p), e1.clock)
	envID := e1.srv.Bootstrap.DefaultEnvID
	u := e1.createUser("erin", "erin@example.com", userPassword)
	here := e1.browser().signOnUA(sessionScopes, chromeUA, "erin", userPassword, "erin.mfa@example.com")
	there := e1.browser().signOnUA(sessionScopes, firefoxUA, "erin", userPassword, "erin.mfa@example.com")
	if !strings.Contains(here.Scope, "p1:delete:sessions") {
		t.Fatalf("token lacks the sessions scopes: %q", here.Scope)
	}
	hereSID, thereSID := claimsOf(t, here.AccessToken).SID, claimsOf(t, there.AccessToken).SID

	list := e2.sessions(t, u.ID, here.AccessToken)
	if len(list) != 2 || list[0].ID != thereSID || list[1].ID != hereSID || !list[1].Current || list[0].Current {
		t.Fatalf("sessions %+v", list)
	}
	if list[0].Browser.Name != "Firefox" || list[0].OperatingSystem.Name != "Windows" || list[1].Browser.Name != "Chrome" ||
		!slices.Contains(list[1].Methods, "mfa") || list[1].Locations[0].RemoteIP == "" {
		t.Fatalf("sessions described as %+v", list)
	}
	me := paths.Build(paths.User, envID, u.ID)
	respWant(t, e2.api("GET", me, there.AccessToken, ""), 200)

	// The current session through the API: refused.
	body := wantStatus(t, e1.api("DELETE", paths.Build(paths.Session, envID, u.ID, hereSID), here.AccessToken, ""), 400)
	if !strings.Contains(string(body), apierr.DetailInvalidAction) || !strings.Contains(string(body), "Sign off") {
		t.Fatalf("deleting the current session: %s", body)
	}

	// The other one, on instance 2: over at once on both.
	wantStatus(t, e2.api("DELETE", paths.Build(paths.Session, envID, u.ID, thereSID), here.AccessToken, ""), 204)
	wantStatus(t, e1.api("GET", me, there.AccessToken, ""), 401)
	wantStatus(t, e2.api("GET", me, there.AccessToken, ""), 401)
	if r := e1.refresh(there.RefreshToken); !invalidGrant(t, r) {
		t.Fatalf("the signed-off session's refresh token: %d", r.StatusCode)
	}
	respWant(t, e1.api("GET", me, here.AccessToken, ""), 200)
	if l := e1.sessions(t, u.ID, here.AccessToken); len(l) != 1 || l[0].ID != hereSID {
		t.Fatalf("after the sign-off: %+v", l)
	}
	fresh := decode[resource.TokenResponse](t, respWant(t, e2.refresh(here.RefreshToken), 200))
	respWant(t, e2.api("GET", me, fresh.AccessToken, ""), 200)
}

// TestSessionActivityKept: a request a minute after the last one records
// the session's last use; a refresh does too.
func TestSessionActivityKept(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("gus", "gus@example.com", userPassword)
	tr := e.browser().signOnUA(sessionScopes, chromeUA, "gus", userPassword, "gus.mfa@example.com")
	signedOn := e.clock.Now()
	e.clock.Add(30 * time.Second)
	if s := e.sessions(t, u.ID, tr.AccessToken)[0]; !s.ActiveAt.Equal(signedOn.UTC()) {
		t.Fatalf("active at %v within a minute, want the sign-on time %v", s.ActiveAt, signedOn)
	}
	e.clock.Add(time.Minute)
	e.sessions(t, u.ID, tr.AccessToken) // this request is the activity
	if s := e.sessions(t, u.ID, tr.AccessToken)[0]; !s.ActiveAt.Equal(e.clock.Now().UTC()) {
		t.Fatalf("active at %v, want %v", s.ActiveAt, e.clock.Now())
	}
	e.clock.Add(5 * time.Minute)
	fresh := decode[resource.TokenResponse](t, respWant(t, e.refresh(tr.RefreshToken), 200))
	if s := e.sessions(t, u.ID, fresh.AccessToken)[0]; !s.ActiveAt.Equal(e.clock.Now().UTC()) {
		t.Fatalf("active at %v after a refresh, want %v", s.ActiveAt, e.clock.Now())
	}
}

// TestSessionLimitAndUnfamiliarSignOn: the eleventh live session ends the
// oldest (its token is refused); a sign-on from a browser the recent
// sign-ons never used is mailed to the account's address with the "this
// wasn't me" link, while a new version of a known browser is not.
func TestSessionLimitAndUnfamiliarSignOn(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("fay", "fay@example.com", userPassword)
	notices := func() []string {
		var out []string
		for _, m := range e.mail.msgs {
			if m.To == "fay@example.com" && strings.Contains(m.Subject, "New sign-on") {
				out = append(out, m.Text)
			}
		}
		return out
	}
	var toks []resource.TokenResponse
	for i := range store.MaxLiveSessions {
		ua := chromeUA
		if i == 1 {
			ua = chrome2UA // a browser update is not a new device
		}
		toks = append(toks, e.browser().signOnUA(sessionScopes, ua, "fay", userPassword, "fay.mfa@example.com"))
		e.clock.Add(time.Second)
	}
	if n := notices(); len(n) != 0 {
		t.Fatalf("familiar sign-ons were mailed: %q", n)
	}
	if l := e.sessions(t, u.ID, toks[0].AccessToken); len(l) != store.MaxLiveSessions {
		t.Fatalf("%d sessions, want %d", len(l), store.MaxLiveSessions)
	}
	// The eleventh, from Firefox on Windows.
	last := e.browser().signOnUA(sessionScopes, firefoxUA, "fay", userPassword, "fay.mfa@example.com")
	me := paths.Build(paths.User, envID, u.ID)
	wantStatus(t, e.api("GET", me, toks[0].AccessToken, ""), 401)
	if r := e.refresh(toks[0].RefreshToken); !invalidGrant(t, r) {
		t.Fatalf("the dropped session's refresh token: %d", r.StatusCode)
	}
	respWant(t, e.api("GET", me, toks[1].AccessToken, ""), 200)
	l := e.sessions(t, u.ID, last.AccessToken)
	if len(l) != store.MaxLiveSessions || !l[0].Current || l[0].Browser.Name != "Firefox" {
		t.Fatalf("after the eleventh: %d sessions, newest %+v", len(l), l[0])
	}
	n := notices()
	if len(n) != 1 || !strings.Contains(n[0], "Firefox 128 on Windows") ||
		!strings.Contains(n[0], testPublicURL+paths.Build(paths.SecureLink, envID)+"?token=") {
		t.Fatalf("notices %q", n)
	}
	var limit, unfamiliar bool
	for _, ev := range mustEvents(t, e, envID, u.ID) {
		limit = limit || ev.Action == audit.ActionSessionSignedOff && ev.Details["reason"] == "session limit"
		unfamiliar = unfamiliar || ev.Action == audit.ActionSignOnCompleted && ev.Details["unfamiliar"] == "true"
	}
	if !limit || !unfamiliar {
		t.Fatalf("events: session limit %v, unfamiliar sign-on %v", limit, unfamiliar)
	}
}

func mustEvents(t *testing.T, e *env, envID, userID string) []store.Event {
	t.Helper()
	evs, err := e.st.ListEvents(t.Context(), envID, userID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestSecureMyAccount: with a fresh MFA the user secures the account
// from one browser: the other browser's access and refresh tokens are
// refused at once, this session goes on but its refresh token is cut
// off, the address is told, method changes are the administrator's only
// for now, and the next sign-on asks for a new password. Without a fresh
// MFA it is refused.
func TestSecureMyAccount(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("hal", "hal@example.com", userPassword)
	here := e.browser().signOnUA(sessionScopes, chromeUA, "hal", userPassword, "hal.mfa@example.com")
	there := e.browser().signOnUA(sessionScopes, chromeUA, "hal", userPassword, "hal.mfa@example.com")
	me := paths.Build(paths.User, envID, u.ID)

	// Eleven minutes on, the MFA is stale: refused, nothing ended.
	e.clock.Add(11 * time.Minute)
	stale := decode[resource.TokenResponse](t, respWant(t, e.refresh(here.RefreshToken), 200))
	body := wantStatus(t, e.apiCT("POST", me, stale.AccessToken, paths.ActionUserSecure, "{}"), 403)
	if !strings.Contains(string(body), apierr.DetailMFARequired) {
		t.Fatalf("stale MFA: %s", body)
	}
	respWant(t, e.api("GET", me, there.AccessToken, ""), 401) // expired by now: refresh it
	there = decode[resource.TokenResponse](t, respWant(t, e.refresh(there.RefreshToken), 200))

	// A fresh MFA (a new sign-on here).
	here = e.browser().signOnUA(sessionScopes, chromeUA, "hal", userPassword, "hal.mfa@example.com")
	out := decode[resource.AccountSecured](t, respWant(t, e.apiCT("POST", me, here.AccessToken, paths.ActionUserSecure, ""), 200))
	if out.SessionsEnded != 2 || !out.MustChangePassword || !out.MethodsFrozenUntil.Equal(e.clock.Now().Add(24*time.Hour).UTC().Truncate(time.Millisecond)) {
		t.Fatalf("answer %+v", out)
	}
	wantStatus(t, e.api("GET", me, there.AccessToken, ""), 401)
	if r := e.refresh(there.RefreshToken); !invalidGrant(t, r) {
		t.Fatalf("the other session's refresh token: %d", r.StatusCode)
	}
	respWant(t, e.api("GET", me, here.AccessToken, ""), 200)
	if r := e.refresh(here.RefreshToken); !invalidGrant(t, r) {
		t.Fatalf("this session's old refresh token: %d", r.StatusCode)
	}
	var told bool
	for _, m := range e.mail.msgs {
		told = told || m.To == "hal@example.com" && strings.Contains(m.Subject, "secured")
	}
	if !told {
		t.Error("the address was not told")
	}

	// Methods: the user's own rename is frozen, an administrator's is not.
	devs := decode[resource.List[resource.Device]](t, respWant(t, e.api("GET", paths.Build(paths.Devices, envID, u.ID), here.AccessToken, ""), 200))
	nick := paths.Build(paths.DeviceNickname, envID, u.ID, devs.Embedded["devices"][0].ID)
	body = wantStatus(t, e.api("PUT", nick, here.AccessToken, `{"nickname":"Phone"}`), 403)
	if !strings.Contains(string(body), apierr.DetailAccountFrozen) {
		t.Fatalf("frozen rename: %s", body)
	}
	respWant(t, e.api("PUT", nick, e.adminToken(), `{"nickname":"Phone"}`), 200)

	// The next sign-on asks for a new password before MFA.
	f := decode[resource.Flow](t, respWant(t, e.browser().passwordCheck("hal", userPassword), 200))
	if f.Status != resource.FlowMustChangePassword {
		t.Fatalf("next sign-on: %s", f.Status)
	}
	var secured bool
	for _, ev := range mustEvents(t, e, envID, u.ID) {
		secured = secured || ev.Action == audit.ActionAccountSecured && ev.Details["sessionsEnded"] == "2"
	}
	if !secured {
		t.Error("no ACCOUNT_SECURED event")
	}
}
