package manage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/oauth"
	"github.com/myaccount/myaccount/server/internal/session"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// errCurrentSession refuses ending the caller's own session through the
// sessions API, as PingOne does: signing off (/as/signoff) also clears the
// SSO cookie and the application's state, which a DELETE here cannot.
var errCurrentSession = apierr.New(http.StatusBadRequest, apierr.RequestFailed,
	"This is the session you are using. Sign off instead.",
	apierr.Field(apierr.DetailInvalidAction, "sessionId", "The current session cannot be deleted here: sign off with /as/signoff."))

// ListSessions answers GET /v1/environments/{envId}/users/{userId}/sessions:
// the user's open sessions, newest first, for the user with
// p1:read:sessions (their own session marked current) or a reader of the
// environment. Ended and expired sessions are not listed.
func (a *API) ListSessions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadSessions)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.user(ctx, envID, userID); err != nil {
			return err
		}
		all, err := a.d.Store.ListSessions(ctx, envID, userID)
		if err != nil {
			return fmt.Errorf("list sessions: %w", err)
		}
		now := a.d.Now()
		cur := authn.From(c).SessionID
		out := []resource.UserSession{}
		for i := range all {
			if oauth.Live(&all[i], now) {
				out = append(out, a.sessionResource(&all[i], all[i].ID == cur))
			}
		}
		return c.JSON(resource.NewList("sessions", out, a.d.PublicURL+paths.Build(paths.Sessions, envID, userID), ""))
	}
}

// GetSession answers GET …/sessions/{sessionId}, with ListSessions' access
// rule; a session that ended, or is another user's, is a 404.
func (a *API) GetSession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := selfParams(c, scope.ReadSessions)
		if err != nil {
			return err
		}
		s, err := a.liveSession(c, envID, userID)
		if err != nil {
			return err
		}
		return c.JSON(a.sessionResource(s, s.ID == authn.From(c).SessionID))
	}
}

// DeleteSession answers DELETE …/sessions/{sessionId}: the session ends at
// once on every server instance (each request re-reads it), its access
// tokens are refused from the next request and its refresh tokens from
// the next grant. The user with p1:delete:sessions may end any of their
// sessions but the one they are using (400: sign off instead);
// Environment and Identity Data Admins any session of the environment.
func (a *API) DeleteSession() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := sessionWriter(c)
		if err != nil {
			return err
		}
		s, err := a.liveSession(c, envID, userID)
		if err != nil {
			return err
		}
		if s.ID == authn.From(c).SessionID {
			return errCurrentSession
		}
		if err := oauth.RevokeSession(c.UserContext(), a.d.Store, envID, s.ID, a.d.Now()); err != nil {
			return err
		}
		a.recordSignedOff(c, envID, userID, s.ID, "signed off from the sessions list")
		return c.SendStatus(http.StatusNoContent)
	}
}

// DeleteSessions answers DELETE …/sessions (our extension: "sign off all
// other sessions"): every live session of the user ends but the caller's
// own. An administrator's call ends them all.
func (a *API) DeleteSessions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, userID, err := sessionWriter(c)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.user(ctx, envID, userID); err != nil {
			return err
		}
		ended, err := a.endSessionIDs(c, envID, userID, authn.From(c).SessionID)
		for _, sid := range ended {
			a.recordSignedOff(c, envID, userID, sid, "signed off with all other sessions")
		}
		if err != nil {
			return err
		}
		return c.SendStatus(http.StatusNoContent)
	}
}

// sessionWriter checks the caller may end the path user's sessions: the
// user with p1:delete:sessions, or a user writer of the environment.
func sessionWriter(c *fiber.Ctx) (envID, userID string, err error) {
	if envID, err = envParam(c); err != nil {
		return "", "", err
	}
	if userID, err = pathID(c, "userId"); err != nil {
		return "", "", err
	}
	if err := authn.Self(c, envID, userID, scope.DeleteSessions, authn.UserWriters); err != nil {
		return "", "", err
	}
	return envID, userID, nil
}

// liveSession loads the path's session of the user; ended, expired,
// missing and other users' sessions are all the same 404.
func (a *API) liveSession(c *fiber.Ctx, envID, userID string) (*store.Session, error) {
	sid, err := pathID(c, "sessionId")
	if err != nil {
		return nil, err
	}
	s, err := a.d.Store.GetSession(c.UserContext(), envID, sid)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	if s.UserID != userID || s.EnvironmentID != envID || !oauth.Live(s, a.d.Now()) {
		return nil, errNotFound
	}
	return s, nil
}

