package config

import (
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string // substrings; empty: no error
		check   func(t *testing.T, c Config)
	}{
		{
			name: "defaults",
			check: func(t *testing.T, c Config) {
				if c.Addr != ":8080" || c.PublicURL != "http://localhost:8080" || c.DataDir != "./data" {
					t.Fatalf("defaults: %+v", c)
				}
			},
		},
		{
			name: "flag_beats_env",
			args: []string{"-addr", "127.0.0.1:9000"},
			env:  map[string]string{"ADDR": ":7000", "PUBLIC_URL": "https://id.example.com/"},
			check: func(t *testing.T, c Config) {
				if c.Addr != "127.0.0.1:9000" || c.PublicURL != "https://id.example.com" || !c.Secure() {
					t.Fatalf("got %+v", c)
				}
			},
		},
		{
			name: "every_problem_listed",
			env: map[string]string{
				"ADDR": "nonsense", "MONGODB_URI": "postgres://x", "MAIL_SMTP_URL": "http://mail",
				"MYACCOUNT_BOOTSTRAP_CLIENT_ID": "not-a-uuid", "LOG_LEVEL": "loud", "TRUSTED_PROXIES": "10.0.0.0/8,bogus",
			},
			wantErr: []string{"ADDR", "MONGODB_URI", "MYACCOUNT_SECRET_KEY is required", "MAIL_SMTP_URL",
				"go together", "must be a UUID", "LOG_LEVEL", "bogus"},
		},
		{
			name:    "same_env_ids",
			env:     map[string]string{"MYACCOUNT_ADMIN_ENV_ID": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "MYACCOUNT_DEFAULT_ENV_ID": "3F2504E0-4F89-11D3-9A0C-0305E82C3301"},
			wantErr: []string{"must differ"},
		},
		{
			name:    "short_bootstrap_secret",
			env:     map[string]string{"MYACCOUNT_BOOTSTRAP_CLIENT_ID": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "MYACCOUNT_BOOTSTRAP_CLIENT_SECRET": "short"},
			wantErr: []string{"at least 32"},
		},
		{
			name:    "public_url_with_query",
			env:     map[string]string{"PUBLIC_URL": "https://x.example.com/?a=b"},
			wantErr: []string{"PUBLIC_URL"},
		},
		{
			name:    "geoip_db_missing",
			env:     map[string]string{"GEOIP_DB": "/nonexistent/GeoLite2-City.mmdb"},
			wantErr: []string{"GEOIP_DB", "no such file"},
		},
		{
			name:    "geoip_db_directory",
			env:     map[string]string{"GEOIP_DB": "."},
			wantErr: []string{"GEOIP_DB", "not a directory"},
		},
		{
			name: "geoip_db_flag",
			args: []string{"-geoip-db", "config_test.go"},
			check: func(t *testing.T, c Config) {
				if c.GeoIPDB != "config_test.go" {
					t.Fatalf("GeoIPDB = %q", c.GeoIPDB)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args, func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				tt.check(t, c)
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
