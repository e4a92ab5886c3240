package notify

import (
	"fmt"
)

// OTPEmail is the one-time passcode e-mail. The code stays out of the
// subject, which lock screens and notification previews show.
func OTPEmail(code string, minutes int) (subject, text string) {
	subject = "Your MyAccount one-time passcode"
	text = fmt.Sprintf("Your MyAccount one-time passcode is %s. It expires in %s. "+
		"If you did not try to sign on, someone may know your password: change it.\n",
		code, plural(minutes, "minute"))
	return subject, text
}

// DevicePairedEmail is the notice sent to the account's e-mail address when
// an e-mail MFA method is added, so an intruder who pairs their own address
// is noticed. maskedAddress is the paired address as resource.MaskEmail shows it.
func DevicePairedEmail(maskedAddress string) (subject, text string) {
	subject = "A sign-on method was added to your MyAccount account"
	text = fmt.Sprintf("The email address %s was added to your MyAccount account as a "+
		"multi-factor authentication method.\n\n"+
		"If this was you, there is nothing to do. If it was not, sign on to MyAccount, "+
		"remove the method and change your password.\n", maskedAddress)
	return subject, text
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
