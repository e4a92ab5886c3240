package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/myaccount/myaccount/server/internal/manage"
	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// fakeOP is an external OpenID provider under the test's control: it
// signs whatever ID token claims the test sets, so the relying party's
// checks (issuer, audience, nonce, signature, PKCE) can each be broken.
type fakeOP struct {
	srv *httptest.Server
	key *ecdsa.PrivateKey
	now func() time.Time

	mu        sync.Mutex
	challenge string // the PKCE challenge of the last authorization request
	nonce     string // its nonce
	sub       string
	email     string
	// tamper changes the ID token's claims before signing.
	tamper func(jwt.MapClaims)
	// otherKey signs with a key the JWKS does not hold.
	otherKey bool
}

func newFakeOP(t *testing.T, now func() time.Time) *fakeOP {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	op := &fakeOP{key: key, now: now, sub: "ext-subject-1", email: "fed@example.com"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": op.srv.URL, "authorization_endpoint": op.srv.URL + "/authorize", "token_endpoint": op.srv.URL + "/token",
			"jwks_uri": op.srv.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"ES256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		pub, _ := key.PublicKey.ECDH()
		b := pub.Bytes() // 0x04 || X || Y
		enc := base64.RawURLEncoding.EncodeToString
		json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "EC", "crv": "P-256", "kid": "k1", "use": "sig", "alg": "ES256", "x": enc(b[1:33]), "y": enc(b[33:]),
		}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		op.mu.Lock()
		defer op.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
		if r.FormValue("code") != "good-code" || base64.RawURLEncoding.EncodeToString(sum[:]) != op.challenge {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		now := op.now()
		claims := jwt.MapClaims{"iss": op.srv.URL, "sub": op.sub, "aud": "rp-client", "nonce": op.nonce,
			"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "email": op.email, "email_verified": true,
			"given_name": "Fed", "family_name": "Erated"}
		if op.tamper != nil {
			op.tamper(claims)
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
		tok.Header["kid"] = "k1"
		signer := key
		if op.otherKey {
			signer, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		}
		raw, err := tok.SignedString(signer)
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": raw})
	})
	op.srv = httptest.NewServer(mux)
	t.Cleanup(op.srv.Close)
	return op
}

// fed is a Default environment with the fake provider configured.
type fed struct {
	e     *env
	op    *fakeOP
	envID string
	idpID string
	tok   string
}

func newFed(t *testing.T, createUsers bool) *fed {
	t.Helper()
	e := newSQLiteEnv(t)
	op := newFakeOP(t, e.clock.Now)
	f := &fed{e: e, op: op, envID: e.srv.Bootstrap.DefaultEnvID, tok: e.adminToken()}
	body := fmt.Sprintf(`{"type":"OPENID_CONNECT","name":"Fake","enabled":true,"issuer":%q,"clientId":"rp-client","createUsers":%v}`, op.srv.URL, createUsers)
	p := decode[resource.ExternalIdentityProvider](t, respWant(t, e.api("POST", paths.Build(paths.IdentityProviders, f.envID), f.tok, body), 201))
	f.idpID = p.ID
	return f
}

// start opens a sign-on flow and goes to the provider; it returns the
// flow id and the state the provider would send back.
func (f *fed) start(t *testing.T, b *browser) (flowID, state string) {
	t.Helper()
	flowID = b.startFlow(newPKCE())
	fl := decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(flowID), "", nil), 200))
	if fl.Embedded == nil || len(fl.Embedded.IdentityProviders) != 1 || fl.Embedded.IdentityProviders[0].Name != "Fake" {
		t.Fatalf("flow offers no provider: %+v", fl.Embedded)
	}
	href := strings.TrimPrefix(fl.Embedded.IdentityProviders[0].Href, testPublicURL)
	resp := b.do("GET", href, "", nil)
	wantStatus(t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if !strings.HasPrefix(loc.String(), f.op.srv.URL+"/authorize?") || q.Get("code_challenge_method") != "S256" ||
		q.Get("nonce") == "" || q.Get("client_id") != "rp-client" || !strings.Contains(q.Get("scope"), "openid") ||
		q.Get("redirect_uri") != testPublicURL+paths.Build(paths.FederationCallback, f.envID) {
		t.Fatalf("start sent the browser to %s", loc)
	}
	f.op.mu.Lock()
	f.op.challenge, f.op.nonce = q.Get("code_challenge"), q.Get("nonce")
	f.op.mu.Unlock()
	return flowID, q.Get("state")
}

