package audit

import (
	"context"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/geoiptest"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/store"
)

func TestRecordPlacesTheAddress(t *testing.T) {
	db, err := geoip.Open(geoiptest.File(t, geoiptest.Sample...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	tests := []struct {
		name    string
		geo     geoip.Locator
		ip      string
		details map[string]string
		want    map[string]string
	}{
		{name: "cityAndCountry", geo: db, ip: "203.0.113.5", details: map[string]string{"reason": "x"},
			want: map[string]string{"reason": "x", "city": "Berlin", "country": "Germany", "countryIso": "DE"}},
		{name: "countryOnly", geo: db, ip: "192.0.2.3",
			want: map[string]string{"country": "Japan", "countryIso": "JP"}},
		{name: "unknownAddress", geo: db, ip: "8.8.4.4", details: map[string]string{"reason": "x"},
			want: map[string]string{"reason": "x"}},
		{name: "noAddress", geo: db, want: nil},
		{name: "noDatabase", ip: "203.0.113.5", want: nil},
		{name: "callerKeysStay", geo: db, ip: "203.0.113.5", details: map[string]string{"city": "Set by caller"},
			want: map[string]string{"city": "Set by caller", "country": "Germany", "countryIso": "DE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &memEvents{}
			r := New(Deps{Events: ev, Now: func() time.Time { return fixedNow }, Geo: tt.geo})
			r.Record(context.Background(), store.Event{EnvironmentID: envID, Action: ActionSignOnCompleted,
				Outcome: OutcomeSuccess, IP: tt.ip, Details: tt.details})
			if len(ev.events) != 1 {
				t.Fatalf("stored %d events", len(ev.events))
			}
			got := ev.events[0].Details
			if len(got) != len(tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("details[%q] = %q, want %q", k, got[k], v)
				}
			}
			if tt.details != nil && len(tt.details) != 1 {
				t.Errorf("the caller's map was changed: %v", tt.details)
			}
		})
	}
}
