package bootstrap

import (
	"time"

	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
)

// ensurePolicies gives a new environment its default device authentication
// policy and the MFA settings added with policies, stored rather than left
// to mfapolicy's defaults so an administrator reads what applies.
// Environments created before keep working on those defaults until their
// first policy write stores them.
func ensurePolicies(e *store.Environment, now time.Time) {
	if len(e.DeviceAuthPolicies) == 0 {
		e.DeviceAuthPolicies = []store.DeviceAuthPolicy{mfapolicy.Default(e.ID, now)}
	}
	s := &e.MFASettings
	if s.LockoutFailureCount == 0 {
		s.LockoutFailureCount = mfapolicy.DefaultLockoutFailures
	}
	if s.LockoutDuration == 0 {
		s.LockoutDuration = int(mfapolicy.DefaultLockoutDuration / time.Second)
	}
	if s.TOTPWindowSteps == nil {
		w := mfapolicy.DefaultTOTPWindow
		s.TOTPWindowSteps = &w
	}
}
