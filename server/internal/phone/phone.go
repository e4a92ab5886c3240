// Package phone checks and normalises the phone numbers of SMS and voice
// devices with libphonenumber's rules (github.com/nyaruka/phonenumbers),
// server-side only: the library's metadata is too big for the PWA.
package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Errors Normalize returns; their text follows the field's name ("phone
// is not…"), is safe to show and never repeats the number.
var (
	ErrRegionRequired = errors.New("needs a leading + and its country code, or a region (ISO 3166-1 alpha-2, e.g. FR)")
	ErrUnknownRegion  = errors.New("is not a known ISO 3166-1 alpha-2 country code")
	ErrInvalid        = errors.New("is not a valid phone number")
	ErrNotMobile      = errors.New("is not a mobile number, which text messages need")
)

// maxInput bounds what is handed to the parser (it has its own limit, but
// a clear refusal is cheaper).
const maxInput = 64

// Normalize parses raw, an international number ("+33 6 12 34 56 78") or,
// with region, a national one ("06 12 34 56 78" in "FR"), and returns it in
// E.164 ("+33612345678"). mobile also refuses numbers that cannot be
// mobile (fixed lines, toll-free…), for SMS; a FIXED_LINE_OR_MOBILE number
// passes since some countries do not tell them apart.
func Normalize(raw, region string, mobile bool) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxInput {
		return "", ErrInvalid
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if !strings.HasPrefix(raw, "+") {
		if region == "" {
			return "", ErrRegionRequired
		}
		if phonenumbers.GetCountryCodeForRegion(region) == 0 {
			return "", ErrUnknownRegion
		}
	} else if region != "" && phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return "", ErrUnknownRegion
	}
	if region == "" {
		region = "ZZ" // unknown region: the number must carry its country code
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", ErrInvalid
	}
	if mobile {
		switch phonenumbers.GetNumberType(n) {
		case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		default:
			return "", ErrNotMobile
		}
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
