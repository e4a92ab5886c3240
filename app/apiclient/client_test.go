//go:build !js

package apiclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const env = "6c0e7f5e-1d7a-4a57-9a55-0f1f6c7e9a11"

// newClient returns a Client talking to handler over real HTTP.
func newClient(t *testing.T, handler http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return New(Config{BaseURL: srv.URL, EnvironmentID: env, Transport: HTTPTransport{Client: srv.Client()}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func TestGetConfig(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" || r.URL.Path != "/"+env+"/myaccount/config.json" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		writeJSON(w, 200, resource.AppConfig{EnvironmentID: env, ClientID: "cid", PublicURL: "https://id.example"})
	})
	cfg, err := c.GetConfig(context.Background())
	if err != nil || cfg.ClientID != "cid" || cfg.PublicURL != "https://id.example" {
		t.Fatalf("GetConfig = %+v, %v", cfg, err)
	}
}

func TestFlowAction(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != paths.Build(paths.Flow, env, "f1") {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); ct != paths.ActionOTPCheck {
			t.Errorf("Content-Type = %q, want %q", ct, paths.ActionOTPCheck)
		}
		var body resource.OTPCheck
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.OTP != "123456" {
			t.Errorf("body = %+v, %v", body, err)
		}
		writeJSON(w, 200, resource.Flow{ID: "f1", Status: resource.FlowCompleted, ResumeURL: "/" + env + "/as/resume?flowId=f1"})
	})
	f, err := c.FlowAction(context.Background(), "f1", resource.ActionOTPCheck, resource.OTPCheck{OTP: "123456"})
	if err != nil || f.Status != resource.FlowCompleted || f.ResumeURL == "" {
		t.Fatalf("FlowAction = %+v, %v", f, err)
	}
}

