package ui

// The console's Security section.
const (
	MsgAdminSecurity       Msg = "admin.security"
	MsgAdminSecHint        Msg = "admin.security.hint"
	MsgAdminSecKind        Msg = "admin.security.kind"
	MsgAdminSecAll         Msg = "admin.security.all"
	MsgAdminSecBurst       Msg = "admin.security.burst"
	MsgAdminSecLockout     Msg = "admin.security.lockout"
	MsgAdminSecSecured     Msg = "admin.security.secured"
	MsgAdminSecBurstIP     Msg = "admin.security.burst.ip"
	MsgAdminSecBurstUser   Msg = "admin.security.burst.user"
	MsgAdminSecLockedIP    Msg = "admin.security.locked.ip"
	MsgAdminSecLockedUser  Msg = "admin.security.locked.user"
	MsgAdminSecSecuredUser Msg = "admin.security.secured.user"
	MsgAdminSecEmpty       Msg = "admin.security.empty"
	MsgAdminSecMore        Msg = "admin.security.more"
)

var adminSecurityMessages = map[Msg]string{
	MsgAdminSecurity:       "Security",
	MsgAdminSecHint:        "Failed sign-on bursts (5 or more within 10 minutes for one user or one address), lockouts and secured accounts, newest first. Kept 90 days.",
	MsgAdminSecKind:        "Show",
	MsgAdminSecAll:         "All events",
	MsgAdminSecBurst:       "Failed sign-on bursts",
	MsgAdminSecLockout:     "Lockouts",
	MsgAdminSecSecured:     "Secured accounts",
	MsgAdminSecBurstIP:     "%d failed sign-ons from %s",
	MsgAdminSecBurstUser:   "%d failed sign-ons for user %s",
	MsgAdminSecLockedIP:    "Address %s locked out",
	MsgAdminSecLockedUser:  "User %s locked out",
	MsgAdminSecSecuredUser: "User %s secured their account",
	MsgAdminSecEmpty:       "No security events in the last 90 days.",
	MsgAdminSecMore:        "Load more",
}
