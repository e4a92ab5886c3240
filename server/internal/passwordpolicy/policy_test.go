package passwordpolicy

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

const envID = "00000000-0000-4000-8000-00000000000d"

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func builtin(t *testing.T, name string) store.PasswordPolicy {
	t.Helper()
	for _, p := range Builtins(envID, t0) {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no built-in %s", name)
	return store.PasswordPolicy{}
}

func codes(ds []apierr.Detail) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestCommonList(t *testing.T) {
	l := Common()
	if l.Len() < 100_000 {
		t.Fatalf("the bundled list has %d entries, want at least 100,000", l.Len())
	}
	for _, s := range []string{"password", "12345678", "qwertyuiop", "iloveyou", "trustno1"} {
		if !l.Contains(s) {
			t.Errorf("%q is not on the list", s)
		}
	}
	for _, s := range []string{"correct horse battery staple", "t7#Vq9!zLr2@Wm", "Password"} {
		if l.Contains(s) {
			t.Errorf("%q is on the list (lookups take the normalised, lower-case form)", s)
		}
	}
}

func TestCheck(t *testing.T) {
	std := builtin(t, Standard)
	basic := builtin(t, Basic)
	phrase := builtin(t, Passphrase)
	emoji64 := strings.Repeat("🔐🦊🐙🌵🚲🎻🍋🧭", 8) // 64 characters, 256 bytes
	// "é" as e + COMBINING ACUTE ACCENT: two code points, one character.
	decomposed := strings.Repeat("e\u0301", 8)
	noClasses := std
	noClasses.ExcludesProfileData = false
	ctx := Context{Username: "alice", Profile: []string{"alice.smith@example.com", "Alice", "Smith"}, Now: t0}
	tests := []struct {
		name      string
		policy    store.PasswordPolicy
		candidate string
		ctx       Context
		want      []string
	}{
		{"good_passphrase", std, "correct horse battery staple", ctx, nil},
		{"too_short", std, "k7#Vq9!", ctx, []string{apierr.DetailPasswordTooShort}},
		{"too_long_only_that", std, strings.Repeat("password", 40), ctx, []string{apierr.DetailPasswordTooLong}},
		{"huge_too_long", std, strings.Repeat("a", 100_000), ctx, []string{apierr.DetailPasswordTooLong}},
		{"common", std, "iloveyou123", ctx, []string{apierr.DetailPasswordCommon}},
		{"common_any_case", std, "PassWord123", ctx, []string{apierr.DetailPasswordCommon}},
		{"common_in_basic_too", basic, "Password1", ctx, []string{apierr.DetailPasswordCommon, apierr.DetailPasswordCharacters}},
		{"username_inside", std, "my-alice-secret-9", ctx, []string{apierr.DetailPasswordProfileData}},
		{"family_name_any_case", std, "xxSMITHxx-2024", ctx, []string{apierr.DetailPasswordProfileData}},
		{"email_local_part", std, "alice.smith&friends", ctx, []string{apierr.DetailPasswordProfileData}},
		{"profile_off", noClasses, "my-alice-secret-9", ctx, nil},
		{"profile_nfc", std, "my-jose\u0301-secret", Context{Username: "jos\u00e9", Now: t0}, []string{apierr.DetailPasswordProfileData}},
		{"repeated", std, "goood-appple-pie", ctx, []string{apierr.DetailPasswordRepeated}},
		{"two_repeats_ok", std, "good-apple-pie!", ctx, nil},
		{"few_unique", std, "abcabcabcab", ctx, []string{apierr.DetailPasswordUniqueChars}},
		{"basic_classes", basic, "all lower case words", ctx, []string{apierr.DetailPasswordCharacters, apierr.DetailPasswordCharacters, apierr.DetailPasswordCharacters}},
		{"basic_classes_met", basic, "Seven pigs fly: 7!", ctx, nil},
		{"passphrase_short", phrase, "correct horse battery", ctx, []string{apierr.DetailPasswordTooShort}},
		{"emoji_64_ok", std, emoji64, ctx, nil},
		{"emoji_counts_characters", std, "🔐🦊🐙🌵🚲🎻🍋", ctx, []string{apierr.DetailPasswordTooShort}},
		{"nfc_counts_characters", noClasses, decomposed, ctx, []string{apierr.DetailPasswordRepeated, apierr.DetailPasswordUniqueChars}},
		{"nfc_long_enough", store.PasswordPolicy{MinLength: 8, MaxLength: 64}, decomposed, ctx, nil},
		{"nfc_too_long_after_composing", store.PasswordPolicy{MinLength: 8, MaxLength: 64}, strings.Repeat("e\u0301", 65), ctx, []string{apierr.DetailPasswordTooLong}},
		{"control_character", std, "correct horse\x00battery", ctx, []string{apierr.DetailPasswordInvalidContent}},
		{"invalid_utf8", std, "correct horse \xff battery", ctx, []string{apierr.DetailPasswordInvalidContent}},
		{"same_as_current", std, "correct horse battery staple", Context{Current: "correct horse battery staple", Now: t0}, []string{apierr.DetailPasswordSameAsCurrent}},
		{"same_as_current_nfc", store.PasswordPolicy{MinLength: 8, MaxLength: 64}, "caf\u00e9-caf\u00e9-42", Context{Current: "cafe\u0301-cafe\u0301-42", Now: t0}, []string{apierr.DetailPasswordSameAsCurrent}},
		{"kitten_smitten_similar", store.PasswordPolicy{MinLength: 6, MaxLength: 64, NotSimilarToCurrent: true}, "smitten", Context{Current: "kitten", Now: t0}, []string{apierr.DetailPasswordSimilar}},
		{"distance_three_ok", store.PasswordPolicy{MinLength: 6, MaxLength: 64, NotSimilarToCurrent: true}, "kitten", Context{Current: "sitting", Now: t0}, nil},
		{"similarity_off", basic, "Seven pigs fly: 8!", Context{Current: "Seven pigs fly: 7!", Now: t0}, nil},
		{"min_age", store.PasswordPolicy{MinLength: 8, MaxLength: 64, MinAgeDays: 1}, "correct horse battery staple",
			Context{MinAge: true, ChangedAt: t0.Add(-time.Hour), Now: t0}, []string{apierr.DetailPasswordMinAge}},
		{"min_age_passed", store.PasswordPolicy{MinLength: 8, MaxLength: 64, MinAgeDays: 1}, "correct horse battery staple",
			Context{MinAge: true, ChangedAt: t0.Add(-25 * time.Hour), Now: t0}, nil},
		{"min_age_not_for_forced_change", store.PasswordPolicy{MinLength: 8, MaxLength: 64, MinAgeDays: 1}, "correct horse battery staple",
			Context{ChangedAt: t0.Add(-time.Hour), Now: t0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.policy, tt.candidate, tt.ctx)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(codes(got), want) {
				t.Fatalf("codes %v, want %v (%+v)", codes(got), want, got)
			}
			for _, d := range got {
				if d.Target != "newPassword" || d.Message == "" {
					t.Errorf("detail without target or message: %+v", d)
				}
			}
		})
	}
}

