package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// workerToken creates an Administrators-environment worker holding role
// over every environment and returns a client-credentials token.
func (e *env) workerToken(t *testing.T, role string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": "worker " + role, "type": resource.AppWorker,
		"roles": []resource.RoleAssignment{{Role: role, EnvironmentID: "*"}}})
	app := decode[resource.Application](t, respWant(t, e.api("POST", paths.Build(paths.Applications, e.srv.Bootstrap.AdminEnvID),
		e.adminToken(), string(body)), 201))
	req := url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ID}, "client_secret": {app.ClientSecret}}
	tr := decode[resource.TokenResponse](t, respWant(t, e.form(paths.Build(paths.Token, e.srv.Bootstrap.AdminEnvID), req), 200))
	return tr.AccessToken
}

// blockAs posts device.block (or device.unblock) on u's device id with tok.
func (u *deviceUser) blockAs(tok, id string, block bool) *http.Response {
	ct := paths.ActionDeviceUnblock
	if block {
		ct = paths.ActionDeviceBlock
	}
	return u.e.apiCT("POST", u.deviceURL(id), tok, ct, "")
}

func countEvents(t *testing.T, e *env, action string) int {
	t.Helper()
	evs, err := e.st.ListEvents(t.Context(), e.srv.Bootstrap.DefaultEnvID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Action == action {
			n++
		}
	}
	return n
}

// TestBlockDevice: an administrator blocks a user's default device: it is
// listed BLOCKED, sign-on challenges the next one, the user cannot rename,
// activate, delete or unblock it; blocking again changes nothing; unblock
// makes it ACTIVE and the default again.
func TestBlockDevice(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "bea")
	second := decode[resource.Device](t, respWant(t, u.create("bea.two@example.com"), 201))
	respWant(t, u.activate(second.ID, e.mail.lastOTP(t, "bea.two@example.com")), 200)
	admin := e.adminToken()

	d := decode[resource.Device](t, respWant(t, u.blockAs(admin, u.first, true), 200))
	if d.ID != u.first || d.Status != resource.DeviceBlocked {
		t.Fatalf("blocked: %+v", d)
	}
	ds := u.list(t)
	if len(ds) != 2 || ds[0].Status != resource.DeviceBlocked || resource.DefaultDevice(ds) != 1 {
		t.Fatalf("list after block: %+v", ds)
	}
	if countEvents(t, e, audit.ActionDeviceBlocked) != 1 {
		t.Fatal("no DEVICE_BLOCKED event")
	}
	// Blocking twice is a no-op: same answer, no write, no second event.
	version := u.record(t).Version
	d = decode[resource.Device](t, respWant(t, u.blockAs(admin, u.first, true), 200))
	if d.Status != resource.DeviceBlocked || u.record(t).Version != version || countEvents(t, e, audit.ActionDeviceBlocked) != 1 {
		t.Fatalf("second block changed something: %+v", d)
	}

	// Sign-on goes to the second device and does not list the blocked one.
	_, _, f := totpFlow(t, e, "bea")
	if f.Status != resource.FlowOTPRequired || f.SelectedDevice.ID != second.ID || len(f.Embedded.Devices) != 1 {
		t.Fatalf("flow: %+v", f)
	}

	// The user's own writes on it are refused, and change nothing.
	before := u.record(t)
	for _, tc := range []struct {
		name   string
		resp   *http.Response
		status int
		code   string
	}{
		{"self_block", u.blockAs(u.tok, second.ID, true), 403, apierr.InsufficientPermission},
		{"self_unblock", u.blockAs(u.tok, u.first, false), 403, apierr.InsufficientPermission},
		{"rename", u.e.api("PUT", paths.Build(paths.DeviceNickname, u.envID, u.id, u.first), u.tok, `{"nickname":"mine"}`), 400, apierr.RequestFailed},
		{"activate", u.activate(u.first, "123456"), 400, apierr.RequestFailed},
		{"resend", u.e.apiCT("POST", u.deviceURL(u.first), u.tok, paths.ActionDeviceSendCode, ""), 400, apierr.RequestFailed},
		{"delete", u.e.api("DELETE", u.deviceURL(u.first), u.tok, ""), 400, apierr.RequestFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ae := deviceErr(t, tc.resp, tc.status); ae.Code != tc.code {
				t.Fatalf("%+v, want %s", ae, tc.code)
			}
		})
	}
	if after := u.record(t); after.Version != before.Version {
		t.Fatalf("refused writes changed the user: %+v", after.Devices)
	}
	// The user may still reorder (the blocked device cannot become the
	// default anyway) and an administrator may rename it.
	respWant(t, u.reorder(second.ID, u.first), 200)
	respWant(t, e.api("PUT", paths.Build(paths.DeviceNickname, u.envID, u.id, u.first), admin, `{"nickname":"Lost laptop"}`), 200)

	d = decode[resource.Device](t, respWant(t, u.blockAs(admin, u.first, false), 200))
	if d.Status != resource.DeviceActive || countEvents(t, e, audit.ActionDeviceUnblocked) != 1 {
		t.Fatalf("unblocked: %+v", d)
	}
	respWant(t, u.blockAs(admin, u.first, false), 200) // unblocking an ACTIVE device is a no-op
	if countEvents(t, e, audit.ActionDeviceUnblocked) != 1 {
		t.Fatal("a no-op unblock was audited")
	}
	respWant(t, u.reorder(u.first, second.ID), 200)
	_, _, f = totpFlow(t, e, "bea")
	if f.SelectedDevice == nil || f.SelectedDevice.ID != u.first {
		t.Fatalf("unblocked default not challenged: %+v", f)
	}
}

