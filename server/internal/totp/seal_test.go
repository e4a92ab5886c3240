package totp

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/secret"
)

func newTestBox(t *testing.T, fill byte) *secret.Box {
	t.Helper()
	b, err := secret.NewBox(bytes.Repeat([]byte{fill}, secret.KeyLen))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	box := newTestBox(t, 7)
	const env, dev = "5f0c0e2a-1111-4c4c-8e8e-000000000001", "9a9a9a9a-2222-4d4d-9f9f-000000000002"
	sealed := Seal(box, env, dev, testSecret)
	if bytes.Contains(sealed, []byte(testSecret)) {
		t.Fatal("sealed value contains the secret in clear")
	}
	got, err := Open(box, env, dev, sealed)
	if err != nil || got != testSecret {
		t.Fatalf("Open = %q, %v, want the secret", got, err)
	}
	if again := Seal(box, env, dev, testSecret); bytes.Equal(again, sealed) {
		t.Error("two seals of one secret are equal: nonce not random")
	}

	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	tests := []struct {
		name   string
		box    *secret.Box
		env    string
		dev    string
		sealed []byte
		want   error
	}{
		{name: "otherDevice", box: box, env: env, dev: "9a9a9a9a-2222-4d4d-9f9f-000000000003", sealed: sealed, want: secret.ErrDecrypt},
		{name: "otherEnv", box: box, env: "5f0c0e2a-1111-4c4c-8e8e-000000000009", dev: dev, sealed: sealed, want: secret.ErrDecrypt},
		{name: "swapped", box: box, env: dev, dev: env, sealed: sealed, want: secret.ErrDecrypt},
		// Without length prefixes these two would share the bytes "ab"+"c".
		{name: "shiftedBoundary", box: box, env: env + dev[:1], dev: dev[1:], sealed: sealed, want: secret.ErrDecrypt},
		{name: "otherKey", box: newTestBox(t, 8), env: env, dev: dev, sealed: sealed, want: secret.ErrDecrypt},
		{name: "tampered", box: box, env: env, dev: dev, sealed: tampered, want: secret.ErrDecrypt},
		{name: "truncated", box: box, env: env, dev: dev, sealed: sealed[:10], want: secret.ErrMalformed},
		{name: "empty", box: box, env: env, dev: dev, sealed: nil, want: secret.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Open(tt.box, tt.env, tt.dev, tt.sealed)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %q, %v, want %v", got, err, tt.want)
			}
			if got != "" {
				t.Fatalf("Open returned %q with its error", got)
			}
		})
	}
}

// TestSealNotOpenableByBoxDirectly: the label in the associated data keeps
// a TOTP secret from opening as something else the same Box seals with
// the bare ids.
func TestSealNotOpenableByBoxDirectly(t *testing.T) {
	box := newTestBox(t, 7)
	sealed := Seal(box, "env", "dev", testSecret)
	for _, ad := range [][]byte{nil, []byte("envdev"), []byte("env/dev")} {
		if _, err := box.Open(sealed, ad); !errors.Is(err, secret.ErrDecrypt) {
			t.Errorf("opened with associated data %q: %v", ad, err)
		}
	}
}

func TestCheckSealed(t *testing.T) {
	box := newTestBox(t, 7)
	const secretB32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	now := time.Unix(59, 0)
	v, err := NewVerifier(VerifierConfig{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	code, err := Code(secretB32, now, Params{})
	if err != nil {
		t.Fatal(err)
	}
	sealed := Seal(box, "env", "dev", secretB32)
	tests := []struct {
		name     string
		device   string
		code     string
		lastStep int64
		wantOK   bool
		wantErr  bool
	}{
		{name: "valid", device: "dev", code: code, wantOK: true},
		{name: "replayed_step", device: "dev", code: code, lastStep: 1},
		{name: "wrong_code", device: "dev", code: "000000"},
		{name: "other_device", device: "dev2", code: code, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			step, ok, err := CheckSealed(box, v, "env", tc.device, sealed, tc.code, tc.lastStep, DefaultSkew)
			if (err != nil) != tc.wantErr || ok != tc.wantOK {
				t.Fatalf("ok %v err %v", ok, err)
			}
			if ok && step != 1 {
				t.Fatalf("step %d, want 1", step)
			}
		})
	}
}
