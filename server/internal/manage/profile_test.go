package manage

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// Alice with the profile scopes: "aliceEditor" in a password-only session,
// "aliceMFA" right after an MFA.
func addProfilePrincipals(t *testing.T) {
	t.Helper()
	sc := scope.Set{scope.OpenID, scope.ReadUser, scope.UpdateUser}
	principals["aliceEditor"] = &authn.Principal{EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice", Scopes: sc,
		Session: &store.Session{ID: "sess-alice", UserID: aliceID, PasswordAt: t0}}
	principals["aliceMFA"] = &authn.Principal{EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice", Scopes: sc,
		Session: &store.Session{ID: "sess-alice", UserID: aliceID, PasswordAt: t0, MFAAt: t0}}
	t.Cleanup(func() { delete(principals, "aliceEditor"); delete(principals, "aliceMFA") })
}

// doWith is do with extra request headers.
func (h *harness) doWith(method, path, principal, body string, header map[string]string) response {
	h.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", paths.JSON)
	}
	req.Header.Set("X-Test-Principal", principal)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := h.app.Test(req, -1)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: []byte(b.String())}
}

// setProfileAttributes sets the Default environment's profileAttributes.
func (h *harness) setProfileAttributes(m map[string]string) {
	h.t.Helper()
	e := h.env(defaultEnv)
	e.SelfService.ProfileAttributes = m
	if err := h.store.Store.UpdateEnvironment(h.t.Context(), e); err != nil {
		h.t.Fatal(err)
	}
}

const fullProfile = `{
	"name": {"given": "Alice", "middle": "Q", "family": "Smith", "formatted": "Dr. Alice Q. Smith",
		"honorificPrefix": "Dr.", "honorificSuffix": "PhD"},
	"nickname": "Ally", "title": "Engineer",
	"primaryPhone": "+33 1 42 68 53 00", "mobilePhone": "+33 6 12 34 56 78",
	"address": {"streetAddress": "8 rue de Londres\nBât. B", "locality": "Paris", "region": "Île-de-France",
		"postalCode": "75009", "countryCode": "FR"},
	"locale": "fr-fr", "preferredLanguage": "fr-FR, en;q=0.5", "timezone": "Europe/Paris",
	"photo": {"href": "https://cdn.example.com/alice.png"}
}`

