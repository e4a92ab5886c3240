package valid

import (
	"errors"
	"strings"
	"testing"
)

func TestNickname(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{name: "empty", in: "", want: nil},
		{name: "plain", in: "Work phone", want: nil},
		{name: "max_runes", in: strings.Repeat("é", MaxNickname), want: nil},
		{name: "too_long", in: strings.Repeat("x", MaxNickname+1), want: ErrTooLong},
		{name: "control", in: "Work\nphone", want: ErrFormat},
		{name: "invalid_utf8", in: "\xff", want: ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Nickname(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("Nickname(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}
