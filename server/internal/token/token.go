// Package token signs and verifies the server's JWTs (access and ID tokens)
// with per-environment ES256 keys, and publishes those keys as a JWKS.
//
// Every environment has its own key set (Keys), stored encrypted
// (store.SigningKey.PrivateKey is a secret.Box-sealed PKCS#8 DER). Tokens
// name their key in the "kid" header; a Verifier knows only its own
// environment's keys, accepts only ES256, and checks issuer, audience,
// environment and times, so a token minted for one environment is never
// accepted in another.
package token

import (
	"cmp"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/store"
)

// Algorithm is the only JWS algorithm signed and accepted.
const Algorithm = "ES256"

// DefaultLeeway is the clock skew Verify tolerates on exp, nbf and iat.
const DefaultLeeway = 30 * time.Second

// Errors of this package; Verify's errors also wrap the jwt package's
// (jwt.ErrTokenExpired, jwt.ErrTokenInvalidIssuer, …) for detail.
var (
	// ErrInvalid wraps every reason Verify rejects a token.
	ErrInvalid = errors.New("token: invalid")
	// ErrUnknownKey: the token's kid is missing or not one of this
	// environment's keys.
	ErrUnknownKey = errors.New("token: unknown signing key")
	// ErrWrongEnvironment: the env claim names another environment.
	ErrWrongEnvironment = errors.New("token: wrong environment")
)

// Claims are the claims of access and ID tokens. The registered claims
// (iss, sub, aud, exp, nbf, iat, jti) come from jwt.RegisteredClaims.
type Claims struct {
	jwt.RegisteredClaims
	Env      string           `json:"env,omitempty"`
	SID      string           `json:"sid,omitempty"`
	ClientID string           `json:"client_id,omitempty"`
	Scope    string           `json:"scope,omitempty"` // space-separated
	AMR      []string         `json:"amr,omitempty"`
	ACR      string           `json:"acr,omitempty"`
	AuthTime *jwt.NumericDate `json:"auth_time,omitempty"`
	// ID-token claims.
	Nonce             string `json:"nonce,omitempty"`
	Email             string `json:"email,omitempty"`
	Name              string `json:"name,omitempty"`
	PreferredUsername string `json:"preferred_username,omitempty"`

	// Consent marks a token of a third-party application: it lives only
	// while the user's consent to that application does (our claim).
	Consent bool `json:"consent,omitempty"`
}

// KeyAD is the associated data a signing key's private key is sealed with:
// it binds the ciphertext to its environment and kid, so a sealed key copied
// into another environment's record does not open. The NUL separator keeps
// ("ab","c") and ("a","bc") apart; ids never contain NUL.
func KeyAD(envID, kid string) []byte {
	return []byte("myaccount/signing-key\x00" + envID + "\x00" + kid)
}

// GenerateKey makes a new P-256 key for envID named kid, created at now,
// with its private key sealed by box, ready for store.SigningKeys.
func GenerateKey(envID, kid string, box *secret.Box, now time.Time) (*store.SigningKey, error) {
	if envID == "" || kid == "" {
		return nil, errors.New("token: generate key: empty environment id or kid")
	}
	// crypto/ecdsa ignores the reader and uses its own randomness.
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("token: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("token: generate key: %w", err)
	}
	return &store.SigningKey{
		EnvironmentID: envID,
		ID:            kid,
		Algorithm:     Algorithm,
		PrivateKey:    box.Seal(der, KeyAD(envID, kid)),
		CreatedAt:     now.UTC(),
	}, nil
}

// Keys is one environment's decrypted key set. It is immutable, so safe
// for concurrent use; rotation builds a new Keys.
type Keys struct {
	env  string
	keys []key // newest first
}

type key struct {
	id      string
	priv    *ecdsa.PrivateKey
	created time.Time
}

// NewKeys decrypts an environment's signing keys. Every record must belong
// to envID, use ES256 and open with box; there must be at least one. The
// newest (by CreatedAt) signs.
func NewKeys(envID string, records []store.SigningKey, box *secret.Box) (*Keys, error) {
	if envID == "" {
		return nil, errors.New("token: keys: empty environment id")
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("token: keys: environment %s has no signing keys", envID)
	}
	ks := &Keys{env: envID}
	seen := make(map[string]bool, len(records))
	for _, r := range records {
		if r.EnvironmentID != envID {
			return nil, fmt.Errorf("token: keys: key %s belongs to environment %s, not %s", r.ID, r.EnvironmentID, envID)
		}
		if r.Algorithm != Algorithm {
			return nil, fmt.Errorf("token: keys: key %s has algorithm %q, want %s", r.ID, r.Algorithm, Algorithm)
		}
		if r.ID == "" || seen[r.ID] {
			return nil, fmt.Errorf("token: keys: empty or duplicate kid %q", r.ID)
		}
		seen[r.ID] = true
		der, err := box.Open(r.PrivateKey, KeyAD(envID, r.ID))
		if err != nil {
			return nil, fmt.Errorf("token: keys: open key %s: %w", r.ID, err)
		}
		parsed, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("token: keys: parse key %s: %w", r.ID, err)
		}
		priv, ok := parsed.(*ecdsa.PrivateKey)
		if !ok || priv.Curve != elliptic.P256() {
			return nil, fmt.Errorf("token: keys: key %s is not a P-256 key", r.ID)
		}
		ks.keys = append(ks.keys, key{id: r.ID, priv: priv, created: r.CreatedAt})
	}
	// Newest first whatever order the store gave; ties broken by kid so
	// the choice is deterministic.
	slices.SortStableFunc(ks.keys, func(a, b key) int {
		if c := b.created.Compare(a.created); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return ks, nil
}

// EnvironmentID returns the environment the keys belong to.
func (k *Keys) EnvironmentID() string { return k.env }

// KeyIDs returns the kids, newest (the signing key) first.
func (k *Keys) KeyIDs() []string {
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.id
	}
	return ids
}

