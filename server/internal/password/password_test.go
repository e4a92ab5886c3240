package password

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/shared/valid"
)

// cheap keeps unit tests fast; one test below runs the real defaults.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newCheap(t *testing.T) *Hasher {
	t.Helper()
	return New(Config{Params: cheap})
}

func TestHashVerify(t *testing.T) {
	h := newCheap(t)
	ctx := context.Background()
	stored, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q, want argon2id PHC with cheap params", stored)
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{name: "right", pw: "correct horse battery staple", want: true},
		{name: "wrong", pw: "correct horse battery stapler", want: false},
		{name: "empty", pw: "", want: false},
		{name: "case", pw: "Correct horse battery staple", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(ctx, tt.pw, stored)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.want {
				t.Errorf("Verify(%q) = %v, want %v", tt.pw, ok, tt.want)
			}
		})
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	h := newCheap(t)
	a, err := h.Hash(context.Background(), "same")
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Hash(context.Background(), "same")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

// TestDefaultParams runs the real OWASP parameters once.
func TestDefaultParams(t *testing.T) {
	h := New(Config{})
	if got, want := h.Params(), (Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}); got != want {
		t.Fatalf("defaults = %+v, want %+v", got, want)
	}
	ctx := context.Background()
	stored, err := h.Hash(ctx, "hunter2hunter2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %q", stored)
	}
	ok, err := h.Verify(ctx, "hunter2hunter2", stored)
	if err != nil || !ok {
		t.Fatalf("Verify = %v, %v; want true", ok, err)
	}
	if h.NeedsRehash(stored) {
		t.Error("NeedsRehash on a fresh default hash")
	}
}

// TestKnownVector pins the encoding against an independently produced hash
// (argon2-cffi / the reference CLI: password "password", salt "somesalt").
func TestKnownVector(t *testing.T) {
	const stored = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	h := New(Config{Params: cheap})
	ok, err := h.Verify(context.Background(), "password", stored)
	if err != nil || !ok {
		t.Fatalf("Verify(reference vector) = %v, %v; want true", ok, err)
	}
}

func TestOldParamsStillVerify(t *testing.T) {
	ctx := context.Background()
	old := New(Config{Params: cheap})
	stored, err := old.Hash(ctx, "pw-from-2020")
	if err != nil {
		t.Fatal(err)
	}
	stronger := cheap
	stronger.Time = 2
	stronger.Memory = 128
	cur := New(Config{Params: stronger})
	ok, err := cur.Verify(ctx, "pw-from-2020", stored)
	if err != nil || !ok {
		t.Fatalf("Verify with newer hasher = %v, %v; want true", ok, err)
	}
	if !cur.NeedsRehash(stored) {
		t.Error("NeedsRehash = false for a hash with old parameters")
	}
	if old.NeedsRehash(stored) {
		t.Error("NeedsRehash = true for a hash with current parameters")
	}
	if !cur.NeedsRehash("garbage") {
		t.Error("NeedsRehash = false for garbage")
	}
}

