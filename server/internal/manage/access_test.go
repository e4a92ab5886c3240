package manage

import (
	"net/http"
	"testing"

	"github.com/myaccount/myaccount/shared/paths"
)

// TestAccess checks who may call what: the status for each principal and
// endpoint, before any body is looked at.
func TestAccess(t *testing.T) {
	h := newHarness(t)
	user := func(env, id string) string { return paths.Build(paths.User, env, id) }
	devices := func(env, id string) string { return paths.Build(paths.Devices, env, id) }
	d := defaultEnv
	policy := paths.Build(paths.SignOnPolicy, d, policyID)
	putPolicy := `{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST"}`
	tests := []struct {
		name      string
		principal string
		method    string
		path      string
		body      string
		want      int
	}{
		{"no_token", "", http.MethodGet, user(d, aliceID), "", http.StatusUnauthorized},
		{"no_token_environments", "", http.MethodGet, paths.Environments, "", http.StatusUnauthorized},

		// A user token on administrator endpoints.
		{"user_lists_users", "alice", http.MethodGet, paths.Build(paths.Users, d), "", http.StatusForbidden},
		{"user_creates_user", "alice", http.MethodPost, paths.Build(paths.Users, d), `{"username":"x","email":"x@example.com"}`, http.StatusForbidden},
		{"user_patches_self", "alice", http.MethodPatch, user(d, aliceID), `{"enabled":false}`, http.StatusForbidden},
		{"user_lists_environments", "alice", http.MethodGet, paths.Environments, "", http.StatusForbidden},
		{"user_gets_environment", "alice", http.MethodGet, paths.Build(paths.Environment, d), "", http.StatusForbidden},
		{"user_reads_mfa_settings", "alice", http.MethodGet, paths.Build(paths.MFASettings, d), "", http.StatusForbidden},
		{"user_reads_outbox", "alice", http.MethodGet, paths.Build(paths.Outbox, d), "", http.StatusForbidden},
		{"user_lists_applications", "alice", http.MethodGet, paths.Build(paths.Applications, d), "", http.StatusForbidden},
		{"user_roles_claim_ignored", "aliceWithRoles", http.MethodGet, paths.Build(paths.Users, d), "", http.StatusForbidden},
		{"default_env_worker_not_admin", "defaultWorker", http.MethodGet, paths.Build(paths.Users, d), "", http.StatusForbidden},
		{"default_env_worker_with_role", "defaultAdminWorker", http.MethodGet, paths.Build(paths.Users, d), "", http.StatusOK},
		{"default_env_worker_reads_user", "defaultAdminWorker", http.MethodGet, user(d, aliceID), "", http.StatusOK},
		{"default_env_worker_star_role_stays_home", "defaultAdminWorker", http.MethodGet, paths.Build(paths.Users, otherEnv), "", http.StatusForbidden},

		// A user on their own record, and on others'.
		{"user_reads_self", "alice", http.MethodGet, user(d, aliceID), "", http.StatusOK},
		{"user_reads_self_devices", "alice", http.MethodGet, devices(d, aliceID), "", http.StatusOK},
		{"user_reads_self_without_scope", "aliceNoScopes", http.MethodGet, user(d, aliceID), "", http.StatusForbidden},
		{"user_reads_devices_without_scope", "aliceNoScopes", http.MethodGet, devices(d, aliceID), "", http.StatusForbidden},
		{"user_reads_other_user", "alice", http.MethodGet, user(d, bobID), "", http.StatusNotFound},
		{"user_reads_other_user_devices", "alice", http.MethodGet, devices(d, bobID), "", http.StatusNotFound},
		{"user_reads_unknown_user", "alice", http.MethodGet, user(d, missingID), "", http.StatusNotFound},
		{"user_with_roles_reads_other_user", "aliceWithRoles", http.MethodGet, user(d, bobID), "", http.StatusNotFound},
		{"user_reads_other_environment", "carol", http.MethodGet, user(d, aliceID), "", http.StatusNotFound},
		{"user_reads_self_under_other_environment", "alice", http.MethodGet, user(otherEnv, aliceID), "", http.StatusNotFound},
		{"user_bad_id", "alice", http.MethodGet, user(d, "not-a-uuid"), "", http.StatusNotFound},

		// Administrators by role.
		{"admin_reads_user", "envAdmin", http.MethodGet, user(d, aliceID), "", http.StatusOK},
		{"admin_reads_user_of_other_environment", "envAdmin", http.MethodGet, user(otherEnv, carolID), "", http.StatusNotFound},
		{"worker_reads_user_of_other_environment", "worker", http.MethodGet, user(otherEnv, carolID), "", http.StatusNotFound},
		{"admin_reads_user_under_wrong_environment", "star", http.MethodGet, user(d, carolID), "", http.StatusNotFound},
		{"admin_lists_users_of_other_environment", "envAdmin", http.MethodGet, paths.Build(paths.Users, otherEnv), "", http.StatusForbidden},
		{"worker_lists_users", "worker", http.MethodGet, paths.Build(paths.Users, d), "", http.StatusOK},
		{"self_worker_reads_user", "defaultWorker", http.MethodGet, user(d, aliceID), "", http.StatusForbidden},
		{"read_only_reads_user", "readOnly", http.MethodGet, user(d, aliceID), "", http.StatusOK},
		{"read_only_reads_devices", "readOnly", http.MethodGet, devices(d, aliceID), "", http.StatusOK},
		{"read_only_creates_user", "readOnly", http.MethodPost, paths.Build(paths.Users, d), `{"username":"x","email":"x@example.com"}`, http.StatusForbidden},
		{"read_only_patches_user", "readOnly", http.MethodPatch, user(d, aliceID), `{"enabled":false}`, http.StatusForbidden},
		{"read_only_puts_self_service", "readOnly", http.MethodPut, paths.Build(paths.SelfService, d), `{}`, http.StatusForbidden},
		{"read_only_reads_outbox", "readOnly", http.MethodGet, paths.Build(paths.Outbox, d), "", http.StatusForbidden},
		{"identity_admin_reads_outbox", "idAdmin", http.MethodGet, paths.Build(paths.Outbox, d), "", http.StatusForbidden},
		{"identity_admin_puts_policy", "idAdmin", http.MethodPut, policy, putPolicy, http.StatusForbidden},
		{"identity_admin_puts_mfa_settings", "idAdmin", http.MethodPut, paths.Build(paths.MFASettings, d), `{}`, http.StatusForbidden},
		{"identity_admin_puts_self_service", "idAdmin", http.MethodPut, paths.Build(paths.SelfService, d), `{}`, http.StatusForbidden},
		{"identity_admin_creates_application", "idAdmin", http.MethodPost, paths.Build(paths.Applications, d), `{"name":"w","type":"WORKER"}`, http.StatusForbidden},
		{"identity_admin_patches_application", "idAdmin", http.MethodPatch, paths.Build(paths.Application, d, myAppID), `{"enabled":false}`, http.StatusForbidden},
		{"identity_admin_reads_mfa_settings", "idAdmin", http.MethodGet, paths.Build(paths.MFASettings, d), "", http.StatusOK},
		{"env_admin_puts_other_environment", "envAdmin", http.MethodPut, paths.Build(paths.MFASettings, otherEnv), `{}`, http.StatusForbidden},
		{"env_admin_puts_policy", "envAdmin", http.MethodPut, policy, putPolicy, http.StatusOK},
		{"user_lists_device_policies", "alice", http.MethodGet, paths.Build(paths.DeviceAuthPolicies, d), "", http.StatusForbidden},
		{"user_creates_device_policy", "alice", http.MethodPost, paths.Build(paths.DeviceAuthPolicies, d), `{}`, http.StatusForbidden},
		{"read_only_lists_device_policies", "readOnly", http.MethodGet, paths.Build(paths.DeviceAuthPolicies, d), "", http.StatusOK},
		{"read_only_creates_device_policy", "readOnly", http.MethodPost, paths.Build(paths.DeviceAuthPolicies, d), `{}`, http.StatusForbidden},
		{"identity_admin_puts_device_policy", "idAdmin", http.MethodPut, paths.Build(paths.DeviceAuthPolicy, d, missingID), `{}`, http.StatusForbidden},
		{"identity_admin_deletes_device_policy", "idAdmin", http.MethodDelete, paths.Build(paths.DeviceAuthPolicy, d, missingID), "", http.StatusForbidden},
		{"self_worker_lists_device_policies", "defaultWorker", http.MethodGet, paths.Build(paths.DeviceAuthPolicies, d), "", http.StatusForbidden},

		// Records that are not there, or not in this environment.
		{"missing_environment", "star", http.MethodGet, paths.Build(paths.Environment, missingEnv), "", http.StatusNotFound},
		{"missing_environment_users", "star", http.MethodGet, paths.Build(paths.Users, missingEnv), "", http.StatusNotFound},
		{"missing_environment_create_user", "star", http.MethodPost, paths.Build(paths.Users, missingEnv), `{"username":"x","email":"x@example.com"}`, http.StatusNotFound},
		{"deleted_environment", "star", http.MethodGet, paths.Build(paths.Environment, "00000000-0000-0000-0000-000000000000"), "", http.StatusNotFound},
		{"application_of_other_environment", "star", http.MethodGet, paths.Build(paths.Application, otherEnv, myAppID), "", http.StatusNotFound},
		{"unknown_policy", "star", http.MethodGet, paths.Build(paths.SignOnPolicy, d, missingID), "", http.StatusNotFound},
		{"policy_of_other_environment", "star", http.MethodGet, paths.Build(paths.SignOnPolicy, otherEnv, policyID), "", http.StatusNotFound},
		{"put_unknown_policy", "star", http.MethodPut, paths.Build(paths.SignOnPolicy, d, missingID), putPolicy, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(tt.method, tt.path, tt.principal, tt.body)
			wantStatus(t, res, tt.want)
		})
	}
}