func (k *Keys) lookup(kid string) *ecdsa.PublicKey {
	for _, key := range k.keys {
		if key.id == kid {
			return &key.priv.PublicKey
		}
	}
	return nil
}

// Signer signs tokens with an environment's newest key.
type Signer struct {
	keys *Keys
}

// NewSigner returns a Signer for keys.
func NewSigner(keys *Keys) *Signer { return &Signer{keys: keys} }

// Sign returns the compact JWS of c, signed with ES256 by the newest key,
// whose kid goes in the header. c must carry iss and exp; an empty Env is
// set to the keys' environment, a different one is refused (so Verify can
// insist on it).
func (s *Signer) Sign(c *Claims) (string, error) {
	if c == nil || c.Issuer == "" || c.ExpiresAt == nil {
		return "", errors.New("token: sign: claims need iss and exp")
	}
	cc := *c
	switch cc.Env {
	case "":
		cc.Env = s.keys.env
	case s.keys.env:
	default:
		return "", fmt.Errorf("token: sign: env claim %s for keys of %s: %w", cc.Env, s.keys.env, ErrWrongEnvironment)
	}
	newest := s.keys.keys[0]
	t := jwt.NewWithClaims(jwt.SigningMethodES256, &cc)
	t.Header["kid"] = newest.id
	out, err := t.SignedString(newest.priv)
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	return out, nil
}

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	Keys *Keys
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Leeway is the tolerated clock skew; zero means DefaultLeeway,
	// negative means none.
	Leeway time.Duration
}

// Verifier checks tokens against one environment's keys.
type Verifier struct {
	keys   *Keys
	now    func() time.Time
	leeway time.Duration
}

// NewVerifier returns a Verifier for cfg.
func NewVerifier(cfg VerifierConfig) *Verifier {
	v := &Verifier{keys: cfg.Keys, now: cfg.Now, leeway: cfg.Leeway}
	if v.now == nil {
		v.now = time.Now
	}
	switch {
	case v.leeway == 0:
		v.leeway = DefaultLeeway
	case v.leeway < 0:
		v.leeway = 0
	}
	return v
}

// Verify parses tokenString and returns its claims if it is an ES256 token
// signed by one of the environment's keys (chosen by kid), issued by
// issuer, for audience (not checked when empty), with exp present and
// exp/nbf/iat right for the clock (within the leeway), and with an env
// claim naming the keys' environment. Every error wraps ErrInvalid.
func (v *Verifier) Verify(tokenString, issuer, audience string) (*Claims, error) {
	if v.keys == nil || issuer == "" {
		return nil, fmt.Errorf("%w: verifier has no keys or issuer", ErrInvalid)
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{Algorithm}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.leeway),
		jwt.WithTimeFunc(v.now),
		jwt.WithStrictDecoding(),
	}
	if audience != "" {
		opts = append(opts, jwt.WithAudience(audience))
	}
	var c Claims
	_, err := jwt.ParseWithClaims(tokenString, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		pub := v.keys.lookup(kid)
		if pub == nil {
			return nil, ErrUnknownKey
		}
		return pub, nil
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if c.Env != v.keys.env {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, ErrWrongEnvironment)
	}
	return &c, nil
}

// JWKS returns the environment's public keys as a JSON Web Key Set
// (RFC 7517) for /as/jwks, newest first. Older keys stay listed so tokens
// they signed keep verifying until they expire.
func JWKS(keys *Keys) map[string]any {
	set := make([]map[string]string, 0, len(keys.keys))
	for _, k := range keys.keys {
		// Bytes is 0x04 | X | Y, each coordinate 32 bytes (zero-padded, as
		// RFC 7518 §6.2.1.2 requires).
		pt, err := k.priv.PublicKey.Bytes()
		if err != nil {
			continue // unreachable: NewKeys checked the curve
		}
		set = append(set, map[string]string{
			"kty": "EC",
			"crv": "P-256",
			"x":   base64.RawURLEncoding.EncodeToString(pt[1:33]),
			"y":   base64.RawURLEncoding.EncodeToString(pt[33:65]),
			"kid": k.id,
			"use": "sig",
			"alg": Algorithm,
		})
	}
	return map[string]any{"keys": set}
}
