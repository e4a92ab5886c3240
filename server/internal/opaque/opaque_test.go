package opaque

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func TestNew(t *testing.T) {
	v1, h1, err := New(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	v2, h2, _ := New(rand.Reader)
	if len(v1) != 43 || v1 == v2 || h1 == h2 {
		t.Fatalf("values not fresh or wrong length: %q %q", v1, v2)
	}
	if Hash(v1) != h1 || h1 == v1 {
		t.Fatal("hash is not the stored key of the value")
	}
	if _, _, err := New(bytes.NewReader(make([]byte, 5))); err == nil {
		t.Fatal("short random source accepted")
	}
}

func TestMACAndEqual(t *testing.T) {
	k1, k2 := []byte("key-one"), []byte("key-two")
	if MAC(k1, "sid") == MAC(k2, "sid") || MAC(k1, "sid") == MAC(k1, "sie") {
		t.Fatal("MAC does not depend on key and message")
	}
	if !Equal("abc", "abc") || Equal("abc", "abd") || Equal("abc", "ab") {
		t.Fatal("Equal is wrong")
	}
}

func TestMACFields(t *testing.T) {
	key := []byte("0123456789abcdef")
	base := MACFields(key, "label", "ab", "c")
	tests := []struct {
		name string
		got  string
	}{
		{name: "otherSplit", got: MACFields(key, "label", "a", "bc")},
		{name: "otherLabel", got: MACFields(key, "other", "ab", "c")},
		{name: "otherKey", got: MACFields([]byte("fedcba9876543210"), "label", "ab", "c")},
		{name: "joined", got: MACFields(key, "label", "abc")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got == base {
				t.Fatal("hash does not depend on it")
			}
		})
	}
	if MACFields(key, "label", "ab", "c") != base || len(base) != 64 {
		t.Fatal("not a stable hex SHA-256 MAC")
	}
}
