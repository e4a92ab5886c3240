package ui

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/url"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/app/oauth"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

// session is a signed-on user's tokens. It lives in wasm memory only: never
// in localStorage or sessionStorage, so a reload starts with none and asks
// the SSO session again (prompt=none).
type session struct {
	accessToken string
	idToken     string
	sub         string
	scopes      scope.Set
	// redirectURI is MyAccount's redirect URI, also the post-sign-off one.
	redirectURI string
}

// authResult says what the MyAccount page does after looking at its URL:
// leave (redirect), show a signed-on user (sess), show the offline view, or
// show an error.
type authResult struct {
	redirect string
	sess     *session
	// clean is the page URL with the OAuth answer stripped, to replace the
	// address bar with.
	clean *url.URL
	// fragment is the tab the user was on before the round trip.
	fragment string
	offline  bool
	err      Msg
	// canRetry offers a "Sign on" button next to err.
	canRetry bool
	// pairing is config.json's pairing rules, with a signed-on session.
	pairing *resource.AppPairing
}

// dataResult is what the MyAccount page shows once signed on.
type dataResult struct {
	user     *resource.User
	devices  []resource.Device
	scopes   scope.Set
	offline  bool
	err      Msg
	canRetry bool
	// etag is the user's version (for If-Match); attrs the environment's
	// profileAttributes (what My profile shows and lets the user edit).
	etag  string
	attrs map[string]string
}

// snapshot is the offline copy of what a user last saw, in localStorage
// under a key naming the environment and the user. No tokens.
type snapshot struct {
	User    *resource.User    `json:"user,omitempty"`
	Devices []resource.Device `json:"devices,omitempty"`
	Scopes  scope.Set         `json:"scopes"`
	SavedAt time.Time         `json:"savedAt"`
}

// account is the MyAccount page's logic: sign-on with OAuth code + PKCE,
// loading the user's data, the offline copy and sign-off. It holds no
// state of its own between calls (the page does), so it can run under
// ctx.Async.
type account struct {
	env       string
	api       *apiclient.Client
	session   app.BrowserStorage // survives the redirect: the pending request
	local     app.BrowserStorage // survives the browser: the offline copy
	browser   Browser
	webauthn  WebAuthn // nil: the browser's (fido.go)
	rand      io.Reader
	now       func() time.Time
	publicURL string // fallback when the config has none
	// redirectFor is the page's redirect URI (nil: MyAccount's); scopes
	// what it asks for (nil: MyAccount's). The application portal sets
	// both (myapps.go).
	redirectFor func(publicURL, envID string) string
	scopes      scope.Set
}

// redirectURI is this page's redirect URI under the public URL pub.
func (a *account) redirectURI(pub string) string {
	if a.redirectFor != nil {
		return a.redirectFor(pub, a.env)
	}
	return oauth.RedirectURI(pub, a.env)
}

func (a *account) pendingKey() string      { return "myaccount." + a.env + ".pending" }
func (a *account) silentFailedKey() string { return "myaccount." + a.env + ".silentFailed" }
func (a *account) lastKey() string         { return "myaccount." + a.env + ".last" }
func (a *account) snapshotKey(sub string) string {
	return "myaccount." + a.env + ".user." + sub
}

// begin decides what to do with the page URL: finish a sign-on (code or
// error in the query), or start one (no tokens in memory).
func (a *account) begin(ctx context.Context, page *url.URL) authResult {
	if !a.browser.Online() {
		return authResult{offline: true}
	}
	cfg, err := a.api.GetConfig(ctx)
	if err != nil {
		return a.failure(err, MsgErrUnknownEnv)
	}
	pub := cfg.PublicURL
	if pub == "" {
		pub = a.publicURL
	}
	redirectURI := a.redirectURI(pub)
	q := page.Query()
	if q.Has("code") || q.Has("error") {
		r := a.finish(ctx, page, cfg.ClientID, redirectURI)
		r.pairing = cfg.Pairing
		return r
	}
	silent := !a.session.Contains(a.silentFailedKey())
	return a.authorize(cfg.ClientID, redirectURI, silent, page.Fragment)
}

// authorize prepares a trip to /as/authorize: a fresh state, nonce and
// verifier kept in sessionStorage for the way back.
func (a *account) authorize(clientID, redirectURI string, silent bool, fragment string) authResult {
	return a.authorizeACR(clientID, redirectURI, silent, fragment, "")
}

