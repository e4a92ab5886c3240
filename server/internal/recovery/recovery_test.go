package recovery

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
)

const (
	envID  = "00000000-0000-4000-8000-00000000000d"
	userID = "00000000-0000-7000-8000-0000000000b1"
	bobID  = "00000000-0000-7000-8000-0000000000b2"
)

func newHasher(t *testing.T) *Hasher {
	t.Helper()
	h, err := NewHasher([]byte("recovery test key, 32 bytes long"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestNewHasherRefusesShortKeys(t *testing.T) {
	if _, err := NewHasher(make([]byte, MinKeyLen-1)); err == nil {
		t.Fatal("a 15-byte key was accepted")
	}
}

var shown = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$`)

func TestGenerate(t *testing.T) {
	h := newHasher(t)
	codes, hashes, err := h.Generate(rand.Reader, envID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != Count || len(hashes) != Count {
		t.Fatalf("%d codes and %d hashes, want %d", len(codes), len(hashes), Count)
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if !shown.MatchString(c) {
			t.Errorf("code %q is not shown as xxxxx-xxxxx of the alphabet", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		if strings.Contains(hashes[i], strings.ReplaceAll(c, "-", "")) {
			t.Errorf("hash %d holds its code", i)
		}
		if got := h.Match(envID, userID, hashes, c); got != i {
			t.Errorf("Match(code %d) = %d", i, got)
		}
	}
}

// TestGenerateUsesEverySymbol: the low five bits of each random byte pick
// the symbol, so a byte source covering 0..255 yields all 32 symbols
// equally (no modulo bias), and the code is what the bytes say.
func TestGenerateUsesEverySymbol(t *testing.T) {
	h := newHasher(t)
	src := make([]byte, 0, 256)
	for i := range 256 {
		src = append(src, byte(i))
	}
	// 100 bytes make the 10 codes; repeat the sweep to have enough.
	codes, _, err := h.Generate(bytes.NewReader(bytes.Repeat(src, 2)), envID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if codes[0] != "01234-56789" || codes[1] != "abcde-fghjk" || codes[3] != "yz012-34567" {
		t.Fatalf("codes %v, want the alphabet in order", codes)
	}
	count := map[rune]int{}
	for _, c := range codes {
		for _, r := range strings.ReplaceAll(c, "-", "") {
			count[r]++
		}
	}
	if len(count) != len(Alphabet) {
		t.Fatalf("%d distinct symbols, want %d", len(count), len(Alphabet))
	}
	for r, n := range count {
		if n < 3 || n > 4 {
			t.Errorf("symbol %q appears %d times in 100, want 3 or 4", r, n)
		}
	}
}

// stuckReader returns the same bytes forever.
type stuckReader struct{}

func (stuckReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 7
	}
	return len(p), nil
}

func TestGenerateFailures(t *testing.T) {
	h := newHasher(t)
	tests := []struct {
		name string
		r    io.Reader
	}{
		{"short_source", bytes.NewReader(make([]byte, 15))},
		{"stuck_source", stuckReader{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if codes, _, err := h.Generate(tt.r, envID, userID); err == nil {
				t.Fatalf("generated %v", codes)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  bool
	}{
		{"shown_form", "abcde-fghjk", "abcdefghjk", false},
		{"upper_case", "ABCDE-FGHJK", "abcdefghjk", false},
		{"no_dash", "abcdefghjk", "abcdefghjk", false},
		{"spaces_and_dashes", "  ab cde - fgh jk ", "abcdefghjk", false},
		{"tab", "abcde\tfghjk", "abcdefghjk", false},
		{"look_alikes", "OoIiL-lo1i0", "0011110110", false},
		{"digits", "01234-56789", "0123456789", false},
		{"too_short", "abcde-fghj", "", true},
		{"too_long", "abcde-fghjkm", "", true},
		{"u_is_not_a_symbol", "abcde-fghju", "", true},
		{"punctuation", "abcde.fghjk", "", true},
		{"non_ascii", "abcdé-fghjk", "", true},
		{"fullwidth_digit", "abcde-fghj１", "", true},
		{"empty", "", "", true},
		{"only_dashes", "----------", "", true},
		{"oversized", strings.Repeat(" ", 60) + "abcde-fghjk", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if tt.err {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("Normalize(%q) = %q, %v; want ErrMalformed", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	h := newHasher(t)
	hashes := []string{
		h.Hash(envID, userID, "0000000000"),
		h.Hash(envID, userID, "abcdefghjk"),
		h.Hash(envID, userID, "0011110110"),
	}
	tests := []struct {
		name   string
		env    string
		user   string
		typed  string
		hashes []string
		want   int
	}{
		{"first", envID, userID, "00000-00000", hashes, 0},
		{"typed_loosely", envID, userID, " ABCDE fghjk", hashes, 1},
		{"look_alikes", envID, userID, "ooiil-lo1io", hashes, 2},
		{"not_in_set", envID, userID, "abcde-fghjm", hashes, -1},
		{"malformed", envID, userID, "abcde", hashes, -1},
		{"other_user", envID, bobID, "abcde-fghjk", hashes, -1},
		{"other_environment", "00000000-0000-4000-8000-00000000000e", userID, "abcde-fghjk", hashes, -1},
		{"empty_set", envID, userID, "abcde-fghjk", nil, -1},
		{"hash_itself", envID, userID, hashes[1], hashes, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Match(tt.env, tt.user, tt.hashes, tt.typed); got != tt.want {
				t.Fatalf("Match = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestHashIsKeyed(t *testing.T) {
	a := newHasher(t)
	b, err := NewHasher([]byte("another recovery key of 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash(envID, userID, "abcdefghjk") == b.Hash(envID, userID, "abcdefghjk") {
		t.Fatal("two keys give the same hash")
	}
	// Length-prefixed fields: moving a boundary changes the hash.
	if a.Hash("ab", "c", "abcdefghjk") == a.Hash("a", "bc", "abcdefghjk") {
		t.Fatal("field boundaries are not part of the hash")
	}
}

// newUser stores a user with a fresh set and returns the codes.
func newUser(t *testing.T, st store.Store, h *Hasher) []string {
	t.Helper()
	codes, hashes, err := h.Generate(rand.Reader, envID, userID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	u := &store.User{EnvironmentID: envID, ID: userID, Username: "alice", Enabled: true, CreatedAt: now, UpdatedAt: now,
		RecoveryCodes: &store.RecoveryCodes{Hashes: hashes, CreatedAt: now}}
	if err := st.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return codes
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "db.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUse(t *testing.T) {
	h := newHasher(t)
	st := openStore(t)
	codes := newUser(t, st, h)
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

	u, err := h.Use(t.Context(), st, envID, userID, strings.ToUpper(codes[4]), now)
	if err != nil {
		t.Fatal(err)
	}
	if Remaining(u) != Count-1 {
		t.Fatalf("%d left, want %d", Remaining(u), Count-1)
	}
	if _, err := h.Use(t.Context(), st, envID, userID, codes[4], now); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("replayed code: %v, want ErrWrongCode", err)
	}
	if _, err := h.Use(t.Context(), st, envID, bobID, codes[5], now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another user's path: %v, want not found", err)
	}
	before, _ := st.GetUser(t.Context(), envID, userID)
	if _, err := h.Use(t.Context(), st, envID, userID, "not a code", now); !errors.Is(err, ErrMalformed) {
		t.Fatalf("malformed: %v", err)
	}
	if after, _ := st.GetUser(t.Context(), envID, userID); after.Version != before.Version {
		t.Fatal("a refused code changed the record")
	}
	for i, c := range codes {
		if i == 4 {
			continue
		}
		if _, err := h.Use(t.Context(), st, envID, userID, c, now); err != nil {
			t.Fatalf("code %d: %v", i, err)
		}
	}
	if _, err := h.Use(t.Context(), st, envID, userID, codes[0], now); !errors.Is(err, ErrNoCodes) {
		t.Fatalf("all used: %v, want ErrNoCodes", err)
	}
}

// TestUseOnceUnderConcurrency: 20 parallel uses of one code on SQLite;
// exactly one is accepted, and the other nine codes still work.
func TestUseOnceUnderConcurrency(t *testing.T) {
	h := newHasher(t)
	st := openStore(t)
	codes := newUser(t, st, h)
	const n = 20
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = h.Use(t.Context(), st, envID, userID, codes[0], time.Now())
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrWrongCode):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d parallel uses succeeded, want 1", ok, n)
	}
	u, err := st.GetUser(t.Context(), envID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if Remaining(u) != Count-1 || h.Match(envID, userID, u.RecoveryCodes.Hashes, codes[0]) >= 0 {
		t.Fatalf("after the race: %d left", Remaining(u))
	}
}
