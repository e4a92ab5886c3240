package passwordpolicy

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/valid"
)

// ProfileOf is what excludesProfileData keeps out of u's password: the
// email and the name's parts (Context.Profile), for every caller alike.
func ProfileOf(u *store.User) []string {
	return []string{u.Email, u.GivenName, u.MiddleName, u.FamilyName, u.FormattedName}
}

// Context is what Check knows besides the candidate.
type Context struct {
	// Target names the request field in the details ("newPassword" when
	// empty).
	Target string
	// Username and Profile are the user's attribute values (email, names)
	// that excludesProfileData keeps out of the password.
	Username string
	Profile  []string
	// Current is the current password in clear when the request carries it
	// (a user's own change, checked against the stored hash by the caller;
	// or the validate action's unverified hint), for notSimilarToCurrent and
	// "not the same as the current one".
	Current string
	// MinAge applies minAgeDays: a user's own change of a password set at
	// ChangedAt, not forced by an administrator or by expiry.
	MinAge    bool
	ChangedAt time.Time
	Now       time.Time
}

func (c Context) target() string {
	if c.Target == "" {
		return "newPassword"
	}
	return c.Target
}

// normalise is the form rules compare: NFC, so that one character typed as
// one or as several code points is the same character.
func normalise(s string) string { return norm.NFC.String(s) }

// TooLong reports whether candidate is longer than p allows, in NFC
// characters, or longer than the hasher takes in bytes. It looks at nothing
// else and costs no hashing: callers ask it first.
func TooLong(p store.PasswordPolicy, candidate string) bool {
	limit := maxLength(p)
	if len(candidate) > valid.MaxPasswordLen {
		return true
	}
	// NFC composes at most a few code points into one, so a string far
	// over the limit is refused without normalising it.
	n := utf8.RuneCountInString(candidate)
	if n <= limit {
		return false
	}
	if n > 4*limit {
		return true
	}
	return utf8.RuneCountInString(normalise(candidate)) > limit
}

// maxLength is p's maximum, within what every password may be.
func maxLength(p store.PasswordPolicy) int {
	if p.MaxLength <= 0 || p.MaxLength > valid.MaxPassword {
		return valid.MaxPassword
	}
	return p.MaxLength
}

// Check runs p's rules that need no hashing on candidate and returns one
// detail per rule it breaks (none: it passes them). A candidate over the
// maximum length gets that one detail only: nothing else is worth
// computing for it.
func Check(p store.PasswordPolicy, candidate string, c Context) []apierr.Detail {
	t := c.target()
	fail := func(code, msg string, inner map[string]any) apierr.Detail {
		return apierr.Detail{Code: code, Target: t, Message: msg, InnerError: inner}
	}
	if TooLong(p, candidate) {
		limit := maxLength(p)
		return []apierr.Detail{fail(apierr.DetailPasswordTooLong,
			fmt.Sprintf("The password must be at most %d characters long.", limit), map[string]any{"maxLength": limit})}
	}
	if !utf8.ValidString(candidate) || strings.IndexFunc(candidate, unicode.IsControl) >= 0 {
		return []apierr.Detail{fail(apierr.DetailPasswordInvalidContent,
			"The password may hold any printable characters, but no control characters.", nil)}
	}
	n := normalise(candidate)
	runes := []rune(n)
	var out []apierr.Detail
	if len(runes) < p.MinLength {
		out = append(out, fail(apierr.DetailPasswordTooShort,
			fmt.Sprintf("The password must be at least %d characters long.", p.MinLength), map[string]any{"minLength": p.MinLength}))
	}
	lower := strings.ToLower(n)
	if p.ExcludesCommonlyUsed && Common().Contains(lower) {
		out = append(out, fail(apierr.DetailPasswordCommon,
			"This password is on a list of common or breached passwords. Choose another.", nil))
	}
	if p.ExcludesProfileData {
		if field, ok := profileMatch(lower, c); ok {
			out = append(out, fail(apierr.DetailPasswordProfileData,
				"The password must not contain your "+field+".", map[string]any{"attribute": field}))
		}
	}
	if c.Current != "" {
		cur := normalise(c.Current)
		switch {
		case cur == n:
			out = append(out, fail(apierr.DetailPasswordSameAsCurrent,
				"The new password must differ from the current one.", nil))
		case p.NotSimilarToCurrent && distance([]rune(cur), runes, similarDistance) < similarDistance:
			out = append(out, fail(apierr.DetailPasswordSimilar,
				fmt.Sprintf("The new password must differ from the current one in at least %d characters.", similarDistance),
				map[string]any{"minDistance": similarDistance}))
		}
	}
	if p.MaxRepeatedCharacters > 0 && longestRun(runes) > p.MaxRepeatedCharacters {
		out = append(out, fail(apierr.DetailPasswordRepeated,
			fmt.Sprintf("The password must not repeat a character more than %d times in a row.", p.MaxRepeatedCharacters),
			map[string]any{"maxRepeatedCharacters": p.MaxRepeatedCharacters}))
	}
	if p.MinUniqueCharacters > 0 && unique(runes) < p.MinUniqueCharacters {
		out = append(out, fail(apierr.DetailPasswordUniqueChars,
			fmt.Sprintf("The password must have at least %d different characters.", p.MinUniqueCharacters),
			map[string]any{"minUniqueCharacters": p.MinUniqueCharacters}))
	}
	for _, r := range p.MinCharacters {
		if countIn(runes, r.Characters) < r.Count {
			out = append(out, fail(apierr.DetailPasswordCharacters,
				fmt.Sprintf("The password must have at least %d of these characters: %s", r.Count, r.Characters),
				map[string]any{"characters": r.Characters, "count": r.Count}))
		}
	}
	if c.MinAge && p.MinAgeDays > 0 && !c.ChangedAt.IsZero() && c.Now.Before(c.ChangedAt.Add(days(p.MinAgeDays))) {
		next := c.ChangedAt.Add(days(p.MinAgeDays)).UTC()
		out = append(out, fail(apierr.DetailPasswordMinAge,
			fmt.Sprintf("Your password was changed too recently. You can change it again after %s.", next.Format(time.RFC1123)),
			map[string]any{"minAgeDays": p.MinAgeDays, "changeableAt": next.Format(time.RFC3339)}))
	}
	return out
}

