package manage

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestDeviceListFilter(t *testing.T) {
	h := newHarness(t)
	const pending, active = "00000000-0000-7000-8000-0000000000e1", "00000000-0000-7000-8000-0000000000e2"
	list := func(env, user, filter string) string {
		return paths.Build(paths.Devices, env, user) + "?filter=" + url.QueryEscape(filter)
	}
	tests := []struct {
		name      string
		principal string
		filter    string
		want      []string
	}{
		{"status_active", "alice", `status eq "ACTIVE"`, []string{active}},
		{"type_and_status", "readOnly", `type eq "EMAIL" and status eq "ACTIVATION_REQUIRED"`, []string{pending}},
		{"or_keeps_order", "alice", `status eq "ACTIVE" or status eq "ACTIVATION_REQUIRED"`, []string{pending, active}},
		{"case_insensitive", "alice", `TYPE eq "email"`, []string{pending, active}},
		{"nothing", "alice", `type eq "SMS" and status eq "ACTIVE"`, []string{}},
		{"blocked", "envAdmin", `status eq "BLOCKED"`, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, list(defaultEnv, aliceID, tt.filter), tt.principal, "")
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if !strings.Contains(string(res.body), `"devices":[`) {
				t.Fatalf("devices is not an array: %s", res.body)
			}
			var l resource.List[resource.Device]
			res.decode(t, &l)
			got := []string{}
			for _, d := range l.Embedded["devices"] {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, tt.want) || l.Count != len(tt.want) {
				t.Fatalf("devices %v (count %d), want %v", got, l.Count, tt.want)
			}
		})
	}

	refused := []struct {
		name      string
		principal string
		env, user string
		filter    string
		status    int
	}{
		{"unknown_attribute", "alice", defaultEnv, aliceID, `nickname eq "Work"`, http.StatusBadRequest},
		{"operator", "alice", defaultEnv, aliceID, `type sw "E"`, http.StatusBadRequest},
		{"malformed", "alice", defaultEnv, aliceID, `type eq "EMAIL" and (`, http.StatusBadRequest},
		{"unquoted", "envAdmin", defaultEnv, aliceID, `status eq ACTIVE`, http.StatusBadRequest},
		// Access is decided before the filter is read.
		{"other_user", "alice", defaultEnv, bobID, `type sw "E"`, http.StatusNotFound},
		{"other_environment", "carol", defaultEnv, aliceID, `type eq "EMAIL"`, http.StatusNotFound},
		{"no_scope", "aliceNoScopes", defaultEnv, aliceID, `type eq "EMAIL"`, http.StatusForbidden},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, list(tt.env, tt.user, tt.filter), tt.principal, "")
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.status == http.StatusBadRequest {
				if res.code(t) != apierr.InvalidData || !slices.Equal(res.targets(t), []string{"filter:INVALID_VALUE"}) {
					t.Fatalf("body %s", res.body)
				}
			}
		})
	}
}
