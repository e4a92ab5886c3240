package totp

import (
	"testing"
	"time"
)

const testSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// testNow is 10 s into a 30 s step (noon is a step boundary).
var testNow = time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)

func newTestVerifier(t testing.TB, p Params) *Verifier {
	t.Helper()
	v, err := NewVerifier(VerifierConfig{Now: func() time.Time { return testNow }, Params: p})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// codeAt is the code offset steps from testNow.
func codeAt(t testing.TB, p Params, offset int) string {
	t.Helper()
	period := p.withDefaults().Period
	c, err := Code(testSecret, testNow.Add(time.Duration(offset)*time.Duration(period)*time.Second), p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestVerify(t *testing.T) {
	p := Params{}
	cur := testNow.Unix() / 30
	tests := []struct {
		name     string
		secret   string
		code     string
		lastStep int64
		skew     uint
		wantOK   bool
		wantStep int64
	}{
		{name: "current", code: codeAt(t, p, 0), skew: 0, wantOK: true, wantStep: cur},
		{name: "previousWithinSkew", code: codeAt(t, p, -1), skew: 1, wantOK: true, wantStep: cur - 1},
		{name: "nextWithinSkew", code: codeAt(t, p, 1), skew: 1, wantOK: true, wantStep: cur + 1},
		{name: "twoBackWithSkew2", code: codeAt(t, p, -2), skew: 2, wantOK: true, wantStep: cur - 2},
		{name: "previousNoSkew", code: codeAt(t, p, -1), skew: 0},
		{name: "nextNoSkew", code: codeAt(t, p, 1), skew: 0},
		{name: "twoBackSkew1", code: codeAt(t, p, -2), skew: 1},
		{name: "twoAheadSkew1", code: codeAt(t, p, 2), skew: 1},
		// A huge grace window is clamped to MaxSkew.
		{name: "maxSkewEdge", code: codeAt(t, p, -MaxSkew), skew: 1000, wantOK: true, wantStep: cur - MaxSkew},
		{name: "beyondMaxSkew", code: codeAt(t, p, -MaxSkew-1), skew: 1000},
		// Replay: a step at or before the last used one is refused, even
		// inside the window.
		{name: "replaySameStep", code: codeAt(t, p, 0), lastStep: cur, skew: 1},
		{name: "olderThanLast", code: codeAt(t, p, -1), lastStep: cur, skew: 1},
		{name: "previousEqualsLast", code: codeAt(t, p, -1), lastStep: cur - 1, skew: 1},
		{name: "afterLast", code: codeAt(t, p, 0), lastStep: cur - 1, skew: 1, wantOK: true, wantStep: cur},
		{name: "futureLastBlocksAll", code: codeAt(t, p, 1), lastStep: cur + 1, skew: 1},
		{name: "wrongCode", code: wrong(codeAt(t, p, 0)), skew: 1},
		{name: "tooShort", code: codeAt(t, p, 0)[:5], skew: 1},
		{name: "tooLong", code: codeAt(t, p, 0) + "0", skew: 1},
		{name: "withSpace", code: codeAt(t, p, 0)[:3] + " " + codeAt(t, p, 0)[3:], skew: 1},
		{name: "nonDigits", code: "12345a", skew: 1},
		{name: "empty", code: "", skew: 1},
		{name: "otherSecret", secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", code: codeAt(t, p, 0), skew: 1},
		{name: "invalidSecret", secret: "not base32!", code: codeAt(t, p, 0), skew: 1},
	}
	v := newTestVerifier(t, p)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sec := testSecret
			if tt.secret != "" {
				sec = tt.secret
			}
			step, ok := v.Verify(sec, tt.code, tt.lastStep, tt.skew)
			if ok != tt.wantOK || step != tt.wantStep {
				t.Fatalf("Verify = %d, %v, want %d, %v", step, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
}

// wrong changes the last digit, so the code is well formed but not valid.
func wrong(c string) string {
	b := []byte(c)
	b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
	return string(b)
}

// TestVerifyReplay follows the caller's contract: the step returned is
// passed back next time, so the same code is refused and only a later
// step's code is accepted.
func TestVerifyReplay(t *testing.T) {
	now := testNow
	v, err := NewVerifier(VerifierConfig{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	code := codeAt(t, Params{}, 0)
	last, ok := v.Verify(testSecret, code, 0, 1)
	if !ok {
		t.Fatal("first use refused")
	}
	if s, ok := v.Verify(testSecret, code, last, 1); ok {
		t.Fatalf("replay accepted at step %d", s)
	}
	// Still refused 30 s later, when the code is the previous step's and
	// inside the grace window.
	now = now.Add(30 * time.Second)
	if s, ok := v.Verify(testSecret, code, last, 1); ok {
		t.Fatalf("replay accepted a step later at step %d", s)
	}
	next := codeAt(t, Params{}, 1)
	s, ok := v.Verify(testSecret, next, last, 1)
	if !ok || s != last+1 {
		t.Fatalf("next step's code: %d, %v, want %d, true", s, ok, last+1)
	}
}

// TestVerifyParams: digits, period and algorithm of the Verifier are those
// codes are checked with.
func TestVerifyParams(t *testing.T) {
	tests := []struct {
		name string
		p    Params
	}{
		{name: "sha1_6", p: Params{Algorithm: SHA1, Digits: 6}},
		{name: "sha256_7", p: Params{Algorithm: SHA256, Digits: 7}},
		{name: "sha512_8", p: Params{Algorithm: SHA512, Digits: 8}},
		{name: "period60", p: Params{Period: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := codeAt(t, tt.p, 0)
			if len(code) != tt.p.withDefaults().Digits {
				t.Fatalf("code %q has the wrong length", code)
			}
			if _, ok := newTestVerifier(t, tt.p).Verify(testSecret, code, 0, 0); !ok {
				t.Fatal("own code refused")
			}
			// Under default parameters the same string must not verify:
			// the verifier really uses its own parameters.
			def := Params{Period: DefaultPeriod, Digits: DefaultDigits, Algorithm: SHA1}
			if tt.p.withDefaults() == def {
				return
			}
			if _, ok := newTestVerifier(t, def).Verify(testSecret, code, 0, 1); ok {
				t.Fatal("code verified under default parameters")
			}
		})
	}
}

func TestNewVerifierErrors(t *testing.T) {
	now := func() time.Time { return testNow }
	tests := []struct {
		name string
		cfg  VerifierConfig
	}{
		{name: "nilNow", cfg: VerifierConfig{}},
		{name: "fiveDigits", cfg: VerifierConfig{Now: now, Params: Params{Digits: 5}}},
		{name: "nineDigits", cfg: VerifierConfig{Now: now, Params: Params{Digits: 9}}},
		{name: "md5", cfg: VerifierConfig{Now: now, Params: Params{Algorithm: "MD5"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewVerifier(tt.cfg); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	p := Params{}
	v := newTestVerifier(b, p)
	code := codeAt(b, p, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := v.Verify(testSecret, code, 0, 1); !ok {
			b.Fatal("refused")
		}
	}
}

// TestVerifyCollisionTakesLaterStep: testSecret's codes for steps 473597
// and 473598 are both 519179 (found by search). Accepting it must burn the
// later step, or the same code would be accepted again at that step.
func TestVerifyCollisionTakesLaterStep(t *testing.T) {
	const first, code = 473597, "519179"
	for _, s := range []int64{first, first + 1} {
		if c, err := Code(testSecret, time.Unix(s*30, 0), Params{}); err != nil || c != code {
			t.Fatalf("code at step %d = %s, %v, want %s", s, c, err, code)
		}
	}
	v, err := NewVerifier(VerifierConfig{Now: func() time.Time { return time.Unix(first*30, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	step, ok := v.Verify(testSecret, code, 0, 1)
	if !ok || step != first+1 {
		t.Fatalf("Verify = %d, %v, want %d, true", step, ok, first+1)
	}
	if s, ok := v.Verify(testSecret, code, step, 1); ok {
		t.Fatalf("same code accepted again at step %d", s)
	}
}
