package token

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	envA = "11111111-1111-4111-8111-111111111111"
	envB = "22222222-2222-4222-8222-222222222222"
	issA = "https://id.example.com/" + envA + "/as"
	issB = "https://id.example.com/" + envB + "/as"
	aud  = "myaccount-client"
)

func newBox(t testing.TB) *secret.Box {
	t.Helper()
	b, err := secret.NewBox(bytes.Repeat([]byte{9}, secret.KeyLen))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newKeys builds an environment's key set with one key per kid, each a
// minute newer than the last.
func newKeys(t testing.TB, box *secret.Box, env string, kids ...string) (*Keys, []store.SigningKey) {
	t.Helper()
	var recs []store.SigningKey
	for i, kid := range kids {
		r, err := GenerateKey(env, kid, box, t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, *r)
	}
	ks, err := NewKeys(env, recs, box)
	if err != nil {
		t.Fatal(err)
	}
	return ks, recs
}

func claimsFor(iss, env string) *Claims {
	return &Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    iss,
			Subject:   "user-1",
			Audience:  jwt.ClaimStrings{aud},
			IssuedAt:  jwt.NewNumericDate(t0),
			NotBefore: jwt.NewNumericDate(t0),
			ExpiresAt: jwt.NewNumericDate(t0.Add(5 * time.Minute)),
			ID:        "jti-1",
		},
		Env:      env,
		SID:      "sid-1",
		ClientID: "client-1",
		Scope:    "openid p1:read:user",
		AMR:      []string{"pwd", "otp"},
		ACR:      "Multi_Factor",
		AuthTime: jwt.NewNumericDate(t0.Add(-time.Minute)),
	}
}

// raw signs claims with any method and key, bypassing Signer's checks, as
// an attacker would.
func raw(t *testing.T, m jwt.SigningMethod, kid string, c jwt.Claims, k any) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verifierAt(ks *Keys, now time.Time) *Verifier {
	return NewVerifier(VerifierConfig{Keys: ks, Now: func() time.Time { return now }})
}

func TestSignVerify(t *testing.T) {
	box := newBox(t)
	ks, _ := newKeys(t, box, envA, "kid-a1")
	in := claimsFor(issA, "")
	in.Email, in.Name, in.PreferredUsername, in.Nonce = "ann@example.com", "Ann", "ann", "n-0S6"
	s, err := NewSigner(ks).Sign(in)
	if err != nil {
		t.Fatal(err)
	}
	if in.Env != "" {
		t.Error("Sign modified its argument")
	}
	hdr := header(t, s)
	if hdr["alg"] != "ES256" || hdr["kid"] != "kid-a1" {
		t.Errorf("header = %v, want alg ES256, kid kid-a1", hdr)
	}
	got, err := verifierAt(ks, t0.Add(time.Minute)).Verify(s, issA, aud)
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.Env = envA
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(&want)
	if !bytes.Equal(gj, wj) {
		t.Errorf("claims = %s\nwant     %s", gj, wj)
	}
	// The wire names are the OIDC/PingOne ones.
	payload := segment(t, s, 1)
	for _, name := range []string{`"iss"`, `"sub"`, `"aud"`, `"exp"`, `"iat"`, `"nbf"`, `"jti"`, `"env"`, `"sid"`,
		`"client_id"`, `"scope"`, `"amr"`, `"acr"`, `"auth_time"`, `"nonce"`, `"email"`, `"name"`, `"preferred_username"`} {
		if !strings.Contains(string(payload), name+":") {
			t.Errorf("payload lacks %s: %s", name, payload)
		}
	}
	// Audience is optional.
	if _, err := verifierAt(ks, t0).Verify(s, issA, ""); err != nil {
		t.Errorf("Verify without audience = %v", err)
	}
}

