package oauth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/session"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
)

// A new sign-on is compared with the user's last signOnsCompared completed
// sign-ons (their SIGNON_COMPLETED events, kept 90 days: session records
// go at their expiry, far too soon to remember a browser by), looking at
// no more than signOnScan of the user's events.
const (
	signOnsCompared = 10
	signOnScan      = 500
)

// afterSignOn runs when a completed flow made a new session s: the user's
// live sessions beyond store.MaxLiveSessions end, oldest first, and a
// sign-on from a browser or network none of the recent ones came from is
// told to the account's address, with a "this wasn't me" link. It reports
// whether the sign-on was unfamiliar. Failures only log: the sign-on
// itself has succeeded.
func (p *Provider) afterSignOn(c *fiber.Ctx, s *store.Session) bool {
	ctx := c.UserContext()
	now := p.d.Now()
	ended, err := EndOldestSessions(ctx, p.d.Store, s.EnvironmentID, s.UserID, store.MaxLiveSessions, now)
	if err != nil {
		p.d.Logger.WarnContext(ctx, "session limit not applied", "err", err)
	}
	for _, sid := range ended {
		p.d.Audit.Record(ctx, store.Event{EnvironmentID: s.EnvironmentID, Action: audit.ActionSessionSignedOff,
			Outcome: audit.OutcomeSuccess, ActorType: audit.ActorSystem, UserID: s.UserID, SessionID: sid,
			Details: map[string]string{"reason": "session limit", "limit": fmt.Sprint(store.MaxLiveSessions)}})
	}
	prior, err := p.recentSignOns(ctx, s.EnvironmentID, s.UserID, now)
	if err != nil {
		p.d.Logger.WarnContext(ctx, "recent sign-ons not read", "err", err)
		return false
	}
	agent := session.Describe(s.UserAgent)
	if !Unfamiliar(prior, agent, s.IP, p.d.Geo) {
		return false
	}
	if p.d.Sender == nil {
		return true
	}
	u, err := p.d.Store.GetUser(ctx, s.EnvironmentID, s.UserID)
	if err != nil || u.Email == "" {
		return true
	}
	secure := p.d.PublicURL + paths.Build(paths.MyAccount, s.EnvironmentID) + "#secure"
	if p.d.SecureLinks != nil {
		if link, err := p.d.SecureLinks.Issue(ctx, s.EnvironmentID, s.UserID); err == nil {
			secure = link
		} else {
			p.d.Logger.WarnContext(ctx, "one-time secure link not made; the notice links to MyAccount", "err", err)
		}
	}
	from := s.IP
	if loc, ok := geoip.Lookup(p.d.Geo, s.IP); ok {
		from += " (" + loc.Place() + ")"
	}
	subject, text := p.d.Templates.Render(ctx, s.EnvironmentID, notify.UserLocale(u), notify.NewSignOn(DeviceName(agent), from, now, secure))
	if err := p.d.Sender.Send(ctx, notify.Message{EnvironmentID: s.EnvironmentID, Channel: notify.ChannelEmail,
		To: u.Email, Subject: subject, Text: text}); err != nil {
		p.d.Logger.WarnContext(ctx, "new sign-on notice not sent", "err", err)
	}
	return true
}

// recentSignOns returns the user's last signOnsCompared successful
// SIGNON_COMPLETED events, newest first.
func (p *Provider) recentSignOns(ctx context.Context, envID, userID string, now time.Time) ([]store.Event, error) {
	var out []store.Event
	page := store.EventPage{Now: now, Limit: 100}
	for scanned := 0; scanned < signOnScan && len(out) < signOnsCompared; {
		list, err := p.d.Store.PageEvents(ctx, envID, userID, page)
		if err != nil {
			return nil, fmt.Errorf("page events: %w", err)
		}
		for _, e := range list {
			if e.Action == audit.ActionSignOnCompleted && e.Outcome == audit.OutcomeSuccess && len(out) < signOnsCompared {
				out = append(out, e)
			}
		}
		scanned += len(list)
		if len(list) < page.Limit {
			break
		}
		last := list[len(list)-1]
		page.BeforeAt, page.BeforeID = last.CreatedAt, last.ID
	}
	return out, nil
}

// Unfamiliar reports whether a sign-on by agent from ip is new next to the
// prior ones: no prior sign-on had the same browser and system (versions
// aside), or none came from the same place. A place is the same network
// (session.Network), or, when geo knows where ip is, the same city and
// country (so a phone moving between networks of one city is not news,
// while a sign-on from another city is). A user's first sign-on has
// nothing to compare with and is not unfamiliar.
func Unfamiliar(prior []store.Event, agent session.Agent, ip string, geo geoip.Locator) bool {
	if len(prior) == 0 {
		return false
	}
	family, network := agent.Family(), session.Network(ip)
	here, placed := geoip.Lookup(geo, ip)
	sameBrowser, samePlace := false, false
	for _, e := range prior {
		sameBrowser = sameBrowser || session.Describe(e.UserAgent).Family() == family
		samePlace = samePlace || session.Network(e.IP) == network || (placed && samePlaceAs(geo, e, here))
	}
	return !sameBrowser || !samePlace
}

// samePlaceAs reports whether the prior sign-on e was in the city and
// country of here: where the event recorded it, or else where geo puts
// its address now.
func samePlaceAs(geo geoip.Locator, e store.Event, here geoip.Location) bool {
	there := audit.Location(e.Details)
	if !there.Known() {
		var ok bool
		if there, ok = geoip.Lookup(geo, e.IP); !ok {
			return false
		}
	}
	return sameCountry(there, here) && there.City == here.City
}

func sameCountry(a, b geoip.Location) bool {
	if a.CountryCode != "" && b.CountryCode != "" {
		return a.CountryCode == b.CountryCode
	}
	return a.Country == b.Country
}

// DeviceName says what signed on, for people: "Chrome 131 on Linux".
func DeviceName(a session.Agent) string {
	b := a.Browser
	if v, _, _ := strings.Cut(a.BrowserVersion, "."); b != "" && v != "" {
		b += " " + v
	}
	switch {
	case b != "" && a.OS != "":
		return b + " on " + a.OS
	case b != "":
		return b
	case a.OS != "":
		return "A browser on " + a.OS
	}
	return ""
}

// EndOldestSessions ends the user's live sessions beyond the newest keep,
// and returns the ids it ended. Two sign-ons racing may each leave one
// more for a moment; the next sign-on trims again.
func EndOldestSessions(ctx context.Context, st store.Sessions, envID, userID string, keep int, now time.Time) ([]string, error) {
	all, err := st.ListSessions(ctx, envID, userID)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	var ended []string
	live := 0
	for i := range all { // newest first
		if !Live(&all[i], now) {
			continue
		}
		live++
		if live <= keep {
			continue
		}
		if err := RevokeSession(ctx, st, envID, all[i].ID, now); err != nil {
			return ended, err
		}
		ended = append(ended, all[i].ID)
	}
	return ended, nil
}
