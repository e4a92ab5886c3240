package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func testKey(t *testing.T, fill byte) []byte {
	t.Helper()
	return bytes.Repeat([]byte{fill}, KeyLen)
}

func TestParseKey(t *testing.T) {
	k := make([]byte, KeyLen)
	for i := range k {
		k[i] = byte(i*7 + 250) // includes bytes that differ between std and URL base64
	}
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "base64", in: base64.StdEncoding.EncodeToString(k)},
		{name: "base64Raw", in: base64.RawStdEncoding.EncodeToString(k)},
		{name: "base64URL", in: base64.URLEncoding.EncodeToString(k)},
		{name: "base64RawURL", in: base64.RawURLEncoding.EncodeToString(k)},
		{name: "hex", in: hex.EncodeToString(k)},
		{name: "hexUpper", in: strings.ToUpper(hex.EncodeToString(k))},
		{name: "whitespace", in: "  " + base64.StdEncoding.EncodeToString(k) + "\n"},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: " \n", wantErr: true},
		{name: "short", in: base64.StdEncoding.EncodeToString(k[:16]), wantErr: true},
		{name: "long", in: base64.StdEncoding.EncodeToString(append(k, 1)), wantErr: true},
		{name: "hexShort", in: hex.EncodeToString(k[:31]), wantErr: true},
		{name: "passphrase", in: "my secret key!", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseKey(%q) succeeded", tt.in)
				}
				if s := strings.TrimSpace(tt.in); s != "" && strings.Contains(err.Error(), s) {
					t.Errorf("error %q echoes the key", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, k) {
				t.Errorf("ParseKey = %x, want %x", got, k)
			}
		})
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != KeyLen || bytes.Equal(k1, make([]byte, KeyLen)) {
		t.Fatalf("key = %x", k1)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) {
		t.Error("second start made a new key")
	}
	// The file holds what MYACCOUNT_SECRET_KEY accepts.
	b, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if k3, err := ParseKey(string(b)); err != nil || !bytes.Equal(k3, k1) {
		t.Errorf("ParseKey(file) = %x, %v", k3, err)
	}
	// No temporary files left behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only %s", len(entries), KeyFile)
	}
}

func TestLoadOrCreateKeyRace(t *testing.T) {
	dir := t.TempDir()
	const n = 16
	keys := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			keys[i], errs[i] = LoadOrCreateKey(dir)
		})
	}
	close(start)
	wg.Wait()
	onDisk, err := readKeyFile(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[i], onDisk) {
			t.Fatalf("caller %d got a key other than the one on disk", i)
		}
	}
}

func TestLoadOrCreateKeyCorruptFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, KeyFile)
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(dir); err == nil {
		t.Fatal("LoadOrCreateKey accepted a corrupt key file")
	}
	b, _ := os.ReadFile(path)
	if string(b) != "not a key\n" {
		t.Error("corrupt key file was overwritten")
	}
}

func TestDeriveKey(t *testing.T) {
	kek := testKey(t, 1)
	a, err := DeriveKey(kek, "otp-hmac")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := DeriveKey(kek, "otp-hmac")
	b, _ := DeriveKey(kek, "other")
	c, _ := DeriveKey(testKey(t, 2), "otp-hmac")
	if len(a) != KeyLen || !bytes.Equal(a, a2) {
		t.Error("DeriveKey not deterministic")
	}
	if bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(a, kek) {
		t.Error("derived keys collide")
	}
	if _, err := DeriveKey(kek[:16], "x"); err == nil {
		t.Error("DeriveKey accepted a short kek")
	}
	if _, err := DeriveKey(kek, ""); err == nil {
		t.Error("DeriveKey accepted an empty purpose")
	}
}

