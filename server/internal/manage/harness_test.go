package manage

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

const publicURL = "https://id.example.test"

// Fixed ids, so tests read like the URLs they call.
const (
	adminEnv   = "00000000-0000-4000-8000-00000000000a"
	defaultEnv = "00000000-0000-4000-8000-00000000000d"
	otherEnv   = "00000000-0000-4000-8000-00000000000e"
	missingEnv = "00000000-0000-4000-8000-0000000000ff"
	adminID    = "00000000-0000-7000-8000-0000000000a1"
	aliceID    = "00000000-0000-7000-8000-0000000000b1"
	bobID      = "00000000-0000-7000-8000-0000000000b2"
	carolID    = "00000000-0000-7000-8000-0000000000c1"
	missingID  = "00000000-0000-7000-8000-0000000000f1"
	myAppID    = "00000000-0000-4000-8000-0000000000d5"
	policyID   = "00000000-0000-4000-8000-0000000000d6"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// Principals the test middleware can put on a request, by name.
var principals = map[string]*authn.Principal{
	// The first administrator: Environment Admin over every environment.
	"star": {EnvID: adminEnv, Subject: adminID, SessionID: "sess-admin", Admin: true,
		Roles: []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}},
	"envAdmin": {EnvID: adminEnv, Subject: "00000000-0000-7000-8000-0000000000a2", SessionID: "sess-2", Admin: true,
		Roles: []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: defaultEnv}}},
	"idAdmin": {EnvID: adminEnv, Subject: "00000000-0000-7000-8000-0000000000a3", SessionID: "sess-3", Admin: true,
		Roles: []store.RoleAssignment{{Role: resource.RoleIdentityDataAdmin, EnvironmentID: defaultEnv}}},
	"readOnly": {EnvID: adminEnv, Subject: "00000000-0000-7000-8000-0000000000a4", SessionID: "sess-4", Admin: true,
		Roles: []store.RoleAssignment{{Role: resource.RoleReadOnly, EnvironmentID: defaultEnv}}},
	// A worker application (no session) with Environment Admin over Default.
	"worker": {EnvID: adminEnv, Subject: "00000000-0000-4000-8000-0000000000a5", ClientID: "00000000-0000-4000-8000-0000000000a5",
		Admin: true, Roles: []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: defaultEnv}}},
	// Alice, an end user of Default, signed on to MyAccount.
	"alice": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice",
		Scopes: scope.Set{scope.OpenID, scope.ReadUser, scope.ReadDevice}},
	"aliceNoScopes": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice", Scopes: scope.Set{scope.OpenID}},
	// Alice with the Consents scope (selfService.viewAgreements).
	"aliceConsent": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice", Scopes: scope.Set{scope.ReadUserConsent}},
	// Alice with the application consent scopes (selfService.manageOAuthConsents),
	// and with the read one only.
	"aliceOAuth": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice",
		Scopes: scope.Set{scope.ReadOAuthConsent, scope.UpdateOAuthConsent}},
	"aliceOAuthRead": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice", Scopes: scope.Set{scope.ReadOAuthConsent}},
	// Alice's token claiming roles it cannot have: roles count only from
	// the Administrators environment.
	"aliceWithRoles": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice", Scopes: scope.Set{scope.ReadUser},
		Roles: []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}},
	// Alice with the Change password scopes (after MFA), and with what
	// reduced scopes leave before MFA (no reset).
	"alicePassword": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice",
		Scopes: scope.Set{scope.ReadUserPassword, scope.ValidateUserPassword, scope.ResetUserPassword}},
	"aliceReduced": {EnvID: defaultEnv, Subject: aliceID, SessionID: "sess-alice",
		Scopes: scope.Set{scope.ReadUser, scope.ReadUserPassword, scope.ValidateUserPassword}},
	"carolPassword": {EnvID: otherEnv, Subject: carolID, SessionID: "sess-carol",
		Scopes: scope.Set{scope.ReadUserPassword, scope.ValidateUserPassword, scope.ResetUserPassword}},
	// Alice with the Accounts & sessions scopes and a device scope, in a
	// session whose MFA is fresh (sessionPrincipals); without the MFA;
	// and with the read scope only.
	"aliceSessions": sessionPrincipal(aliceSID, t0, scope.ReadSessions, scope.DeleteSessions, scope.UpdateDevice),
	"aliceNoMFA":    sessionPrincipal(aliceSID, time.Time{}, scope.ReadSessions, scope.DeleteSessions, scope.UpdateDevice),
	"aliceReadSess": sessionPrincipal(aliceSID, t0, scope.ReadSessions),
	// Alice with the linked accounts scopes: MFA fresh, MFA missing, read only.
	"aliceLinked":      sessionPrincipal(aliceSID, t0, scope.ReadLinkedAccounts, scope.DeleteLinkedAccounts),
	"aliceLinkedNoMFA": sessionPrincipal(aliceSID, time.Time{}, scope.ReadLinkedAccounts, scope.DeleteLinkedAccounts),
	"aliceLinkedRead":  sessionPrincipal(aliceSID, t0, scope.ReadLinkedAccounts),
	// Carol, an end user of another environment.
	"carol": {EnvID: otherEnv, Subject: carolID, SessionID: "sess-carol", Scopes: scope.Set{scope.ReadUser, scope.ReadDevice}},
	// A worker of the Default environment itself: not an administrator.
	"defaultWorker": {EnvID: defaultEnv, Subject: "00000000-0000-4000-8000-0000000000d9", ClientID: "00000000-0000-4000-8000-0000000000d9"},
	// A worker of the Default environment with roles: they count over its
	// own environment only, even the "*" one.
	"defaultAdminWorker": {EnvID: defaultEnv, Subject: "00000000-0000-4000-8000-0000000000da", ClientID: "00000000-0000-4000-8000-0000000000da",
		Roles: []store.RoleAssignment{{Role: resource.RoleIdentityDataAdmin, EnvironmentID: defaultEnv}, {Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}},
}

