// Package totp is the authenticator-app method: it generates a TOTP secret
// with its otpauth:// URI and QR code for pairing (Enroll), seals the secret
// for storage bound to its environment and device (Seal, Open), and checks
// codes (Verifier) per RFC 6238 with a grace window and replay protection.
//
// pquerna/otp makes the key and URI; the code computation is done here with
// crypto/hmac because the check must refuse time steps already used, which
// pquerna's Validate cannot, and because it runs on every sign-on.
package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"
)

// Algorithm is the HMAC hash of a TOTP key, spelled as in otpauth:// URIs.
type Algorithm string

// Algorithms RFC 6238 defines. SHA1 is the one every authenticator app
// supports (Google Authenticator ignores the others), hence the default.
const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Defaults and limits of Params.
const (
	DefaultPeriod = 30
	DefaultDigits = 6
	MinDigits     = 6
	// MaxDigits is 8: dynamic truncation yields 31 bits, so a ninth digit
	// would not be uniform (and apps do not display more than 8).
	MaxDigits = 8
	// MaxSkew bounds the grace window in steps either side of now, so a
	// misconfigured policy cannot turn Verify into a brute-force oracle
	// for a wide range of steps (10 steps of 30 s is ±5 minutes).
	MaxSkew = 10
)

// Params are the parameters a key was enrolled with; store them with the
// device and use them to verify its codes. Zero fields mean the defaults
// (30 s, 6 digits, SHA1).
type Params struct {
	Period    uint      // seconds per time step
	Digits    int       // code length, MinDigits to MaxDigits
	Algorithm Algorithm // HMAC hash
}

func (p Params) withDefaults() Params {
	if p.Period == 0 {
		p.Period = DefaultPeriod
	}
	if p.Digits == 0 {
		p.Digits = DefaultDigits
	}
	if p.Algorithm == "" {
		p.Algorithm = SHA1
	}
	return p
}

// check validates p after defaults are applied.
func (p Params) check() error {
	if p.Digits < MinDigits || p.Digits > MaxDigits {
		return fmt.Errorf("%d digits, want %d to %d", p.Digits, MinDigits, MaxDigits)
	}
	if p.hash() == nil {
		return fmt.Errorf("unknown algorithm %q", p.Algorithm)
	}
	return nil
}

func (p Params) hash() func() hash.Hash {
	switch p.Algorithm {
	case SHA1:
		return sha1.New
	case SHA256:
		return sha256.New
	case SHA512:
		return sha512.New
	}
	return nil
}

// hashSize is the output size of p's hash, also the secret length RFC 4226
// (§4, R6) and RFC 6238 (§B) use for it.
func (p Params) hashSize() int {
	switch p.Algorithm {
	case SHA256:
		return sha256.Size
	case SHA512:
		return sha512.Size
	}
	return sha1.Size
}

// Code returns the code for the time step containing t. The server only
// verifies codes; Code is for tests (API and browser tests compute what an
// authenticator app would show) and tools.
func Code(secretBase32 string, t time.Time, p Params) (string, error) {
	p = p.withDefaults()
	if err := p.check(); err != nil {
		return "", fmt.Errorf("totp: code: %w", err)
	}
	key, err := decodeSecret(secretBase32)
	if err != nil {
		return "", fmt.Errorf("totp: code: %w", err)
	}
	s := timeStep(t, p.Period)
	if s < 0 {
		return "", errors.New("totp: code: time before the unix epoch")
	}
	var buf [MaxDigits]byte
	g := newGenerator(key, p)
	return string(g.code(uint64(s), buf[:p.Digits])), nil
}

// timeStep is the RFC 6238 time step T = floor(unix / period).
func timeStep(t time.Time, period uint) int64 {
	u, p := t.Unix(), int64(period)
	s := u / p
	if u%p != 0 && u < 0 {
		s--
	}
	return s
}

// decodeSecret accepts base32 in either case, padded or not, as apps and
// people write it; the secrets Enroll makes are upper case, unpadded.
func decodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.TrimRight(strings.TrimSpace(s), "="))
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil {
		// The error says where the input is bad, which would echo part of
		// the secret into logs: drop it.
		return nil, errors.New("secret is not base32")
	}
	if len(key) == 0 {
		return nil, errors.New("secret is empty")
	}
	return key, nil
}

// generator computes codes for one key; it is not safe for concurrent use.
type generator struct {
	mac    hash.Hash
	digits int
	msg    [8]byte
	sum    []byte
}

func newGenerator(key []byte, p Params) *generator {
	mac := hmac.New(p.hash(), key)
	return &generator{mac: mac, digits: p.Digits, sum: make([]byte, 0, mac.Size())}
}

// code writes the code for counter into out (len(out) == digits) and
// returns it: HOTP (RFC 4226 §5.3) with dynamic truncation.
func (g *generator) code(counter uint64, out []byte) []byte {
	g.mac.Reset()
	binary.BigEndian.PutUint64(g.msg[:], counter)
	g.mac.Write(g.msg[:])
	sum := g.mac.Sum(g.sum[:0])
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	for i := g.digits - 1; i >= 0; i-- {
		// Taking the low digits one by one is v mod 10^digits, zero-padded.
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return out
}
