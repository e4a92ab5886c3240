//go:build !js

package apiclient

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestCreateDeviceSendsNickname(t *testing.T) {
	const sub = "0d8f5d0a-7c1e-4b9e-8f3f-7f0b8c6b2a10"
	tests := []struct {
		name string
		body any
		want map[string]any
	}{
		{name: "email", body: NewEmailDevice{Type: resource.DeviceEmail, Email: "a@example.com", Nickname: "Work"},
			want: map[string]any{"type": "EMAIL", "email": "a@example.com", "nickname": "Work"}},
		{name: "fido2", body: NewFIDO2Device{Type: resource.DeviceFIDO2, Kind: resource.FIDO2Platform, Nickname: "Laptop"},
			want: map[string]any{"type": "FIDO2", "kind": "PLATFORM", "nickname": "Laptop"}},
		{name: "noNickname", body: NewTOTPDevice{Type: resource.DeviceTOTP},
			want: map[string]any{"type": "TOTP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != "POST" || r.URL.Path != paths.Build(paths.Devices, env, sub) || r.Header.Get("Content-Type") != paths.JSON ||
					r.Header.Get("Authorization") != "Bearer tok" {
					t.Errorf("got %s %s %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
				}
				var got map[string]any
				_ = json.NewDecoder(r.Body).Decode(&got)
				if len(got) != len(tt.want) {
					t.Errorf("body = %v, want %v", got, tt.want)
				}
				for k, v := range tt.want {
					if got[k] != v {
						t.Errorf("body[%s] = %v, want %v", k, got[k], v)
					}
				}
				writeJSON(w, 201, resource.Device{ID: "d9", Type: got["type"].(string), Status: resource.DeviceActivationRequired})
			})
			d, err := c.CreateDevice(context.Background(), sub, "tok", tt.body)
			if err != nil || d.ID != "d9" {
				t.Fatalf("CreateDevice = %+v, %v", d, err)
			}
		})
	}
}

func TestGetConfigPairing(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"environmentId": env, "clientId": "cid", "publicUrl": "https://id.example",
			"pairing": map[string]any{"disabled": true, "promptForNickname": true, "methods": []string{"EMAIL", "TOTP"}}})
	})
	cfg, err := c.GetConfig(context.Background())
	if err != nil || cfg.Pairing == nil || !cfg.Pairing.Disabled || !cfg.Pairing.PromptForNickname ||
		!slices.Equal(cfg.Pairing.Methods, []string{"EMAIL", "TOTP"}) {
		t.Fatalf("GetConfig = %+v, %v", cfg.Pairing, err)
	}
}