func TestTooLongNamesTheMaximum(t *testing.T) {
	p := builtin(t, Standard)
	p.MaxLength = 64
	got := Check(p, strings.Repeat("x", 100_000), Context{Target: "value"})
	if len(got) != 1 || got[0].Target != "value" || got[0].InnerError["maxLength"] != 64 ||
		!strings.Contains(got[0].Message, "64") {
		t.Fatalf("got %+v", got)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"equal", "kitten", "kitten", 0},
		{"kitten_smitten", "kitten", "smitten", 2},
		{"kitten_sitting", "kitten", "sitting", 3},
		{"capped", "abc", "xyzxyzxyz", 3},
		{"runes_not_bytes", "🔐🔐🔐", "🔐🦊🔐", 1},
		{"empty", "", "ab", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := distance([]rune(tt.a), []rune(tt.b), 3); got != tt.want {
				t.Fatalf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func cheapHasher() *password.Hasher {
	return password.New(password.Config{Params: password.Params{Memory: 64, Time: 1, Threads: 1}})
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	h := cheapHasher()
	p := builtin(t, Standard) // 6 kept for 365 days
	p.HistoryCount = 2
	u := &store.User{}
	hash := func(pw string) string {
		s, err := h.Hash(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := t0
	for _, pw := range []string{"first password 1", "second password 2", "third password 3", "fourth password 4"} {
		Apply(p, u, hash(pw), false, now)
		now = now.Add(time.Hour)
	}
	if len(u.PasswordHistory) != 2 {
		t.Fatalf("history keeps %d, want the policy's 2", len(u.PasswordHistory))
	}
	tests := []struct {
		name        string
		candidate   string
		withCurrent bool
		at          time.Time
		want        string
	}{
		{"current", "fourth password 4", true, now, apierr.DetailPasswordSameAsCurrent},
		{"current_not_asked", "fourth password 4", false, now, ""},
		{"last_one", "third password 3", true, now, apierr.DetailPasswordHistory},
		{"second_last", "second password 2", true, now, apierr.DetailPasswordHistory},
		{"beyond_count", "first password 1", true, now, ""},
		{"new", "fifth password 5", true, now, ""},
		{"past_retention", "third password 3", true, now.Add(366 * 24 * time.Hour), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckHistory(ctx, h, p, tt.candidate, u, tt.withCurrent, "", tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if c := strings.Join(codes(got), ","); c != tt.want {
				t.Fatalf("codes %q, want %q", c, tt.want)
			}
		})
	}
	// History off: nothing is kept.
	off := p
	off.HistoryCount = 0
	Apply(off, u, hash("sixth password 6"), true, now)
	if u.PasswordHistory != nil || !u.MustChangePassword || !u.PasswordChangedAt.Equal(now) {
		t.Fatalf("after a set with history off: %+v", u)
	}
}

func TestEmojiPasswordHashesByteExact(t *testing.T) {
	ctx := context.Background()
	h := cheapHasher()
	pw := strings.Repeat("🔐🦊🐙🌵🚲🎻🍋🧭", 8)
	if d := Check(builtin(t, Standard), pw, Context{}); len(d) != 0 {
		t.Fatalf("64 emoji refused: %+v", d)
	}
	hash, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		try  string
		want bool
	}{
		{"same", pw, true},
		{"one_emoji_less", pw[:len(pw)-4], false},
		{"one_byte_changed", pw[:len(pw)-1] + "\xbb", false},
	} {
		ok, err := h.Verify(ctx, tt.try, hash)
		if err != nil || ok != tt.want {
			t.Errorf("%s: verify = %v, %v; want %v", tt.name, ok, err, tt.want)
		}
	}
}

func TestStatus(t *testing.T) {
	p := builtin(t, Standard)
	p.MaxAgeDays = 90
	tests := []struct {
		name string
		u    store.User
		want string
	}{
		{"ok", store.User{PasswordHash: "h", PasswordChangedAt: t0.Add(-24 * time.Hour)}, resource.PasswordOK},
		{"none", store.User{}, resource.PasswordNone},
		{"must_change", store.User{PasswordHash: "h", MustChangePassword: true, PasswordChangedAt: t0}, resource.PasswordMustChange},
		{"expired", store.User{PasswordHash: "h", PasswordChangedAt: t0.Add(-90 * 24 * time.Hour)}, resource.PasswordExpired},
		{"unknown_age_never_expires", store.User{PasswordHash: "h"}, resource.PasswordOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Status(p, &tt.u, t0); got != tt.want {
				t.Fatalf("status %s, want %s", got, tt.want)
			}
		})
	}
}

func TestBuiltins(t *testing.T) {
	ps := Builtins(envID, t0)
	if len(ps) != 3 || ps[0].Name != Standard || !ps[0].Default || ps[1].Default || ps[2].Default {
		t.Fatalf("built-ins: %+v", ps)
	}
	if len(ps[0].MinCharacters) != 0 || ps[0].MaxAgeDays != 0 {
		t.Errorf("Standard has composition or expiry rules, which NIST 800-63B advises against: %+v", ps[0])
	}
	if again := Builtins(envID, t0); again[0].ID != ps[0].ID || ps[0].ID == ps[1].ID {
		t.Errorf("built-in ids are not stable and distinct: %s %s %s", ps[0].ID, again[0].ID, ps[1].ID)
	}
	if other := BuiltinID("00000000-0000-4000-8000-00000000000e", Standard); other == ps[0].ID {
		t.Error("two environments share a built-in policy id")
	}
	env := &store.Environment{ID: envID}
	if Default(env).Name != Standard {
		t.Errorf("default of an environment without policies: %s", Default(env).Name)
	}
	if r := LockoutRule(ps[0]); r.Max != 5 || r.Window != 15*time.Minute {
		t.Errorf("lockout rule %+v", r)
	}
	if r := LockoutRule(store.PasswordPolicy{}); r.Max < 1 {
		t.Errorf("a policy without lockout gets no limit: %+v", r)
	}
}
