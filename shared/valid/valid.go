// Package valid holds the input checks shared by the PWA (instant feedback)
// and the server (always). They are syntactic and stateless; the server adds
// its stateful checks (rate limits, uniqueness, policies) on top.
package valid

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of user-supplied values.
const (
	MaxUsername    = 128
	MaxEmail       = 254
	MaxName        = 256
	MaxPassword    = 255  // runes; a policy may set a lower maximum
	MaxPasswordLen = 1024 // bytes: the hasher never sees more
)

// Errors the checks return; the server maps them to INVALID_VALUE details.
var (
	ErrRequired = errors.New("is required")
	ErrTooLong  = errors.New("is too long")
	ErrFormat   = errors.New("is not in the expected format")
)

// Username checks a username: 1–128 characters, no spaces or control
// characters.
func Username(s string) error {
	if s == "" {
		return ErrRequired
	}
	if utf8.RuneCountInString(s) > MaxUsername {
		return ErrTooLong
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return ErrFormat
		}
	}
	return nil
}

// Email checks an address for syntax only: local@domain with a dot in the
// domain, no display name, no spaces.
func Email(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxEmail {
		return ErrTooLong
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return ErrFormat
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return ErrFormat
	}
	return nil
}

// Text checks a free-text attribute (names and the like) of at most max runes
// without control characters. Empty is fine.
func Text(s string, max int) error {
	if !utf8.ValidString(s) {
		return ErrFormat
	}
	if utf8.RuneCountInString(s) > max {
		return ErrTooLong
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return ErrFormat
		}
	}
	return nil
}

// Password checks only what every policy shares: present, valid UTF-8 and
// within the absolute bounds. Policies add their own rules on the server.
func Password(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxPasswordLen || utf8.RuneCountInString(s) > MaxPassword {
		return ErrTooLong
	}
	if !utf8.ValidString(s) {
		return ErrFormat
	}
	return nil
}

// UUID checks the canonical 8-4-4-4-12 hex form.
func UUID(s string) error {
	if len(s) != 36 {
		return ErrFormat
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return ErrFormat
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return ErrFormat
			}
		}
	}
	return nil
}

// OTP checks a one-time passcode: digits only, 6 to 10 of them.
func OTP(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) < 6 || len(s) > 10 {
		return ErrFormat
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return ErrFormat
		}
	}
	return nil
}
