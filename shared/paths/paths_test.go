package paths

import "testing"

func TestBuild(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		params  []string
		want    string
	}{
		{"two_params", User, []string{"e", "u"}, "/v1/environments/e/users/u"},
		{"env_first", Authorize, []string{"e"}, "/e/as/authorize"},
		{"missing_param_kept", Device, []string{"e"}, "/v1/environments/e/users/:userId/devices/:deviceId"},
		{"no_params", Healthz, nil, "/healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Build(tt.pattern, tt.params...); got != tt.want {
				t.Fatalf("Build = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestActionOf(t *testing.T) {
	tests := []struct{ name, ct, want string }{
		{"otp_check", ActionOTPCheck, "otp.check"},
		{"with_charset", ActionUsernamePassword + "; charset=utf-8", "usernamePassword.check"},
		{"upper_case_prefix", "Application/VND.pingidentity.device.select+JSON", "device.select"},
		{"plain_json", JSON, ""},
		{"empty_action", "application/vnd.pingidentity.+json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ActionOf(tt.ct); got != tt.want {
				t.Fatalf("ActionOf(%q) = %q, want %q", tt.ct, got, tt.want)
			}
		})
	}
}
