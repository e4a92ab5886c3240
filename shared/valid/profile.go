package valid

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of profile attributes (runes, except URLs in bytes).
const (
	MaxStreetAddress     = 1024 // may hold line breaks
	MaxLocale            = 64
	MaxPreferredLanguage = 256
	MaxTimezone          = 64
	MaxPhotoURL          = 2048
	MaxPhoneInput        = 32 // separators included
	// Phone numbers hold 6 to 15 digits with the country code (E.164 has
	// at most 15).
	minPhoneDigits = 6
	maxPhoneDigits = 15
)

// Phone checks the shape of a profile phone number: a leading + and the
// country code, then digits with optional spaces, hyphens, dots or
// parentheses, 6 to 15 digits in all. The server also checks the number
// exists in its country's plan (libphonenumber) and stores it in E.164.
func Phone(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxPhoneInput {
		return ErrTooLong
	}
	if s[0] != '+' {
		return ErrFormat
	}
	digits := 0
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return ErrFormat
		}
	}
	if digits < minPhoneDigits || digits > maxPhoneDigits {
		return ErrFormat
	}
	return nil
}

// CountryCode checks an ISO 3166-1 alpha-2 code, upper case ("FR").
func CountryCode(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return ErrFormat
	}
	if !strings.Contains(" "+countryCodes+" ", " "+s+" ") {
		return ErrFormat
	}
	return nil
}

// CountryCodes lists the ISO 3166-1 alpha-2 codes CountryCode accepts.
func CountryCodes() []string { return strings.Fields(countryCodes) }

// countryCodes are the assigned ISO 3166-1 alpha-2 codes (249), as the tz
// database's iso3166.tab lists them.
const countryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ " +
	"BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER " +
	"ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM " +
	"IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF " +
	"MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK " +
	"PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD " +
	"TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// Locale checks the shape of a BCP 47 language tag ("en-US",
// "sr-Latn-RS"): subtags of 1 to 8 letters or digits joined by hyphens, the
// first one of letters only. The server also checks the language is one it
// knows.
func Locale(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxLocale {
		return ErrTooLong
	}
	for i, sub := range strings.Split(s, "-") {
		if len(sub) < 1 || len(sub) > 8 {
			return ErrFormat
		}
		for _, r := range sub {
			letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !letter && (i == 0 || r < '0' || r > '9') {
				return ErrFormat
			}
		}
	}
	return nil
}

// PreferredLanguage checks the shape of a language priority list as an
// Accept-Language header holds it ("en-US, en-GB;q=0.8, en;q=0.7"): BCP 47
// tags or "*", each with an optional quality from 0 to 1.
func PreferredLanguage(s string) error {
	if s == "" {
		return ErrRequired
	}
	if utf8.RuneCountInString(s) > MaxPreferredLanguage {
		return ErrTooLong
	}
	for _, part := range strings.Split(s, ",") {
		tag, q, hasQ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.TrimSpace(tag)
		if tag != "*" && Locale(tag) != nil {
			return ErrFormat
		}
		if hasQ && !quality(strings.TrimSpace(q)) {
			return ErrFormat
		}
	}
	return nil
}

// quality checks "q=0.8": 0 to 1 with up to three decimals (RFC 9110 §12.4.2).
func quality(s string) bool {
	v, ok := strings.CutPrefix(s, "q=")
	if !ok || v == "" {
		return false
	}
	whole, frac, dot := strings.Cut(v, ".")
	if len(frac) > 3 || (dot && frac == "" && whole == "") {
		return false
	}
	for _, r := range frac {
		if r < '0' || r > '9' || (whole == "1" && r != '0') {
			return false
		}
	}
	return whole == "0" || whole == "1"
}

// Timezone checks the shape of an IANA time zone name ("Europe/Paris",
// "UTC", "America/Argentina/Buenos_Aires"). The server also checks the zone
// exists in its time zone database.
func Timezone(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxTimezone {
		return ErrTooLong
	}
	for _, part := range strings.Split(s, "/") {
		if part == "" || part == "." || part == ".." {
			return ErrFormat
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-+", r)) {
				return ErrFormat
			}
		}
	}
	if s == "Local" {
		// Go's name for the server's own zone, not an IANA one.
		return ErrFormat
	}
	return nil
}

// PhotoURL checks a profile photo address: an absolute https URL with a
// host, no user name or password, no spaces, at most MaxPhotoURL bytes.
func PhotoURL(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxPhotoURL {
		return ErrTooLong
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return ErrFormat
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ErrFormat
	}
	return nil
}

// StreetAddress checks a street address: free text of at most
// MaxStreetAddress runes, where line breaks (and tabs) are allowed but no
// other control characters.
func StreetAddress(s string) error {
	if !utf8.ValidString(s) {
		return ErrFormat
	}
	if utf8.RuneCountInString(s) > MaxStreetAddress {
		return ErrTooLong
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return ErrFormat
		}
	}
	return nil
}
