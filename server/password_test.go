package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// passwordScopes asks for the Change password scopes with the profile read.
const passwordScopes = "openid profile email p1:read:user p1:read:userPassword p1:validate:userPassword p1:reset:userPassword"

func resetJSON(current, next string) string {
	b, _ := json.Marshal(resource.PasswordReset{CurrentPassword: current, NewPassword: next})
	return string(b)
}

// refresh posts a refresh_token grant of the MyAccount client.
func (e *env) refresh(tok string) *http.Response {
	envID := e.srv.Bootstrap.DefaultEnvID
	return e.form(paths.Build(paths.Token, envID), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok},
		"client_id": {bootstrap.MyAccountClientID(envID)}})
}

// passwordCheck posts a usernamePassword.check on a new flow and returns
// the answer.
func (b *browser) passwordCheck(username, pw string) *http.Response {
	id := b.startFlow(newPKCE())
	return b.action(id, resource.ActionUsernamePasswordCheck, resource.UsernamePassword{Username: username, Password: pw})
}

// TestPasswordChangeEndsOtherSessions: a user signed on in two browsers
// changes the password in one. The other's access token is refused at
// once (401), its refresh token too; the changing session goes on. The old
// password no longer signs on; the new one does.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	const old, next = userPassword, "violet skies over the harbour"
	u := e.createUser("dora", "dora@example.com", old)
	here := e.browser().signOnScoped(passwordScopes, "dora", old, "dora.mfa@example.com")
	there := e.browser().signOnScoped(passwordScopes, "dora", old, "dora.mfa@example.com")
	if !strings.Contains(here.Scope, "p1:reset:userPassword") {
		t.Fatalf("token lacks the reset scope: %q", here.Scope)
	}
	me := paths.Build(paths.User, envID, u.ID)
	pwURL := paths.Build(paths.UserPassword, envID, u.ID)
	respWant(t, e.api("GET", me, there.AccessToken, ""), 200)

	resp := e.apiCT("PUT", pwURL, here.AccessToken, paths.ActionPasswordReset, resetJSON(old, next))
	st := decode[resource.PasswordState](t, respWant(t, resp, 200))
	if st.Status != resource.PasswordOK {
		t.Fatalf("state %+v", st)
	}

	// The other session is over: its token, its refresh token.
	wantStatus(t, e.api("GET", me, there.AccessToken, ""), 401)
	if r := e.refresh(there.RefreshToken); r.StatusCode != 400 || decode[resource.OAuthError](t, r).Error != "invalid_grant" {
		t.Fatalf("the other session's refresh token still works: %d", r.StatusCode)
	}
	// This session goes on, refresh included.
	respWant(t, e.api("GET", me, here.AccessToken, ""), 200)
	fresh := decode[resource.TokenResponse](t, respWant(t, e.refresh(here.RefreshToken), 200))
	respWant(t, e.api("GET", pwURL, fresh.AccessToken, ""), 200)

	// The address heard of it.
	var told bool
	for _, m := range e.mail.msgs {
		told = told || (m.To == "dora@example.com" && strings.Contains(m.Subject, "password was changed"))
	}
	if !told {
		t.Error("no password-changed notice to the account's address")
	}

	// Sign-on: the old password fails, the new one works.
	b := e.browser()
	resp = b.passwordCheck("dora", old)
	body := wantStatus(t, resp, 400)
	if !strings.Contains(string(body), apierr.DetailInvalidCredentials) {
		t.Fatalf("old password: %s", body)
	}
	f := decode[resource.Flow](t, respWant(t, b.passwordCheck("dora", next), 200))
	if f.Status != resource.FlowOTPRequired && f.Status != resource.FlowCompleted {
		t.Fatalf("new password leads to %s", f.Status)
	}
}

