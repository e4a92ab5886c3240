package notify

import (
	"fmt"
	"strings"

	"github.com/myaccount/myaccount/shared/paths"
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

// OTPMessage is the one-time passcode message for channel: OTPEmail for
// e-mail, a short text for SMS, and for voice a text spelling the digits
// one by one, twice, so a text-to-speech gateway does not read "482913" as
// a number. SMS and voice have no subject.
func OTPMessage(channel, code string, minutes int) (subject, text string) {
	switch channel {
	case ChannelSMS:
		return "", fmt.Sprintf("Your MyAccount one-time passcode is %s. It expires in %s. Do not share it.",
			code, plural(minutes, "minute"))
	case ChannelVoice:
		spelled := SpellDigits(code)
		return "", fmt.Sprintf("Your MyAccount code is %s. Again: %s.", spelled, spelled)
	}
	return OTPEmail(code, minutes)
}

// SpellDigits separates a code's characters with commas ("123" → "1, 2, 3")
// so speech reads them one at a time.
func SpellDigits(code string) string {
	return strings.Join(strings.Split(code, ""), ", ")
}

// SecureURL is the "this wasn't me" link of security notices: MyAccount's
// secure-my-account action in the environment (MyAccount signs the user on
// first).
func SecureURL(publicURL, envID string) string {
	return publicURL + paths.Build(paths.MyAccount, envID) + "#secure"
}

// DevicePairedNotice is the notice sent to the account's e-mail address when
// an MFA method is added, so an intruder who pairs their own is noticed.
// method says what was added, already masked ("The phone number ****4567");
// secureURL is the "this wasn't me" link (SecureURL).
func DevicePairedNotice(method, secureURL string) (subject, text string) {
	subject = "A sign-on method was added to your MyAccount account"
	text = fmt.Sprintf("%s was added to your MyAccount account as a "+
		"multi-factor authentication method.\n\n"+
		"If this was you, there is nothing to do. If it was not, someone may be in your account: "+
		"open %s to secure it (sign off everywhere and change your password).\n", method, secureURL)
	return subject, text
}

// DeviceRemovedNotice is the notice sent to the account's e-mail address
// when an MFA method is removed, by the user or an administrator: removing
// the owner's methods is how an intruder keeps the owner out.
func DeviceRemovedNotice(method string, byAdministrator bool, secureURL string) (subject, text string) {
	subject = "A sign-on method was removed from your MyAccount account"
	by := ""
	if byAdministrator {
		by = " by an administrator"
	}
	text = fmt.Sprintf("%s was removed from your MyAccount account%s.\n\n"+
		"If you expected this, there is nothing to do. If not, someone may be in your account: "+
		"open %s to secure it (sign off everywhere and change your password).\n", method, by, secureURL)
	return subject, text
}

// DevicePairedEmail is the notice sent to the account's e-mail address when
// an e-mail MFA method is added, so an intruder who pairs their own address
// is noticed. maskedAddress is the paired address as resource.MaskEmail shows it.
func DevicePairedEmail(maskedAddress, secureURL string) (subject, text string) {
	return DevicePairedNotice("The email address "+maskedAddress, secureURL)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
