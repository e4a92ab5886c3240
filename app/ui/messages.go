package ui

import "fmt"

// Msg names one UI string. Every string the PWA shows is in the table
// below, so translating is one table per language.
type Msg string

// Message ids.
const (
	MsgAppName       Msg = "app.name"
	MsgAppAbout      Msg = "app.about"
	MsgLoading       Msg = "app.loading"
	MsgRedirecting   Msg = "app.redirecting"
	MsgSignOff       Msg = "app.signoff"
	MsgSignOn        Msg = "app.signon"
	MsgRetry         Msg = "app.retry"
	MsgOfflineBanner Msg = "app.offline.banner"
	MsgOfflineNoData Msg = "app.offline.nodata"
	MsgErrGeneric    Msg = "app.error.generic"
	MsgErrSession    Msg = "app.error.session"
	MsgErrState      Msg = "app.error.state"
	MsgErrSignOn     Msg = "app.error.signon"
	MsgErrUnknownEnv Msg = "app.error.unknownEnv"
	MsgNoTabs        Msg = "app.notabs"

	MsgTabsLabel   Msg = "tabs.label"
	MsgTabProfile  Msg = "tab.profile"
	MsgTabMFA      Msg = "tab.mfa"
	MsgTabPassword Msg = "tab.password"
	MsgTabSessions Msg = "tab.sessions"
	MsgTabConsents Msg = "tab.consents"

	MsgProfileName     Msg = "profile.name"
	MsgProfileUsername Msg = "profile.username"
	MsgProfileEmail    Msg = "profile.email"
	MsgProfileEmpty    Msg = "profile.empty"
	MsgNotSet          Msg = "profile.notset"

	// My profile form (profile.go).
	MsgProfileTitle         Msg = "profile.title"
	MsgProfileSectionName   Msg = "profile.section.name"
	MsgProfileSectionWork   Msg = "profile.section.work"
	MsgProfileSectionPhones Msg = "profile.section.phones"
	MsgProfileSectionAddr   Msg = "profile.section.address"
	MsgProfileSectionLocale Msg = "profile.section.locale"
	MsgProfileSectionPhoto  Msg = "profile.section.photo"
	MsgFieldPrefix          Msg = "profile.field.honorificPrefix"
	MsgFieldGiven           Msg = "profile.field.given"
	MsgFieldMiddle          Msg = "profile.field.middle"
	MsgFieldFamily          Msg = "profile.field.family"
	MsgFieldSuffix          Msg = "profile.field.honorificSuffix"
	MsgFieldNickname        Msg = "profile.field.nickname"
	MsgFieldTitle           Msg = "profile.field.title"
	MsgFieldMobile          Msg = "profile.field.mobilePhone"
	MsgFieldPrimary         Msg = "profile.field.primaryPhone"
	MsgFieldStreet          Msg = "profile.field.streetAddress"
	MsgFieldLocality        Msg = "profile.field.locality"
	MsgFieldRegion          Msg = "profile.field.region"
	MsgFieldPostal          Msg = "profile.field.postalCode"
	MsgFieldCountry         Msg = "profile.field.countryCode"
	MsgFieldLocale          Msg = "profile.field.locale"
	MsgFieldLanguage        Msg = "profile.field.preferredLanguage"
	MsgFieldTimezone        Msg = "profile.field.timezone"
	MsgFieldPhoto           Msg = "profile.field.photo"
	MsgFieldUsername        Msg = "profile.field.username"
	MsgHintPhone            Msg = "profile.hint.phone"
	MsgHintLocale           Msg = "profile.hint.locale"
	MsgHintLanguage         Msg = "profile.hint.language"
	MsgHintPhoto            Msg = "profile.hint.photo"
	MsgHintReadOnly         Msg = "profile.hint.readonly"
	MsgNotChosen            Msg = "profile.notchosen"
	MsgProfileSave          Msg = "profile.save"
	MsgProfileSaving        Msg = "profile.saving"
	MsgProfileCancel        Msg = "profile.cancel"
	MsgProfileSaved         Msg = "profile.saved"
	MsgProfileSavedPending  Msg = "profile.saved.pending"
	MsgProfileNothing       Msg = "profile.nothing"
	MsgProfileFix           Msg = "profile.fix"
	MsgProfileConflict      Msg = "profile.conflict"
	MsgProfileReload        Msg = "profile.reload"
	MsgProfileVerify        Msg = "profile.verify"
	MsgProfileVerifyButton  Msg = "profile.verify.button"
	MsgProfileVerifyEdit    Msg = "profile.verify.edit"
	MsgErrText              Msg = "profile.error.text"
	MsgErrTooLong           Msg = "profile.error.toolong"
	MsgErrProfilePhone      Msg = "profile.error.phone"
	MsgErrNotMobile         Msg = "profile.error.notmobile"
	MsgErrLocale            Msg = "profile.error.locale"
	MsgErrLanguage          Msg = "profile.error.language"
	MsgErrTimezone          Msg = "profile.error.timezone"
	MsgErrCountry           Msg = "profile.error.country"
	MsgErrPhoto             Msg = "profile.error.photo"
	MsgErrUsername          Msg = "profile.error.username"
	MsgErrUsernameTaken     Msg = "profile.error.usernameTaken"
	MsgErrReadOnlyField     Msg = "profile.error.readonly"
	MsgErrOnePhone          Msg = "profile.error.onephone"
	MsgEmailChange          Msg = "profile.email.change"
	MsgEmailNew             Msg = "profile.email.new"
	MsgEmailSendCode        Msg = "profile.email.send"
	MsgEmailVerified        Msg = "profile.email.verified"
	MsgEmailUnverified      Msg = "profile.email.unverified"
	MsgEmailSame            Msg = "profile.email.same"
	MsgPendingEmail         Msg = "profile.pending.email"
	MsgPendingMobile        Msg = "profile.pending.mobilePhone"
	MsgPendingPrimary       Msg = "profile.pending.primaryPhone"
	MsgPendingCode          Msg = "profile.pending.code"
	MsgPendingConfirm       Msg = "profile.pending.confirm"
	MsgPendingResend        Msg = "profile.pending.resend"
	MsgPendingCancel        Msg = "profile.pending.cancel"
	MsgPendingResent        Msg = "profile.pending.resent"
	MsgContactChanged       Msg = "profile.contact.changed"
	MsgErrCodeLimit         Msg = "profile.error.codelimit"
	MsgErrCodeGone          Msg = "profile.error.codegone"

	MsgDevicesEmpty  Msg = "devices.empty"
	MsgDeviceDefault Msg = "devices.default"
	MsgDevEmail      Msg = "device.type.EMAIL"
	MsgDevSMS        Msg = "device.type.SMS"
	MsgDevVoice      Msg = "device.type.VOICE"
	MsgDevTOTP       Msg = "device.type.TOTP"
	MsgDevFIDO2      Msg = "device.type.FIDO2"
	MsgDevActive     Msg = "device.status.ACTIVE"
	MsgDevPending    Msg = "device.status.ACTIVATION_REQUIRED"
	MsgDevBlocked    Msg = "device.status.BLOCKED"
	MsgDevPasskey    Msg = "device.type.FIDO2.PLATFORM"

	MsgSecurityKeyHint    Msg = "methods.fido.key.hint"
	MsgPasskeyHint        Msg = "methods.fido.passkey.hint"
	MsgFIDOTitleKey       Msg = "methods.fido.key.title"
	MsgFIDOTitlePasskey   Msg = "methods.fido.passkey.title"
	MsgFIDOPromptKey      Msg = "methods.fido.key.prompt"
	MsgFIDOPromptPasskey  Msg = "methods.fido.passkey.prompt"
	MsgFIDORetry          Msg = "methods.fido.retry"
	MsgFIDOExpired        Msg = "methods.fido.expired"
	MsgFIDOCancelled      Msg = "fido.error.cancelled"
	MsgFIDOExists         Msg = "fido.error.exists"
	MsgFIDOUnsupported    Msg = "fido.error.unsupported"
	MsgAssertionTitle     Msg = "assertion.title"
	MsgAssertionHint      Msg = "assertion.hint"
	MsgAssertionHintNamed Msg = "assertion.hint.named"
	MsgAssertionButton    Msg = "assertion.submit"

	MsgSignOnTitle     Msg = "signon.title"
	MsgUsername        Msg = "signon.username"
	MsgPassword        Msg = "signon.password"
	MsgSignOnButton    Msg = "signon.submit"
	MsgEnrollTitle     Msg = "enroll.title"
	MsgEnrollExplain   Msg = "enroll.explain"
	MsgEmail           Msg = "enroll.email"
	MsgEnrollButton    Msg = "enroll.submit"
	MsgOTPTitle        Msg = "otp.title"
	MsgOTPSentTo       Msg = "otp.sentTo"
	MsgOTPSent         Msg = "otp.sent"
	MsgOTP             Msg = "otp.label"
	MsgOTPButton       Msg = "otp.submit"
	MsgResend          Msg = "otp.resend"
	MsgResent          Msg = "otp.resent"
	MsgSelectTitle     Msg = "select.title"
	MsgSelectButton    Msg = "select.submit"
	MsgExpired         Msg = "flow.expired"
	MsgBackToMyAccount Msg = "flow.back"
	MsgFlowFailed      Msg = "flow.failed"

	MsgErrWrongCode        Msg = "error.otp.wrong"
	MsgErrWrongCodeNoCount Msg = "error.otp.wrongNoCount"
	MsgErrTooMany          Msg = "error.limited"
	MsgErrTooManyNoDelay   Msg = "error.limitedNoDelay"
	MsgErrCredentials      Msg = "error.credentials"
	MsgErrCodeExpired      Msg = "error.otp.expired"
	MsgErrLocked           Msg = "error.locked"
	MsgErrOffline          Msg = "error.offline"
	MsgErrUsernameRequired Msg = "error.username.required"
	MsgErrUsernameFormat   Msg = "error.username.format"
	MsgErrPasswordRequired Msg = "error.password.required"
	MsgErrPasswordTooLong  Msg = "error.password.tooLong"
	MsgErrEmail            Msg = "error.email"
	MsgErrOTPFormat        Msg = "error.otp.format"
	MsgErrSelectDevice     Msg = "error.device.select"

	MsgMethodsTitle      Msg = "methods.title"
	MsgAddMethod         Msg = "methods.add"
	MsgChooseMethod      Msg = "methods.choose"
	MsgEmailWeak         Msg = "methods.email.weak"
	MsgCancel            Msg = "methods.cancel"
	MsgAddEmailTitle     Msg = "methods.email.title"
	MsgNext              Msg = "methods.next"
	MsgPairingTitle      Msg = "methods.pairing.title"
	MsgRename            Msg = "methods.rename"
	MsgNickname          Msg = "methods.nickname"
	MsgSave              Msg = "methods.save"
	MsgMoveUp            Msg = "methods.moveUp"
	MsgMoveDown          Msg = "methods.moveDown"
	MsgMakeDefault       Msg = "methods.makeDefault"
	MsgRemove            Msg = "methods.remove"
	MsgRemoveConfirm     Msg = "methods.remove.confirm"
	MsgRemoveYes         Msg = "methods.remove.yes"
	MsgFinishPairing     Msg = "methods.finish"
	MsgReadOnly          Msg = "methods.readOnly"
	MsgVerifyExplain     Msg = "methods.verify.explain"
	MsgVerify            Msg = "methods.verify"
	MsgErrDeviceLimit    Msg = "error.device.limit"
	MsgErrNicknameLength Msg = "error.nickname.length"
	MsgErrNicknameFormat Msg = "error.nickname.format"
	MsgNameMethod        Msg = "methods.name"
	MsgNameMethodHint    Msg = "methods.name.hint"
	MsgPairingOff        Msg = "methods.pairingOff"
	MsgErrDeviceGone     Msg = "error.device.gone"
	MsgSMSChoiceHint     Msg = "methods.sms.hint"
	MsgVoiceChoiceHint   Msg = "methods.voice.hint"
	MsgAddSMSTitle       Msg = "methods.sms.title"
	MsgAddVoiceTitle     Msg = "methods.voice.title"
	MsgAddSMSHint        Msg = "methods.sms.explain"
	MsgAddVoiceHint      Msg = "methods.voice.explain"
	MsgCountry           Msg = "methods.phone.country"
	MsgPhone             Msg = "methods.phone.number"
	MsgPhoneHint         Msg = "methods.phone.numberHint"
	MsgSMSPairingTitle   Msg = "methods.sms.pairing"
	MsgVoicePairingTitle Msg = "methods.voice.pairing"
	MsgOTPCalling        Msg = "otp.callingTo"
	MsgEmailLeastSecure  Msg = "methods.email.leastSecure"
	MsgErrPhoneRequired  Msg = "error.phone.required"
	MsgErrPhone          Msg = "error.phone"
	MsgErrPhoneServer    Msg = "error.phone.server"
	MsgErrRegion         Msg = "error.region"
	MsgTOTPChoiceHint    Msg = "methods.totp.hint"
	MsgTOTPTitle         Msg = "methods.totp.title"
	MsgTOTPScan          Msg = "methods.totp.scan"
	MsgTOTPQRAlt         Msg = "methods.totp.qrAlt"
	MsgTOTPManual        Msg = "methods.totp.manual"
	MsgTOTPCopy          Msg = "methods.totp.copy"
	MsgTOTPCopied        Msg = "methods.totp.copied"
	MsgTOTPCode          Msg = "methods.totp.code"
	MsgTOTPPairExpired   Msg = "methods.totp.expired"
	MsgOTPTitleTOTP      Msg = "otp.totp.title"
	MsgOTPHintTOTP       Msg = "otp.totp.hint"

	MsgPasswordTitle         Msg = "password.title"
	MsgPasswordCurrent       Msg = "password.current"
	MsgPasswordNew           Msg = "password.new"
	MsgPasswordConfirm       Msg = "password.confirm"
	MsgPasswordSubmit        Msg = "password.submit"
	MsgPasswordRequirements  Msg = "password.requirements"
	MsgPasswordChecking      Msg = "password.checking"
	MsgPasswordMeets         Msg = "password.meets"
	MsgPasswordMismatch      Msg = "password.mismatch"
	MsgPasswordChanged       Msg = "password.changed"
	MsgPasswordAgain         Msg = "password.again"
	MsgPasswordVerifyExplain Msg = "password.verify.explain"
	MsgPasswordWrongCurrent  Msg = "password.wrongCurrent"
	MsgPasswordRulesBroken   Msg = "password.rulesBroken"
	MsgMustChangeTitle       Msg = "password.mustChange.title"
	MsgMustChangeExplain     Msg = "password.mustChange.explain"
	MsgExpiredTitle          Msg = "password.expired.title"
	MsgExpiredExplain        Msg = "password.expired.explain"
	MsgReqLength             Msg = "password.req.length"
	MsgReqCommon             Msg = "password.req.common"
	MsgReqProfile            Msg = "password.req.profile"
	MsgReqSimilar            Msg = "password.req.similar"
	MsgReqHistory            Msg = "password.req.history"
	MsgReqRepeated           Msg = "password.req.repeated"
	MsgReqUnique             Msg = "password.req.unique"
	MsgRuleTooShort          Msg = "password.rule.PASSWORD_TOO_SHORT"
	MsgRuleTooLong           Msg = "password.rule.PASSWORD_TOO_LONG"
	MsgRuleCommon            Msg = "password.rule.PASSWORD_COMMON"
	MsgRuleProfile           Msg = "password.rule.PASSWORD_PROFILE_DATA"
	MsgRuleSimilar           Msg = "password.rule.PASSWORD_SIMILAR"
	MsgRuleSame              Msg = "password.rule.PASSWORD_SAME_AS_CURRENT"
	MsgRuleHistory           Msg = "password.rule.PASSWORD_HISTORY"
	MsgRuleCharacters        Msg = "password.rule.PASSWORD_CHARACTERS"
	MsgRuleRepeated          Msg = "password.rule.PASSWORD_REPEATED_CHARACTERS"
	MsgRuleUnique            Msg = "password.rule.PASSWORD_UNIQUE_CHARACTERS"
	MsgRuleMinAge            Msg = "password.rule.PASSWORD_MIN_AGE"
	MsgRuleControl           Msg = "password.rule.PASSWORD_INVALID_CHARACTERS"
)

