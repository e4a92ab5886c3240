// Package geoip places IP addresses on the map for people: the city and
// country a session was used from or a sign-on came from, read from a
// MaxMind-format database (GeoLite2-City or GeoIP2-City shape) named by
// GEOIP_DB. Without one, or when an address is not in it, callers show the
// IP alone: a location is a hint for the account's owner, never a
// security decision on its own.
package geoip

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// Location is where an address is, as far as the database knows. Either
// part may be empty (a country-only entry has no city).
type Location struct {
	City        string // English name, "Berlin"
	Country     string // English name, "Germany"
	CountryCode string // ISO 3166-1 alpha-2, "DE"
}

// Known reports whether the location says anything.
func (l Location) Known() bool { return l.City != "" || l.Country != "" || l.CountryCode != "" }

// Place is the location for people: "Berlin, Germany", "Germany", or "".
func (l Location) Place() string {
	country := l.Country
	if country == "" {
		country = l.CountryCode
	}
	switch {
	case l.City != "" && country != "":
		return l.City + ", " + country
	case l.City != "":
		return l.City
	}
	return country
}

// Locator looks addresses up. The session and audit code depend on this,
// not on the database, so tests can place addresses without a file.
type Locator interface {
	// Locate returns the address's location; ok is false when the address
	// does not parse, is not in the database or the lookup failed.
	Locate(ip string) (loc Location, ok bool)
}

// Lookup is Locate on a Locator that may be nil (no database configured).
func Lookup(l Locator, ip string) (Location, bool) {
	if l == nil || ip == "" {
		return Location{}, false
	}
	return l.Locate(ip)
}

// DB is a Locator over an opened MaxMind-format database.
type DB struct{ r *maxminddb.Reader }

// Open opens the database at path and checks that it has the shape of a
// city or country database, so a wrong or damaged file is a clear error
// at start-up rather than silently missing locations later.
func Open(path string) (*DB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open geoip database %s: %w", path, err)
	}
	db, err := newDB(r)
	if err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("geoip database %s: %w", path, err)
	}
	return db, nil
}

// OpenBytes is Open on a database held in memory.
func OpenBytes(b []byte) (*DB, error) {
	r, err := maxminddb.OpenBytes(b)
	if err != nil {
		return nil, fmt.Errorf("open geoip database: %w", err)
	}
	return newDB(r)
}

func newDB(r *maxminddb.Reader) (*DB, error) {
	t := strings.ToLower(r.Metadata.DatabaseType)
	if !strings.Contains(t, "city") && !strings.Contains(t, "country") {
		return nil, fmt.Errorf("database type %q is not a city or country database", r.Metadata.DatabaseType)
	}
	if err := r.Verify(); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	return &DB{r: r}, nil
}

// Close releases the database.
func (d *DB) Close() error { return d.r.Close() }

// record is the part of a GeoLite2-City record we read.
type record struct {
	City struct {
		Names map[string]string `maxminddb:"names"`
	} `maxminddb:"city"`
	Country struct {
		ISOCode string            `maxminddb:"iso_code"`
		Names   map[string]string `maxminddb:"names"`
	} `maxminddb:"country"`
}

var errNotFound = errors.New("address not in the database")

// Locate implements Locator.
func (d *DB) Locate(ip string) (Location, bool) {
	loc, err := d.lookup(ip)
	return loc, err == nil && loc.Known()
}

func (d *DB) lookup(ip string) (Location, error) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return Location{}, fmt.Errorf("parse address: %w", err)
	}
	res := d.r.Lookup(addr.Unmap())
	if err := res.Err(); err != nil {
		return Location{}, fmt.Errorf("lookup: %w", err)
	}
	if !res.Found() {
		return Location{}, errNotFound
	}
	var rec record
	if err := res.Decode(&rec); err != nil {
		return Location{}, fmt.Errorf("decode: %w", err)
	}
	return Location{City: rec.City.Names["en"], Country: rec.Country.Names["en"], CountryCode: rec.Country.ISOCode}, nil
}
