package manage

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestCreateUser(t *testing.T) {
	h := newHarness(t)
	users := paths.Build(paths.Users, defaultEnv)
	body := `{"username":"Dave.Jones","email":"dave@example.com","name":{"given":"Dave","family":"Jones"},` +
		`"password":{"value":"correct horse battery staple"}}`
	res := h.do(http.MethodPost, users, "idAdmin", body)
	if res.status != http.StatusCreated {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var u resource.User
	res.decode(t, &u)
	if u.Username != "dave.jones" || u.Email != "dave@example.com" || u.Name == nil || u.Name.Given != "Dave" ||
		!u.Enabled || u.Environment.ID != defaultEnv || u.Account.Status != resource.AccountOK || u.ID == "" {
		t.Fatalf("created user %+v", u)
	}
	self := publicURL + paths.Build(paths.User, defaultEnv, u.ID)
	if got := res.header.Get("Location"); got != self || u.Links["self"].Href != self {
		t.Fatalf("Location %q, self %q, want %q", got, u.Links["self"].Href, self)
	}
	if strings.Contains(string(res.body), "password") || strings.Contains(string(res.body), "argon2") {
		t.Fatalf("response mentions the password: %s", res.body)
	}
	stored := h.user(defaultEnv, u.ID)
	if ok, err := h.hasher.Verify(t.Context(), "correct horse battery staple", stored.PasswordHash); err != nil || !ok {
		t.Fatalf("stored hash does not verify the password: %v", err)
	}
	if !strings.HasPrefix(stored.PasswordHash, "$argon2id$") || stored.PasswordChangedAt.IsZero() {
		t.Fatalf("stored hash %q, changed at %v", stored.PasswordHash, stored.PasswordChangedAt)
	}
	// The same user through GET, as the owner's administrator sees it.
	var got resource.User
	h.do(http.MethodGet, paths.Build(paths.User, defaultEnv, u.ID), "readOnly", "").decode(t, &got)
	if snapshot(t, got) != snapshot(t, u) {
		t.Fatalf("GET differs from the create response:\n%s\n%s", snapshot(t, got), snapshot(t, u))
	}
	// The audit trail names the administrator and holds no secret.
	var created *store.Event
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionUserCreated && e.UserID == u.ID {
			created = &e
		}
		if strings.Contains(snapshot(t, e), "correct horse") || strings.Contains(snapshot(t, e), "argon2") {
			t.Fatalf("event holds the password: %+v", e)
		}
	}
	if created == nil || created.ActorType != audit.ActorUser || created.ActorID != principals["idAdmin"].Subject ||
		created.Details["actorEnvironmentId"] != adminEnv {
		t.Fatalf("USER_CREATED event %+v", created)
	}
}

// TestCreateUserRefused sends bad bodies: each is refused and nothing is
// created.
func TestCreateUserRefused(t *testing.T) {
	h := newHarness(t)
	users := paths.Build(paths.Users, defaultEnv)
	tests := []struct {
		name        string
		body        string
		contentType string
		status      int
		want        []string // target:code of the details
	}{
		{"operator_in_username", `{"username":{"$ne":""},"email":"x@example.com"}`, "", 400, []string{"username:INVALID_VALUE"}},
		{"operator_in_email", `{"username":"x","email":{"$gt":""}}`, "", 400, []string{"email:INVALID_VALUE"}},
		{"operator_in_password", `{"username":"x","email":"x@example.com","password":{"value":{"$ne":null}}}`, "", 400, []string{"password.value:INVALID_VALUE"}},
		{"unknown_field", `{"username":"x","email":"x@example.com","isAdmin":true}`, "", 400, []string{"isAdmin:UNKNOWN_ATTRIBUTE"}},
		{"read_only_field", `{"username":"x","email":"x@example.com","id":"` + missingID + `"}`, "", 400, []string{"id:UNKNOWN_ATTRIBUTE"}},
		{"duplicate_username", `{"username":"ALICE","email":"a2@example.com","password":{"value":"a long enough passphrase"}}`, "", 400, []string{"username:UNIQUENESS_VIOLATION"}},
		// The environment's password policy holds for administrators too.
		{"short_password", `{"username":"x","email":"x@example.com","password":{"value":"Xk3!"}}`, "", 400, []string{"password.value:PASSWORD_TOO_SHORT", "password.value:PASSWORD_UNIQUE_CHARACTERS"}},
		{"common_password", `{"username":"x","email":"x@example.com","password":{"value":"password123"}}`, "", 400, []string{"password.value:PASSWORD_COMMON"}},
		{"profile_data_password", `{"username":"zebediah","email":"z@example.com","password":{"value":"zebediah-rules-1"}}`, "", 400, []string{"password.value:PASSWORD_PROFILE_DATA"}},
		{"missing_username_and_email", `{"name":{"given":"X"}}`, "", 400, []string{"username:INVALID_VALUE", "email:INVALID_VALUE"}},
		{"bad_email", `{"username":"x","email":"Eve <eve@example.com>"}`, "", 400, []string{"email:INVALID_VALUE"}},
		{"space_in_username", `{"username":"a b","email":"x@example.com"}`, "", 400, []string{"username:INVALID_VALUE"}},
		{"control_in_name", `{"username":"x","email":"x@example.com","name":{"family":"a\u0000b"}}`, "", 400, []string{"name.family:INVALID_VALUE"}},
		{"empty_password", `{"username":"x","email":"x@example.com","password":{"value":""}}`, "", 400, []string{"password.value:INVALID_VALUE"}},
		{"long_password", `{"username":"x","email":"x@example.com","password":{"value":"` + strings.Repeat("a", 2000) + `"}}`, "", 400, []string{"password.value:INVALID_VALUE"}},
		{"two_values", `{"username":"x","email":"x@example.com"}{}`, "", 400, nil},
		{"not_json", `username=x`, "", 400, nil},
		{"form_content_type", `{"username":"x","email":"x@example.com"}`, "application/x-www-form-urlencoded", 415, nil},
	}
	before := h.userCount(defaultEnv)
	calls := h.hasher.Calls()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			var ct []string
			if tt.contentType != "" {
				ct = append(ct, tt.contentType)
			}
			res := h.do(http.MethodPost, users, "star", tt.body, ct...)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.want != nil {
				if got := res.targets(t); !slices.Equal(got, tt.want) {
					t.Fatalf("details %v, want %v", got, tt.want)
				}
			}
			if n := h.userCount(defaultEnv); n != before {
				t.Fatalf("%d users, want %d: something was created", n, before)
			}
		})
	}
	// A taken username and a password against the policy are found
	// before the password is hashed.
	if got := h.hasher.Calls(); got != calls {
		t.Errorf("hasher ran %d times for refused requests", got-calls)
	}
}

