package notify

import (
	"slices"
	"strconv"
	"time"
)

// Template names: PingOne's where PingOne has the notification
// (strong_authentication, device_pairing, new_device_paired), our own in
// the same snake_case style otherwise. PingOne keeps the delivery method on
// each content; here an SMS or voice text is a template of its own (the
// name's _sms / _voice suffix), so a content is keyed by locale alone.
const (
	TemplateStrongAuthentication      = "strong_authentication"
	TemplateStrongAuthenticationSMS   = "strong_authentication_sms"
	TemplateStrongAuthenticationVoice = "strong_authentication_voice"
	TemplateDevicePairing             = "device_pairing"
	TemplateDevicePairingSMS          = "device_pairing_sms"
	TemplateDevicePairingVoice        = "device_pairing_voice"
	TemplateNewDevicePaired           = "new_device_paired"
	TemplateDeviceRemoved             = "device_removed"
	TemplateDeviceRemovedByAdmin      = "device_removed_by_admin"
	TemplatePasswordChanged           = "password_changed"
	TemplatePasswordSetByAdmin        = "password_set_by_admin"
	TemplateRecoveryCodesCreated      = "recovery_codes_created"
	TemplateRecoveryCodeUsed          = "recovery_code_used"
	TemplateRecoveryCodeUsedLast      = "recovery_code_used_last"
	TemplateNewSignOn                 = "new_sign_on"
	TemplateAccountSecured            = "account_secured"
)

// Template is one kind of notification: its stable name, the channel it
// goes through, the variables its texts may use and its built-in English
// texts (the defaults every environment starts with).
type Template struct {
	Name        string
	Channel     string // ChannelEmail, ChannelSMS or ChannelVoice
	Description string
	Variables   []string // the ${name}s the texts may use
	Subject     string   // empty for SMS and voice
	Body        string
}

// Notice is one notification to render: which template and its values.
// Values are plain text; a value that looks like "${otp}" stays literal.
type Notice struct {
	Template string
	Vars     Vars
}

// Builtin renders n with its built-in English texts.
func (n Notice) Builtin() (subject, text string) {
	t, ok := LookupTemplate(n.Template)
	if !ok {
		return "", ""
	}
	return RenderSubject(t.Subject, n.Vars), Render(t.Body, n.Vars)
}

const (
	secureText  = "If this was you, there is nothing to do. If it was not, someone may be in your account: open ${secureUrl} to secure it (sign off everywhere and change your password)"
	removedText = "If you expected this, there is nothing to do. If not, someone may be in your account: " +
		"open ${secureUrl} to secure it (sign off everywhere and change your password).\n"
	otpEmailBody = "Your MyAccount one-time passcode is ${otp}. It expires in ${expiresIn}. " +
		"If you did not try to sign on, someone may know your password: change it.\n"
	otpSMSBody   = "Your MyAccount one-time passcode is ${otp}. It expires in ${expiresIn}. Do not share it."
	otpVoiceBody = "Your MyAccount code is ${otpSpoken}. Again: ${otpSpoken}."
	usedText     = "A recovery code was used instead of your authentication method to sign on to your MyAccount account. "
	usedAfter    = "\n\nIf this was not you, someone has your password and a recovery code: sign on to MyAccount, " +
		"create new recovery codes (the old ones stop working) and change your password.\n"
)

var (
	otpVars     = []string{"otp", "minutes", "expiresIn"}
	otpVoiceVar = []string{"otp", "otpSpoken", "minutes"}
)