// TestPasswordRequestLimits: a 100 KB password inside a normal request is
// refused naming the policy's maximum without any hashing (a body over the
// server's limit is 413: TestErrorAnswers); a reduced-scope token (no MFA)
// may not reset.
func TestPasswordRequestLimits(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("erin", "erin@example.com", userPassword)
	tr := e.browser().signOnScoped(passwordScopes, "erin", userPassword, "erin.mfa@example.com")
	pwURL := paths.Build(paths.UserPassword, envID, u.ID)

	calls := e.srv.Hasher.Calls()
	huge := strings.Repeat("p", 100_000)
	body := wantStatus(t, e.apiCT("PUT", pwURL, tr.AccessToken, paths.ActionPasswordReset, resetJSON(userPassword, huge)), 400)
	if !strings.Contains(string(body), apierr.DetailPasswordTooLong) || !strings.Contains(string(body), "255") {
		t.Fatalf("100 KB password: %s", body)
	}
	if got := e.srv.Hasher.Calls(); got != calls {
		t.Fatalf("the hasher ran %d times for a password over the maximum", got-calls)
	}
	wantStatus(t, e.apiCT("PUT", pwURL, tr.AccessToken, paths.ActionPasswordReset,
		`{"currentPassword":{"$ne":""},"newPassword":"a new passphrase"}`), 400)

	// Reduced scopes: a password-only session's token has no reset scope.
	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
	app, err := e.st.GetApplication(t.Context(), envID, bootstrap.MyAccountClientID(envID))
	if err != nil {
		t.Fatal(err)
	}
	app.ReducedScopes = true
	if err := e.st.UpdateApplication(t.Context(), app); err != nil {
		t.Fatal(err)
	}
	reduced := e.browser().signOnScoped(passwordScopes, "erin", userPassword, "")
	if strings.Contains(reduced.Scope, "p1:reset:userPassword") || !strings.Contains(reduced.Scope, "p1:validate:userPassword") {
		t.Fatalf("reduced scopes: %q", reduced.Scope)
	}
	resp := e.apiCT("PUT", pwURL, reduced.AccessToken, paths.ActionPasswordReset, resetJSON(userPassword, "a new passphrase"))
	if body := wantStatus(t, resp, 403); !strings.Contains(string(body), apierr.InsufficientPermission) {
		t.Fatalf("reduced reset: %s", body)
	}
	respWant(t, e.apiCT("POST", pwURL, reduced.AccessToken, paths.ActionPasswordValidate, `{"newPassword":"a new passphrase"}`), 200)
}

// TestSignOnMustChangePassword: after an administrator's set with
// forceChange, sign-on stops after the good password at
// MUST_CHANGE_PASSWORD, offering password.reset and showing the policy;
// the change is checked like any other (current password under the
// lockout, the policy's rules), then the flow goes on to MFA and the new
// password signs on without the detour.
func TestSignOnMustChangePassword(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	const temp, next = "a temporary passphrase", "a quiet river at dawn"
	u := e.createUser("frank", "frank@example.com", "a first password of his")
	e.browser().signOn(newPKCE(), "frank", "a first password of his", "frank.mfa@example.com") // pairs a device
	respWant(t, e.apiCT("PUT", paths.Build(paths.UserPassword, envID, u.ID), e.adminToken(), paths.ActionPasswordSet,
		`{"value":"`+temp+`","forceChange":true}`), 200)

	b := e.browser()
	p := newPKCE()
	id := b.startFlow(p)
	f := decode[resource.Flow](t, respWant(t, b.action(id, resource.ActionUsernamePasswordCheck,
		resource.UsernamePassword{Username: "frank", Password: temp}), 200))
	if f.Status != resource.FlowMustChangePassword || f.Links[resource.ActionPasswordReset].Href == "" ||
		f.Embedded == nil || f.Embedded.PasswordPolicy == nil || f.Embedded.PasswordPolicy.Length.Min != 8 {
		t.Fatalf("after the temporary password: %+v", f)
	}
	// No other action is open: MFA waits for the new password.
	wantStatus(t, b.action(id, resource.ActionOTPCheck, resource.OTPCheck{OTP: "123456"}), 400)

	refusals := []struct {
		name, current, next, code string
	}{
		{"wrong_current", "not the temporary one", next, apierr.DetailInvalidCredentials},
		{"common", temp, "password123", apierr.DetailPasswordCommon},
		{"same", temp, temp, apierr.DetailPasswordSameAsCurrent},
	}
	for _, r := range refusals {
		body := wantStatus(t, b.action(id, resource.ActionPasswordReset, resource.PasswordReset{CurrentPassword: r.current, NewPassword: r.next}), 400)
		if !strings.Contains(string(body), r.code) {
			t.Fatalf("%s: %s", r.name, body)
		}
	}
	f = decode[resource.Flow](t, respWant(t, b.action(id, resource.ActionPasswordReset,
		resource.PasswordReset{CurrentPassword: temp, NewPassword: next}), 200))
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("after the change: %s", f.Status)
	}
	f = decode[resource.Flow](t, respWant(t, b.action(id, resource.ActionOTPCheck, resource.OTPCheck{OTP: e.mail.lastOTP(t, "frank.mfa@example.com")}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after MFA: %s", f.Status)
	}
	b.resume(f.ResumeURL, p)

	f = decode[resource.Flow](t, respWant(t, e.browser().passwordCheck("frank", next), 200))
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("the new password leads to %s", f.Status)
	}
	wantStatus(t, e.browser().passwordCheck("frank", temp), 400)
}