// callback comes back from the provider and returns the redirect.
func (f *fed) callback(t *testing.T, b *browser, state, code string, want int) *url.URL {
	t.Helper()
	resp := b.do("GET", paths.Build(paths.FederationCallback, f.envID)+"?"+url.Values{"state": {state}, "code": {code}}.Encode(), "", nil)
	wantStatus(t, resp, want)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc
}

func (f *fed) flow(t *testing.T, b *browser, id string) resource.Flow {
	t.Helper()
	return decode[resource.Flow](t, respWant(t, b.do("GET", b.flowURL(id), "", nil), 200))
}

// TestFederationRefusesBadAnswers: every broken answer of the provider
// leaves the flow where it was, with the error shown, and links nothing.
func TestFederationRefusesBadAnswers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		tamper   func(jwt.MapClaims)
		otherKey bool
		code     string
		wait     time.Duration
	}{
		{name: "wrong_nonce", tamper: func(c jwt.MapClaims) { c["nonce"] = "someone-elses" }},
		{name: "no_nonce", tamper: func(c jwt.MapClaims) { delete(c, "nonce") }},
		{name: "other_issuer", tamper: func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }},
		{name: "other_audience", tamper: func(c jwt.MapClaims) { c["aud"] = "another-client" }},
		{name: "expired_token", tamper: func(c jwt.MapClaims) { c["exp"] = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix() }},
		{name: "unknown_key", otherKey: true},
		{name: "bad_code", code: "stolen-code"},
		{name: "round_trip_expired", wait: signon.FederationTTL + time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFed(t, true)
			f.op.tamper, f.op.otherKey = tc.tamper, tc.otherKey
			b := f.e.browser()
			flowID, state := f.start(t, b)
			f.e.clock.Add(tc.wait)
			code := tc.code
			if code == "" {
				code = "good-code"
			}
			loc := f.callback(t, b, state, code, http.StatusFound)
			if loc.Path != paths.Build(paths.SignOn, f.envID) || loc.Query().Get("flowId") != flowID {
				t.Fatalf("callback sent the browser to %s", loc)
			}
			fl := f.flow(t, b, flowID)
			if fl.Status != resource.FlowUsernamePasswordRequired || fl.Error == nil || fl.Error.Code != resource.FederationFailed {
				t.Fatalf("flow after a bad answer: %s %+v", fl.Status, fl.Error)
			}
			if _, err := f.e.st.GetExternalIdentity(t.Context(), f.envID, f.op.srv.URL, f.op.sub); err == nil {
				t.Fatal("a bad answer linked the external account")
			}
			if _, err := f.e.st.GetUserByUsername(t.Context(), f.envID, f.op.email); err == nil {
				t.Fatal("a bad answer created a user")
			}
		})
	}
}