// Application portal messages (myapps.go).
const (
	MsgPortalName     Msg = "portal.name"
	MsgPortalTitle    Msg = "portal.title"
	MsgPortalEmpty    Msg = "portal.empty"
	MsgPortalMenu     Msg = "portal.menu"
	MsgPortalProfile  Msg = "portal.profile"
	MsgPortalDevices  Msg = "portal.devices"
	MsgPortalAppsList Msg = "portal.apps"
)

// english is the message table (read-only; a second language is a second
// table picked by the page language): the core table and one per area
// that keeps its own (the admin console's pages).
var english = joinMessages(coreMessages, adminMessages, adminUsersMessages, adminBrandingMessages, adminConsettingsMessages, adminConappsMessages, adminSecurityMessages)

// joinMessages merges message tables; an id in two tables is a bug the
// messages test reports.
func joinMessages(tables ...map[Msg]string) map[Msg]string {
	out := map[Msg]string{}
	for _, t := range tables {
		for id, s := range t {
			out[id] = s
		}
	}
	return out
}

// coreMessages are MyAccount's, the sign-on pages' and the portal's.
var coreMessages = map[Msg]string{
	MsgAppName:       "MyAccount",
	MsgAppAbout:      "Manage your profile, sign-on methods and sessions.",
	MsgLoading:       "Loading…",
	MsgRedirecting:   "Signing you on…",
	MsgSignOff:       "Sign off",
	MsgSignOn:        "Sign on",
	MsgRetry:         "Try again",
	MsgOfflineBanner: "You are offline. This is what we saw last time; changes need a connection.",
	MsgOfflineNoData: "You are offline. Connect to the internet to sign on.",
	MsgErrGeneric:    "Something went wrong. Try again.",
	MsgErrSession:    "Your session has ended. Sign on again.",
	MsgErrState:      "This sign-on answer does not belong to this browser tab. Sign on again.",
	MsgErrSignOn:     "Sign-on did not complete. Sign on again.",
	MsgErrUnknownEnv: "This MyAccount address is not valid.",
	MsgNoTabs:        "There is nothing you can manage here yet.",

	MsgPortalName:     "My applications",
	MsgPortalTitle:    "Your applications",
	MsgPortalEmpty:    "No applications have been added for you yet.",
	MsgPortalMenu:     "Account menu for %s",
	MsgPortalProfile:  "Profile",
	MsgPortalDevices:  "Devices",
	MsgPortalAppsList: "Applications",

	MsgTabsLabel:   "Account sections",
	MsgTabProfile:  "My profile",
	MsgTabMFA:      "Authentication",
	MsgTabPassword: "Change password",
	MsgTabSessions: "Accounts & sessions",
	MsgTabConsents: "Consents",

	MsgProfileName:     "Name",
	MsgProfileUsername: "Username",
	MsgProfileEmail:    "Email",
	MsgProfileEmpty:    "No profile to show.",
	MsgNotSet:          "Not set",

	MsgProfileTitle:         "Personal details",
	MsgProfileSectionName:   "Name",
	MsgProfileSectionWork:   "Work",
	MsgProfileSectionPhones: "Phone numbers",
	MsgProfileSectionAddr:   "Address",
	MsgProfileSectionLocale: "Language and region",
	MsgProfileSectionPhoto:  "Photo",
	MsgFieldPrefix:          "Title before the name (Dr., Ms.)",
	MsgFieldGiven:           "Given name",
	MsgFieldMiddle:          "Middle name",
	MsgFieldFamily:          "Family name",
	MsgFieldSuffix:          "After the name (Jr., PhD)",
	MsgFieldNickname:        "Nickname",
	MsgFieldTitle:           "Job title",
	MsgFieldMobile:          "Mobile phone",
	MsgFieldPrimary:         "Primary phone",
	MsgFieldStreet:          "Street address",
	MsgFieldLocality:        "City",
	MsgFieldRegion:          "State or region",
	MsgFieldPostal:          "Postal code",
	MsgFieldCountry:         "Country",
	MsgFieldLocale:          "Locale",
	MsgFieldLanguage:        "Preferred languages",
	MsgFieldTimezone:        "Time zone",
	MsgFieldPhoto:           "Photo address",
	MsgFieldUsername:        "Username",
	MsgHintPhone:            "With + and the country code, for example +33 6 12 34 56 78. A new number gets a code to confirm it.",
	MsgHintLocale:           "A language tag, for example en-GB or fr-CA: how dates and numbers are shown.",
	MsgHintLanguage:         "Languages in order of preference, for example fr-FR, en;q=0.8.",
	MsgHintPhoto:            "An https:// address of your picture.",
	MsgHintReadOnly:         "Your organization manages this.",
	MsgNotChosen:            "Not set",
	MsgProfileSave:          "Save",
	MsgProfileSaving:        "Saving…",
	MsgProfileCancel:        "Cancel changes",
	MsgProfileSaved:         "Your profile is saved.",
	MsgProfileSavedPending:  "Saved. Your new number applies once you enter the code sent to it (above).",
	MsgProfileNothing:       "There is nothing new to save.",
	MsgProfileFix:           "Some fields need a fix before saving: see the messages under them.",
	MsgProfileConflict:      "This profile changed elsewhere (in another tab or device) since you opened it. Reload to see the latest version, then make your changes again.",
	MsgProfileReload:        "Reload the profile",
	MsgProfileVerify:        "A new email address or phone number needs a recent verification of your identity. Verify, then make the change again.",
	MsgProfileVerifyButton:  "Verify it's you",
	MsgProfileVerifyEdit:    "To edit your profile, verify it's you with one of your sign-on methods first.",
	MsgErrText:              "Remove the control characters from this field.",
	MsgErrTooLong:           "This is too long.",
	MsgErrProfilePhone:      "Enter the number with + and the country code, for example +33 6 12 34 56 78.",
	MsgErrNotMobile:         "This is not a mobile number: text messages cannot reach it.",
	MsgErrLocale:            "Enter a language tag such as en-GB.",
	MsgErrLanguage:          "Enter languages such as fr-FR, en;q=0.8.",
	MsgErrTimezone:          "Choose a time zone from the list.",
	MsgErrCountry:           "Choose a country from the list.",
	MsgErrPhoto:             "Enter an https:// address.",
	MsgErrUsername:          "A username has no spaces and at most 128 characters.",
	MsgErrUsernameTaken:     "This username is taken.",
	MsgErrReadOnlyField:     "This cannot be changed here.",
	MsgErrOnePhone:          "Change one phone number at a time: each new number is confirmed with its own code.",
	MsgEmailChange:          "Change email",
	MsgEmailNew:             "New email address",
	MsgEmailSendCode:        "Send a code",
	MsgEmailVerified:        "Verified",
	MsgEmailUnverified:      "Not verified",
	MsgEmailSame:            "This is already your email address.",
	MsgPendingEmail:         "We sent a code to %s. Enter it to make this your email address.",
	MsgPendingMobile:        "We sent a code by text message to %s. Enter it to make this your mobile phone.",
	MsgPendingPrimary:       "We are calling %s with a code. Enter it to make this your primary phone.",
	MsgPendingCode:          "Code",
	MsgPendingConfirm:       "Confirm",
	MsgPendingResend:        "Send a new code",
	MsgPendingCancel:        "Cancel this change",
	MsgPendingResent:        "A new code is on its way.",
	MsgContactChanged:       "Done: %s is saved on your account.",
	MsgErrCodeLimit:         "Too many wrong codes: the change was cancelled. Make it again to get a new code.",
	MsgErrCodeGone:          "This change is no longer waiting for a code. Make it again if you still want it.",

	MsgDevicesEmpty:  "You have no authentication methods yet.",
	MsgDeviceDefault: "Default",
	MsgDevEmail:      "Email",
	MsgDevSMS:        "Text message",
	MsgDevVoice:      "Voice call",
	MsgDevTOTP:       "Authenticator app",
	MsgDevFIDO2:      "Security key",
	MsgDevActive:     "Active",
	MsgDevPending:    "Activation required",
	MsgDevBlocked:    "Blocked",
	MsgDevPasskey:    "Passkey",

	MsgSecurityKeyHint:    "A key you plug in or hold to your phone and touch, such as a YubiKey.",
	MsgPasskeyHint:        "Sign on with this device's screen lock (fingerprint, face or PIN), or your password manager.",
	MsgFIDOTitleKey:       "Add a security key",
	MsgFIDOTitlePasskey:   "Add a passkey",
	MsgFIDOPromptKey:      "Follow your browser's prompt: insert your security key and touch it.",
	MsgFIDOPromptPasskey:  "Follow your browser's prompt and confirm with your screen lock.",
	MsgFIDORetry:          "Try again",
	MsgFIDOExpired:        "This pairing has expired. Remove it and add the method again.",
	MsgFIDOCancelled:      "The request was cancelled or timed out. Try again.",
	MsgFIDOExists:         "This security key or passkey is already one of your methods.",
	MsgFIDOUnsupported:    "This browser cannot use a security key or passkey here.",
	MsgAssertionTitle:     "Use your security key or passkey",
	MsgAssertionHint:      "When your browser asks, use your security key or passkey.",
	MsgAssertionHintNamed: "When your browser asks, use %s.",
	MsgAssertionButton:    "Use your security key or passkey",

	MsgConsentsTitle:    "Agreements you consented to",
	MsgConsentsExplain:  "Revoking a consent means you will be asked to accept the agreement again at your next sign-on.",
	MsgConsentsEmpty:    "You have not consented to any agreement.",
	MsgConsentDetail:    "Version %s · language %s · accepted %s",
	MsgConsentRevoke:    "Revoke",
	MsgConsentConfirm:   "Revoke your consent to %s?",
	MsgConsentRevoked:   "Consent revoked. You will be asked again at your next sign-on.",
	MsgAgreementExplain: "Please read and accept to continue.",
	MsgAgreementAccept:  "Accept",
	MsgAgreementDecline: "Decline",

	MsgSignOnTitle:     "Sign on",
	MsgUsername:        "Username",
	MsgPassword:        "Password",
	MsgSignOnButton:    "Sign on",
	MsgEnrollTitle:     "Set up one-time passcodes",
	MsgEnrollExplain:   "Add an email address to receive one-time passcodes",
	MsgEmail:           "Email address",
	MsgEnrollButton:    "Send code",
	MsgOTPTitle:        "Enter your passcode",
	MsgOTPSentTo:       "We sent a one-time passcode to %s.",
	MsgOTPSent:         "We sent you a one-time passcode.",
	MsgOTP:             "Passcode",
	MsgOTPButton:       "Verify",
	MsgResend:          "Send a new code",
	MsgResent:          "A new code is on its way.",
	MsgSelectTitle:     "Choose how to verify",
	MsgSelectButton:    "Continue",
	MsgExpired:         "This sign-on page has expired",
	MsgBackToMyAccount: "Back to MyAccount",
	MsgFlowFailed:      "This sign-on cannot continue. Start again from MyAccount.",

	MsgErrWrongCode:        "Wrong code, %d attempts left",
	MsgErrWrongCodeNoCount: "Wrong code. Try again.",
	MsgErrTooMany:          "Too many attempts, try again in %d s",
	MsgErrTooManyNoDelay:   "Too many attempts, try again later.",
	MsgErrCredentials:      "Wrong username or password.",
	MsgErrCodeExpired:      "This code has expired. Send a new one.",
	MsgErrLocked:           "This account is locked for now. Try again later.",
	MsgErrOffline:          "You are offline. Check your connection and try again.",
	MsgErrUsernameRequired: "Enter your username.",
	MsgErrUsernameFormat:   "A username has no spaces and at most 128 characters.",
	MsgErrPasswordRequired: "Enter your password.",
	MsgErrPasswordTooLong:  "This password is too long.",
	MsgErrEmail:            "Enter a valid email address.",
	MsgErrOTPFormat:        "Enter the code: 6 to 10 digits.",
	MsgErrSelectDevice:     "Choose a method.",

	// Recovery codes (recovery.go).
	MsgRecoveryTitle:          "Recovery codes",
	MsgRecoveryExplain:        "Single-use codes to sign on with when your other methods are not at hand. Keep them somewhere safe, away from your devices.",
	MsgRecoveryNone:           "You have no recovery codes yet.",
	MsgRecoveryLeft:           "%d codes left",
	MsgRecoveryLeftOne:        "1 code left",
	MsgRecoveryGenerate:       "Generate recovery codes",
	MsgRecoveryRegenerate:     "Regenerate recovery codes",
	MsgRecoveryWarn:           "New codes replace your current ones: the old codes stop working at once.",
	MsgRecoveryWarnYes:        "Yes, make new codes",
	MsgRecoverySaveNow:        "Save these codes now: they will not be shown again. Each code works once.",
	MsgRecoveryCodesLabel:     "Your recovery codes",
	MsgRecoveryCopy:           "Copy codes",
	MsgRecoveryCopied:         "Codes copied.",
	MsgRecoveryDownload:       "Download as text",
	MsgRecoveryDone:           "I have saved them",
	MsgRecoveryFileHead:       "MyAccount recovery codes. Each code works once.",
	MsgRecoveryVerifyExplain:  "To make recovery codes, verify it is you first.",
	MsgRecoveryNeedDevice:     "Add an authentication method first: recovery codes stand in for one.",
	MsgRecoveryUse:            "Use a recovery code",
	MsgRecoveryUseDevice:      "Use my authentication method instead",
	MsgRecoveryStepTitle:      "Enter a recovery code",
	MsgRecoveryStepHint:       "Enter one of the recovery codes you saved, like abcde-12345. Each code works once.",
	MsgRecoveryCodeLabel:      "Recovery code",
	MsgErrRecoveryCodeFormat:  "Enter a recovery code: ten letters and digits, like abcde-12345.",
	MsgErrRecoveryCodeWrong:   "Wrong or used recovery code, %d attempts left",
	MsgErrRecoveryCodeWrongNo: "Wrong or used recovery code. Try again.",

	MsgMethodsTitle:      "Your authentication methods",
	MsgAddMethod:         "Add method",
	MsgChooseMethod:      "Choose a method to add",
	MsgEmailWeak:         "Weakest method: NIST 800-63B does not accept email as an out-of-band authenticator.",
	MsgCancel:            "Cancel",
	MsgAddEmailTitle:     "Email",
	MsgNext:              "Next",
	MsgPairingTitle:      "Email pairing",
	MsgRename:            "Rename",
	MsgNickname:          "Nickname",
	MsgSave:              "Save",
	MsgMoveUp:            "Move up",
	MsgMoveDown:          "Move down",
	MsgMakeDefault:       "Make default",
	MsgRemove:            "Remove",
	MsgRemoveConfirm:     "Remove %s? You will no longer be able to sign on with it.",
	MsgRemoveYes:         "Yes, remove",
	MsgFinishPairing:     "Finish pairing",
	MsgReadOnly:          "You can view your methods here; changing them is not allowed for this sign-on.",
	MsgVerifyExplain:     "To change your methods, verify it is you first.",
	MsgVerify:            "Verify to make changes",
	MsgErrDeviceLimit:    "You have the most methods allowed. Remove one first.",
	MsgErrNicknameLength: "A nickname has at most 100 characters.",
	MsgErrNicknameFormat: "A nickname cannot contain control characters.",
	MsgNameMethod:        "Name this method",
	MsgNameMethodHint:    "Optional: up to 100 characters, to tell your methods apart.",
	MsgPairingOff:        "Your administrator has turned off adding methods.",
	MsgErrDeviceGone:     "This method no longer exists. The list is refreshed.",
	MsgSMSChoiceHint:     "A one-time passcode by text message to your mobile phone.",
	MsgVoiceChoiceHint:   "A call to your phone that reads out a one-time passcode; works with landlines.",
	MsgAddSMSTitle:       "Text message",
	MsgAddVoiceTitle:     "Voice call",
	MsgAddSMSHint:        "We will text a one-time passcode to this number.",
	MsgAddVoiceHint:      "We will call this number and read out a one-time passcode.",
	MsgCountry:           "Country",
	MsgPhone:             "Phone number",
	MsgPhoneHint:         "The number as you dial it in the country chosen, or with + and its country code.",
	MsgSMSPairingTitle:   "Text message pairing",
	MsgVoicePairingTitle: "Voice call pairing",
	MsgOTPCalling:        "We are calling %s to read out a one-time passcode.",
	MsgEmailLeastSecure:  "Email is the least secure method (NIST 800-63B).",
	MsgErrPhoneRequired:  "Enter a phone number.",
	MsgErrPhone:          "Enter a phone number: 4 to 20 digits, with spaces, -, ( ) or a leading + if you like.",
	MsgErrPhoneServer:    "This number %s",
	MsgErrRegion:         "Choose a country from the list.",
	MsgTOTPChoiceHint:    "An app on your phone, such as Google Authenticator or Microsoft Authenticator, shows a new code every 30 seconds.",
	MsgTOTPTitle:         "Scan this QR code",
	MsgTOTPScan:          "Scan this QR code with your authenticator app, then enter the code the app shows.",
	MsgTOTPQRAlt:         "QR code to add this account to your authenticator app",
	MsgTOTPManual:        "Cannot scan it? Enter this key in the app instead:",
	MsgTOTPCopy:          "Copy key",
	MsgTOTPCopied:        "Key copied.",
	MsgTOTPCode:          "Code from the app",
	MsgTOTPPairExpired:   "This pairing has expired. Remove it and add the app again.",
	MsgOTPTitleTOTP:      "Enter the code from your authenticator app",
	MsgOTPHintTOTP:       "Open your authenticator app and enter the code it shows for this account.",

	MsgPasswordTitle:         "Change your password",
	MsgPasswordCurrent:       "Current password",
	MsgPasswordNew:           "New password",
	MsgPasswordConfirm:       "Confirm new password",
	MsgPasswordSubmit:        "Change password",
	MsgPasswordRequirements:  "Your new password must meet these rules:",
	MsgPasswordChecking:      "Checking…",
	MsgPasswordMeets:         "This password meets the rules.",
	MsgPasswordMismatch:      "The two new passwords are not the same.",
	MsgPasswordChanged:       "Your password was changed. You were signed off everywhere else.",
	MsgPasswordAgain:         "Change it again",
	MsgPasswordVerifyExplain: "To change your password, verify it is you first.",
	MsgPasswordWrongCurrent:  "Your current password is not right.",
	MsgPasswordRulesBroken:   "Choose another new password: it breaks the rules listed.",
	MsgMustChangeTitle:       "Choose a new password",
	MsgMustChangeExplain:     "Your administrator asks you to choose a new password before you go on.",
	MsgExpiredTitle:          "Your password has expired",
	MsgExpiredExplain:        "Choose a new password before you go on.",
	MsgReqLength:             "Between %d and %d characters.",
	MsgReqCommon:             "Not a common or breached password.",
	MsgReqProfile:            "Not your name, username or email address.",
	MsgReqSimilar:            "Not too close to your current password.",
	MsgReqHistory:            "Not one of your last %d passwords.",
	MsgReqRepeated:           "No character more than %d times in a row.",
	MsgReqUnique:             "At least %d different characters.",
	MsgRuleTooShort:          "Too short: use at least %d characters.",
	MsgRuleTooLong:           "Too long: use at most %d characters.",
	MsgRuleCommon:            "This password is on a list of common or breached passwords.",
	MsgRuleProfile:           "It contains your name, username or email address.",
	MsgRuleSimilar:           "It is too close to your current password.",
	MsgRuleSame:              "It is your current password.",
	MsgRuleHistory:           "You used it recently (one of your last %d passwords).",
	MsgRuleCharacters:        "At least %d of these characters: %s",
	MsgRuleRepeated:          "It repeats a character more than %d times in a row.",
	MsgRuleUnique:            "Use at least %d different characters.",
	MsgRuleMinAge:            "You changed your password recently. Try again later.",
	MsgRuleControl:           "It contains characters that cannot be typed, such as control characters.",

	// Sessions and Activity (sessions.go).
	MsgTabActivity:            "Activity",
	MsgSessionsTitle:          "Where you are signed on",
	MsgSessionsExplain:        "Every browser signed on to your account. Sign off any you do not recognise, then change your password.",
	MsgSessionsOffline:        "You are offline. Connect to see this.",
	MsgSessionsVerifyExplain:  "To sign sessions off, verify it is you first.",
	MsgSessionsSignOffOthers:  "Sign off all other sessions",
	MsgSessionsOthersConfirm:  "Sign off all %d other sessions? Those browsers will have to sign on again.",
	MsgSessionsOthersDone:     "All other sessions were signed off.",
	MsgSessionCurrent:         "This browser",
	MsgSessionTimes:           "Signed on %s · last active %s",
	MsgSessionMethods:         "Signed on with: %s",
	MsgSessionEarlier:         "Also used from: %s",
	MsgSessionSignOff:         "Sign off",
	MsgSessionSignOffYes:      "Yes, sign off",
	MsgSessionConfirm:         "Sign off %s? That browser will have to sign on again.",
	MsgSessionDone:            "The session was signed off.",
	MsgSessionGone:            "That session had already ended. The list is refreshed.",
	MsgAgentOn:                "%s on %s",
	MsgAgentBrowser:           "A browser",
	MsgAgentUnknown:           "An unknown browser",
	MsgDeviceDesktop:          "Computer",
	MsgDeviceMobile:           "Mobile phone",
	MsgDeviceTablet:           "Tablet",
	MsgDeviceBot:              "Automated client",
	MsgDeviceUnknown:          "Unknown device",
	MsgAMRPassword:            "password",
	MsgAMRPasscode:            "one-time passcode",
	MsgAMRKey:                 "security key or passkey",
	MsgAMRRecovery:            "recovery code",
	MsgActivityTitle:          "Recent security activity",
	MsgActivityExplain:        "Sign-ons, changes to your sign-on methods and password, and sessions signed off, newest first. Kept for 90 days.",
	MsgActivityKinds:          "Show",
	MsgActivityEmpty:          "Nothing to show.",
	MsgActivityMore:           "Load more",
	MsgKindAll:                "All",
	MsgKindSignOn:             "Sign-ons",
	MsgKindMethods:            "Methods",
	MsgKindPassword:           "Password",
	MsgKindSessions:           "Sessions",
	MsgSecureButton:           "Secure my account",
	MsgSecureQuestion:         "Something here was not you? Secure your account:",
	MsgSecureEffectSessions:   "every other session is signed off, on every device,",
	MsgSecureEffectPassword:   "you choose a new password at your next sign-on,",
	MsgSecureEffectFreeze:     "your sign-on methods cannot be changed for 24 hours, except by an administrator.",
	MsgSecureYes:              "Yes, secure my account",
	MsgSecureVerifyExplain:    "To secure your account, verify it is you first.",
	MsgSecureDone:             "Your account is secured: %d other sessions were signed off. Method changes are paused until %s. Change your password now.",
	MsgSecureDoneOne:          "Your account is secured: 1 other session was signed off. Method changes are paused until %s. Change your password now.",
	MsgSecureChangeNow:        "Change my password",
	MsgErrFrozen:              "Your account was secured recently: your methods cannot be changed for now. Ask an administrator if you need to.",
	MsgErrFrozenUntil:         "Your account was secured recently: your methods cannot be changed until %s. Ask an administrator if you need to.",
	MsgEvPasswordOK:           "Password accepted at sign-on",
	MsgEvPasswordFailed:       "Sign-on failed: wrong username or password",
	MsgEvMFAOK:                "Second factor accepted at sign-on",
	MsgEvMFAFailed:            "Sign-on failed: wrong passcode or security key",
	MsgEvSignedOn:             "Signed on",
	MsgEvSignedOnNew:          "Signed on from a new device or place",
	MsgEvSignedOff:            "Session signed off",
	MsgEvSecured:              "Account secured",
	MsgEvLocked:               "Sign-on locked for a while after failed attempts",
	MsgEvPasswordChanged:      "Password changed",
	MsgEvPasswordChangeFailed: "Password change refused",
	MsgEvMethodAdded:          "Sign-on method added",
	MsgEvMethodRemoved:        "Sign-on method removed",
	MsgEvMethodRenamed:        "Sign-on method renamed",
	MsgEvMethodsReordered:     "Sign-on methods reordered",
	MsgEvMethodBlocked:        "Sign-on method blocked by an administrator",
	MsgEvMethodUnblocked:      "Sign-on method unblocked by an administrator",
	MsgEvRecoveryCreated:      "New recovery codes made",
	MsgEvRecoveryDeleted:      "Recovery codes removed",
	MsgEvRecoveryUsed:         "Signed on with a recovery code",
	MsgEvTokenReuse:           "A session was ended: its sign-in token was used twice",
	MsgEvFailed:               "failed",

	MsgLinkedTitle:   "Linked accounts",
	MsgLinkedExplain: "Accounts with other providers you can sign on with.",
	MsgLinkedEmpty:   "No linked accounts.",
	MsgLinkedUnknown: "A removed provider",
	MsgLinkedSince:   "Linked %s",
	MsgLinkedUnlink:  "Unlink",
	MsgLinkedConfirm: "Unlink your %s account? You will no longer be able to sign on with it.",
	MsgLinkedYes:     "Yes, unlink",
	MsgLinkedDone:    "The account is unlinked.",
	MsgLinkedGone:    "That account was already unlinked. The list is refreshed.",

	MsgAppConsentsTitle:   "Applications you allowed",
	MsgAppConsentsExplain: "Revoking an application's access signs it out of your account; it will ask again the next time you use it.",
	MsgAppConsentsEmpty:   "You have not allowed any application.",
	MsgAppConsentDetail:   "Allowed %s · last changed %s",
	MsgAppConsentConfirm:  "Revoke the access of %s? It will stop working with your account until you allow it again.",
	MsgAppConsentRevoked:  "Access revoked. The application will ask again the next time you use it.",
	MsgAppConsentGone:     "That access was already revoked. The list is refreshed.",
	MsgAppRemoved:         "A removed application",
	MsgHistoryTitle:       "Consent history",
	MsgHistoryEmpty:       "No consent given or revoked in the last 90 days.",
	MsgHistoryAppGiven:    "You allowed %s",
	MsgHistoryAppRevoked:  "Access of %s revoked",
	MsgHistoryAppDenied:   "You denied %s",
	MsgHistoryAgrGiven:    "You accepted %s",
	MsgHistoryAgrRevoked:  "Consent to %s revoked",
	MsgHistoryAgrDeclined: "You declined %s",
	MsgHistoryAgrRemoved:  "a removed agreement",
	MsgHistoryByAdmin:     "(by an administrator)",

	MsgConsentStepTitle:   "%s wants to access your account",
	MsgConsentStepExplain: "If you allow it, %s will be able to:",
	MsgConsentStepMore:    "%s asks for more access than you allowed before. If you allow it, it will be able to:",
	MsgConsentStepAllow:   "Allow",
	MsgConsentStepDeny:    "Deny",
	MsgConsentStepRevoke:  "You can revoke this access at any time in MyAccount, under Consents.",
	MsgConsentStepNew:     "new",

	MsgScopeOpenID:             "Sign you in with your account",
	MsgScopeProfile:            "See your name and username",
	MsgScopeEmail:              "See your email address",
	MsgScopeReadUser:           "Read your profile",
	MsgScopeUpdateUser:         "Change your profile",
	MsgScopeReadDevice:         "See your authentication methods",
	MsgScopeCreateDevice:       "Add authentication methods",
	MsgScopeUpdateDevice:       "Change your authentication methods",
	MsgScopeDeleteDevice:       "Remove your authentication methods",
	MsgScopeReadPassword:       "See your password's status",
	MsgScopeValidatePassword:   "Check passwords against your password rules",
	MsgScopeResetPassword:      "Change your password",
	MsgScopeReadSessions:       "See your sessions and account activity",
	MsgScopeDeleteSessions:     "Sign your sessions off",
	MsgScopeReadLinked:         "See your linked accounts",
	MsgScopeDeleteLinked:       "Unlink your linked accounts",
	MsgScopeReadUserConsent:    "See the agreements you accepted",
	MsgScopeReadOAuthConsent:   "See the applications you allowed",
	MsgScopeUpdateOAuthConsent: "Revoke applications you allowed",
	MsgScopeUpdateMFAEnabled:   "Turn multi-factor authentication on or off",
	MsgFedOr:                   "Or sign on with another account:",
	MsgFedSignInWith:           "Sign in with %s",
	MsgFedProveTitle:           "Confirm it is your account",
	MsgFedProveExplain:         "An account named %s uses this email address. Enter its password to link the two; you can then sign on with either.",
	MsgFedProveButton:          "Confirm and link",
	MsgLinkedLink:              "Link %s",
	MsgLinkedLinkHint:          "Link another account to sign on with it:",
	MsgLinkedLinkFailed:        "The account was not linked. Try again.",
	MsgLinkedTaken:             "That account is linked to another user already, so it was not linked to yours.",
	MsgLinkedOff:               "That provider is not available at the moment, so nothing was linked.",
	MsgLinkedLimit:             "You have linked as many accounts as allowed. Unlink one first.",
	MsgAMRFederated:            "linked account",
	MsgEvLinkedAdded:           "Linked account added",
	MsgEvLinkedRemoved:         "Linked account removed",
	MsgEvExternalOK:            "Signed on with a linked account",
	MsgEvExternalFailed:        "Sign-on with another provider refused",
}

// T returns the text of id, formatted with args when the text has verbs.
// An id missing from the table shows as itself, so a gap is visible rather
// than blank.
func T(id Msg, args ...any) string {
	s, ok := english[id]
	if !ok {
		return string(id)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
