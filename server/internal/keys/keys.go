// Package keys manages each environment's token-signing keys: it creates
// the first key, loads and caches them (keys never change once written, so
// a cache is safe across instances), and reloads when a token names a kid
// the cache has not seen (another instance may have rotated).
package keys

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/token"
)

// Deps is what the manager needs.
type Deps struct {
	Store store.SigningKeys
	Box   *secret.Box
	Now   func() time.Time
}

// Manager hands out signers, verifiers and JWKS per environment.
type Manager struct {
	d  Deps
	mu sync.Mutex
	// cache maps an environment id to its parsed key set.
	cache map[string]*token.Keys
}

// New returns a Manager.
func New(d Deps) *Manager { return &Manager{d: d, cache: map[string]*token.Keys{}} }

// Ensure creates the environment's first key when it has none. Two
// instances racing may both create one; both keys are valid and the newest
// signs, so that is harmless.
func (m *Manager) Ensure(ctx context.Context, envID string) error {
	recs, err := m.d.Store.ListSigningKeys(ctx, envID)
	if err != nil {
		return fmt.Errorf("list signing keys: %w", err)
	}
	if len(recs) > 0 {
		return nil
	}
	k, err := token.GenerateKey(envID, ids.New(), m.d.Box, m.d.Now())
	if err != nil {
		return fmt.Errorf("generate signing key: %w", err)
	}
	if err := m.d.Store.CreateSigningKey(ctx, k); err != nil && !errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("store signing key: %w", err)
	}
	m.forget(envID)
	return nil
}

// Keys returns the environment's key set, from the cache when it has it.
func (m *Manager) Keys(ctx context.Context, envID string) (*token.Keys, error) {
	m.mu.Lock()
	k := m.cache[envID]
	m.mu.Unlock()
	if k != nil {
		return k, nil
	}
	return m.load(ctx, envID)
}

func (m *Manager) load(ctx context.Context, envID string) (*token.Keys, error) {
	recs, err := m.d.Store.ListSigningKeys(ctx, envID)
	if err != nil {
		return nil, fmt.Errorf("list signing keys: %w", err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("environment %s has no signing key", envID)
	}
	k, err := token.NewKeys(envID, recs, m.d.Box)
	if err != nil {
		return nil, fmt.Errorf("load signing keys: %w", err)
	}
	m.mu.Lock()
	m.cache[envID] = k
	m.mu.Unlock()
	return k, nil
}

func (m *Manager) forget(envID string) {
	m.mu.Lock()
	delete(m.cache, envID)
	m.mu.Unlock()
}

// Sign signs claims with the environment's newest key.
func (m *Manager) Sign(ctx context.Context, envID string, c *token.Claims) (string, error) {
	k, err := m.Keys(ctx, envID)
	if err != nil {
		return "", err
	}
	return token.NewSigner(k).Sign(c)
}

// Verify checks a token against the environment's keys, reloading them once
// when the token names a key the cache does not know.
func (m *Manager) Verify(ctx context.Context, envID, raw, issuer, audience string) (*token.Claims, error) {
	k, err := m.Keys(ctx, envID)
	if err != nil {
		return nil, err
	}
	c, err := token.NewVerifier(token.VerifierConfig{Keys: k, Now: m.d.Now}).Verify(raw, issuer, audience)
	if errors.Is(err, token.ErrUnknownKey) {
		if k, err2 := m.load(ctx, envID); err2 == nil {
			return token.NewVerifier(token.VerifierConfig{Keys: k, Now: m.d.Now}).Verify(raw, issuer, audience)
		}
	}
	return c, err
}

// JWKS returns the environment's public keys as a JSON Web Key Set.
func (m *Manager) JWKS(ctx context.Context, envID string) (map[string]any, error) {
	k, err := m.Keys(ctx, envID)
	if err != nil {
		return nil, err
	}
	return token.JWKS(k), nil
}

// VerifyIgnoringExpiry is Verify for tokens that may have expired (an
// id_token_hint): the signature, issuer and environment must still hold.
// It checks the token as of its own last valid second when that is past.
func (m *Manager) VerifyIgnoringExpiry(ctx context.Context, envID, raw, issuer string) (*token.Claims, error) {
	var cl token.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &cl); err != nil || cl.ExpiresAt == nil {
		return nil, fmt.Errorf("%w: unreadable token", token.ErrInvalid)
	}
	k, err := m.Keys(ctx, envID)
	if err != nil {
		return nil, err
	}
	at := m.d.Now()
	if last := cl.ExpiresAt.Time.Add(-time.Second); last.Before(at) {
		at = last
	}
	return token.NewVerifier(token.VerifierConfig{Keys: k, Now: func() time.Time { return at }, Leeway: -1}).Verify(raw, issuer, "")
}