// TestFederationState: the state is bound to the flow and the browser and
// is used once.
func TestFederationState(t *testing.T) {
	f := newFed(t, true)
	b := f.e.browser()
	flowID, state := f.start(t, b)

	// Another browser with the same state: 404, and the state still works.
	f.callback(t, f.e.browser(), state, "good-code", http.StatusNotFound)
	// A forged secret, a malformed state, no state.
	id, _, _ := strings.Cut(state, ".")
	for _, bad := range []string{id + ".forged", "garbage", "", id} {
		f.callback(t, b, bad, "good-code", http.StatusNotFound)
	}
	// The good one completes (a new user: createUsers is on; MFA follows).
	loc := f.callback(t, b, state, "good-code", http.StatusFound)
	if loc.Query().Get("flowId") != flowID {
		t.Fatalf("callback sent the browser to %s", loc)
	}
	fl := f.flow(t, b, flowID)
	if fl.Error != nil || fl.Embedded == nil || fl.Embedded.User == nil || fl.Embedded.User.Username != "fed@example.com" {
		t.Fatalf("flow after a good answer: %s %+v %+v", fl.Status, fl.Error, fl.Embedded)
	}
	if fl.Status != resource.FlowMFAEnrollmentRequired {
		t.Fatalf("status %s: the sign-on policy's MFA must still apply", fl.Status)
	}
	// Replayed: 404, nothing changes.
	f.callback(t, b, state, "good-code", http.StatusNotFound)
	if again := f.flow(t, b, flowID); again.Status != fl.Status {
		t.Fatalf("replay moved the flow to %s", again.Status)
	}
	u, err := f.e.st.GetUserByUsername(t.Context(), f.envID, "fed@example.com")
	if err != nil || len(u.LinkedAccounts) != 1 || u.LinkedAccounts[0].Subject != f.op.sub || u.LinkedAccounts[0].Issuer != f.op.srv.URL || u.PasswordHash != "" {
		t.Fatalf("created user: %v %+v", err, u)
	}
	if x, err := f.e.st.GetExternalIdentity(t.Context(), f.envID, f.op.srv.URL, f.op.sub); err != nil || x.UserID != u.ID {
		t.Fatalf("claim: %v %+v", err, x)
	}
	wantEvent(t, f.e.st, f.envID, u.ID, signon.ActionLinkedAccountAdded)

	// The flow of this environment through another environment's path: 404.
	other := f.e.srv.Bootstrap.AdminEnvID
	resp := b.do("GET", paths.Build(paths.FlowIdentityProvider, other, flowID, f.idpID), "", nil)
	wantStatus(t, resp, http.StatusNotFound)

	// An expired flow: its state is 404.
	b3 := f.e.browser()
	_, state3 := f.start(t, b3)
	f.e.clock.Add(2 * time.Hour)
	f.callback(t, b3, state3, "good-code", http.StatusNotFound)
}

// TestFederationProviderChecks: a disabled, unknown or other environment's
// provider is not offered and cannot be started; no matching account
// without createUsers is a clear error.
func TestFederationProviderChecks(t *testing.T) {
	t.Run("no_account_without_createUsers", func(t *testing.T) {
		f := newFed(t, false)
		b := f.e.browser()
		flowID, state := f.start(t, b)
		f.callback(t, b, state, "good-code", http.StatusFound)
		fl := f.flow(t, b, flowID)
		if fl.Status != resource.FlowUsernamePasswordRequired || fl.Error == nil || fl.Error.Code != resource.FederationNoAccount || fl.Error.Message == "" {
			t.Fatalf("flow: %s %+v", fl.Status, fl.Error)
		}
		// The error shows until the next round trip starts.
		wantStatus(t, b.do("GET", paths.Build(paths.FlowIdentityProvider, f.envID, flowID, f.idpID), "", nil), http.StatusFound)
		if fl := f.flow(t, b, flowID); fl.Error != nil {
			t.Fatalf("error still shown: %+v", fl.Error)
		}
	})
	t.Run("disabled_provider", func(t *testing.T) {
		f := newFed(t, true)
		b := f.e.browser()
		flowID, state := f.start(t, b)
		body := fmt.Sprintf(`{"type":"OPENID_CONNECT","name":"Fake","enabled":false,"issuer":%q,"clientId":"rp-client"}`, f.op.srv.URL)
		respWant(t, f.e.api("PUT", paths.Build(paths.IdentityProvider, f.envID, f.idpID), f.tok, body), 200)
		f.callback(t, b, state, "good-code", http.StatusFound)
		fl := f.flow(t, b, flowID)
		if fl.Error == nil || fl.Error.Code != resource.FederationUnavailable {
			t.Fatalf("flow: %+v", fl.Error)
		}
		if fl.Embedded != nil && len(fl.Embedded.IdentityProviders) != 0 {
			t.Fatalf("a disabled provider is offered: %+v", fl.Embedded.IdentityProviders)
		}
		resp := b.do("GET", paths.Build(paths.FlowIdentityProvider, f.envID, flowID, f.idpID), "", nil)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || loc.Path != paths.Build(paths.SignOn, f.envID) {
			t.Fatalf("start of a disabled provider: %d %s", resp.StatusCode, loc)
		}
	})
	t.Run("other_environments_provider", func(t *testing.T) {
		f := newFed(t, true)
		b := f.e.browser()
		other := f.e.srv.Bootstrap.AdminEnvID
		body := fmt.Sprintf(`{"type":"OPENID_CONNECT","name":"Theirs","enabled":true,"issuer":%q,"clientId":"rp-client"}`, f.op.srv.URL)
		p := decode[resource.ExternalIdentityProvider](t, respWant(t, f.e.api("POST", paths.Build(paths.IdentityProviders, other), f.tok, body), 201))
		flowID := b.startFlow(newPKCE())
		resp := b.do("GET", paths.Build(paths.FlowIdentityProvider, f.envID, flowID, p.ID), "", nil)
		wantStatus(t, resp, http.StatusFound)
		if fl := f.flow(t, b, flowID); fl.Error == nil || fl.Error.Code != resource.FederationUnavailable {
			t.Fatalf("flow: %+v", fl.Error)
		}
	})
}