// TestProfileAdminRoundTrip: an administrator writes every attribute,
// phones and locale come back normalised, and GET shows what PATCH
// answered.
func TestProfileAdminRoundTrip(t *testing.T) {
	h := newHarness(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	res := h.do(http.MethodPatch, alice, "idAdmin", fullProfile)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var u resource.User
	res.decode(t, &u)
	if u.Name == nil || u.Name.HonorificPrefix != "Dr." || u.Name.HonorificSuffix != "PhD" || u.Name.Middle != "Q" ||
		u.Nickname != "Ally" || u.Title != "Engineer" || u.PrimaryPhone != "+33142685300" || u.MobilePhone != "+33612345678" ||
		u.Address == nil || u.Address.StreetAddress != "8 rue de Londres\nBât. B" || u.Address.CountryCode != "FR" ||
		u.Locale != "fr-FR" || u.PreferredLanguage != "fr-FR, en;q=0.5" || u.Timezone != "Europe/Paris" ||
		u.Photo == nil || u.Photo.Href != "https://cdn.example.com/alice.png" || u.PendingVerification != nil {
		t.Fatalf("patched user %s", res.body)
	}
	if u.Lifecycle.Status != resource.LifecycleAccountOK || u.IdentityProvider.Type != resource.IdentityProviderPingOne {
		t.Fatalf("lifecycle %+v identityProvider %+v", u.Lifecycle, u.IdentityProvider)
	}
	got := h.do(http.MethodGet, alice, "readOnly", "")
	if string(got.body) != string(res.body) {
		t.Fatalf("GET differs from the PATCH answer:\n%s\n%s", got.body, res.body)
	}
	if got.header.Get("ETag") != res.header.Get("ETag") || got.header.Get("ETag") == "" {
		t.Fatalf("ETag GET %q, PATCH %q", got.header.Get("ETag"), res.header.Get("ETag"))
	}
	// null clears, absent keeps (merge patch).
	res = h.do(http.MethodPatch, alice, "idAdmin", `{"address":{"region":null},"photo":null,"mobilePhone":null}`)
	u = resource.User{}
	res.decode(t, &u)
	if u.Address == nil || u.Address.Region != "" || u.Address.Locality != "Paris" || u.Photo != nil || u.MobilePhone != "" ||
		u.PrimaryPhone == "" {
		t.Fatalf("after clearing: %s", res.body)
	}
}

// TestProfileSelfEdit: the user edits their editable attributes with a
// password-only session; nothing there needs a step-up.
func TestProfileSelfEdit(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	res := h.do(http.MethodPatch, alice, "aliceEditor",
		`{"name":{"given":"Alicia"},"nickname":"Ally","address":{"locality":"Lyon","countryCode":"FR"},"timezone":"Europe/Paris","locale":"fr"}`)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	u := h.user(defaultEnv, aliceID)
	if u.GivenName != "Alicia" || u.FamilyName != "Smith" || u.Profile.Nickname != "Ally" || u.Profile.Address.Locality != "Lyon" ||
		u.Profile.Timezone != "Europe/Paris" || u.Profile.Locale != "fr" {
		t.Fatalf("stored %+v %+v", u, u.Profile)
	}
	var ev *store.Event
	for _, e := range h.events(defaultEnv) {
		if e.Action == audit.ActionUserUpdated && e.UserID == aliceID {
			ev = &e
			break
		}
	}
	if ev == nil || ev.ActorID != aliceID || !strings.Contains(ev.Details["fields"], "address.locality") {
		t.Fatalf("USER_UPDATED event %+v", ev)
	}
}

// TestProfileMassAssignment: a user changing any attribute they may not
// write is refused with READ_ONLY naming it, and the record stays as it
// was; sending each back unchanged is accepted.
func TestProfileMassAssignment(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	// An administrator gave Alice a job title (READ_ONLY for users by default).
	if res := h.do(http.MethodPatch, alice, "star", `{"title":"Engineer"}`); res.status != http.StatusOK {
		t.Fatalf("set title: %d %s", res.status, res.body)
	}
	tests := []struct {
		name, body, target string
	}{
		{"id", `{"id":"` + missingID + `"}`, "id"},
		{"username", `{"username":"mallory"}`, "username"},
		{"email_verified", `{"emailVerified":true}`, "emailVerified"},
		{"mfa_enabled", `{"mfaEnabled":false}`, "mfaEnabled"},
		{"enabled", `{"enabled":false}`, "enabled"},
		{"account", `{"account":{"status":"LOCKED"}}`, "account"},
		{"lifecycle", `{"lifecycle":{"status":"VERIFICATION_REQUIRED"}}`, "lifecycle"},
		{"identity_provider", `{"identityProvider":{"type":"SAML"}}`, "identityProvider"},
		{"created_at", `{"createdAt":"2020-01-01T00:00:00Z"}`, "createdAt"},
		{"updated_at", `{"updatedAt":"2020-01-01T00:00:00Z"}`, "updatedAt"},
		{"roles", `{"roles":[{"role":"Environment Admin","environmentId":"*"}]}`, "roles"},
		{"environment", `{"environment":{"id":"` + otherEnv + `"}}`, "environment"},
		{"population", `{"population":{"id":"` + missingID + `"}}`, "population"},
		{"title", `{"title":"CEO"}`, "title"},
		{"pending_verification", `{"pendingVerification":{"attribute":"email","value":"x@example.com","expiresAt":"2030-01-01T00:00:00Z"}}`, "pendingVerification"},
		{"links", `{"_links":{"self":{"href":"https://evil.example/"}}}`, "_links"},
	}
	before := snapshot(t, h.user(defaultEnv, aliceID))
	for _, method := range []string{http.MethodPatch, http.MethodPut} {
		for _, tt := range tests {
			t.Run(method+"_"+tt.name, func(t *testing.T) {
				h.use(t)
				body := tt.body
				if method == http.MethodPut {
					// PUT needs the email; the read-only field is the only fault.
					body = `{"email":"alice@example.com",` + strings.TrimPrefix(body, "{")
				}
				res := h.do(method, alice, "aliceEditor", body)
				if res.status != http.StatusBadRequest || res.code(t) != "INVALID_DATA" {
					t.Fatalf("status %d: %s", res.status, res.body)
				}
				if got := res.targets(t); !slices.Equal(got, []string{tt.target + ":READ_ONLY"}) {
					t.Fatalf("details %v, want %s:READ_ONLY", got, tt.target)
				}
				if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
					t.Fatalf("record changed:\n%s\n%s", before, after)
				}
			})
		}
	}

	// Everything read, sent back unchanged: accepted, nothing written.
	t.Run("echo_everything", func(t *testing.T) {
		h.use(t)
		got := h.do(http.MethodGet, alice, "aliceEditor", "")
		for _, method := range []string{http.MethodPut, http.MethodPatch} {
			res := h.do(method, alice, "aliceEditor", string(got.body))
			if res.status != http.StatusOK {
				t.Fatalf("%s of what GET returned: %d %s", method, res.status, res.body)
			}
		}
		if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
			t.Fatalf("record changed by an echo:\n%s\n%s", before, after)
		}
	})
}

