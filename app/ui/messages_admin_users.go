package ui

// The admin console's Users section (admin_users.go).
const (
	MsgAdminUsers                Msg = "admin.users"
	MsgAdminUsersSearch          Msg = "admin.users.search"
	MsgAdminUsersSearchHint      Msg = "admin.users.search.hint"
	MsgAdminUsersPartial         Msg = "admin.users.partial"
	MsgAdminUsersSearchAll       Msg = "admin.users.searchall"
	MsgAdminUsersNone            Msg = "admin.users.none"
	MsgAdminUsersNoMatch         Msg = "admin.users.nomatch"
	MsgAdminUsersOpen            Msg = "admin.users.open"
	MsgAdminUsersOpenNamed       Msg = "admin.users.open.named"
	MsgAdminUsersMore            Msg = "admin.users.more"
	MsgAdminUsersNew             Msg = "admin.users.new"
	MsgAdminUsersCreate          Msg = "admin.users.create"
	MsgAdminUsersCreated         Msg = "admin.users.created"
	MsgAdminUsersUsername        Msg = "admin.users.username"
	MsgAdminUsersEmail           Msg = "admin.users.email"
	MsgAdminUsersGiven           Msg = "admin.users.given"
	MsgAdminUsersFamily          Msg = "admin.users.family"
	MsgAdminUsersName            Msg = "admin.users.name"
	MsgAdminUsersPassword        Msg = "admin.users.password"
	MsgAdminUsersForceChange     Msg = "admin.users.forcechange"
	MsgAdminUsersPasswordHint    Msg = "admin.users.password.hint"
	MsgAdminUsersFieldProblem    Msg = "admin.users.field.problem"
	MsgAdminUsersBack            Msg = "admin.users.back"
	MsgAdminUsersProfile         Msg = "admin.users.profile"
	MsgAdminUsersPrimaryPhone    Msg = "admin.users.phone.primary"
	MsgAdminUsersMobilePhone     Msg = "admin.users.phone.mobile"
	MsgAdminUsersID              Msg = "admin.users.id"
	MsgAdminUsersCreatedAt       Msg = "admin.users.createdat"
	MsgAdminUsersEdit            Msg = "admin.users.edit"
	MsgAdminUsersSaved           Msg = "admin.users.saved"
	MsgAdminUsersAccount         Msg = "admin.users.account"
	MsgAdminUsersState           Msg = "admin.users.state"
	MsgAdminUsersEnabled         Msg = "admin.users.enabled"
	MsgAdminUsersDisabled        Msg = "admin.users.disabled"
	MsgAdminUsersEnable          Msg = "admin.users.enable"
	MsgAdminUsersDisable         Msg = "admin.users.disable"
	MsgAdminUsersEnabledDone     Msg = "admin.users.enabled.done"
	MsgAdminUsersDisabledDone    Msg = "admin.users.disabled.done"
	MsgAdminUsersPasswordState   Msg = "admin.users.password.state"
	MsgAdminUsersLockedOut       Msg = "admin.users.lockedout"
	MsgAdminUsersPwOK            Msg = "admin.users.pw.ok"
	MsgAdminUsersPwNone          Msg = "admin.users.pw.none"
	MsgAdminUsersPwMustChange    Msg = "admin.users.pw.mustchange"
	MsgAdminUsersPwExpired       Msg = "admin.users.pw.expired"
	MsgAdminUsersUnlock          Msg = "admin.users.unlock"
	MsgAdminUsersUnlocked        Msg = "admin.users.unlocked"
	MsgAdminUsersSetPassword     Msg = "admin.users.setpassword"
	MsgAdminUsersNewPassword     Msg = "admin.users.newpassword"
	MsgAdminUsersSetPasswordHint Msg = "admin.users.setpassword.hint"
	MsgAdminUsersPasswordNeeded  Msg = "admin.users.password.needed"
	MsgAdminUsersPasswordSet     Msg = "admin.users.password.set"
	MsgAdminUsersDelete          Msg = "admin.users.delete"
	MsgAdminUsersDeleteQuestion  Msg = "admin.users.delete.question"
	MsgAdminUsersDeleteYes       Msg = "admin.users.delete.yes"
	MsgAdminUsersDeleted         Msg = "admin.users.deleted"
	MsgAdminUsersDevices         Msg = "admin.users.devices"
	MsgAdminUsersAddDevice       Msg = "admin.users.device.add"
	MsgAdminUsersAddDeviceHint   Msg = "admin.users.device.add.hint"
	MsgAdminUsersDevType         Msg = "admin.users.device.type"
	MsgAdminUsersDevTarget       Msg = "admin.users.device.target"
	MsgAdminUsersDevEmail        Msg = "admin.users.device.email"
	MsgAdminUsersPhoneNeeded     Msg = "admin.users.device.phone"
	MsgAdminUsersPickType        Msg = "admin.users.device.picktype"
	MsgAdminUsersDeviceAdded     Msg = "admin.users.device.added"
	MsgAdminUsersBlock           Msg = "admin.users.device.block"
	MsgAdminUsersUnblock         Msg = "admin.users.device.unblock"
	MsgAdminUsersBlocked         Msg = "admin.users.device.blocked"
	MsgAdminUsersUnblocked       Msg = "admin.users.device.unblocked"
	MsgAdminUsersDeleteDevice    Msg = "admin.users.device.delete"
	MsgAdminUsersDeleteDeviceYes Msg = "admin.users.device.delete.yes"
	MsgAdminUsersDeviceDeleted   Msg = "admin.users.device.deleted"
	MsgAdminUsersSessions        Msg = "admin.users.sessions"
	MsgAdminUsersNoSessions      Msg = "admin.users.sessions.none"
	MsgAdminUsersSessionActive   Msg = "admin.users.session.active"
	MsgAdminUsersSignOffAll      Msg = "admin.users.signoff.all"
	MsgAdminUsersSignedOff       Msg = "admin.users.signedoff"
	MsgAdminUsersEvents          Msg = "admin.users.events"
	MsgAdminUsersNoEvents        Msg = "admin.users.events.none"
)

