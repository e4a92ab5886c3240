package store

import (
	"testing"
	"time"
)

func TestNormalizeTimes(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	at := time.Date(2031, 1, 2, 3, 4, 5, 6_789_012, loc)
	want := at.UTC().Truncate(time.Millisecond)
	u := &User{CreatedAt: at, Devices: []Device{{CreatedAt: at, UpdatedAt: at}}}
	NormalizeTimes(u)
	for name, got := range map[string]time.Time{"user": u.CreatedAt, "device.created": u.Devices[0].CreatedAt, "device.updated": u.Devices[0].UpdatedAt} {
		if !got.Equal(want) || got.Location() != time.UTC || got.Nanosecond() != want.Nanosecond() {
			t.Errorf("%s: %v, want %v in UTC", name, got, want)
		}
	}
}
