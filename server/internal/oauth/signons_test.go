package oauth_test

import (
	"testing"

	"github.com/myaccount/myaccount/server/geoiptest"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/oauth"
	"github.com/myaccount/myaccount/server/internal/session"
	"github.com/myaccount/myaccount/server/internal/store"
)

const (
	firefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	chromeMac    = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

func TestUnfamiliar(t *testing.T) {
	db, err := geoip.Open(geoiptest.File(t,
		geoiptest.Entry{Network: "203.0.113.0/25", City: "Berlin", Country: "Germany", CountryCode: "DE"},
		geoiptest.Entry{Network: "198.51.100.0/24", City: "Berlin", Country: "Germany", CountryCode: "DE"},
		geoiptest.Entry{Network: "192.0.2.0/24", City: "Lyon", Country: "France", CountryCode: "FR"},
	))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	berlin := []store.Event{{IP: "203.0.113.10", UserAgent: firefoxLinux}}
	tests := []struct {
		name  string
		prior []store.Event
		ua    string
		ip    string
		geo   geoip.Locator
		want  bool
	}{
		{name: "firstSignOn", ua: firefoxLinux, ip: "192.0.2.1", geo: db, want: false},
		{name: "sameBrowserSameNetwork", prior: berlin, ua: firefoxLinux, ip: "203.0.113.99", geo: db, want: false},
		{name: "newBrowser", prior: berlin, ua: chromeMac, ip: "203.0.113.99", geo: db, want: true},
		{name: "newNetworkSameCity", prior: berlin, ua: firefoxLinux, ip: "198.51.100.7", geo: db, want: false},
		{name: "newNetworkNewCity", prior: berlin, ua: firefoxLinux, ip: "192.0.2.7", geo: db, want: true},
		{name: "newNetworkWithoutDatabase", prior: berlin, ua: firefoxLinux, ip: "198.51.100.7", want: true},
		{name: "newNetworkNotInDatabase", prior: berlin, ua: firefoxLinux, ip: "8.8.8.8", geo: db, want: true},
		{name: "priorPlaceFromItsDetails", prior: []store.Event{{IP: "8.8.8.8", UserAgent: firefoxLinux,
			Details: map[string]string{"city": "Lyon", "country": "France", "countryIso": "FR"}}},
			ua: firefoxLinux, ip: "192.0.2.7", geo: db, want: false},
		{name: "sameCityNameOtherCountry", prior: []store.Event{{IP: "8.8.8.8", UserAgent: firefoxLinux,
			Details: map[string]string{"city": "Lyon", "country": "Elsewhere", "countryIso": "XX"}}},
			ua: firefoxLinux, ip: "192.0.2.7", geo: db, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oauth.Unfamiliar(tt.prior, session.Describe(tt.ua), tt.ip, tt.geo); got != tt.want {
				t.Fatalf("Unfamiliar = %v, want %v", got, tt.want)
			}
		})
	}
}
