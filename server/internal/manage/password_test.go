package manage

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// sentMail records what the API sends.
type sentMail struct {
	mu   sync.Mutex
	msgs []notify.Message
}

func (m *sentMail) Send(_ context.Context, msg notify.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

func (m *sentMail) to(addr string) []notify.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []notify.Message
	for _, msg := range m.msgs {
		if msg.To == addr {
			out = append(out, msg)
		}
	}
	return out
}

const alicePassword = "an old and long password"

// withPassword gives alice a password and three sessions: her current
// one (the test principals' "sess-alice") and two others.
func (h *harness) withPassword(pw string) {
	h.t.Helper()
	ctx := h.t.Context()
	hash, err := h.hasher.Hash(ctx, pw)
	if err != nil {
		h.t.Fatal(err)
	}
	u := h.user(defaultEnv, aliceID)
	u.PasswordHash, u.PasswordChangedAt = hash, t0.Add(-48*time.Hour)
	if err := h.store.UpdateUser(ctx, u); err != nil {
		h.t.Fatal(err)
	}
	for _, sid := range []string{"sess-alice", "sess-alice-2", "sess-alice-3"} {
		if err := h.store.CreateSession(ctx, &store.Session{EnvironmentID: defaultEnv, ID: sid, UserID: aliceID,
			AMR: []string{"pwd"}, PasswordAt: t0, CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}); err != nil {
			h.t.Fatal(err)
		}
	}
}

func (h *harness) session(id string) *store.Session {
	h.t.Helper()
	s, err := h.store.GetSession(h.t.Context(), defaultEnv, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func (h *harness) verifies(pw string) bool {
	h.t.Helper()
	ok, err := h.hasher.Verify(h.t.Context(), pw, h.user(defaultEnv, aliceID).PasswordHash)
	if err != nil {
		h.t.Fatal(err)
	}
	return ok
}

func resetBody(current, next string) string {
	b, _ := json.Marshal(resource.PasswordReset{CurrentPassword: current, NewPassword: next})
	return string(b)
}

func alicePasswordURL() string { return paths.Build(paths.UserPassword, defaultEnv, aliceID) }

// TestPasswordAccess: who may read, change, set, validate and unlock a
// password, before the body matters.
func TestPasswordAccess(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	pw := func(env, id string) string { return paths.Build(paths.UserPassword, env, id) }
	d := defaultEnv
	reset := resetBody(alicePassword, "a brand new passphrase")
	set := `{"value":"a brand new passphrase"}`
	validate := `{"newPassword":"a brand new passphrase"}`
	tests := []struct {
		name, principal, method, path, ct, body string
		want                                    int
	}{
		{"no_token", "", http.MethodGet, pw(d, aliceID), "", "", http.StatusUnauthorized},
		{"self_reads_state", "alicePassword", http.MethodGet, pw(d, aliceID), "", "", http.StatusOK},
		{"self_reads_without_scope", "aliceNoScopes", http.MethodGet, pw(d, aliceID), "", "", http.StatusForbidden},
		{"other_user_state", "alicePassword", http.MethodGet, pw(d, bobID), "", "", http.StatusNotFound},
		{"other_environment_state", "carolPassword", http.MethodGet, pw(d, aliceID), "", "", http.StatusNotFound},
		{"self_under_other_environment", "alicePassword", http.MethodGet, pw(otherEnv, aliceID), "", "", http.StatusNotFound},
		{"reader_reads_state", "readOnly", http.MethodGet, pw(d, aliceID), "", "", http.StatusOK},

		{"reset_other_user", "alicePassword", http.MethodPut, pw(d, bobID), paths.ActionPasswordReset, reset, http.StatusNotFound},
		{"reset_other_environment", "carolPassword", http.MethodPut, pw(d, aliceID), paths.ActionPasswordReset, reset, http.StatusNotFound},
		{"reset_missing_scope", "alice", http.MethodPut, pw(d, aliceID), paths.ActionPasswordReset, reset, http.StatusForbidden},
		{"reset_reduced_scopes", "aliceReduced", http.MethodPut, pw(d, aliceID), paths.ActionPasswordReset, reset, http.StatusForbidden},
		{"reset_by_administrator", "idAdmin", http.MethodPut, pw(d, aliceID), paths.ActionPasswordReset, reset, http.StatusForbidden},
		{"reset_plain_json", "alicePassword", http.MethodPut, pw(d, aliceID), paths.JSON, reset, http.StatusUnsupportedMediaType},
		{"reset_unknown_action", "alicePassword", http.MethodPut, pw(d, aliceID), "application/vnd.pingidentity.password.recover+json", reset, http.StatusUnsupportedMediaType},

		{"set_by_self", "alicePassword", http.MethodPut, pw(d, aliceID), paths.ActionPasswordSet, set, http.StatusForbidden},
		{"set_by_read_only", "readOnly", http.MethodPut, pw(d, aliceID), paths.ActionPasswordSet, set, http.StatusForbidden},
		{"set_other_environment_admin", "envAdmin", http.MethodPut, pw(otherEnv, carolID), paths.ActionPasswordSet, set, http.StatusForbidden},
		{"set_user_of_other_environment", "star", http.MethodPut, pw(d, carolID), paths.ActionPasswordSet, set, http.StatusNotFound},

		{"validate_self", "aliceReduced", http.MethodPost, pw(d, aliceID), paths.ActionPasswordValidate, validate, http.StatusOK},
		{"validate_missing_scope", "alice", http.MethodPost, pw(d, aliceID), paths.ActionPasswordValidate, validate, http.StatusForbidden},
		{"validate_other_user", "alicePassword", http.MethodPost, pw(d, bobID), paths.ActionPasswordValidate, validate, http.StatusNotFound},
		{"validate_other_environment", "carolPassword", http.MethodPost, pw(d, aliceID), paths.ActionPasswordValidate, validate, http.StatusNotFound},
		{"unlock_by_self", "alicePassword", http.MethodPost, pw(d, aliceID), paths.ActionPasswordUnlock, `{}`, http.StatusForbidden},
		{"unlock_by_admin", "idAdmin", http.MethodPost, pw(d, aliceID), paths.ActionPasswordUnlock, `{}`, http.StatusOK},
		{"post_plain_json", "alicePassword", http.MethodPost, pw(d, aliceID), paths.JSON, validate, http.StatusUnsupportedMediaType},
	}
	before := snapshot(t, h.user(d, aliceID))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(tt.method, tt.path, tt.principal, tt.body, tt.ct)
			wantStatus(t, res, tt.want)
		})
	}
	if after := snapshot(t, h.user(d, aliceID)); after != before {
		t.Fatalf("refused requests changed alice:\n%s\n%s", before, after)
	}
}