func TestCreateUserWithoutPasswordOrName(t *testing.T) {
	h := newHarness(t)
	res := h.do(http.MethodPost, paths.Build(paths.Users, defaultEnv), "worker", `{"username":"eve","email":"eve@example.com","enabled":false}`)
	if res.status != http.StatusCreated {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	m := res.json(t)
	if _, ok := m["name"]; ok || m["enabled"] != false {
		t.Fatalf("user %v", m)
	}
	var u resource.User
	res.decode(t, &u)
	if h.user(defaultEnv, u.ID).PasswordHash != "" {
		t.Fatal("a password hash was stored for a user created without a password")
	}
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionUserCreated && e.UserID == u.ID && e.ActorType != audit.ActorApplication {
			t.Fatalf("worker's event actor %q", e.ActorType)
		}
	}
}

func TestPatchUser(t *testing.T) {
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, u *store.User)
	}{
		{"email", `{"email":"alice@new.example.com"}`, func(t *testing.T, u *store.User) {
			if u.Email != "alice@new.example.com" || u.EmailVerified {
				t.Fatalf("email %q verified %v", u.Email, u.EmailVerified)
			}
		}},
		{"name_merge", `{"name":{"middle":"Q","family":null}}`, func(t *testing.T, u *store.User) {
			if u.GivenName != "Alice" || u.MiddleName != "Q" || u.FamilyName != "" {
				t.Fatalf("name %q %q %q", u.GivenName, u.MiddleName, u.FamilyName)
			}
		}},
		{"name_null", `{"name":null}`, func(t *testing.T, u *store.User) {
			if u.GivenName != "" || u.FamilyName != "" {
				t.Fatalf("name not cleared: %q %q", u.GivenName, u.FamilyName)
			}
		}},
		{"disable", `{"enabled":false}`, func(t *testing.T, u *store.User) {
			if u.Enabled {
				t.Fatal("still enabled")
			}
		}},
		{"read_only_equal_values", `{"id":"` + aliceID + `","username":"alice","emailVerified":false,"mfaEnabled":true,` +
			`"createdAt":"2025-03-01T13:00:00+01:00","account":{"status":"OK"},"environment":{"id":"` + defaultEnv + `"},"enabled":false}`,
			func(t *testing.T, u *store.User) {
				if u.Enabled || u.Username != "alice" {
					t.Fatalf("enabled %v username %q", u.Enabled, u.Username)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			res := h.do(http.MethodPatch, alice, "idAdmin", tt.body)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			u := h.user(defaultEnv, aliceID)
			tt.check(t, u)
			var got resource.User
			res.decode(t, &got)
			if snapshot(t, got) != snapshot(t, (&API{d: Deps{PublicURL: publicURL}}).userResource(u)) {
				t.Fatalf("response is not the stored user: %s", res.body)
			}
			var ev *store.Event
			for _, e := range h.events(defaultEnv) {
				if e.Action == audit.ActionUserUpdated {
					ev = &e
				}
			}
			if ev == nil || ev.UserID != aliceID || ev.Details["fields"] == "" {
				t.Fatalf("USER_UPDATED event %+v", ev)
			}
		})
	}
}