// TestBlockDeviceRefused: who may not block, and what cannot be blocked.
func TestBlockDeviceRefused(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "bea")
	other := newDeviceUser(t, e, "cid")
	pending := decode[resource.Device](t, respWant(t, u.create("bea.two@example.com"), 201))
	admin := e.adminToken()
	readOnly := e.workerToken(t, resource.RoleReadOnly)
	idAdmin := e.workerToken(t, resource.RoleIdentityDataAdmin)
	adminEnvPath := paths.Build(paths.Device, e.srv.Bootstrap.AdminEnvID, u.id, u.first)
	tests := []struct {
		name   string
		tok    string
		path   string
		ct     string
		body   string
		status int
		code   string
	}{
		{"user_on_own_device", u.tok, u.deviceURL(u.first), paths.ActionDeviceBlock, "", 403, apierr.InsufficientPermission},
		{"user_on_other_users_device", other.tok, u.deviceURL(u.first), paths.ActionDeviceBlock, "", 404, apierr.NotFound},
		{"user_on_other_users_device_path", u.tok, other.deviceURL(other.first), paths.ActionDeviceBlock, "", 404, apierr.NotFound},
		{"read_only_admin", readOnly, u.deviceURL(u.first), paths.ActionDeviceBlock, "", 403, apierr.InsufficientPermission},
		{"other_environment", admin, adminEnvPath, paths.ActionDeviceBlock, "", 404, apierr.NotFound},
		{"unknown_device", admin, u.deviceURL("0190b7c4-0000-7000-8000-0000000000ff"), paths.ActionDeviceBlock, "", 404, apierr.NotFound},
		{"other_users_device_id", admin, u.deviceURL(other.first), paths.ActionDeviceUnblock, "", 404, apierr.NotFound},
		{"pending_device", admin, u.deviceURL(pending.ID), paths.ActionDeviceBlock, "", 400, apierr.RequestFailed},
		{"unknown_attribute", admin, u.deviceURL(u.first), paths.ActionDeviceBlock, `{"reason":"lost"}`, 400, apierr.InvalidData},
		{"not_an_object", admin, u.deviceURL(u.first), paths.ActionDeviceBlock, `"now"`, 400, apierr.InvalidData},
		{"unknown_action", admin, u.deviceURL(u.first), "application/vnd.pingidentity.device.lock+json", "", 415, apierr.UnsupportedMediaType},
	}
	beforeU, beforeO := u.record(t), other.record(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := deviceErr(t, e.apiCT("POST", tt.path, tt.tok, tt.ct, tt.body), tt.status)
			if ae.Code != tt.code {
				t.Fatalf("%+v, want %s", ae, tt.code)
			}
		})
	}
	if u.record(t).Version != beforeU.Version || other.record(t).Version != beforeO.Version {
		t.Fatal("a refused block changed a user")
	}
	if countEvents(t, e, audit.ActionDeviceBlocked) != 0 {
		t.Fatal("a refused block was audited")
	}
	// An Identity Data Admin may.
	respWant(t, u.blockAs(idAdmin, u.first, true), 200)
}

// TestBlockedBetweenChallengeAndCheck: a passcode sent before the block
// does not complete the sign-on.
func TestBlockedBetweenChallengeAndCheck(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "bea")
	b, id, f := totpFlow(t, e, "bea")
	if f.Status != resource.FlowOTPRequired {
		t.Fatalf("flow: %+v", f)
	}
	code := e.mail.lastOTP(t, "bea.one@example.com")
	respWant(t, u.blockAs(e.adminToken(), u.first, true), 200)
	ae := deviceErr(t, b.action(id, "otp.check", resource.OTPCheck{OTP: code}), 404)
	if ae.Code != apierr.NotFound {
		t.Fatalf("%+v", ae)
	}
}

// TestOnlyDeviceBlocked: a user whose only device is blocked cannot sign on
// with MFA, is not offered enrollment, and a password-only session cannot
// pair a "first" device around the block.
func TestOnlyDeviceBlocked(t *testing.T) {
	e := newSQLiteEnv(t)
	u := newDeviceUser(t, e, "bea")
	respWant(t, u.blockAs(e.adminToken(), u.first, true), 200)
	wantNoUsableDevices(t, e, "bea")

	changeEnv(t, e, func(env *store.Environment) { env.SignOnPolicy.MFA = false })
	tr := e.browser().signOnScoped(deviceScopes, "bea", userPassword, "")
	if !strings.Contains(tr.Scope, "p1:create:device") {
		t.Fatalf("scopes %q", tr.Scope)
	}
	u.tok = tr.AccessToken
	ae := deviceErr(t, u.create("bea.new@example.com"), 403)
	if !hasDetail(ae, apierr.DetailMFARequired, "session") {
		t.Fatalf("password-only pairing beside a blocked device: %+v", ae)
	}
	if n := len(u.record(t).Devices); n != 1 {
		t.Fatalf("%d devices, want 1", n)
	}
}
