package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// sample is compressible but not trivially so, like code.
func sample() []byte {
	var b bytes.Buffer
	for i := range 2000 {
		b.WriteString("func handler")
		b.WriteByte(byte('a' + i%26))
		b.WriteString("(c *fiber.Ctx) error { return c.Next() }\n")
	}
	return b.Bytes()
}

func writeInput(t *testing.T, data []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "app.wasm")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		quality string
		// strong: brotli must beat gzip -9 (not so at the lowest qualities).
		strong bool
	}{
		{"code_like", sample(), "10", true},
		{"empty_file", []byte{}, "11", false},
		{"fast_quality", sample(), "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := writeInput(t, tt.data)
			if err := run([]string{"-quality", tt.quality, in}, io.Discard, io.Discard); err != nil {
				t.Fatalf("run: %v", err)
			}
			gz := readFile(t, in+".gz")
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatalf("gzip header: %v", err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("gunzip: %v", err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Fatalf("gzip round trip: got %d bytes, want %d", len(got), len(tt.data))
			}
			br := readFile(t, in+".br")
			got, err = io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
			if err != nil {
				t.Fatalf("unbrotli: %v", err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Fatalf("brotli round trip: got %d bytes, want %d", len(got), len(tt.data))
			}
			if len(tt.data) > 1000 && len(gz) >= len(tt.data)/4 {
				t.Errorf("weak gzip: raw %d, gzip %d", len(tt.data), len(gz))
			}
			if tt.strong && len(br) >= len(gz) {
				t.Errorf("weak compression: raw %d, gzip %d, brotli %d", len(tt.data), len(gz), len(br))
			}
			assertNoTemp(t, filepath.Dir(in))
		})
	}
}

func TestReplacesStaleOutputs(t *testing.T) {
	in := writeInput(t, sample())
	for _, ext := range []string{".gz", ".br"} {
		if err := os.WriteFile(in+ext, []byte("stale"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := run([]string{"-quality", "1", in}, io.Discard, io.Discard); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, ext := range []string{".gz", ".br"} {
		if b := readFile(t, in+ext); string(b) == "stale" {
			t.Errorf("%s not replaced", ext)
		}
		st, err := os.Stat(in + ext)
		if err != nil {
			t.Fatal(err)
		}
		// The server (another user in the container) must be able to read them.
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s mode = %v, want 0644", ext, st.Mode().Perm())
		}
	}
	assertNoTemp(t, filepath.Dir(in))
}

func TestSizes(t *testing.T) {
	data := sample()
	t.Run("in_memory", func(t *testing.T) {
		in := writeInput(t, data)
		var out bytes.Buffer
		if err := run([]string{"-sizes", "-quality", "5", in}, &out, io.Discard); err != nil {
			t.Fatalf("run: %v", err)
		}
		s := out.String()
		if !strings.Contains(s, "app.wasm") || !strings.Contains(s, "brotli") {
			t.Fatalf("table lacks the file or header:\n%s", s)
		}
		if !strings.Contains(s, human(int64(len(data)))) {
			t.Fatalf("table lacks the raw size %s:\n%s", human(int64(len(data))), s)
		}
		if _, err := os.Stat(in + ".br"); !os.IsNotExist(err) {
			t.Fatalf("-sizes wrote %s.br (err %v)", in, err)
		}
	})
	t.Run("reads_fresh_siblings", func(t *testing.T) {
		in := writeInput(t, data)
		// Fake outputs of known size, newer than the input: -sizes must
		// report them, as they are what the server sends.
		future := time.Now().Add(time.Hour)
		for ext, n := range map[string]int{".gz": 777, ".br": 555} {
			if err := os.WriteFile(in+ext, bytes.Repeat([]byte{1}, n), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(in+ext, future, future); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		if err := run([]string{"-sizes", in}, &out, io.Discard); err != nil {
			t.Fatalf("run: %v", err)
		}
		if !strings.Contains(out.String(), "777 B") || !strings.Contains(out.String(), "555 B") {
			t.Fatalf("sizes of existing outputs not reported:\n%s", out.String())
		}
	})
}

func TestErrors(t *testing.T) {
	in := writeInput(t, []byte("x"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no_file", nil, "usage"},
		{"missing_file", []string{filepath.Join(t.TempDir(), "nope.wasm")}, "read input"},
		{"quality_too_high", []string{"-quality", "12", in}, "-quality 12"},
		{"quality_negative", []string{"-quality", "-1", in}, "-quality -1"},
		{"unknown_flag", []string{"-level", "3", in}, "-level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run(%q) = %v, want error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestHuman(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want string
	}{
		{"bytes", 512, "512 B"},
		{"kib", 2048, "2.0 KiB (2048)"},
		{"mib", 10 << 20, "10.00 MiB (10485760)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := human(tt.n); got != tt.want {
				t.Fatalf("human(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
