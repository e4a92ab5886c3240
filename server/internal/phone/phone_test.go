package phone

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		region  string
		mobile  bool
		want    string
		wantErr error
	}{
		{name: "international_spaces", raw: "+33 6 12 34 56 78", mobile: true, want: "+33612345678"},
		{name: "national_with_region", raw: "06 12 34 56 78", region: "fr", mobile: true, want: "+33612345678"},
		{name: "national_without_region", raw: "06 12 34 56 78", mobile: true, wantErr: ErrRegionRequired},
		{name: "unknown_region", raw: "06 12 34 56 78", region: "XX", wantErr: ErrUnknownRegion},
		{name: "us_fixed_or_mobile", raw: "(201) 555-0123", region: "US", mobile: true, want: "+12015550123"},
		{name: "fr_fixed_line_voice_ok", raw: "+33 1 42 68 53 00", want: "+33142685300"},
		{name: "fr_fixed_line_not_sms", raw: "+33 1 42 68 53 00", mobile: true, wantErr: ErrNotMobile},
		{name: "too_short", raw: "+33 6 12", wantErr: ErrInvalid},
		{name: "letters", raw: "call me", region: "FR", wantErr: ErrInvalid},
		{name: "empty", raw: " ", wantErr: ErrInvalid},
		{name: "too_long", raw: "+33612345678901234567890123456789012345678901234567890123456789012345", wantErr: ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.raw, tt.region, tt.mobile)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Fatalf("Normalize(%q, %q) = %q, %v; want %q, %v", tt.raw, tt.region, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