// harness is one API over a fresh SQLite store, behind a Fiber app wired as
// server/routes.go wires it.
type harness struct {
	t      *testing.T
	store  *storeHook
	app    *fiber.App
	hasher *password.Hasher
	now    time.Time
	mail   *sentMail
	// provisioned lists the environments CreateEnvironment provisioned.
	provisioned []string
}

// storeHook wraps the real store so a test can act between a handler's
// read and its write (to force a version conflict). A hook stays until
// the test clears it.
type storeHook struct {
	store.Store
	beforeUpdateUser func(u *store.User)
	beforeUpdateEnv  func(e *store.Environment)
}

func (s *storeHook) UpdateUser(ctx context.Context, u *store.User) error {
	if f := s.beforeUpdateUser; f != nil {
		f(u)
	}
	return s.Store.UpdateUser(ctx, u)
}

func (s *storeHook) UpdateEnvironment(ctx context.Context, e *store.Environment) error {
	if f := s.beforeUpdateEnv; f != nil {
		f(e)
	}
	return s.Store.UpdateEnvironment(ctx, e)
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "myaccount.db"), CheckPlans: true})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		for _, v := range st.PlanViolations() {
			t.Errorf("query plan violation: %s", v)
		}
		st.Close()
	})
	h := &harness{t: t, store: &storeHook{Store: st}, now: t0,
		// Cheap parameters: these tests are about the API, not argon2id.
		hasher: password.New(password.Config{Params: password.Params{Memory: 64, Time: 1, Threads: 1}})}
	clock := func() time.Time { return h.now }
	rec := audit.New(audit.Deps{Events: st, Now: clock})
	h.mail = &sentMail{}
	api := New(Deps{Store: h.store, Hasher: h.hasher, Audit: rec, PublicURL: publicURL + "/", Now: clock,
		Logger: slog.New(slog.DiscardHandler), Sender: h.mail,
		Limiter: ratelimit.New(ratelimit.Deps{Counters: st, Now: clock}), Box: testBox(t),
		Provision: func(_ context.Context, envID string) error {
			h.provisioned = append(h.provisioned, envID)
			return nil
		},
		SecureLinks: securelink.New(securelink.Deps{Users: st, PublicURL: publicURL, Now: clock})})

	app := fiber.New(fiber.Config{Immutable: true, ErrorHandler: httpx.ErrorHandler(slog.New(slog.DiscardHandler))})
	app.Use(func(c *fiber.Ctx) error {
		if name := c.Get("X-Test-Principal"); name != "" {
			p, ok := principals[name]
			if !ok {
				t.Errorf("no test principal %q", name)
			}
			cp := *p
			authn.Set(c, &cp)
		}
		return c.Next()
	}, api.LiveEnvironment())
	for _, r := range []struct {
		method, path string
		h            fiber.Handler
	}{
		{http.MethodGet, paths.Environments, api.ListEnvironments()},
		{http.MethodGet, paths.Environment, api.GetEnvironment()},
		{http.MethodGet, paths.Users, api.ListUsers()},
		{http.MethodPost, paths.Users, api.CreateUser()},
		{http.MethodGet, paths.User, api.GetUser()},
		{http.MethodPatch, paths.User, api.PatchUser()},
		{http.MethodPut, paths.User, api.PutUser()},
		{http.MethodPost, paths.User, api.PostUser()},
		{http.MethodGet, paths.Devices, api.ListDevices()},
		{http.MethodGet, paths.UserApplications, api.ListUserApplications()},
		{http.MethodGet, paths.Applications, api.ListApplications()},
		{http.MethodPost, paths.Applications, api.CreateApplication()},
		{http.MethodGet, paths.Application, api.GetApplication()},
		{http.MethodPatch, paths.Application, api.PatchApplication()},
		{http.MethodGet, paths.SignOnPolicies, api.ListSignOnPolicies()},
		{http.MethodGet, paths.SignOnPolicy, api.GetSignOnPolicy()},
		{http.MethodPut, paths.SignOnPolicy, api.PutSignOnPolicy()},
		{http.MethodGet, paths.MFASettings, api.GetMFASettings()},
		{http.MethodPut, paths.MFASettings, api.PutMFASettings()},
		{http.MethodGet, paths.DeviceAuthPolicies, api.ListDeviceAuthPolicies()},
		{http.MethodPost, paths.DeviceAuthPolicies, api.CreateDeviceAuthPolicy()},
		{http.MethodGet, paths.DeviceAuthPolicy, api.GetDeviceAuthPolicy()},
		{http.MethodPut, paths.DeviceAuthPolicy, api.PutDeviceAuthPolicy()},
		{http.MethodDelete, paths.DeviceAuthPolicy, api.DeleteDeviceAuthPolicy()},
		{http.MethodGet, paths.SelfService, api.GetSelfService()},
		{http.MethodPut, paths.SelfService, api.PutSelfService()},
		{http.MethodGet, paths.Outbox, api.ListOutbox()},
		{http.MethodGet, paths.UserPassword, api.GetPassword()},
		{http.MethodPut, paths.UserPassword, api.PutPassword()},
		{http.MethodPost, paths.UserPassword, api.PostPassword()},
		{http.MethodGet, paths.PasswordPolicies, api.ListPasswordPolicies()},
		{http.MethodPost, paths.PasswordPolicies, api.CreatePasswordPolicy()},
		{http.MethodGet, paths.PasswordPolicy, api.GetPasswordPolicy()},
		{http.MethodPut, paths.PasswordPolicy, api.PutPasswordPolicy()},
		{http.MethodDelete, paths.PasswordPolicy, api.DeletePasswordPolicy()},
		{http.MethodPut, paths.DeviceNickname, api.PutNickname()},
		{http.MethodPost, paths.User, api.PostUser()},
		{http.MethodGet, paths.Sessions, api.ListSessions()},
		{http.MethodDelete, paths.Sessions, api.DeleteSessions()},
		{http.MethodGet, paths.Session, api.GetSession()},
		{http.MethodDelete, paths.Session, api.DeleteSession()},
		{http.MethodGet, paths.UserEvents, api.ListUserEvents()},
		{http.MethodGet, paths.SecurityEvents, api.ListSecurityEvents()},
		{http.MethodGet, paths.SecureLink, api.SecureLinkPage()},
		{http.MethodPost, paths.SecureLink, api.SecureByLink()},
		{http.MethodGet, paths.Templates, api.ListTemplates()},
		{http.MethodGet, paths.Template, api.GetTemplate()},
		{http.MethodGet, paths.TemplateContent, api.GetTemplateContent()},
		{http.MethodPut, paths.TemplateContent, api.PutTemplateContent()},
		{http.MethodDelete, paths.TemplateContent, api.DeleteTemplateContent()},
		{http.MethodGet, paths.IdentityProviders, api.ListIdentityProviders()},
		{http.MethodPost, paths.IdentityProviders, api.CreateIdentityProvider()},
		{http.MethodGet, paths.IdentityProvider, api.GetIdentityProvider()},
		{http.MethodPut, paths.IdentityProvider, api.PutIdentityProvider()},
		{http.MethodDelete, paths.IdentityProvider, api.DeleteIdentityProvider()},
		{http.MethodGet, paths.LinkedAccounts, api.ListLinkedAccounts()},
		{http.MethodGet, paths.LinkedAccount, api.GetLinkedAccount()},
		{http.MethodDelete, paths.LinkedAccount, api.DeleteLinkedAccount()},
		{http.MethodGet, paths.Agreements, api.ListAgreements()},
		{http.MethodPost, paths.Agreements, api.CreateAgreement()},
		{http.MethodGet, paths.Agreement, api.GetAgreement()},
		{http.MethodPut, paths.Agreement, api.PutAgreement()},
		{http.MethodDelete, paths.Agreement, api.DeleteAgreement()},
		{http.MethodGet, paths.AgreementLanguages, api.ListAgreementLanguages()},
		{http.MethodPost, paths.AgreementLanguages, api.CreateAgreementLanguage()},
		{http.MethodGet, paths.AgreementLanguage, api.GetAgreementLanguage()},
		{http.MethodGet, paths.AgreementRevisions, api.ListAgreementRevisions()},
		{http.MethodPost, paths.AgreementRevisions, api.CreateAgreementRevision()},
		{http.MethodGet, paths.AgreementRevision, api.GetAgreementRevision()},
		{http.MethodGet, paths.UserAgreementConsents, api.ListAgreementConsents()},
		{http.MethodGet, paths.UserAgreementConsent, api.GetAgreementConsent()},
		{http.MethodPost, paths.UserAgreementConsent, api.PostAgreementConsent()},
		{http.MethodPost, paths.Environments, api.CreateEnvironment()},
		{http.MethodPatch, paths.Environment, api.PatchEnvironment()},
		{http.MethodPut, paths.Environment, api.PutEnvironment()},
		{http.MethodDelete, paths.Environment, api.DeleteEnvironment()},
		{http.MethodDelete, paths.User, api.DeleteUser()},
		{http.MethodGet, paths.UserEnabled, api.GetUserEnabled()},
		{http.MethodPut, paths.UserEnabled, api.PutUserEnabled()},
		{http.MethodDelete, paths.Application, api.DeleteApplication()},
		{http.MethodPost, paths.ApplicationSecret, api.RotateApplicationSecret()},
		{http.MethodPost, paths.SignOnPolicies, api.CreateSignOnPolicy()},
		{http.MethodDelete, paths.SignOnPolicy, api.DeleteSignOnPolicy()},
		{http.MethodGet, paths.UserOAuthConsents, api.ListOAuthConsents()},
		{http.MethodGet, paths.UserOAuthConsent, api.GetOAuthConsent()},
		{http.MethodPatch, paths.UserOAuthConsent, api.PatchOAuthConsent()},
		{http.MethodGet, paths.UserConsentHistory, api.ListConsentHistory()},
	} {
		app.Add(r.method, r.path, r.h)
	}
	h.app = app
	h.seed()
	return h
}

