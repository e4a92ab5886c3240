package valid

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestHexColour(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"lower", "#1f4e79", nil},
		{"upper", "#FFFFFF", nil},
		{"short", "#fff", ErrFormat},
		{"noHash", "1f4e79a", ErrFormat},
		{"notHex", "#1f4e7g", ErrFormat},
		{"named", "red", ErrFormat},
		{"cssInjection", "#fff;}x", ErrFormat},
		{"empty", "", ErrFormat},
		{"alpha", "#1f4e79ff", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HexColour(tt.in); !errors.Is(got, tt.want) {
				t.Fatalf("HexColour(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestContrast(t *testing.T) {
	tests := []struct {
		name     string
		fg, bg   string
		want     float64
		readable error
	}{
		{"blackOnWhite", "#000000", "#ffffff", 21, nil},
		{"same", "#777777", "#777777", 1, ErrContrast},
		{"whiteOnDefaultBrand", "#ffffff", "#1f4e79", 8.66, nil},
		{"whiteOnYellow", "#ffffff", "#ffff00", 1.07, ErrContrast},
		{"justBelow", "#ffffff", "#7a7a7a", 4.29, ErrContrast},
		{"justAbove", "#ffffff", "#767676", 4.54, nil},
		{"bad", "#fff", "#000000", 0, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Contrast(tt.fg, tt.bg); math.Abs(got-tt.want) > 0.01 {
				t.Errorf("Contrast = %.3f, want %.2f", got, tt.want)
			}
			if got := Readable(tt.fg, tt.bg); !errors.Is(got, tt.readable) {
				t.Errorf("Readable = %v, want %v", got, tt.readable)
			}
		})
	}
}

func TestFooter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", nil},
		{"lines", "Acme Corp.\nAll rights reserved.", nil},
		{"max", strings.Repeat("é", MaxFooter), nil},
		{"tooLong", strings.Repeat("a", MaxFooter+1), ErrTooLong},
		{"control", "a\x00b", ErrFormat},
		{"badUTF8", "a\xffb", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Footer(tt.in); !errors.Is(got, tt.want) {
				t.Fatalf("Footer = %v, want %v", got, tt.want)
			}
		})
	}
}