// TestPasswordReset is a user's own change: the new password works, the
// old one goes to the history, every other session ends while the
// current one stays, and the account's address is told.
func TestPasswordReset(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	const next = "a brand new passphrase"
	res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", resetBody(alicePassword, next), paths.ActionPasswordReset)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var st resource.PasswordState
	res.decode(t, &st)
	if st.Status != resource.PasswordOK || st.LastChangedAt == nil || !st.LastChangedAt.Equal(t0) ||
		st.PasswordPolicy == nil || st.PasswordPolicy.Name != "Standard" {
		t.Fatalf("state %+v", st)
	}
	if !h.verifies(next) || h.verifies(alicePassword) {
		t.Fatal("the stored password is not the new one")
	}
	u := h.user(defaultEnv, aliceID)
	if len(u.PasswordHistory) != 1 || !u.PasswordChangedAt.Equal(t0) {
		t.Fatalf("history %+v, changed at %s", u.PasswordHistory, u.PasswordChangedAt)
	}
	if !h.session("sess-alice").RevokedAt.IsZero() {
		t.Error("the session that changed the password was ended")
	}
	for _, sid := range []string{"sess-alice-2", "sess-alice-3"} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Errorf("other session %s is still live", sid)
		}
	}
	msgs := h.mail.to("alice@example.com")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "password was changed") || strings.Contains(msgs[0].Text, next) {
		t.Fatalf("notification %+v", msgs)
	}
	ev := h.events(defaultEnv)
	if len(ev) == 0 || ev[0].Action != "PASSWORD_CHANGED" || ev[0].Details["sessionsEnded"] != "2" {
		t.Fatalf("audit %+v", ev)
	}
}

