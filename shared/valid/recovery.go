package valid

import "strings"

// RecoveryAlphabet is the symbols of a recovery code: Crockford's base32 in
// lower case, without i, l, o and u, so no two symbols look alike.
const RecoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// RecoveryCodeLen is the symbols of a recovery code (shown as two groups
// of five: "abcde-fghjk").
const RecoveryCodeLen = 10

// MaxRecoveryInput bounds what RecoveryCode reads: a code with generous
// spacing fits.
const MaxRecoveryInput = 64

// RecoveryCode checks what a person typed as a recovery code and returns
// its canonical form: case, spaces and dashes do not matter, and the
// look-alikes o, i and l read as 0, 1 and 1 (Crockford's decoding). It is
// ErrRequired when empty and ErrFormat unless it comes to RecoveryCodeLen
// symbols of RecoveryAlphabet.
func RecoveryCode(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", ErrRequired
	}
	if len(s) > MaxRecoveryInput {
		return "", ErrFormat
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'o':
			r = '0'
		case r == 'i' || r == 'l':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(RecoveryAlphabet, r) {
			return "", ErrFormat
		}
		b.WriteRune(r)
	}
	if b.Len() != RecoveryCodeLen {
		return "", ErrFormat
	}
	return b.String(), nil
}
