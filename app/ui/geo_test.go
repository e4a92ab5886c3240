package ui

import "testing"

func TestPlaceText(t *testing.T) {
	tests := []struct {
		name, ip, city, country, want string
	}{
		{name: "cityAndCountry", ip: "203.0.113.9", city: "Berlin", country: "Germany", want: "203.0.113.9 (Berlin, Germany)"},
		{name: "countryOnly", ip: "192.0.2.1", country: "Japan", want: "192.0.2.1 (Japan)"},
		{name: "cityOnly", ip: "192.0.2.1", city: "Lyon", want: "192.0.2.1 (Lyon)"},
		{name: "notPlaced", ip: "192.0.2.1", want: "192.0.2.1"},
		{name: "noAddress", city: "Berlin", country: "Germany", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeText(tt.ip, tt.city, tt.country); got != tt.want {
				t.Fatalf("placeText = %q, want %q", got, tt.want)
			}
		})
	}
}
