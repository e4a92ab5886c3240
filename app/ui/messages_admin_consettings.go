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
}