// TestProfileInvalid: bad values are refused, one detail per field, and
// nothing is saved, not even the good fields beside them.
func TestProfileInvalid(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	long := strings.Repeat("é", 257)
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"operator_in_nickname", `{"nickname":{"$ne":""}}`, []string{"nickname:INVALID_VALUE"}},
		{"operator_in_given", `{"name":{"given":{"$ne":""}}}`, []string{"name.given:INVALID_VALUE"}},
		{"operator_in_email", `{"email":{"$ne":""}}`, []string{"email:INVALID_VALUE"}},
		{"operator_in_phone", `{"mobilePhone":{"$gt":""}}`, []string{"mobilePhone:INVALID_VALUE"}},
		{"operator_in_locality", `{"address":{"locality":{"$regex":".*"}}}`, []string{"address.locality:INVALID_VALUE"}},
		{"operator_as_address", `{"address":[{"$ne":""}]}`, []string{"address:INVALID_VALUE"}},
		{"long_nickname", `{"nickname":"` + long + `"}`, []string{"nickname:INVALID_VALUE"}},
		{"long_family", `{"name":{"family":"` + long + `"}}`, []string{"name.family:INVALID_VALUE"}},
		{"long_street", `{"address":{"streetAddress":"` + strings.Repeat("a", 1025) + `"}}`, []string{"address.streetAddress:INVALID_VALUE"}},
		{"long_photo", `{"photo":{"href":"https://x.example/` + strings.Repeat("a", 2048) + `"}}`, []string{"photo.href:INVALID_VALUE"}},
		{"control_in_nickname", `{"nickname":"a\u0007b"}`, []string{"nickname:INVALID_VALUE"}},
		{"national_phone", `{"mobilePhone":"06 12 34 56 78"}`, []string{"mobilePhone:INVALID_VALUE"}},
		{"invalid_phone", `{"mobilePhone":"+33 1"}`, []string{"mobilePhone:INVALID_VALUE"}},
		{"unassigned_phone", `{"primaryPhone":"+999 1234 5678"}`, []string{"primaryPhone:INVALID_VALUE"}},
		{"landline_as_mobile", `{"mobilePhone":"+33 1 42 68 53 00"}`, []string{"mobilePhone:INVALID_VALUE"}},
		{"country_lower_case", `{"address":{"countryCode":"fr"}}`, []string{"address.countryCode:INVALID_VALUE"}},
		{"country_reserved", `{"address":{"countryCode":"UK"}}`, []string{"address.countryCode:INVALID_VALUE"}},
		{"unknown_address_member", `{"address":{"planet":"Mars"}}`, []string{"address.planet:UNKNOWN_ATTRIBUTE"}},
		{"locale_unknown", `{"locale":"zz"}`, []string{"locale:INVALID_VALUE"}},
		{"locale_underscore", `{"locale":"en_US"}`, []string{"locale:INVALID_VALUE"}},
		{"language_list_bad", `{"preferredLanguage":"en;q=2"}`, []string{"preferredLanguage:INVALID_VALUE"}},
		{"timezone_unknown", `{"timezone":"Mars/Olympus_Mons"}`, []string{"timezone:INVALID_VALUE"}},
		{"timezone_local", `{"timezone":"Local"}`, []string{"timezone:INVALID_VALUE"}},
		{"timezone_path", `{"timezone":"../../etc/passwd"}`, []string{"timezone:INVALID_VALUE"}},
		{"photo_http", `{"photo":{"href":"http://cdn.example.com/a.png"}}`, []string{"photo.href:INVALID_VALUE"}},
		{"photo_javascript", `{"photo":{"href":"javascript:alert(1)"}}`, []string{"photo.href:INVALID_VALUE"}},
		{"photo_string", `{"photo":"https://cdn.example.com/a.png"}`, []string{"photo:INVALID_VALUE"}},
		{"null_email", `{"email":null}`, []string{"email:INVALID_VALUE"}},
		{"unknown", `{"isAdmin":true}`, []string{"isAdmin:UNKNOWN_ATTRIBUTE"}},
		{"good_beside_bad", `{"nickname":"Ally","timezone":"Nowhere/Land"}`, []string{"timezone:INVALID_VALUE"}},
		{"two_contacts", `{"email":"a2@example.com","mobilePhone":"+33612345678"}`, []string{"mobilePhone:INVALID_VALUE"}},
	}
	before := snapshot(t, h.user(defaultEnv, aliceID))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodPatch, alice, "aliceMFA", tt.body)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if got := res.targets(t); !slices.Equal(got, tt.want) {
				t.Fatalf("details %v, want %v", got, tt.want)
			}
			var e struct {
				Details []struct{ Message string } `json:"details"`
			}
			res.decode(t, &e)
			if target := strings.Split(tt.want[0], ":")[0]; !strings.HasPrefix(e.Details[0].Message, target+" ") {
				t.Errorf("message %q does not name %s", e.Details[0].Message, target)
			}
			if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
				t.Fatalf("record changed:\n%s\n%s", before, after)
			}
		})
	}
}

