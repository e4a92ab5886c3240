package totp

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"time"
)

// VerifierConfig configures a Verifier: the clock and the parameters of the
// keys it checks (those the device was enrolled with).
type VerifierConfig struct {
	Now func() time.Time
	Params
}

// Verifier checks TOTP codes. It is safe for concurrent use.
type Verifier struct {
	now    func() time.Time
	params Params
}

// NewVerifier returns a Verifier; zero Params fields mean the defaults.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.Now == nil {
		return nil, errors.New("totp: new verifier: Now is nil")
	}
	p := cfg.Params.withDefaults()
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("totp: new verifier: %w", err)
	}
	return &Verifier{now: cfg.Now, params: p}, nil
}

// Verify reports whether code is the code of a time step within skew steps
// of now (the policy's grace window; above MaxSkew counts as MaxSkew) that
// is later than lastStep, and returns that step.
//
// Replay protection is the caller's half of the contract: on success it
// must store the returned step as the device's new last step with a
// version-guarded update, and treat a lost race as a failure, so each
// step, hence each code, is accepted at most once. A device never used has
// lastStep 0 (step 0 is 1970).
//
// The code must be exactly Digits ASCII digits; the caller strips any
// spaces a user typed. Codes are compared in constant time. An invalid
// secret verifies nothing.
func (v *Verifier) Verify(secretBase32, code string, lastStep int64, skew uint) (step int64, ok bool) {
	if !wellFormed(code, v.params.Digits) {
		return 0, false
	}
	key, err := decodeSecret(secretBase32)
	if err != nil {
		return 0, false
	}
	k := int64(min(skew, MaxSkew))
	cur := timeStep(v.now(), v.params.Period)
	g := newGenerator(key, v.params)
	var buf [MaxDigits]byte
	want := []byte(code)
	// Every candidate is computed and compared, so the time taken does not
	// depend on where (or whether) the code matched. When two steps in the
	// window share this code, the later one is returned: returning the
	// earlier would let the same code be accepted a second time, at the
	// later step.
	found := false
	for s := cur - k; s <= cur+k; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare(g.code(uint64(s), buf[:v.params.Digits]), want) == 1 {
			step, found = s, true
		}
	}
	if !found {
		return 0, false
	}
	return step, true
}

// wellFormed checks the length and alphabet of a submitted code. Branching
// on them leaks nothing secret: both are public.
func wellFormed(code string, digits int) bool {
	if len(code) != digits {
		return false
	}
	for i := range len(code) {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}