func TestVerifyMalformed(t *testing.T) {
	h := newCheap(t)
	good, err := h.Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	tests := []struct {
		name   string
		stored string
	}{
		{name: "argon2i", stored: "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{name: "bcrypt", stored: "$2a$10$abcdefghijklmnopqrstuu5mZ5tUQZ0fqvQm6b8k7wPZ8qz3j1X7W"},
		{name: "version16", stored: "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{name: "missingVersion", stored: "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{name: "paramOrder", stored: "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{name: "zeroTime", stored: "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{name: "hugeMemory", stored: "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key},
		{name: "hugeTime", stored: "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key},
		{name: "leadingZero", stored: "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{name: "plusSign", stored: "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{name: "shortSalt", stored: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{name: "badBase64", stored: "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:len(key)-1] + "!"},
		{name: "padded", stored: "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "="},
		{name: "extraField", stored: good + "$x"},
		{name: "noLeadingDollar", stored: good[1:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.Calls()
			ok, err := h.Verify(context.Background(), "pw", tt.stored)
			if ok || !errors.Is(err, ErrMalformed) {
				t.Fatalf("Verify = %v, %v; want false, ErrMalformed", ok, err)
			}
			if h.Calls() != before {
				t.Error("a malformed hash still ran argon2id")
			}
		})
	}
}

func TestTooLong(t *testing.T) {
	h := newCheap(t)
	ctx := context.Background()
	long := strings.Repeat("a", valid.MaxPasswordLen+1)
	edge := strings.Repeat("a", valid.MaxPasswordLen)
	if _, err := h.Hash(ctx, long); !errors.Is(err, ErrTooLong) {
		t.Errorf("Hash(too long) err = %v, want ErrTooLong", err)
	}
	if _, err := h.Verify(ctx, long, "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"); !errors.Is(err, ErrTooLong) {
		t.Errorf("Verify(too long) err = %v, want ErrTooLong", err)
	}
	if _, err := h.VerifyDummy(ctx, long); !errors.Is(err, ErrTooLong) {
		t.Errorf("VerifyDummy(too long) err = %v, want ErrTooLong", err)
	}
	if h.Calls() != 0 {
		t.Errorf("Calls = %d after only too-long passwords, want 0", h.Calls())
	}
	stored, err := h.Hash(ctx, edge)
	if err != nil {
		t.Fatalf("Hash(exactly max) = %v", err)
	}
	if ok, err := h.Verify(ctx, edge, stored); !ok || err != nil {
		t.Fatalf("Verify(exactly max) = %v, %v", ok, err)
	}
	if _, err := h.Hash(ctx, ""); !errors.Is(err, ErrEmpty) {
		t.Errorf("Hash(empty) err = %v, want ErrEmpty", err)
	}
}

// TestDummyCostsTheSame: unknown user and wrong password both run argon2id
// once, with the same parameters.
func TestDummyCostsTheSame(t *testing.T) {
	h := newCheap(t)
	ctx := context.Background()
	stored, err := h.Hash(ctx, "right")
	if err != nil {
		t.Fatal(err)
	}
	var seen []Params
	inner := h.derive
	h.derive = func(pw, salt []byte, p Params) []byte {
		seen = append(seen, p)
		return inner(pw, salt, p)
	}
	for _, tt := range []struct {
		name string
		call func() (bool, error)
	}{
		{name: "wrongPassword", call: func() (bool, error) { return h.Verify(ctx, "wrong", stored) }},
		{name: "emptyStored", call: func() (bool, error) { return h.Verify(ctx, "wrong", "") }},
		{name: "dummy", call: func() (bool, error) { return h.VerifyDummy(ctx, "wrong") }},
		// The dummy never matches, whatever the password.
		{name: "dummyRight", call: func() (bool, error) { return h.VerifyDummy(ctx, "right") }},
		{name: "dummyEmpty", call: func() (bool, error) { return h.VerifyDummy(ctx, "") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := h.Calls()
			seen = nil
			ok, err := tt.call()
			if ok || err != nil {
				t.Fatalf("= %v, %v; want false, nil", ok, err)
			}
			if h.Calls() != before+1 {
				t.Errorf("Calls grew by %d, want 1", h.Calls()-before)
			}
			if len(seen) != 1 || seen[0] != cheap {
				t.Errorf("derived with %+v, want once with %+v", seen, cheap)
			}
		})
	}
}

func TestBusy(t *testing.T) {
	h := New(Config{Params: cheap, MaxConcurrent: 1, Wait: time.Millisecond})
	ctx := context.Background()
	// Take the only slot as a long-running hash would.
	h.slots <- struct{}{}
	if _, err := h.Hash(ctx, "pw"); !errors.Is(err, ErrBusy) {
		t.Errorf("Hash err = %v, want ErrBusy", err)
	}
	if _, err := h.Verify(ctx, "pw", ""); !errors.Is(err, ErrBusy) {
		t.Errorf("Verify err = %v, want ErrBusy", err)
	}
	if h.Calls() != 0 {
		t.Errorf("Calls = %d while busy, want 0", h.Calls())
	}
	noWait := New(Config{Params: cheap, MaxConcurrent: 1, Wait: -1})
	noWait.slots <- struct{}{}
	if _, err := noWait.Hash(ctx, "pw"); !errors.Is(err, ErrBusy) {
		t.Errorf("no-wait Hash err = %v, want ErrBusy", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	long := New(Config{Params: cheap, MaxConcurrent: 1, Wait: time.Hour})
	long.slots <- struct{}{}
	if _, err := long.Hash(cctx, "pw"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash(cancelled) err = %v, want context.Canceled", err)
	}
	// Freed slot: works again.
	<-h.slots
	if _, err := h.Hash(ctx, "pw"); err != nil {
		t.Errorf("Hash after slot freed = %v", err)
	}
}

// TestWaitsForSlot: a call that finds no slot gets one when a slot frees
// within Wait.
func TestWaitsForSlot(t *testing.T) {
	h := New(Config{Params: cheap, MaxConcurrent: 1, Wait: time.Minute})
	h.slots <- struct{}{}
	done := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "pw")
		done <- err
	}()
	<-h.slots
	if err := <-done; err != nil {
		t.Fatalf("Hash = %v, want success after the slot freed", err)
	}
}

// TestConcurrencyBound: however many callers, no more than MaxConcurrent
// derivations run at once.
func TestConcurrencyBound(t *testing.T) {
	const limit, callers = 3, 12
	h := New(Config{Params: cheap, MaxConcurrent: limit, Wait: time.Minute})
	var mu sync.Mutex
	running, peak := 0, 0
	release := make(chan struct{})
	entered := make(chan struct{}, callers)
	h.derive = func(pw, salt []byte, p Params) []byte {
		mu.Lock()
		running++
		peak = max(peak, running)
		mu.Unlock()
		entered <- struct{}{}
		<-release
		mu.Lock()
		running--
		mu.Unlock()
		return bytes.Repeat([]byte{1}, int(p.KeyLen))
	}
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if _, err := h.Hash(context.Background(), "pw"); err != nil {
				t.Error(err)
			}
		})
	}
	// Let them through max at a time: each release lets one finish and
	// one waiting caller enter.
	for range limit {
		<-entered
	}
	for i := range callers {
		release <- struct{}{}
		if i < callers-limit {
			<-entered
		}
	}
	wg.Wait()
	if peak != limit {
		t.Errorf("peak concurrency = %d, want %d", peak, limit)
	}
	if h.Calls() != callers {
		t.Errorf("Calls = %d, want %d", h.Calls(), callers)
	}
}

func TestSaltReadError(t *testing.T) {
	h := New(Config{Params: cheap, Rand: strings.NewReader("short")})
	if _, err := h.Hash(context.Background(), "pw"); err == nil {
		t.Fatal("Hash with a failing Rand succeeded")
	}
}

func BenchmarkHash(b *testing.B) {
	h := New(Config{MaxConcurrent: 1})
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := New(Config{MaxConcurrent: 1})
	ctx := context.Background()
	stored, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := h.Verify(ctx, "correct horse battery staple", stored); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