func TestGetFlowEmbeddedDevices(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"id":"f1","status":"OTP_REQUIRED","selectedDevice":{"id":"d2"},
			"_embedded":{"devices":[{"id":"d1","type":"EMAIL","status":"ACTIVE","email":"a***@x.io"},{"id":"d2","type":"EMAIL","status":"ACTIVE","email":"b***@x.io"}]}}`)
	})
	f, err := c.GetFlow(context.Background(), "f1")
	if err != nil {
		t.Fatal(err)
	}
	if f.Embedded == nil || len(f.Embedded.Devices) != 2 || f.SelectedDevice.ID != "d2" || f.Embedded.Devices[1].Email != "b***@x.io" {
		t.Fatalf("flow = %+v", f)
	}
}

func TestExchangeCode(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/"+env+"/as/token" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q", ct)
		}
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"grant_type": "authorization_code", "code": "c0de", "redirect_uri": "https://id.example/" + env + "/myaccount/",
			"client_id": "cid", "code_verifier": "v3rifier",
		}
		for k, v := range want {
			if got := r.PostForm.Get(k); got != v {
				t.Errorf("form %s = %q, want %q", k, got, v)
			}
		}
		writeJSON(w, 200, resource.TokenResponse{AccessToken: "at", TokenType: "Bearer", ExpiresIn: 300, IDToken: "it", Scope: "openid p1:read:user"})
	})
	tok, err := c.ExchangeCode(context.Background(), CodeExchange{
		Code: "c0de", RedirectURI: "https://id.example/" + env + "/myaccount/", ClientID: "cid", CodeVerifier: "v3rifier",
	})
	if err != nil || tok.AccessToken != "at" || tok.Scope != "openid p1:read:user" {
		t.Fatalf("ExchangeCode = %+v, %v", tok, err)
	}
}

func TestExchangeCodeOAuthError(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, resource.OAuthError{Error: "invalid_grant", Description: "code already used"})
	})
	_, err := c.ExchangeCode(context.Background(), CodeExchange{Code: "x"})
	e, ok := AsAPIError(err)
	if !ok || e.Status != 400 || e.Code != "invalid_grant" || e.Message != "code already used" {
		t.Fatalf("err = %#v", err)
	}
	if IsNetwork(err) {
		t.Error("an answer is not a network error")
	}
}

func TestGetMeAndDevicesSendBearer(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer tok" {
			t.Errorf("Authorization = %q", got)
		}
		switch r.URL.Path {
		case paths.Build(paths.User, env, "u1"):
			writeJSON(w, 200, resource.User{ID: "u1", Username: "jane", Email: "jane@example.com"})
		case paths.Build(paths.Devices, env, "u1"):
			writeJSON(w, 200, resource.NewList("devices", []resource.Device{
				{ID: "d1", Type: "EMAIL", Status: "ACTIVATION_REQUIRED"},
				{ID: "d2", Type: "EMAIL", Status: "ACTIVE"},
			}, "self", ""))
		default:
			t.Errorf("unexpected %s", r.URL.Path)
			w.WriteHeader(404)
		}
	})
	u, err := c.GetMe(context.Background(), "u1", "tok")
	if err != nil || u.Username != "jane" {
		t.Fatalf("GetMe = %+v, %v", u, err)
	}
	ds, err := c.ListDevices(context.Background(), "u1", "tok")
	if err != nil || len(ds) != 2 || ds[1].ID != "d2" {
		t.Fatalf("ListDevices = %+v, %v", ds, err)
	}
}

func TestListDevicesEmptyIsNotNil(t *testing.T) {
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"_embedded":{},"count":0,"size":0,"_links":{}}`)
	})
	ds, err := c.ListDevices(context.Background(), "u1", "tok")
	if err != nil || ds == nil || len(ds) != 0 {
		t.Fatalf("ListDevices = %#v, %v", ds, err)
	}
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		wantCode   string
		wantMsg    string
		wantRetry  int
		wantDetail string
	}{
		{
			name: "invalidOTP", status: 400,
			body:     `{"id":"r1","code":"INVALID_DATA","message":"Wrong code","details":[{"code":"INVALID_OTP","target":"otp","message":"wrong","innerError":{"attemptsRemaining":2}}]}`,
			wantCode: apierr.InvalidData, wantMsg: "Wrong code", wantDetail: apierr.DetailInvalidOTP,
		},
		{
			name: "limited", status: 429, header: map[string]string{"Retry-After": "42"},
			body:     `{"code":"REQUEST_LIMITED","message":"Too many requests. Try again later."}`,
			wantCode: apierr.RequestLimited, wantMsg: "Too many requests. Try again later.", wantRetry: 42,
		},
		{name: "notFoundNoBody", status: 404, wantCode: apierr.NotFound, wantMsg: "request failed with status 404"},
		{name: "htmlGateway", status: 502, body: "<html>bad gateway</html>", wantCode: apierr.UnexpectedServerError, wantMsg: "request failed with status 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			_, err := c.GetFlow(context.Background(), "f1")
			e, ok := AsAPIError(err)
			if !ok {
				t.Fatalf("err = %v, want *apierr.Error", err)
			}
			if e.Status != tt.status || e.Code != tt.wantCode || e.Message != tt.wantMsg || e.RetryAfter != tt.wantRetry {
				t.Errorf("err = %+v", e)
			}
			if tt.wantDetail != "" {
				if len(e.Details) != 1 || e.Details[0].Code != tt.wantDetail || e.Details[0].InnerError["attemptsRemaining"] != float64(2) {
					t.Errorf("details = %+v", e.Details)
				}
			}
		})
	}
}

func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	c := New(Config{BaseURL: url, EnvironmentID: env})
	_, err := c.GetConfig(context.Background())
	if !IsNetwork(err) {
		t.Fatalf("err = %v, want a network error", err)
	}
	if _, ok := AsAPIError(err); ok {
		t.Error("a network error is not an API error")
	}
	if !strings.Contains(err.Error(), "get config") {
		t.Errorf("err = %v: want the operation named", err)
	}
}

func TestRecoveryCodes(t *testing.T) {
	const sub = "0190f3a2-7c1e-7b3a-9d4e-5f6a7b8c9d0e"
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != paths.Build(paths.RecoveryCodes, env, sub) || r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		switch r.Method {
		case "POST":
			if ct := r.Header.Get("Content-Type"); ct != paths.JSON {
				t.Errorf("Content-Type = %q", ct)
			}
			writeJSON(w, 201, resource.RecoveryCodes{Codes: []string{"abcde-fghjk"}, Remaining: 10})
		default:
			writeJSON(w, 200, resource.RecoveryCodes{Remaining: 9})
		}
	})
	made, err := c.CreateRecoveryCodes(context.Background(), sub, "tok")
	if err != nil || made.Remaining != 10 || len(made.Codes) != 1 {
		t.Fatalf("CreateRecoveryCodes = %+v, %v", made, err)
	}
	got, err := c.GetRecoveryCodes(context.Background(), sub, "tok")
	if err != nil || got.Remaining != 9 || got.Codes != nil {
		t.Fatalf("GetRecoveryCodes = %+v, %v", got, err)
	}
}
