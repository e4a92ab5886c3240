package e2e

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/app/oauth"
	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// TestConsoleSelfServicePingID is issue 6's self-service story, every
// setting changed through the console: the administrator makes the
// Default environment's sign-on password only (Sign-on policy section);
// "Manage PingID devices via MyAccount" is then refused (Self Service)
// until an MFA policy applies to MyAccount (the default device policy,
// MFA section); on, it turns on reduced scopes for MyAccount. A workforce
// user signing on with
// a password sees the Authentication tab read-only with Verify; after the
// MFA step-up they add a method. The administrator then turns Change
// password off: at the user's next sign-on the tab is gone, and the
// password API refuses the user's token (403), a token that completed MFA
// included.
func TestConsoleSelfServicePingID(t *testing.T) {
	bt := startBrowserTest(t, serverConfig{})
	srv, b, mail, myAccount := bt.srv, bt.b, bt.mail, bt.myAccount

	const (
		username = "wanda"
		password = "correct horse battery staple"
		mfaEmail = "wanda.mfa@example.com"
		second   = "wanda.work@example.com"
	)
	u := srv.createUser(username, "wanda@example.com", password)
	var dev resource.Device
	srv.adminAPI("POST", paths.Build(paths.Devices, defaultEnvID, u.ID),
		map[string]string{"type": resource.DeviceEmail, "email": mfaEmail, "status": resource.DeviceActive}, http.StatusCreated, &dev)
	seen := map[string]bool{}

	// The administrator: sign-on asks for a password only, then the
	// PingID switch.
	signOnConsole(b, srv)
	chooseConsoleEnv(b, defaultEnvID)
	openConsoleSection(b, "signon")
	b.do("sign-on policy form", chromedp.WaitVisible(chromedp.ID("signon-kind")))
	setSelect(b, "signon-kind", resource.PolicyPasswordOnly)
	b.shot("signon-policy")
	b.do("save the sign-on policy", click(chromedp.ID("signon-save")), chromedp.WaitVisible(chromedp.ID("signon-saved")))
	var pols resource.List[resource.SignOnPolicy]
	srv.adminAPI("GET", paths.Build(paths.SignOnPolicies, defaultEnvID), nil, http.StatusOK, &pols)
	if p := pols.Embedded["signOnPolicies"]; len(p) != 1 || p[0].Kind != resource.PolicyPasswordOnly {
		t.Fatalf("sign-on policy after the console's save: %+v", p)
	}

	openConsoleSection(b, "selfservice")
	b.do("self service form", chromedp.WaitVisible(chromedp.ID("selfservice-managePingIdDevices")))
	if hint := b.text("#selfservice-managePingIdDevices-hint"); !strings.Contains(hint, "MFA policy") || !strings.Contains(hint, "reduced scopes") {
		t.Errorf("the PingID switch's explanation: %q", hint)
	}
	// With a password-only sign-on and no MFA policy on MyAccount, the
	// switch is refused with the server's explanation, the form kept.
	setCheckbox(b, "selfservice-managePingIdDevices", true)
	b.do("save without an MFA policy", click(chromedp.ID("selfservice-save")),
		chromedp.WaitVisible(chromedp.ID("selfservice-managePingIdDevices-error")))
	if msg := b.text("#selfservice-managePingIdDevices-error"); !strings.Contains(msg, "MFA policy") {
		t.Errorf("the refusal says %q", msg)
	}
	if !run(b, "switch kept", chromedp.Evaluate[bool](`document.getElementById("selfservice-managePingIdDevices").checked`)) {
		t.Error("the refused switch was reset")
	}
	b.shot("pingid-refused")

	// The MFA policy: the default device authentication policy applies to
	// MyAccount; then the switch goes on.
	openConsoleSection(b, "mfa")
	b.do("edit the default device policy", click(chromedp.CSS("#mfa-policy-list .admin-policy .edit")),
		chromedp.WaitVisible(chromedp.ID("mfa-policy-applications-myAccount")))
	setCheckbox(b, "mfa-policy-applications-myAccount", true)
	b.do("save the device policy", click(chromedp.ID("mfa-policy-save")), chromedp.WaitNotPresent(chromedp.ID("mfa-policy-form")))
	openConsoleSection(b, "selfservice")
	b.do("self service form again", chromedp.WaitVisible(chromedp.ID("selfservice-managePingIdDevices")))
	setCheckbox(b, "selfservice-managePingIdDevices", true)
	b.shot("pingid-on")
	b.do("save self service", click(chromedp.ID("selfservice-save")), chromedp.WaitVisible(chromedp.ID("selfservice-saved")))
	b.do("phone viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.WaitVisible(chromedp.ID("selfservice-save")))
	if overflow := run(b, "measure width", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); overflow {
		t.Error("the Self Service section is wider than a 360 px screen")
	}
	b.shot("selfservice-phone")
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 800))
	var ss resource.SelfService
	srv.adminAPI("GET", paths.Build(paths.SelfService, defaultEnvID), nil, http.StatusOK, &ss)
	if !ss.ManagePingIDDevices || !ss.ChangePassword {
		t.Fatalf("self service after the console's save: %+v", ss)
	}
	if !myAccountApp(t, srv).ReducedScopes {
		t.Fatal("the PingID switch did not turn reduced scopes on for MyAccount")
	}
	// The user, in the same browser: sign-on sessions are per environment
	// (the console's is the Administrators environment's).

	// The user, password only: the Authentication tab is read-only.
	b.do("open MyAccount", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	waitMyAccount(b, myAccount)
	b.do("Authentication tab, read-only",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")),
		chromedp.WaitVisible(chromedp.ID("verify")),
		chromedp.WaitVisible(chromedp.ID("read-only")),
	)
	writes := `document.querySelectorAll("#add-method, #panel-mfa .row-actions button, #panel-mfa .action").length`
	if n := run(b, "count write controls", chromedp.Evaluate[int](writes)); n != 0 {
		t.Errorf("%d write controls shown before MFA", n)
	}
	b.shot("user-read-only")

	// Verify with MFA, then add a method.
	b.do("verify", click(chromedp.ID("verify")), chromedp.WaitVisible(chromedp.ID("otp")))
	b.do("step-up passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, mfaEmail, seen)), click(chromedp.ID("submit")))
	b.do("Authentication tab, writable", chromedp.WaitVisible(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("add-method")))
	b.do("add method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-email")))
	b.do("choose email", click(chromedp.ID("add-email")), chromedp.WaitVisible(chromedp.ID("email")))
	b.do("submit the new email", chromedp.SendKeys(chromedp.ID("email"), second), click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")))
	b.do("pairing passcode", chromedp.SendKeys(chromedp.ID("otp"), nextOTP(t, mail, second, seen)), click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("add-method")))
	waitDevices(b, 2)
	b.shot("user-added-method")
	if n := run(b, "password tab before", chromedp.Evaluate[int](`document.querySelectorAll("#tab-password").length`)); n != 1 {
		t.Fatalf("%d Change password tabs while the feature is on", n)
	}
	// Reduced scopes keep the password check before MFA: its absence
	// later is the switch's doing, not the missing MFA.
	if tok := userToken(t, srv, mail, username, password, "", seen); !slices.Contains(strings.Fields(tok.Scope), scope.ValidateUserPassword) {
		t.Fatalf("a password-only token without %s while Change password is on: %q", scope.ValidateUserPassword, tok.Scope)
	}
	b.do("user sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))

	// The administrator, still signed on to the console, turns Change
	// password off.
	b.do("back to the console", chromedp.Navigate(srv.URL+paths.Admin), chromedp.WaitVisible(chromedp.ID("admin-env")))
	chooseConsoleEnv(b, defaultEnvID)
	openConsoleSection(b, "selfservice")
	b.do("self service form", chromedp.WaitVisible(chromedp.ID("selfservice-changePassword")))
	setCheckbox(b, "selfservice-changePassword", false)
	b.do("save self service", click(chromedp.ID("selfservice-save")), chromedp.WaitVisible(chromedp.ID("selfservice-saved")))
	srv.adminAPI("GET", paths.Build(paths.SelfService, defaultEnvID), nil, http.StatusOK, &ss)
	if ss.ChangePassword || !ss.ManagePingIDDevices {
		t.Fatalf("self service after turning Change password off: %+v", ss)
	}

	// The user's next sign-on: no Change password tab, and the API says no.
	b.do("open MyAccount again", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	waitMyAccount(b, myAccount)
	if n := run(b, "password tab after", chromedp.Evaluate[int](`document.querySelectorAll("#tab-password, #panel-password").length`)); n != 0 {
		t.Errorf("the Change password tab is still there (%d elements)", n)
	}
	b.shot("user-no-password-tab")

	for _, mfa := range []bool{false, true} {
		email := ""
		if mfa {
			email = mfaEmail
		}
		tok := userToken(t, srv, mail, username, password, email, seen)
		if slices.ContainsFunc(strings.Fields(tok.Scope), func(s string) bool { return strings.Contains(s, "Password") }) {
			t.Errorf("token (MFA %v) still carries password scopes: %q", mfa, tok.Scope)
		}
		h := http.Header{"Authorization": {"Bearer " + tok.AccessToken}}
		body := fmt.Sprintf(`{"currentPassword":%q,"newPassword":"an entirely different passphrase 42"}`, password)
		status, _, raw := srv.call(nil, "PUT", paths.Build(paths.UserPassword, defaultEnvID, u.ID), paths.ActionPasswordReset, strings.NewReader(body), h)
		if status != http.StatusForbidden {
			t.Errorf("PUT password with the user's token (MFA %v): %d %s, want 403", mfa, status, raw)
		}
		status, _, raw = srv.call(nil, "POST", paths.Build(paths.UserPassword, defaultEnvID, u.ID), paths.ActionPasswordValidate,
			strings.NewReader(`{"newPassword":"an entirely different passphrase 42"}`), h)
		if status != http.StatusForbidden {
			t.Errorf("POST password validate with the user's token (MFA %v): %d %s, want 403", mfa, status, raw)
		}
	}
	// The password did not change: it still signs on.
	userToken(t, srv, mail, username, password, "", seen)
}

// setSelect chooses value in the select with id, as a user would.
func setSelect(b *browser, id, value string) {
	b.t.Helper()
	b.do("choose "+value+" in "+id, chromedp.SetValue(chromedp.ID(id), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).dispatchEvent(new Event("change", {bubbles: true}))`, id)))
}

// setCheckbox clicks the checkbox with id when it is not already on.
func setCheckbox(b *browser, id string, on bool) {
	b.t.Helper()
	if run(b, "read "+id, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).checked`, id))) != on {
		b.do("click "+id, click(chromedp.ID(id)))
	}
	run(b, "wait for "+id, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById(%q).checked === %v`, id, on),
		chromedp.WithPollingTimeout(stepTimeout)))
}

// myAccountApp reads the Default environment's MyAccount application.
func myAccountApp(t *testing.T, srv *serverProc) resource.Application {
	t.Helper()
	var apps resource.List[resource.Application]
	srv.adminAPI("GET", paths.Build(paths.Applications, defaultEnvID), nil, http.StatusOK, &apps)
	for _, a := range apps.Embedded["applications"] {
		if a.MyAccount {
			return a
		}
	}
	t.Fatalf("no MyAccount application among %+v", apps)
	return resource.Application{}
}

// userToken signs the user on to MyAccount over plain HTTP, as the PWA
// does (code + PKCE), and returns the tokens. With mfaEmail set it asks
// for MFA (acr_values=Multi_Factor) and answers the passcode mailed there.
func userToken(t *testing.T, srv *serverProc, mail *mailtest.Server, username, password, mfaEmail string, seen map[string]bool) resource.TokenResponse {
	t.Helper()
	c := newSignOnClient(t, srv)
	p, err := oauth.NewPending(rand.Reader, false, "")
	if err != nil {
		t.Fatal(err)
	}
	redirect := oauth.RedirectURI(srv.PublicURL, defaultEnvID)
	req := oauth.AuthorizeRequest{EnvironmentID: defaultEnvID, ClientID: c.clientID, RedirectURI: redirect,
		Scope: oauth.MyAccountScopes(), Pending: p}
	if mfaEmail != "" {
		req.ACRValues = "Multi_Factor"
	}
	status, h, body := srv.call(c.http, "GET", oauth.AuthorizeURL(req), "", nil, nil)
	loc, _ := url.Parse(h.Get("Location"))
	if status != http.StatusFound || loc == nil || loc.Query().Get("flowId") == "" {
		t.Fatalf("authorize: %d %s %s", status, h.Get("Location"), body)
	}
	flow := loc.Query().Get("flowId")
	f := c.flowStep(srv, flow, resource.ActionUsernamePasswordCheck, resource.UsernamePassword{Username: username, Password: password})
	if mfaEmail != "" {
		if f.Status != resource.FlowOTPRequired {
			t.Fatalf("MFA sign-on after the password: %s, want %s", f.Status, resource.FlowOTPRequired)
		}
		f = c.flowStep(srv, flow, resource.ActionOTPCheck, resource.OTPCheck{OTP: nextOTP(t, mail, mfaEmail, seen)})
	}
	if f.Status != resource.FlowCompleted || f.ResumeURL == "" {
		t.Fatalf("sign-on: %s, want %s with a resume URL", f.Status, resource.FlowCompleted)
	}
	resume, err := url.Parse(f.ResumeURL)
	if err != nil {
		t.Fatal(err)
	}
	status, h, body = srv.call(c.http, "GET", resume.RequestURI(), "", nil, nil)
	back, _ := url.Parse(h.Get("Location"))
	if status != http.StatusFound || back == nil || back.Query().Get("code") == "" || back.Query().Get("state") != p.State {
		t.Fatalf("resume: %d %s %s", status, h.Get("Location"), body)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")}, "redirect_uri": {redirect},
		"client_id": {c.clientID}, "code_verifier": {p.Verifier}}
	status, _, body = srv.call(c.http, "POST", paths.Build(paths.Token, defaultEnvID), "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), nil)
	var tr resource.TokenResponse
	if status != http.StatusOK || json.Unmarshal(body, &tr) != nil || tr.AccessToken == "" {
		t.Fatalf("token: %d %s", status, body)
	}
	return tr
}

// TestConsolePolicies drives the MFA and Password policies sections: a
// passcode length the server refuses shows its reason under the field and
// keeps what was typed, a valid one is saved; a new password policy is
// created, made the default (the built-in loses it) and, once another is
// the default again, deleted after a confirmation.
func TestConsolePolicies(t *testing.T) {
	chromium := chromiumPath(t)
	requireWasm(t)
	srv := startServer(t, serverConfig{dataDir: t.TempDir()})
	b := newBrowser(t, chromium)

	signOnConsole(b, srv)
	chooseConsoleEnv(b, defaultEnvID)
	openConsoleSection(b, "mfa")
	b.do("MFA settings form", chromedp.WaitVisible(chromedp.ID("mfa-otp-length")))
	setField(b, "mfa-otp-length", "3")
	b.do("save a length out of bounds", click(chromedp.ID("mfa-save")), chromedp.WaitVisible(chromedp.ID("mfa-otp-length-error")))
	if got := b.text("#mfa-otp-length-error"); !strings.Contains(got, "6") {
		t.Errorf("the refusal under the length: %q", got)
	}
	if v := run(b, "length kept", chromedp.Evaluate[string](`document.getElementById("mfa-otp-length").value`)); v != "3" {
		t.Errorf("the refused length now reads %q", v)
	}
	b.shot("mfa-refused")
	setField(b, "mfa-otp-length", "8")
	b.do("save length 8", click(chromedp.ID("mfa-save")), chromedp.WaitVisible(chromedp.ID("mfa-saved")))
	var m resource.MFASettings
	srv.adminAPI("GET", paths.Build(paths.MFASettings, defaultEnvID), nil, http.StatusOK, &m)
	if m.OTP.Length != 8 {
		t.Errorf("OTP length after the save: %d", m.OTP.Length)
	}

	openConsoleSection(b, "passwords")
	b.do("password policies", chromedp.WaitVisible(chromedp.CSS("#panel-passwords .admin-policy")))
	b.do("new policy", click(chromedp.ID("passwords-policy-new")), chromedp.WaitVisible(chromedp.ID("passwords-policy-name")))
	setField(b, "passwords-policy-name", "Workforce")
	setField(b, "passwords-policy-length-min", "14")
	setCheckbox(b, "passwords-policy-default", true)
	b.shot("new-password-policy")
	b.do("create it", click(chromedp.ID("passwords-policy-save")), chromedp.WaitNotPresent(chromedp.ID("passwords-policy-form")))
	var pols resource.List[resource.PasswordPolicy]
	srv.adminAPI("GET", paths.Build(paths.PasswordPolicies, defaultEnvID), nil, http.StatusOK, &pols)
	var created, builtIn resource.PasswordPolicy
	for _, p := range pols.Embedded["passwordPolicies"] {
		switch {
		case p.Name == "Workforce":
			created = p
		case p.BuiltIn && builtIn.ID == "":
			builtIn = p
		}
	}
	if !created.Default || created.Length.Min != 14 {
		t.Fatalf("created policy %+v", created)
	}
	row := func(id string) string { return fmt.Sprintf(`#panel-passwords .admin-policy[data-policy-id="%s"]`, id) }
	b.do("the new default listed", chromedp.WaitVisible(chromedp.CSS(row(created.ID)+" .badge")))
	b.shot("new-default")

	// Back to a built-in as the default; then the new one may go.
	b.do("built-in default again", click(chromedp.CSS(row(builtIn.ID)+" .make-default")),
		chromedp.WaitVisible(chromedp.CSS(row(created.ID)+" .remove")))
	b.do("delete", click(chromedp.CSS(row(created.ID)+" .remove")), chromedp.WaitVisible(chromedp.ID("passwords-policy-confirm-delete")))
	b.do("confirm", click(chromedp.ID("passwords-policy-confirm-delete")), chromedp.WaitNotPresent(chromedp.CSS(row(created.ID))))
	srv.adminAPI("GET", paths.Build(paths.PasswordPolicy, defaultEnvID, created.ID), nil, http.StatusNotFound, nil)
	b.shot("deleted")
}

// setField replaces the value of the input with id, as typing would.
func setField(b *browser, id, value string) {
	b.t.Helper()
	b.do("type "+value+" in "+id, chromedp.SetValue(chromedp.ID(id), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).dispatchEvent(new Event("change", {bubbles: true}))`, id)))
}
