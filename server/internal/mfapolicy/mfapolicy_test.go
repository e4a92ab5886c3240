package mfapolicy

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

const envID = "00000000-0000-4000-8000-00000000000d"

var (
	t0      = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	strict  = "00000000-0000-4000-8000-0000000000c1"
	allFive = []string{"EMAIL", "SMS", "VOICE", "TOTP", "FIDO2"}
)

func ptr(n int) *int { return &n }

// env is an environment whose MFA settings list every method, with the
// stored policies given (none: the built-in default applies).
func env(change func(e *store.Environment), policies ...store.DeviceAuthPolicy) *store.Environment {
	e := &store.Environment{ID: envID, CreatedAt: t0,
		SignOnPolicy: store.SignOnPolicy{DeviceSelection: resource.SelectDefaultToFirst},
		MFASettings: store.MFASettings{OTPLength: 6, OTPLifetime: 600, OTPFailureCount: 3, OTPCoolDown: 120,
			Methods: allFive, MaxAllowedDevices: 5},
		DeviceAuthPolicies: policies}
	if change != nil {
		change(e)
	}
	return e
}

func strictPolicy() store.DeviceAuthPolicy {
	return store.DeviceAuthPolicy{ID: strict, Name: "Strict", Methods: []string{"TOTP", "FIDO2", "EMAIL"},
		DeviceSelection: resource.SelectAlwaysDisplay, OTPFailureCount: 2, OTPCoolDown: 600}
}

func TestFor(t *testing.T) {
	def := Default(envID, t0)
	def.Methods = []string{"EMAIL", "SMS"}
	tests := []struct {
		name     string
		env      *store.Environment
		policyID string
		want     Policy
		wantErr  error
	}{
		{name: "builtin_default", env: env(nil), want: Policy{ID: DefaultID(envID), Methods: allFive, RecoveryCodes: true,
			DeviceSelection: resource.SelectDefaultToFirst,
			OTPFailure:      ratelimit.Rule{Name: "otp-user", Max: 3, Window: 120 * time.Second},
			Lockout:         ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration},
			TOTPWindow:      1}},
		{name: "settings_limit_methods", env: env(func(e *store.Environment) { e.MFASettings.Methods = []string{"TOTP", "EMAIL"} }),
			want: Policy{ID: DefaultID(envID), Methods: []string{"EMAIL", "TOTP"}, RecoveryCodes: true,
				DeviceSelection: resource.SelectDefaultToFirst,
				OTPFailure:      ratelimit.Rule{Name: "otp-user", Max: 3, Window: 120 * time.Second},
				Lockout:         ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration},
				TOTPWindow:      1}},
		{name: "email_excluded_from_sign_on", env: env(func(e *store.Environment) {
			e.MFASettings.ExcludeEmailFromSignOn = true
			e.MFASettings.LockoutFailureCount, e.MFASettings.LockoutDuration = 4, 60
			e.MFASettings.TOTPWindowSteps = ptr(0)
		}), want: Policy{ID: DefaultID(envID), Methods: []string{"SMS", "VOICE", "TOTP", "FIDO2"}, RecoveryCodes: true,
			DeviceSelection: resource.SelectDefaultToFirst,
			OTPFailure:      ratelimit.Rule{Name: "otp-user", Max: 3, Window: 120 * time.Second},
			Lockout:         ratelimit.Rule{Name: "mfa-lockout", Max: 4, Window: time.Minute},
			TOTPWindow:      0}},
		{name: "stored_default_intersects", env: env(nil, strictPolicy(), def),
			want: Policy{ID: def.ID, Methods: []string{"EMAIL", "SMS"}, RecoveryCodes: true,
				DeviceSelection: resource.SelectDefaultToFirst,
				OTPFailure:      ratelimit.Rule{Name: "otp-user", Max: 3, Window: 120 * time.Second},
				Lockout:         ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration},
				TOTPWindow:      1}},
		{name: "named_policy_overrides_otp", env: env(func(e *store.Environment) {
			e.MFASettings.Methods = []string{"EMAIL", "TOTP"}
			e.MFASettings.TOTPWindowSteps = ptr(2)
		}, def, strictPolicy()), policyID: strict,
			want: Policy{ID: strict, Methods: []string{"EMAIL", "TOTP"}, DeviceSelection: resource.SelectAlwaysDisplay,
				OTPFailure: ratelimit.Rule{Name: "otp-user", Max: 2, Window: 600 * time.Second},
				Lockout:    ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration},
				TOTPWindow: 2}},
		{name: "unknown_policy", env: env(nil, def), policyID: "00000000-0000-4000-8000-0000000000ff", wantErr: ErrUnknownPolicy},
		{name: "builtin_default_by_id", env: env(nil), policyID: DefaultID(envID),
			want: Policy{ID: DefaultID(envID), Methods: allFive, RecoveryCodes: true, DeviceSelection: resource.SelectDefaultToFirst,
				OTPFailure: ratelimit.Rule{Name: "otp-user", Max: 3, Window: 120 * time.Second},
				Lockout:    ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration},
				TOTPWindow: 1}},
		{name: "other_environment_default_id", env: env(nil), policyID: DefaultID("00000000-0000-4000-8000-00000000000e"), wantErr: ErrUnknownPolicy},
		{name: "bad_stored_values_clamped", env: env(func(e *store.Environment) {
			e.MFASettings.OTPFailureCount, e.MFASettings.OTPCoolDown = 0, 0
			e.MFASettings.TOTPWindowSteps = ptr(9)
		}, store.DeviceAuthPolicy{ID: strict, Default: true, Methods: []string{"PUSH", "SMS"}, DeviceSelection: "RANDOM"}),
			want: Policy{ID: strict, Methods: []string{"SMS"}, DeviceSelection: resource.SelectDefaultToFirst,
				OTPFailure: ratelimit.Rule{Name: "otp-user", Max: 1, Window: time.Second},
				Lockout:    ratelimit.Rule{Name: "mfa-lockout", Max: DefaultLockoutFailures, Window: DefaultLockoutDuration},
				TOTPWindow: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := For(tt.env, tt.policyID)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if !equal(got, tt.want) {
				t.Fatalf("For =\n%+v, want\n%+v", got, tt.want)
			}
		})
	}
}

