package manage

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// Security notices that are not about a code. Each goes to the account's
// email address and carries the "this wasn't me" link (secureURL); a
// failure to send only logs: the change is made and audited either way.

// notice sends one notice to addr.
func (a *API) notice(ctx context.Context, envID, addr, subject, text, what string) {
	if addr == "" || a.d.Sender == nil {
		return
	}
	if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: envID, Channel: notify.ChannelEmail, To: addr,
		Subject: subject, Text: text}); err != nil {
		a.d.Logger.Warn(what+" notification not sent", "err", err)
	}
}

// notifyEmailSet tells the previous address an administrator set a new one.
func (a *API) notifyEmailSet(ctx context.Context, u *store.User, previous string) {
	subject, text := notify.EmailSetByAdminNotice(resource.MaskEmail(u.Email), a.secureURL(u.EnvironmentID))
	a.notice(ctx, u.EnvironmentID, previous, subject, text, "email set")
}
