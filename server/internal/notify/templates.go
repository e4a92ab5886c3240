package notify

import (
	"fmt"
	"strings"

	"github.com/myaccount/myaccount/shared/paths"
)

// OTPEmail is the one-time passcode e-mail. The code stays out of the
// subject, which lock screens and notification previews show.
func OTPEmail(code string, minutes int) (subject, text string) {
	return OTP(TemplateStrongAuthentication, ChannelEmail, code, minutes).Builtin()
}

// OTPMessage is the one-time passcode message for channel: OTPEmail for
// e-mail, a short text for SMS, and for voice a text spelling the digits
// one by one, twice, so a text-to-speech gateway does not read "482913" as
// a number. SMS and voice have no subject.
func OTPMessage(channel, code string, minutes int) (subject, text string) {
	return OTP(TemplateStrongAuthentication, channel, code, minutes).Builtin()
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
	return DevicePaired(method, secureURL).Builtin()
}

// DeviceRemovedNotice is the notice sent to the account's e-mail address
// when an MFA method is removed, by the user or an administrator: removing
// the owner's methods is how an intruder keeps the owner out.
func DeviceRemovedNotice(method string, byAdministrator bool, secureURL string) (subject, text string) {
	return DeviceRemoved(method, byAdministrator, secureURL).Builtin()
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
