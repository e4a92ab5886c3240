package paths

// RecoveryCodes is a user's recovery-code set (our extension; PingOne has
// none): POST makes a new set, GET says how many are left, DELETE removes it.
const RecoveryCodes = "/v1/environments/:envId/users/:userId/recoveryCodes"

// ActionRecoveryCodeCheck completes a sign-on flow's MFA step with a
// recovery code (our extension).
const ActionRecoveryCodeCheck = "application/vnd.pingidentity.recoveryCode.check+json"
