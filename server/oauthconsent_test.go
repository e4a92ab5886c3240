package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

const printerRedirect = "https://printer.example/callback"

// thirdParty sets the Default environment's sign-on to password only and
// creates, through the API, a third-party application (requireConsent).
func thirdParty(t *testing.T, e *env) resource.Application {
	t.Helper()
	envID, tok := e.srv.Bootstrap.DefaultEnvID, e.adminToken()
	pols := decode[resource.List[resource.SignOnPolicy]](t, respWant(t, e.api("GET", paths.Build(paths.SignOnPolicies, envID), tok, ""), 200))
	respWant(t, e.api("PUT", paths.Build(paths.SignOnPolicy, envID, pols.Embedded["signOnPolicies"][0].ID), tok,
		`{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST"}`), 200)
	app := decode[resource.Application](t, respWant(t, e.api("POST", paths.Build(paths.Applications, envID), tok,
		`{"name":"Photo Printer","type":"SINGLE_PAGE_APP","redirectUris":["`+printerRedirect+`"],"requireConsent":true}`), 201))
	if !app.RequireConsent {
		t.Fatalf("created without requireConsent: %+v", app)
	}
	return app
}

// authorizeApp is an authorization request of clientID for scopes.
func (e *env) authorizeApp(clientID, redirect, scopes string, p pkce, extra ...string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "scope": {scopes},
		"state": {p.state}, "code_challenge": {p.challenge}, "code_challenge_method": {"S256"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return paths.Build(paths.Authorize, e.srv.Bootstrap.DefaultEnvID) + "?" + q.Encode()
}

// location follows nothing: it returns where a 302 points.
func location(t *testing.T, resp *http.Response) *url.URL {
	t.Helper()
	wantStatus(t, resp, http.StatusFound)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// codeFor exchanges a code of the public client clientID.
func (e *env) codeFor(t *testing.T, clientID, redirect, code string, p pkce) resource.TokenResponse {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {p.verifier},
		"redirect_uri": {redirect}, "client_id": {clientID}}
	return decode[resource.TokenResponse](t, respWant(t, e.form(paths.Build(paths.Token, e.srv.Bootstrap.DefaultEnvID), form), 200))
}

func (e *env) refreshApp(clientID, rt string) *http.Response {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID}}
	return e.form(paths.Build(paths.Token, e.srv.Bootstrap.DefaultEnvID), form)
}

func (e *env) userinfo(tok string) *http.Response {
	req, _ := http.NewRequest("GET", paths.Build(paths.UserInfo, e.srv.Bootstrap.DefaultEnvID), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	return e.do(req)
}

// consentFlow expects authorize to land on the consent screen and returns
// the flow.
func (b *browser) consentScreen(t *testing.T, authorize string) (string, resource.Flow) {
	t.Helper()
	loc := location(t, b.do("GET", authorize, "", nil))
	id := loc.Query().Get("flowId")
	if id == "" {
		t.Fatalf("authorize went to %s, want the consent screen", loc)
	}
	f := decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(id), "", nil), 200))
	if f.Status != resource.FlowConsentRequired {
		t.Fatalf("flow %s, want CONSENT_REQUIRED", f.Status)
	}
	return id, f
}