// TestProfileAccess: who may read and write a profile.
func TestProfileAccess(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	user := func(env, id string) string { return paths.Build(paths.User, env, id) }
	tests := []struct {
		name, principal, method, path, body string
		want                                int
	}{
		{"self_patch", "aliceEditor", http.MethodPatch, user(defaultEnv, aliceID), `{"nickname":"A"}`, 200},
		{"self_put", "aliceEditor", http.MethodPut, user(defaultEnv, aliceID), `{"email":"alice@example.com"}`, 200},
		{"self_without_update_scope", "alice", http.MethodPatch, user(defaultEnv, aliceID), `{"nickname":"A"}`, 403},
		{"self_put_without_update_scope", "alice", http.MethodPut, user(defaultEnv, aliceID), `{"email":"alice@example.com"}`, 403},
		{"self_verify_without_update_scope", "alice", http.MethodPost, user(defaultEnv, aliceID), `{"verificationCode":"123456"}`, 403},
		{"no_scopes", "aliceNoScopes", http.MethodPatch, user(defaultEnv, aliceID), `{"nickname":"A"}`, 403},
		{"other_user", "aliceEditor", http.MethodPatch, user(defaultEnv, bobID), `{"nickname":"A"}`, 404},
		{"other_user_put", "aliceEditor", http.MethodPut, user(defaultEnv, bobID), `{"email":"bob@example.com"}`, 404},
		{"other_user_verify", "aliceEditor", http.MethodPost, user(defaultEnv, bobID), `{"verificationCode":"123456"}`, 404},
		{"unknown_user", "aliceEditor", http.MethodPatch, user(defaultEnv, missingID), `{"nickname":"A"}`, 404},
		{"self_under_other_environment", "aliceEditor", http.MethodPatch, user(otherEnv, aliceID), `{"nickname":"A"}`, 404},
		{"other_environment_user", "carol", http.MethodPatch, user(defaultEnv, aliceID), `{"nickname":"A"}`, 404},
		{"admin_of_other_environment", "envAdmin", http.MethodPatch, user(otherEnv, carolID), `{"nickname":"A"}`, 404},
		{"read_only_admin_put", "readOnly", http.MethodPut, user(defaultEnv, aliceID), `{"email":"alice@example.com"}`, 403},
		{"read_only_admin_verify", "readOnly", http.MethodPost, user(defaultEnv, aliceID), `{}`, 403},
		{"identity_admin_put", "idAdmin", http.MethodPut, user(defaultEnv, bobID), `{"email":"bob@example.com"}`, 200},
		{"no_token_put", "", http.MethodPut, user(defaultEnv, aliceID), `{"email":"alice@example.com"}`, 401},
		{"worker_without_role", "defaultWorker", http.MethodPatch, user(defaultEnv, aliceID), `{"nickname":"A"}`, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.user(defaultEnv, aliceID))
			var res response
			if tt.method == http.MethodPost {
				res = h.doWithType(tt.path, tt.principal, tt.body, paths.ActionUserVerify)
			} else {
				res = h.do(tt.method, tt.path, tt.principal, tt.body)
			}
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			want := map[int]string{401: "INVALID_TOKEN", 403: "INSUFFICIENT_PERMISSIONS", 404: "NOT_FOUND"}[tt.want]
			if want != "" {
				if res.code(t) != want {
					t.Fatalf("code %q, want %q", res.code(t), want)
				}
				if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
					t.Fatalf("refused request changed alice:\n%s\n%s", before, after)
				}
			}
		})
	}

	// Profile self-service switched off: the user's own writes and reads
	// stop, an administrator's do not.
	e := h.env(defaultEnv)
	e.SelfService.ManageProfile = false
	if err := h.store.Store.UpdateEnvironment(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{http.MethodGet, http.MethodPatch} {
		body := ""
		if method == http.MethodPatch {
			body = `{"nickname":"B"}`
		}
		if res := h.do(method, user(defaultEnv, aliceID), "aliceEditor", body); res.status != http.StatusForbidden {
			t.Errorf("%s with manageProfile off: %d %s", method, res.status, res.body)
		}
	}
	if res := h.do(http.MethodPatch, user(defaultEnv, aliceID), "idAdmin", `{"nickname":"B"}`); res.status != http.StatusOK {
		t.Errorf("administrator with manageProfile off: %d %s", res.status, res.body)
	}
}

