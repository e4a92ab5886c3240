package manage

import (
	"net/http"
	"slices"
	"testing"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestSignOnPolicies: additional policies are created for named
// applications, refused on bad input with nothing changed, decide the
// PingID switch for the MyAccount application, and go back to the default
// when deleted; the default cannot be deleted.
func TestSignOnPolicies(t *testing.T) {
	h := newHarness(t)
	list := paths.Build(paths.SignOnPolicies, defaultEnv)
	worker := h.do(http.MethodPost, paths.Build(paths.Applications, defaultEnv), "envAdmin", `{"name":"W","type":"WORKER","roles":[]}`)
	var w resource.Application
	worker.decode(t, &w)

	// Who may.
	body := `{"name":"MyAccount password only","kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST","applications":[{"id":"` + myAppID + `"}]}`
	for _, p := range []string{"alice", "idAdmin", "readOnly"} {
		if res := h.do(http.MethodPost, list, p, body); res.status != http.StatusForbidden {
			t.Fatalf("%s creates: %d", p, res.status)
		}
	}
	if res := h.do(http.MethodPost, paths.Build(paths.SignOnPolicies, otherEnv), "envAdmin", body); res.status != http.StatusForbidden {
		t.Fatalf("other environment: %d", res.status)
	}

	// Bad input.
	refused := []struct {
		name, body string
		want       string
	}{
		{"no_name", `{"kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST"}`, "name:REQUIRED_VALUE"},
		{"bad_kind", `{"name":"X","kind":"MFA_ONLY","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST"}`, "kind:INVALID_VALUE"},
		{"taken_name", `{"name":"default","kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST"}`, "name:UNIQUENESS_VIOLATION"},
		{"unknown_app", `{"name":"X","kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST","applications":[{"id":"` + missingID + `"}]}`, "applications[0].id:INVALID_VALUE"},
		{"worker_app", `{"name":"X","kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST","applications":[{"id":"` + w.ID + `"}]}`, "applications[0].id:INVALID_VALUE"},
		{"read_only", `{"name":"X","kind":"PASSWORD","enrollDuringSignOn":false,"deviceSelection":"DEFAULT_TO_FIRST","default":true}`, "default:READ_ONLY"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.env(defaultEnv))
			res := h.do(http.MethodPost, list, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != apierr.InvalidData {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			mustContain(t, res.targets(t), tt.want)
			if snapshot(t, h.env(defaultEnv)) != before {
				t.Fatal("a refused create changed the environment")
			}
		})
	}

	res := h.do(http.MethodPost, list, "envAdmin", body)
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var pol resource.SignOnPolicy
	res.decode(t, &pol)
	if pol.Default || pol.Kind != resource.PolicyPasswordOnly || pol.EnrollDuringSignOn || len(pol.Applications) != 1 || pol.Applications[0].ID != myAppID {
		t.Fatalf("created %+v", pol)
	}
	var l resource.List[resource.SignOnPolicy]
	h.do(http.MethodGet, list, "readOnly", "").decode(t, &l)
	if ps := l.Embedded["signOnPolicies"]; len(ps) != 2 || !ps[0].Default || ps[1].ID != pol.ID {
		t.Fatalf("list %+v", ps)
	}
	one := paths.Build(paths.SignOnPolicy, defaultEnv, pol.ID)
	if res := h.do(http.MethodGet, one, "readOnly", ""); res.status != http.StatusOK {
		t.Fatalf("get: %d", res.status)
	}
	if env := h.env(defaultEnv); env.SignOnPolicyFor(myAppID).ID != pol.ID || env.SignOnPolicyFor(w.ID).ID != policyID {
		t.Fatal("policy not applied to the named application only")
	}

	// An application has one policy.
	second := `{"name":"Second","kind":"PASSWORD_MFA","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST","applications":[{"id":"` + myAppID + `"}]}`
	if res := h.do(http.MethodPost, list, "envAdmin", second); res.status != http.StatusBadRequest ||
		!slices.Contains(res.targets(t), "applications[0].id:"+apierr.DetailUniqueness) {
		t.Fatalf("second policy for MyAccount: %d %s", res.status, res.body)
	}

	// MyAccount's own policy has no MFA step: the PingID switch is refused
	// although the default policy has one.
	ss := paths.Build(paths.SelfService, defaultEnv)
	on := `{"manageProfile":true,"manageAuthentication":true,"managePingIdDevices":true,"changePassword":true,` +
		`"manageLinkedAccounts":false,"manageSessions":false,"viewAgreements":false,"manageOAuthConsents":false}`
	if res := h.do(http.MethodPut, ss, "envAdmin", on); res.status != http.StatusBadRequest ||
		!slices.Equal(res.targets(t), []string{"managePingIdDevices:" + apierr.DetailMFAPolicyRequired}) {
		t.Fatalf("switch with a password-only MyAccount policy: %d %s", res.status, res.body)
	}
	put := `{"name":"MyAccount with MFA","kind":"PASSWORD_MFA","enrollDuringSignOn":true,"deviceSelection":"PROMPT_TO_SELECT"}`
	res = h.do(http.MethodPut, one, "envAdmin", put)
	if res.status != http.StatusOK {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	res.decode(t, &pol)
	if pol.Kind != resource.PolicyPasswordMFA || pol.Name != "MyAccount with MFA" || len(pol.Applications) != 1 {
		t.Fatalf("put kept applications? %+v", pol)
	}
	if res := h.do(http.MethodPut, ss, "envAdmin", on); res.status != http.StatusOK {
		t.Fatalf("switch with an MFA policy: %d %s", res.status, res.body)
	}

	// Delete: the default stays; the additional one goes and MyAccount
	// falls back to the default.
	before := snapshot(t, h.env(defaultEnv))
	if res := h.do(http.MethodDelete, paths.Build(paths.SignOnPolicy, defaultEnv, policyID), "envAdmin", ""); res.status != http.StatusBadRequest ||
		snapshot(t, h.env(defaultEnv)) != before {
		t.Fatalf("delete default: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodDelete, one, "readOnly", ""); res.status != http.StatusForbidden {
		t.Fatalf("read-only delete: %d", res.status)
	}
	if res := h.do(http.MethodDelete, one, "envAdmin", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if h.env(defaultEnv).SignOnPolicyFor(myAppID).ID != policyID {
		t.Fatal("MyAccount did not fall back to the default policy")
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		if res := h.do(m, one, "envAdmin", ""); res.status != http.StatusNotFound {
			t.Fatalf("%s after delete: %d", m, res.status)
		}
	}
}