// TestFederationPasswordProof: an external account whose email matches a
// user links only after that user's password; a wrong one counts on the
// lockout.
func TestFederationPasswordProof(t *testing.T) {
	f := newFed(t, false)
	u := f.e.createUser("fed@example.com", "fed@example.com", "the right password 1")
	b := f.e.browser()
	flowID, state := f.start(t, b)
	f.callback(t, b, state, "good-code", http.StatusFound)
	fl := f.flow(t, b, flowID)
	if fl.Status != resource.FlowPasswordRequired || fl.Embedded == nil || fl.Embedded.User == nil || fl.Embedded.User.ID != u.ID {
		t.Fatalf("flow: %s %+v", fl.Status, fl.Embedded)
	}
	if _, ok := fl.Links[resource.ActionPasswordCheck]; !ok {
		t.Fatalf("links: %v", fl.Links)
	}
	// Other actions are closed.
	respWant(t, b.action(flowID, "usernamePassword.check", resource.UsernamePassword{Username: "fed@example.com", Password: "the right password 1"}), 400)
	// Wrong passwords: 400 each, then the account lockout (429).
	locked := false
	for i := range 10 {
		resp := b.action(flowID, resource.ActionPasswordCheck, resource.PasswordCheck{Password: fmt.Sprint("wrong password ", i)})
		if resp.StatusCode == http.StatusTooManyRequests {
			locked = true
			break
		}
		body := wantStatus(t, resp, 400)
		if !strings.Contains(string(body), "INVALID_CREDENTIALS") {
			t.Fatalf("wrong password: %s", body)
		}
	}
	if !locked {
		t.Fatal("wrong passwords never locked the account")
	}
	if x, err := f.e.st.GetExternalIdentity(t.Context(), f.envID, f.op.srv.URL, f.op.sub); err == nil {
		t.Fatalf("linked without the password: %+v", x)
	}
	wantEvent(t, f.e.st, f.envID, u.ID, "ACCOUNT_LOCKED")
	// Locked: even the right password waits.
	respWant(t, b.action(flowID, resource.ActionPasswordCheck, resource.PasswordCheck{Password: "the right password 1"}), 429)
	f.e.clock.Add(2 * time.Hour)
	// The flow itself has expired by now: a fresh round trip.
	flowID, state = f.start(t, b)
	f.callback(t, b, state, "good-code", http.StatusFound)
	fl = decode[resource.Flow](t, respWant(t, b.action(flowID, resource.ActionPasswordCheck, resource.PasswordCheck{Password: "the right password 1"}), 200))
	if fl.Status != resource.FlowMFAEnrollmentRequired {
		t.Fatalf("after the password: %s", fl.Status)
	}
	got, _ := f.e.st.GetUser(t.Context(), f.envID, u.ID)
	if len(got.LinkedAccounts) != 1 || got.LinkedAccounts[0].IdentityProviderID != f.idpID {
		t.Fatalf("linked accounts: %+v", got.LinkedAccounts)
	}
	wantEvent(t, f.e.st, f.envID, u.ID, signon.ActionLinkedAccountAdded)

	// The next sign-on with the provider continues as the user, to MFA.
	b2 := f.e.browser()
	flowID, state = f.start(t, b2)
	f.callback(t, b2, state, "good-code", http.StatusFound)
	if fl := f.flow(t, b2, flowID); fl.Embedded == nil || fl.Embedded.User == nil || fl.Embedded.User.ID != u.ID || fl.Status == resource.FlowCompleted {
		t.Fatalf("second sign-on: %s %+v", fl.Status, fl.Embedded)
	}

	// Unlinking releases the claim: another user may link it then.
	resp := f.e.api("DELETE", paths.Build(paths.LinkedAccount, f.envID, u.ID, got.LinkedAccounts[0].ID), f.e.adminToken(), "")
	wantStatus(t, resp, http.StatusNoContent)
	if _, err := f.e.st.GetExternalIdentity(t.Context(), f.envID, f.op.srv.URL, f.op.sub); err == nil {
		t.Fatal("unlink kept the claim")
	}
}

