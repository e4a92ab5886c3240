// Package recovery makes account recovery codes: ten single-use codes a
// user writes down or stores offline, to sign on when their other MFA
// methods are not at hand (a lost phone). The codes are shown once, when a
// set is made; the user's record keeps only keyed hashes of them, and using
// one removes its hash in the same version-guarded update that accepts it.
//
// Why a fast keyed hash and not argon2id as for passwords: every code is 10
// symbols of a 32-symbol alphabet, 50 random bits, not a human choice, so
// there is no dictionary to try. The hash is HMAC-SHA256 under a server key
// derived from the key-encryption key, which the database does not hold:
// a leaked user record alone allows no offline guessing at all. Online
// guessing goes through the per-user passcode limiter (a few tries per
// cool-down against 2^50 values per code). A slow hash would cost ten
// argon2id runs per sign-on attempt (each code has its own hash), turning
// the sign-on endpoint into a CPU sink for nothing.
package recovery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/valid"
)

// Count is how many codes a set has.
const Count = 10

// Length is the symbols per code: 10 symbols of 5 bits are 50 bits.
const Length = valid.RecoveryCodeLen

// Alphabet is Crockford's base32 in lower case: no i, l, o or u, so a code
// read aloud or copied by hand has no look-alikes (Normalize maps the
// look-alikes people still type back to 0 and 1). 32 symbols make a random
// byte's low five bits a uniform symbol, with no modulo bias.
const Alphabet = valid.RecoveryAlphabet

// MinKeyLen is the shortest HMAC key NewHasher accepts.
const MinKeyLen = 16

// maxAttempts bounds Use's read-modify-write retries.
const maxAttempts = 5

// Errors of Normalize and Use.
var (
	// ErrMalformed: the input cannot be a code of this package.
	ErrMalformed = errors.New("recovery: not a recovery code")
	// ErrNoCodes: the user has no set, or none left.
	ErrNoCodes = errors.New("recovery: no recovery codes left")
	// ErrWrongCode: the code is not one of the user's unused codes.
	ErrWrongCode = errors.New("recovery: wrong or used recovery code")
)

// Hasher computes the stored forms of codes. It is safe for concurrent use.
type Hasher struct {
	key []byte
}

// NewHasher returns a Hasher keyed by key (at least MinKeyLen bytes; derive
// it from the key-encryption key, e.g. secret.DeriveKey(kek, "recovery-hmac")).
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("recovery: hmac key is %d bytes, want at least %d", len(key), MinKeyLen)
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// Hash returns the hex HMAC-SHA256 of a normalized code bound to envID and
// userID, so a hash copied into another user's set, or another
// environment, does not match there.
func (h *Hasher) Hash(envID, userID, code string) string {
	return opaque.MACFields(h.key, "myaccount/recovery", envID, userID, code)
}

// Generate makes a fresh set for the user: Count distinct codes as they
// are shown (Format), and their hashes in the same order. r is
// crypto/rand.Reader in production.
func (h *Hasher) Generate(r io.Reader, envID, userID string) (codes, hashes []string, err error) {
	buf := make([]byte, Length)
	// An honest source repeats a 50-bit code with negligible chance; a
	// stuck one must not spin.
	for range Count * 4 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, nil, fmt.Errorf("recovery: read random: %w", err)
		}
		var b strings.Builder
		for _, x := range buf {
			b.WriteByte(Alphabet[x&31])
		}
		code := b.String()
		hash := h.Hash(envID, userID, code)
		if slices.Contains(hashes, hash) {
			continue
		}
		codes, hashes = append(codes, Format(code)), append(hashes, hash)
		if len(codes) == Count {
			return codes, hashes, nil
		}
	}
	return nil, nil, errors.New("recovery: random source repeats itself")
}

// Format writes a normalized code as it is shown: two groups of five,
// "abcde-fghjk".
func Format(code string) string {
	if len(code) != Length {
		return code
	}
	return code[:Length/2] + "-" + code[Length/2:]
}

// Normalize turns what a person typed into the code's canonical form
// (valid.RecoveryCode, which the PWA checks with too): case, spaces and
// dashes do not matter, and the look-alikes o, i and l read as 0, 1 and 1.
// Anything that is not Length symbols of Alphabet is ErrMalformed.
func Normalize(s string) (string, error) {
	code, err := valid.RecoveryCode(s)
	if err != nil {
		return "", ErrMalformed
	}
	return code, nil
}

// Match returns the index in hashes of the code the user typed, or -1 when
// it is none of them (or malformed). Every stored hash is compared, in
// constant time, so the time taken does not say which one matched.
func (h *Hasher) Match(envID, userID string, hashes []string, typed string) int {
	code, err := Normalize(typed)
	if err != nil {
		return -1
	}
	want := h.Hash(envID, userID, code)
	found := -1
	for i, stored := range hashes {
		if opaque.Equal(want, stored) && found < 0 {
			found = i
		}
	}
	return found
}

// Users is the little of the user store Use needs.
type Users interface {
	GetUser(ctx context.Context, envID, id string) (*store.User, error)
	UpdateUser(ctx context.Context, u *store.User) error
}

// Remaining is how many unused codes the user has.
func Remaining(u *store.User) int {
	if u == nil || u.RecoveryCodes == nil {
		return 0
	}
	return len(u.RecoveryCodes.Hashes)
}

// Use accepts typed as one of the user's codes, once: the matching hash is
// removed from the user's record by a version-guarded update. Of several
// requests with one code (in any flows, on any server instance), one writes
// first; the others conflict, read the record again and find the code gone
// (ErrWrongCode). It returns the user as written; Remaining tells how many
// codes are left. A malformed input is ErrMalformed, without a read.
func (h *Hasher) Use(ctx context.Context, users Users, envID, userID, typed string, now time.Time) (*store.User, error) {
	if _, err := Normalize(typed); err != nil {
		return nil, err
	}
	for range maxAttempts {
		u, err := users.GetUser(ctx, envID, userID)
		if err != nil {
			return nil, fmt.Errorf("load user: %w", err)
		}
		if Remaining(u) == 0 {
			return nil, ErrNoCodes
		}
		i := h.Match(envID, userID, u.RecoveryCodes.Hashes, typed)
		if i < 0 {
			return nil, ErrWrongCode
		}
		u.RecoveryCodes.Hashes = slices.Delete(slices.Clone(u.RecoveryCodes.Hashes), i, i+1)
		u.UpdatedAt = now
		err = users.UpdateUser(ctx, u)
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("use recovery code: %w", err)
		}
	}
	return nil, fmt.Errorf("use recovery code: %w", store.ErrConflict)
}
