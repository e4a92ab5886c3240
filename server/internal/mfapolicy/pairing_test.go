package mfapolicy

import (
	"slices"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
)

func TestPairable(t *testing.T) {
	tests := []struct {
		name    string
		methods []string
		want    []string
	}{
		{name: "all", methods: Methods(), want: []string{"EMAIL", "SMS", "VOICE", "TOTP", "FIDO2"}},
		{name: "displayOrder", methods: []string{"FIDO2", "EMAIL", "SMS"}, want: []string{"EMAIL", "SMS", "FIDO2"}},
		{name: "emailAlways", methods: []string{"TOTP"}, want: []string{"EMAIL", "TOTP"}},
		{name: "none", methods: nil, want: []string{"EMAIL"}},
		{name: "unknownIgnored", methods: []string{"MOBILE", "VOICE"}, want: []string{"EMAIL", "VOICE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Pairable(store.MFASettings{Methods: tt.methods}); !slices.Equal(got, tt.want) {
				t.Errorf("Pairable(%v) = %v, want %v", tt.methods, got, tt.want)
			}
		})
	}
}
