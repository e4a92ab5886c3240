// Package password hashes and verifies user passwords with argon2id and
// keeps the cost of doing so bounded.
//
// Hashes are PHC strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash) that carry
// their own parameters, so raising the parameters later leaves old hashes
// verifiable (NeedsRehash says when to upgrade one after a good sign-on).
//
// Each argon2id run holds Params.Memory KiB, so a Hasher lets at most
// MaxConcurrent run at once; the rest wait up to Wait and then get ErrBusy,
// which the server answers with 429. That keeps memory bounded
// (Memory × MaxConcurrent) however many sign-ons arrive together.
//
// VerifyDummy (and Verify with an empty hash) runs the same work against
// nothing, so "unknown user" costs what "wrong password" costs.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/myaccount/myaccount/shared/valid"
)

// Errors the Hasher returns.
var (
	// ErrBusy: every hashing slot stayed taken for the whole wait; the
	// server answers 429.
	ErrBusy = errors.New("password: hasher busy")
	// ErrTooLong: the password is longer than valid.MaxPasswordLen bytes and
	// was rejected before hashing (argon2 cost grows with input length).
	ErrTooLong = errors.New("password: too long")
	// ErrEmpty: Hash was given an empty password.
	ErrEmpty = errors.New("password: empty")
	// ErrMalformed: the stored hash is not an argon2id PHC string this
	// package accepts.
	ErrMalformed = errors.New("password: malformed hash")
)

// Params are argon2id's cost parameters and output sizes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams returns the OWASP Password Storage Cheat Sheet's first
// argon2id configuration: m=19 MiB, t=2, p=1 (its equivalent alternatives
// trade memory for passes, e.g. m=46 MiB, t=1). A 16-byte salt and 32-byte
// key follow RFC 9106's recommendation.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Bounds on parameters read from a stored hash: a tampered row must not be
// able to make one verification allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB (1 GiB)
	maxTime    = 64
	maxThreads = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// Defaults for Config fields left zero.
const (
	DefaultMaxConcurrent = 2
	DefaultWait          = time.Second
)

// Config configures a Hasher. Zero fields take defaults.
type Config struct {
	// Params for new hashes; zero means DefaultParams().
	Params Params
	// MaxConcurrent bounds argon2id runs in flight; zero means
	// DefaultMaxConcurrent.
	MaxConcurrent int
	// Wait is how long a call waits for a free slot before ErrBusy; zero
	// means DefaultWait, negative means do not wait.
	Wait time.Duration
	// Rand supplies salts; nil means crypto/rand.
	Rand io.Reader
}

// Hasher hashes and verifies passwords. It is safe for concurrent use.
type Hasher struct {
	params Params
	wait   time.Duration
	rand   io.Reader
	slots  chan struct{}
	calls  atomic.Int64
	// dummy stands in for the stored hash of a user that does not exist.
	dummy phc
	// derive is argon2.IDKey; tests swap it to observe concurrency.
	derive func(pw, salt []byte, p Params) []byte
}

// New returns a Hasher for cfg.
func New(cfg Config) *Hasher {
	p := cfg.Params
	if p == (Params{}) {
		p = DefaultParams()
	}
	d := DefaultParams()
	if p.Memory == 0 {
		p.Memory = d.Memory
	}
	if p.Time == 0 {
		p.Time = d.Time
	}
	if p.Threads == 0 {
		p.Threads = d.Threads
	}
	if p.SaltLen == 0 {
		p.SaltLen = d.SaltLen
	}
	if p.KeyLen == 0 {
		p.KeyLen = d.KeyLen
	}
	n := cfg.MaxConcurrent
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	wait := cfg.Wait
	if wait == 0 {
		wait = DefaultWait
	}
	r := cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	return &Hasher{
		params: p,
		wait:   wait,
		rand:   r,
		slots:  make(chan struct{}, n),
		// The dummy's key is all zeros: no real comparison is wanted, only
		// the argon2id run with the current parameters and a salt of the
		// current length. Its result is discarded (see verify).
		dummy: phc{params: p, salt: make([]byte, p.SaltLen), key: make([]byte, p.KeyLen)},
		derive: func(pw, salt []byte, p Params) []byte {
			return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		},
	}
}

// Params returns the parameters new hashes use.
func (h *Hasher) Params() Params { return h.params }

// Calls returns how many argon2id runs this Hasher has done (Hash, Verify
// and VerifyDummy alike). Tests use it to prove an unknown user costs a
// hash too.
func (h *Hasher) Calls() int64 { return h.calls.Load() }

