package ui

import "github.com/myaccount/myaccount/shared/scope"

// Scopes in human words, for the consent screen and the Consents tab: what
// an application that holds the scope may do. A scope without words shows
// as its name.

// Messages naming what a scope allows.
const (
	MsgScopeOpenID             Msg = "scope.openid"
	MsgScopeProfile            Msg = "scope.profile"
	MsgScopeEmail              Msg = "scope.email"
	MsgScopeReadUser           Msg = "scope.readUser"
	MsgScopeUpdateUser         Msg = "scope.updateUser"
	MsgScopeReadDevice         Msg = "scope.readDevice"
	MsgScopeCreateDevice       Msg = "scope.createDevice"
	MsgScopeUpdateDevice       Msg = "scope.updateDevice"
	MsgScopeDeleteDevice       Msg = "scope.deleteDevice"
	MsgScopeReadPassword       Msg = "scope.readPassword"
	MsgScopeValidatePassword   Msg = "scope.validatePassword"
	MsgScopeResetPassword      Msg = "scope.resetPassword"
	MsgScopeReadSessions       Msg = "scope.readSessions"
	MsgScopeDeleteSessions     Msg = "scope.deleteSessions"
	MsgScopeReadLinked         Msg = "scope.readLinked"
	MsgScopeDeleteLinked       Msg = "scope.deleteLinked"
	MsgScopeReadUserConsent    Msg = "scope.readUserConsent"
	MsgScopeReadOAuthConsent   Msg = "scope.readOAuthConsent"
	MsgScopeUpdateOAuthConsent Msg = "scope.updateOAuthConsent"
	MsgScopeUpdateMFAEnabled   Msg = "scope.updateMfaEnabled"
)

var scopeMsgs = map[string]Msg{
	scope.OpenID: MsgScopeOpenID, scope.Profile: MsgScopeProfile, scope.Email: MsgScopeEmail,
	scope.ReadUser: MsgScopeReadUser, scope.UpdateUser: MsgScopeUpdateUser,
	scope.ReadDevice: MsgScopeReadDevice, scope.CreateDevice: MsgScopeCreateDevice,
	scope.UpdateDevice: MsgScopeUpdateDevice, scope.DeleteDevice: MsgScopeDeleteDevice,
	scope.ReadUserPassword: MsgScopeReadPassword, scope.ValidateUserPassword: MsgScopeValidatePassword,
	scope.ResetUserPassword: MsgScopeResetPassword, scope.ReadSessions: MsgScopeReadSessions,
	scope.DeleteSessions: MsgScopeDeleteSessions, scope.ReadLinkedAccounts: MsgScopeReadLinked,
	scope.DeleteLinkedAccounts: MsgScopeDeleteLinked, scope.ReadUserConsent: MsgScopeReadUserConsent,
	scope.ReadOAuthConsent: MsgScopeReadOAuthConsent, scope.UpdateOAuthConsent: MsgScopeUpdateOAuthConsent,
	scope.UpdateUserMFAEnabled: MsgScopeUpdateMFAEnabled,
}

// scopeWords is what scope s allows, in words.
func scopeWords(s string) string {
	if m, ok := scopeMsgs[s]; ok {
		return T(m)
	}
	return s
}