// TestPatchUserRefused: any refused field refuses the whole patch and the
// record stays as it was.
func TestPatchUserRefused(t *testing.T) {
	h := newHarness(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	tests := []struct {
		name   string
		body   string
		status int
		want   []string
	}{
		{"operator_in_email", `{"email":{"$ne":""}}`, 400, []string{"email:INVALID_VALUE"}},
		{"bad_email", `{"email":"not an address"}`, 400, []string{"email:INVALID_VALUE"}},
		{"null_email", `{"email":null}`, 400, []string{"email:INVALID_VALUE"}},
		{"id", `{"id":"` + missingID + `"}`, 400, []string{"id:READ_ONLY"}},
		{"username", `{"username":"mallory"}`, 400, []string{"username:READ_ONLY"}},
		{"email_verified", `{"emailVerified":true}`, 400, []string{"emailVerified:READ_ONLY"}},
		{"mfa_enabled", `{"mfaEnabled":false}`, 400, []string{"mfaEnabled:READ_ONLY"}},
		{"created_at", `{"createdAt":"2020-01-01T00:00:00Z"}`, 400, []string{"createdAt:READ_ONLY"}},
		{"account", `{"account":{"status":"LOCKED"}}`, 400, []string{"account:READ_ONLY"}},
		{"roles", `{"roles":[{"role":"Environment Admin","environmentId":"*"}]}`, 400, []string{"roles:READ_ONLY"}},
		{"unknown", `{"isAdmin":true}`, 400, []string{"isAdmin:UNKNOWN_ATTRIBUTE"}},
		{"unknown_name_part", `{"name":{"nick":"Al"}}`, 400, []string{"name.nick:UNKNOWN_ATTRIBUTE"}},
		{"enabled_string", `{"enabled":"false"}`, 400, []string{"enabled:INVALID_VALUE"}},
		{"name_not_object", `{"name":"Alice"}`, 400, []string{"name:INVALID_VALUE"}},
		// A good field beside bad ones is not saved either.
		{"good_and_bad", `{"email":"ok@example.com","name":{"given":{"$ne":""}},"passwordHash":"x","emailVerified":true}`, 400,
			[]string{"email", "name.given:INVALID_VALUE", "emailVerified:READ_ONLY", "passwordHash:UNKNOWN_ATTRIBUTE"}},
		{"array_body", `[{"email":"ok@example.com"}]`, 400, nil},
		{"no_body_no_content_type", ``, 415, nil},
	}
	before := snapshot(t, h.user(defaultEnv, aliceID))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodPatch, alice, "star", tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.want != nil {
				got := res.targets(t)
				if tt.want[0] == "email" { // a good field: no detail
					if slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "email:") }) {
						t.Fatalf("details %v name the good field", got)
					}
					mustContain(t, got, tt.want[1:]...)
					if len(got) != len(tt.want)-1 {
						t.Fatalf("details %v, want %v", got, tt.want[1:])
					}
				} else if !slices.Equal(got, tt.want) {
					t.Fatalf("details %v, want %v", got, tt.want)
				}
			}
			if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
				t.Fatalf("user changed:\n%s\n%s", before, after)
			}
		})
	}
}

// TestPatchUserRoundTrip: what GET returns, edited and sent back, is
// accepted.
func TestPatchUserRoundTrip(t *testing.T) {
	h := newHarness(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	m := h.do(http.MethodGet, alice, "star", "").json(t)
	m["email"] = "alice@round.example.com"
	b, _ := json.Marshal(m)
	res := h.do(http.MethodPatch, alice, "star", string(b))
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if got := h.user(defaultEnv, aliceID).Email; got != "alice@round.example.com" {
		t.Fatalf("email %q", got)
	}
}

// TestPatchUserRetriesConflict: another writer changes the user between the
// handler's read and its write; the handler reads again and both changes
// survive. A writer that always wins ends in a 409 with nothing of the
// patch saved.
func TestPatchUserRetriesConflict(t *testing.T) {
	h := newHarness(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	rename := func(name string) {
		u := h.user(defaultEnv, aliceID)
		u.GivenName = name
		if err := h.store.Store.UpdateUser(t.Context(), u); err != nil {
			t.Fatalf("concurrent update: %v", err)
		}
	}
	h.store.beforeUpdateUser = func(*store.User) {
		h.store.beforeUpdateUser = nil
		rename("Alicia")
	}
	res := h.do(http.MethodPatch, alice, "star", `{"email":"alice@race.example.com"}`)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if u := h.user(defaultEnv, aliceID); u.Email != "alice@race.example.com" || u.GivenName != "Alicia" {
		t.Fatalf("after the race: email %q, given name %q", u.Email, u.GivenName)
	}

	n := 0
	h.store.beforeUpdateUser = func(*store.User) { n++; rename("Again") }
	res = h.do(http.MethodPatch, alice, "star", `{"email":"alice@lost.example.com"}`)
	h.store.beforeUpdateUser = nil
	if res.status != http.StatusConflict || res.code(t) != "CONFLICT" {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if n != maxAttempts {
		t.Fatalf("%d attempts, want %d", n, maxAttempts)
	}
	if u := h.user(defaultEnv, aliceID); u.Email != "alice@race.example.com" {
		t.Fatalf("email %q saved despite the conflict", u.Email)
	}
}