// authorizeACR is authorize asking for a sign-on policy (acr_values): the
// step-up to Multi_Factor asks the SSO session for MFA only.
func (a *account) authorizeACR(clientID, redirectURI string, silent bool, fragment, acr string) authResult {
	p, err := oauth.NewPending(a.rand, silent, fragment)
	if err != nil {
		return authResult{err: MsgErrGeneric}
	}
	scopes := a.scopes
	if scopes == nil {
		scopes = oauth.MyAccountScopes()
	}
	if err := a.session.Set(a.pendingKey(), p); err != nil {
		return authResult{err: MsgErrGeneric}
	}
	return authResult{redirect: oauth.AuthorizeURL(oauth.AuthorizeRequest{
		EnvironmentID: a.env,
		ClientID:      clientID,
		RedirectURI:   redirectURI,
		Scope:         scopes,
		Pending:       p,
		ACRValues:     acr,
	})}
}

// finish handles the answer of /as/authorize.
func (a *account) finish(ctx context.Context, page *url.URL, clientID, redirectURI string) authResult {
	q := page.Query()
	clean := *page
	clean.RawQuery = ""

	var p oauth.Pending
	have := a.session.Contains(a.pendingKey())
	if have {
		_ = a.session.Get(a.pendingKey(), &p)
	}
	// One answer per request: a reload of the answer URL must not replay it.
	a.session.Del(a.pendingKey())
	if !have || p.State == "" || q.Get("state") != p.State {
		return authResult{clean: &clean, err: MsgErrState, canRetry: true}
	}
	if code := q.Get("error"); code != "" {
		if p.Silent && oauth.SilentFailure(code) {
			// Remember it, so the next load goes straight to the
			// interactive sign-on instead of looping through prompt=none.
			_ = a.session.Set(a.silentFailedKey(), true)
			return a.authorize(clientID, redirectURI, false, p.Fragment)
		}
		return authResult{clean: &clean, fragment: p.Fragment, err: MsgErrSignOn, canRetry: true}
	}
	tok, err := a.api.ExchangeCode(ctx, apiclient.CodeExchange{
		Code:         q.Get("code"),
		RedirectURI:  redirectURI,
		ClientID:     clientID,
		CodeVerifier: p.Verifier,
	})
	if err != nil {
		r := a.failure(err, MsgErrSignOn)
		r.clean, r.fragment = &clean, p.Fragment
		return r
	}
	s, ok := newSession(tok, p.Nonce, redirectURI)
	if !ok {
		return authResult{clean: &clean, fragment: p.Fragment, err: MsgErrState, canRetry: true}
	}
	a.session.Del(a.silentFailedKey())
	return authResult{sess: s, clean: &clean, fragment: p.Fragment}
}

// newSession reads the subject and granted scopes from a token response
// and checks the ID token answers this request (nonce).
func newSession(tok resource.TokenResponse, nonce, redirectURI string) (*session, bool) {
	if tok.AccessToken == "" {
		return nil, false
	}
	s := &session{accessToken: tok.AccessToken, idToken: tok.IDToken, redirectURI: redirectURI}
	var at oauth.Claims
	if c, err := oauth.ParseClaims(tok.AccessToken); err == nil {
		at = c
	}
	if tok.IDToken != "" {
		id, err := oauth.ParseClaims(tok.IDToken)
		if err != nil || id.Nonce != nonce {
			return nil, false
		}
		s.sub = id.Subject
	}
	if s.sub == "" {
		s.sub = at.Subject
	}
	if s.sub == "" {
		return nil, false
	}
	// RFC 6749 §5.1: no scope in the answer means the requested ones.
	switch {
	case tok.Scope != "":
		s.scopes = scope.Parse(tok.Scope)
	case at.Scope != "":
		s.scopes = scope.Parse(at.Scope)
	default:
		s.scopes = oauth.MyAccountScopes()
	}
	return s, true
}

// failure maps an API failure: offline for network errors, else msg (or
// msg404 for a 404, the unknown-environment case of the config).
func (a *account) failure(err error, msg404 Msg) authResult {
	if apiclient.IsNetwork(err) {
		return authResult{offline: true}
	}
	if e, ok := apiclient.AsAPIError(err); ok && e.Status == 404 {
		return authResult{err: msg404}
	}
	return authResult{err: MsgErrSignOn, canRetry: true}
}

