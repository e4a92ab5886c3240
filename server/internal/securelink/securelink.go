// Package securelink issues and checks the one-time links of security
// notices ("this wasn't me"): a link secures the account without signing
// on, because whoever reads the mail may have lost every other way in
// while an intruder holds the sessions. A link is a random token, stored
// only as a hash bound to its environment and user, that works once and
// for TTL.
package securelink

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
)

// TTL is how long a link works.
const TTL = 24 * time.Hour

// TokenLen is the length of a token: 32 random bytes, base64url.
const TokenLen = 43

// maxAttempts bounds the retries of the version-guarded write.
const maxAttempts = 5

// Deps are the Issuer's dependencies.
type Deps struct {
	Users     store.Users
	PublicURL string
	Now       func() time.Time
	Rand      io.Reader // nil means crypto/rand
}

// Issuer makes links.
type Issuer struct{ d Deps }

// New returns an Issuer. Users is required.
func New(d Deps) *Issuer {
	if d.Users == nil {
		panic("securelink: New without Users")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	d.PublicURL = strings.TrimRight(d.PublicURL, "/")
	return &Issuer{d: d}
}

// Issue stores a new link for the user (dropping expired ones and the
// oldest beyond store.MaxSecureLinks) and returns its URL.
func (i *Issuer) Issue(ctx context.Context, envID, userID string) (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(i.d.Rand, b); err != nil {
		return "", fmt.Errorf("secure link token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	for range maxAttempts {
		u, err := i.d.Users.GetUser(ctx, envID, userID)
		if err != nil {
			return "", fmt.Errorf("load user: %w", err)
		}
		now := i.d.Now().UTC().Truncate(time.Millisecond)
		links := slices.DeleteFunc(slices.Clone(u.SecureLinks), func(l store.SecureLink) bool { return !now.Before(l.ExpiresAt) })
		links = append(links, store.SecureLink{TokenHash: Hash(envID, userID, token), CreatedAt: now, ExpiresAt: now.Add(TTL)})
		if n := len(links); n > store.MaxSecureLinks {
			links = links[n-store.MaxSecureLinks:]
		}
		u.SecureLinks = links
		err = i.d.Users.UpdateUser(ctx, u)
		if err == nil {
			return URL(i.d.PublicURL, envID, userID, token), nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return "", fmt.Errorf("store secure link: %w", err)
		}
	}
	return "", errors.New("store secure link: the user kept changing")
}

// URL is the link of token: the page that asks before it secures.
func URL(publicURL, envID, userID, token string) string {
	q := url.Values{"user": {userID}, "token": {token}}
	return strings.TrimRight(publicURL, "/") + paths.Build(paths.SecureLink, envID) + "?" + q.Encode()
}

// Hash is what is stored of a token: bound to the environment and the user,
// so a token copied into another user's link (or a stored hash copied to
// another record) opens nothing.
func Hash(envID, userID, token string) string {
	sum := sha256.Sum256([]byte(envID + "\x00" + userID + "\x00" + token))
	return hex.EncodeToString(sum[:])
}

// Works reports whether token opens one of u's links at now.
func Works(u *store.User, token string, now time.Time) bool { return find(u, token, now) >= 0 }

// Take removes the link token opens from u and reports whether there was
// one: call it inside the version-guarded update that secures the account,
// so two uses of one link cannot both succeed.
func Take(u *store.User, token string, now time.Time) bool {
	i := find(u, token, now)
	if i < 0 {
		return false
	}
	u.SecureLinks = slices.Delete(slices.Clone(u.SecureLinks), i, i+1)
	return true
}

func find(u *store.User, token string, now time.Time) int {
	if len(token) != TokenLen {
		return -1
	}
	h := []byte(Hash(u.EnvironmentID, u.ID, token))
	for i, l := range u.SecureLinks {
		if now.Before(l.ExpiresAt) && subtle.ConstantTimeCompare(h, []byte(l.TokenHash)) == 1 {
			return i
		}
	}
	return -1
}
