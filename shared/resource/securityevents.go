package resource

import "time"

// Kinds of an environment's security events (SecurityEvent.Kind).
const (
	SecurityLockout      = "ACCOUNT_LOCKED"       // too many failures locked an account or an address out
	SecuritySecured      = "ACCOUNT_SECURED"      // a user (or an administrator) secured an account
	SecurityFailureBurst = "SIGNON_FAILURE_BURST" // at least 5 failed sign-ons for one user or one address within 10 minutes
)

// What a failure burst is grouped by (SecurityEvent.GroupedBy).
const (
	BurstByUser = "USER"
	BurstByIP   = "IP"
)

// SecurityEvent is one entry of an environment's security events, for
// administrators (our extension): a lockout, a secured account, or a burst
// of failed sign-ons aggregated into one entry (Count failures from
// FirstAt to CreatedAt, grouped by user or by address). CreatedAt is when
// it happened (a burst: its last failure), the list's order.
type SecurityEvent struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	User      *UserRef          `json:"user,omitempty"`
	RemoteIP  string            `json:"remoteIp,omitempty"`
	City      string            `json:"city,omitempty"`
	Country   string            `json:"country,omitempty"`
	GroupedBy string            `json:"groupedBy,omitempty"`
	Count     int               `json:"count"`
	FirstAt   time.Time         `json:"firstAt"`
	CreatedAt time.Time         `json:"createdAt"`
	Details   map[string]string `json:"details,omitempty"`
}

// UserRef names a user: the id, and the username when the user still
// exists (an administrator reads "bob", not a UUID).
type UserRef struct {
	ID       string `json:"id"`
	Username string `json:"username,omitempty"`
}
