//go:build !js

package ui

import (
	"net/url"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestMyAccountPageSignOnAndOff(t *testing.T) {
	f := newAccountFixture(t, "openid profile email p1:read:user p1:read:device")
	ctx, e := newHarness(t)

	// First visit, deep link to the Authentication tab: off to /as/authorize.
	p := &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI+"#mfa"))
	e.ConsumeAll()
	q := f.authorizeParams(t, authResult{redirect: f.browser.last()})
	if p.phase != phaseLeaving {
		t.Errorf("phase = %v, want leaving", p.phase)
	}
	mustID(t, render(t, p), "loading")

	// Back with a code: a new page (the browser loaded the URL afresh).
	p = &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	e.ConsumeAll()
	if p.phase != phaseReady || p.sess == nil || !p.loaded {
		t.Fatalf("page after sign-on: phase %v, session %v, loaded %v, err %q", p.phase, p.sess != nil, p.loaded, p.errText)
	}
	if got := ctx.Page().URL(); got.RawQuery != "" || got.Fragment != "mfa" {
		t.Errorf("address bar = %s, want the answer stripped and #mfa back", got)
	}
	doc := render(t, p)
	for _, id := range []string{"tab-profile", "tab-mfa", "signoff", "profile-username"} {
		mustID(t, doc, id)
	}
	if _, hidden := attr(mustID(t, doc, "panel-mfa"), "hidden"); hidden {
		t.Error("#mfa did not open the Authentication tab")
	}
	if n := len(byClass(doc, "device-default")); n != 1 {
		t.Errorf("%d default devices shown", n)
	}

	// Choosing a tab updates the fragment.
	p.onSelectTab(ctx, "profile")
	if p.tab != "profile" || ctx.Page().URL().Fragment != "profile" {
		t.Errorf("tab = %q, fragment = %q", p.tab, ctx.Page().URL().Fragment)
	}

	// Sign off: the offline copy goes, the browser goes to /as/signoff.
	idToken := p.sess.idToken
	p.onSignoff(ctx, app.Event{})
	to := pageURL(t, f.browser.last())
	if to.Path != "/"+testEnv+"/as/signoff" || to.Query().Get("id_token_hint") != idToken ||
		to.Query().Get("post_logout_redirect_uri") != redirectURI {
		t.Errorf("sign-off went to %s", to)
	}
	if f.local.Len() != 0 || p.sess != nil {
		t.Errorf("after sign-off: storage %v, session kept %v", f.local.keys(), p.sess != nil)
	}
}

func TestMyAccountPageOffline(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:user p1:read:device")
	ctx, e := newHarness(t)

	// Nobody seen yet: the offline state has nothing to show.
	f.browser.offline = true
	p := &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI))
	e.ConsumeAll()
	doc := render(t, p)
	mustID(t, doc, "offline-banner")
	if got := text(mustID(t, doc, "error")); got != T(MsgOfflineNoData) {
		t.Errorf("#error = %q", got)
	}
	mustID(t, doc, "retry")

	// Sign on once, then reload offline: last data, read-only, with the banner.
	f.browser.offline = false
	p = &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI))
	e.ConsumeAll()
	q := f.authorizeParams(t, authResult{redirect: f.browser.last()})
	p = &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	e.ConsumeAll()
	if p.sess == nil {
		t.Fatalf("not signed on: %q", p.errText)
	}

	f.browser.offline = true
	redirects := len(f.browser.redirects)
	p = &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI))
	e.ConsumeAll()
	if len(f.browser.redirects) != redirects {
		t.Error("offline page tried to leave for /as/authorize")
	}
	doc = render(t, p)
	mustID(t, doc, "offline-banner")
	if got := text(mustID(t, doc, "profile-username")); got != "jane" {
		t.Errorf("#profile-username = %q", got)
	}
	if n := len(byClass(doc, "device")); n != 1 {
		t.Errorf("%d devices shown offline", n)
	}
	if byID(doc, "signoff") != nil {
		t.Error("sign-off offered with no session")
	}
}

func TestMyAccountPageBadEnvironment(t *testing.T) {
	ctx, e := newHarness(t)
	p := &MyAccountPage{}
	p.mount(ctx, pageURL(t, "https://id.example/not-a-uuid/myaccount/"))
	e.ConsumeAll()
	if got := text(mustID(t, render(t, p), "error")); got != T(MsgErrUnknownEnv) {
		t.Errorf("#error = %q", got)
	}
}

func TestMyAccountPageRetrySignOn(t *testing.T) {
	f := newAccountFixture(t, "openid p1:read:user")
	ctx, e := newHarness(t)
	p := &MyAccountPage{acct: f.acct}
	p.mount(ctx, pageURL(t, redirectURI+"?code=good-code&state=forged"))
	e.ConsumeAll()
	doc := render(t, p)
	if got := text(mustID(t, doc, "error")); got != T(MsgErrState) {
		t.Errorf("#error = %q", got)
	}
	mustID(t, doc, "retry")
	p.onRetry(ctx, app.Event{})
	e.ConsumeAll()
	q := pageURL(t, f.browser.last()).Query()
	if !strings.HasSuffix(pageURL(t, f.browser.last()).Path, "/as/authorize") || q.Has("prompt") {
		t.Errorf("retry went to %s, want an interactive authorize", f.browser.last())
	}
}
