package securelink_test

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
)

const (
	envID   = "00000000-0000-4000-8000-00000000000d"
	otherID = "00000000-0000-4000-8000-00000000000e"
	aliceID = "00000000-0000-7000-8000-0000000000b1"
	bobID   = "00000000-0000-7000-8000-0000000000b2"
)

func TestIssueAndTake(t *testing.T) {
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "db.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, u := range []*store.User{{EnvironmentID: envID, ID: aliceID, Username: "alice"}, {EnvironmentID: envID, ID: bobID, Username: "bob"}} {
		if err := st.CreateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	links := securelink.New(securelink.Deps{Users: st, PublicURL: "https://id.example/", Now: func() time.Time { return now }})
	issue := func(user string) string {
		t.Helper()
		link, err := links.Issue(t.Context(), envID, user)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(link, "https://id.example/"+envID+"/secureAccount?") {
			t.Fatalf("link %q", link)
		}
		u, _ := url.Parse(link)
		return u.Query().Get("token")
	}
	load := func(id string) *store.User {
		t.Helper()
		u, err := st.GetUser(t.Context(), envID, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	first := issue(aliceID)
	bobs := issue(bobID)
	alice := load(aliceID)
	if len(first) != securelink.TokenLen || len(alice.SecureLinks) != 1 || strings.Contains(alice.SecureLinks[0].TokenHash, first) {
		t.Fatalf("stored %+v for token of %d characters", alice.SecureLinks, len(first))
	}

	tests := []struct {
		name  string
		user  *store.User
		token string
		at    time.Time
		want  bool
	}{
		{name: "own", user: alice, token: first, at: now, want: true},
		{name: "justBeforeExpiry", user: alice, token: first, at: now.Add(securelink.TTL - time.Millisecond), want: true},
		{name: "expired", user: alice, token: first, at: now.Add(securelink.TTL), want: false},
		{name: "anotherUsersToken", user: alice, token: bobs, at: now, want: false},
		{name: "sameHashOtherEnvironment", user: &store.User{EnvironmentID: otherID, ID: aliceID, SecureLinks: alice.SecureLinks}, token: first, at: now, want: false},
		{name: "sameHashOtherUser", user: &store.User{EnvironmentID: envID, ID: bobID, SecureLinks: alice.SecureLinks}, token: first, at: now, want: false},
		{name: "truncated", user: alice, token: first[:42], at: now, want: false},
		{name: "empty", user: alice, token: "", at: now, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := securelink.Works(tt.user, tt.token, tt.at); got != tt.want {
				t.Fatalf("Works = %v, want %v", got, tt.want)
			}
		})
	}

	// Take works once.
	if !securelink.Take(alice, first, now) || securelink.Take(alice, first, now) || len(alice.SecureLinks) != 0 {
		t.Fatalf("take: links left %+v", alice.SecureLinks)
	}

	// A user keeps the newest MaxSecureLinks; expired ones go at the next issue.
	var tokens []string
	for range store.MaxSecureLinks + 2 {
		tokens = append(tokens, issue(aliceID))
		now = now.Add(time.Minute)
	}
	alice = load(aliceID)
	if len(alice.SecureLinks) != store.MaxSecureLinks || securelink.Works(alice, tokens[0], now) || securelink.Works(alice, tokens[1], now) ||
		!securelink.Works(alice, tokens[len(tokens)-1], now) {
		t.Fatalf("kept %d links", len(alice.SecureLinks))
	}
	now = now.Add(securelink.TTL)
	issue(aliceID)
	if n := len(load(aliceID).SecureLinks); n != 1 {
		t.Fatalf("%d links after the others expired, want 1", n)
	}
}