// Hash returns the PHC string of pw under the current parameters.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if pw == "" {
		return "", ErrEmpty
	}
	if len(pw) > valid.MaxPasswordLen {
		return "", ErrTooLong
	}
	salt := make([]byte, h.params.SaltLen)
	if _, err := io.ReadFull(h.rand, salt); err != nil {
		return "", fmt.Errorf("password: read salt: %w", err)
	}
	key, err := h.run(ctx, []byte(pw), salt, h.params)
	if err != nil {
		return "", err
	}
	return phc{params: h.params, salt: salt, key: key}.String(), nil
}

// Verify reports whether pw matches the PHC string stored. A mismatch is
// (false, nil). An empty stored hash means "no such user": the work is done
// against a dummy hash and the answer is (false, nil), exactly as for a
// wrong password. Errors are ErrTooLong, ErrMalformed, ErrBusy or the
// context's error.
func (h *Hasher) Verify(ctx context.Context, pw, stored string) (bool, error) {
	if stored == "" {
		return h.VerifyDummy(ctx, pw)
	}
	if len(pw) > valid.MaxPasswordLen {
		return false, ErrTooLong
	}
	want, err := parse(stored)
	if err != nil {
		return false, err
	}
	got, err := h.run(ctx, []byte(pw), want.salt, want.params)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want.key) == 1, nil
}

// VerifyDummy does the work of Verify for a user that does not exist and
// returns (false, nil), or the same errors Verify would for pw.
func (h *Hasher) VerifyDummy(ctx context.Context, pw string) (bool, error) {
	if len(pw) > valid.MaxPasswordLen {
		return false, ErrTooLong
	}
	got, err := h.run(ctx, []byte(pw), h.dummy.salt, h.dummy.params)
	if err != nil {
		return false, err
	}
	// Compare like Verify does so the timing matches, then ignore the
	// result: no password may ever "match" a user that does not exist.
	_ = subtle.ConstantTimeCompare(got, h.dummy.key)
	return false, nil
}

// NeedsRehash reports whether stored was made with parameters other than
// the current ones (or cannot be parsed), so the caller should store a
// fresh Hash after a successful Verify.
func (h *Hasher) NeedsRehash(stored string) bool {
	p, err := parse(stored)
	if err != nil {
		return true
	}
	return p.params != h.params
}

// run derives one key while holding a slot.
func (h *Hasher) run(ctx context.Context, pw, salt []byte, p Params) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-h.slots }()
	h.calls.Add(1)
	return h.derive(pw, salt, p), nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	if h.wait < 0 {
		return ErrBusy
	}
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return fmt.Errorf("password: %w", ctx.Err())
	}
}

// phc is a parsed argon2id PHC string.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

func (p phc) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.params.Memory, p.params.Time, p.params.Threads,
		b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// parse reads "$argon2id$v=19$m=M,t=T,p=P$salt$key" strictly, with the
// parameters in that order and within the bounds above.
func parse(s string) (phc, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, ErrMalformed
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, fmt.Errorf("%w: unsupported version %q", ErrMalformed, parts[2])
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return phc{}, ErrMalformed
	}
	m, err1 := param(kv[0], "m=", maxMemory)
	t, err2 := param(kv[1], "t=", maxTime)
	th, err3 := param(kv[2], "p=", maxThreads)
	if err := errors.Join(err1, err2, err3); err != nil {
		return phc{}, err
	}
	salt, err := b64.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return phc{}, fmt.Errorf("%w: bad salt", ErrMalformed)
	}
	key, err := b64.Strict().DecodeString(parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return phc{}, fmt.Errorf("%w: bad key", ErrMalformed)
	}
	return phc{
		params: Params{
			Memory: uint32(m), Time: uint32(t), Threads: uint8(th),
			SaltLen: uint32(len(salt)), KeyLen: uint32(len(key)),
		},
		salt: salt,
		key:  key,
	}, nil
}

// param reads "name=N" with 1 <= N <= limit.
func param(s, prefix string, limit uint64) (uint64, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, fmt.Errorf("%w: want %s", ErrMalformed, strings.TrimSuffix(prefix, "="))
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n < 1 || n > limit || v != strconv.FormatUint(n, 10) {
		return 0, fmt.Errorf("%w: bad %s", ErrMalformed, strings.TrimSuffix(prefix, "="))
	}
	return n, nil
}