func equal(a, b Policy) bool {
	return a.ID == b.ID && slices.Equal(a.Methods, b.Methods) && a.RecoveryCodes == b.RecoveryCodes &&
		a.DeviceSelection == b.DeviceSelection && a.OTPFailure == b.OTPFailure && a.Lockout == b.Lockout &&
		a.TOTPWindow == b.TOTPWindow
}

func TestForSignOn(t *testing.T) {
	prompt := Default(envID, t0)
	prompt.DeviceSelection = resource.SelectPrompt
	tests := []struct {
		name     string
		signOn   string
		policies []store.DeviceAuthPolicy
		want     string
	}{
		{name: "both_default", signOn: resource.SelectDefaultToFirst, want: resource.SelectDefaultToFirst},
		{name: "sign_on_policy_prompts", signOn: resource.SelectPrompt, want: resource.SelectPrompt},
		{name: "device_policy_prompts", signOn: resource.SelectDefaultToFirst, policies: []store.DeviceAuthPolicy{prompt}, want: resource.SelectPrompt},
		{name: "always_display_wins", signOn: resource.SelectPrompt,
			policies: []store.DeviceAuthPolicy{{ID: strict, Default: true, DeviceSelection: resource.SelectAlwaysDisplay}},
			want:     resource.SelectAlwaysDisplay},
		{name: "empty_sign_on_policy", signOn: "", want: resource.SelectDefaultToFirst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(func(e *store.Environment) { e.SignOnPolicy.DeviceSelection = tt.signOn }, tt.policies...)
			if got := ForSignOn(e).DeviceSelection; got != tt.want {
				t.Fatalf("DeviceSelection %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPrompt(t *testing.T) {
	tests := []struct {
		name string
		mode string
		n    int
		want bool
	}{
		{"first_one", resource.SelectDefaultToFirst, 1, false},
		{"first_many", resource.SelectDefaultToFirst, 3, false},
		{"prompt_one", resource.SelectPrompt, 1, false},
		{"prompt_two", resource.SelectPrompt, 2, true},
		{"always_none", resource.SelectAlwaysDisplay, 0, false},
		{"always_one", resource.SelectAlwaysDisplay, 1, true},
		{"always_many", resource.SelectAlwaysDisplay, 4, true},
		{"unknown_mode", "RANDOM", 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Policy{DeviceSelection: tt.mode}).Prompt(tt.n); got != tt.want {
				t.Fatalf("Prompt(%d) under %s = %v", tt.n, tt.mode, got)
			}
		})
	}
}

func TestChallengeable(t *testing.T) {
	p := Policy{Methods: []string{"SMS", "TOTP"}}
	tests := []struct {
		name string
		d    store.Device
		want bool
	}{
		{"active_allowed", store.Device{Type: "SMS", Status: resource.DeviceActive}, true},
		{"active_not_allowed", store.Device{Type: "EMAIL", Status: resource.DeviceActive}, false},
		{"blocked", store.Device{Type: "TOTP", Status: resource.DeviceBlocked}, false},
		{"pending", store.Device{Type: "SMS", Status: resource.DeviceActivationRequired}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Challengeable(tt.d); got != tt.want {
				t.Fatalf("Challengeable(%+v) = %v", tt.d, got)
			}
		})
	}
}

func TestStricter(t *testing.T) {
	const first, prompt, always = resource.SelectDefaultToFirst, resource.SelectPrompt, resource.SelectAlwaysDisplay
	tests := []struct{ name, a, b, want string }{
		{"first_first", first, first, first},
		{"first_prompt", first, prompt, prompt},
		{"prompt_first", prompt, first, prompt},
		{"prompt_always", prompt, always, always},
		{"always_prompt", always, prompt, always},
		{"unknown_unknown", "X", "", first},
		{"unknown_prompt", "X", prompt, prompt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Stricter(tt.a, tt.b); got != tt.want {
				t.Fatalf("Stricter(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestTargets(t *testing.T) {
	p, err := For(env(nil), "")
	if err != nil {
		t.Fatal(err)
	}
	ts := p.Targets("u1")
	if len(ts) != 2 || ts[0].Key != "otp:u1" || ts[0].Rule != p.OTPFailure || ts[1].Key != "mfa-lockout:u1" || ts[1].Rule != p.Lockout {
		t.Fatalf("targets %+v", ts)
	}
}

// TestPoliciesCopy: the built-in default has a stable id per environment,
// and changing what Policies returns leaves the environment as it was.
func TestPoliciesCopy(t *testing.T) {
	e := env(nil)
	ps := Policies(e)
	if len(ps) != 1 || !ps[0].Default || ps[0].ID != DefaultID(envID) || ps[0].ID == DefaultID("00000000-0000-4000-8000-00000000000e") ||
		!slices.Equal(ps[0].Methods, allFive) || !ps[0].CreatedAt.Equal(t0) {
		t.Fatalf("built-in policies %+v", ps)
	}
	e = env(nil, strictPolicy())
	ps = Policies(e)
	ps[0].Methods[0] = "SMS"
	ps[0].Name = "changed"
	if e.DeviceAuthPolicies[0].Methods[0] != "TOTP" || e.DeviceAuthPolicies[0].Name != "Strict" {
		t.Fatalf("Policies shares memory with the environment: %+v", e.DeviceAuthPolicies[0])
	}
}
