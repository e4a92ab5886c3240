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
