// Package opaque makes the server's opaque secrets (authorization codes,
// refresh tokens, client secrets, cookie values) and the hashes they are
// stored under: the database never holds a usable secret.
package opaque

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
)

// New returns a fresh 256-bit value (base64url, no padding) and its hash.
func New(r io.Reader) (value, hash string, err error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", "", fmt.Errorf("read random: %w", err)
	}
	value = base64.RawURLEncoding.EncodeToString(b)
	return value, Hash(value), nil
}

// Hash is the storage key of an opaque value (hex SHA-256). The values are
// 256-bit random, so a fast hash is enough: there is nothing to brute-force.
func Hash(value string) string {
	s := sha256.Sum256([]byte(value))
	return hex.EncodeToString(s[:])
}

// Equal compares two strings in constant time.
func Equal(a, b string) bool {
	return hmac.Equal([]byte(a), []byte(b))
}

// MAC signs msg with key (hex HMAC-SHA256).
func MAC(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
