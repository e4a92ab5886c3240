package notify

import "fmt"

// PasswordChangedNotice is the notice sent to the account's e-mail address
// when its password changes, by the user or an administrator, so that a
// change the owner did not make is noticed. secureURL is the "this wasn't
// me" link (SecureURL).
func PasswordChangedNotice(byAdministrator bool, secureURL string) (subject, text string) {
	subject = "Your MyAccount password was changed"
	who := "Your password was changed."
	if byAdministrator {
		who = "An administrator set a new password for your account."
	}
	text = fmt.Sprintf("%s Every other sign-on session of your account was ended.\n\n"+
		"If this was you, there is nothing to do. If it was not, someone may be in your account: "+
		"open %s to secure it (sign off everywhere and change your password), or contact your administrator.\n", who, secureURL)
	return subject, text
}
