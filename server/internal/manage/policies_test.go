package manage

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestSignOnPolicy(t *testing.T) {
	h := newHarness(t)
	var l resource.List[resource.SignOnPolicy]
	h.do(http.MethodGet, paths.Build(paths.SignOnPolicies, defaultEnv), "readOnly", "").decode(t, &l)
	ps := l.Embedded["signOnPolicies"]
	if len(ps) != 1 || ps[0].ID != policyID || ps[0].Kind != resource.PolicyPasswordMFA || !ps[0].Default ||
		!ps[0].EnrollDuringSignOn || ps[0].DeviceSelection != resource.SelectDefaultToFirst {
		t.Fatalf("policies %+v", ps)
	}
	policy := paths.Build(paths.SignOnPolicy, defaultEnv, policyID)
	var p resource.SignOnPolicy
	h.do(http.MethodGet, policy, "readOnly", "").decode(t, &p)
	if snapshot(t, p) != snapshot(t, ps[0]) {
		t.Fatalf("GET one %+v differs from the list's", p)
	}

	res := h.do(http.MethodPut, policy, "envAdmin",
		`{"kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"PROMPT_TO_SELECT","name":"Relaxed"}`)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	got := h.env(defaultEnv).SignOnPolicy
	if got.MFA || got.EnrollDuringSignOn || got.DeviceSelection != resource.SelectPrompt || got.Name != "Relaxed" ||
		got.ID != policyID || !got.UpdatedAt.Equal(h.now) {
		t.Fatalf("stored policy %+v", got)
	}
	// Sent back as read, with the kind switched: read-only fields equal to
	// the stored ones are fine, and the name stays when left out.
	m := h.do(http.MethodGet, policy, "star", "").json(t)
	m["kind"] = resource.PolicyPasswordMFA
	delete(m, "name")
	if res := h.do(http.MethodPut, policy, "star", snapshot(t, m)); res.status != http.StatusOK {
		t.Fatalf("round trip: %d %s", res.status, res.body)
	}
	if got := h.env(defaultEnv).SignOnPolicy; !got.MFA || got.Name != "Relaxed" {
		t.Fatalf("stored policy %+v", got)
	}
	n := 0
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionPolicyUpdated && e.Details["policy"] == "signOnPolicy" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d POLICY_UPDATED events, want 2", n)
	}

	refused := []struct {
		name string
		body string
		want []string
	}{
		{"missing_everything", `{}`, []string{"kind:REQUIRED_VALUE", "enrollDuringSignOn:REQUIRED_VALUE", "deviceSelection:REQUIRED_VALUE"}},
		{"bad_values", `{"kind":"MFA_ONLY","enrollDuringSignOn":"yes","deviceSelection":"RANDOM"}`,
			[]string{"kind:INVALID_VALUE", "enrollDuringSignOn:INVALID_VALUE", "deviceSelection:INVALID_VALUE"}},
		{"operator", `{"kind":{"$ne":""},"enrollDuringSignOn":true,"deviceSelection":"PROMPT_TO_SELECT"}`, []string{"kind:INVALID_VALUE"}},
		{"other_id", `{"id":"` + missingID + `","kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"PROMPT_TO_SELECT"}`, []string{"id:READ_ONLY"}},
		{"null_kind", `{"kind":null,"enrollDuringSignOn":true,"deviceSelection":"PROMPT_TO_SELECT"}`, []string{"kind:REQUIRED_VALUE"}},
		{"unknown", `{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"PROMPT_TO_SELECT","mfaMethods":[]}`, []string{"mfaMethods:UNKNOWN_ATTRIBUTE"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			res := h.do(http.MethodPut, policy, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if got := res.targets(t); !slices.Equal(got, tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused PUT changed the environment")
			}
		})
	}
}

const goodMFA = `{"otp":{"length":8,"lifetimeSeconds":300,"failureCount":5,"coolDownSeconds":60},` +
	`"methods":["EMAIL","TOTP"],"pairing":{"maxAllowedDevices":3}}`