// TestOAuthConsentScreen: a third-party application's first authorize
// asks after the password; deny answers access_denied; allow records the
// consent and yields a code; the same scopes again ask nothing; broader
// scopes ask for the new ones only; prompt=none answers consent_required.
func TestOAuthConsentScreen(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("ann", "ann@example.com", userPassword)
	app := thirdParty(t, e)
	envID := e.srv.Bootstrap.DefaultEnvID
	b := e.browser()

	p := newPKCE()
	loc := location(t, b.do("GET", e.authorizeApp(app.ID, printerRedirect, "openid profile", p), "", nil))
	id := loc.Query().Get("flowId")
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200))
	if f.Status != resource.FlowConsentRequired || f.ResumeURL != "" || f.Embedded == nil || f.Embedded.Consent == nil {
		t.Fatalf("after password: %+v", f)
	}
	k := f.Embedded.Consent
	if k.Application.ID != app.ID || k.Name != "Photo Printer" || !slices.Equal(k.Scopes, []string{"openid", "profile"}) || !slices.Equal(k.New, k.Scopes) {
		t.Errorf("consent asked %+v", k)
	}
	if _, ok := f.Links[resource.ActionOAuthConsent]; !ok {
		t.Errorf("no oauth.consent link: %+v", f.Links)
	}
	// Not resumable before an answer; the answer must be a boolean.
	resp := b.do("GET", paths.Build(paths.Resume, envID)+"?flowId="+id, "", nil)
	if strings.Contains(resp.Header.Get("Location"), "code=") {
		t.Fatalf("resumed before consent: %s", resp.Header.Get("Location"))
	}
	respWant(t, b.action(id, "oauth.consent", map[string]any{}), 400)
	respWant(t, b.action(id, "agreement.consent", map[string]bool{"accept": true}), 400)

	// Deny: back to the application with access_denied and its state.
	f = decode[resource.Flow](t, respWant(t, b.action(id, "oauth.consent", map[string]bool{"accept": false}), 200))
	if f.Status != resource.FlowCompleted || f.ResumeURL == "" {
		t.Fatalf("after deny: %+v", f)
	}
	loc = location(t, b.do("GET", strings.TrimPrefix(f.ResumeURL, testPublicURL), "", nil))
	if !strings.HasPrefix(loc.String(), printerRedirect) || loc.Query().Get("error") != "access_denied" ||
		loc.Query().Get("state") != p.state || loc.Query().Get("code") != "" {
		t.Fatalf("deny went to %s", loc)
	}
	if got := e.storedUser(t, u.ID).OAuthConsents; len(got) != 0 {
		t.Fatalf("deny stored %+v", got)
	}

	// Signed on now: authorize goes straight to the consent screen; allow.
	p = newPKCE()
	id, _ = b.consentScreen(t, e.authorizeApp(app.ID, printerRedirect, "openid profile", p))
	f = decode[resource.Flow](t, respWant(t, b.action(id, "oauth.consent", map[string]bool{"accept": true}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after allow: %+v", f)
	}
	loc = location(t, b.do("GET", strings.TrimPrefix(f.ResumeURL, testPublicURL), "", nil))
	if loc.Query().Get("code") == "" || loc.Query().Get("state") != p.state {
		t.Fatalf("allow went to %s", loc)
	}
	tr := e.codeFor(t, app.ID, printerRedirect, loc.Query().Get("code"), p)
	if tr.AccessToken == "" || tr.RefreshToken == "" {
		t.Fatalf("tokens %+v", tr)
	}
	got := e.storedUser(t, u.ID).OAuthConsents
	if len(got) != 1 || got[0].ClientID != app.ID || !slices.Equal(got[0].Scopes, []string{"openid", "profile"}) || !got[0].GrantedAt.Equal(e.clock.Now()) {
		t.Fatalf("stored consent %+v", got)
	}

	// The same scopes (or fewer) again: a code at once, no screen.
	for _, s := range []string{"openid profile", "openid"} {
		p = newPKCE()
		loc = location(t, b.do("GET", e.authorizeApp(app.ID, printerRedirect, s, p), "", nil))
		if !strings.HasPrefix(loc.String(), printerRedirect) || loc.Query().Get("code") == "" {
			t.Fatalf("%q: authorize went to %s", s, loc)
		}
	}
	// Broader without a prompt allowed: consent_required.
	loc = location(t, b.do("GET", e.authorizeApp(app.ID, printerRedirect, "openid profile email", newPKCE(), "prompt", "none"), "", nil))
	if loc.Query().Get("error") != "consent_required" {
		t.Fatalf("prompt=none broader went to %s", loc)
	}
	// Broader: the screen again, asking for the new scope.
	_, f = b.consentScreen(t, e.authorizeApp(app.ID, printerRedirect, "openid profile email", newPKCE()))
	if !slices.Equal(f.Embedded.Consent.New, []string{"email"}) || len(f.Embedded.Consent.Scopes) != 3 {
		t.Fatalf("broader asks %+v", f.Embedded.Consent)
	}

	// A first-party application (MyAccount) never asks.
	loc = location(t, b.do("GET", e.authorizeURL(newPKCE(), nil), "", nil))
	if !strings.HasPrefix(loc.String(), e.myAccountRedirect()) || loc.Query().Get("code") == "" {
		t.Fatalf("MyAccount authorize went to %s", loc)
	}
}

func (e *env) storedUser(t *testing.T, id string) *store.User {
	t.Helper()
	u, err := e.st.GetUser(t.Context(), e.srv.Bootstrap.DefaultEnvID, id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestOAuthConsentRevoke: the user revokes the application's consent from
// MyAccount (p1:update:oauthConsent): the application's refresh token and
// access token are refused on their next use, MyAccount's own tokens are
// not, a second revoke is 404, the history shows given then revoked, and
// the next authorize asks again.
func TestOAuthConsentRevoke(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("ann", "ann@example.com", userPassword)
	app := thirdParty(t, e)
	envID := e.srv.Bootstrap.DefaultEnvID
	b := e.browser()

	p := newPKCE()
	loc := location(t, b.do("GET", e.authorizeApp(app.ID, printerRedirect, "openid profile", p), "", nil))
	id := loc.Query().Get("flowId")
	respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "oauth.consent", map[string]bool{"accept": true}), 200))
	loc = location(t, b.do("GET", strings.TrimPrefix(f.ResumeURL, testPublicURL), "", nil))
	third := e.codeFor(t, app.ID, printerRedirect, loc.Query().Get("code"), p)
	respWant(t, e.userinfo(third.AccessToken), 200)

	// MyAccount, through the same SSO session.
	p = newPKCE()
	loc = location(t, b.do("GET", e.authorizeURL(p, url.Values{"scope": {"openid " + scope.ReadOAuthConsent + " " + scope.UpdateOAuthConsent + " " + scope.ReadUserConsent}}), "", nil))
	mine := decode[resource.TokenResponse](t, respWant(t, e.exchange(loc.Query().Get("code"), p.verifier, e.myAccountRedirect()), 200))

	list := decode[resource.List[resource.UserOAuthConsent]](t, respWant(t, e.api("GET", paths.Build(paths.UserOAuthConsents, envID, u.ID), mine.AccessToken, ""), 200))
	got := list.Embedded["oauthConsents"]
	if len(got) != 1 || got[0].Application.ID != app.ID || got[0].Application.Name != "Photo Printer" ||
		!slices.Equal(got[0].Scopes, []string{"openid", "profile"}) || got[0].Status != resource.OAuthConsentAccepted {
		t.Fatalf("list %+v", got)
	}
	one := paths.Build(paths.UserOAuthConsent, envID, u.ID, got[0].ID)
	k := decode[resource.UserOAuthConsent](t, respWant(t, e.apiCT("PATCH", one, mine.AccessToken, paths.ActionConsentRevoke, `{"status":"REVOKED"}`), 200))
	if k.Status != resource.OAuthConsentRevoked || k.ID != got[0].ID {
		t.Errorf("revoke answered %+v", k)
	}
	// The application's tokens die at once; MyAccount's live on.
	if resp := e.refreshApp(app.ID, third.RefreshToken); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("refresh after revoke: %d", resp.StatusCode)
	}
	if resp := e.userinfo(third.AccessToken); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("access token after revoke: %d", resp.StatusCode)
	}
	respWant(t, e.userinfo(mine.AccessToken), 200)
	respWant(t, e.refresh(mine.RefreshToken), 200)
	// Revoking twice: 404.
	respWant(t, e.apiCT("PATCH", one, mine.AccessToken, paths.ActionConsentRevoke, `{"status":"REVOKED"}`), 404)

	hist := decode[resource.List[resource.ConsentHistoryEntry]](t, respWant(t, e.api("GET", paths.Build(paths.UserConsentHistory, envID, u.ID), mine.AccessToken, ""), 200))
	h := hist.Embedded["consentHistory"]
	if len(h) != 2 || h[0].Change != resource.ConsentRevoked || h[1].Change != resource.ConsentGiven ||
		h[0].Kind != resource.ConsentKindApplication || h[0].Target.ID != app.ID || h[0].Name != "Photo Printer" ||
		!slices.Equal(h[1].Scopes, []string{"openid", "profile"}) {
		t.Fatalf("history %+v", h)
	}

	// The next authorize asks again.
	b.consentScreen(t, e.authorizeApp(app.ID, printerRedirect, "openid profile", newPKCE()))
}