// TestPasswordResetRefusals: each refusal has its status, code and detail,
// and changes nothing; a password over the maximum never reaches the
// hasher.
func TestPasswordResetRefusals(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	huge := strings.Repeat("x", 100_000)
	tests := []struct {
		name      string
		body      string
		want      int
		detail    string
		hashFree  bool // the hasher must not run
		inMessage string
	}{
		{"too_long_before_hashing", resetBody(alicePassword, huge), 400, "newPassword:PASSWORD_TOO_LONG", true, "255"},
		{"operator_object", `{"currentPassword":{"$ne":""},"newPassword":"a brand new passphrase"}`, 400, "currentPassword:INVALID_VALUE", true, ""},
		{"operator_object_new", `{"currentPassword":"x","newPassword":{"$gt":""}}`, 400, "newPassword:INVALID_VALUE", true, ""},
		{"missing_fields", `{}`, 400, "currentPassword:REQUIRED_VALUE", true, ""},
		{"unknown_field", `{"currentPassword":"x","newPassword":"y","mustChangePassword":false}`, 400, "mustChangePassword:UNKNOWN_ATTRIBUTE", true, ""},
		{"not_json", `currentPassword=x`, 400, "", true, ""},
		{"wrong_current", resetBody("not my password!", "a brand new passphrase"), 400, "currentPassword:INVALID_CREDENTIALS", false, ""},
		{"common", resetBody(alicePassword, "iloveyou123"), 400, "newPassword:PASSWORD_COMMON", false, ""},
		{"profile_data", resetBody(alicePassword, "smith-family-2024!"), 400, "newPassword:PASSWORD_PROFILE_DATA", false, ""},
		{"email_in_password", resetBody(alicePassword, "alice@example.com"), 400, "newPassword:PASSWORD_PROFILE_DATA", false, ""},
		{"same_as_current", resetBody(alicePassword, alicePassword), 400, "newPassword:PASSWORD_SAME_AS_CURRENT", false, ""},
		{"similar", resetBody(alicePassword, alicePassword+"!"), 400, "newPassword:PASSWORD_SIMILAR", false, ""},
		{"too_short", resetBody(alicePassword, "k7#Vq9!"), 400, "newPassword:PASSWORD_TOO_SHORT", false, "8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.user(defaultEnv, aliceID))
			calls := h.hasher.Calls()
			res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", tt.body, paths.ActionPasswordReset)
			if res.status != tt.want || res.code(t) != "INVALID_DATA" {
				t.Fatalf("status %d code %q, want %d INVALID_DATA: %s", res.status, res.code(t), tt.want, res.body)
			}
			if tt.detail != "" {
				mustContain(t, res.targets(t), tt.detail)
			}
			if tt.inMessage != "" && !strings.Contains(string(res.body), tt.inMessage) {
				t.Errorf("the answer does not name %s: %s", tt.inMessage, res.body)
			}
			if tt.hashFree && h.hasher.Calls() != calls {
				t.Errorf("the hasher ran %d times", h.hasher.Calls()-calls)
			}
			if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
				t.Fatal("a refused change changed the user")
			}
			// Clear the wrong-password count between cases.
			if err := h.store.Reset(t.Context(), defaultEnv, ratelimit.AccountKey("alice")); err != nil {
				t.Fatal(err)
			}
		})
	}
	if h.session("sess-alice-2").RevokedAt.IsZero() == false {
		t.Fatal("a refused change ended sessions")
	}
}

