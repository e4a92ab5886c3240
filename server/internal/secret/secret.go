// Package secret holds the server's key-encryption key (KEK) and the Box
// that encrypts secrets at rest with it (TOTP secrets, token-signing keys).
//
// The KEK comes from MYACCOUNT_SECRET_KEY (ParseKey) or, when that is unset,
// from a file in DATA_DIR created on first start (LoadOrCreateKey). Keys for
// other purposes (e.g. the OTP HMAC key) are derived from it with DeriveKey
// so the KEK itself is only ever used as an AES key.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyLen is the length of the KEK in bytes (AES-256).
const KeyLen = 32

// KeyFile is the name of the generated key file inside the data directory.
const KeyFile = "secret.key"

// Errors Open returns.
var (
	// ErrDecrypt: the ciphertext, its associated data or the key is wrong.
	ErrDecrypt = errors.New("secret: message authentication failed")
	// ErrUnknownVersion: the ciphertext names a key version the Box lacks.
	ErrUnknownVersion = errors.New("secret: unknown key version")
	// ErrMalformed: the ciphertext is too short to be one.
	ErrMalformed = errors.New("secret: malformed ciphertext")
)

// ParseKey reads a KEK given as base64 (standard or URL alphabet, padded or
// not) or hex; either way it must decode to exactly 32 bytes. Surrounding
// whitespace is ignored. The error never echoes the value.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("secret: key is empty")
	}
	// 64 hex digits are also valid base64 (of 48 bytes), so try hex first.
	if len(s) == 2*KeyLen {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		k, err := enc.Strict().DecodeString(s)
		if err != nil {
			continue
		}
		if len(k) != KeyLen {
			return nil, fmt.Errorf("secret: key decodes to %d bytes, want %d (generate one with: openssl rand -base64 32)", len(k), KeyLen)
		}
		return k, nil
	}
	return nil, fmt.Errorf("secret: key is neither base64 nor hex of %d bytes (generate one with: openssl rand -base64 32)", KeyLen)
}

// LoadOrCreateKey returns the KEK stored in dataDir/secret.key, creating
// the directory (0700) and the file (0600, 32 random bytes in base64) on
// first start. Creation is atomic: the key is written to a temporary file
// and hard-linked into place, which fails if the file exists, so two
// processes starting together end up with one key and nobody ever reads a
// half-written file. An existing file that does not hold a valid key is an
// error, never overwritten: that would orphan everything encrypted with it.
func LoadOrCreateKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, KeyFile)
	k, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("secret: create data dir: %w", err)
	}
	k = make([]byte, KeyLen)
	rand.Read(k) // never fails (crypto/rand crashes the program instead)

	tmp, err := os.CreateTemp(dataDir, KeyFile+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("secret: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp already uses 0600; Chmod states it rather than relying on it.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: create key file: %w", err)
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process won the race: use its key.
			return readKeyFile(path)
		}
		return nil, fmt.Errorf("secret: install key file: %w", err)
	}
	syncDir(dataDir)
	return k, nil
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret: read key file: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("secret: key file %s: %w", path, err)
	}
	return k, nil
}

// syncDir makes the new directory entry durable; failure only weakens
// crash safety, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// DeriveKey derives a 32-byte key for one purpose (e.g. "otp-hmac") from the
// KEK with HKDF-SHA256, so different uses never share key material.
func DeriveKey(kek []byte, purpose string) ([]byte, error) {
	if len(kek) != KeyLen {
		return nil, fmt.Errorf("secret: derive key: kek is %d bytes, want %d", len(kek), KeyLen)
	}
	if purpose == "" {
		return nil, errors.New("secret: derive key: empty purpose")
	}
	k, err := hkdf.Key(sha256.New, kek, nil, "myaccount/"+purpose, KeyLen)
	if err != nil {
		return nil, fmt.Errorf("secret: derive key: %w", err)
	}
	return k, nil
}

// Key is one version of the KEK.
type Key struct {
	Version byte
	Bytes   []byte // KeyLen bytes
}

// Box seals and opens small secrets with AES-256-GCM. A sealed message is
//
//	version (1 byte) | nonce (12 bytes) | ciphertext and tag
//
// The version byte names the KEK that sealed it, so the KEK can be rotated
// later: a Box opens messages of every version it holds and seals with the
// current one. Nonces are random (crypto/rand, not injectable: a
// predictable nonce would break GCM); at the handful of messages per user
// this stores, random 96-bit nonces are far from their collision bound.
type Box struct {
	current byte
	aeads   map[byte]cipher.AEAD
}

// NewBox returns a Box with one key, version 1.
func NewBox(kek []byte) (*Box, error) {
	return NewRotatingBox(Key{Version: 1, Bytes: kek})
}

// NewRotatingBox returns a Box that seals with current and opens messages
// sealed with current or any of older.
func NewRotatingBox(current Key, older ...Key) (*Box, error) {
	b := &Box{current: current.Version, aeads: make(map[byte]cipher.AEAD)}
	for _, k := range append([]Key{current}, older...) {
		if _, dup := b.aeads[k.Version]; dup {
			return nil, fmt.Errorf("secret: key version %d given twice", k.Version)
		}
		if len(k.Bytes) != KeyLen {
			return nil, fmt.Errorf("secret: key version %d is %d bytes, want %d", k.Version, len(k.Bytes), KeyLen)
		}
		block, err := aes.NewCipher(k.Bytes)
		if err != nil {
			return nil, fmt.Errorf("secret: new cipher: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secret: new gcm: %w", err)
		}
		b.aeads[k.Version] = aead
	}
	return b, nil
}

// Seal encrypts plaintext bound to associatedData (say, environment id and
// record id, so a sealed value copied into another record fails to open).
func (b *Box) Seal(plaintext, associatedData []byte) []byte {
	aead := b.aeads[b.current]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = b.current
	rand.Read(out[1:]) // never fails (crypto/rand crashes the program instead)
	return aead.Seal(out, out[1:], plaintext, adWithVersion(b.current, associatedData))
}

// Open decrypts a message made by Seal with the same associatedData.
func (b *Box) Open(ciphertext, associatedData []byte) ([]byte, error) {
	if len(ciphertext) < 1 {
		return nil, ErrMalformed
	}
	aead, ok := b.aeads[ciphertext[0]]
	if !ok {
		return nil, fmt.Errorf("%w %d", ErrUnknownVersion, ciphertext[0])
	}
	n := aead.NonceSize()
	if len(ciphertext) < 1+n+aead.Overhead() {
		return nil, ErrMalformed
	}
	pt, err := aead.Open(nil, ciphertext[1:1+n], ciphertext[1+n:], adWithVersion(ciphertext[0], associatedData))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// adWithVersion binds the version byte into the authenticated data, so
// changing it can never make a message open under another key.
func adWithVersion(v byte, ad []byte) []byte {
	return append([]byte{v}, ad...)
}
