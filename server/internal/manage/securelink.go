package manage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/valid"
)

// The one-time link of a security notice secures the account without a
// sign-on (package securelink): whoever reads the mail may have lost the
// password and methods to an intruder. Like the email undo page it answers
// small server-made pages with no script; GET only asks (mail scanners
// follow links), the page's POST secures.

const secureLinkInvalidText = "This link does not work: it was used already, it has expired (links work for 24 hours), " +
	"or it was not copied whole. Sign on to MyAccount and choose \"Secure my account\" in Activity, or contact your administrator."

var errSecureLinkGone = errors.New("secure link used or expired")

// secureLink is the "this wasn't me" link of a notice to u: a one-time
// link that secures the account without a sign-on, or MyAccount's
// #secure when none could be made (the notice goes out either way).
func (a *API) secureLink(ctx context.Context, envID, userID string) string {
	if a.d.SecureLinks != nil {
		link, err := a.d.SecureLinks.Issue(ctx, envID, userID)
		if err == nil {
			return link
		}
		a.d.Logger.WarnContext(ctx, "one-time secure link not made; the notice links to MyAccount", "err", err)
	}
	return a.secureURL(envID)
}

func (a *API) renderSecure(c *fiber.Ctx, status int, d linkPageData) error {
	d.Page, d.Submit = "secure", "Secure my account"
	// The mailed link's token is in the page's URL: no Referer carries it on.
	c.Set("Referrer-Policy", "no-referrer")
	return a.renderLinkPage(c, status, d)
}

func (a *API) secureLinkInvalid(c *fiber.Ctx) error {
	return a.renderSecure(c, http.StatusBadRequest, linkPageData{Title: "This link does not work", Text: secureLinkInvalidText})
}

// findSecureLink loads the user a link names when its token works; nil
// (and no error) when the link does not work, whatever the reason: the
// page says the same for each.
func (a *API) findSecureLink(ctx context.Context, envID, userID, token string) (*store.User, error) {
	if valid.UUID(envID) != nil || valid.UUID(userID) != nil || len(token) != securelink.TokenLen {
		return nil, nil
	}
	return a.linkUser(ctx, envID, userID, func(u *store.User) bool { return securelink.Works(u, token, a.now()) })
}

// SecureLinkPage answers GET /{envId}/secureAccount?user=&token=: a page
// asking to secure the account, or saying the link does not work.
func (a *API) SecureLinkPage() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := strings.ToLower(c.Params("envId"))
		token := c.Query("token")
		u, err := a.findSecureLink(c.UserContext(), envID, c.Query("user"), token)
		if err != nil {
			return err
		}
		if u == nil {
			return a.secureLinkInvalid(c)
		}
		return a.renderSecure(c, http.StatusOK, linkPageData{
			Title: "Secure your account",
			Text: "If you did not do what the email told you about, secure your account now: every session " +
				"signs out, the next sign-on asks for a new password, and your sign-on methods cannot be " +
				"changed for 24 hours except by an administrator.",
			Action: paths.Build(paths.SecureLink, envID), User: u.ID, Token: token,
		})
	}
}

// SecureByLink answers POST /{envId}/secureAccount (the page's form: user,
// token): "Secure my account" without a sign-on. The token is taken in the
// same version-guarded update that secures, so it works once; then every
// session of the user ends (the reader of the mail holds none here).
func (a *API) SecureByLink() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID := strings.ToLower(c.Params("envId"))
		token := c.FormValue("token")
		ctx := c.UserContext()
		u, err := a.findSecureLink(ctx, envID, c.FormValue("user"), token)
		if err != nil {
			return err
		}
		if u == nil {
			return a.secureLinkInvalid(c)
		}
		until := a.now().Add(MethodFreeze)
		u, err = a.updateUser(ctx, envID, u.ID, func(u *store.User) error {
			if !securelink.Take(u, token, a.now()) {
				return errSecureLinkGone
			}
			u.MustChangePassword = true
			if u.FrozenUntil.Before(until) {
				u.FrozenUntil = until
			}
			return nil
		})
		if errors.Is(err, errSecureLinkGone) || errors.Is(err, errNotFound) {
			return a.secureLinkInvalid(c)
		}
		if err != nil {
			return err
		}
		ended, err := a.endSessionIDs(c, envID, u.ID, "")
		if err != nil {
			return err
		}
		details := map[string]string{"by": "emailLink", "sessionsEnded": strconv.Itoa(len(ended)),
			"methodsFrozenUntil": u.FrozenUntil.UTC().Format(time.RFC3339)}
		if a.d.Audit != nil {
			a.d.Audit.Record(ctx, store.Event{EnvironmentID: envID, Action: audit.ActionAccountSecured,
				Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser, ActorID: u.ID, UserID: u.ID, IP: c.IP(),
				UserAgent: c.Get(fiber.HeaderUserAgent), Details: details})
		}
		a.tellAdministrators(c, envID, u.ID, details)
		if u.Email != "" {
			subject, text := a.d.Templates.Render(ctx, envID, notify.UserLocale(u),
				notify.AccountSecured(len(ended), u.FrozenUntil, a.d.PublicURL+paths.Build(paths.MyAccount, envID)))
			if err := a.d.Sender.Send(ctx, notify.Message{EnvironmentID: envID, Channel: notify.ChannelEmail,
				To: u.Email, Subject: subject, Text: text}); err != nil {
				a.d.Logger.WarnContext(ctx, "account secured notice not sent", "err", err)
			}
		}
		return a.renderSecure(c, http.StatusOK, linkPageData{
			Title: "Your account is secured",
			Text: "Every session of your account was signed out (" + strconv.Itoa(len(ended)) + "). Sign on to MyAccount " +
				"and choose a new password; check your sign-on methods and recent activity there.",
			Link: a.d.PublicURL + paths.Build(paths.MyAccount, envID),
		})
	}
}

// tellAdministrators records ACCOUNT_SECURED in the Administrators
// environment too, naming the environment and the user, so the people
// who can help see it in their own security events. A user of the
// Administrators environment itself has the one event already.
func (a *API) tellAdministrators(c *fiber.Ctx, envID, userID string, details map[string]string) {
	if a.d.Audit == nil {
		return
	}
	ctx := c.UserContext()
	adminEnv, err := a.administratorsEnvironment(ctx)
	if err != nil {
		a.d.Logger.WarnContext(ctx, "administrators not told of a secured account", "err", err)
		return
	}
	if adminEnv == "" || adminEnv == envID {
		return
	}
	d := map[string]string{"environmentId": envID, "userId": userID}
	for k, v := range details {
		d[k] = v
	}
	a.d.Audit.Record(ctx, store.Event{EnvironmentID: adminEnv, Action: audit.ActionAccountSecured,
		Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser, ActorID: userID, IP: c.IP(),
		UserAgent: c.Get(fiber.HeaderUserAgent), Details: d})
}

// administratorsEnvironment is the id of the Administrators environment
// ("" when there is none, as in some tests).
func (a *API) administratorsEnvironment(ctx context.Context) (string, error) {
	envs, err := a.d.Store.ListEnvironments(ctx)
	if err != nil {
		return "", fmt.Errorf("list environments: %w", err)
	}
	for _, e := range envs {
		if e.Administrators && !e.Deleted {
			return e.ID, nil
		}
	}
	return "", nil
}
