//go:build !js

package ui

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// fakeAdminAPI serves the console's calls from a table of answers by
// "METHOD path" and records the bodies it was sent.
type fakeAdminAPI struct {
	mu      sync.Mutex
	answers map[string]func(body []byte) (int, any)
	got     map[string][]string
}

func (f *fakeAdminAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	if f.got == nil {
		f.got = map[string][]string{}
	}
	f.got[key] = append(f.got[key], string(raw))
	answer := f.answers[key]
	f.mu.Unlock()
	reply := jsonReply(w)
	if answer == nil {
		reply(http.StatusNotFound, apierr.New(http.StatusNotFound, apierr.NotFound, "not found"))
		return
	}
	reply(answer(raw))
}

func (f *fakeAdminAPI) sent(key string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got[key]
}

// consoleEnv is the environment the settings sections work on.
const consoleEnv = testEnv

func invalidData(details ...apierr.Detail) *apierr.Error {
	return apierr.Invalid("The request has invalid data.", details...)
}

func TestFieldErrors(t *testing.T) {
	known := func(k string) bool { return k == "otp.length" || k == "methods" || k == "name" }
	tests := []struct {
		name     string
		err      error
		want     map[string]string
		wantRest string
	}{
		{
			name: "detailAtItsControl",
			err:  invalidData(apierr.Field(apierr.DetailInvalidValue, "otp.length", "must be 6 to 10.")),
			want: map[string]string{"otp.length": "must be 6 to 10."},
		},
		{
			name: "listIndexToItsList",
			err:  invalidData(apierr.Field(apierr.DetailInvalidValue, "methods[2]", "repeats SMS.")),
			want: map[string]string{"methods": "repeats SMS."},
		},
		{
			name: "twoOnOneControl",
			err: invalidData(apierr.Field(apierr.DetailInvalidValue, "name", "a."),
				apierr.Field(apierr.DetailUniqueness, "name", "b.")),
			want: map[string]string{"name": "a. b."},
		},
		{
			name:     "unknownTargetToTheRest",
			err:      invalidData(apierr.Field(apierr.DetailInvalidValue, "otp.length", "x."), apierr.Field(apierr.DetailReadOnly, "id", "id is read-only.")),
			want:     map[string]string{"otp.length": "x."},
			wantRest: "The request has invalid data. id is read-only.",
		},
		{
			name:     "noTarget",
			err:      invalidData(apierr.Field(apierr.DetailInvalidValue, "", "At least one method.")),
			want:     map[string]string{},
			wantRest: "The request has invalid data. At least one method.",
		},
		{
			name:     "forbidden",
			err:      apierr.New(http.StatusForbidden, apierr.InsufficientPermission, "Not allowed."),
			want:     map[string]string{},
			wantRest: "Not allowed.",
		},
		{
			name:     "notAnAPIError",
			err:      errors.New("boom"),
			want:     map[string]string{},
			wantRest: T(MsgErrGeneric),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest := fieldErrors(tt.err, known)
			if !reflect.DeepEqual(got, tt.want) || rest != tt.wantRest {
				t.Errorf("fieldErrors = %v, %q; want %v, %q", got, rest, tt.want, tt.wantRest)
			}
		})
	}
}

// selfServiceJSON is a GET selfService answer with switches this form does
// not know (another part of the server adds them).
const selfServiceJSON = `{"_links":{"self":{"href":"x"}},"manageProfile":true,"manageAuthentication":true,
"managePingIdDevices":false,"changePassword":true,"manageLinkedAccounts":true,"manageSessions":true,
"viewAgreements":false,"manageOAuthConsents":true,"applyActiveTheme":true,"showFooter":false,
"signOffBehavior":"SIGN_OFF_ALL","updatedAt":"2026-01-01T00:00:00Z",
"profileAttributes":{"username":"READ_ONLY","name":"EDITABLE","title":"HIDDEN"}}`