// otpTemplates are the one-time passcode texts, at sign-on
// (strong_authentication) and when pairing a method (device_pairing).
var otpTemplates = []Template{
	{TemplateStrongAuthentication, ChannelEmail, "One-time passcode at sign-on, by e-mail.", otpVars, "Your MyAccount one-time passcode", otpEmailBody},
	{TemplateStrongAuthenticationSMS, ChannelSMS, "One-time passcode at sign-on, by SMS.", otpVars, "", otpSMSBody},
	{TemplateStrongAuthenticationVoice, ChannelVoice, "One-time passcode at sign-on, by voice call.", otpVoiceVar, "", otpVoiceBody},
	{TemplateDevicePairing, ChannelEmail, "One-time passcode that activates a new e-mail method.", otpVars, "Your MyAccount one-time passcode", otpEmailBody},
	{TemplateDevicePairingSMS, ChannelSMS, "One-time passcode that activates a new SMS method.", otpVars, "", otpSMSBody},
	{TemplateDevicePairingVoice, ChannelVoice, "One-time passcode that activates a new voice method.", otpVoiceVar, "", otpVoiceBody},
}

// securityTemplates are the security notices sent to the account's e-mail
// address.
var securityTemplates = []Template{
	{TemplateNewDevicePaired, ChannelEmail, "An MFA method was added.", []string{"method", "secureUrl"},
		"A sign-on method was added to your MyAccount account",
		"${method} was added to your MyAccount account as a multi-factor authentication method.\n\n" + secureText + ".\n"},
	{TemplateDeviceRemoved, ChannelEmail, "The user removed an MFA method.", []string{"method", "secureUrl"},
		"A sign-on method was removed from your MyAccount account",
		"${method} was removed from your MyAccount account.\n\n" + removedText},
	{TemplateDeviceRemovedByAdmin, ChannelEmail, "An administrator removed an MFA method.", []string{"method", "secureUrl"},
		"A sign-on method was removed from your MyAccount account",
		"${method} was removed from your MyAccount account by an administrator.\n\n" + removedText},
	{TemplatePasswordChanged, ChannelEmail, "The user changed their password.", []string{"secureUrl"},
		"Your MyAccount password was changed",
		"Your password was changed. Every other sign-on session of your account was ended.\n\n" + secureText + ", or contact your administrator.\n"},
	{TemplatePasswordSetByAdmin, ChannelEmail, "An administrator set the user's password.", []string{"secureUrl"},
		"Your MyAccount password was changed",
		"An administrator set a new password for your account. Every other sign-on session of your account was ended.\n\n" + secureText + ", or contact your administrator.\n"},
	{TemplateRecoveryCodesCreated, ChannelEmail, "A new set of recovery codes was made (the codes are never mailed).", []string{},
		"New recovery codes were created for your MyAccount account",
		"A new set of recovery codes was created for your MyAccount account. " +
			"Any codes you had before no longer work.\n\n" +
			"If this was you, keep the new codes somewhere safe. If it was not, sign on to MyAccount, " +
			"remove the recovery codes and your authentication methods you do not know, and change your password.\n"},
	{TemplateRecoveryCodeUsed, ChannelEmail, "A recovery code completed a sign-on; some are left.", []string{"remaining", "remainingCodes"},
		"A recovery code was used to sign on to your MyAccount account",
		usedText + "You have ${remainingCodes} left." + usedAfter},
	{TemplateRecoveryCodeUsedLast, ChannelEmail, "The user's last recovery code completed a sign-on.", []string{},
		"A recovery code was used to sign on to your MyAccount account",
		usedText + "That was your last one: create new codes in MyAccount." + usedAfter},
	{TemplateNewSignOn, ChannelEmail, "A sign-on from a browser or network not seen recently.", []string{"device", "ip", "time", "secureUrl"},
		"New sign-on to your MyAccount account",
		"Your MyAccount account was just signed on to from a device or place it was not used from recently:\n\n" +
			"  ${device}\n  Address: ${ip}\n  Time: ${time}\n\n" +
			"If this was you, there is nothing to do.\n\n" +
			"If it was not you, someone knows your password and passed your second factor. " +
			"This wasn't me: open ${secureUrl} , sign on and choose \"Secure my account\": it signs every other session off " +
			"and makes you choose a new password.\n"},
	{TemplateAccountSecured, ChannelEmail, "\"Secure my account\" was used.", []string{"sessionsEnded", "sessionsEndedText", "frozenUntil", "myAccountUrl"},
		"Your MyAccount account was secured",
		"\"Secure my account\" was used on your MyAccount account: ${sessionsEndedText} signed off, " +
			"the next sign-on asks for a new password, and sign-on methods cannot be changed until ${frozenUntil} " +
			"except by an administrator.\n\n" +
			"If this was not you, contact your administrator. MyAccount: ${myAccountUrl}\n"},
}