// profileMatch finds a profile value (at least minProfileValueLength
// characters) inside the lower-cased candidate and names its attribute.
func profileMatch(lower string, c Context) (string, bool) {
	type attr struct{ name, value string }
	values := []attr{{"username", c.Username}}
	for i, v := range c.Profile {
		if i >= MaxProfileValuesChecked {
			break
		}
		values = append(values, attr{"profile data", v})
		if local, _, ok := strings.Cut(v, "@"); ok {
			values = append(values, attr{"email address", local})
		}
	}
	for _, a := range values {
		v := strings.ToLower(normalise(strings.TrimSpace(a.value)))
		if utf8.RuneCountInString(v) >= minProfileValueLength && strings.Contains(lower, v) {
			return a.name, true
		}
	}
	return "", false
}

// distance is the Levenshtein distance of a and b, counted in characters,
// or limit when it is at least limit (the rows stop early once every cell
// is past it).
func distance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

func longestRun(rs []rune) int {
	best, run := 0, 0
	for i, r := range rs {
		if i > 0 && r == rs[i-1] {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
	}
	return best
}

func unique(rs []rune) int {
	seen := map[rune]bool{}
	for _, r := range rs {
		seen[r] = true
	}
	return len(seen)
}

func countIn(rs []rune, set string) int {
	n := 0
	for _, r := range rs {
		if strings.ContainsRune(set, r) {
			n++
		}
	}
	return n
}

// CheckHistory compares candidate with u's current password (when
// withCurrent: an administrator's set, where the current one was not
// typed) and with the earlier ones p keeps, one argon2id run each: run it
// after Check passed. It returns the detail of the first match, if any,
// or the hasher's error (password.ErrBusy is a 429 for the caller).
func CheckHistory(ctx context.Context, h *password.Hasher, p store.PasswordPolicy, candidate string, u *store.User,
	withCurrent bool, target string, now time.Time) ([]apierr.Detail, error) {
	if target == "" {
		target = "newPassword"
	}
	if withCurrent && u.PasswordHash != "" {
		same, err := h.Verify(ctx, candidate, u.PasswordHash)
		if err != nil {
			return nil, fmt.Errorf("compare with the current password: %w", err)
		}
		if same {
			return []apierr.Detail{{Code: apierr.DetailPasswordSameAsCurrent, Target: target,
				Message: "The new password must differ from the current one."}}, nil
		}
	}
	for i, e := range u.PasswordHistory {
		if i >= p.HistoryCount || i >= MaxHistoryCount {
			break
		}
		if !retained(p, e, now) {
			continue
		}
		used, err := h.Verify(ctx, candidate, e.Hash)
		if err != nil {
			return nil, fmt.Errorf("compare with an earlier password: %w", err)
		}
		if used {
			return []apierr.Detail{{Code: apierr.DetailPasswordHistory, Target: target,
				Message:    fmt.Sprintf("You used this password recently. Choose one that is not among your last %d.", p.HistoryCount),
				InnerError: map[string]any{"count": p.HistoryCount}}}, nil
		}
	}
	return nil, nil
}