func (h *harness) seed() {
	h.t.Helper()
	ctx := h.t.Context()
	for _, e := range []*store.Environment{
		testEnvironment(adminEnv, "Administrators", true),
		testEnvironment(defaultEnv, "Default", false),
		testEnvironment(otherEnv, "Other", false),
		{ID: "00000000-0000-0000-0000-000000000000", Name: "system", Type: "SYSTEM", Deleted: true, CreatedAt: t0, UpdatedAt: t0},
	} {
		if err := h.store.CreateEnvironment(ctx, e); err != nil {
			h.t.Fatalf("seed environment: %v", err)
		}
	}
	for _, u := range []*store.User{
		{EnvironmentID: adminEnv, ID: adminID, Username: "admin", Enabled: true,
			Roles: []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}},
		{EnvironmentID: defaultEnv, ID: aliceID, Username: "alice", Email: "alice@example.com", Enabled: true,
			GivenName: "Alice", FamilyName: "Smith", Devices: []store.Device{
				{ID: "00000000-0000-7000-8000-0000000000e1", Type: resource.DeviceEmail, Status: resource.DeviceActivationRequired,
					Email: "old@example.com", CreatedAt: t0, UpdatedAt: t0},
				{ID: "00000000-0000-7000-8000-0000000000e2", Type: resource.DeviceEmail, Status: resource.DeviceActive,
					Email: "alice@example.com", Nickname: "Work", CreatedAt: t0, UpdatedAt: t0},
			}},
		{EnvironmentID: defaultEnv, ID: bobID, Username: "bob", Email: "bob@example.com", Enabled: true},
		{EnvironmentID: otherEnv, ID: carolID, Username: "carol", Email: "carol@example.com", Enabled: true},
	} {
		u.CreatedAt, u.UpdatedAt = t0, t0
		if err := h.store.CreateUser(ctx, u); err != nil {
			h.t.Fatalf("seed user: %v", err)
		}
	}
	if err := h.store.CreateApplication(ctx, &store.Application{EnvironmentID: defaultEnv, ID: myAppID, Name: "MyAccount",
		Type: resource.AppSinglePage, Enabled: true, RedirectURIs: []string{publicURL + "/" + defaultEnv + "/myaccount/"},
		MyAccount: true, CreatedAt: t0, UpdatedAt: t0}); err != nil {
		h.t.Fatalf("seed application: %v", err)
	}
}

