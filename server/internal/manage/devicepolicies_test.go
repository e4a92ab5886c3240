package manage

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestMFASettingsExtras(t *testing.T) {
	h := newHarness(t)
	mfa := paths.Build(paths.MFASettings, defaultEnv)
	var m resource.MFASettings
	h.do(http.MethodGet, mfa, "readOnly", "").decode(t, &m)
	// An environment stored before these settings shows their defaults.
	if m.Lockout.FailureCount != mfapolicy.DefaultLockoutFailures || m.Lockout.DurationSeconds != 900 ||
		m.TOTP.TimeWindowSteps != 1 || m.PromptForNicknameOnPairing || m.ExcludeEmailFromSignOn {
		t.Fatalf("defaults %+v", m)
	}

	body := strings.TrimSuffix(goodMFA, "}") + `,"promptForNicknameOnPairing":true,"lockout":{"failureCount":6,"durationSeconds":1200},` +
		`"totp":{"timeWindowSteps":0},"excludeEmailFromSignOn":true}`
	if res := h.do(http.MethodPut, mfa, "envAdmin", body); res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	s := h.env(defaultEnv).MFASettings
	if !s.PromptForNickname || s.LockoutFailureCount != 6 || s.LockoutDuration != 1200 || s.TOTPWindowSteps == nil ||
		*s.TOTPWindowSteps != 0 || !s.ExcludeEmailFromSignOn {
		t.Fatalf("stored %+v", s)
	}
	h.do(http.MethodGet, mfa, "idAdmin", "").decode(t, &m)
	if !m.PromptForNicknameOnPairing || m.Lockout.FailureCount != 6 || m.TOTP.TimeWindowSteps != 0 || !m.ExcludeEmailFromSignOn {
		t.Fatalf("GET %+v", m)
	}
	// A body in the first shape leaves them as they are.
	if res := h.do(http.MethodPut, mfa, "envAdmin", goodMFA); res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if got := h.env(defaultEnv).MFASettings; snapshot(t, got) != snapshot(t, s) {
		t.Fatalf("first-shape PUT changed the extras: %+v", got)
	}
	// What GET shows goes back as it is.
	if res := h.do(http.MethodPut, mfa, "star", snapshot(t, m)); res.status != http.StatusOK {
		t.Fatalf("round trip: %d %s", res.status, res.body)
	}
	ev := h.events(defaultEnv)[0]
	if ev.Action != audit.ActionPolicyUpdated || ev.Details["lockoutFailureCount"] != "6" || ev.Details["timeWindowSteps"] != "0" ||
		ev.Details["excludeEmailFromSignOn"] != "true" {
		t.Fatalf("event %+v", ev)
	}

	with := func(extra string) string { return strings.TrimSuffix(goodMFA, "}") + "," + extra + "}" }
	refused := []struct {
		name string
		body string
		want []string
	}{
		{"lockout_low", with(`"lockout":{"failureCount":0,"durationSeconds":29}`),
			[]string{"lockout.failureCount:INVALID_VALUE", "lockout.durationSeconds:INVALID_VALUE"}},
		{"lockout_high", with(`"lockout":{"failureCount":101,"durationSeconds":86401}`),
			[]string{"lockout.failureCount:INVALID_VALUE", "lockout.durationSeconds:INVALID_VALUE"}},
		{"lockout_missing", with(`"lockout":{"durationSeconds":60,"window":3}`),
			[]string{"lockout.failureCount:REQUIRED_VALUE", "lockout.window:UNKNOWN_ATTRIBUTE"}},
		{"lockout_null", with(`"lockout":null`), []string{"lockout:INVALID_VALUE"}},
		{"totp_high", with(`"totp":{"timeWindowSteps":3}`), []string{"totp.timeWindowSteps:INVALID_VALUE"}},
		{"totp_negative", with(`"totp":{"timeWindowSteps":-1}`), []string{"totp.timeWindowSteps:INVALID_VALUE"}},
		{"totp_string", with(`"totp":{"timeWindowSteps":"1"}`), []string{"totp.timeWindowSteps:INVALID_VALUE"}},
		{"totp_not_object", with(`"totp":1`), []string{"totp:INVALID_VALUE"}},
		{"switches_not_bool", with(`"excludeEmailFromSignOn":"yes","promptForNicknameOnPairing":null`),
			[]string{"excludeEmailFromSignOn:INVALID_VALUE", "promptForNicknameOnPairing:INVALID_VALUE"}},
		{"one_bad_field_saves_nothing", strings.Replace(with(`"totp":{"timeWindowSteps":9}`), `"length":8`, `"length":7`, 1),
			[]string{"totp.timeWindowSteps:INVALID_VALUE"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			res := h.do(http.MethodPut, mfa, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			got := res.targets(t)
			mustContain(t, got, tt.want...)
			if len(got) != len(tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused PUT changed the environment")
			}
		})
	}
}

const strictPolicy = `{"name":"Strict","sms":{"enabled":false},"voice":{"enabled":false},"email":{"enabled":true},` +
	`"totp":{"enabled":true},"fido2":{"enabled":true},"authentication":{"deviceSelection":"ALWAYS_DISPLAY_DEVICES"},` +
	`"otp":{"failure":{"count":2,"coolDown":{"duration":5,"timeUnit":"MINUTES"}}}}`

func TestDeviceAuthPolicies(t *testing.T) {
	h := newHarness(t)
	list := paths.Build(paths.DeviceAuthPolicies, defaultEnv)
	defID := mfapolicy.DefaultID(defaultEnv)
	one := func(id string) string { return paths.Build(paths.DeviceAuthPolicy, defaultEnv, id) }

	// An environment stored before policies shows the built-in default.
	var l resource.List[resource.DeviceAuthPolicy]
	h.do(http.MethodGet, list, "readOnly", "").decode(t, &l)
	ps := l.Embedded["deviceAuthenticationPolicies"]
	if len(ps) != 1 || ps[0].ID != defID || !ps[0].Default || ps[0].Name != "Default" || !ps[0].SMS.Enabled ||
		!ps[0].Email.Enabled || !ps[0].FIDO2.Enabled || !ps[0].RecoveryCodes.Enabled || ps[0].OTP != nil ||
		ps[0].Authentication.DeviceSelection != resource.SelectDefaultToFirst || ps[0].Environment.ID != defaultEnv {
		t.Fatalf("built-in policies %+v", ps)
	}
	var got resource.DeviceAuthPolicy
	h.do(http.MethodGet, one(defID), "idAdmin", "").decode(t, &got)
	if snapshot(t, got) != snapshot(t, ps[0]) {
		t.Fatalf("GET one %+v differs from the list's", got)
	}
	if len(h.env(defaultEnv).DeviceAuthPolicies) != 0 {
		t.Fatal("reading stored the built-in policy")
	}

	// Create: the built-in default is stored beside the new policy.
	res := h.do(http.MethodPost, list, "envAdmin", strictPolicy)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var strict resource.DeviceAuthPolicy
	res.decode(t, &strict)
	if res.header.Get("Location") != strict.Links["self"].Href || strict.Default || strict.SMS.Enabled || !strict.TOTP.Enabled ||
		!strict.RecoveryCodes.Enabled || strict.Authentication.DeviceSelection != resource.SelectAlwaysDisplay ||
		strict.OTP == nil || strict.OTP.Failure.Count != 2 || strict.OTP.Failure.CoolDown != (resource.TimeAmount{Duration: 5, TimeUnit: "MINUTES"}) {
		t.Fatalf("created %+v (Location %s)", strict, res.header.Get("Location"))
	}
	stored := h.env(defaultEnv).DeviceAuthPolicies
	if len(stored) != 2 || stored[0].ID != defID || !stored[0].Default || stored[1].ID != strict.ID ||
		!slices.Equal(stored[1].Methods, []string{"EMAIL", "TOTP", "FIDO2"}) || stored[1].OTPCoolDown != 300 {
		t.Fatalf("stored %+v", stored)
	}
	eff, err := mfapolicy.For(h.env(defaultEnv), strict.ID)
	if err != nil || eff.OTPFailure.Max != 2 || !slices.Equal(eff.Methods, []string{"EMAIL"}) {
		t.Fatalf("effective %+v, %v (the settings list only EMAIL)", eff, err)
	}

	// Read back and sent back as read: unchanged.
	h.do(http.MethodGet, one(strict.ID), "readOnly", "").decode(t, &got)
	if res := h.do(http.MethodPut, one(strict.ID), "star", snapshot(t, got)); res.status != http.StatusOK {
		t.Fatalf("round trip: %d %s", res.status, res.body)
	}
	if after := h.env(defaultEnv).DeviceAuthPolicies[1]; after.OTPFailureCount != 2 || after.DeviceSelection != resource.SelectAlwaysDisplay {
		t.Fatalf("round trip changed %+v", after)
	}

	// PUT makes it the default; the other one stops being it. otp null
	// goes back to mfaSettings' rule; a left-out selection is the first.
	res = h.do(http.MethodPut, one(strict.ID), "worker", `{"name":"Strict 2","default":true,"sms":{"enabled":true},`+
		`"voice":{"enabled":false},"email":{"enabled":false},"totp":{"enabled":true},"fido2":{"enabled":false},`+
		`"recoveryCodes":{"enabled":false},"otp":null}`)
	if res.status != http.StatusOK {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	stored = h.env(defaultEnv).DeviceAuthPolicies
	if stored[0].Default || !stored[1].Default || stored[1].Name != "Strict 2" || stored[1].RecoveryCodes ||
		stored[1].OTPFailureCount != 0 || stored[1].DeviceSelection != resource.SelectDefaultToFirst ||
		!slices.Equal(stored[1].Methods, []string{"SMS", "TOTP"}) {
		t.Fatalf("after PUT %+v", stored)
	}
	if p, _ := mfapolicy.For(h.env(defaultEnv), ""); p.ID != strict.ID {
		t.Fatalf("default policy %s, want %s", p.ID, strict.ID)
	}

	// The default cannot be deleted; the others can.
	res = h.do(http.MethodDelete, one(strict.ID), "envAdmin", "")
	if res.status != http.StatusBadRequest || res.code(t) != apierr.RequestFailed {
		t.Fatalf("delete default: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodDelete, one(defID), "envAdmin", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodGet, one(defID), "envAdmin", ""); res.status != http.StatusNotFound {
		t.Fatalf("deleted policy read: %d", res.status)
	}
	if res := h.do(http.MethodDelete, one(defID), "envAdmin", ""); res.status != http.StatusNotFound {
		t.Fatalf("deleted twice: %d", res.status)
	}
	if n := len(h.env(defaultEnv).DeviceAuthPolicies); n != 1 {
		t.Fatalf("%d policies left, want 1", n)
	}

	var actions []string
	for _, e := range h.events(defaultEnv) {
		if e.Details["policy"] == "deviceAuthenticationPolicy" {
			actions = append(actions, e.Action)
		}
	}
	if !slices.Equal(actions, []string{audit.ActionPolicyDeleted, audit.ActionPolicyUpdated, audit.ActionPolicyUpdated, audit.ActionPolicyCreated}) {
		t.Fatalf("events %v", actions)
	}
}

func TestDeviceAuthPolicyRefused(t *testing.T) {
	h := newHarness(t)
	list := paths.Build(paths.DeviceAuthPolicies, defaultEnv)
	defID := mfapolicy.DefaultID(defaultEnv)
	if res := h.do(http.MethodPost, list, "envAdmin", strictPolicy); res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	five := `"sms":{"enabled":true},"voice":{"enabled":true},"email":{"enabled":true},"totp":{"enabled":true},"fido2":{"enabled":true}`
	refused := []struct {
		name   string
		method string
		path   string
		body   string
		want   []string
	}{
		{"missing_everything", http.MethodPost, list, `{}`, []string{"name:REQUIRED_VALUE", "sms:REQUIRED_VALUE",
			"voice:REQUIRED_VALUE", "email:REQUIRED_VALUE", "totp:REQUIRED_VALUE", "fido2:REQUIRED_VALUE"}},
		{"name_taken", http.MethodPost, list, `{"name":"STRICT",` + five + `}`, []string{"name:UNIQUENESS_VIOLATION"}},
		{"name_empty", http.MethodPost, list, `{"name":" ",` + five + `}`, []string{"name:INVALID_VALUE"}},
		{"wrong_types", http.MethodPost, list, `{"name":1,"default":"yes","sms":{"enabled":"on"},"voice":true,` +
			`"email":null,"totp":{},"fido2":{"enabled":true,"otp":{}}}`, []string{"name:INVALID_VALUE", "default:INVALID_VALUE",
			"sms.enabled:INVALID_VALUE", "voice:INVALID_VALUE", "email:REQUIRED_VALUE", "totp.enabled:REQUIRED_VALUE",
			"fido2.otp:UNKNOWN_ATTRIBUTE"}},
		{"nothing_enabled", http.MethodPost, list, `{"name":"None",` + strings.ReplaceAll(five, "true", "false") + `}`, []string{":INVALID_VALUE"}},
		{"selection", http.MethodPost, list, `{"name":"X",` + five + `,"authentication":{"deviceSelection":"RANDOM","x":1}}`,
			[]string{"authentication.deviceSelection:INVALID_VALUE", "authentication.x:UNKNOWN_ATTRIBUTE"}},
		{"otp_bounds", http.MethodPost, list, `{"name":"X",` + five + `,"otp":{"failure":{"count":8,"coolDown":{"duration":10,"timeUnit":"SECONDS"}}}}`,
			[]string{"otp.failure.count:INVALID_VALUE", "otp.failure.coolDown.duration:INVALID_VALUE"}},
		{"otp_long", http.MethodPost, list, `{"name":"X",` + five + `,"otp":{"failure":{"count":1,"coolDown":{"duration":31,"timeUnit":"MINUTES"}}}}`,
			[]string{"otp.failure.coolDown.duration:INVALID_VALUE"}},
		{"otp_unit", http.MethodPost, list, `{"name":"X",` + five + `,"otp":{"failure":{"count":3,"coolDown":{"duration":1,"timeUnit":"HOURS"}}}}`,
			[]string{"otp.failure.coolDown.timeUnit:INVALID_VALUE"}},
		{"otp_missing", http.MethodPost, list, `{"name":"X",` + five + `,"otp":{"failure":{}}}`,
			[]string{"otp.failure.count:REQUIRED_VALUE", "otp.failure.coolDown:REQUIRED_VALUE"}},
		{"pingone_only_attributes", http.MethodPost, list, `{"name":"X",` + five + `,"mobile":{"enabled":false}}`,
			[]string{"mobile:UNKNOWN_ATTRIBUTE"}},
		{"read_only_on_create", http.MethodPost, list, `{"name":"X",` + five + `,"id":"` + missingID + `"}`, []string{"id:READ_ONLY"}},
		{"put_default_off", http.MethodPut, paths.Build(paths.DeviceAuthPolicy, defaultEnv, defID), `{"name":"Default","default":false,` + five + `}`,
			[]string{"default:INVALID_VALUE"}},
		{"put_other_id", http.MethodPut, paths.Build(paths.DeviceAuthPolicy, defaultEnv, defID), `{"name":"Default","id":"` + missingID + `",` + five + `}`,
			[]string{"id:READ_ONLY"}},
		{"put_name_taken", http.MethodPut, paths.Build(paths.DeviceAuthPolicy, defaultEnv, defID), `{"name":"strict",` + five + `}`,
			[]string{"name:UNIQUENESS_VIOLATION"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			res := h.do(tt.method, tt.path, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			got := res.targets(t)
			mustContain(t, got, tt.want...)
			if len(got) != len(tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused write changed the environment")
			}
		})
	}

	others := []struct {
		name      string
		principal string
		method    string
		path      string
		body      string
		want      int
	}{
		{"unknown_policy", "envAdmin", http.MethodPut, paths.Build(paths.DeviceAuthPolicy, defaultEnv, missingID), `{}`, http.StatusNotFound},
		{"other_environment_policy", "star", http.MethodGet, paths.Build(paths.DeviceAuthPolicy, otherEnv, defID), "", http.StatusNotFound},
		{"other_environment_delete", "star", http.MethodDelete, paths.Build(paths.DeviceAuthPolicy, otherEnv, defID), "", http.StatusNotFound},
		{"missing_environment", "star", http.MethodPost, paths.Build(paths.DeviceAuthPolicies, missingEnv), strictPolicy, http.StatusNotFound},
		{"no_role_there", "envAdmin", http.MethodPost, paths.Build(paths.DeviceAuthPolicies, otherEnv), strictPolicy, http.StatusForbidden},
		{"not_json", "envAdmin", http.MethodPost, list, "name=x", http.StatusUnsupportedMediaType},
	}
	for _, tt := range others {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			var res response
			if tt.name == "not_json" {
				res = h.do(tt.method, tt.path, tt.principal, tt.body, "application/x-www-form-urlencoded")
			} else {
				res = h.do(tt.method, tt.path, tt.principal, tt.body)
			}
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused write changed the environment")
			}
		})
	}
}

// TestDeviceAuthPolicyLimit: at most store.MaxDeviceAuthPolicies.
func TestDeviceAuthPolicyLimit(t *testing.T) {
	h := newHarness(t)
	list := paths.Build(paths.DeviceAuthPolicies, defaultEnv)
	body := func(i int) string {
		return strings.Replace(strictPolicy, `"Strict"`, fmt.Sprintf(`"P%d"`, i), 1)
	}
	// The built-in default counts: 19 more make 20.
	for i := range 19 {
		if res := h.do(http.MethodPost, list, "envAdmin", body(i)); res.status != http.StatusCreated {
			t.Fatalf("create %d: %d %s", i, res.status, res.body)
		}
	}
	res := h.do(http.MethodPost, list, "envAdmin", body(99))
	if res.status != http.StatusBadRequest || res.code(t) != apierr.RequestFailed ||
		!slices.Equal(res.targets(t), []string{"deviceAuthenticationPolicies:LIMIT_EXCEEDED"}) {
		t.Fatalf("21st policy: %d %s", res.status, res.body)
	}
	if n := len(h.env(defaultEnv).DeviceAuthPolicies); n != 20 {
		t.Fatalf("%d policies, want 20", n)
	}
}
