package apierr

// Detail codes of the administration API (environments, applications and
// the self-service switches). Append-only, like the others.
const (
	// DetailFeatureDisabled: the self-service feature a user's own request
	// needs is switched off in the environment now (selfService), even if
	// the token was issued while it was on. Target names the switch.
	DetailFeatureDisabled = "FEATURE_DISABLED"
	// DetailMFAPolicyRequired: "Manage PingID devices via MyAccount" needs
	// the MyAccount application's sign-on policy to have an MFA step.
	DetailMFAPolicyRequired = "MFA_POLICY_REQUIRED"
	// DetailProtectedResource: the resource cannot be deleted (the
	// Administrators environment, the MyAccount application).
	DetailProtectedResource = "PROTECTED_RESOURCE"
)
