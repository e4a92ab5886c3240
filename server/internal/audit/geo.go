package audit

import (
	"maps"

	"github.com/myaccount/myaccount/server/internal/geoip"
)

// Details keys of an event's location (Place).
const (
	DetailCity       = "city"
	DetailCountry    = "country"    // English name
	DetailCountryISO = "countryIso" // ISO 3166-1 alpha-2
)

// Place returns details with the location of ip added (city, country,
// countryIso) when geo knows it, as it was when the event happened: a
// later database update does not move old sign-ons. Keys the caller set
// stay; details itself is not changed.
func Place(geo geoip.Locator, ip string, details map[string]string) map[string]string {
	loc, ok := geoip.Lookup(geo, ip)
	if !ok {
		return details
	}
	out := maps.Clone(details)
	if out == nil {
		out = map[string]string{}
	}
	for k, v := range map[string]string{DetailCity: loc.City, DetailCountry: loc.Country, DetailCountryISO: loc.CountryCode} {
		if _, set := out[k]; !set && v != "" {
			out[k] = v
		}
	}
	return out
}

// Location reads an event's location back from its details.
func Location(details map[string]string) geoip.Location {
	return geoip.Location{City: details[DetailCity], Country: details[DetailCountry], CountryCode: details[DetailCountryISO]}
}
