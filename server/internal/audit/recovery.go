package audit

// Recovery-code actions (names stored and shown: append-only).
const (
	ActionRecoveryCodesCreated = "RECOVERY_CODES_CREATED" // a new recovery-code set replaced any old one
	ActionRecoveryCodeUsed     = "RECOVERY_CODE_USED"     // a recovery code completed an MFA step (remaining in details)
	ActionRecoveryCodesDeleted = "RECOVERY_CODES_DELETED" // a user's recovery-code set was removed
)
