package valid

import (
	"errors"
	"strings"
	"testing"
)

func TestChecks(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		in    string
		want  error
	}{
		{"username_ok", Username, "alice.smith", nil},
		{"username_empty", Username, "", ErrRequired},
		{"username_space", Username, "al ice", ErrFormat},
		{"username_long", Username, strings.Repeat("a", 129), ErrTooLong},
		{"email_ok", Email, "alice@example.com", nil},
		{"email_no_dot", Email, "alice@localhost", ErrFormat},
		{"email_display_name", Email, "Alice <alice@example.com>", ErrFormat},
		{"email_no_at", Email, "alice.example.com", ErrFormat},
		{"email_long", Email, strings.Repeat("a", 250) + "@x.io", ErrTooLong},
		{"password_ok_emoji", Password, strings.Repeat("🔐", 64), nil},
		{"password_empty", Password, "", ErrRequired},
		{"password_huge", Password, strings.Repeat("a", 100_000), ErrTooLong},
		{"password_bad_utf8", Password, "ab\xffcd", ErrFormat},
		{"uuid_ok", UUID, "3f2504e0-4f89-11d3-9a0c-0305e82c3301", nil},
		{"uuid_short", UUID, "3f2504e0", ErrFormat},
		{"uuid_bad_char", UUID, "3f2504e0-4f89-11d3-9a0c-0305e82c330z", ErrFormat},
		{"otp_ok", OTP, "123456", nil},
		{"otp_letters", OTP, "12a456", ErrFormat},
		{"otp_short", OTP, "12345", ErrFormat},
		{"otp_operator", OTP, `{"$ne":""}`, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.in); !errors.Is(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	if err := Text("Zoë", 3); err != nil {
		t.Fatalf("three runes rejected: %v", err)
	}
	if err := Text("Zoë!", 3); !errors.Is(err, ErrTooLong) {
		t.Fatalf("four runes: got %v", err)
	}
	if err := Text("a\x00b", 10); !errors.Is(err, ErrFormat) {
		t.Fatalf("NUL: got %v", err)
	}
}
