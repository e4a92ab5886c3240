package valid

import (
	"errors"
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Branding bounds.
const (
	MaxCompanyName = 100 // runes
	MaxFooter      = 500 // runes
	// MinContrast is WCAG 2's AA ratio for normal text.
	MinContrast = 4.5
)

// ErrContrast says two colours are too close for text to be read.
var ErrContrast = errors.New("has too little contrast")

// HexColour checks a colour in the one form branding accepts, "#rrggbb"
// (lower or upper case). Nothing else reaches CSS: the PWA sets custom
// properties only from values this accepts.
func HexColour(s string) error {
	if len(s) != 7 || s[0] != '#' {
		return ErrFormat
	}
	for i := 1; i < 7; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return ErrFormat
		}
	}
	return nil
}

// Contrast is the WCAG 2 contrast ratio of two "#rrggbb" colours, from 1
// to 21; it is 0 when either is not one.
func Contrast(a, b string) float64 {
	la, oka := luminance(a)
	lb, okb := luminance(b)
	if !oka || !okb {
		return 0
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Readable checks text in colour fg on background bg reaches MinContrast.
func Readable(fg, bg string) error {
	if HexColour(fg) != nil || HexColour(bg) != nil {
		return ErrFormat
	}
	if Contrast(fg, bg) < MinContrast {
		return ErrContrast
	}
	return nil
}

// luminance is WCAG 2's relative luminance of a "#rrggbb" colour.
func luminance(s string) (float64, bool) {
	if HexColour(s) != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return 0, false
	}
	ch := func(shift uint) float64 {
		c := float64((v>>shift)&0xff) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(16) + 0.7152*ch(8) + 0.0722*ch(0), true
}

// CompanyName checks a company name: free text of at most MaxCompanyName
// runes. Empty is fine: the product's own name shows.
func CompanyName(s string) error { return Text(s, MaxCompanyName) }

// Footer checks footer text: plain text of at most MaxFooter runes; line
// breaks are allowed, other control characters are not. It is shown as
// text, never as HTML.
func Footer(s string) error {
	if !utf8.ValidString(s) {
		return ErrFormat
	}
	if utf8.RuneCountInString(s) > MaxFooter {
		return ErrTooLong
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return ErrFormat
		}
	}
	return nil
}