func TestOmitEmpty(t *testing.T) {
	ks, _ := newKeys(t, newBox(t), envA, "k")
	c := &Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: issA, ExpiresAt: jwt.NewNumericDate(t0.Add(time.Minute))}}
	s, err := NewSigner(ks).Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"nonce", "email", "name", "preferred_username", "sid", "amr", "auth_time"} {
		if strings.Contains(string(segment(t, s, 1)), `"`+name+`"`) {
			t.Errorf("empty %s is in the payload", name)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	box := newBox(t)
	ksA, _ := newKeys(t, box, envA, "kid-a1")
	ksB, _ := newKeys(t, box, envB, "kid-b1")
	// Env B happens to hold a key under A's kid: the signature must decide.
	ksB2, _ := newKeys(t, box, envB, "kid-a1")
	privA, privB, privB2 := ksA.keys[0].priv, ksB.keys[0].priv, ksB2.keys[0].priv

	good := claimsFor(issA, envA)
	mod := func(f func(c *Claims)) *Claims {
		c := *good
		f(&c)
		return &c
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&privA.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	valid := raw(t, jwt.SigningMethodES256, "kid-a1", good, privA)
	tampered := func() string {
		parts := strings.Split(valid, ".")
		p := mod(func(c *Claims) { c.Subject = "admin" })
		b, _ := json.Marshal(p)
		parts[1] = base64.RawURLEncoding.EncodeToString(b)
		return strings.Join(parts, ".")
	}()
	signedByB, err := NewSigner(ksB).Sign(claimsFor(issB, envB))
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Minute)

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{name: "algNone", token: raw(t, jwt.SigningMethodNone, "kid-a1", good, jwt.UnsafeAllowNoneSignatureType), want: jwt.ErrTokenSignatureInvalid},
		{name: "algNoneNoKid", token: raw(t, jwt.SigningMethodNone, "", good, jwt.UnsafeAllowNoneSignatureType), want: jwt.ErrTokenSignatureInvalid},
		{name: "hs256WithPublicKeyDER", token: raw(t, jwt.SigningMethodHS256, "kid-a1", good, pubDER), want: jwt.ErrTokenSignatureInvalid},
		{name: "hs256WithPublicKeyPEM", token: raw(t, jwt.SigningMethodHS256, "kid-a1", good, pemOf(pubDER)), want: jwt.ErrTokenSignatureInvalid},
		{name: "es384", token: raw(t, jwt.SigningMethodES384, "kid-a1", good, p384), want: jwt.ErrTokenSignatureInvalid},
		{name: "unknownKid", token: raw(t, jwt.SigningMethodES256, "kid-zz", good, privA), want: ErrUnknownKey},
		{name: "noKid", token: raw(t, jwt.SigningMethodES256, "", good, privA), want: ErrUnknownKey},
		{name: "otherEnvToken", token: signedByB, want: ErrUnknownKey},
		{name: "otherEnvKeyOurClaims", token: raw(t, jwt.SigningMethodES256, "kid-b1", good, privB), want: ErrUnknownKey},
		{name: "otherEnvKeySameKid", token: raw(t, jwt.SigningMethodES256, "kid-a1", good, privB2), want: jwt.ErrTokenSignatureInvalid},
		{name: "otherEnvIssuer", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.Issuer = issB }), privA), want: jwt.ErrTokenInvalidIssuer},
		{name: "otherEnvClaim", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.Env = envB }), privA), want: ErrWrongEnvironment},
		{name: "noEnvClaim", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.Env = "" }), privA), want: ErrWrongEnvironment},
		{name: "noIssuer", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.Issuer = "" }), privA), want: jwt.ErrTokenRequiredClaimMissing},
		{name: "wrongAudience", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.Audience = jwt.ClaimStrings{"other"} }), privA), want: jwt.ErrTokenInvalidAudience},
		{name: "noAudience", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.Audience = nil }), privA), want: jwt.ErrTokenRequiredClaimMissing},
		{name: "expired", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) {
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-DefaultLeeway - time.Second))
			c.IssuedAt, c.NotBefore = jwt.NewNumericDate(t0.Add(-time.Hour)), nil
		}), privA), want: jwt.ErrTokenExpired},
		{name: "noExpiry", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) { c.ExpiresAt = nil }), privA), want: jwt.ErrTokenRequiredClaimMissing},
		{name: "notYetValid", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) {
			c.NotBefore = jwt.NewNumericDate(now.Add(DefaultLeeway + time.Second))
		}), privA), want: jwt.ErrTokenNotValidYet},
		{name: "issuedInFuture", token: raw(t, jwt.SigningMethodES256, "kid-a1", mod(func(c *Claims) {
			c.IssuedAt = jwt.NewNumericDate(now.Add(DefaultLeeway + time.Second))
		}), privA), want: jwt.ErrTokenUsedBeforeIssued},
		{name: "tamperedPayload", token: tampered, want: jwt.ErrTokenSignatureInvalid},
		{name: "truncatedSignature", token: valid[:len(valid)-4], want: ErrInvalid},
		{name: "garbage", token: "not.a.jwt", want: jwt.ErrTokenMalformed},
		{name: "empty", token: "", want: jwt.ErrTokenMalformed},
	}
	v := verifierAt(ksA, now)
	if _, err := v.Verify(valid, issA, aud); err != nil {
		t.Fatalf("control token rejected: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(tt.token, issA, aud)
			if err == nil {
				t.Fatalf("Verify accepted the token: %+v", c)
			}
			if !errors.Is(err, ErrInvalid) || !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want ErrInvalid and %v", err, tt.want)
			}
			if c != nil {
				t.Error("claims returned with an error")
			}
		})
	}
}

