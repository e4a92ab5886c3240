// Package session describes sign-on sessions to their users and keeps
// their activity current: the browser, operating system and kind of
// device read from the User-Agent header (github.com/mileusna/useragent),
// and the last-use time and last addresses of a session, written at most
// once a minute per session so that every request can afford it.
package session

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/mileusna/useragent"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// TouchInterval is how stale a session's last-use time may get: requests
// within it write nothing unless they come from a new address.
const TouchInterval = time.Minute

// Agent is what a User-Agent header says about the browser.
type Agent struct {
	Browser, BrowserVersion string
	OS, OSVersion           string
	DeviceType              string // resource.SessionDesktop, …
}

// Describe reads a User-Agent header. Unknown parts are empty; the device
// type is then UNKNOWN.
func Describe(ua string) Agent {
	if ua == "" {
		return Agent{DeviceType: resource.SessionUnknown}
	}
	p := useragent.Parse(ua)
	a := Agent{Browser: p.Name, BrowserVersion: p.Version, OS: p.OS, OSVersion: p.OSVersion}
	switch {
	case p.Bot:
		a.DeviceType = resource.SessionBot
	case p.Tablet:
		a.DeviceType = resource.SessionTablet
	case p.Mobile:
		a.DeviceType = resource.SessionMobile
	case p.Desktop:
		a.DeviceType = resource.SessionDesktop
	default:
		a.DeviceType = resource.SessionUnknown
	}
	return a
}

// Family is what tells one browser from another for "seen before": the
// browser's and the system's names, without versions (which change with
// every update).
func (a Agent) Family() string { return a.Browser + "|" + a.OS }

// Network is the address block an IP belongs to for "seen before": its
// /24 (IPv4) or /48 (IPv6), so a home router's new address is not news.
// An address that does not parse is its own block.
func Network(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	bits := 48
	if addr.Is4() {
		bits = 24
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return ip
	}
	return p.String()
}

// Touch records that s was used at now from ip: its last-use time and its
// list of addresses (newest first, at most store.MaxSessionLocations). It
// writes only when the last use is TouchInterval old or the address is
// new, and never changes s itself. A conflict means another request (or a
// revocation) wrote the session first: that write wins and Touch is done.
func Touch(ctx context.Context, st store.Sessions, s *store.Session, ip string, now time.Time) error {
	if !Stale(s, ip, now) {
		return nil
	}
	x := *s
	x.LastUsedAt = now
	x.Locations = Seen(s.Locations, ip, now)
	if err := st.UpdateSession(ctx, &x); err != nil && !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// Stale reports whether a use of s at now from ip is worth writing.
func Stale(s *store.Session, ip string, now time.Time) bool {
	if now.Sub(s.LastUsedAt) >= TouchInterval {
		return true
	}
	return ip != "" && (len(s.Locations) == 0 || s.Locations[0].IP != ip)
}

// Seen returns locs with ip moved (or added) to the front at now, at most
// store.MaxSessionLocations long. locs is not changed.
func Seen(locs []store.SessionLocation, ip string, now time.Time) []store.SessionLocation {
	if ip == "" {
		return slices.Clone(locs)
	}
	out := []store.SessionLocation{{IP: ip, At: now}}
	for _, l := range locs {
		if l.IP != ip && len(out) < store.MaxSessionLocations {
			out = append(out, l)
		}
	}
	return out
}
