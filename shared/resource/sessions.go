package resource

import "time"

// Device types of a session's browser (SessionDevice.Type).
const (
	SessionDesktop = "DESKTOP"
	SessionMobile  = "MOBILE"
	SessionTablet  = "TABLET"
	SessionBot     = "BOT"
	SessionUnknown = "UNKNOWN"
)

// UserSession is one of a user's open sign-on sessions, in PingOne's shape
// (browser, operatingSystem, device, lastSignOn, locations) plus what is
// ours: Current marks the session of the token that asked, and Methods
// are the authentication methods it used (the "amr" of its tokens).
type UserSession struct {
	Links           Links             `json:"_links,omitempty"`
	ID              string            `json:"id"`
	Environment     Ref               `json:"environment"`
	User            Ref               `json:"user"`
	Browser         SessionBrowser    `json:"browser"`
	OperatingSystem SessionOS         `json:"operatingSystem"`
	Device          SessionDevice     `json:"device"`
	UserAgent       string            `json:"userAgent,omitempty"`
	LastSignOn      SessionSignOn     `json:"lastSignOn"`
	Locations       []SessionLocation `json:"locations"`
	Methods         []string          `json:"methods"`
	Current         bool              `json:"current"`
	CreatedAt       time.Time         `json:"createdAt"`
	ActiveAt        time.Time         `json:"activeAt"`
	ExpiresAt       time.Time         `json:"expiresAt"`
}

// SessionBrowser names the browser a session signed on with.
type SessionBrowser struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// SessionOS names the operating system a session signed on from.
type SessionOS struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// SessionDevice is the kind of device: DESKTOP, MOBILE, TABLET, BOT or
// UNKNOWN.
type SessionDevice struct {
	Type string `json:"type"`
}

// SessionSignOn is when and from where the session last signed on
// (password or MFA).
type SessionSignOn struct {
	At       time.Time `json:"at"`
	RemoteIP string    `json:"remoteIp"`
}

// SessionLocation is an address the session was used from, newest first,
// at most five. City and Country need a GeoIP database on the server
// (they are empty without one).
type SessionLocation struct {
	At       time.Time `json:"at"`
	RemoteIP string    `json:"remoteIp"`
	City     string    `json:"city,omitempty"`
	Country  string    `json:"country,omitempty"`
}

// UserEvent is one entry of a user's security activity (our extension):
// what happened to the account, when, from where, by whom and how it went.
// Details never carry secrets.
type UserEvent struct {
	ID        string            `json:"id"`
	Action    string            `json:"action"`
	Outcome   string            `json:"outcome"`
	Actor     EventActor        `json:"actor"`
	Session   *Ref              `json:"session,omitempty"`
	RemoteIP  string            `json:"remoteIp,omitempty"`
	City      string            `json:"city,omitempty"`    // where RemoteIP was, when the server has a GeoIP database
	Country   string            `json:"country,omitempty"` // (see SessionLocation)
	UserAgent string            `json:"userAgent,omitempty"`
	Browser   *SessionBrowser   `json:"browser,omitempty"`
	OS        *SessionOS        `json:"operatingSystem,omitempty"`
	Details   map[string]string `json:"details,omitempty"`
	CreatedAt time.Time         `json:"createdAt"`
}

// EventActor is who acted: the user (USER with their own id), an
// administrator (USER with another id), an application or the system.
type EventActor struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
}

// AccountSecured answers "Secure my account" (ActionUserSecure).
type AccountSecured struct {
	SessionsEnded      int       `json:"sessionsEnded"`
	MustChangePassword bool      `json:"mustChangePassword"`
	MethodsFrozenUntil time.Time `json:"methodsFrozenUntil"`
}

// EventKind is a group of activity actions the Activity tab filters by.
type EventKind struct {
	ID      string
	Actions []string
}

// EventKinds are the documented groups of a user's activity, each a set
// of the audit actions (the server checks every name exists). A filter
// for one is `action eq "A" or action eq "B" …` (EventKindFilter).
func EventKinds() []EventKind {
	return []EventKind{
		{ID: "signOn", Actions: []string{"SIGNON_PASSWORD", "SIGNON_MFA", "SIGNON_COMPLETED", "RECOVERY_CODE_USED"}},
		{ID: "methods", Actions: []string{"DEVICE_CREATED", "DEVICE_ACTIVATED", "DEVICE_PAIRED", "DEVICE_DELETED",
			"DEVICE_RENAMED", "DEVICES_REORDERED", "DEVICE_BLOCKED", "DEVICE_UNBLOCKED",
			"RECOVERY_CODES_CREATED", "RECOVERY_CODES_DELETED"}},
		{ID: "password", Actions: []string{"PASSWORD_CHANGED", "ACCOUNT_LOCKED"}},
		{ID: "sessions", Actions: []string{"SESSION_SIGNED_OFF", "TOKEN_REUSE_DETECTED", "ACCOUNT_SECURED"}},
	}
}

// EventKindFilter is the events filter of the kind id ("" when unknown).
func EventKindFilter(id string) string {
	for _, k := range EventKinds() {
		if k.ID != id {
			continue
		}
		f := ""
		for i, a := range k.Actions {
			if i > 0 {
				f += " or "
			}
			f += `action eq "` + a + `"`
		}
		return f
	}
	return ""
}
