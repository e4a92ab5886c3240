//go:build !js

package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	adminRedirectURI = publicURL + "/admin/"
	otherEnv         = "7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	adminPolicyID    = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
)

// consoleServer fakes what the console reads and writes on top of the
// sign-on fake: the administrator, their roles, the environments and the
// Administrators sign-on policy.
type consoleServer struct {
	*authServer
	mu         sync.Mutex
	mfaEnabled bool
	policyKind string
	envStatus  int // non-zero: the environments list fails with it
	puts       []map[string]any
}

func (s *consoleServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reply := jsonReply(w)
	authed := r.Header.Get("Authorization") == "Bearer "+jwt(map[string]any{"sub": userID, "scope": s.scope})
	s.mu.Lock()
	defer s.mu.Unlock()
	policy := resource.SignOnPolicy{ID: adminPolicyID, Name: "Administrators", Default: true, Kind: s.policyKind,
		EnrollDuringSignOn: true, DeviceSelection: resource.SelectDefaultToFirst}
	switch r.URL.Path {
	case paths.Build(paths.User, testEnv, userID):
		if !authed {
			reply(401, map[string]string{"code": "INVALID_TOKEN", "message": "no token"})
			return
		}
		reply(200, resource.User{ID: userID, Username: "admin", MFAEnabled: s.mfaEnabled})
	case paths.Build(paths.UserRoleAssignments, testEnv, userID):
		reply(200, resource.NewList("roleAssignments", []resource.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}, "self", ""))
	case paths.Environments:
		if s.envStatus != 0 {
			reply(s.envStatus, map[string]string{"code": "INVALID_TOKEN", "message": "expired"})
			return
		}
		reply(200, resource.NewList("environments", []resource.Environment{
			{ID: testEnv, Name: "Administrators", Administrators: true},
			{ID: otherEnv, Name: "Workforce", Type: resource.EnvProduction},
		}, "self", ""))
	case paths.Build(paths.SignOnPolicies, testEnv):
		reply(200, resource.NewList("signOnPolicies", []resource.SignOnPolicy{policy}, "self", ""))
	case paths.Build(paths.SignOnPolicy, testEnv, adminPolicyID):
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		if r.Method != "PUT" || !authed || json.Unmarshal(b, &body) != nil {
			reply(400, map[string]string{"code": "INVALID_DATA", "message": "bad request"})
			return
		}
		s.puts = append(s.puts, body)
		s.policyKind, _ = body["kind"].(string)
		policy.Kind = s.policyKind
		reply(200, policy)
	default:
		s.authServer.ServeHTTP(w, r)
	}
}

