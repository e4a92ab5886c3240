//go:build !js

package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

const testCurrent = "my current passphrase"

func testPolicy() *resource.PasswordPolicy {
	return &resource.PasswordPolicy{ID: "p1", Name: "Standard", Default: true, ExcludesCommonlyUsed: true,
		ExcludesProfileData: true, NotSimilarToCurrent: true, History: &resource.PasswordHistory{Count: 6, RetentionDays: 365},
		Length: resource.PasswordLength{Min: 8, Max: 255}, MaxRepeatedCharacters: 2, MinUniqueCharacters: 5}
}

// passwordServer answers the password endpoints as the server does, for
// one user: "iloveyou123" is common, testCurrent is the current password.
type passwordServer struct {
	t     *testing.T
	mu    sync.Mutex
	calls []string
}

func (s *passwordServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls = append(s.calls, r.Method+" "+r.Header.Get("Content-Type"))
	s.mu.Unlock()
	if r.URL.Path != paths.Build(paths.UserPassword, testEnv, userID) || r.Header.Get("Authorization") != "Bearer tok" {
		http.Error(w, "unexpected request", http.StatusTeapot)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fail := func(status int, details ...apierr.Detail) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(apierr.Invalid("The request has invalid data.", details...))
	}
	state := resource.PasswordState{Status: resource.PasswordOK, PasswordPolicy: testPolicy()}
	var body struct{ NewPassword, CurrentPassword string }
	raw, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(raw, &body)
	common := apierr.Detail{Code: apierr.DetailPasswordCommon, Target: "newPassword", Message: "common"}
	short := apierr.Detail{Code: apierr.DetailPasswordTooShort, Target: "newPassword", Message: "short",
		InnerError: map[string]any{"minLength": 8}}
	switch {
	case r.Method == "GET":
		json.NewEncoder(w).Encode(state)
	case r.Header.Get("Content-Type") == paths.ActionPasswordValidate:
		switch {
		case body.NewPassword == "iloveyou123":
			fail(400, common)
		case len(body.NewPassword) < 8:
			fail(400, short)
		default:
			json.NewEncoder(w).Encode(resource.PasswordValidation{Valid: true})
		}
	case r.Header.Get("Content-Type") == paths.ActionPasswordReset:
		switch {
		case body.CurrentPassword != testCurrent:
			fail(400, apierr.Field(apierr.DetailInvalidCredentials, "currentPassword", "wrong"))
		case body.NewPassword == "iloveyou123":
			fail(400, common)
		default:
			json.NewEncoder(w).Encode(state)
		}
	default:
		http.Error(w, "unexpected request", http.StatusTeapot)
	}
}

