// Package otp makes numeric one-time passcodes (the codes sent by email or
// SMS) and the keyed hashes they are stored as.
//
// Codes are stored only as HMAC-SHA256 under a server key, bound to their
// environment and flow or device, so a leaked database row neither reveals
// the code nor lets it be brute-forced offline (a 6-digit code has only a
// million values: an unkeyed hash would fall at once).
package otp

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"github.com/myaccount/myaccount/server/internal/opaque"
)

// Code lengths Generate accepts (PingOne's OTP length is 6 to 10; shorter
// codes are allowed for tests and policies that want them).
const (
	MinDigits = 4
	MaxDigits = 10
)

// MinKeyLen is the shortest HMAC key NewHasher accepts.
const MinKeyLen = 16

// Generate returns a code of digits decimal digits, each uniformly random.
// Bytes of 250 and above are rejected rather than reduced modulo 10, which
// would make 0–5 likelier than 6–9. r is crypto/rand.Reader in production.
func Generate(r io.Reader, digits int) (string, error) {
	if digits < MinDigits || digits > MaxDigits {
		return "", fmt.Errorf("otp: %d digits, want %d to %d", digits, MinDigits, MaxDigits)
	}
	out := make([]byte, 0, digits)
	// A few spare bytes per read: about 2.3% of bytes are rejected.
	buf := make([]byte, digits+4)
	// An honest source needs one or two reads; a stuck one must not spin.
	for range 64 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("otp: read random: %w", err)
		}
		for _, b := range buf {
			if b >= 250 {
				continue
			}
			out = append(out, '0'+b%10)
			if len(out) == digits {
				return string(out), nil
			}
		}
	}
	return "", errors.New("otp: random source returned only rejected bytes")
}

// Hasher computes stored forms of codes. It is safe for concurrent use.
type Hasher struct {
	key []byte
}

// NewHasher returns a Hasher keyed by key (at least MinKeyLen bytes; derive
// it from the key-encryption key, e.g. secret.DeriveKey(kek, "otp-hmac")).
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("otp: hmac key is %d bytes, want at least %d", len(key), MinKeyLen)
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// Hash returns the hex HMAC-SHA256 of code bound to envID and subjectID
// (the flow or device the code was sent for), so a hash copied to another
// flow or environment does not match there.
func (h *Hasher) Hash(envID, subjectID, code string) string {
	return opaque.MACFields(h.key, "myaccount/otp", envID, subjectID, code)
}

// Check reports whether code is the one stored as the hash stored for envID
// and subjectID, in constant time.
func (h *Hasher) Check(envID, subjectID, code, stored string) bool {
	return Equal(h.Hash(envID, subjectID, code), stored)
}

// Equal compares two strings in time that depends only on their lengths.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
