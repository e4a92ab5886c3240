package manage

import (
	"slices"

	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
)

// errMFAPolicyRequired refuses "Manage PingID devices via MyAccount" while
// the MyAccount application has no MFA policy: neither a sign-on policy
// with an MFA step nor a device authentication (MFA) policy applying to
// it. Reduced scopes would then leave users read-only for good, as
// nothing could lift them.
var errMFAPolicyRequired = apierr.Invalid("Manage PingID devices via MyAccount needs an MFA policy on the MyAccount application.",
	apierr.Field(apierr.DetailMFAPolicyRequired, "managePingIdDevices",
		"The MyAccount application has no MFA policy. Add it to a device authentication policy "+
			"(deviceAuthenticationPolicies: applications), or give it a sign-on policy with an MFA step (PASSWORD_MFA), "+
			"then turn this switch on again."))

// hasMFAPolicy reports whether users of the MyAccount application can
// complete MFA in it: its sign-on policy has an MFA step, or a device
// authentication policy with at least one method applies to it (the
// step-up of a password-only sign-on then uses that policy).
func hasMFAPolicy(e *store.Environment) bool {
	if e.SignOnPolicyFor(e.MyAccountClientID).MFA {
		return true
	}
	return slices.ContainsFunc(mfapolicy.Policies(e), func(p store.DeviceAuthPolicy) bool {
		return len(p.Methods) > 0 && slices.Contains(p.Applications, e.MyAccountClientID)
	})
}

// managePingIDDevices applies the environment side of turning on "Manage
// PingID devices via MyAccount" to e (written by the caller's one
// version-guarded update, so a refusal changes nothing): it checks the
// MyAccount application has an MFA policy and adds the application to
// every device authentication policy that includes device management
// (one allowing at least one method). The application's own reduced
// scopes are turned on afterwards (reduceMyAccountScopes).
func managePingIDDevices(e *store.Environment) error {
	if !hasMFAPolicy(e) {
		return errMFAPolicyRequired
	}
	ps := mfapolicy.Policies(e)
	for i := range ps {
		if len(ps[i].Methods) == 0 || slices.Contains(ps[i].Applications, e.MyAccountClientID) || e.MyAccountClientID == "" {
			continue
		}
		ps[i].Applications = append(slices.Clone(ps[i].Applications), e.MyAccountClientID)
	}
	e.DeviceAuthPolicies = ps
	return nil
}
