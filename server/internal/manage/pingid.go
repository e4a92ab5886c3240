package manage

import (
	"slices"

	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
)

// errMFAPolicyRequired refuses "Manage PingID devices via MyAccount" while
// the MyAccount application's sign-on policy has no MFA step: reduced
// scopes would then leave users read-only for good, as nothing in their
// sign-on could lift them.
var errMFAPolicyRequired = apierr.Invalid("Manage PingID devices via MyAccount needs an MFA policy on the MyAccount application.",
	apierr.Field(apierr.DetailMFAPolicyRequired, "managePingIdDevices",
		"The MyAccount application's sign-on policy has no MFA step. Change the sign-on policy to PASSWORD_MFA "+
			"(signOnPolicies), then turn this switch on again."))

// managePingIDDevices applies the environment side of turning on "Manage
// PingID devices via MyAccount" to e (written by the caller's one
// version-guarded update, so a refusal changes nothing): it checks the
// MyAccount application has an MFA policy and adds the application to
// every device authentication policy that includes device management
// (one allowing at least one method). The application's own reduced
// scopes are turned on afterwards (reduceMyAccountScopes).
func managePingIDDevices(e *store.Environment) error {
	if !e.SignOnPolicyFor(e.MyAccountClientID).MFA {
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