func testEnvironment(id, name string, admin bool) *store.Environment {
	pid := policyID
	if id != defaultEnv {
		pid = uuid.NewSHA1(uuid.MustParse(id), []byte("signOnPolicy")).String()
	}
	return &store.Environment{
		ID: id, Name: name, Type: resource.EnvSandbox, Administrators: admin, MyAccountClientID: myAppID,
		SignOnPolicy: store.SignOnPolicy{ID: pid, Name: "Default", MFA: !admin, EnrollDuringSignOn: true,
			DeviceSelection: resource.SelectDefaultToFirst, UpdatedAt: t0},
		MFASettings: store.MFASettings{OTPLength: 6, OTPLifetime: 600, OTPFailureCount: 3, OTPCoolDown: 120,
			Methods: []string{resource.DeviceEmail}, MaxAllowedDevices: 5, UpdatedAt: t0},
		SelfService: store.SelfService{ManageProfile: true, ManageAuthentication: true, ChangePassword: true, UpdatedAt: t0},
		CreatedAt:   t0, UpdatedAt: t0,
	}
}

// response is one answer of the app.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// decode decodes the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, r.body)
	}
}

// apiError is the error body.
type apiError struct {
	Code    string `json:"code"`
	Details []struct {
		Code   string `json:"code"`
		Target string `json:"target"`
	} `json:"details"`
}

