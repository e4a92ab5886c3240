package notify

// RecoveryCodesCreatedNotice is the notice sent to the account's e-mail
// address when a new set of recovery codes is made: the codes are a way in
// without the user's devices, so someone else making them must be noticed.
// The codes themselves are never mailed.
func RecoveryCodesCreatedNotice() (subject, text string) {
	return RecoveryCodesCreated().Builtin()
}

// RecoveryCodeUsedNotice is the notice sent to the account's e-mail address
// when a recovery code completed a sign-on, with how many codes are left.
func RecoveryCodeUsedNotice(remaining int) (subject, text string) {
	return RecoveryCodeUsed(remaining).Builtin()
}
