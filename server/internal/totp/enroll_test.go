package totp

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"image"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// countingReader returns 0, 1, 2, … so the secret Enroll draws is known.
type countingReader struct{ n byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}

func TestEnroll(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		wantParams  Params
		wantSecret  int // bytes
		wantAlgName string
	}{
		{name: "defaults", cfg: Config{Issuer: "Acme", AccountName: "alice"},
			wantParams: Params{Period: 30, Digits: 6, Algorithm: SHA1}, wantSecret: 20, wantAlgName: "SHA1"},
		{name: "explicit", cfg: Config{Issuer: "Acme", AccountName: "alice", Period: 30, Digits: 6, Algorithm: SHA1},
			wantParams: Params{Period: 30, Digits: 6, Algorithm: SHA1}, wantSecret: 20, wantAlgName: "SHA1"},
		{name: "sha256_8", cfg: Config{Issuer: "Acme", AccountName: "alice", Digits: 8, Algorithm: SHA256},
			wantParams: Params{Period: 30, Digits: 8, Algorithm: SHA256}, wantSecret: 32, wantAlgName: "SHA256"},
		{name: "sha512_60s", cfg: Config{Issuer: "Acme", AccountName: "alice", Period: 60, Digits: 7, Algorithm: SHA512},
			wantParams: Params{Period: 60, Digits: 7, Algorithm: SHA512}, wantSecret: 64, wantAlgName: "SHA512"},
		// Spaces, an @ and non-ASCII survive the URI's escaping.
		{name: "escaping", cfg: Config{Issuer: "Acme Corp Prod", AccountName: "bob.smith@example.com+ü", SecretSize: 16},
			wantParams: Params{Period: 30, Digits: 6, Algorithm: SHA1}, wantSecret: 16, wantAlgName: "SHA1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Rand = &countingReader{}
			e, err := Enroll(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if e.Params != tt.wantParams {
				t.Errorf("Params = %+v, want %+v", e.Params, tt.wantParams)
			}
			// The secret is the bytes Rand gave, in unpadded upper-case base32.
			raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e.Secret)
			if err != nil {
				t.Fatalf("secret %q: %v", e.Secret, err)
			}
			if want := (&countingReader{}).bytes(tt.wantSecret); !bytes.Equal(raw, want) {
				t.Errorf("secret is %x, want the %d bytes Rand gave", raw, tt.wantSecret)
			}

			checkURI(t, e, tt.cfg, tt.wantAlgName)
			checkPNG(t, e.PNG)

			// A code for the enrolled secret verifies with the returned Params.
			now := time.Unix(1_800_000_000, 0)
			code, err := Code(e.Secret, now, e.Params)
			if err != nil {
				t.Fatal(err)
			}
			v, err := NewVerifier(VerifierConfig{Now: func() time.Time { return now }, Params: e.Params})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := v.Verify(e.Secret, code, 0, 0); !ok {
				t.Error("code of the enrolled secret refused")
			}
		})
	}
}

func (r *countingReader) bytes(n int) []byte {
	b := make([]byte, n)
	_, _ = r.Read(b)
	return b
}

// checkURI parses the URI with net/url (as an app would) and with
// pquerna's parser, and checks every field.
func checkURI(t *testing.T, e Enrollment, cfg Config, algName string) {
	t.Helper()
	u, err := url.Parse(e.URI)
	if err != nil {
		t.Fatalf("URI %q: %v", e.URI, err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("URI %q: want otpauth://totp/", e.URI)
	}
	if want := "/" + cfg.Issuer + ":" + cfg.AccountName; u.Path != want {
		t.Errorf("label %q, want %q", u.Path, want)
	}
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("query %q encodes spaces as +, which some apps show literally", u.RawQuery)
	}
	q := u.Query()
	p := e.Params
	for k, want := range map[string]string{
		"issuer":    cfg.Issuer,
		"secret":    e.Secret,
		"period":    strconv.Itoa(int(p.Period)),
		"digits":    strconv.Itoa(p.Digits),
		"algorithm": algName,
	} {
		if got := q.Get(k); got != want {
			t.Errorf("URI %s = %q, want %q", k, got, want)
		}
	}
	k, err := otp.NewKeyFromURL(e.URI)
	if err != nil {
		t.Fatal(err)
	}
	if k.Type() != "totp" || k.Issuer() != cfg.Issuer || k.AccountName() != cfg.AccountName ||
		k.Secret() != e.Secret || k.Period() != uint64(p.Period) || int(k.Digits()) != p.Digits ||
		k.Algorithm().String() != algName {
		t.Errorf("pquerna reads %s as issuer %q account %q period %d digits %d algorithm %s",
			e.URI, k.Issuer(), k.AccountName(), k.Period(), k.Digits(), k.Algorithm())
	}
}

