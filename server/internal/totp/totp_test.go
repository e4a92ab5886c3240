package totp

import (
	"encoding/base32"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type vector struct {
	UnixTime     int64     `json:"unixTime"`
	Algorithm    Algorithm `json:"algorithm"`
	Digits       int       `json:"digits"`
	Period       uint      `json:"period"`
	SecretASCII  string    `json:"secretAscii"`
	SecretBase32 string    `json:"secretBase32"`
	Code         string    `json:"code"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc6238-totp.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Vectors []vector }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Vectors
}

// TestRFC6238Vectors checks Code and Verify against every vector of RFC
// 6238 Appendix B (SHA1, SHA256 and SHA512, 8 digits).
func TestRFC6238Vectors(t *testing.T) {
	vs := loadVectors(t)
	algs := map[Algorithm]int{}
	for _, v := range vs {
		algs[v.Algorithm]++
	}
	if len(vs) != 18 || algs[SHA1] != 6 || algs[SHA256] != 6 || algs[SHA512] != 6 {
		t.Fatalf("fixture has %d vectors %v, want 6 of each algorithm", len(vs), algs)
	}
	for _, v := range vs {
		t.Run(string(v.Algorithm)+"_"+v.Code, func(t *testing.T) {
			// The fixture's two spellings of the key must agree, or the
			// vectors would test a key other than the RFC's.
			raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(v.SecretBase32)
			if err != nil || string(raw) != v.SecretASCII {
				t.Fatalf("secretBase32 decodes to %q (%v), want %q", raw, err, v.SecretASCII)
			}
			p := Params{Period: v.Period, Digits: v.Digits, Algorithm: v.Algorithm}
			at := time.Unix(v.UnixTime, 0)
			got, err := Code(v.SecretBase32, at, p)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.Code {
				t.Fatalf("Code = %s, want %s", got, v.Code)
			}
			ver, err := NewVerifier(VerifierConfig{Now: func() time.Time { return at }, Params: p})
			if err != nil {
				t.Fatal(err)
			}
			step, ok := ver.Verify(v.SecretBase32, v.Code, 0, 0)
			if want := v.UnixTime / int64(v.Period); !ok || step != want {
				t.Fatalf("Verify = %d, %v, want %d, true", step, ok, want)
			}
		})
	}
}

func TestCodeErrors(t *testing.T) {
	const sec = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	tests := []struct {
		name   string
		secret string
		p      Params
		at     time.Time
	}{
		{name: "notBase32", secret: "GEZDGNBV1", at: time.Unix(59, 0)},
		{name: "emptySecret", secret: "", at: time.Unix(59, 0)},
		{name: "nineDigits", secret: sec, p: Params{Digits: 9}, at: time.Unix(59, 0)},
		{name: "fiveDigits", secret: sec, p: Params{Digits: 5}, at: time.Unix(59, 0)},
		{name: "md5", secret: sec, p: Params{Algorithm: "MD5"}, at: time.Unix(59, 0)},
		{name: "beforeEpoch", secret: sec, at: time.Unix(-1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := Code(tt.secret, tt.at, tt.p); err == nil {
				t.Fatalf("Code = %s, want an error", c)
			}
		})
	}
}

// TestCodeLenientSecret: people type secrets in lower case, with spaces
// around or padding; all name the same key.
func TestCodeLenientSecret(t *testing.T) {
	at := time.Unix(59, 0)
	p := Params{Digits: 8}
	for _, s := range []string{"gezdgnbvgy3tqojqgezdgnbvgy3tqojq", " GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ ", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ===="} {
		got, err := Code(s, at, p)
		if err != nil || got != "94287082" {
			t.Errorf("Code(%q) = %s, %v, want 94287082", s, got, err)
		}
	}
}
