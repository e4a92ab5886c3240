package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/token"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// claimsOf reads a token's claims (the server issued it; no need to verify).
func claimsOf(t *testing.T, raw string) token.Claims {
	t.Helper()
	var cl token.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &cl); err != nil {
		t.Fatal(err)
	}
	return cl
}

// TestAdministratorPasswordThenStepUp follows PingOne's getting-started
// path: the administrator signs on to the Administrators environment's
// MyAccount with the password only; asking for Multi_Factor then steps the
// same session up through enrollment of a first email device.
func TestAdministratorPasswordThenStepUp(t *testing.T) {
	e := newSQLiteEnv(t)
	adminEnv := e.srv.Bootstrap.AdminEnvID
	redirect := bootstrap.MyAccountRedirect(testPublicURL, adminEnv)
	authorize := func(p pkce, extra url.Values) string {
		q := url.Values{"response_type": {"code"}, "client_id": {bootstrap.MyAccountClientID(adminEnv)},
			"redirect_uri": {redirect}, "scope": {"openid profile p1:read:user p1:read:device"}, "state": {p.state},
			"code_challenge": {p.challenge}, "code_challenge_method": {"S256"}}
		for k, v := range extra {
			q[k] = v
		}
		return paths.Build(paths.Authorize, adminEnv) + "?" + q.Encode()
	}
	b := e.browser()
	flow := func(loc string) string {
		u, _ := url.Parse(loc)
		return paths.Build(paths.Flow, adminEnv, u.Query().Get("flowId"))
	}
	post := func(flowURL, action string, body string) resource.Flow {
		return decode[resource.Flow](t, respWant(t, b.do("POST", flowURL, "application/vnd.pingidentity."+action+"+json", strings.NewReader(body)), 200))
	}
	exchange := func(resumeURL string, p pkce) resource.TokenResponse {
		resp := b.do("GET", strings.TrimPrefix(resumeURL, testPublicURL), "", nil)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "code_verifier": {p.verifier},
			"redirect_uri": {redirect}, "client_id": {bootstrap.MyAccountClientID(adminEnv)}}
		return decode[resource.TokenResponse](t, respWant(t, e.form(paths.Build(paths.Token, adminEnv), form), 200))
	}

	// Password only: the Administrators policy starts without MFA.
	p := newPKCE()
	resp := b.do("GET", authorize(p, nil), "", nil)
	f := post(flow(resp.Header.Get("Location")), "usernamePassword.check", `{"username":"admin","password":"admin-password-123"}`)
	if f.Status != resource.FlowCompleted {
		t.Fatalf("administrator password sign-on: %s", f.Status)
	}
	tr := exchange(f.ResumeURL, p)
	if cl := claimsOf(t, tr.AccessToken); slices.Contains(cl.AMR, "mfa") || cl.ACR != "" {
		t.Fatalf("password-only token claims MFA: amr %v acr %q", cl.AMR, cl.ACR)
	}

	// Step-up: the SSO session holds the password; only MFA is asked, and
	// with no device yet, the first one is enrolled.
	p = newPKCE()
	resp = b.do("GET", authorize(p, url.Values{"acr_values": {"Multi_Factor"}}), "", nil)
	wantStatus(t, resp, http.StatusFound)
	fu := flow(resp.Header.Get("Location"))
	f = decode[resource.Flow](t, respWant(t, b.do("GET", fu, "", nil), 200))
	if f.Status != resource.FlowMFAEnrollmentRequired {
		t.Fatalf("step-up asks for %s, want enrollment", f.Status)
	}
	post(fu, "device.register", `{"type":"EMAIL","email":"admin@example.com"}`)
	f = post(fu, "otp.check", `{"otp":"`+e.mail.lastOTP(t, "admin@example.com")+`"}`)
	tr2 := exchange(f.ResumeURL, p)
	cl, cl2 := claimsOf(t, tr.AccessToken), claimsOf(t, tr2.AccessToken)
	if cl2.SID != cl.SID {
		t.Fatalf("step-up made a new session %s, want %s", cl2.SID, cl.SID)
	}
	if !slices.Contains(cl2.AMR, "mfa") || cl2.ACR != "Multi_Factor" {
		t.Fatalf("stepped-up token: amr %v acr %q", cl2.AMR, cl2.ACR)
	}
	s, err := e.st.GetSession(t.Context(), adminEnv, cl.SID)
	if err != nil || s.MFAAt.IsZero() {
		t.Fatalf("the session does not record the MFA: %+v %v", s, err)
	}
}

// TestDeviceSelection: under PROMPT_TO_SELECT a user with two devices
// chooses, and the passcode goes to the chosen one only.
func TestDeviceSelection(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("judy", "judy@example.com", userPassword)
	e.browser().signOn(newPKCE(), "judy", userPassword, "judy.one@example.com")

	ctx := t.Context()
	rec, err := e.st.GetUser(ctx, envID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	second := store.Device{ID: "0190b7c4-0000-7000-8000-0000000000aa", Type: resource.DeviceEmail, Status: resource.DeviceActive,
		Email: "judy.two@example.com", CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	rec.Devices = append(rec.Devices, second)
	if err := e.st.UpdateUser(ctx, rec); err != nil {
		t.Fatal(err)
	}
	admin := e.adminToken()
	pol := decode[resource.List[resource.SignOnPolicy]](t, respWant(t, e.api("GET", paths.Build(paths.SignOnPolicies, envID), admin, ""), 200))
	id := pol.Embedded["signOnPolicies"][0].ID
	respWant(t, e.api("PUT", paths.Build(paths.SignOnPolicy, envID, id), admin,
		`{"kind":"PASSWORD_MFA","enrollDuringSignOn":true,"deviceSelection":"PROMPT_TO_SELECT"}`), 200)

	b := e.browser()
	fid := b.startFlow(newPKCE())
	f := decode[resource.Flow](t, respWant(t, b.action(fid, "usernamePassword.check", resource.UsernamePassword{Username: "judy", Password: userPassword}), 200))
	if f.Status != resource.FlowDeviceSelectionRequired || len(f.Embedded.Devices) != 2 {
		t.Fatalf("want a choice of 2 devices, got %s %+v", f.Status, f.Embedded)
	}
	for _, d := range f.Embedded.Devices {
		if !strings.Contains(d.Email, "***") {
			t.Fatalf("device target not masked: %q", d.Email)
		}
	}
	sent := len(e.mail.msgs)
	// A device that is not the user's is refused.
	wantStatus(t, b.action(fid, "device.select", resource.DeviceSelect{Device: resource.Ref{ID: "0190b7c4-0000-7000-8000-0000000000ff"}}), 400)
	f = decode[resource.Flow](t, respWant(t, b.action(fid, "device.select", resource.DeviceSelect{Device: resource.Ref{ID: second.ID}}), 200))
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice == nil || f.SelectedDevice.ID != second.ID {
		t.Fatalf("after select: %+v", f)
	}
	if got := e.mail.msgs[len(e.mail.msgs)-1].To; len(e.mail.msgs) != sent+1 || got != "judy.two@example.com" {
		t.Fatalf("passcode went to %q (%d new messages)", got, len(e.mail.msgs)-sent)
	}
	f = decode[resource.Flow](t, respWant(t, b.action(fid, "otp.check", resource.OTPCheck{OTP: e.mail.lastOTP(t, "judy.two@example.com")}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("status %s", f.Status)
	}
}