func TestSelfServiceBody(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(selfServiceJSON), &raw); err != nil {
		t.Fatal(err)
	}
	f := selfServiceForm(raw)
	f.checks["changePassword"] = false
	f.checks["showFooter"] = true
	f.vals["profileAttributes.title"] = resource.AttributeEditable
	f.vals["signOffBehavior"] = "SIGN_OFF_APP"
	body := selfServiceBody(raw, f)
	want := map[string]any{
		"manageProfile": true, "manageAuthentication": true, "managePingIdDevices": false, "changePassword": false,
		"manageLinkedAccounts": true, "manageSessions": true, "viewAgreements": false, "manageOAuthConsents": true,
		"applyActiveTheme": true, "showFooter": true, "signOffBehavior": "SIGN_OFF_APP",
		"profileAttributes": map[string]any{"username": "READ_ONLY", "name": "EDITABLE", "title": "EDITABLE"},
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body\n got %v\nwant %v", body, want)
	}
}

// TestAdminSelfServicePingIDRefused: the server refuses the PingID switch
// (no MFA policy on the MyAccount application); its explanation shows
// under the switch, the switch stays on and the other changes stay, and a
// second Save sends them all again.
func TestAdminSelfServicePingIDRefused(t *testing.T) {
	const why = "The MyAccount application has no MFA policy: add one to it first."
	tests := []struct {
		name   string
		detail apierr.Detail
	}{
		{name: "detailNamesTheSwitch", detail: apierr.Field(apierr.DetailInvalidValue, "managePingIdDevices", why)},
		{name: "detailNamesNothing", detail: apierr.Field(apierr.DetailInvalidValue, "", why)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := paths.Build(paths.SelfService, consoleEnv)
			api := &fakeAdminAPI{answers: map[string]func([]byte) (int, any){
				"GET " + path: func([]byte) (int, any) { return 200, json.RawMessage(selfServiceJSON) },
				"PUT " + path: func([]byte) (int, any) { return 400, invalidData(tt.detail) },
			}}
			ctx, e := newHarness(t)
			s := &AdminSelfService{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleEnvironmentAdmin, EnvironmentID: consoleEnv})}
			s.load(ctx)
			e.ConsumeAll()
			if s.form == nil {
				t.Fatalf("not loaded: %q", s.loadErr)
			}
			doc := render(t, s)
			if hint := text(mustID(t, doc, "selfservice-managePingIdDevices-hint")); !strings.Contains(hint, "MFA policy") {
				t.Errorf("PingID hint %q", hint)
			}
			mustID(t, doc, "selfservice-showFooter") // an attribute the form does not know
			mustID(t, doc, "selfservice-profileAttributes-title")

			s.form.checks[pingIDSwitch] = true
			s.form.checks["viewAgreements"] = true
			s.onSave(ctx, app.Event{})
			e.ConsumeAll()

			if !s.form.checks[pingIDSwitch] || !s.form.checks["viewAgreements"] || s.form.busy {
				t.Errorf("the form lost what the administrator set: %+v", s.form.checks)
			}
			doc = render(t, s)
			if got := text(mustID(t, doc, "selfservice-managePingIdDevices-error")); !strings.Contains(got, why) {
				t.Errorf("under the switch: %q", got)
			}
			if byID(doc, "selfservice-saved") != nil || byID(doc, "selfservice-error") != nil {
				t.Error("a refused save says Saved or repeats the reason elsewhere")
			}
			if sw := mustID(t, doc, "selfservice-managePingIdDevices"); func() bool { _, on := attr(sw, "checked"); return !on }() {
				t.Error("the switch is shown off after the refusal")
			}
			sent := api.sent("PUT " + path)
			if len(sent) != 1 || !strings.Contains(sent[0], `"managePingIdDevices":true`) || !strings.Contains(sent[0], `"viewAgreements":true`) ||
				!strings.Contains(sent[0], `"applyActiveTheme":true`) || strings.Contains(sent[0], "_links") || strings.Contains(sent[0], "updatedAt") {
				t.Errorf("PUT bodies %v", sent)
			}
		})
	}
}

