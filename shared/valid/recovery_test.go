package valid

import (
	"errors"
	"testing"
)

func TestRecoveryCode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{"shown_form", "abcde-fghjk", "abcdefghjk", nil},
		{"loose", " ABC DE-fghjk ", "abcdefghjk", nil},
		{"look_alikes", "oOiIl-LoO1i", "0011110011", nil},
		{"empty", "  ", "", ErrRequired},
		{"short", "abcde-fghj", "", ErrFormat},
		{"u", "abcde-fghju", "", ErrFormat},
		{"non_ascii", "abcdé-fghjk", "", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RecoveryCode(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Fatalf("RecoveryCode(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}
