// Package passwordpolicy holds an environment's password policies and
// checks passwords against them: PingOne's rules (length, commonly used,
// profile data, similarity to the current password, history, character
// classes, repeats, unique characters, minimum and maximum age, lockout)
// and its three built-in policies, Standard (the default), Passphrase and
// Basic.
//
// Check runs every rule that needs no hashing and answers one apierr.Detail
// per broken rule, each with its own code. CheckHistory compares the
// candidate with the current and earlier password hashes, which costs one
// argon2id run per hash, so callers run it last and only when Check passed.
//
// Lengths are counted in characters (Unicode code points) of the NFC form,
// so "é" typed as one or two code points counts once; the password itself
// is hashed byte for byte as typed. A candidate longer than the policy's
// maximum is refused by Check before anything else looks at it, and before
// any hashing.
package passwordpolicy

import (
	"time"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// Bounds of a policy's settings, checked by the management API.
const (
	MinLengthLow, MinLengthHigh = 8, 32   // length.min
	MaxLengthLow, MaxLengthHigh = 64, 255 // length.max
	MaxHistoryCount             = 20      // each entry is one argon2id run per change
	MaxHistoryRetentionDays     = 3650
	MaxLockoutFailures          = 20
	MinLockoutSeconds           = 60
	MaxLockoutSeconds           = 86400
	MaxMinAgeDays               = 998
	MaxMaxAgeDays               = 1000
	MinAgeGapDays               = 21 // maxAgeDays is at least minAgeDays + 21, as PingOne asks
	MaxMinCharacterRules        = 10
	MaxCharacterSetLength       = 100
	MaxProfileValuesChecked     = 16
	minProfileValueLength       = 3  // shorter values ("Al") would refuse too much
	similarDistance             = 3  // an edit distance below this is "similar"
	MaxRepeatLimit              = 32 // maxRepeatedCharacters
	MaxUniqueLimit              = 32 // minUniqueCharacters
)

// Built-in policy names.
const (
	Standard   = "Standard"
	Passphrase = "Passphrase"
	Basic      = "Basic"
)

// Character classes of PingOne's built-in composition rules.
const (
	Digits    = "0123456789"
	Lowercase = "abcdefghijklmnopqrstuvwxyz"
	Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	Special   = "~!@#$%^&*()-_=+[]{}|;:,.<>/?"
)

// BuiltinID is the id of a built-in policy in an environment: the same on
// every server and every start, so the API can show the built-ins before
// the environment record holds them.
func BuiltinID(envID, name string) string {
	ns, err := uuid.Parse(envID)
	if err != nil {
		ns = uuid.Nil
	}
	return uuid.NewSHA1(ns, []byte("passwordPolicy/"+name)).String()
}

// Builtins returns the environment's three built-in policies, Standard
// first and default. They follow PingOne's, except that Standard has no
// character-class rules and no expiry: NIST SP 800-63B asks verifiers not
// to impose composition rules or periodic changes, and to check candidates
// against a list of common and breached passwords instead.
func Builtins(envID string, now time.Time) []store.PasswordPolicy {
	lockout := func(p *store.PasswordPolicy) {
		p.LockoutFailureCount, p.LockoutDurationSeconds = 5, 900
	}
	std := store.PasswordPolicy{
		ID: BuiltinID(envID, Standard), Name: Standard, BuiltIn: true, Default: true,
		Description:          "Industry practice: long enough, not common, not your profile data or your last passwords.",
		ExcludesCommonlyUsed: true, ExcludesProfileData: true, NotSimilarToCurrent: true,
		HistoryCount: 6, HistoryRetentionDays: 365, MinLength: 8, MaxLength: 255,
		MaxRepeatedCharacters: 2, MinUniqueCharacters: 5,
	}
	phrase := store.PasswordPolicy{
		ID: BuiltinID(envID, Passphrase), Name: Passphrase, BuiltIn: true,
		Description:          "A long passphrase instead of a password.",
		ExcludesCommonlyUsed: true, ExcludesProfileData: true, NotSimilarToCurrent: true,
		HistoryCount: 6, HistoryRetentionDays: 365, MinLength: 30, MaxLength: 255,
	}
	basic := store.PasswordPolicy{
		ID: BuiltinID(envID, Basic), Name: Basic, BuiltIn: true,
		Description:          "Relaxed: not common, one of each character class, no expiry.",
		ExcludesCommonlyUsed: true, MinLength: 8, MaxLength: 255,
		MinCharacters: []store.CharacterRule{
			{Characters: Digits, Count: 1}, {Characters: Lowercase, Count: 1},
			{Characters: Uppercase, Count: 1}, {Characters: Special, Count: 1},
		},
	}
	out := []store.PasswordPolicy{std, phrase, basic}
	for i := range out {
		lockout(&out[i])
		out[i].CreatedAt, out[i].UpdatedAt = now, now
	}
	return out
}

// Policies returns the environment's policies: its own, or the built-ins
// while it has none stored.
func Policies(env *store.Environment) []store.PasswordPolicy {
	if len(env.PasswordPolicies) > 0 {
		return env.PasswordPolicies
	}
	return Builtins(env.ID, env.CreatedAt)
}

// Default returns the environment's default policy, the one every user
// answers to (there are no populations yet).
func Default(env *store.Environment) store.PasswordPolicy {
	ps := Policies(env)
	for _, p := range ps {
		if p.Default {
			return p
		}
	}
	return ps[0]
}

// LockoutRule is the policy's lockout as a ratelimit rule on the account's
// key: failureCount wrong passwords, then locked for durationSeconds. A
// policy without lockout still gets the server's own per-account limit:
// guessing is never free.
func LockoutRule(p store.PasswordPolicy) ratelimit.Rule {
	if p.LockoutFailureCount < 1 || p.LockoutDurationSeconds < 1 {
		return ratelimit.PasswordPerAccount()
	}
	return ratelimit.Rule{Name: "password-account", Max: p.LockoutFailureCount,
		Window: time.Duration(p.LockoutDurationSeconds) * time.Second}
}

// Status says where a user's password stands under p at now: OK,
// NO_PASSWORD, MUST_CHANGE_PASSWORD (an administrator asked for a change)
// or PASSWORD_EXPIRED (older than maxAgeDays). A password whose change
// time is unknown does not expire.
func Status(p store.PasswordPolicy, u *store.User, now time.Time) string {
	switch {
	case u.PasswordHash == "":
		return resource.PasswordNone
	case u.MustChangePassword:
		return resource.PasswordMustChange
	case Expired(p, u, now):
		return resource.PasswordExpired
	}
	return resource.PasswordOK
}

// Expired reports whether u's password is older than p's maximum age.
func Expired(p store.PasswordPolicy, u *store.User, now time.Time) bool {
	return p.MaxAgeDays > 0 && !u.PasswordChangedAt.IsZero() &&
		!now.Before(u.PasswordChangedAt.Add(days(p.MaxAgeDays)))
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Apply puts a new password hash on u: the current hash goes to the front
// of the history, which keeps as many as p's history count (entries past
// the retention are dropped), and the change time is now. A forced change
// (MustChangePassword) is done by any new password; an administrator's
// set passes forceChange to ask for one again.
func Apply(p store.PasswordPolicy, u *store.User, newHash string, forceChange bool, now time.Time) {
	hist := make([]store.PasswordHistoryEntry, 0, p.HistoryCount)
	if u.PasswordHash != "" && p.HistoryCount > 0 {
		hist = append(hist, store.PasswordHistoryEntry{Hash: u.PasswordHash, RetiredAt: now})
	}
	for _, h := range u.PasswordHistory {
		if len(hist) >= p.HistoryCount {
			break
		}
		if retained(p, h, now) {
			hist = append(hist, h)
		}
	}
	if len(hist) == 0 {
		hist = nil
	}
	u.PasswordHistory = hist
	u.PasswordHash, u.PasswordChangedAt, u.MustChangePassword = newHash, now, forceChange
}

func retained(p store.PasswordPolicy, h store.PasswordHistoryEntry, now time.Time) bool {
	return p.HistoryRetentionDays <= 0 || now.Before(h.RetiredAt.Add(days(p.HistoryRetentionDays)))
}

// Resource is the one mapping of a stored policy to the API's (without
// links, which depend on where it is shown).
func Resource(envID string, p store.PasswordPolicy) resource.PasswordPolicy {
	out := resource.PasswordPolicy{
		ID:          p.ID,
		Environment: resource.Ref{ID: envID},
		Name:        p.Name, Description: p.Description, Default: p.Default, BuiltIn: p.BuiltIn,
		ExcludesCommonlyUsed: p.ExcludesCommonlyUsed, ExcludesProfileData: p.ExcludesProfileData,
		NotSimilarToCurrent: p.NotSimilarToCurrent,
		Length:              resource.PasswordLength{Min: p.MinLength, Max: p.MaxLength},
		MinAgeDays:          p.MinAgeDays, MaxAgeDays: p.MaxAgeDays,
		MaxRepeatedCharacters: p.MaxRepeatedCharacters, MinUniqueCharacters: p.MinUniqueCharacters,
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
	}
	if p.HistoryCount > 0 {
		out.History = &resource.PasswordHistory{Count: p.HistoryCount, RetentionDays: p.HistoryRetentionDays}
	}
	if p.LockoutFailureCount > 0 {
		out.Lockout = &resource.PasswordLockout{FailureCount: p.LockoutFailureCount, DurationSeconds: p.LockoutDurationSeconds}
	}
	if len(p.MinCharacters) > 0 {
		out.MinCharacters = map[string]int{}
		for _, r := range p.MinCharacters {
			out.MinCharacters[r.Characters] = r.Count
		}
	}
	return out
}