// doWithType POSTs body with a given Content-Type.
func (h *harness) doWithType(path, principal, body, contentType string) response {
	h.t.Helper()
	return h.do(http.MethodPost, path, principal, body, contentType)
}

// TestProfileAttributeAccess: the environment's profileAttributes decide
// what the user sees and writes; administrators see and write everything.
func TestProfileAttributeAccess(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	if res := h.do(http.MethodPatch, alice, "star", `{"nickname":"Ally","title":"Engineer","locale":"en-GB"}`); res.status != 200 {
		t.Fatalf("admin patch: %d %s", res.status, res.body)
	}
	h.setProfileAttributes(map[string]string{"nickname": resource.AttributeHidden, "locale": resource.AttributeReadOnly,
		"title": resource.AttributeEditable, "username": resource.AttributeEditable})

	self := h.do(http.MethodGet, alice, "aliceEditor", "").json(t)
	if _, ok := self["nickname"]; ok || self["locale"] != "en-GB" || self["title"] != "Engineer" {
		t.Fatalf("self view %v: nickname must be hidden, locale and title shown", self)
	}
	if admin := h.do(http.MethodGet, alice, "readOnly", "").json(t); admin["nickname"] != "Ally" {
		t.Fatalf("administrator view %v lacks the hidden nickname", admin)
	}

	tests := []struct {
		name, method, body string
		status             int
		want               []string
		check              func(t *testing.T, u *store.User)
	}{
		{"hidden_write", http.MethodPatch, `{"nickname":"Al"}`, 400, []string{"nickname:READ_ONLY"}, nil},
		{"read_only_write", http.MethodPatch, `{"locale":"fr"}`, 400, []string{"locale:READ_ONLY"}, nil},
		{"read_only_echo", http.MethodPatch, `{"locale":"en-GB","title":"Lead"}`, 200, nil, func(t *testing.T, u *store.User) {
			if u.Profile.Title != "Lead" || u.Profile.Locale != "en-GB" {
				t.Fatalf("title %q locale %q", u.Profile.Title, u.Profile.Locale)
			}
		}},
		// PUT clears what the user may write and did not send, never what
		// they cannot see or write.
		{"put_keeps_hidden_and_read_only", http.MethodPut, `{"email":"alice@example.com"}`, 200, nil, func(t *testing.T, u *store.User) {
			if u.Profile.Nickname != "Ally" || u.Profile.Locale != "en-GB" || u.Profile.Title != "" || u.GivenName != "" || u.Username != "alice" {
				t.Fatalf("after PUT: %+v %+v", u, u.Profile)
			}
		}},
		{"username_editable", http.MethodPatch, `{"username":"Alice.S"}`, 200, nil, func(t *testing.T, u *store.User) {
			if u.Username != "alice.s" {
				t.Fatalf("username %q", u.Username)
			}
		}},
		{"username_taken", http.MethodPatch, `{"username":"bob"}`, 400, []string{"username:UNIQUENESS_VIOLATION"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			before := snapshot(t, h.user(defaultEnv, aliceID))
			res := h.do(tt.method, alice, "aliceEditor", tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.want != nil {
				if got := res.targets(t); !slices.Equal(got, tt.want) {
					t.Fatalf("details %v, want %v", got, tt.want)
				}
				if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
					t.Fatalf("record changed:\n%s\n%s", before, after)
				}
			}
			if tt.check != nil {
				tt.check(t, h.user(defaultEnv, aliceID))
			}
		})
	}
}

