package manage

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// The undo of an email change is reached from a link in an e-mail, by
// someone who may have lost every other way into the account, so it needs
// no token and answers small server-made pages (no script: the CSP holds).
// GET only shows the question: mail scanners follow links, so only the
// page's POST restores the address.

const undoInvalidText = "This link does not work: it was used already, it has expired (links work for 7 days), " +
	"or it was not copied whole. If someone else changed your email address, contact your administrator."

func (a *API) renderUndo(c *fiber.Ctx, status int, d linkPageData) error {
	d.Page, d.Submit = "undo", "Restore my previous address"
	return a.renderLinkPage(c, status, d)
}

// findUndo loads the user an undo link names and checks its token: the
// user and their live undo, or nil when the link does not work (for any
// reason: the page says the same for each).
func (a *API) findUndo(ctx context.Context, envID, userID, token string) (*store.User, error) {
	if valid.UUID(userID) != nil || len(token) != 43 {
		return nil, nil
	}
	return a.linkUser(ctx, envID, userID, func(u *store.User) bool { return undoWorks(u, token, a.now()) })
}

// undoWorks reports whether token opens u's undo at now.
func undoWorks(u *store.User, token string, now time.Time) bool {
	un := u.EmailUndo
	return un != nil && now.Before(un.ExpiresAt) &&
		subtle.ConstantTimeCompare([]byte(hashUndoToken(token)), []byte(un.TokenHash)) == 1
}

// EmailUndoPage answers GET /{envId}/emailChange/undo?user=&token=: a page
// asking to restore the previous address, or saying the link does not work.
func (a *API) EmailUndoPage() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := strings.ToLower(c.Params("envId"))
		userID, token := c.Query("user"), c.Query("token")
		u, err := a.findUndo(c.UserContext(), envID, userID, token)
		if err != nil {
			return err
		}
		if u == nil {
			return a.renderUndo(c, http.StatusBadRequest, linkPageData{Title: "This link does not work", Text: undoInvalidText})
		}
		return a.renderUndo(c, http.StatusOK, linkPageData{
			Title: "Restore your email address",
			Text: "Make " + resource.MaskEmail(u.EmailUndo.OldEmail) + " the email address of your MyAccount account " +
				"again, instead of " + resource.MaskEmail(u.Email) + "? This also signs your account out everywhere.",
			Action: paths.Build(paths.EmailUndo, envID), User: u.ID, Token: token,
		})
	}
}

// UndoEmailChange answers POST /{envId}/emailChange/undo (the page's form:
// user, token): the previous address comes back, the pending change goes,
// every session of the user ends (who changed the address may hold one),
// and the restored address is told. The link works once.
func (a *API) UndoEmailChange() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := strings.ToLower(c.Params("envId"))
		userID, token := c.FormValue("user"), c.FormValue("token")
		ctx := c.UserContext()
		u, err := a.findUndo(ctx, envID, userID, token)
		if err != nil {
			return err
		}
		if u == nil {
			return a.renderUndo(c, http.StatusBadRequest, linkPageData{Title: "This link does not work", Text: undoInvalidText})
		}
		var undone store.EmailUndo
		u, err = a.updateUser(ctx, envID, u.ID, func(u *store.User) error {
			if !undoWorks(u, token, a.now()) {
				return errUndoGone
			}
			undone = *u.EmailUndo
			u.Email, u.EmailVerified = undone.OldEmail, undone.OldVerified
			u.EmailUndo, u.ContactChange = nil, nil
			return nil
		})
		if errors.Is(err, errUndoGone) || errors.Is(err, errNotFound) {
			return a.renderUndo(c, http.StatusBadRequest, linkPageData{Title: "This link does not work", Text: undoInvalidText})
		}
		if err != nil {
			return err
		}
		ended, err := a.endSessions(ctx, envID, u.ID, "")
		if err != nil {
			return err
		}
		if a.d.Audit != nil {
			a.d.Audit.Record(ctx, store.Event{EnvironmentID: envID, Action: audit.ActionEmailChangeUndone,
				Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser, ActorID: u.ID, UserID: u.ID, IP: c.IP(),
				UserAgent: c.Get(fiber.HeaderUserAgent),
				Details:   map[string]string{"sessionsEnded": fmt.Sprint(ended)}})
		}
		subject, text := notify.EmailRestoredNotice(a.secureURL(envID))
		if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: envID, Channel: notify.ChannelEmail, To: u.Email,
			Subject: subject, Text: text}); err != nil {
			a.d.Logger.Warn("email restored notification not sent", "err", err)
		}
		return a.renderUndo(c, http.StatusOK, linkPageData{
			Title: "Your email address is back",
			Text: resource.MaskEmail(u.Email) + " is the email address of your account again, and every session was " +
				"signed out. Sign on and change your password now.",
			Link: a.secureURL(envID),
		})
	}
}

var errUndoGone = errors.New("undo link used or expired")
