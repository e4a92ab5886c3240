package valid

import (
	"errors"
	"strings"
	"testing"
)

func TestProfileChecks(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		in    string
		want  error
	}{
		{"phone_ok", Phone, "+33 6 12 34 56 78", nil},
		{"phone_ok_compact", Phone, "+15551234567", nil},
		{"phone_ok_parentheses", Phone, "+1 (555) 123-4567", nil},
		{"phone_empty", Phone, "", ErrRequired},
		{"phone_national", Phone, "06 12 34 56 78", ErrFormat},
		{"phone_letters", Phone, "+33 6 CALL ME", ErrFormat},
		{"phone_two_plus", Phone, "++33612345678", ErrFormat},
		{"phone_too_few_digits", Phone, "+33123", ErrFormat},
		{"phone_too_many_digits", Phone, "+1234567890123456", ErrFormat},
		{"phone_long_input", Phone, "+33 " + strings.Repeat("1 ", 20), ErrTooLong},
		{"phone_operator", Phone, `{"$ne":""}`, ErrFormat},

		{"country_ok", CountryCode, "FR", nil},
		{"country_ok_aq", CountryCode, "AQ", nil},
		{"country_empty", CountryCode, "", ErrRequired},
		{"country_lower", CountryCode, "fr", ErrFormat},
		{"country_unassigned", CountryCode, "ZZ", ErrFormat},
		{"country_reserved_uk", CountryCode, "UK", ErrFormat},
		{"country_alpha3", CountryCode, "FRA", ErrFormat},
		{"country_two_codes", CountryCode, "FR DE", ErrFormat},
		{"country_space", CountryCode, "F ", ErrFormat},

		{"locale_ok", Locale, "en-US", nil},
		{"locale_language", Locale, "fr", nil},
		{"locale_script", Locale, "sr-Latn-RS", nil},
		{"locale_extension", Locale, "en-US-u-ca-gregory", nil},
		{"locale_underscore", Locale, "en_US", ErrFormat},
		{"locale_trailing_hyphen", Locale, "en-", ErrFormat},
		{"locale_digit_first", Locale, "1en", ErrFormat},
		{"locale_long_subtag", Locale, "en-abcdefghi", ErrFormat},
		{"locale_too_long", Locale, "en" + strings.Repeat("-abc", 20), ErrTooLong},

		{"language_ok", PreferredLanguage, "en-US, en-GB;q=0.8, en;q=0.7", nil},
		{"language_star", PreferredLanguage, "fr, *;q=0.1", nil},
		{"language_one", PreferredLanguage, "de", nil},
		{"language_q_one", PreferredLanguage, "de;q=1.000", nil},
		{"language_q_too_high", PreferredLanguage, "de;q=1.5", ErrFormat},
		{"language_q_too_precise", PreferredLanguage, "de;q=0.1234", ErrFormat},
		{"language_q_missing", PreferredLanguage, "de;q=", ErrFormat},
		{"language_empty_item", PreferredLanguage, "de,,fr", ErrFormat},
		{"language_bad_tag", PreferredLanguage, "en_US", ErrFormat},

		{"timezone_ok", Timezone, "Europe/Paris", nil},
		{"timezone_utc", Timezone, "UTC", nil},
		{"timezone_deep", Timezone, "America/Argentina/Buenos_Aires", nil},
		{"timezone_offset_name", Timezone, "Etc/GMT+5", nil},
		{"timezone_local", Timezone, "Local", ErrFormat},
		{"timezone_dotdot", Timezone, "../etc/passwd", ErrFormat},
		{"timezone_absolute", Timezone, "/etc/localtime", ErrFormat},
		{"timezone_space", Timezone, "Europe/New York", ErrFormat},
		{"timezone_long", Timezone, strings.Repeat("A", 65), ErrTooLong},

		{"photo_ok", PhotoURL, "https://cdn.example.com/u/alice.png?s=200", nil},
		{"photo_http", PhotoURL, "http://cdn.example.com/alice.png", ErrFormat},
		{"photo_javascript", PhotoURL, "javascript:alert(1)", ErrFormat},
		{"photo_data", PhotoURL, "data:image/png;base64,AAAA", ErrFormat},
		{"photo_relative", PhotoURL, "/alice.png", ErrFormat},
		{"photo_userinfo", PhotoURL, "https://user:pw@cdn.example.com/a.png", ErrFormat},
		{"photo_space", PhotoURL, "https://cdn.example.com/a b.png", ErrFormat},
		{"photo_long", PhotoURL, "https://cdn.example.com/" + strings.Repeat("a", MaxPhotoURL), ErrTooLong},

		{"street_ok_lines", StreetAddress, "1 Main Street\nApt 2", nil},
		{"street_empty", StreetAddress, "", nil},
		{"street_nul", StreetAddress, "1 Main\x00Street", ErrFormat},
		{"street_bad_utf8", StreetAddress, "1 Main \xff", ErrFormat},
		{"street_long", StreetAddress, strings.Repeat("a", MaxStreetAddress+1), ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.in); !errors.Is(got, tt.want) {
				t.Fatalf("check(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCountryCodes(t *testing.T) {
	codes := CountryCodes()
	if len(codes) != 249 {
		t.Fatalf("%d country codes, want ISO 3166-1's 249", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] || CountryCode(c) != nil {
			t.Errorf("code %q duplicated or refused", c)
		}
		seen[c] = true
	}
}