// endSessionIDs ends every live session of the user but keep and returns
// the ids it ended (also when it stops on an error part way).
func (a *API) endSessionIDs(c *fiber.Ctx, envID, userID, keep string) ([]string, error) {
	return a.endSessionIDsCtx(c.UserContext(), envID, userID, keep)
}

func (a *API) endSessionIDsCtx(ctx context.Context, envID, userID, keep string) ([]string, error) {
	all, err := a.d.Store.ListSessions(ctx, envID, userID)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	now := a.d.Now()
	var ended []string
	for i := range all {
		if all[i].ID == keep || !oauth.Live(&all[i], now) {
			continue
		}
		if err := oauth.RevokeSession(ctx, a.d.Store, envID, all[i].ID, now); err != nil {
			return ended, err
		}
		ended = append(ended, all[i].ID)
	}
	return ended, nil
}

// recordSignedOff records one ended session in the user's activity.
func (a *API) recordSignedOff(c *fiber.Ctx, envID, userID, sid, reason string) {
	a.record(c, envID, audit.ActionSessionSignedOff, userID, map[string]string{"sessionId": sid, "reason": reason})
}

// endSessionsOf ends every session of a user whose account an
// administrator just disabled, so enabling it again does not bring them
// back, and records how many went.
func (a *API) endSessionsOf(c *fiber.Ctx, envID, userID, reason string) error {
	ended, err := a.endSessionIDs(c, envID, userID, "")
	if len(ended) > 0 {
		a.record(c, envID, audit.ActionSessionSignedOff, userID, map[string]string{
			"reason": reason, "sessionsEnded": strconv.Itoa(len(ended))})
	}
	return err
}

// sessionResource is the one mapping of a session record to the API's
// UserSession. City and country come from the GeoIP database when the
// server has one (sessionLocation).
func (a *API) sessionResource(s *store.Session, current bool) resource.UserSession {
	ag := session.Describe(s.UserAgent)
	signOn := s.PasswordAt
	if s.MFAAt.After(signOn) {
		signOn = s.MFAAt
	}
	if signOn.IsZero() {
		signOn = s.CreatedAt
	}
	active := s.LastUsedAt
	if active.IsZero() {
		active = s.CreatedAt
	}
	locs := []resource.SessionLocation{}
	for _, l := range s.Locations {
		locs = append(locs, a.sessionLocation(l.IP, l.At))
	}
	if len(locs) == 0 && s.IP != "" {
		// Sessions made before addresses were kept.
		locs = append(locs, a.sessionLocation(s.IP, s.CreatedAt))
	}
	methods := slices.Clone(s.AMR)
	if methods == nil {
		methods = []string{}
	}
	return resource.UserSession{
		Links:           resource.Links{"self": a.link(paths.Build(paths.Session, s.EnvironmentID, s.UserID, s.ID))},
		ID:              s.ID,
		Environment:     resource.Ref{ID: s.EnvironmentID},
		User:            resource.Ref{ID: s.UserID},
		Browser:         resource.SessionBrowser{Name: ag.Browser, Version: ag.BrowserVersion},
		OperatingSystem: resource.SessionOS{Name: ag.OS, Version: ag.OSVersion},
		Device:          resource.SessionDevice{Type: ag.DeviceType},
		UserAgent:       s.UserAgent,
		LastSignOn:      resource.SessionSignOn{At: signOn.UTC(), RemoteIP: s.IP},
		Locations:       locs,
		Methods:         methods,
		Current:         current,
		CreatedAt:       s.CreatedAt.UTC(),
		ActiveAt:        active.UTC(),
		ExpiresAt:       s.ExpiresAt.UTC(),
	}
}

// sessionLocation is an address a session was used from, placed by the
// GeoIP database when there is one and it knows the address.
func (a *API) sessionLocation(ip string, at time.Time) resource.SessionLocation {
	loc, _ := geoip.Lookup(a.d.Geo, ip)
	country := loc.Country
	if country == "" {
		country = loc.CountryCode
	}
	return resource.SessionLocation{At: at.UTC(), RemoteIP: ip, City: loc.City, Country: country}
}
