// Package manage serves the management API (/v1/environments/…): users,
// their devices, applications, the sign-on policy, MFA settings, the
// MyAccount feature switches and the dev outbox, in PingOne's resource
// model.
//
// Every handler decides access itself from the request's authn.Principal
// (the route puts authn.Required in front): administrators and workers by
// role over the path's environment, users only on their own record with
// the matching self-management scope. Another user's or environment's
// record is a 404, never a hint that it exists. Every write is one
// version-guarded update of one record, retried on a conflict, and leaves
// an audit event; a body with any bad field is refused whole, with one
// detail per field, and nothing is saved.
package manage

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/fido"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/otp"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/recovery"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// Deps is what the management API needs.
type Deps struct {
	Store     store.Store
	Hasher    *password.Hasher
	Audit     *audit.Recorder
	PublicURL string // links and Location headers start with it, never with request headers
	Now       func() time.Time
	Rand      io.Reader // client secrets and passcodes; nil means crypto/rand
	Sender    notify.Sender
	OTP       *otp.Hasher // pairing passcodes are stored as its hashes
	Box       *secret.Box // seals TOTP secrets; nil refuses TOTP devices
	FIDO      *fido.RP    // WebAuthn relying party; nil refuses FIDO2 devices
	Logger    *slog.Logger
	// Recovery hashes recovery codes; nil refuses making them.
	Recovery *recovery.Hasher

	// Limiter counts wrong current passwords on the account's lockout
	// counter, the one sign-on uses.
	Limiter *ratelimit.Limiter

	// Templates renders notices with the environment's own texts in the
	// user's language; nil means the built-in English texts.
	Templates *notify.Templates

	// Provision gives a newly created environment what bootstrap gives
	// every environment (its signing key and MyAccount application); nil
	// refuses creating environments.
	Provision func(ctx context.Context, envID string) error
	// Geo places sessions' addresses (city, country); nil shows the IP
	// alone.
	Geo geoip.Locator
	// SecureLinks makes the one-time "this wasn't me" links of notices;
	// nil links them to MyAccount's #secure.
	SecureLinks *securelink.Issuer
}

// API serves the management endpoints; its methods return the handlers.
type API struct{ d Deps }

// New returns the management API.
func New(d Deps) *API {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	d.PublicURL = strings.TrimRight(d.PublicURL, "/")
	return &API{d: d}
}

// List paging bounds.
const (
	DefaultLimit = 25
	MaxLimit     = 100
)

// maxAttempts bounds the read-modify-write retries of one request when other
// writers keep moving the record's version on.
const maxAttempts = 5

var (
	errNotFound = authn.ErrNotFound
	errConflict = apierr.ConflictError("The resource kept changing in other requests. Try again.")
)

// now is the injected clock in UTC, cut to milliseconds as the store keeps it,
// so that what a write answers equals what a later read returns.
func (a *API) now() time.Time { return a.d.Now().UTC().Truncate(time.Millisecond) }

// link is an absolute HAL link to path.
func (a *API) link(path string) resource.Link { return resource.Link{Href: a.d.PublicURL + path} }

// pathID reads an id parameter of the path. Ids are lower-case UUIDs; any
// other value cannot name a record, so it is the same 404 as a missing one.
func pathID(c *fiber.Ctx, name string) (string, error) {
	id := strings.ToLower(c.Params(name))
	if valid.UUID(id) != nil {
		return "", errNotFound
	}
	return id, nil
}

// envParam reads the path's environment id.
func envParam(c *fiber.Ctx) (string, error) { return pathID(c, "envId") }

// admin checks the principal holds one of roles over the path's environment
// and returns the environment id.
func admin(c *fiber.Ctx, roles []string) (string, error) {
	if authn.From(c) == nil {
		return "", apierr.Unauthorized("The access token is missing, invalid, expired or revoked.")
	}
	envID, err := envParam(c)
	if err != nil {
		return "", err
	}
	if err := authn.Admin(c, envID, roles); err != nil {
		return "", err
	}
	return envID, nil
}

// environment loads a live environment; a missing or deleted one is a 404.
func (a *API) environment(ctx context.Context, envID string) (*store.Environment, error) {
	env, err := a.d.Store.GetEnvironment(ctx, envID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && env.Deleted) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load environment: %w", err)
	}
	return env, nil
}

