package signon

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
)

// flowLocale is the language of the flow user's passcode messages
// (notify.UserLocale); a flow with no user yet, or a user that cannot be
// read, gets the environment's fallback texts.
func (e *Engine) flowLocale(ctx context.Context, f *store.Flow) string {
	if f.UserID == "" || e.d.Users == nil {
		return ""
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return ""
	}
	return notify.UserLocale(u)
}