func TestMyAccountPageChangesPassword(t *testing.T) {
	ps := &passwordServer{t: t}
	srv := httptest.NewServer(ps)
	t.Cleanup(srv.Close)
	f := newAccountFixture(t, "openid")
	f.acct.api = apiclient.New(apiclient.Config{BaseURL: srv.URL, EnvironmentID: testEnv, Transport: apiclient.HTTPTransport{Client: srv.Client()}})
	ctx, e := newHarness(t)
	all := scope.Set{scope.ReadUserPassword, scope.ValidateUserPassword, scope.ResetUserPassword}
	p := &MyAccountPage{acct: f.acct, sess: &session{accessToken: "tok", sub: userID, scopes: all}, scopes: all,
		phase: phaseReady, loaded: true, tab: "password"}

	p.loadPassword(ctx)
	e.ConsumeAll()
	doc := render(t, p)
	if got := text(mustID(t, doc, "password-requirements")); !strings.Contains(got, "Between 8 and 255 characters.") ||
		!strings.Contains(got, T(MsgReqCommon)) || !strings.Contains(got, T(MsgReqHistory, 6)) {
		t.Fatalf("requirements: %q", got)
	}
	mustID(t, doc, "password-form")
	if byID(doc, "verify-password") != nil {
		t.Fatal("step-up offered with the reset scope")
	}

	// A pause after typing checks the candidate: the broken rule shows.
	p.passwordInput(ctx, "new", "iloveyou123")
	e.ConsumeAll()
	if got := text(mustID(t, render(t, p), "password-rules")); got != T(MsgRuleCommon) {
		t.Fatalf("rules after a common password: %q", got)
	}
	// Typing on hides the verdict about the old text; the new text passes.
	p.passwordInput(ctx, "new", "violet skies over the harbour")
	if p.passwordPanel().(*PasswordPanel).Rules != nil {
		t.Fatal("rules about older text still shown")
	}
	e.ConsumeAll()
	mustID(t, render(t, p), "password-ok")
	// A late answer about older text is dropped.
	p.pw.next, p.pw.seq = "iloveyou123", p.pw.seq+1
	p.checkPassword(ctx)
	p.pw.next, p.pw.seq = "violet skies over the harbour", p.pw.seq+1
	e.ConsumeAll()
	if p.pw.checked == "iloveyou123" || len(p.pw.rules) != 0 {
		t.Fatalf("a stale answer was applied: %+v", p.pw)
	}

	// The confirmation must match before anything is sent.
	calls := len(ps.calls)
	p.passwordInput(ctx, "confirm", "something else")
	mustID(t, render(t, p), "password-mismatch")
	p.changePassword(ctx, testCurrent, "violet skies over the harbour", "something else")
	if p.pw.err != T(MsgPasswordMismatch) || len(ps.calls) != calls {
		t.Fatalf("mismatch: err %q, calls %v", p.pw.err, ps.calls[calls:])
	}
	p.changePassword(ctx, "a wrong one", "violet skies over the harbour", "violet skies over the harbour")
	e.ConsumeAll()
	if p.pw.err != T(MsgPasswordWrongCurrent) || p.pw.done {
		t.Fatalf("wrong current: %+v", p.pw)
	}
	p.changePassword(ctx, testCurrent, "iloveyou123", "iloveyou123")
	e.ConsumeAll()
	if p.pw.err != T(MsgPasswordRulesBroken) || strings.Join(p.pw.rulesFor(), "") != T(MsgRuleCommon) {
		t.Fatalf("common on submit: %+v", p.pw)
	}
	p.changePassword(ctx, testCurrent, "violet skies over the harbour", "violet skies over the harbour")
	e.ConsumeAll()
	if !p.pw.done || p.pw.next != "" || p.pw.current != "" || p.pw.confirm != "" {
		t.Fatalf("after the change: %+v", p.pw)
	}
	doc = render(t, p)
	mustID(t, doc, "password-changed")
	if byID(doc, "password-form") != nil {
		t.Fatal("the form is still shown after success")
	}
}

func TestPasswordPanelWithoutResetScope(t *testing.T) {
	doc := render(t, &PasswordPanel{Policy: testPolicy(), NeedVerify: true})
	mustID(t, doc, "verify-password")
	mustID(t, doc, "password-requirements")
	if byID(doc, "password-form") != nil {
		t.Fatal("the form is offered without the reset scope")
	}
}

func TestRuleText(t *testing.T) {
	tests := []struct {
		name string
		d    apierr.Detail
		want string
	}{
		{"too_short", apierr.Detail{Code: apierr.DetailPasswordTooShort, InnerError: map[string]any{"minLength": float64(12)}}, "Too short: use at least 12 characters."},
		{"too_long", apierr.Detail{Code: apierr.DetailPasswordTooLong, InnerError: map[string]any{"maxLength": float64(64)}}, "Too long: use at most 64 characters."},
		{"history", apierr.Detail{Code: apierr.DetailPasswordHistory, InnerError: map[string]any{"count": float64(6)}}, T(MsgRuleHistory, 6)},
		{"characters", apierr.Detail{Code: apierr.DetailPasswordCharacters, InnerError: map[string]any{"count": float64(1), "characters": "0123456789"}}, "At least 1 of these characters: 0123456789"},
		{"not_a_rule", apierr.Detail{Code: apierr.DetailInvalidValue}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleText(tt.d); got != tt.want {
				t.Fatalf("ruleText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPasswordChangeStep(t *testing.T) {
	doc := render(t, &PasswordChangeStep{Expired: true, Policy: testPolicy(), Rules: []string{T(MsgRuleCommon)}, Error: T(MsgPasswordRulesBroken)})
	if got := text(mustID(t, doc, "password-why")); got != T(MsgExpiredExplain) {
		t.Fatalf("why: %q", got)
	}
	for _, id := range []string{"current-password", "new-password", "confirm-password", "password-requirements", "submit"} {
		mustID(t, doc, id)
	}
	if got := text(mustID(t, doc, "password-rules")); got != T(MsgRuleCommon) {
		t.Fatalf("rules: %q", got)
	}
}
