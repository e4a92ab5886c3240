package resource

import (
	"strings"
	"unicode/utf8"
)

// MaskEmail hides most of an address's local part ("alice@example.com" →
// "a***@example.com") so the owner recognises it and others learn little;
// always three stars, so the mask does not tell the name's length. Masking
// a masked address changes nothing.
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return "***"
	}
	first, _ := utf8.DecodeRuneInString(addr)
	return string(first) + "***" + addr[at:]
}

// MaskPhone keeps only the last four digits of a phone number
// ("+15551234567" → "********4567"). Masking a masked number changes nothing.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) <= 4 || strings.Contains(s, "*") {
		return s
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}
