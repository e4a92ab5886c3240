package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestPhoneMethods is the SMS and voice methods of issue 3 in a real
// browser, with passcodes read from a loopback HTTP gateway: a user who
// enrolled an email at sign-on adds a text-message method with a national
// number and a chosen country (the number's shape is checked in the page,
// the server's refusal of a landline shows under the field), pairs it with
// the texted code, adds a voice-call method (a resend inside the cool-down
// is refused) and pairs it with the digits the call spells, makes the
// text message the default, signs off, and signs on again with a texted
// code after a wrong one is refused.
func TestPhoneMethods(t *testing.T) {
	gw := startSMSGateway(t)
	bt := startBrowserTest(t, serverConfig{smsGatewayURL: gw.URL()})
	b, myAccount := bt.b, bt.myAccount

	const (
		username = "frank"
		password = "correct horse battery staple"
		account  = "frank@example.com"
		first    = "frank.mfa@example.com"
		landline = "01 42 68 53 00" // French fixed line: no text messages
		mobile   = "06 12 34 56 78" // French mobile, national form
		mobileTo = "+33612345678"
		voice    = "07400 123456" // British number, national form
		voiceTo  = "+447400123456"
	)
	row := func(id string) string { return fmt.Sprintf(`#panel-mfa .device[data-device-id="%s"]`, id) }

	bt.newUserOnAuthenticationTab(t, username, account, password, first)
	emailID := attrOf(b, "#panel-mfa .device.device-default", "data-device-id")
	if note := b.text(row(emailID) + " .device-weak"); !strings.Contains(note, "least secure") {
		t.Errorf("the email method is not marked as the weakest in the list: %q", note)
	}

	// Add method → Text message → country and number.
	b.do("add method", click(chromedp.ID("add-method")), chromedp.WaitVisible(chromedp.ID("add-sms")))
	if got := b.text("#add-voice"); got != "Voice call" {
		t.Errorf("#add-voice = %q", got)
	}
	b.shot("choose-method")
	b.do("choose text message", click(chromedp.ID("add-sms")), chromedp.WaitVisible(chromedp.ID("phone")))
	// The country selected first follows the browser's locale.
	lang := run(b, "navigator.language", chromedp.Evaluate[string](`navigator.language`))
	region := run(b, "selected country", chromedp.Value(chromedp.ID("region")))
	if _, want, ok := strings.Cut(lang, "-"); ok && len(want) == 2 && region != strings.ToUpper(want) {
		t.Errorf("country selected for %s is %q", lang, region)
	}
	b.shot("phone-step")

	// The page refuses a number's shape without asking the server.
	b.do("malformed number",
		chromedp.SetValue(chromedp.ID("region"), "FR"),
		chromedp.SendKeys(chromedp.ID("phone"), "12"),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("phone-error")),
	)
	if msg := b.text("#phone-error"); !strings.Contains(msg, "4 to 20 digits") {
		t.Errorf("malformed number says %q", msg)
	}
	// The server refuses a landline for text messages: said under the field.
	b.do("landline for SMS",
		clearField("phone"),
		chromedp.SendKeys(chromedp.ID("phone"), landline),
		click(chromedp.ID("submit")),
	)
	run(b, "server refusal under the field", chromedp.Poll[bool](
		`(document.getElementById("phone-error") || {textContent: ""}).textContent.includes("mobile")`,
		chromedp.WithPollingTimeout(stepTimeout)))
	if inv := attrOf(b, "#phone", "aria-invalid"); inv != "true" {
		t.Errorf("#phone aria-invalid = %q", inv)
	}
	if region := run(b, "country kept", chromedp.Value(chromedp.ID("region"))); region != "FR" {
		t.Errorf("the country changed to %q after the refusal", region)
	}
	b.shot("landline-refused")

	// A mobile number: Text message pairing with the texted code.
	b.do("mobile number",
		clearField("phone"),
		chromedp.SendKeys(chromedp.ID("phone"), mobile),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	if h := b.text("#panel-mfa h1"); h != "Text message pairing" {
		t.Errorf("pairing step title = %q", h)
	}
	if target := b.text("#otp-target"); !strings.Contains(target, "5678") || strings.Contains(target, "612345678") {
		t.Errorf("the pairing step should name the number masked: %q", target)
	}
	b.shot("sms-pairing")
	smsSeen := 0
	code := codeFrom(t, gw.next("SMS", mobileTo, &smsSeen))
	b.do("pair the text message method",
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
	)
	waitDevices(b, 2)
	smsID := attrOf(b, "#panel-mfa .device:nth-child(2)", "data-device-id")
	checkPhoneRow(b, row(smsID), "Text message", "5678")

	// Add method → Voice call, a British number.
	b.do("add voice call",
		click(chromedp.ID("add-method")),
		chromedp.WaitVisible(chromedp.ID("add-voice")),
		click(chromedp.ID("add-voice")),
		chromedp.WaitVisible(chromedp.ID("phone")),
		chromedp.SetValue(chromedp.ID("region"), "GB"),
		chromedp.SendKeys(chromedp.ID("phone"), voice),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("otp")),
	)
	if h := b.text("#panel-mfa h1"); h != "Voice call pairing" {
		t.Errorf("pairing step title = %q", h)
	}
	voiceSeen := 0
	code = codeFrom(t, gw.next("VOICE", voiceTo, &voiceSeen))
	// A new code right away is refused by the cool-down; no call is made.
	b.do("resend too soon",
		click(chromedp.ID("resend")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if msg := b.text("#error"); !strings.Contains(msg, "try again in") {
		t.Errorf("resend inside the cool-down says %q", msg)
	}
	if n := gw.count("VOICE", voiceTo); n != 1 {
		t.Errorf("%d calls to the voice number, want 1", n)
	}
	b.shot("voice-pairing")
	b.do("pair the voice method",
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
	)
	waitDevices(b, 3)
	voiceID := attrOf(b, "#panel-mfa .device:nth-child(3)", "data-device-id")
	checkPhoneRow(b, row(voiceID), "Voice call", "3456")

	// Text message becomes the default.
	b.do("make the text message the default",
		click(chromedp.CSS(row(smsID)+" .make-default")),
		chromedp.WaitVisible(chromedp.CSS(row(smsID)+".device-default")),
	)
	b.shot("phones-listed")

	// Sign off and on: the default method is texted a code.
	b.do("sign off", click(chromedp.ID("signoff")), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	b.do("passcode step", chromedp.WaitVisible(chromedp.ID("otp")))
	if target := b.text("#otp-target"); !strings.Contains(target, "5678") {
		t.Errorf("the sign-on passcode step does not name the phone: %q", target)
	}
	code = codeFrom(t, gw.next("SMS", mobileTo, &smsSeen))
	b.do("wrong code",
		chromedp.SendKeys(chromedp.ID("otp"), otherCode(code)),
		click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if msg := b.text("#error"); !strings.Contains(msg, "Wrong code") {
		t.Errorf("a wrong code says %q", msg)
	}
	b.shot("signon-wrong-code")
	b.do("sign on with the texted code",
		clearOTP(),
		chromedp.SendKeys(chromedp.ID("otp"), code),
		click(chromedp.ID("submit")),
	)
	waitMyAccount(b, myAccount)
	if n := gw.count("VOICE", voiceTo); n != 1 {
		t.Errorf("%d calls to the voice number, want 1 (sign-on must use the default method only)", n)
	}
	b.shot("signed-on-with-sms")
}

// checkPhoneRow checks a listed phone method: its kind with the phone
// icon, the number masked to its last four digits, and Active.
func checkPhoneRow(b *browser, row, kind, last4 string) {
	b.t.Helper()
	if got := b.text(row + " .device-type"); got != kind {
		b.t.Errorf("%s listed as %q, want %q", row, got, kind)
	}
	if got := b.text(row + " .device-target"); !strings.HasSuffix(got, last4) || strings.Trim(got, "*") != last4 {
		b.t.Errorf("%s shows %q, want the number masked to %s", row, got, last4)
	}
	if got := b.text(row + " .device-status"); got != "Active" {
		b.t.Errorf("%s is %q, want Active", row, got)
	}
	if n := run(b, "phone icon", chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, row+" .device-icon-phone"))); n != 1 {
		b.t.Errorf("%s has %d phone icons", row, n)
	}
}

// clearField empties an input by id.
func clearField(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = ""`, id))
}

// TestReducedScopesStepUp is "reduced scopes read-only, then step-up" of
// issue 3: the environment signs on with a password only and its MyAccount
// application allows user actions by authentication scopes, so a session
// without MFA gets read scopes. The Authentication tab lists the user's
// method with no write control and offers "Verify to make changes"; the
// step-up asks for the texted code only (the SSO session holds the
// password) and comes back with the write controls, and a rename works.
func TestReducedScopesStepUp(t *testing.T) {
	gw := startSMSGateway(t)
	bt := startBrowserTest(t, serverConfig{smsGatewayURL: gw.URL()})
	srv, b, myAccount := bt.srv, bt.b, bt.myAccount

	const (
		username = "grace"
		password = "correct horse battery staple"
		phone    = "+33612345678"
		nickname = "Grace's phone"
	)
	u := srv.createUser(username, "grace@example.com", password)

	// The administrator pairs a phone for the user, makes sign-on
	// password-only and turns reduced scopes on for MyAccount.
	var dev resource.Device
	srv.adminAPI("POST", paths.Build(paths.Devices, defaultEnvID, u.ID),
		map[string]string{"type": "SMS", "phone": phone, "status": "ACTIVE"}, http.StatusCreated, &dev)
	if dev.Status != resource.DeviceActive {
		t.Fatalf("administrator's device: %+v", dev)
	}
	var policies resource.List[resource.SignOnPolicy]
	srv.adminAPI("GET", paths.Build(paths.SignOnPolicies, defaultEnvID), nil, http.StatusOK, &policies)
	if len(policies.Embedded["signOnPolicies"]) != 1 {
		t.Fatalf("sign-on policies: %+v", policies)
	}
	srv.adminAPI("PUT", paths.Build(paths.SignOnPolicy, defaultEnvID, policies.Embedded["signOnPolicies"][0].ID),
		map[string]any{"kind": resource.PolicyPasswordOnly, "enrollDuringSignOn": true, "deviceSelection": resource.SelectDefaultToFirst},
		http.StatusOK, nil)
	var apps resource.List[resource.Application]
	srv.adminAPI("GET", paths.Build(paths.Applications, defaultEnvID), nil, http.StatusOK, &apps)
	myAccountApp := ""
	for _, a := range apps.Embedded["applications"] {
		if a.MyAccount {
			myAccountApp = a.ID
		}
	}
	if myAccountApp == "" {
		t.Fatalf("no MyAccount application among %+v", apps)
	}
	var patched resource.Application
	srv.adminAPI("PATCH", paths.Build(paths.Application, defaultEnvID, myAccountApp),
		map[string]bool{"allowUserActionsByAuthenticationScopes": true}, http.StatusOK, &patched)
	if !patched.ReducedScopes {
		t.Fatalf("reduced scopes not on: %+v", patched)
	}

	// A password-only sign-on: MyAccount at once, no code sent.
	b.do("open MyAccount", chromedp.Navigate(myAccount), chromedp.WaitVisible(chromedp.ID("username")))
	submitPassword(b, username, password)
	waitMyAccount(b, myAccount)
	if n := gw.count("SMS", phone); n != 0 {
		t.Fatalf("%d texts sent for a password-only sign-on", n)
	}
	b.do("Authentication tab, read-only",
		click(chromedp.ID("tab-mfa")),
		chromedp.WaitVisible(chromedp.CSS("#panel-mfa .device")),
		chromedp.WaitVisible(chromedp.ID("verify")),
		chromedp.WaitVisible(chromedp.ID("read-only")),
	)
	writes := `document.querySelectorAll("#add-method, #panel-mfa .row-actions button, #panel-mfa .action").length`
	if n := run(b, "count write controls", chromedp.Evaluate[int](writes)); n != 0 {
		t.Errorf("%d write controls shown with read scopes", n)
	}
	if got := b.text("#verify"); got != "Verify to make changes" {
		t.Errorf("#verify = %q", got)
	}
	b.shot("read-only")

	// Verify: the hosted sign-on asks for the texted code, not the password.
	b.do("verify", click(chromedp.ID("verify")), chromedp.WaitVisible(chromedp.ID("otp")))
	if n := run(b, "no password field", chromedp.Evaluate[int](`document.querySelectorAll("#password").length`)); n != 0 {
		t.Error("the step-up asks for the password again")
	}
	b.shot("step-up-otp")
	seen := 0
	code := codeFrom(t, gw.next("SMS", phone, &seen))
	b.do("step-up code", chromedp.SendKeys(chromedp.ID("otp"), code), click(chromedp.ID("submit")))

	// Back on the Authentication tab (not the profile) with the write
	// controls, the OAuth answer gone from the address bar.
	row := fmt.Sprintf(`#panel-mfa .device[data-device-id="%s"]`, dev.ID)
	b.do("Authentication tab, writable",
		chromedp.WaitVisible(chromedp.ID("signoff")),
		chromedp.WaitVisible(chromedp.ID("add-method")),
		chromedp.WaitVisible(chromedp.CSS(row+" .rename")),
	)
	if loc := b.location(); loc != myAccount+"#mfa" {
		t.Errorf("after the step-up the page is %s, want %s#mfa", loc, myAccount)
	}
	gone := `document.querySelectorAll("#verify, #read-only").length`
	if n := run(b, "no verify offer", chromedp.Evaluate[int](gone)); n != 0 {
		t.Error("still read-only after the step-up")
	}
	b.shot("writable")
	b.do("rename",
		click(chromedp.CSS(row+" .rename")),
		chromedp.WaitVisible(chromedp.CSS(row+" #nickname")),
		chromedp.SendKeys(chromedp.CSS(row+" #nickname"), nickname),
		click(chromedp.CSS(row+" .save-nickname")),
		chromedp.WaitVisible(chromedp.CSS(row+" .device-nickname")),
	)
	if got := b.text(row + " .device-nickname"); got != nickname {
		t.Errorf("nickname shown = %q", got)
	}
	var after resource.Device
	srv.adminAPI("GET", paths.Build(paths.Device, defaultEnvID, u.ID, dev.ID), nil, http.StatusOK, &after)
	if after.Nickname != nickname {
		t.Errorf("the server has nickname %q, want %q", after.Nickname, nickname)
	}
	b.shot("renamed")
}
