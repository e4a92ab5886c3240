// Package geoiptest writes small MaxMind-format city databases for tests
// (with github.com/maxmind/mmdbwriter), so no downloaded GeoLite database
// is ever needed or committed. Import it from tests only.
package geoiptest

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Entry places a network (CIDR) in a city of a country.
type Entry struct {
	Network     string // "203.0.113.0/24"
	City        string // English name; "" writes a country-only record
	Country     string // English name
	CountryCode string // ISO code
}

// Build returns a GeoLite2-City shaped database holding entries.
func Build(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-City", RecordSize: 24,
		IncludeReservedNetworks: true, BuildEpoch: 1_700_000_000,
		Description: map[string]string{"en": "MyAccount test city database"}})
	if err != nil {
		t.Fatalf("new mmdb tree: %v", err)
	}
	for _, e := range entries {
		_, network, err := net.ParseCIDR(e.Network)
		if err != nil {
			t.Fatalf("entry %q: %v", e.Network, err)
		}
		rec := mmdbtype.Map{
			"country": mmdbtype.Map{
				"iso_code": mmdbtype.String(e.CountryCode),
				"names":    mmdbtype.Map{"en": mmdbtype.String(e.Country)},
			},
		}
		if e.City != "" {
			rec["city"] = mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(e.City)}}
		}
		if err := tree.Insert(network, rec); err != nil {
			t.Fatalf("insert %q: %v", e.Network, err)
		}
	}
	var b bytes.Buffer
	if _, err := tree.WriteTo(&b); err != nil {
		t.Fatalf("write mmdb: %v", err)
	}
	return b.Bytes()
}

// File writes Build's database into a temporary directory and returns its
// path.
func File(t testing.TB, entries ...Entry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "GeoLite2-City-test.mmdb")
	if err := os.WriteFile(path, Build(t, entries...), 0o600); err != nil {
		t.Fatalf("write mmdb file: %v", err)
	}
	return path
}

// Sample is a small set of entries the project's tests share:
// documentation networks (RFC 5737, RFC 3849) placed in known cities.
var Sample = []Entry{
	{Network: "203.0.113.0/24", City: "Berlin", Country: "Germany", CountryCode: "DE"},
	{Network: "198.51.100.0/24", City: "Lyon", Country: "France", CountryCode: "FR"},
	{Network: "192.0.2.0/25", Country: "Japan", CountryCode: "JP"},
	{Network: "2001:db8::/48", City: "Toronto", Country: "Canada", CountryCode: "CA"},
	{Network: "127.0.0.0/8", City: "Loopback City", Country: "Testland", CountryCode: "ZZ"},
}
