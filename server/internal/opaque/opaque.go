// Package opaque makes the server's opaque secrets (authorization codes,
// refresh tokens, client secrets, cookie values) and the hashes they are
// stored under: the database never holds a usable secret.
package opaque

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
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

// MACFields is the hex HMAC-SHA256 under key of label (a domain
// separator: one key's hashes for one purpose never match another's)
// followed by fields, each prefixed with its length so that ("ab","c") and
// ("a","bc") hash differently. Short codes (passcodes, recovery codes) are
// stored so: without the key a leaked hash cannot be brute-forced offline.
func MACFields(key []byte, label string, fields ...string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label + "\x00"))
	for _, f := range fields {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		m.Write(n[:])
		m.Write([]byte(f))
	}
	return hex.EncodeToString(m.Sum(nil))
}

// MAC signs msg with key (hex HMAC-SHA256).
func MAC(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