// TestProfileSelfServiceSetting: PUT selfService reads profileAttributes,
// refuses bad levels, and GET shows every attribute with its default.
func TestProfileSelfServiceSetting(t *testing.T) {
	h := newHarness(t)
	ss := paths.Build(paths.SelfService, defaultEnv)
	switches := `"manageProfile":true,"manageAuthentication":true,"managePingIdDevices":false,"changePassword":true,` +
		`"manageLinkedAccounts":true,"manageSessions":true,"viewAgreements":true,"manageOAuthConsents":true`
	var got resource.SelfService
	h.do(http.MethodGet, ss, "readOnly", "").decode(t, &got)
	if len(got.ProfileAttributes) != len(resource.ProfileAttributeNames) || got.ProfileAttributes["title"] != resource.AttributeReadOnly ||
		got.ProfileAttributes["email"] != resource.AttributeEditable {
		t.Fatalf("default profileAttributes %v", got.ProfileAttributes)
	}
	bad := []struct{ name, attrs, target string }{
		{"unknown_level", `{"nickname":"WRITE"}`, "profileAttributes.nickname:INVALID_VALUE"},
		{"hidden_email", `{"email":"HIDDEN"}`, "profileAttributes.email:INVALID_VALUE"},
		{"hidden_username", `{"username":"HIDDEN"}`, "profileAttributes.username:INVALID_VALUE"},
		{"unknown_attribute", `{"password":"EDITABLE"}`, "profileAttributes.password:UNKNOWN_ATTRIBUTE"},
		{"operator", `{"title":{"$ne":""}}`, "profileAttributes.title:INVALID_VALUE"},
	}
	before := snapshot(t, h.env(defaultEnv).SelfService)
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodPut, ss, "envAdmin", `{`+switches+`,"profileAttributes":`+tt.attrs+`}`)
			if res.status != 400 || !slices.Equal(res.targets(t), []string{tt.target}) {
				t.Fatalf("status %d details %v: %s", res.status, res.targets(t), res.body)
			}
			if after := snapshot(t, h.env(defaultEnv).SelfService); after != before {
				t.Fatal("setting changed")
			}
		})
	}
	res := h.do(http.MethodPut, ss, "envAdmin", `{`+switches+`,"profileAttributes":{"nickname":"HIDDEN","title":"EDITABLE"}}`)
	if res.status != 200 {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	res.decode(t, &got)
	if got.ProfileAttributes["nickname"] != resource.AttributeHidden || got.ProfileAttributes["title"] != resource.AttributeEditable ||
		got.ProfileAttributes["address"] != resource.AttributeEditable {
		t.Fatalf("profileAttributes %v", got.ProfileAttributes)
	}
	// Absent keeps the setting; null goes back to the defaults.
	h.do(http.MethodPut, ss, "envAdmin", `{`+switches+`}`).decode(t, &got)
	if got.ProfileAttributes["nickname"] != resource.AttributeHidden {
		t.Fatalf("absent profileAttributes changed the setting: %v", got.ProfileAttributes)
	}
	h.do(http.MethodPut, ss, "envAdmin", `{`+switches+`,"profileAttributes":null}`).decode(t, &got)
	if got.ProfileAttributes["nickname"] != resource.AttributeEditable {
		t.Fatalf("null profileAttributes kept %v", got.ProfileAttributes)
	}
}