func TestAdminSelfServiceSaved(t *testing.T) {
	path := paths.Build(paths.SelfService, consoleEnv)
	api := &fakeAdminAPI{answers: map[string]func([]byte) (int, any){
		"GET " + path: func([]byte) (int, any) { return 200, json.RawMessage(selfServiceJSON) },
		"PUT " + path: func(b []byte) (int, any) {
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			return 200, m
		},
	}}
	ctx, e := newHarness(t)
	s := &AdminSelfService{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleEnvironmentAdmin, EnvironmentID: consoleEnv})}
	s.load(ctx)
	e.ConsumeAll()
	s.form.checks["changePassword"] = false
	s.onSave(ctx, app.Event{})
	e.ConsumeAll()
	doc := render(t, s)
	mustID(t, doc, "selfservice-saved")
	if s.form.checks["changePassword"] {
		t.Error("the form does not show the server's answer")
	}
}

func TestAdminSelfServiceReadOnlyRole(t *testing.T) {
	path := paths.Build(paths.SelfService, consoleEnv)
	api := &fakeAdminAPI{answers: map[string]func([]byte) (int, any){
		"GET " + path: func([]byte) (int, any) { return 200, json.RawMessage(selfServiceJSON) },
	}}
	ctx, e := newHarness(t)
	s := &AdminSelfService{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleReadOnly, EnvironmentID: consoleEnv})}
	s.load(ctx)
	e.ConsumeAll()
	doc := render(t, s)
	if byID(doc, "selfservice-save") != nil {
		t.Error("Save shown to a read-only administrator")
	}
	if _, disabled := attr(mustID(t, doc, "selfservice-changePassword"), "disabled"); !disabled {
		t.Error("a switch is editable for a read-only administrator")
	}
}

