package otp

import (
	"bytes"
	"testing"
)

// BenchmarkCheck is one passcode check as the flows do it: the keyed hash
// of the submitted code bound to environment and flow, compared in
// constant time with the stored hash (no code generation).
func BenchmarkCheck(b *testing.B) {
	h, err := NewHasher(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		b.Fatal(err)
	}
	const env, flow = "5f0c0e2a-1111-4c4c-8e8e-000000000001", "0190b7c4-0000-7000-8000-000000000002"
	stored := h.Hash(env, flow, "48291375")
	b.ReportAllocs()
	for b.Loop() {
		if !h.Check(env, flow, "48291375", stored) {
			b.Fatal("check failed")
		}
	}
}
