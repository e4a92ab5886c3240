package geoip_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/geoiptest"
	"github.com/myaccount/myaccount/server/internal/geoip"
)

func TestLocate(t *testing.T) {
	db, err := geoip.Open(geoiptest.File(t, geoiptest.Sample...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	tests := []struct {
		name   string
		ip     string
		want   geoip.Location
		wantOK bool
		place  string
	}{
		{name: "ipv4City", ip: "203.0.113.7", want: geoip.Location{City: "Berlin", Country: "Germany", CountryCode: "DE"}, wantOK: true, place: "Berlin, Germany"},
		{name: "otherCity", ip: "198.51.100.250", want: geoip.Location{City: "Lyon", Country: "France", CountryCode: "FR"}, wantOK: true, place: "Lyon, France"},
		{name: "countryOnly", ip: "192.0.2.1", want: geoip.Location{Country: "Japan", CountryCode: "JP"}, wantOK: true, place: "Japan"},
		{name: "outsideTheCountryNetwork", ip: "192.0.2.200", wantOK: false},
		{name: "ipv6", ip: "2001:db8::1", want: geoip.Location{City: "Toronto", Country: "Canada", CountryCode: "CA"}, wantOK: true, place: "Toronto, Canada"},
		{name: "ipv4MappedIPv6", ip: "::ffff:203.0.113.9", want: geoip.Location{City: "Berlin", Country: "Germany", CountryCode: "DE"}, wantOK: true, place: "Berlin, Germany"},
		{name: "notInDatabase", ip: "8.8.8.8", wantOK: false},
		{name: "notAnAddress", ip: "not-an-ip", wantOK: false},
		{name: "empty", ip: "", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := db.Locate(tt.ip)
			if ok != tt.wantOK || got != tt.want {
				t.Fatalf("Locate(%q) = %+v, %v; want %+v, %v", tt.ip, got, ok, tt.want, tt.wantOK)
			}
			if p := got.Place(); p != tt.place {
				t.Errorf("Place() = %q, want %q", p, tt.place)
			}
		})
	}
}

func TestLookupWithoutDatabase(t *testing.T) {
	if loc, ok := geoip.Lookup(nil, "203.0.113.7"); ok || loc.Known() {
		t.Fatalf("Lookup(nil) = %+v, %v; want nothing", loc, ok)
	}
}

func TestOpenRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.mmdb")
	if err := os.WriteFile(garbage, []byte("this is not a MaxMind database"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := geoiptest.Build(t, geoiptest.Sample...)
	truncated := filepath.Join(dir, "truncated.mmdb")
	if err := os.WriteFile(truncated, good[len(good)/3:], 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{name: "missing", path: filepath.Join(dir, "missing.mmdb"), want: "no such file"},
		{name: "notADatabase", path: garbage, want: "open geoip database"},
		{name: "truncated", path: truncated, want: "geoip database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := geoip.Open(tt.path)
			if err == nil {
				_ = db.Close()
				t.Fatalf("Open(%s) succeeded", tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not say %q and name the file", err, tt.want)
			}
		})
	}
}