// TestProfilePut: PUT replaces what the caller may write.
func TestProfilePut(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	h.do(http.MethodPatch, alice, "star", fullProfile)
	res := h.do(http.MethodPut, alice, "aliceEditor", `{"email":"alice@example.com","name":{"family":"Jones"},"timezone":"UTC"}`)
	if res.status != 200 {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	u := h.user(defaultEnv, aliceID)
	p := u.Profile
	if u.FamilyName != "Jones" || u.GivenName != "" || p.HonorificPrefix != "" || p.Nickname != "" || p.MobilePhone != "" ||
		p.Address != (store.Address{}) || p.PhotoHref != "" || p.Timezone != "UTC" || p.Title != "Engineer" || !u.Enabled {
		t.Fatalf("after PUT: %+v %+v", u, p)
	}
	if res := h.do(http.MethodPut, alice, "aliceEditor", `{"name":{"family":"Jones"}}`); res.status != 400 ||
		!slices.Equal(res.targets(t), []string{"email:REQUIRED_VALUE"}) {
		t.Fatalf("PUT without email: %d %s", res.status, res.body)
	}
}

// TestProfileIfMatch: the ETag is the record's version; a stale If-Match
// is a 412 CONFLICT with the current state, and nothing is written.
func TestProfileIfMatch(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	first := h.do(http.MethodGet, alice, "aliceEditor", "")
	tag := first.header.Get("ETag")
	if tag != `"0"` {
		t.Fatalf("ETag %q, want the version %q", tag, `"0"`)
	}
	// Tab one saves with the tag it read.
	one := h.doWith(http.MethodPatch, alice, "aliceEditor", `{"nickname":"One"}`, map[string]string{"If-Match": tag})
	if one.status != 200 || one.header.Get("ETag") != `"1"` {
		t.Fatalf("first save: %d ETag %q %s", one.status, one.header.Get("ETag"), one.body)
	}
	// Tab two saves with the same, now stale, tag.
	before := snapshot(t, h.user(defaultEnv, aliceID))
	for _, stale := range []string{tag, `W/"1"`, `"7", "8"`} {
		two := h.doWith(http.MethodPatch, alice, "aliceEditor", `{"nickname":"Two"}`, map[string]string{"If-Match": stale})
		if two.status != http.StatusPreconditionFailed || two.code(t) != "CONFLICT" || two.header.Get("ETag") != `"1"` {
			t.Fatalf("If-Match %s: %d ETag %q %s", stale, two.status, two.header.Get("ETag"), two.body)
		}
		var e struct {
			Details []struct {
				Target     string `json:"target"`
				InnerError struct {
					ETag    string        `json:"etag"`
					Current resource.User `json:"current"`
				} `json:"innerError"`
			} `json:"details"`
		}
		two.decode(t, &e)
		if len(e.Details) != 1 || e.Details[0].Target != "If-Match" || e.Details[0].InnerError.ETag != `"1"` ||
			e.Details[0].InnerError.Current.Nickname != "One" {
			t.Fatalf("412 body %s", two.body)
		}
	}
	// PUT is guarded the same way.
	if res := h.doWith(http.MethodPut, alice, "aliceEditor", `{"email":"alice@example.com"}`, map[string]string{"If-Match": tag}); res.status != 412 {
		t.Fatalf("stale PUT: %d %s", res.status, res.body)
	}
	if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
		t.Fatalf("a stale write changed the record:\n%s\n%s", before, after)
	}
	for i, ok := range []string{`"1"`, `"0", "2"`, "*"} {
		res := h.doWith(http.MethodPatch, alice, "aliceEditor", fmt.Sprintf(`{"nickname":"N%d"}`, i), map[string]string{"If-Match": ok})
		if res.status != 200 {
			t.Fatalf("If-Match %s: %d %s", ok, res.status, res.body)
		}
		if ok == `"1"` && res.header.Get("ETag") != `"2"` {
			t.Fatalf("ETag after the save %q", res.header.Get("ETag"))
		}
	}
}

