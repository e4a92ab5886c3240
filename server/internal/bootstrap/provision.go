package bootstrap

import (
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// NewEnvironment is a new end-user environment of the given type (SANDBOX
// or PRODUCTION) with the defaults the first start gives the Default
// environment: its sign-on policy, MFA settings, device authentication
// policy and self-service switches. The caller stores it, then calls
// EnsureEnvironment for its signing key and MyAccount application.
func NewEnvironment(id, name, typ string, now time.Time) *store.Environment {
	e := newEnvironment(id, name, false, now)
	e.Type = typ
	return e
}
