package bootstrap

import (
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
)

func TestNewEnvironmentPolicies(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const id = "00000000-0000-4000-8000-00000000000d"
	for _, admin := range []bool{false, true} {
		e := newEnvironment(id, "Default", admin, now)
		ps := e.DeviceAuthPolicies
		if len(ps) != 1 || !ps[0].Default || ps[0].ID != mfapolicy.DefaultID(id) || !ps[0].CreatedAt.Equal(now) {
			t.Fatalf("admin=%v: policies %+v", admin, ps)
		}
		s := e.MFASettings
		if s.LockoutFailureCount != mfapolicy.DefaultLockoutFailures || s.LockoutDuration != 900 ||
			s.TOTPWindowSteps == nil || *s.TOTPWindowSteps != mfapolicy.DefaultTOTPWindow {
			t.Fatalf("admin=%v: settings %+v", admin, s)
		}
	}
}

// TestEnsurePoliciesKeeps: values already set are left alone.
func TestEnsurePoliciesKeeps(t *testing.T) {
	zero := 0
	e := &store.Environment{ID: "00000000-0000-4000-8000-00000000000d",
		MFASettings:        store.MFASettings{LockoutFailureCount: 3, LockoutDuration: 60, TOTPWindowSteps: &zero},
		DeviceAuthPolicies: []store.DeviceAuthPolicy{{ID: "p", Name: "Mine", Default: true}}}
	ensurePolicies(e, time.Now())
	if len(e.DeviceAuthPolicies) != 1 || e.DeviceAuthPolicies[0].ID != "p" || e.MFASettings.LockoutFailureCount != 3 ||
		e.MFASettings.LockoutDuration != 60 || *e.MFASettings.TOTPWindowSteps != 0 {
		t.Fatalf("changed %+v", e)
	}
}