func TestBoxRoundTrip(t *testing.T) {
	box, err := NewBox(testKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	ad := []byte("env-1\x00device-1")
	for _, pt := range [][]byte{nil, []byte("x"), []byte("JBSWY3DPEHPK3PXP"), bytes.Repeat([]byte{7}, 5000)} {
		ct := box.Seal(pt, ad)
		if ct[0] != 1 {
			t.Errorf("version byte = %d, want 1", ct[0])
		}
		// A short plaintext turns up in random bytes by chance (one byte
		// in a 30-byte ciphertext: about one run in nine), so only a long
		// one tells whether it was left in the clear.
		if len(pt) >= 8 && bytes.Contains(ct, pt) {
			t.Error("ciphertext contains the plaintext")
		}
		got, err := box.Open(ct, ad)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, pt) {
			t.Errorf("Open = %q, want %q", got, pt)
		}
	}
	a, b := box.Seal([]byte("same"), ad), box.Seal([]byte("same"), ad)
	if bytes.Equal(a, b) {
		t.Error("two seals of the same plaintext are equal: nonce reused")
	}
}

func TestBoxRejects(t *testing.T) {
	box, err := NewBox(testKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewBox(testKey(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := NewRotatingBox(Key{Version: 2, Bytes: testKey(t, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ad := []byte("env-1\x00device-1")
	ct := box.Seal([]byte("totp secret"), ad)
	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[i] ^= 1
		return c
	}
	tests := []struct {
		name string
		box  *Box
		ct   []byte
		ad   []byte
		want error
	}{
		{name: "tamperedNonce", box: box, ct: flip(1), ad: ad, want: ErrDecrypt},
		{name: "tamperedBody", box: box, ct: flip(14), ad: ad, want: ErrDecrypt},
		{name: "tamperedTag", box: box, ct: flip(len(ct) - 1), ad: ad, want: ErrDecrypt},
		{name: "truncated", box: box, ct: ct[:len(ct)-1], ad: ad, want: ErrDecrypt},
		{name: "wrongAD", box: box, ct: ct, ad: []byte("env-2\x00device-1"), want: ErrDecrypt},
		{name: "nilAD", box: box, ct: ct, ad: nil, want: ErrDecrypt},
		{name: "wrongKey", box: other, ct: ct, ad: ad, want: ErrDecrypt},
		{name: "unknownVersion", box: v2, ct: ct, ad: ad, want: ErrUnknownVersion},
		// Same key bytes under another version number: the version is
		// authenticated, so relabelling fails.
		{name: "relabelledVersion", box: v2, ct: append([]byte{2}, ct[1:]...), ad: ad, want: ErrDecrypt},
		{name: "empty", box: box, ct: nil, ad: ad, want: ErrMalformed},
		{name: "short", box: box, ct: ct[:10], ad: ad, want: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := tt.box.Open(tt.ct, tt.ad)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open err = %v, want %v", err, tt.want)
			}
			if pt != nil {
				t.Errorf("Open returned plaintext %q with an error", pt)
			}
		})
	}
}

func TestBoxRotation(t *testing.T) {
	k1, k2 := testKey(t, 1), testKey(t, 2)
	old, err := NewBox(k1)
	if err != nil {
		t.Fatal(err)
	}
	ad := []byte("ad")
	ct1 := old.Seal([]byte("old secret"), ad)
	rotated, err := NewRotatingBox(Key{Version: 2, Bytes: k2}, Key{Version: 1, Bytes: k1})
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := rotated.Open(ct1, ad); err != nil || string(pt) != "old secret" {
		t.Fatalf("rotated Open(v1) = %q, %v", pt, err)
	}
	ct2 := rotated.Seal([]byte("new secret"), ad)
	if ct2[0] != 2 {
		t.Errorf("rotated box sealed with version %d, want 2", ct2[0])
	}
	if _, err := old.Open(ct2, ad); !errors.Is(err, ErrUnknownVersion) {
		t.Errorf("old box Open(v2) err = %v, want ErrUnknownVersion", err)
	}
}

func TestNewBoxErrors(t *testing.T) {
	if _, err := NewBox(make([]byte, 16)); err == nil {
		t.Error("NewBox accepted a 16-byte key")
	}
	k := testKey(t, 1)
	if _, err := NewRotatingBox(Key{Version: 1, Bytes: k}, Key{Version: 1, Bytes: k}); err == nil {
		t.Error("NewRotatingBox accepted a duplicate version")
	}
}
