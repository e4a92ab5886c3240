package otp

import (
	"bytes"
	"crypto/rand"
	"io"
	"strings"
	"testing"
)

// TestGenerateUniform maps every byte value through Generate: the 250
// accepted values give each digit exactly 25 times, and the 6 values a
// plain b%10 would map to 0–5 give nothing. That is the whole argument for
// uniformity, checked exactly rather than statistically.
func TestGenerateUniform(t *testing.T) {
	counts := make(map[byte]int)
	for b := range 256 {
		in := append([]byte{byte(b)}, bytes.Repeat([]byte{0}, 32)...)
		c, err := Generate(bytes.NewReader(in), MinDigits)
		if err != nil {
			t.Fatal(err)
		}
		if b >= 250 {
			if c != "0000" {
				t.Errorf("byte %d: code %q, want it skipped (0000)", b, c)
			}
			continue
		}
		if want := byte('0' + b%10); c[0] != want {
			t.Errorf("byte %d: first digit %c, want %c", b, c[0], want)
		}
		counts[c[0]]++
	}
	for d := byte('0'); d <= '9'; d++ {
		if counts[d] != 25 {
			t.Errorf("digit %c from %d byte values, want 25", d, counts[d])
		}
	}
}

func TestGenerateRejectsHighBytes(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		// 250–255 are skipped, not reduced (255%10 would be 5).
		{name: "skipsHigh", in: append([]byte{255, 250, 251, 3, 252, 253, 254, 14, 25, 36, 47, 249}, make([]byte, 20)...), want: "345679"},
		{name: "leadingZeros", in: bytes.Repeat([]byte{0}, 10), want: "000000"},
		{name: "maxAccepted", in: bytes.Repeat([]byte{249}, 10), want: "999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Generate(bytes.NewReader(tt.in), 6)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Generate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name   string
		r      io.Reader
		digits int
	}{
		{name: "tooFew", r: rand.Reader, digits: MinDigits - 1},
		{name: "tooMany", r: rand.Reader, digits: MaxDigits + 1},
		{name: "shortReader", r: bytes.NewReader([]byte{1, 2}), digits: 6},
		{name: "onlyRejected", r: bytes.NewReader(bytes.Repeat([]byte{255}, 10000)), digits: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := Generate(tt.r, tt.digits); err == nil {
				t.Fatalf("Generate = %q, want an error", c)
			}
		})
	}
}

func TestGenerateLengths(t *testing.T) {
	for d := MinDigits; d <= MaxDigits; d++ {
		c, err := Generate(rand.Reader, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != d || strings.Trim(c, "0123456789") != "" {
			t.Errorf("Generate(%d) = %q", d, c)
		}
	}
}

func TestHash(t *testing.T) {
	h, err := NewHasher(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewHasher(bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	base := h.Hash("env-1", "flow-1", "123456")
	if base != h.Hash("env-1", "flow-1", "123456") {
		t.Fatal("Hash is not deterministic")
	}
	if len(base) != 64 || strings.Contains(base, "123456") {
		t.Errorf("Hash = %q", base)
	}
	differs := []struct {
		name string
		got  string
	}{
		{name: "otherCode", got: h.Hash("env-1", "flow-1", "123457")},
		{name: "otherFlow", got: h.Hash("env-1", "flow-2", "123456")},
		{name: "otherEnv", got: h.Hash("env-2", "flow-1", "123456")},
		{name: "otherKey", got: other.Hash("env-1", "flow-1", "123456")},
		{name: "shiftedBoundary", got: h.Hash("env-1f", "low-1", "123456")},
		{name: "codeInSubject", got: h.Hash("env-1", "flow-1123456", "")},
	}
	for _, tt := range differs {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got == base {
				t.Error("hash collides with the base case")
			}
		})
	}
	if !h.Check("env-1", "flow-1", "123456", base) {
		t.Error("Check rejects the right code")
	}
	if h.Check("env-1", "flow-1", "654321", base) || h.Check("env-1", "flow-2", "123456", base) {
		t.Error("Check accepts a wrong code or subject")
	}
	if _, err := NewHasher(make([]byte, MinKeyLen-1)); err == nil {
		t.Error("NewHasher accepted a short key")
	}
}

func TestHasherCopiesKey(t *testing.T) {
	key := bytes.Repeat([]byte{1}, 32)
	h, err := NewHasher(key)
	if err != nil {
		t.Fatal(err)
	}
	before := h.Hash("e", "f", "1")
	key[0] = 9
	if h.Hash("e", "f", "1") != before {
		t.Error("Hasher shares the caller's key slice")
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{name: "same", a: "123456", b: "123456", want: true},
		{name: "bothEmpty", a: "", b: "", want: true},
		{name: "differ", a: "123456", b: "123457", want: false},
		{name: "prefix", a: "12345", b: "123456", want: false},
		{name: "oneEmpty", a: "", b: "123456", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func BenchmarkGenerateCheck(b *testing.B) {
	h, err := NewHasher(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := Generate(rand.Reader, 6)
		if err != nil {
			b.Fatal(err)
		}
		stored := h.Hash("env-1", "flow-1", c)
		if !h.Check("env-1", "flow-1", c, stored) {
			b.Fatal("check failed")
		}
	}
}