// TestPasswordResetLockout: wrong current passwords count on the
// account's lockout (the policy's 5), then even the right one is refused
// with 429 until the lockout ends.
func TestPasswordResetLockout(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	const next = "a brand new passphrase"
	for i := 1; i <= 5; i++ {
		res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", resetBody("wrong guess number "+string(rune('0'+i)), next), paths.ActionPasswordReset)
		want := http.StatusBadRequest
		if i == 5 {
			want = http.StatusTooManyRequests
		}
		if res.status != want {
			t.Fatalf("attempt %d: status %d, want %d: %s", i, res.status, want, res.body)
		}
	}
	calls := h.hasher.Calls()
	res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", resetBody(alicePassword, next), paths.ActionPasswordReset)
	if res.status != http.StatusTooManyRequests || res.code(t) != "REQUEST_LIMITED" || res.header.Get("Retry-After") == "" {
		t.Fatalf("locked: status %d %s %q", res.status, res.body, res.header.Get("Retry-After"))
	}
	if h.hasher.Calls() != calls {
		t.Error("a locked account's password was still checked")
	}
	// The state shows the lockout; an administrator's unlock ends it.
	var st resource.PasswordState
	h.do(http.MethodGet, alicePasswordURL(), "alicePassword", "").decode(t, &st)
	if st.Status != resource.PasswordLockedOut || st.SecondsUntilUnlock < 1 {
		t.Fatalf("state while locked: %+v", st)
	}
	if res := h.do(http.MethodPost, alicePasswordURL(), "idAdmin", `{}`, paths.ActionPasswordUnlock); res.status != 200 {
		t.Fatalf("unlock: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", resetBody(alicePassword, next), paths.ActionPasswordReset); res.status != 200 {
		t.Fatalf("after unlock: %d %s", res.status, res.body)
	}
}

// TestPasswordHistoryReuse: a password changed away from cannot come
// back while the policy keeps it; an emoji password round-trips byte for
// byte.
func TestPasswordHistoryReuse(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	emoji := strings.Repeat("🔐🦊🐙🌵🚲🎻🍋🧭", 8) // 64 characters
	steps := []struct {
		name, current, next string
		want                int
		detail              string
	}{
		{"to_emoji", alicePassword, emoji, 200, ""},
		{"emoji_as_current", emoji, "a third long passphrase", 200, ""},
		{"back_to_first", "a third long passphrase", alicePassword, 400, "newPassword:PASSWORD_HISTORY"},
		{"back_to_emoji", "a third long passphrase", emoji, 400, "newPassword:PASSWORD_HISTORY"},
		{"something_new", "a third long passphrase", "a fourth long passphrase", 200, ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", resetBody(s.current, s.next), paths.ActionPasswordReset)
			if res.status != s.want {
				t.Fatalf("status %d, want %d: %s", res.status, s.want, res.body)
			}
			if s.detail != "" {
				mustContain(t, res.targets(t), s.detail)
			}
		})
	}
	if !h.verifies("a fourth long passphrase") {
		t.Fatal("final password not stored")
	}
}

// TestPasswordSet: an administrator's set follows the policy, can force a
// change, and ends every session of the user.
func TestPasswordSet(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	res := h.do(http.MethodPut, alicePasswordURL(), "idAdmin", `{"value":"password123"}`, paths.ActionPasswordSet)
	if res.status != 400 {
		t.Fatalf("common password set: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "value:PASSWORD_COMMON")
	res = h.do(http.MethodPut, alicePasswordURL(), "idAdmin", `{"value":"`+alicePassword+`"}`, paths.ActionPasswordSet)
	mustContain(t, res.targets(t), "value:PASSWORD_SAME_AS_CURRENT")

	res = h.do(http.MethodPut, alicePasswordURL(), "idAdmin", `{"value":"a temporary passphrase","forceChange":true}`, paths.ActionPasswordSet)
	if res.status != 200 {
		t.Fatalf("set: %d %s", res.status, res.body)
	}
	var st resource.PasswordState
	res.decode(t, &st)
	if st.Status != resource.PasswordMustChange || !h.verifies("a temporary passphrase") {
		t.Fatalf("state after set: %+v", st)
	}
	for _, sid := range []string{"sess-alice", "sess-alice-2", "sess-alice-3"} {
		if h.session(sid).RevokedAt.IsZero() {
			t.Errorf("session %s survived an administrator's set", sid)
		}
	}
	if msgs := h.mail.to("alice@example.com"); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "administrator") {
		t.Fatalf("notification %+v", msgs)
	}
}

// TestPasswordValidate: the rules for live feedback, with no hashing and
// no change.
func TestPasswordValidate(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	before := snapshot(t, h.user(defaultEnv, aliceID))
	calls := h.hasher.Calls()
	tests := []struct {
		name, body string
		want       int
		detail     string
	}{
		{"valid", `{"newPassword":"a brand new passphrase"}`, 200, ""},
		{"common", `{"newPassword":"iloveyou123"}`, 400, "newPassword:PASSWORD_COMMON"},
		{"similar_to_hint", `{"newPassword":"my old passphrase!","currentPassword":"my old passphrase"}`, 400, "newPassword:PASSWORD_SIMILAR"},
		{"too_long", `{"newPassword":"` + strings.Repeat("y", 100_000) + `"}`, 400, "newPassword:PASSWORD_TOO_LONG"},
		{"missing", `{}`, 400, "newPassword:REQUIRED_VALUE"},
		{"operator", `{"newPassword":{"$ne":""}}`, 400, "newPassword:INVALID_VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodPost, alicePasswordURL(), "aliceReduced", tt.body, paths.ActionPasswordValidate)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if tt.detail != "" {
				mustContain(t, res.targets(t), tt.detail)
			}
		})
	}
	if h.hasher.Calls() != calls {
		t.Error("validate ran the hasher")
	}
	if snapshot(t, h.user(defaultEnv, aliceID)) != before {
		t.Error("validate changed the user")
	}
}

