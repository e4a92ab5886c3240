package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
)

type fakeEnvs map[string]*store.Environment

func (f fakeEnvs) GetEnvironment(_ context.Context, id string) (*store.Environment, error) {
	if e, ok := f[id]; ok {
		return e, nil
	}
	return nil, store.ErrNotFound
}

type lastSent struct{ m Message }

func (l *lastSent) Send(_ context.Context, m Message) error { l.m = m; return nil }

func TestBranded(t *testing.T) {
	branded := &store.Environment{ID: "e1", Branding: store.Branding{CompanyName: "Acme",
		Logo: &store.Logo{ETag: "0123456789abcdef0123"}}}
	nameOnly := &store.Environment{ID: "e2", Branding: store.Branding{CompanyName: "Globex"}}
	plain := &store.Environment{ID: "e3"}
	envs := fakeEnvs{"e1": branded, "e2": nameOnly, "e3": plain}
	tests := []struct {
		name    string
		msg     Message
		want    string
		wantErr error
	}{
		{"emailWithLogo", Message{EnvironmentID: "e1", Channel: ChannelEmail, Text: "Your code is 1.\n"},
			"Your code is 1.\n\n-- \nAcme\nLogo: https://id.example.test/e1/branding/logo?v=0123456789abcdef\n", nil},
		{"defaultChannel", Message{EnvironmentID: "e2", Text: "Hi"}, "Hi\n\n-- \nGlobex\n", nil},
		{"noBranding", Message{EnvironmentID: "e3", Channel: ChannelEmail, Text: "Hi"}, "Hi", nil},
		{"sms", Message{EnvironmentID: "e1", Channel: ChannelSMS, Text: "Code 1"}, "Code 1", nil},
		{"unknownEnvironment", Message{EnvironmentID: "zz", Channel: ChannelEmail, Text: "Hi"}, "Hi", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &lastSent{}
			b := &Branded{Next: next, Environments: envs, PublicURL: "https://id.example.test/"}
			if err := b.Send(t.Context(), tt.msg); !errors.Is(err, tt.wantErr) {
				t.Fatal(err)
			}
			if next.m.Text != tt.want {
				t.Fatalf("text %q, want %q", next.m.Text, tt.want)
			}
		})
	}
}
