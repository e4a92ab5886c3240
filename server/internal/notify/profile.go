package notify

import "fmt"

// ContactCodeMessage is the message with the code that confirms a new
// email address or phone number for an account, by channel (an e-mail, a
// text message, or a voice call spelling the digits). The code stays out
// of the e-mail's subject, which lock screens show.
func ContactCodeMessage(channel, code string, minutes int) (subject, text string) {
	switch channel {
	case ChannelSMS:
		return "", fmt.Sprintf("Your MyAccount code to confirm this number is %s. It expires in %s. Do not share it.",
			code, plural(minutes, "minute"))
	case ChannelVoice:
		spelled := SpellDigits(code)
		return "", fmt.Sprintf("Your MyAccount code to confirm this number is %s. Again: %s.", spelled, spelled)
	}
	subject = "Confirm your new MyAccount email address"
	text = fmt.Sprintf("Enter this code in MyAccount to make this the email address of your account: %s\n\n"+
		"It expires in %s. If you did not ask for this, ignore this message: nothing changes without the code.\n",
		code, plural(minutes, "minute"))
	return subject, text
}

// EmailChangedNotice goes to an account's previous email address when a
// new one was confirmed, so that someone who took over the account cannot
// quietly move its mail away. maskedNew is the new address as
// resource.MaskEmail shows it; undoURL restores the previous address until
// it expires (days from now) and signs every session off; secureURL is
// where to secure the account.
func EmailChangedNotice(maskedNew, undoURL string, days int, secureURL string) (subject, text string) {
	subject = "The email address of your MyAccount account was changed"
	text = fmt.Sprintf("The email address of your MyAccount account was changed to %s.\n\n"+
		"If this was you, there is nothing to do.\n\n"+
		"If this wasn't you, restore this address within %s with the link below. It also signs the account "+
		"out everywhere:\n%s\n\nThen sign on and change your password:\n%s\n",
		maskedNew, plural(days, "day"), undoURL, secureURL)
	return subject, text
}

// EmailMovedAgainNotice goes to the previous address when the address
// changes again while an undo link from an earlier change is still valid:
// that earlier link, sent to the address the account had first, is the
// one that restores it.
func EmailMovedAgainNotice(maskedNew, secureURL string) (subject, text string) {
	subject = "The email address of your MyAccount account was changed"
	text = fmt.Sprintf("The email address of your MyAccount account was changed to %s.\n\n"+
		"If this wasn't you, sign on and secure your account:\n%s\n", maskedNew, secureURL)
	return subject, text
}

// EmailRestoredNotice goes to the restored address after an undo.
func EmailRestoredNotice(secureURL string) (subject, text string) {
	subject = "Your MyAccount email address was restored"
	text = "This address is again the email address of your MyAccount account, and every session of the " +
		"account was signed out.\n\nSign on and change your password now, and check your sign-on methods:\n" +
		secureURL + "\n"
	return subject, text
}

// EmailSetByAdminNotice goes to an account's previous email address when
// an administrator set a new one: no undo link (the organisation decided),
// but the owner learns of it.
func EmailSetByAdminNotice(maskedNew, secureURL string) (subject, text string) {
	subject = "The email address of your MyAccount account was changed"
	text = fmt.Sprintf("An administrator changed the email address of your MyAccount account to %s.\n\n"+
		"If you did not expect this, contact your administrator, or sign on and secure your account:\n%s\n",
		maskedNew, secureURL)
	return subject, text
}