// TestFederationLinkTakenByOther: an external account linked to one user
// is refused to another, in a sign-on's password proof and in MyAccount's
// link flow.
func TestFederationLinkTakenByOther(t *testing.T) {
	f := newFed(t, false)
	owner := f.e.createUser("owner", "owner@example.com", "silver lining password 1")
	u := f.e.createUser("fed@example.com", "fed@example.com", "the right password 1")
	ctx := t.Context()
	if err := f.e.st.ClaimExternalIdentity(ctx, &store.ExternalIdentity{EnvironmentID: f.envID, Issuer: f.op.srv.URL, Subject: f.op.sub, UserID: owner.ID}); err != nil {
		t.Fatal(err)
	}
	// The claim is the owner's, whose record lacks the link (as if
	// mid-link): the provider signs nobody on with it, and the user its
	// email matches cannot link it, even with the right password.
	b := f.e.browser()
	flowID, state := f.start(t, b)
	f.callback(t, b, state, "good-code", http.StatusFound)
	if fl := f.flow(t, b, flowID); fl.Status != resource.FlowPasswordRequired || fl.Embedded.User.ID != u.ID {
		t.Fatalf("flow: %s %+v", fl.Status, fl.Error)
	}
	body := wantStatus(t, b.action(flowID, resource.ActionPasswordCheck, resource.PasswordCheck{Password: "the right password 1"}), 400)
	if !strings.Contains(string(body), resource.FederationLinkedToOther) {
		t.Fatalf("password proof for another user's account: %s", body)
	}
	if got, _ := f.e.st.GetUser(ctx, f.envID, u.ID); len(got.LinkedAccounts) != 0 {
		t.Fatalf("linked: %+v", got.LinkedAccounts)
	}

	// MyAccount's link flow for u, with a fresh MFA from its sign-on.
	b2 := f.e.browser()
	b2.signOn(newPKCE(), "fed@example.com", "the right password 1", "fed.mfa@example.com")
	resp := b2.do("GET", paths.Build(paths.FederationLink, f.envID, f.idpID), "", nil)
	wantStatus(t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if !strings.HasPrefix(loc.String(), f.op.srv.URL+"/authorize?") {
		t.Fatalf("link with a fresh MFA went to %s", loc)
	}
	f.op.mu.Lock()
	f.op.challenge, f.op.nonce = loc.Query().Get("code_challenge"), loc.Query().Get("nonce")
	f.op.mu.Unlock()
	back := f.callback(t, b2, loc.Query().Get("state"), "good-code", http.StatusFound)
	if back.Path != paths.Build(paths.MyAccount, f.envID) || back.Query().Get("linkError") != resource.FederationLinkedToOther || back.Fragment != "sessions" {
		t.Fatalf("link of a taken account came back to %s", back)
	}
	if got, _ := f.e.st.GetUser(ctx, f.envID, u.ID); len(got.LinkedAccounts) != 0 {
		t.Fatalf("linked: %+v", got.LinkedAccounts)
	}

	// Released by the owner, the same link flow works.
	if err := f.e.st.ReleaseExternalIdentity(ctx, f.envID, f.op.srv.URL, f.op.sub, owner.ID); err != nil {
		t.Fatal(err)
	}
	resp = b2.do("GET", paths.Build(paths.FederationLink, f.envID, f.idpID), "", nil)
	loc, _ = url.Parse(resp.Header.Get("Location"))
	f.op.mu.Lock()
	f.op.challenge, f.op.nonce = loc.Query().Get("code_challenge"), loc.Query().Get("nonce")
	f.op.mu.Unlock()
	back = f.callback(t, b2, loc.Query().Get("state"), "good-code", http.StatusFound)
	if back.Query().Get("linkError") != "" || back.Fragment != "sessions" {
		t.Fatalf("link came back to %s", back)
	}
	if got, _ := f.e.st.GetUser(ctx, f.envID, u.ID); len(got.LinkedAccounts) != 1 {
		t.Fatalf("not linked: %+v", got.LinkedAccounts)
	}

	// Without a session: 404. After the MFA went stale: an MFA step first.
	resp = f.e.browser().do("GET", paths.Build(paths.FederationLink, f.envID, f.idpID), "", nil)
	wantStatus(t, resp, http.StatusNotFound)
	f.e.clock.Add(signon.LinkFreshness + time.Minute)
	resp = b2.do("GET", paths.Build(paths.FederationLink, f.envID, f.idpID), "", nil)
	wantStatus(t, resp, http.StatusFound)
	loc, _ = url.Parse(resp.Header.Get("Location"))
	if loc.Path != paths.Build(paths.SignOn, f.envID) {
		t.Fatalf("a stale MFA went to %s", loc)
	}
	fl := f.flow(t, b2, loc.Query().Get("flowId"))
	if fl.Status != resource.FlowOTPRequired {
		t.Fatalf("link flow with a stale MFA: %s", fl.Status)
	}
	// A link flow never resumes into an authorization code.
	resp = b2.do("GET", paths.Build(paths.Resume, f.envID)+"?flowId="+fl.ID, "", nil)
	wantStatus(t, resp, http.StatusNotFound)
}

func wantEvent(t *testing.T, st store.Store, envID, userID, action string) {
	t.Helper()
	evs, err := st.ListEvents(t.Context(), envID, userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Action == action {
			return
		}
	}
	t.Fatalf("no %s event for the user", action)
}

// TestIdentityProviderSecretAD: the sign-on engine opens client secrets
// with the associated data the management API sealed them with.
func TestIdentityProviderSecretAD(t *testing.T) {
	if a, b := string(manage.IdentityProviderSecretAD("e", "p")), string(signon.IdentityProviderSecretAD("e", "p")); a != b {
		t.Fatalf("manage %q, signon %q", a, b)
	}
}

// TestFederationCompletesOwnClaim: a link that stopped between its claim
// and the user update (a crash) is completed by the user's next link, not
// refused as another user's.
func TestFederationCompletesOwnClaim(t *testing.T) {
	f := newFed(t, false)
	u := f.e.createUser("fed@example.com", "fed@example.com", "the right password 1")
	ctx := t.Context()
	if err := f.e.st.ClaimExternalIdentity(ctx, &store.ExternalIdentity{EnvironmentID: f.envID, Issuer: f.op.srv.URL,
		Subject: f.op.sub, UserID: u.ID, LinkedAccountID: "0190b7c4-0000-7000-8000-0000000000aa"}); err != nil {
		t.Fatal(err)
	}
	b := f.e.browser()
	flowID, state := f.start(t, b)
	f.callback(t, b, state, "good-code", http.StatusFound)
	respWant(t, b.action(flowID, resource.ActionPasswordCheck, resource.PasswordCheck{Password: "the right password 1"}), 200)
	got, _ := f.e.st.GetUser(ctx, f.envID, u.ID)
	if len(got.LinkedAccounts) != 1 || got.LinkedAccounts[0].ID != "0190b7c4-0000-7000-8000-0000000000aa" {
		t.Fatalf("linked accounts: %+v", got.LinkedAccounts)
	}
}
