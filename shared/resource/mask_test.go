package resource

import "testing"

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		mask func(string) string
		in   string
		want string
	}{
		{"email", MaskEmail, "alice@example.com", "a***@example.com"},
		{"email_long_same_mask", MaskEmail, "jonathan@example.com", "j***@example.com"},
		{"email_one_char", MaskEmail, "a@example.com", "a***@example.com"},
		{"email_unicode", MaskEmail, "élodie@example.fr", "é***@example.fr"},
		{"email_already_masked", MaskEmail, "j***@example.com", "j***@example.com"},
		{"email_no_at", MaskEmail, "alice", "***"},
		{"email_leading_at", MaskEmail, "@example.com", "***"},
		{"phone", MaskPhone, "+15551234567", "********4567"},
		{"phone_already_masked", MaskPhone, "********4567", "********4567"},
		{"phone_short", MaskPhone, "1234", "1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.mask(tt.in); got != tt.want {
				t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