// TestPasswordMinAgeAndExpiry: a policy's minimum age refuses an early
// change; past its maximum age the state says PASSWORD_EXPIRED, and then
// the minimum age no longer applies.
func TestPasswordMinAgeAndExpiry(t *testing.T) {
	h := newHarness(t)
	h.withPassword(alicePassword)
	std := policyByName(t, h, "Standard")
	body := `{"name":"Standard","default":true,"length":{"min":8,"max":255},"minAgeDays":3,"maxAgeDays":30,"excludesCommonlyUsed":true}`
	if res := h.do(http.MethodPut, paths.Build(paths.PasswordPolicy, defaultEnv, std.ID), "envAdmin", body); res.status != 200 {
		t.Fatalf("put policy: %d %s", res.status, res.body)
	}
	res := h.do(http.MethodPut, alicePasswordURL(), "alicePassword", resetBody(alicePassword, "a brand new passphrase"), paths.ActionPasswordReset)
	mustContain(t, res.targets(t), "newPassword:PASSWORD_MIN_AGE")
	h.now = t0.Add(30 * 24 * time.Hour)
	var st resource.PasswordState
	h.do(http.MethodGet, alicePasswordURL(), "alicePassword", "").decode(t, &st)
	if st.Status != resource.PasswordExpired {
		t.Fatalf("status %s, want PASSWORD_EXPIRED", st.Status)
	}
}