// TestOAuthConsentAfterAgreement: with an agreement in the sign-on policy,
// a third-party application's first sign-on asks for the agreement, then
// for the consent; the history names both.
func TestOAuthConsentAfterAgreement(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("ann", "ann@example.com", userPassword)
	agID, _ := agreementSetup(t, e)
	envID, tok := e.srv.Bootstrap.DefaultEnvID, e.adminToken()
	app := decode[resource.Application](t, respWant(t, e.api("POST", paths.Build(paths.Applications, envID), tok,
		`{"name":"Photo Printer","type":"SINGLE_PAGE_APP","redirectUris":["`+printerRedirect+`"],"requireConsent":true}`), 201))
	b := e.browser()
	p := newPKCE()
	loc := location(t, b.do("GET", e.authorizeApp(app.ID, printerRedirect, "openid email", p), "", nil))
	id := loc.Query().Get("flowId")
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200))
	if f.Status != resource.FlowAgreementConsentRequired {
		t.Fatalf("after password: %s", f.Status)
	}
	f = decode[resource.Flow](t, respWant(t, b.action(id, "agreement.consent", map[string]bool{"accept": true}), 200))
	if f.Status != resource.FlowConsentRequired || f.Embedded == nil || f.Embedded.Consent == nil || f.ResumeURL != "" {
		t.Fatalf("after the agreement: %+v", f)
	}
	f = decode[resource.Flow](t, respWant(t, b.action(id, "oauth.consent", map[string]bool{"accept": true}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after the consent: %s", f.Status)
	}
	loc = location(t, b.do("GET", strings.TrimPrefix(f.ResumeURL, testPublicURL), "", nil))
	if loc.Query().Get("code") == "" {
		t.Fatalf("resume went to %s", loc)
	}
	hist := decode[resource.List[resource.ConsentHistoryEntry]](t, respWant(t, e.api("GET", paths.Build(paths.UserConsentHistory, envID, u.ID), tok, ""), 200))
	h := hist.Embedded["consentHistory"]
	if len(h) != 2 || h[0].Kind != resource.ConsentKindApplication || h[1].Kind != resource.ConsentKindAgreement ||
		h[1].Target.ID != agID || h[1].Name != "Terms of use" || h[1].Change != resource.ConsentGiven {
		t.Fatalf("history %+v", h)
	}
}