// load reads what the granted scopes allow and keeps an offline copy.
func (a *account) load(ctx context.Context, s session) dataResult {
	r := dataResult{scopes: s.scopes}
	var errs []error
	if s.scopes.Has(scope.ReadUser) {
		p, err := a.api.GetProfile(ctx, s.sub, s.accessToken)
		if err == nil {
			r.user, r.etag = &p.User, p.ETag
		}
		errs = append(errs, err)
		// Without the setting the form falls back to the defaults; the
		// server enforces the real one either way.
		if cfg, err := a.api.GetConfig(ctx); err == nil {
			r.attrs = cfg.ProfileAttributes
		}
	}
	if s.scopes.Has(scope.ReadDevice) {
		d, err := a.api.ListDevices(ctx, s.sub, s.accessToken)
		if err == nil {
			r.devices = d
		}
		errs = append(errs, err)
	}
	err := errors.Join(errs...)
	switch {
	case err == nil:
		_ = a.local.Set(a.snapshotKey(s.sub), snapshot{User: r.user, Devices: r.devices, Scopes: s.scopes, SavedAt: a.now().UTC()})
		_ = a.local.Set(a.lastKey(), s.sub)
	case apiclient.IsNetwork(err):
		if snap, ok := a.snapshot(s.sub); ok {
			return dataResult{user: snap.User, devices: snap.Devices, scopes: s.scopes, offline: true}
		}
		r.offline = true
	default:
		if e, ok := apiclient.AsAPIError(err); ok && e.Status == 401 {
			return dataResult{scopes: s.scopes, err: MsgErrSession, canRetry: true}
		}
		r.err = MsgErrGeneric
	}
	return r
}

// snapshot reads the offline copy of sub.
func (a *account) snapshot(sub string) (snapshot, bool) {
	var s snapshot
	if sub == "" || !a.local.Contains(a.snapshotKey(sub)) {
		return s, false
	}
	if err := a.local.Get(a.snapshotKey(sub), &s); err != nil {
		return s, false
	}
	return s, true
}

// lastSnapshot is the offline copy of the last user seen in this
// environment: what the offline shell shows before anyone signs on.
func (a *account) lastSnapshot() (snapshot, bool) {
	var sub string
	if a.local.Contains(a.lastKey()) {
		_ = a.local.Get(a.lastKey(), &sub)
	}
	return a.snapshot(sub)
}

// signoff forgets the user's offline copy and the pending state, and
// returns where to send the browser to end the SSO session.
func (a *account) signoff(s session) string {
	a.local.Del(a.snapshotKey(s.sub))
	var last string
	if a.local.Contains(a.lastKey()) {
		_ = a.local.Get(a.lastKey(), &last)
	}
	if last == s.sub {
		a.local.Del(a.lastKey())
	}
	a.session.Del(a.pendingKey())
	a.session.Del(a.silentFailedKey())
	return oauth.SignoffURL(a.env, s.idToken, s.redirectURI)
}

// signOnAgain starts an interactive sign-on (the "Sign on" button of an
// error state).
func (a *account) signOnAgain(ctx context.Context, fragment string) authResult {
	return a.signOnACR(ctx, fragment, "")
}

// stepUp sends the browser through MFA (acr_values=Multi_Factor, no
// prompt=login: the SSO session already holds the password) to come back
// on fragment with tokens whose session has fresh MFA.
func (a *account) stepUp(ctx context.Context, fragment string) authResult {
	return a.signOnACR(ctx, fragment, acrMultiFactor)
}

// acrMultiFactor is the sign-on policy that asks for MFA.
const acrMultiFactor = "Multi_Factor"

func (a *account) signOnACR(ctx context.Context, fragment, acr string) authResult {
	cfg, err := a.api.GetConfig(ctx)
	if err != nil {
		return a.failure(err, MsgErrUnknownEnv)
	}
	pub := cfg.PublicURL
	if pub == "" {
		pub = a.publicURL
	}
	return a.authorizeACR(cfg.ClientID, a.redirectURI(pub), false, fragment, acr)
}

// browserAccount is the account of a page running in the browser for env:
// its storage, fetch, navigation and crypto.getRandomValues. MyAccount and
// the app portal both sign on through one.
func browserAccount(ctx app.Context, env string) *account {
	return &account{
		env:       env,
		api:       apiclient.New(apiclient.Config{EnvironmentID: env}),
		session:   ctx.SessionStorage(),
		local:     ctx.LocalStorage(),
		browser:   jsBrowser{},
		rand:      rand.Reader,
		now:       time.Now,
		publicURL: app.Getenv(EnvPublicURL),
	}
}
