package ui

// The admin console's messages. Each console page adds its own ids and
// texts here, in a block of its own.
const (
	MsgAdminName          Msg = "admin.name"
	MsgAdminSections      Msg = "admin.sections"
	MsgAdminEnvironment   Msg = "admin.environment"
	MsgAdminOffline       Msg = "admin.offline"
	MsgAdminNoRoles       Msg = "admin.noroles"
	MsgAdminMFANag        Msg = "admin.mfa.nag"
	MsgAdminOpenMyAccount Msg = "admin.mfa.myaccount"
	MsgAdminRequireMFA    Msg = "admin.mfa.require"
	MsgAdminPairFirst     Msg = "admin.mfa.pairfirst"
	MsgAdminOverview      Msg = "admin.overview"
	MsgAdminEnvID         Msg = "admin.env.id"
	MsgAdminEnvType       Msg = "admin.env.type"
	MsgAdminEnvMyAccount  Msg = "admin.env.myaccount"
	MsgAdminOutbox        Msg = "admin.outbox"
	MsgAdminOutboxHint    Msg = "admin.outbox.hint"
	MsgAdminOutboxEmpty   Msg = "admin.outbox.empty"
)

var adminMessages = map[Msg]string{
	MsgAdminName:          "MyAccount Admin",
	MsgAdminSections:      "Console sections",
	MsgAdminEnvironment:   "Environment",
	MsgAdminOffline:       "You are offline. The admin console needs a connection.",
	MsgAdminNoRoles:       "Your account holds no administrator role over any environment.",
	MsgAdminMFANag:        "Administrators sign on with a password only. Pair a device in MyAccount, then require MFA for the Administrators environment.",
	MsgAdminOpenMyAccount: "Pair a device in MyAccount",
	MsgAdminRequireMFA:    "Require MFA for administrators",
	MsgAdminPairFirst:     "Pair a device of your own first, or the next sign-on would lock you out.",
	MsgAdminOverview:      "Overview",
	MsgAdminEnvID:         "Environment ID",
	MsgAdminEnvType:       "Type",
	MsgAdminEnvMyAccount:  "Open this environment's MyAccount",
	MsgAdminOutbox:        "Outbox",
	MsgAdminOutboxHint:    "Messages held instead of sent because no mail server or SMS gateway is configured.",
	MsgAdminOutboxEmpty:   "No messages.",
}
