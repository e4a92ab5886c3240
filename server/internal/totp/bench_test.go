package totp

import (
	"bytes"
	"testing"

	"github.com/myaccount/myaccount/server/internal/secret"
)

// BenchmarkCheckSealed is what accepting an authenticator-app code costs
// the server at sign-on or pairing: open the device's sealed secret
// (AES-GCM bound to environment and device), then verify the code over the
// default grace window of one step either side (three HMACs at most).
func BenchmarkCheckSealed(b *testing.B) {
	box, err := secret.NewBox(bytes.Repeat([]byte{7}, secret.KeyLen))
	if err != nil {
		b.Fatal(err)
	}
	const env, dev = "5f0c0e2a-1111-4c4c-8e8e-000000000001", "9a9a9a9a-2222-4d4d-9f9f-000000000002"
	sealed := Seal(box, env, dev, testSecret)
	p := Params{}
	v := newTestVerifier(b, p)
	// The next step's code: the window is searched from the oldest step.
	code := codeAt(b, p, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := CheckSealed(box, v, env, dev, sealed, code, 0, DefaultSkew); err != nil || !ok {
			b.Fatalf("refused: %v", err)
		}
	}
}