// checkPNG decodes the QR code image and checks its size and the quiet
// zone: the top-left finder pattern's first row is 7 dark modules, which
// gives the module size; the dark area must start at least 4 modules in
// from every edge.
func checkPNG(t *testing.T, b []byte) {
	t.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || format != "png" {
		t.Fatalf("PNG config: format %q, %v", format, err)
	}
	if cfg.Width != QRSize || cfg.Height != QRSize {
		t.Fatalf("PNG is %dx%d, want %dx%d", cfg.Width, cfg.Height, QRSize, QRSize)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	dark := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r+g+bl < 3*0x8000
	}
	minX, minY, maxX, maxY := QRSize, QRSize, -1, -1
	for y := range QRSize {
		for x := range QRSize {
			if dark(x, y) {
				minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < 0 {
		t.Fatal("PNG has no dark pixels")
	}
	if maxX-minX != maxY-minY {
		t.Errorf("dark area %d..%d x %d..%d is not square", minX, maxX, minY, maxY)
	}
	run := 0
	for x := minX; x <= maxX && dark(x, minY); x++ {
		run++
	}
	if run%7 != 0 {
		t.Fatalf("finder pattern row is %d px, not a multiple of 7", run)
	}
	module := run / 7
	if margin := min(minX, minY, QRSize-1-maxX, QRSize-1-maxY); margin < 4*module {
		t.Errorf("quiet zone %d px, want at least 4 modules of %d px", margin, module)
	}
}

func TestEnrollErrors(t *testing.T) {
	ok := Config{Issuer: "Acme", AccountName: "alice"}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{name: "noIssuer", edit: func(c *Config) { c.Issuer = "" }},
		{name: "noAccount", edit: func(c *Config) { c.AccountName = "" }},
		{name: "colonInIssuer", edit: func(c *Config) { c.Issuer = "Acme:Prod" }},
		{name: "colonInAccount", edit: func(c *Config) { c.AccountName = "a:b" }},
		{name: "fiveDigits", edit: func(c *Config) { c.Digits = 5 }},
		{name: "nineDigits", edit: func(c *Config) { c.Digits = 9 }},
		{name: "md5", edit: func(c *Config) { c.Algorithm = "MD5" }},
		{name: "shortSecret", edit: func(c *Config) { c.SecretSize = 10 }},
		{name: "nilRand", edit: func(c *Config) { c.Rand = nil }},
		{name: "failingRand", edit: func(c *Config) { c.Rand = bytes.NewReader(make([]byte, 5)) }},
		{name: "tooLongForQR", edit: func(c *Config) { c.AccountName = strings.Repeat("x", 3000) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			c.Rand = &countingReader{}
			tt.edit(&c)
			if e, err := Enroll(c); err == nil {
				t.Fatalf("Enroll = %q, want an error", e.URI)
			}
		})
	}
	c := ok
	c.Rand = &countingReader{}
	if _, err := Enroll(c); err != nil {
		t.Fatalf("base config fails: %v", err)
	}
}

// TestRenderMatchesEnroll: rendering an enrolled secret again gives the
// same URI and QR code, so a pending pairing can be shown from the sealed
// secret alone.
func TestRenderMatchesEnroll(t *testing.T) {
	cfg := Config{Issuer: "Acme", AccountName: "alice", Rand: rand.Reader}
	e, err := Enroll(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Render(Config{Issuer: "Acme", AccountName: "alice"}, strings.ToLower(e.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if r.Secret != e.Secret || r.URI != e.URI || !bytes.Equal(r.PNG, e.PNG) || r.Params != e.Params {
		t.Fatalf("render differs:\n%+v\n%+v", r.URI, e.URI)
	}
	for _, tc := range []struct {
		name   string
		cfg    Config
		secret string
	}{
		{name: "bad_secret", cfg: cfg, secret: "not base32!"},
		{name: "colon_issuer", cfg: Config{Issuer: "a:b", AccountName: "alice"}, secret: e.Secret},
		{name: "empty_account", cfg: Config{Issuer: "Acme"}, secret: e.Secret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Render(tc.cfg, tc.secret); err == nil {
				t.Fatal("no error")
			}
		})
	}
}