// TestLeeway: small skews pass, on both ends of the validity window.
func TestLeeway(t *testing.T) {
	ks, _ := newKeys(t, newBox(t), envA, "k")
	s, err := NewSigner(ks).Sign(claimsFor(issA, envA))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		now    time.Time
		leeway time.Duration
		ok     bool
	}{
		{name: "beforeIssueWithinLeeway", now: t0.Add(-DefaultLeeway + time.Second), ok: true},
		{name: "afterExpiryWithinLeeway", now: t0.Add(5*time.Minute + DefaultLeeway - time.Second), ok: true},
		{name: "afterExpiryBeyondLeeway", now: t0.Add(5*time.Minute + DefaultLeeway + time.Second), ok: false},
		{name: "noLeeway", now: t0.Add(5*time.Minute + time.Second), leeway: -1, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewVerifier(VerifierConfig{Keys: ks, Now: func() time.Time { return tt.now }, Leeway: tt.leeway})
			_, err := v.Verify(s, issA, aud)
			if (err == nil) != tt.ok {
				t.Errorf("Verify err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	box := newBox(t)
	oldKeys, recs := newKeys(t, box, envA, "kid-old")
	oldTok, err := NewSigner(oldKeys).Sign(claimsFor(issA, envA))
	if err != nil {
		t.Fatal(err)
	}
	newer, err := GenerateKey(envA, "kid-new", box, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// The store lists newest first, but do not rely on it: give oldest first.
	ks, err := NewKeys(envA, append(recs, *newer), box)
	if err != nil {
		t.Fatal(err)
	}
	if got := ks.KeyIDs(); len(got) != 2 || got[0] != "kid-new" {
		t.Fatalf("KeyIDs = %v, want kid-new first", got)
	}
	newTok, err := NewSigner(ks).Sign(claimsFor(issA, envA))
	if err != nil {
		t.Fatal(err)
	}
	if header(t, newTok)["kid"] != "kid-new" {
		t.Errorf("signed with %v, want the newest key", header(t, newTok)["kid"])
	}
	v := verifierAt(ks, t0)
	for _, s := range []string{oldTok, newTok} {
		if _, err := v.Verify(s, issA, aud); err != nil {
			t.Errorf("Verify after rotation = %v", err)
		}
	}
	// Once the old key is retired, its tokens stop verifying.
	retired, err := NewKeys(envA, []store.SigningKey{*newer}, box)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifierAt(retired, t0).Verify(oldTok, issA, aud); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Verify with retired key = %v, want ErrUnknownKey", err)
	}
}

func TestNewKeysRejects(t *testing.T) {
	box := newBox(t)
	otherBox, err := secret.NewBox(bytes.Repeat([]byte{8}, secret.KeyLen))
	if err != nil {
		t.Fatal(err)
	}
	_, recs := newKeys(t, box, envA, "kid-a1")
	rec := recs[0]
	with := func(f func(r *store.SigningKey)) []store.SigningKey {
		r := rec
		f(&r)
		return []store.SigningKey{r}
	}
	tests := []struct {
		name string
		env  string
		recs []store.SigningKey
		box  *secret.Box
	}{
		{name: "none", env: envA, recs: nil, box: box},
		{name: "emptyEnv", env: "", recs: recs, box: box},
		{name: "otherEnvRecord", env: envB, recs: recs, box: box},
		// A sealed key copied into env B's record: the AD no longer matches.
		{name: "copiedToOtherEnv", env: envB, recs: with(func(r *store.SigningKey) { r.EnvironmentID = envB }), box: box},
		{name: "renamedKid", env: envA, recs: with(func(r *store.SigningKey) { r.ID = "kid-x" }), box: box},
		{name: "wrongKEK", env: envA, recs: recs, box: otherBox},
		{name: "wrongAlgorithm", env: envA, recs: with(func(r *store.SigningKey) { r.Algorithm = "RS256" }), box: box},
		{name: "duplicateKid", env: envA, recs: append(recs, rec), box: box},
		{name: "notPKCS8", env: envA, recs: with(func(r *store.SigningKey) { r.PrivateKey = box.Seal([]byte("junk"), KeyAD(envA, r.ID)) }), box: box},
		{name: "p384", env: envA, recs: with(func(r *store.SigningKey) {
			k, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
			der, _ := x509.MarshalPKCS8PrivateKey(k)
			r.PrivateKey = box.Seal(der, KeyAD(envA, r.ID))
		}), box: box},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewKeys(tt.env, tt.recs, tt.box); err == nil {
				t.Fatal("NewKeys succeeded")
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	box := newBox(t)
	r, err := GenerateKey(envA, "kid-1", box, t0)
	if err != nil {
		t.Fatal(err)
	}
	if r.EnvironmentID != envA || r.ID != "kid-1" || r.Algorithm != "ES256" || !r.CreatedAt.Equal(t0) {
		t.Errorf("record = %+v", r)
	}
	der, err := box.Open(r.PrivateKey, KeyAD(envA, "kid-1"))
	if err != nil {
		t.Fatalf("private key not sealed with KeyAD: %v", err)
	}
	if _, err := x509.ParsePKCS8PrivateKey(der); err != nil {
		t.Errorf("sealed key is not PKCS#8: %v", err)
	}
	if bytes.Contains(r.PrivateKey, der[len(der)-32:]) {
		t.Error("private key stored in the clear")
	}
	if _, err := GenerateKey("", "k", box, t0); err == nil {
		t.Error("GenerateKey accepted an empty environment")
	}
	if _, err := GenerateKey(envA, "", box, t0); err == nil {
		t.Error("GenerateKey accepted an empty kid")
	}
}

func TestSignRejects(t *testing.T) {
	ks, _ := newKeys(t, newBox(t), envA, "k")
	s := NewSigner(ks)
	tests := []struct {
		name string
		c    *Claims
	}{
		{name: "nil", c: nil},
		{name: "noIssuer", c: func() *Claims { c := claimsFor("", envA); return c }()},
		{name: "noExpiry", c: func() *Claims { c := claimsFor(issA, envA); c.ExpiresAt = nil; return c }()},
		{name: "otherEnv", c: claimsFor(issA, envB)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Sign(tt.c); err == nil {
				t.Fatal("Sign succeeded")
			}
		})
	}
}

// TestJWKS: the published keys verify the signer's tokens and carry the
// RFC 7517/7518 members.
func TestJWKS(t *testing.T) {
	box := newBox(t)
	ks, _ := newKeys(t, box, envA, "kid-1", "kid-2")
	b, err := json.Marshal(JWKS(ks))
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || set.Keys[0]["kid"] != "kid-2" || set.Keys[1]["kid"] != "kid-1" {
		t.Fatalf("jwks = %s", b)
	}
	s, err := NewSigner(ks).Sign(claimsFor(issA, envA))
	if err != nil {
		t.Fatal(err)
	}
	jwk := set.Keys[0]
	for k, want := range map[string]string{"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256"} {
		if jwk[k] != want {
			t.Errorf("%s = %q, want %q", k, jwk[k], want)
		}
	}
	if _, ok := jwk["d"]; ok {
		t.Fatal("JWKS leaks the private key")
	}
	x, err1 := base64.RawURLEncoding.DecodeString(jwk["x"])
	y, err2 := base64.RawURLEncoding.DecodeString(jwk["y"])
	if err1 != nil || err2 != nil || len(x) != 32 || len(y) != 32 {
		t.Fatalf("x, y = %q, %q", jwk["x"], jwk["y"])
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		t.Fatal(err)
	}
	// Verify with the published key alone, as an outside client would.
	_, err = jwt.Parse(s, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithTimeFunc(func() time.Time { return t0 }))
	if err != nil {
		t.Errorf("token does not verify with the JWKS key: %v", err)
	}
}

func header(t *testing.T, s string) map[string]any {
	t.Helper()
	var h map[string]any
	if err := json.Unmarshal(segment(t, s, 0), &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func segment(t *testing.T, s string, i int) []byte {
	t.Helper()
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", s)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pemOf(der []byte) []byte {
	return []byte("-----BEGIN PUBLIC KEY-----\n" + base64.StdEncoding.EncodeToString(der) + "\n-----END PUBLIC KEY-----\n")
}

func BenchmarkSign(b *testing.B) {
	ks, _ := newKeys(b, newBox(b), envA, "k")
	s := NewSigner(ks)
	c := claimsFor(issA, envA)
	for b.Loop() {
		if _, err := s.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	ks, _ := newKeys(b, newBox(b), envA, "k")
	tok, err := NewSigner(ks).Sign(claimsFor(issA, envA))
	if err != nil {
		b.Fatal(err)
	}
	v := verifierAt(ks, t0)
	for b.Loop() {
		if _, err := v.Verify(tok, issA, aud); err != nil {
			b.Fatal(err)
		}
	}
}
