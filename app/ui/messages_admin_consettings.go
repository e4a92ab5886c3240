package ui

// The console's environment settings sections: Self Service, MFA,
// password policies and the sign-on policy.
const (
	MsgAdminCSSelfService     Msg = "admin.consettings.selfservice"
	MsgAdminCSSelfServiceHint Msg = "admin.consettings.selfservice.hint"
	MsgAdminCSManageProfile   Msg = "admin.consettings.manageProfile"
	MsgAdminCSManageAuth      Msg = "admin.consettings.manageAuthentication"
	MsgAdminCSPingID          Msg = "admin.consettings.pingid"
	MsgAdminCSPingIDHint      Msg = "admin.consettings.pingid.hint"
	MsgAdminCSChangePassword  Msg = "admin.consettings.changePassword"
	MsgAdminCSLinkedAccounts  Msg = "admin.consettings.linkedAccounts"
	MsgAdminCSSessions        Msg = "admin.consettings.sessions"
	MsgAdminCSAgreements      Msg = "admin.consettings.agreements"
	MsgAdminCSConsents        Msg = "admin.consettings.consents"
	MsgAdminCSApplyTheme      Msg = "admin.consettings.applyTheme"
	MsgAdminCSShowFooter      Msg = "admin.consettings.showFooter"
	MsgAdminCSSignOff         Msg = "admin.consettings.signOff"
	MsgAdminCSAttributes      Msg = "admin.consettings.attributes"
	MsgAdminCSAttrName        Msg = "admin.consettings.attr.name"
	MsgAdminCSAttrEmail       Msg = "admin.consettings.attr.email"
	MsgAdminCSAttrAddress     Msg = "admin.consettings.attr.address"
	MsgAdminCSHidden          Msg = "admin.consettings.hidden"
	MsgAdminCSReadOnly        Msg = "admin.consettings.readonly"
	MsgAdminCSEditable        Msg = "admin.consettings.editable"
	MsgAdminCSSave            Msg = "admin.consettings.save"
	MsgAdminCSSaved           Msg = "admin.consettings.saved"
	MsgAdminCSNumber          Msg = "admin.consettings.number"

	MsgAdminCSSignOn          Msg = "admin.consettings.signon"
	MsgAdminCSSignOnHint      Msg = "admin.consettings.signon.hint"
	MsgAdminCSName            Msg = "admin.consettings.name"
	MsgAdminCSKind            Msg = "admin.consettings.kind"
	MsgAdminCSKindPassword    Msg = "admin.consettings.kind.password"
	MsgAdminCSKindMFA         Msg = "admin.consettings.kind.mfa"
	MsgAdminCSNoDevice        Msg = "admin.consettings.nodevice"
	MsgAdminCSEnroll          Msg = "admin.consettings.enroll"
	MsgAdminCSBlock           Msg = "admin.consettings.block"
	MsgAdminCSDeviceSelection Msg = "admin.consettings.deviceSelection"
	MsgAdminCSDefaultToFirst  Msg = "admin.consettings.defaultToFirst"
	MsgAdminCSPrompt          Msg = "admin.consettings.prompt"
	MsgAdminCSAlwaysDisplay   Msg = "admin.consettings.alwaysDisplay"
	MsgAdminCSAgreement       Msg = "admin.consettings.agreement"
	MsgAdminCSNoAgreement     Msg = "admin.consettings.noagreement"
	MsgAdminCSDisabled        Msg = "admin.consettings.disabled"

	MsgAdminCSMFA                 Msg = "admin.consettings.mfa"
	MsgAdminCSOTP                 Msg = "admin.consettings.otp"
	MsgAdminCSOTPLength           Msg = "admin.consettings.otp.length"
	MsgAdminCSOTPLifetime         Msg = "admin.consettings.otp.lifetime"
	MsgAdminCSOTPFailures         Msg = "admin.consettings.otp.failures"
	MsgAdminCSOTPCoolDown         Msg = "admin.consettings.otp.cooldown"
	MsgAdminCSLockout             Msg = "admin.consettings.lockout"
	MsgAdminCSLockoutFailures     Msg = "admin.consettings.lockout.failures"
	MsgAdminCSLockoutDuration     Msg = "admin.consettings.lockout.duration"
	MsgAdminCSTOTPWindow          Msg = "admin.consettings.totp.window"
	MsgAdminCSTOTPWindowHint      Msg = "admin.consettings.totp.window.hint"
	MsgAdminCSMethods             Msg = "admin.consettings.methods"
	MsgAdminCSPairing             Msg = "admin.consettings.pairing"
	MsgAdminCSMaxDevices          Msg = "admin.consettings.pairing.max"
	MsgAdminCSPairingDisabled     Msg = "admin.consettings.pairing.disabled"
	MsgAdminCSPairingDisabledHint Msg = "admin.consettings.pairing.disabled.hint"
	MsgAdminCSPromptNickname      Msg = "admin.consettings.pairing.nickname"
	MsgAdminCSExcludeEmail        Msg = "admin.consettings.excludeEmail"
	MsgAdminCSExcludeEmailHint    Msg = "admin.consettings.excludeEmail.hint"
	MsgAdminCSDevicePolicies      Msg = "admin.consettings.devicePolicies"
	MsgAdminCSDevicePoliciesHint  Msg = "admin.consettings.devicePolicies.hint"
	MsgAdminCSPolicyMethods       Msg = "admin.consettings.policy.methods"
	MsgAdminCSRecoveryCodes       Msg = "admin.consettings.policy.recoveryCodes"
	MsgAdminCSMakeDefault         Msg = "admin.consettings.policy.default"
	MsgAdminCSPolicyMyAccount     Msg = "admin.consettings.policy.myaccount"
	MsgAdminCSPolicyMyAccountHint Msg = "admin.consettings.policy.myaccount.hint"
	MsgAdminCSNoPolicies          Msg = "admin.consettings.policy.none"
	MsgAdminCSEdit                Msg = "admin.consettings.policy.edit"
	MsgAdminCSDelete              Msg = "admin.consettings.policy.delete"
	MsgAdminCSConfirmDelete       Msg = "admin.consettings.policy.confirmDelete"
	MsgAdminCSNewPolicy           Msg = "admin.consettings.policy.new"
	MsgAdminCSEditPolicy          Msg = "admin.consettings.policy.editTitle"

	MsgAdminCSPasswords         Msg = "admin.consettings.passwords"
	MsgAdminCSPasswordsHint     Msg = "admin.consettings.passwords.hint"
	MsgAdminCSDescription       Msg = "admin.consettings.passwords.description"
	MsgAdminCSMinLength         Msg = "admin.consettings.passwords.minLength"
	MsgAdminCSMaxLength         Msg = "admin.consettings.passwords.maxLength"
	MsgAdminCSMinUnique         Msg = "admin.consettings.passwords.minUnique"
	MsgAdminCSMaxRepeated       Msg = "admin.consettings.passwords.maxRepeated"
	MsgAdminCSHistoryCount      Msg = "admin.consettings.passwords.historyCount"
	MsgAdminCSHistoryDays       Msg = "admin.consettings.passwords.historyDays"
	MsgAdminCSMinAge            Msg = "admin.consettings.passwords.minAge"
	MsgAdminCSMaxAge            Msg = "admin.consettings.passwords.maxAge"
	MsgAdminCSExcludesCommon    Msg = "admin.consettings.passwords.excludesCommon"
	MsgAdminCSExcludesProfile   Msg = "admin.consettings.passwords.excludesProfile"
	MsgAdminCSNotSimilar        Msg = "admin.consettings.passwords.notSimilar"
	MsgAdminCSMinCharacters     Msg = "admin.consettings.passwords.minCharacters"
	MsgAdminCSMinCharactersHint Msg = "admin.consettings.passwords.minCharacters.hint"
	MsgAdminCSEmptyIsOff        Msg = "admin.consettings.passwords.emptyIsOff"
	MsgAdminCSPairNeeded        Msg = "admin.consettings.passwords.pairNeeded"
	MsgAdminCSLengthSummary     Msg = "admin.consettings.passwords.lengthSummary"
	MsgAdminCSBuiltIn           Msg = "admin.consettings.passwords.builtIn"
)

