package notify

import "fmt"

// RecoveryCodesCreatedNotice is the notice sent to the account's e-mail
// address when a new set of recovery codes is made: the codes are a way in
// without the user's devices, so someone else making them must be noticed.
// The codes themselves are never mailed.
func RecoveryCodesCreatedNotice() (subject, text string) {
	subject = "New recovery codes were created for your MyAccount account"
	text = "A new set of recovery codes was created for your MyAccount account. " +
		"Any codes you had before no longer work.\n\n" +
		"If this was you, keep the new codes somewhere safe. If it was not, sign on to MyAccount, " +
		"remove the recovery codes and your authentication methods you do not know, and change your password.\n"
	return subject, text
}

// RecoveryCodeUsedNotice is the notice sent to the account's e-mail address
// when a recovery code completed a sign-on, with how many codes are left.
func RecoveryCodeUsedNotice(remaining int) (subject, text string) {
	subject = "A recovery code was used to sign on to your MyAccount account"
	left := fmt.Sprintf("You have %s left.", plural(remaining, "recovery code"))
	if remaining == 0 {
		left = "That was your last one: create new codes in MyAccount."
	}
	text = "A recovery code was used instead of your authentication method to sign on to your MyAccount account. " +
		left + "\n\n" +
		"If this was not you, someone has your password and a recovery code: sign on to MyAccount, " +
		"create new recovery codes (the old ones stop working) and change your password.\n"
	return subject, text
}