var adminUsersMessages = map[Msg]string{
	MsgAdminUsers:                "Users",
	MsgAdminUsersSearch:          "Search users",
	MsgAdminUsersSearchHint:      "Username, email or name",
	MsgAdminUsersPartial:         "Searching the first %d users; load more, or search every username that starts with the text.",
	MsgAdminUsersSearchAll:       "Search all usernames",
	MsgAdminUsersNone:            "No users in this environment.",
	MsgAdminUsersNoMatch:         "No user matches the search.",
	MsgAdminUsersOpen:            "Open",
	MsgAdminUsersOpenNamed:       "Open %s",
	MsgAdminUsersMore:            "Load more",
	MsgAdminUsersNew:             "Create user",
	MsgAdminUsersCreate:          "Create",
	MsgAdminUsersCreated:         "User %s created.",
	MsgAdminUsersUsername:        "Username",
	MsgAdminUsersEmail:           "Email",
	MsgAdminUsersGiven:           "Given name",
	MsgAdminUsersFamily:          "Family name",
	MsgAdminUsersName:            "Name",
	MsgAdminUsersPassword:        "Password",
	MsgAdminUsersForceChange:     "Must change the password at next sign-on",
	MsgAdminUsersPasswordHint:    "Leave the password empty to create the user without one. The environment's password policy applies.",
	MsgAdminUsersFieldProblem:    "%s %s.",
	MsgAdminUsersBack:            "Back to users",
	MsgAdminUsersProfile:         "Profile",
	MsgAdminUsersPrimaryPhone:    "Primary phone",
	MsgAdminUsersMobilePhone:     "Mobile phone",
	MsgAdminUsersID:              "User ID",
	MsgAdminUsersCreatedAt:       "Created",
	MsgAdminUsersEdit:            "Edit profile",
	MsgAdminUsersSaved:           "Profile saved.",
	MsgAdminUsersAccount:         "Account",
	MsgAdminUsersState:           "State",
	MsgAdminUsersEnabled:         "Enabled",
	MsgAdminUsersDisabled:        "Disabled",
	MsgAdminUsersEnable:          "Enable user",
	MsgAdminUsersDisable:         "Disable user",
	MsgAdminUsersEnabledDone:     "The user is enabled and can sign on.",
	MsgAdminUsersDisabledDone:    "The user is disabled: they cannot sign on, and their sessions ended.",
	MsgAdminUsersPasswordState:   "Password",
	MsgAdminUsersLockedOut:       "Locked out (about %d more minutes)",
	MsgAdminUsersPwOK:            "Set",
	MsgAdminUsersPwNone:          "No password",
	MsgAdminUsersPwMustChange:    "Must be changed at next sign-on",
	MsgAdminUsersPwExpired:       "Expired",
	MsgAdminUsersUnlock:          "Unlock password",
	MsgAdminUsersUnlocked:        "The password lockout ended.",
	MsgAdminUsersSetPassword:     "Set password",
	MsgAdminUsersNewPassword:     "New password",
	MsgAdminUsersSetPasswordHint: "Setting the password ends the user's sessions and mails them a notice.",
	MsgAdminUsersPasswordNeeded:  "Type the new password.",
	MsgAdminUsersPasswordSet:     "Password set. The user's sessions ended.",
	MsgAdminUsersDelete:          "Delete user",
	MsgAdminUsersDeleteQuestion:  "Delete %s with their devices and sessions? This cannot be undone.",
	MsgAdminUsersDeleteYes:       "Yes, delete the user",
	MsgAdminUsersDeleted:         "User %s deleted.",
	MsgAdminUsersDevices:         "MFA devices",
	MsgAdminUsersAddDevice:       "Add an active device",
	MsgAdminUsersAddDeviceHint:   "An administrator's device is active at once, without a pairing code.",
	MsgAdminUsersDevType:         "Type",
	MsgAdminUsersDevTarget:       "Email address or phone number",
	MsgAdminUsersDevEmail:        "The email address",
	MsgAdminUsersPhoneNeeded:     "Type the phone number.",
	MsgAdminUsersPickType:        "Choose email or SMS.",
	MsgAdminUsersDeviceAdded:     "Device added.",
	MsgAdminUsersBlock:           "Block",
	MsgAdminUsersUnblock:         "Unblock",
	MsgAdminUsersBlocked:         "Device blocked: it is no longer used at sign-on.",
	MsgAdminUsersUnblocked:       "Device unblocked.",
	MsgAdminUsersDeleteDevice:    "Delete",
	MsgAdminUsersDeleteDeviceYes: "Yes, delete",
	MsgAdminUsersDeviceDeleted:   "Device deleted.",
	MsgAdminUsersSessions:        "Sessions",
	MsgAdminUsersNoSessions:      "No open sessions.",
	MsgAdminUsersSessionActive:   "Last active %s",
	MsgAdminUsersSignOffAll:      "Sign off all sessions",
	MsgAdminUsersSignedOff:       "Signed off.",
	MsgAdminUsersEvents:          "Activity",
	MsgAdminUsersNoEvents:        "No activity recorded.",
}