func TestMFASettings(t *testing.T) {
	h := newHarness(t)
	mfa := paths.Build(paths.MFASettings, defaultEnv)
	res := h.do(http.MethodPut, mfa, "worker", goodMFA)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	want := store.MFASettings{OTPLength: 8, OTPLifetime: 300, OTPFailureCount: 5, OTPCoolDown: 60,
		Methods: []string{"EMAIL", "TOTP"}, MaxAllowedDevices: 3, UpdatedAt: h.now}
	if got := h.env(defaultEnv).MFASettings; snapshot(t, got) != snapshot(t, want) {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	var m resource.MFASettings
	h.do(http.MethodGet, mfa, "idAdmin", "").decode(t, &m)
	if m.OTP.Length != 8 || m.Pairing.MaxAllowedDevices != 3 || !slices.Equal(m.Methods, want.Methods) {
		t.Fatalf("GET %+v", m)
	}
	// What GET shows can be sent back as it is.
	if res := h.do(http.MethodPut, mfa, "star", snapshot(t, m)); res.status != http.StatusOK {
		t.Fatalf("round trip: %d %s", res.status, res.body)
	}

	refused := []struct {
		name string
		body string
		want []string
	}{
		{"every_bound", `{"otp":{"length":5,"lifetimeSeconds":1801,"failureCount":0,"coolDownSeconds":29},` +
			`"methods":["EMAIL"],"pairing":{"maxAllowedDevices":16}}`,
			[]string{"otp.length:INVALID_VALUE", "otp.lifetimeSeconds:INVALID_VALUE", "otp.failureCount:INVALID_VALUE",
				"otp.coolDownSeconds:INVALID_VALUE", "pairing.maxAllowedDevices:INVALID_VALUE"}},
		{"upper_bounds", `{"otp":{"length":11,"lifetimeSeconds":59,"failureCount":8,"coolDownSeconds":1801},` +
			`"methods":["EMAIL"],"pairing":{"maxAllowedDevices":0}}`,
			[]string{"otp.length:INVALID_VALUE", "otp.lifetimeSeconds:INVALID_VALUE", "otp.failureCount:INVALID_VALUE",
				"otp.coolDownSeconds:INVALID_VALUE", "pairing.maxAllowedDevices:INVALID_VALUE"}},
		{"wrong_types", `{"otp":{"length":"8","lifetimeSeconds":300.5,"failureCount":{"$gt":0},"coolDownSeconds":null},` +
			`"methods":"EMAIL","pairing":[]}`,
			[]string{"otp.coolDownSeconds:REQUIRED_VALUE", "otp.length:INVALID_VALUE", "otp.lifetimeSeconds:INVALID_VALUE",
				"otp.failureCount:INVALID_VALUE", "methods:INVALID_VALUE", "pairing:INVALID_VALUE"}},
		{"methods", `{"otp":{"length":6,"lifetimeSeconds":600,"failureCount":3,"coolDownSeconds":120},` +
			`"methods":["SMS","SMS","PUSH"],"pairing":{"maxAllowedDevices":5}}`,
			[]string{"methods[1]:INVALID_VALUE", "methods[2]:INVALID_VALUE", "methods:INVALID_VALUE"}},
		{"missing", `{"otp":{}}`,
			[]string{"methods:REQUIRED_VALUE", "pairing:REQUIRED_VALUE", "otp.length:REQUIRED_VALUE",
				"otp.lifetimeSeconds:REQUIRED_VALUE", "otp.failureCount:REQUIRED_VALUE", "otp.coolDownSeconds:REQUIRED_VALUE"}},
		{"unknown_nested", strings.Replace(goodMFA, `"length":8`, `"length":8,"alphabet":"hex"`, 1), []string{"otp.alphabet:UNKNOWN_ATTRIBUTE"}},
		{"updated_at", strings.Replace(goodMFA, `"methods"`, `"updatedAt":"2001-01-01T00:00:00Z","methods"`, 1), []string{"updatedAt:READ_ONLY"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			res := h.do(http.MethodPut, mfa, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			got := res.targets(t)
			mustContain(t, got, tt.want...)
			if len(got) != len(tt.want) {
				t.Fatalf("details %v, want one per bad field: %v", got, tt.want)
			}
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused PUT changed the environment")
			}
		})
	}
}

// TestEnvironmentUpdateRetriesConflict: a concurrent change to another part
// of the environment is kept when the PUT retries.
func TestEnvironmentUpdateRetriesConflict(t *testing.T) {
	h := newHarness(t)
	h.store.beforeUpdateEnv = func(*store.Environment) {
		h.store.beforeUpdateEnv = nil
		e := h.env(defaultEnv)
		e.SelfService.ViewAgreements = true
		if err := h.store.Store.UpdateEnvironment(t.Context(), e); err != nil {
			t.Fatalf("concurrent update: %v", err)
		}
	}
	if res := h.do(http.MethodPut, paths.Build(paths.MFASettings, defaultEnv), "star", goodMFA); res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	e := h.env(defaultEnv)
	if e.MFASettings.OTPLength != 8 || !e.SelfService.ViewAgreements {
		t.Fatalf("after the race: otp length %d, viewAgreements %v", e.MFASettings.OTPLength, e.SelfService.ViewAgreements)
	}
}

func TestSelfService(t *testing.T) {
	h := newHarness(t)
	ss := paths.Build(paths.SelfService, defaultEnv)
	var s resource.SelfService
	h.do(http.MethodGet, ss, "readOnly", "").decode(t, &s)
	if !s.ManageProfile || s.ManagePingIDDevices || s.ViewAgreements {
		t.Fatalf("GET %+v", s)
	}
	body := `{"manageProfile":false,"manageAuthentication":true,"managePingIdDevices":true,"changePassword":true,` +
		`"manageLinkedAccounts":false,"manageSessions":true,"viewAgreements":true,"manageOAuthConsents":false}`
	res := h.do(http.MethodPut, ss, "envAdmin", body)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	got := h.env(defaultEnv).SelfService
	if got.ManageProfile || !got.ManagePingIDDevices || !got.ViewAgreements || got.ManageOAuthConsents || !got.ChangePassword {
		t.Fatalf("stored %+v", got)
	}
	// The PingID switch turns on reduced scopes for the MyAccount application.
	app, err := h.store.GetApplication(t.Context(), defaultEnv, myAppID)
	if err != nil || !app.ReducedScopes {
		t.Fatalf("MyAccount application reduced scopes off: %+v %v", app, err)
	}
	var n int
	for _, e := range h.events(defaultEnv) {
		switch e.Action {
		case audit.ActionSelfServiceUpdated:
			n++
			on := strings.Split(e.Details["on"], ",")
			if !slices.Contains(on, "managePingIdDevices") || !slices.Contains(on, "changePassword") ||
				!slices.Contains(strings.Split(e.Details["off"], ","), "manageProfile") {
				t.Fatalf("event details %v", e.Details)
			}
		case audit.ActionApplicationUpdated:
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d events, want SELF_SERVICE_UPDATED and APPLICATION_UPDATED", n)
	}

	refused := []struct {
		name string
		body string
		want []string
	}{
		{"missing_one", strings.Replace(body, `"manageSessions":true,`, "", 1), []string{"manageSessions:REQUIRED_VALUE"}},
		{"wrong_type", strings.Replace(body, `"viewAgreements":true`, `"viewAgreements":1`, 1), []string{"viewAgreements:INVALID_VALUE"}},
		{"unknown", strings.Replace(body, `{`, `{"manageEverything":true,`, 1), []string{"manageEverything:UNKNOWN_ATTRIBUTE"}},
		{"not_object", `"on"`, nil},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			res := h.do(http.MethodPut, ss, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if tt.want != nil && !slices.Equal(res.targets(t), tt.want) {
				t.Fatalf("details %v, want %v", res.targets(t), tt.want)
			}
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused PUT changed the environment")
			}
		})
	}
}