// signedOnConsole mounts /admin/, follows the sign-on and returns the
// console once loaded.
func signedOnConsole(t *testing.T, srv *consoleServer) (*AdminPage, *accountFixture, app.Context, app.TestEngine) {
	t.Helper()
	f := newAccountFixture(t, "openid profile email p1:read:user")
	srv.authServer = f.srv
	f.http.Config.Handler = srv
	ctx, e := newHarness(t)
	p := &AdminPage{acct: f.acct}
	p.mount(ctx, pageURL(t, adminRedirectURI+"#outbox"))
	e.ConsumeAll()
	q := f.authorizeParams(t, authResult{redirect: f.browser.last()})
	if q.Get("redirect_uri") != adminRedirectURI || q.Get("prompt") != "none" {
		t.Fatalf("authorize request %v", q)
	}
	p = &AdminPage{acct: f.acct}
	p.mount(ctx, pageURL(t, adminRedirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	e.ConsumeAll()
	return p, f, ctx, e
}

func TestAdminConsoleSignOnAndNag(t *testing.T) {
	tests := []struct {
		name       string
		mfaEnabled bool
		kind       string
		wantNag    bool
		wantSwitch bool // the Require MFA button is usable
	}{
		{name: "password_only_without_device", kind: resource.PolicyPasswordOnly, wantNag: true},
		{name: "password_only_with_device", mfaEnabled: true, kind: resource.PolicyPasswordOnly, wantNag: true, wantSwitch: true},
		{name: "mfa_required", mfaEnabled: true, kind: resource.PolicyPasswordMFA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &consoleServer{mfaEnabled: tt.mfaEnabled, policyKind: tt.kind}
			p, _, _, _ := signedOnConsole(t, srv)
			if p.phase != phaseReady || p.ctx == nil {
				t.Fatalf("console phase %v, error %q", p.phase, p.errText)
			}
			// The section survives the sign-on round trip; the chosen
			// environment defaults to one that is not the console's own.
			if p.section != "outbox" || p.ctx.Env.ID != otherEnv || !p.ctx.CanWrite() {
				t.Errorf("section %q, env %q, can write %v", p.section, p.ctx.Env.ID, p.ctx.CanWrite())
			}
			doc := render(t, p)
			nag := byID(doc, "admin-mfa-nag")
			if (nag != nil) != tt.wantNag {
				t.Fatalf("nag shown %v, want %v", nag != nil, tt.wantNag)
			}
			if !tt.wantNag {
				return
			}
			_, disabled := attr(mustID(t, doc, "admin-require-mfa"), "disabled")
			if disabled == tt.wantSwitch {
				t.Errorf("Require MFA disabled %v, want usable %v", disabled, tt.wantSwitch)
			}
			if (byID(doc, "admin-pair-first") != nil) == tt.wantSwitch {
				t.Errorf("pair-first hint shown %v with a device %v", byID(doc, "admin-pair-first") != nil, tt.mfaEnabled)
			}
		})
	}
}

func TestAdminConsoleRequireMFA(t *testing.T) {
	srv := &consoleServer{mfaEnabled: true, policyKind: resource.PolicyPasswordOnly}
	p, _, ctx, e := signedOnConsole(t, srv)
	p.onRequireMFA(ctx, app.Event{})
	e.ConsumeAll()
	if len(srv.puts) != 1 || srv.puts[0]["kind"] != resource.PolicyPasswordMFA || srv.puts[0]["enrollDuringSignOn"] != true {
		t.Fatalf("PUT bodies %v", srv.puts)
	}
	if p.mfaOff || p.mfaErr != "" || byID(render(t, p), "admin-mfa-nag") != nil {
		t.Errorf("after requiring MFA: off %v, error %q", p.mfaOff, p.mfaErr)
	}
}

func TestAdminConsoleWithoutDeviceCannotRequireMFA(t *testing.T) {
	srv := &consoleServer{policyKind: resource.PolicyPasswordOnly}
	p, _, ctx, e := signedOnConsole(t, srv)
	p.onRequireMFA(ctx, app.Event{})
	e.ConsumeAll()
	if len(srv.puts) != 0 || !p.mfaOff {
		t.Fatalf("the policy changed for an administrator without a device: %v", srv.puts)
	}
}

func TestAdminConsoleChooseEnvironment(t *testing.T) {
	srv := &consoleServer{mfaEnabled: true, policyKind: resource.PolicyPasswordMFA}
	p, f, _, _ := signedOnConsole(t, srv)
	before := p.ctx
	p.chooseEnv(testEnv)
	if p.ctx.Env.ID != testEnv || p.ctx == before {
		t.Fatalf("env %q (a new context: %v)", p.ctx.Env.ID, p.ctx != before)
	}
	if got := f.local.raw(adminEnvKey); !strings.Contains(got, testEnv) {
		t.Errorf("stored choice %q", got)
	}
	p.chooseEnv("no-such-env")
	if p.ctx.Env.ID != testEnv {
		t.Errorf("an unknown id changed the environment to %q", p.ctx.Env.ID)
	}
}

func TestAdminConsoleExpiredToken(t *testing.T) {
	srv := &consoleServer{envStatus: 401}
	p, _, _, _ := signedOnConsole(t, srv)
	if p.phase != phaseError || p.retry != retrySignOn || p.errText != T(MsgErrSession) {
		t.Fatalf("phase %v, retry %v, error %q", p.phase, p.retry, p.errText)
	}
}

func TestAdminSectionByID(t *testing.T) {
	for _, tt := range []struct{ id, want string }{{"outbox", "outbox"}, {"", "overview"}, {"nope", "overview"}} {
		if got := adminSectionByID(tt.id).id; got != tt.want {
			t.Errorf("adminSectionByID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}