// TestProfileVersionGuard: without If-Match, a writer that changes the
// record between the read and the write is not overwritten: the patch is
// applied again on the fresh record.
func TestProfileVersionGuard(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	h.store.beforeUpdateUser = func(*store.User) {
		h.store.beforeUpdateUser = nil
		u := h.user(defaultEnv, aliceID)
		u.Profile.Title = "Set elsewhere"
		if err := h.store.Store.UpdateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	if res := h.do(http.MethodPatch, alice, "aliceEditor", `{"nickname":"Mine"}`); res.status != 200 {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if u := h.user(defaultEnv, aliceID); u.Profile.Nickname != "Mine" || u.Profile.Title != "Set elsewhere" {
		t.Fatalf("lost update: %+v", u.Profile)
	}
	// With If-Match, the same race ends in a 412 instead of a retry.
	tag := h.do(http.MethodGet, alice, "aliceEditor", "").header.Get("ETag")
	h.store.beforeUpdateUser = func(*store.User) {
		h.store.beforeUpdateUser = nil
		u := h.user(defaultEnv, aliceID)
		u.Profile.Title = "Again"
		if err := h.store.Store.UpdateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	if res := h.doWith(http.MethodPatch, alice, "aliceEditor", `{"nickname":"Late"}`, map[string]string{"If-Match": tag}); res.status != 412 {
		t.Fatalf("raced If-Match: %d %s", res.status, res.body)
	}
	if u := h.user(defaultEnv, aliceID); u.Profile.Nickname != "Mine" || u.Profile.Title != "Again" {
		t.Fatalf("after the raced If-Match: %+v", u.Profile)
	}
}

// TestProfileContactNeedsStepUp: a user's own new email or phone needs a
// recent MFA; nothing is stored or sent without one. Administrators set
// them directly.
func TestProfileContactNeedsStepUp(t *testing.T) {
	h := newHarness(t)
	addProfilePrincipals(t)
	alice := paths.Build(paths.User, defaultEnv, aliceID)
	before := snapshot(t, h.user(defaultEnv, aliceID))
	for _, body := range []string{`{"email":"mallory@example.com"}`, `{"mobilePhone":"+33612345678"}`,
		`{"primaryPhone":"+33142685300"}`, `{"nickname":"X","email":"mallory@example.com"}`} {
		res := h.do(http.MethodPatch, alice, "aliceEditor", body)
		if res.status != 403 || res.code(t) != "INSUFFICIENT_PERMISSIONS" || !slices.Equal(res.targets(t), []string{"session:MFA_REQUIRED"}) {
			t.Fatalf("%s with a password-only session: %d %s", body, res.status, res.body)
		}
	}
	// An MFA too long ago counts as none.
	h.now = t0.Add(StepUpWindow + time.Second)
	if res := h.do(http.MethodPatch, alice, "aliceMFA", `{"email":"mallory@example.com"}`); res.status != 403 {
		t.Fatalf("stale MFA: %d %s", res.status, res.body)
	}
	if after := snapshot(t, h.user(defaultEnv, aliceID)); after != before {
		t.Fatalf("record changed:\n%s\n%s", before, after)
	}
	// Clearing a phone is not a new contact: no code, no step-up.
	h.do(http.MethodPatch, alice, "star", `{"mobilePhone":"+33612345678"}`)
	if res := h.do(http.MethodPatch, alice, "aliceEditor", `{"mobilePhone":null}`); res.status != 200 {
		t.Fatalf("clear phone: %d %s", res.status, res.body)
	}
	// An administrator sets an address directly; it is not verified.
	res := h.do(http.MethodPatch, alice, "idAdmin", `{"email":"alice@corp.example.com"}`)
	var u resource.User
	res.decode(t, &u)
	if res.status != 200 || u.Email != "alice@corp.example.com" || u.EmailVerified || u.PendingVerification != nil {
		t.Fatalf("administrator email change: %d %s", res.status, res.body)
	}
}

// TestProfileResponseHasNoSecrets: neither the code hash nor the undo
// token hash ever reaches the API.
func TestProfileResponseHasNoSecrets(t *testing.T) {
	h := newHarness(t)
	u := h.user(defaultEnv, aliceID)
	u.ContactChange = &store.ContactChange{Attribute: "email", Value: "new@example.com", CodeHash: "c0de-hash", SentAt: t0, ExpiresAt: t0.Add(time.Hour)}
	u.EmailUndo = &store.EmailUndo{TokenHash: "undo-hash", OldEmail: "old@example.com", ExpiresAt: t0.Add(time.Hour)}
	if err := h.store.Store.UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	res := h.do(http.MethodGet, paths.Build(paths.User, defaultEnv, aliceID), "star", "")
	for _, secret := range []string{"c0de-hash", "undo-hash", "old@example.com"} {
		if strings.Contains(string(res.body), secret) {
			t.Fatalf("response holds %q: %s", secret, res.body)
		}
	}
	var got resource.User
	if err := json.Unmarshal(res.body, &got); err != nil || got.PendingVerification == nil ||
		got.PendingVerification.Value != "new@example.com" || got.PendingVerification.Attribute != "email" {
		t.Fatalf("pendingVerification: %s", res.body)
	}
}
