package notify

// PasswordChangedNotice is the notice sent to the account's e-mail address
// when its password changes, by the user or an administrator, so that a
// change the owner did not make is noticed. secureURL is the "this wasn't
// me" link (SecureURL).
func PasswordChangedNotice(byAdministrator bool, secureURL string) (subject, text string) {
	return PasswordChanged(byAdministrator, secureURL).Builtin()
}