func policyByName(t *testing.T, h *harness, name string) resource.PasswordPolicy {
	t.Helper()
	var l resource.List[resource.PasswordPolicy]
	h.do(http.MethodGet, paths.Build(paths.PasswordPolicies, defaultEnv), "envAdmin", "").decode(t, &l)
	for _, p := range l.Embedded["passwordPolicies"] {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no policy %s in %+v", name, l)
	return resource.PasswordPolicy{}
}

// TestPasswordPolicies: the built-ins, creating, replacing and deleting,
// one default at all times, and the bounds.
func TestPasswordPolicies(t *testing.T) {
	h := newHarness(t)
	list := paths.Build(paths.PasswordPolicies, defaultEnv)
	var l resource.List[resource.PasswordPolicy]
	h.do(http.MethodGet, list, "readOnly", "").decode(t, &l)
	ps := l.Embedded["passwordPolicies"]
	if len(ps) != 3 || ps[0].Name != "Standard" || !ps[0].Default || !ps[0].BuiltIn || ps[0].Lockout == nil {
		t.Fatalf("built-ins: %+v", ps)
	}
	if res := h.do(http.MethodGet, list, "alice", ""); res.status != 403 {
		t.Fatalf("a user lists policies: %d", res.status)
	}
	if res := h.do(http.MethodPost, list, "idAdmin", `{"name":"x","length":{"min":8,"max":64}}`); res.status != 403 {
		t.Fatalf("an identity admin creates a policy: %d", res.status)
	}
	if res := h.do(http.MethodGet, paths.Build(paths.PasswordPolicy, otherEnv, ps[0].ID), "star", ""); res.status != 404 {
		t.Fatalf("a policy read under another environment: %d", res.status)
	}

	bad := []struct {
		name, body, detail string
	}{
		{"min_too_low", `{"name":"p","length":{"min":7,"max":64}}`, "length.min:INVALID_VALUE"},
		{"max_too_low", `{"name":"p","length":{"min":8,"max":63}}`, "length.max:INVALID_VALUE"},
		{"max_too_high", `{"name":"p","length":{"min":8,"max":256}}`, "length.max:INVALID_VALUE"},
		{"no_length", `{"name":"p"}`, "length:REQUIRED_VALUE"},
		{"taken_name", `{"name":"standard","length":{"min":8,"max":64}}`, "name:UNIQUENESS_VIOLATION"},
		{"built_in_claim", `{"name":"p","length":{"min":8,"max":64},"builtIn":true}`, "builtIn:READ_ONLY"},
		{"unknown", `{"name":"p","length":{"min":8,"max":64},"populations":[]}`, "populations:UNKNOWN_ATTRIBUTE"},
		{"operator", `{"name":{"$ne":""},"length":{"min":8,"max":64}}`, "name:INVALID_VALUE"},
		{"max_age_gap", `{"name":"p","length":{"min":8,"max":64},"minAgeDays":10,"maxAgeDays":20}`, "maxAgeDays:INVALID_VALUE"},
		{"history_count", `{"name":"p","length":{"min":8,"max":64},"history":{"count":21,"retentionDays":30}}`, "history.count:INVALID_VALUE"},
		{"classes_over_min", `{"name":"p","length":{"min":8,"max":64},"minCharacters":{"abc":5,"123":5}}`, "length.min:INVALID_VALUE"},
	}
	envBefore := snapshot(t, h.env(defaultEnv))
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodPost, list, "envAdmin", tt.body)
			if res.status != 400 {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			mustContain(t, res.targets(t), tt.detail)
		})
	}
	if snapshot(t, h.env(defaultEnv)) != envBefore {
		t.Fatal("refused creates changed the environment")
	}

	// A new default with character sets holding "." and "$".
	res := h.do(http.MethodPost, list, "envAdmin", `{"name":"Strict","default":true,"length":{"min":12,"max":128},
		"excludesCommonlyUsed":true,"history":{"count":3,"retentionDays":90},"lockout":{"failureCount":3,"durationSeconds":600},
		"minCharacters":{"~!@#$%^&*()-_=+[]{}|;:,.<>/?":1,"0123456789":1}}`)
	if res.status != 201 || res.header.Get("Location") == "" {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var strict resource.PasswordPolicy
	res.decode(t, &strict)
	if !strict.Default || strict.MinCharacters["~!@#$%^&*()-_=+[]{}|;:,.<>/?"] != 1 || strict.History.Count != 3 {
		t.Fatalf("created %+v", strict)
	}
	h.do(http.MethodGet, list, "envAdmin", "").decode(t, &l)
	defaults := 0
	for _, p := range l.Embedded["passwordPolicies"] {
		if p.Default {
			defaults++
		}
	}
	if len(l.Embedded["passwordPolicies"]) != 4 || defaults != 1 {
		t.Fatalf("after create: %d policies, %d defaults", len(l.Embedded["passwordPolicies"]), defaults)
	}

	// The default cannot be deleted or switched off; a built-in cannot be deleted.
	one := func(id string) string { return paths.Build(paths.PasswordPolicy, defaultEnv, id) }
	if res := h.do(http.MethodDelete, one(strict.ID), "envAdmin", ""); res.status != 400 {
		t.Fatalf("delete default: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodDelete, one(ps[2].ID), "envAdmin", ""); res.status != 400 {
		t.Fatalf("delete built-in: %d %s", res.status, res.body)
	}
	res = h.do(http.MethodPut, one(strict.ID), "envAdmin", `{"name":"Strict","default":false,"length":{"min":12,"max":128}}`)
	mustContain(t, res.targets(t), "default:INVALID_VALUE")

	// Echoing read-only attributes is accepted; Standard becomes the
	// default again; then Strict can go.
	std := ps[0]
	std.Default = true
	std.Length.Min = 10
	raw, _ := json.Marshal(std)
	res = h.do(http.MethodPut, one(std.ID), "envAdmin", string(raw))
	if res.status != 200 {
		t.Fatalf("put echo: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodDelete, one(strict.ID), "envAdmin", ""); res.status != 204 {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := h.do(http.MethodGet, one(strict.ID), "envAdmin", ""); res.status != 404 {
		t.Fatalf("deleted policy read: %d", res.status)
	}
	if got := policyByName(t, h, "Standard"); !got.Default || got.Length.Min != 10 {
		t.Fatalf("Standard after put: %+v", got)
	}
}