var adminConsettingsMessages = map[Msg]string{
	MsgAdminCSSelfService:     "Self Service",
	MsgAdminCSSelfServiceHint: "What users may do in MyAccount. Each switch changes the scopes MyAccount gets and the tabs users see; the server refuses what is off.",
	MsgAdminCSManageProfile:   "Manage profile",
	MsgAdminCSManageAuth:      "Manage authentication",
	MsgAdminCSPingID:          "Manage PingID devices via MyAccount",
	MsgAdminCSPingIDHint:      "Users get reduced scopes (they can view their methods, not change them) until they complete MFA, and MyAccount is added to the device authentication policies that include device management. The MyAccount application needs an MFA policy for this.",
	MsgAdminCSChangePassword:  "Change password",
	MsgAdminCSLinkedAccounts:  "Manage linked accounts",
	MsgAdminCSSessions:        "Manage sessions",
	MsgAdminCSAgreements:      "View agreements",
	MsgAdminCSConsents:        "Manage OAuth consents",
	MsgAdminCSApplyTheme:      "Apply active theme",
	MsgAdminCSShowFooter:      "Show footer",
	MsgAdminCSSignOff:         "Sign-off behaviour",
	MsgAdminCSAttributes:      "Profile attributes",
	MsgAdminCSAttrName:        "Name",
	MsgAdminCSAttrEmail:       "Email",
	MsgAdminCSAttrAddress:     "Address",
	MsgAdminCSHidden:          "Hidden",
	MsgAdminCSReadOnly:        "Read only",
	MsgAdminCSEditable:        "Editable",
	MsgAdminCSSave:            "Save",
	MsgAdminCSSaved:           "Saved.",
	MsgAdminCSNumber:          "Enter a whole number.",

	MsgAdminCSSignOn:          "Sign-on policy",
	MsgAdminCSSignOnHint:      "What sign-on asks of this environment's users.",
	MsgAdminCSName:            "Name",
	MsgAdminCSKind:            "Sign-on asks for",
	MsgAdminCSKindPassword:    "A password (single factor)",
	MsgAdminCSKindMFA:         "A password and one MFA step",
	MsgAdminCSNoDevice:        "Users with no MFA device",
	MsgAdminCSEnroll:          "Enrol a device during sign-on",
	MsgAdminCSBlock:           "Block sign-on",
	MsgAdminCSDeviceSelection: "Device selection",
	MsgAdminCSDefaultToFirst:  "Use the default device",
	MsgAdminCSPrompt:          "Let the user choose",
	MsgAdminCSAlwaysDisplay:   "Always show the devices",
	MsgAdminCSAgreement:       "Agreement to consent to",
	MsgAdminCSNoAgreement:     "None",
	MsgAdminCSDisabled:        "(disabled)",

	MsgAdminCSMFA:                 "MFA settings",
	MsgAdminCSOTP:                 "One-time passcodes",
	MsgAdminCSOTPLength:           "Passcode length (digits)",
	MsgAdminCSOTPLifetime:         "Passcode lifetime (seconds)",
	MsgAdminCSOTPFailures:         "Wrong passcodes before a cool-down",
	MsgAdminCSOTPCoolDown:         "Cool-down (seconds)",
	MsgAdminCSLockout:             "MFA lockout",
	MsgAdminCSLockoutFailures:     "Failures before lockout",
	MsgAdminCSLockoutDuration:     "Lockout duration (seconds)",
	MsgAdminCSTOTPWindow:          "Authenticator app time window (steps)",
	MsgAdminCSTOTPWindowHint:      "Codes this many 30-second steps early or late are accepted (0 to 2).",
	MsgAdminCSMethods:             "Methods users may pair",
	MsgAdminCSPairing:             "Pairing",
	MsgAdminCSMaxDevices:          "Most devices per user",
	MsgAdminCSPairingDisabled:     "Users cannot pair methods themselves",
	MsgAdminCSPairingDisabledHint: "Their first method aside; administrators still can.",
	MsgAdminCSPromptNickname:      "Ask for a nickname when pairing",
	MsgAdminCSExcludeEmail:        "Never challenge email at sign-on",
	MsgAdminCSExcludeEmailHint:    "Email still delivers pairing codes.",
	MsgAdminCSDevicePolicies:      "Device authentication policies",
	MsgAdminCSDevicePoliciesHint:  "The methods an MFA step may challenge and how the device is chosen.",
	MsgAdminCSPolicyMethods:       "Methods",
	MsgAdminCSRecoveryCodes:       "Recovery codes",
	MsgAdminCSMakeDefault:         "Default policy",
	MsgAdminCSPolicyMyAccount:     "Applies to the MyAccount application",
	MsgAdminCSPolicyMyAccountHint: "The MFA policy of MyAccount: users who signed on with a password verify with it before changing their methods. \"Manage PingID devices via MyAccount\" needs one.",
	MsgAdminCSNoPolicies:          "No policies.",
	MsgAdminCSEdit:                "Edit",
	MsgAdminCSDelete:              "Delete",
	MsgAdminCSConfirmDelete:       "Delete %s? This cannot be undone.",
	MsgAdminCSNewPolicy:           "New policy",
	MsgAdminCSEditPolicy:          "Edit %s",

	MsgAdminCSPasswords:         "Password policies",
	MsgAdminCSPasswordsHint:     "The rules new passwords must meet. The default policy applies to users without one of their own.",
	MsgAdminCSDescription:       "Description",
	MsgAdminCSMinLength:         "Minimum length",
	MsgAdminCSMaxLength:         "Maximum length",
	MsgAdminCSMinUnique:         "Minimum different characters",
	MsgAdminCSMaxRepeated:       "Most repeats of one character",
	MsgAdminCSHistoryCount:      "Passwords remembered",
	MsgAdminCSHistoryDays:       "Remembered for (days)",
	MsgAdminCSMinAge:            "Minimum age (days)",
	MsgAdminCSMaxAge:            "Maximum age (days)",
	MsgAdminCSExcludesCommon:    "Refuse commonly used passwords",
	MsgAdminCSExcludesProfile:   "Refuse passwords containing profile data",
	MsgAdminCSNotSimilar:        "Refuse passwords similar to the current one",
	MsgAdminCSMinCharacters:     "Characters required",
	MsgAdminCSMinCharactersHint: "One rule a line: how many, a space, then the characters (1 0123456789).",
	MsgAdminCSEmptyIsOff:        "Leave a rule empty to turn it off.",
	MsgAdminCSPairNeeded:        "Fill this in too, or leave both empty.",
	MsgAdminCSLengthSummary:     "%d to %d characters",
	MsgAdminCSBuiltIn:           "built in",
}