// TestSignOnPasswordExpired: past the default policy's maxAgeDays, the
// flow is PASSWORD_EXPIRED until the password changes; a locked account
// stays locked in that step too.
func TestSignOnPasswordExpired(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	e.createUser("gina", "gina@example.com", userPassword)
	admin := e.adminToken()
	l := decode[resource.List[resource.PasswordPolicy]](t, respWant(t, e.api("GET", paths.Build(paths.PasswordPolicies, envID), admin, ""), 200))
	std := l.Embedded["passwordPolicies"][0]
	respWant(t, e.api("PUT", paths.Build(paths.PasswordPolicy, envID, std.ID), admin,
		`{"name":"Standard","default":true,"length":{"min":8,"max":255},"excludesCommonlyUsed":true,"maxAgeDays":30,
		 "lockout":{"failureCount":3,"durationSeconds":600}}`), 200)
	e.clock.Add(31 * 24 * time.Hour)

	b := e.browser()
	id := b.startFlow(newPKCE())
	f := decode[resource.Flow](t, respWant(t, b.action(id, resource.ActionUsernamePasswordCheck,
		resource.UsernamePassword{Username: "gina", Password: userPassword}), 200))
	if f.Status != resource.FlowPasswordExpired {
		t.Fatalf("status %s, want PASSWORD_EXPIRED", f.Status)
	}
	// The policy's lockout (3) counts wrong current passwords here too.
	for i := 0; i < 2; i++ {
		wantStatus(t, b.action(id, resource.ActionPasswordReset, resource.PasswordReset{CurrentPassword: "guess", NewPassword: "gina's fresh passphrase"}), 400)
	}
	wantStatus(t, b.action(id, resource.ActionPasswordReset, resource.PasswordReset{CurrentPassword: "guess", NewPassword: "gina's fresh passphrase"}), 429)
	wantStatus(t, b.action(id, resource.ActionPasswordReset, resource.PasswordReset{CurrentPassword: userPassword, NewPassword: "gina's fresh passphrase"}), 429)
	e.clock.Add(11 * time.Minute)
	f = decode[resource.Flow](t, respWant(t, b.action(id, resource.ActionPasswordReset,
		resource.PasswordReset{CurrentPassword: userPassword, NewPassword: "a fresh passphrase for her"}), 200))
	if f.Status != resource.FlowMFAEnrollmentRequired && f.Status != resource.FlowOTPRequired && f.Status != resource.FlowCompleted {
		t.Fatalf("after the change: %s", f.Status)
	}
}