// Templates lists every notification template, in a stable order. A new
// kind of notice adds its list here.
func TemplateList() []Template {
	return slices.Concat(otpTemplates, securityTemplates)
}

// LookupTemplate returns the template named name.
func LookupTemplate(name string) (Template, bool) {
	for _, t := range TemplateList() {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// timeText is how notices show a time.
func timeText(at time.Time) string { return at.UTC().Format("2 Jan 2006 15:04 MST") }

// OTP is a one-time passcode message for channel: purpose is
// TemplateStrongAuthentication (sign-on) or TemplateDevicePairing.
func OTP(purpose, channel, code string, minutes int) Notice {
	name := purpose
	switch channel {
	case ChannelSMS:
		name += "_sms"
	case ChannelVoice:
		name += "_voice"
	}
	return Notice{name, Vars{"otp": code, "otpSpoken": SpellDigits(code), "minutes": strconv.Itoa(minutes),
		"expiresIn": plural(minutes, "minute")}}
}

// DevicePaired is new_device_paired: method says what was added, already
// masked; secureURL is the "this wasn't me" link (SecureURL).
func DevicePaired(method, secureURL string) Notice {
	return Notice{TemplateNewDevicePaired, Vars{"method": method, "secureUrl": secureURL}}
}

// DeviceRemoved is device_removed, or device_removed_by_admin.
func DeviceRemoved(method string, byAdministrator bool, secureURL string) Notice {
	name := TemplateDeviceRemoved
	if byAdministrator {
		name = TemplateDeviceRemovedByAdmin
	}
	return Notice{name, Vars{"method": method, "secureUrl": secureURL}}
}

// PasswordChanged is password_changed, or password_set_by_admin.
func PasswordChanged(byAdministrator bool, secureURL string) Notice {
	name := TemplatePasswordChanged
	if byAdministrator {
		name = TemplatePasswordSetByAdmin
	}
	return Notice{name, Vars{"secureUrl": secureURL}}
}

// RecoveryCodesCreated is recovery_codes_created.
func RecoveryCodesCreated() Notice { return Notice{TemplateRecoveryCodesCreated, Vars{}} }

// RecoveryCodeUsed is recovery_code_used, or recovery_code_used_last when
// none remain.
func RecoveryCodeUsed(remaining int) Notice {
	if remaining == 0 {
		return Notice{TemplateRecoveryCodeUsedLast, Vars{}}
	}
	return Notice{TemplateRecoveryCodeUsed, Vars{"remaining": strconv.Itoa(remaining),
		"remainingCodes": plural(remaining, "recovery code")}}
}

// NewSignOn is new_sign_on: device ("Chrome on Linux") and ip come from
// the request.
func NewSignOn(device, ip string, at time.Time, secureURL string) Notice {
	if device == "" {
		device = "An unknown browser"
	}
	return Notice{TemplateNewSignOn, Vars{"device": device, "ip": ip, "time": timeText(at), "secureUrl": secureURL}}
}

// AccountSecured is account_secured.
func AccountSecured(sessionsEnded int, frozenUntil time.Time, myAccountURL string) Notice {
	return Notice{TemplateAccountSecured, Vars{"sessionsEnded": strconv.Itoa(sessionsEnded),
		"sessionsEndedText": sessionsText(sessionsEnded), "frozenUntil": timeText(frozenUntil),
		"myAccountUrl": myAccountURL}}
}