// envUser loads an environment that is not deleted and a user of it: a
// deleted environment's users are a 404 like the environment itself. The
// user reads and writes that answer with environment settings (password
// policy, agreements, application names) need both.
func (a *API) envUser(ctx context.Context, envID, userID string) (*store.Environment, *store.User, error) {
	env, err := a.environment(ctx, envID)
	if err != nil {
		return nil, nil, err
	}
	u, err := a.user(ctx, envID, userID)
	if err != nil {
		return nil, nil, err
	}
	return env, u, nil
}

// updateEnvironment applies change to a fresh copy of the environment and
// writes it with a version guard, retrying when another writer got there
// first. change returns a public error to refuse the request (nothing is
// written) and may be called more than once.
func (a *API) updateEnvironment(ctx context.Context, envID string, change func(e *store.Environment) error) (*store.Environment, error) {
	for range maxAttempts {
		env, err := a.environment(ctx, envID)
		if err != nil {
			return nil, err
		}
		if err := change(env); err != nil {
			return nil, err
		}
		env.UpdatedAt = a.now()
		err = a.d.Store.UpdateEnvironment(ctx, env)
		if err == nil {
			return env, nil
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNotFound
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("update environment: %w", err)
		}
	}
	return nil, errConflict
}

// record writes a successful write's audit event, the actor taken from the
// principal. details must never carry secrets (the recorder drops keys that
// look like them, but values are the caller's responsibility).
func (a *API) record(c *fiber.Ctx, envID, action, userID string, details map[string]string) {
	if a.d.Audit == nil {
		return
	}
	e := store.Event{EnvironmentID: envID, Action: action, Outcome: audit.OutcomeSuccess, UserID: userID,
		IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), Details: details}
	if p := authn.From(c); p != nil {
		e.ActorID, e.SessionID = p.Subject, p.SessionID
		e.ActorType = audit.ActorApplication
		if p.IsUser() {
			e.ActorType = audit.ActorUser
		}
		if p.EnvID != envID {
			// Administrators act from their own environment; say which.
			if e.Details == nil {
				e.Details = map[string]string{}
			}
			e.Details["actorEnvironmentId"] = p.EnvID
		}
	}
	a.d.Audit.Record(c.UserContext(), e)
}

// limit reads the "limit" query parameter: 1 to MaxLimit, default def.
func limit(c *fiber.Ctx, def int) (int, error) {
	s := c.Query("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, apierr.Invalid("The request has an invalid query parameter.",
			apierr.Field(apierr.DetailInvalidValue, "limit", fmt.Sprintf("limit must be a whole number from 1 to %d.", MaxLimit)))
	}
	return n, nil
}

// Cursors are opaque to clients: the base64url of the last id of the page.
func encodeCursor(lastID string) string { return base64.RawURLEncoding.EncodeToString([]byte(lastID)) }

// errForeignCursor refuses a list cursor this server did not issue (or
// issued for another list or filter).
var errForeignCursor = apierr.Invalid("The request has an invalid query parameter.",
	apierr.Field(apierr.DetailInvalidValue, "cursor", "cursor is not one this server issued."))

func decodeCursor(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || valid.UUID(string(b)) != nil {
		return "", errForeignCursor
	}
	return strings.ToLower(string(b)), nil
}

// pageQuery is the query string of a list link.
func pageQuery(limit int, cursor string) string {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	return "?" + q.Encode()
}

// hashError maps a password hashing failure: a busy hasher is a 429.
func hashError(err error) error {
	if errors.Is(err, password.ErrBusy) {
		return apierr.Limited(1)
	}
	return fmt.Errorf("hash password: %w", err)
}

// detail is one INVALID_VALUE detail about target.
func detail(target, message string) apierr.Detail {
	return apierr.Field(apierr.DetailInvalidValue, target, message)
}

// invalid refuses a request with its details, or returns nil when there are none.
func invalid(details []apierr.Detail) error {
	if len(details) == 0 {
		return nil
	}
	return apierr.Invalid("The request has invalid data.", details...)
}