func TestSignOnBody(t *testing.T) {
	tests := []struct {
		name string
		p    resource.SignOnPolicy
		want map[string]any
	}{
		{
			name: "mfaEnrolNoAgreement",
			p:    resource.SignOnPolicy{Name: "Single_Factor", Kind: resource.PolicyPasswordMFA, EnrollDuringSignOn: true, DeviceSelection: resource.SelectPrompt},
			want: map[string]any{"name": "Single_Factor", "kind": resource.PolicyPasswordMFA, "enrollDuringSignOn": true,
				"deviceSelection": resource.SelectPrompt, "agreementId": nil},
		},
		{
			name: "passwordBlockAgreement",
			p:    resource.SignOnPolicy{Name: "p", Kind: resource.PolicyPasswordOnly, DeviceSelection: resource.SelectDefaultToFirst, AgreementID: "ag"},
			want: map[string]any{"name": "p", "kind": resource.PolicyPasswordOnly, "enrollDuringSignOn": false,
				"deviceSelection": resource.SelectDefaultToFirst, "agreementId": "ag"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signOnBody(signOnForm(tt.p)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAdminSignOnRefused: a detail naming a field shows under it.
func TestAdminSignOnRefused(t *testing.T) {
	list := paths.Build(paths.SignOnPolicies, consoleEnv)
	pol := resource.SignOnPolicy{ID: "p1", Name: "Default", Default: true, Kind: resource.PolicyPasswordMFA, DeviceSelection: resource.SelectDefaultToFirst}
	api := &fakeAdminAPI{answers: map[string]func([]byte) (int, any){
		"GET " + list: func([]byte) (int, any) {
			return 200, resource.NewList("signOnPolicies", []resource.SignOnPolicy{pol}, "", "")
		},
		"GET " + paths.Build(paths.Agreements, consoleEnv): func([]byte) (int, any) {
			return 200, resource.NewList("agreements", []resource.Agreement{{ID: "ag1", Name: "Terms", Enabled: true}}, "", "")
		},
		"PUT " + paths.Build(paths.SignOnPolicy, consoleEnv, "p1"): func([]byte) (int, any) {
			return 400, invalidData(apierr.Field(apierr.DetailInvalidValue, "agreementId", "must be the id of one of the environment's agreements."))
		},
	}}
	ctx, e := newHarness(t)
	s := &AdminSignOn{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleEnvironmentAdmin, EnvironmentID: consoleEnv})}
	s.load(ctx)
	e.ConsumeAll()
	if s.form == nil {
		t.Fatalf("not loaded: %q", s.loadErr)
	}
	doc := render(t, s)
	if got := text(mustID(t, doc, "signon-agreementId")); !strings.Contains(got, "Terms") {
		t.Errorf("agreement choices %q", got)
	}
	s.form.vals["kind"], s.form.vals["agreementId"] = resource.PolicyPasswordOnly, "ag1"
	s.onSave(ctx, app.Event{})
	e.ConsumeAll()
	doc = render(t, s)
	if got := text(mustID(t, doc, "signon-agreementId-error")); !strings.Contains(got, "agreements") {
		t.Errorf("agreement error %q", got)
	}
	if s.form.vals["kind"] != resource.PolicyPasswordOnly {
		t.Error("the refused save reset the form")
	}
}

func TestMFASettingsBody(t *testing.T) {
	m := resource.MFASettings{OTP: resource.OTPSettings{Length: 6, LifetimeSeconds: 300, FailureCount: 3, CoolDownSeconds: 120},
		Methods: []string{resource.DeviceSMS, resource.DeviceEmail}, Lockout: resource.MFALockout{FailureCount: 10, DurationSeconds: 900},
		TOTP: resource.MFATOTP{TimeWindowSteps: 1}, PromptForNicknameOnPairing: true}
	m.Pairing.MaxAllowedDevices = 5

	t.Run("roundTrip", func(t *testing.T) {
		f := mfaSettingsForm(m)
		f.checks["methods."+resource.DeviceTOTP] = true
		body, ok := mfaSettingsBody(f)
		if !ok {
			t.Fatalf("errors %v", f.errs)
		}
		raw, _ := json.Marshal(body)
		want := `{"excludeEmailFromSignOn":false,"lockout":{"durationSeconds":900,"failureCount":10},"methods":["EMAIL","SMS","TOTP"],` +
			`"otp":{"coolDownSeconds":120,"failureCount":3,"length":6,"lifetimeSeconds":300},"pairing":{"disabled":false,"maxAllowedDevices":5},` +
			`"promptForNicknameOnPairing":true,"totp":{"timeWindowSteps":1}}`
		if string(raw) != want {
			t.Errorf("body\n got %s\nwant %s", raw, want)
		}
	})
	t.Run("notANumber", func(t *testing.T) {
		f := mfaSettingsForm(m)
		f.vals["otp.length"], f.vals["lockout.durationSeconds"] = "six", ""
		if _, ok := mfaSettingsBody(f); ok {
			t.Fatal("a body from a form with words in number fields")
		}
		if f.errs["otp.length"] == "" || f.errs["lockout.durationSeconds"] == "" || len(f.errs) != 2 {
			t.Errorf("errors %v", f.errs)
		}
	})
}

func TestDevicePolicyBody(t *testing.T) {
	p := resource.DeviceAuthPolicy{Name: "Workforce", SMS: resource.PolicyMethod{Enabled: true}, FIDO2: resource.PolicyMethod{Enabled: true},
		Authentication: resource.PolicyAuthentication{DeviceSelection: resource.SelectAlwaysDisplay},
		OTP:            &resource.PolicyOTP{Failure: resource.PolicyOTPFailure{Count: 3}}}
	p.Applications = []resource.Ref{{ID: "app-1"}, {ID: "my-account"}}
	f := devicePolicyForm(p, "my-account")
	if !f.checks["applications.myAccount"] {
		t.Error("the MyAccount switch is off for a policy naming MyAccount")
	}
	f.checks["default"] = true
	raw, _ := json.Marshal(devicePolicyBody(f, "my-account"))
	want := `{"applications":[{"id":"app-1"},{"id":"my-account"}],"authentication":{"deviceSelection":"ALWAYS_DISPLAY_DEVICES"},"default":true,"email":{"enabled":false},` +
		`"fido2":{"enabled":true},"name":"Workforce","recoveryCodes":{"enabled":false},"sms":{"enabled":true},` +
		`"totp":{"enabled":false},"voice":{"enabled":false}}`
	if string(raw) != want {
		t.Errorf("body\n got %s\nwant %s", raw, want)
	}
}

func TestDevicePolicyBodyMyAccountSwitch(t *testing.T) {
	tests := []struct {
		name string
		apps []resource.Ref
		on   bool
		want string
	}{
		{name: "turned_on", apps: nil, on: true, want: `[{"id":"my-account"}]`},
		{name: "turned_off_keeps_others", apps: []resource.Ref{{ID: "my-account"}, {ID: "app-1"}}, on: false, want: `[{"id":"app-1"}]`},
		{name: "left_off", apps: nil, on: false, want: `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := devicePolicyForm(resource.DeviceAuthPolicy{Name: "P", Applications: tt.apps}, "my-account")
			f.checks["applications.myAccount"] = tt.on
			raw, _ := json.Marshal(devicePolicyBody(f, "my-account")["applications"])
			if string(raw) != tt.want {
				t.Errorf("applications %s, want %s", raw, tt.want)
			}
		})
	}
}

func TestPasswordPolicyBody(t *testing.T) {
	base := resource.PasswordPolicy{Name: "Strict", Length: resource.PasswordLength{Min: 12, Max: 64}, ExcludesCommonlyUsed: true,
		History: &resource.PasswordHistory{Count: 5, RetentionDays: 365}, MinCharacters: map[string]int{"0123456789": 1, "!@# $": 2}}
	tests := []struct {
		name     string
		edit     func(f *adminForm)
		want     string
		wantErrs []string
	}{
		{
			name: "asRead",
			edit: func(*adminForm) {},
			want: `{"default":false,"excludesCommonlyUsed":true,"excludesProfileData":false,"history":{"count":5,"retentionDays":365},` +
				`"length":{"max":64,"min":12},"minCharacters":{"!@# $":2,"0123456789":1},"name":"Strict","notSimilarToCurrent":false}`,
		},
		{
			name: "rulesOffAndOn",
			edit: func(f *adminForm) {
				f.vals["history.count"], f.vals["history.retentionDays"] = "", ""
				f.vals["lockout.failureCount"], f.vals["lockout.durationSeconds"] = "5", "900"
				f.vals["maxAgeDays"], f.vals["minCharacters"] = "90", ""
				f.vals["description"] = "  For admins "
			},
			want: `{"default":false,"description":"For admins","excludesCommonlyUsed":true,"excludesProfileData":false,` +
				`"length":{"max":64,"min":12},"lockout":{"durationSeconds":900,"failureCount":5},"maxAgeDays":90,"name":"Strict","notSimilarToCurrent":false}`,
		},
		{
			name:     "halfAPair",
			edit:     func(f *adminForm) { f.vals["history.retentionDays"] = "" },
			wantErrs: []string{"history.retentionDays"},
		},
		{
			name:     "notNumbers",
			edit:     func(f *adminForm) { f.vals["length.min"], f.vals["minAgeDays"] = "", "1.5" },
			wantErrs: []string{"length.min", "minAgeDays"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := passwordPolicyForm(base)
			tt.edit(f)
			body, ok := passwordPolicyBody(f)
			if tt.wantErrs != nil {
				if ok || len(f.errs) != len(tt.wantErrs) {
					t.Fatalf("ok %v, errors %v; want errors on %v", ok, f.errs, tt.wantErrs)
				}
				for _, k := range tt.wantErrs {
					if f.errs[k] == "" {
						t.Errorf("no error on %s: %v", k, f.errs)
					}
				}
				return
			}
			raw, _ := json.Marshal(body)
			if !ok || string(raw) != tt.want {
				t.Errorf("ok %v, errors %v, body\n got %s\nwant %s", ok, f.errs, raw, tt.want)
			}
		})
	}
}

// TestAdminPasswordsMakeDefaultAndDelete: Make default sends the policy
// back with default on and reads the list again; Delete asks first; a
// refusal shows the server's reason; built-ins and the default offer no
// Delete.
func TestAdminPasswordsMakeDefaultAndDelete(t *testing.T) {
	list := paths.Build(paths.PasswordPolicies, consoleEnv)
	std := resource.PasswordPolicy{ID: "std", Name: "Standard", BuiltIn: true, Default: true, Length: resource.PasswordLength{Min: 8, Max: 255}}
	own := resource.PasswordPolicy{ID: "own", Name: "Own", Length: resource.PasswordLength{Min: 10, Max: 64}}
	var mu sync.Mutex
	items := []resource.PasswordPolicy{std, own}
	api := &fakeAdminAPI{answers: map[string]func([]byte) (int, any){
		"GET " + list: func([]byte) (int, any) {
			mu.Lock()
			defer mu.Unlock()
			return 200, resource.NewList("passwordPolicies", append([]resource.PasswordPolicy{}, items...), "", "")
		},
		"PUT " + paths.Build(paths.PasswordPolicy, consoleEnv, "own"): func(b []byte) (int, any) {
			mu.Lock()
			defer mu.Unlock()
			items[0].Default, items[1].Default = false, true
			return 200, items[1]
		},
		"DELETE " + paths.Build(paths.PasswordPolicy, consoleEnv, "std"): func([]byte) (int, any) {
			return 400, apierr.New(http.StatusBadRequest, apierr.RequestFailed, "A built-in password policy cannot be deleted.")
		},
	}}
	ctx, e := newHarness(t)
	s := &AdminPasswords{C: consoleContext(t, api, resource.RoleAssignment{Role: resource.RoleEnvironmentAdmin, EnvironmentID: consoleEnv})}
	s.load(ctx)
	e.ConsumeAll()
	if len(s.pols.items) != 2 {
		t.Fatalf("loaded %+v (%q)", s.pols.items, s.loadErr)
	}
	doc := render(t, s)
	if n := len(byClass(doc, "remove")); n != 1 {
		t.Errorf("%d Delete buttons, want 1 (Own; not the built-in default)", n)
	}
	k := s.kind()
	s.pols.onMakeDefault(ctx, s.C, k, own)
	e.ConsumeAll()
	sent := api.sent("PUT " + paths.Build(paths.PasswordPolicy, consoleEnv, "own"))
	if len(sent) != 1 || !strings.Contains(sent[0], `"default":true`) || !strings.Contains(sent[0], `"min":10`) {
		t.Fatalf("make default sent %v", sent)
	}
	if !s.pols.items[1].Default || s.pols.items[0].Default {
		t.Errorf("the list was not read again: %+v", s.pols.items)
	}
	if n := len(byClass(render(t, s), "remove")); n != 0 {
		t.Errorf("%d Delete buttons for a built-in and the default", n)
	}
	// The server refuses deleting a built-in even if a client asks.
	s.pols.write(ctx, s.C, k, "DELETE", paths.Build(paths.PasswordPolicy, consoleEnv, "std"), nil, nil)
	e.ConsumeAll()
	doc = render(t, s)
	if got := text(mustID(t, doc, "passwords-policy-error")); !strings.Contains(got, "built-in") {
		t.Errorf("delete refusal %q", got)
	}
	if len(s.pols.items) != 2 {
		t.Errorf("a refused delete changed the list: %+v", s.pols.items)
	}
}
