package session

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name, ua                 string
		browser, os, device, fam string
	}{
		{name: "chromeLinux", ua: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
			browser: "Chrome", os: "Linux", device: resource.SessionDesktop},
		{name: "safariIPhone", ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			browser: "Safari", os: "iOS", device: resource.SessionMobile},
		{name: "firefoxWindows", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
			browser: "Firefox", os: "Windows", device: resource.SessionDesktop},
		{name: "ipad", ua: "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
			browser: "Safari", os: "iOS", device: resource.SessionTablet},
		{name: "bot", ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", browser: "Googlebot", device: resource.SessionBot},
		{name: "empty", ua: "", device: resource.SessionUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Describe(tt.ua)
			if a.Browser != tt.browser || a.OS != tt.os || a.DeviceType != tt.device {
				t.Fatalf("Describe = %+v, want browser %q os %q device %q", a, tt.browser, tt.os, tt.device)
			}
			if tt.browser == "Chrome" && a.BrowserVersion != "131.0.0.0" {
				t.Errorf("version %q", a.BrowserVersion)
			}
		})
	}
	chrome130 := Describe("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36")
	if chrome130.Family() != Describe(tests[0].ua).Family() {
		t.Error("a browser update changed the family")
	}
	if Describe(tests[2].ua).Family() == Describe(tests[0].ua).Family() {
		t.Error("Firefox on Windows and Chrome on Linux share a family")
	}
}

func TestNetwork(t *testing.T) {
	tests := []struct{ name, ip, want string }{
		{name: "ipv4", ip: "203.0.113.77", want: "203.0.113.0/24"},
		{name: "ipv4Mapped", ip: "::ffff:203.0.113.77", want: "203.0.113.0/24"},
		{name: "ipv6", ip: "2001:db8:aa:bb::1", want: "2001:db8:aa::/48"},
		{name: "garbage", ip: "not an ip", want: "not an ip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Network(tt.ip); got != tt.want {
				t.Fatalf("Network(%q) = %q, want %q", tt.ip, got, tt.want)
			}
		})
	}
}

func TestTouch(t *testing.T) {
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "db"), CheckPlans: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	const env, id = "00000000-0000-4000-8000-00000000000d", "00000000-0000-7000-8000-000000000001"
	s := &store.Session{EnvironmentID: env, ID: id, UserID: "u", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour),
		LastUsedAt: t0, Locations: []store.SessionLocation{{IP: "192.0.2.1", At: t0}}}
	if err := st.CreateSession(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	get := func() *store.Session {
		t.Helper()
		x, err := st.GetSession(t.Context(), env, id)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	steps := []struct {
		name    string
		after   time.Duration
		ip      string
		version int64
		ips     []string
	}{
		{name: "sameAddressWithinAMinute", after: 30 * time.Second, ip: "192.0.2.1", version: 0, ips: []string{"192.0.2.1"}},
		{name: "aMinuteLater", after: time.Minute, ip: "192.0.2.1", version: 1, ips: []string{"192.0.2.1"}},
		{name: "newAddressAtOnce", after: time.Minute + time.Second, ip: "198.51.100.2", version: 2, ips: []string{"198.51.100.2", "192.0.2.1"}},
		{name: "oldAddressMovesToFront", after: time.Minute + 2*time.Second, ip: "192.0.2.1", version: 3, ips: []string{"192.0.2.1", "198.51.100.2"}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			cur := get()
			if err := Touch(t.Context(), st, cur, step.ip, t0.Add(step.after)); err != nil {
				t.Fatal(err)
			}
			got := get()
			if got.Version != step.version {
				t.Fatalf("version %d, want %d", got.Version, step.version)
			}
			var ips []string
			for _, l := range got.Locations {
				ips = append(ips, l.IP)
			}
			if len(ips) != len(step.ips) || ips[0] != step.ips[0] {
				t.Fatalf("addresses %v, want %v", ips, step.ips)
			}
		})
	}
	// Five addresses at most, newest first.
	locs := get().Locations
	for i := range 7 {
		locs = Seen(locs, "203.0.113."+string(rune('1'+i)), t0)
	}
	if len(locs) != store.MaxSessionLocations || locs[0].IP != "203.0.113.7" {
		t.Fatalf("after seven new addresses: %+v", locs)
	}
	// A stale copy loses to the write that moved the version on (a
	// revocation, say), without an error.
	stale := get()
	fresh := get()
	fresh.RevokedAt = t0.Add(2 * time.Minute)
	if err := st.UpdateSession(t.Context(), fresh); err != nil {
		t.Fatal(err)
	}
	if err := Touch(t.Context(), st, stale, "192.0.2.9", t0.Add(time.Hour)); err != nil {
		t.Fatalf("touch of a stale copy: %v", err)
	}
	if got := get(); got.RevokedAt.IsZero() {
		t.Fatal("a touch undid a revocation")
	}
}