// targets lists "target:code" of the error body's details.
func (r response) targets(t *testing.T) []string {
	t.Helper()
	var e apiError
	r.decode(t, &e)
	out := []string{}
	for _, d := range e.Details {
		out = append(out, d.Target+":"+d.Code)
	}
	return out
}

func (r response) code(t *testing.T) string {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(r.body, &e); err != nil {
		return ""
	}
	return e.Code
}

// do sends one request as the named principal ("" for none). A body is
// sent as application/json unless contentType says otherwise.
func (h *harness) do(method, path, principal, body string, contentType ...string) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		ct := paths.JSON
		if len(contentType) > 0 {
			ct = contentType[0]
		}
		req.Header.Set(fiber.HeaderContentType, ct)
	}
	if principal != "" {
		req.Header.Set("X-Test-Principal", principal)
	}
	res, err := h.app.Test(req, -1)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// user reads a user straight from the store.
func (h *harness) user(envID, id string) *store.User {
	h.t.Helper()
	u, err := h.store.GetUser(h.t.Context(), envID, id)
	if err != nil {
		h.t.Fatalf("get user %s: %v", id, err)
	}
	return u
}

func (h *harness) env(id string) *store.Environment {
	h.t.Helper()
	e, err := h.store.GetEnvironment(h.t.Context(), id)
	if err != nil {
		h.t.Fatalf("get environment %s: %v", id, err)
	}
	return e
}

func (h *harness) userCount(envID string) int {
	h.t.Helper()
	us, err := h.store.ListUsers(h.t.Context(), envID, store.Page{Limit: 1000})
	if err != nil {
		h.t.Fatalf("list users: %v", err)
	}
	return len(us)
}

// events returns the environment's audit events, newest first.
func (h *harness) events(envID string) []store.Event {
	h.t.Helper()
	es, err := h.store.ListEvents(h.t.Context(), envID, "", 100)
	if err != nil {
		h.t.Fatalf("list events: %v", err)
	}
	return es
}

// snapshot is a JSON image of a record, to prove a refused write changed nothing.
func snapshot(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustContain(t *testing.T, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
			}
		}
		if !found {
			t.Errorf("details %v lack %q", got, w)
		}
	}
}

// use makes the harness report to subtest t until t ends.
func (h *harness) use(t *testing.T) {
	prev := h.t
	h.t = t
	t.Cleanup(func() { h.t = prev })
}
