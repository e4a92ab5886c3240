//go:build !js

package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
)

const portalRedirectURI = publicURL + "/" + testEnv + "/myapps/"

// portalApps answers the fake server's GET …/users/{userId}/applications.
func (s *authServer) portalApps(w http.ResponseWriter, r *http.Request, reply func(int, any)) {
	if r.Header.Get("Authorization") != "Bearer "+jwt(map[string]any{"sub": userID, "scope": s.scope}) {
		reply(401, map[string]string{"code": "INVALID_TOKEN", "message": "no token"})
		return
	}
	s.reads = append(s.reads, r.URL.Path)
	reply(200, resource.NewList("applications", []resource.PortalApplication{
		{ID: "a1", Name: "Team wiki", IconURL: "https://cdn.example.com/wiki.png", StartURL: "https://wiki.example.com/login"},
		{ID: "a2", Name: "expenses", StartURL: "http://localhost:4000/"},
		// One the server would never send: the tile must not become a
		// javascript: link anyway.
		{ID: "a3", Name: "Evil", StartURL: "javascript:alert(1)"},
	}, "self", ""))
}

// signedOnPortal mounts the portal, follows the sign-on and returns the
// signed-on page.
func signedOnPortal(t *testing.T, f *accountFixture) (*MyAppsPage, app.Context, app.TestEngine) {
	t.Helper()
	ctx, e := newHarness(t)
	p := &MyAppsPage{acct: f.acct}
	p.mount(ctx, pageURL(t, portalRedirectURI))
	e.ConsumeAll()
	q := f.authorizeParams(t, authResult{redirect: f.browser.last()})
	if q.Get("redirect_uri") != portalRedirectURI || q.Get("scope") != "openid profile email p1:read:user" || q.Get("prompt") != "none" {
		t.Fatalf("authorize request %v", q)
	}
	p = &MyAppsPage{acct: f.acct}
	p.mount(ctx, pageURL(t, portalRedirectURI+"?code=good-code&state="+url.QueryEscape(q.Get("state"))))
	e.ConsumeAll()
	if p.phase != phaseReady || p.sess == nil || !p.loaded || p.errText != "" {
		t.Fatalf("portal after sign-on: phase %v, session %v, loaded %v, err %q", p.phase, p.sess != nil, p.loaded, p.errText)
	}
	return p, ctx, e
}

func TestMyAppsTiles(t *testing.T) {
	f := newAccountFixture(t, "openid profile email p1:read:user")
	p, ctx, _ := signedOnPortal(t, f)
	if got := ctx.Page().URL(); got.RawQuery != "" {
		t.Errorf("address bar %s keeps the answer", got)
	}
	doc := render(t, p)
	tiles := byClass(doc, "tile")
	if len(tiles) != 2 {
		t.Fatalf("%d tiles:\n%s", len(tiles), dump(doc))
	}
	wiki := mustID(t, doc, "tile-a1")
	if href, _ := attr(wiki, "href"); href != "https://wiki.example.com/login" || text(wiki) != "Team wiki" {
		t.Errorf("wiki tile href %q text %q", href, text(wiki))
	}
	if _, ok := attr(wiki, "target"); ok {
		t.Error("a tile opens in a new tab")
	}
	if imgs := findAll(wiki, func(n *nodeT) bool { return n.Data == "img" }); len(imgs) != 1 {
		t.Errorf("wiki tile has %d images", len(imgs))
	} else if src, _ := attr(imgs[0], "src"); src != "https://cdn.example.com/wiki.png" {
		t.Errorf("icon src %q", src)
	}
	exp := mustID(t, doc, "tile-a2")
	if in := byClass(exp, "tile-initials"); len(in) != 1 || text(in[0]) != "E" {
		t.Errorf("expenses tile initials: %s", dump(exp))
	}
	if byID(doc, "tile-a3") != nil || strings.Contains(dump(doc), "javascript:") {
		t.Error("a javascript: tile was rendered")
	}
	// The avatar: the user's initials, a menu button, closed.
	av := mustID(t, doc, "avatar")
	if text(av) != "JD" {
		t.Errorf("avatar %q", text(av))
	}
	for k, want := range map[string]string{"aria-haspopup": "menu", "aria-expanded": "false", "aria-controls": "account-menu", "aria-label": "Account menu for Jane Doe"} {
		if v, _ := attr(av, k); v != want {
			t.Errorf("avatar %s = %q, want %q", k, v, want)
		}
	}
	if _, hidden := attr(mustID(t, doc, "account-menu"), "hidden"); !hidden {
		t.Error("menu shown before it was opened")
	}
	// An offline copy without tokens.
	if raw := f.local.raw("myapps." + testEnv + ".user." + userID); !strings.Contains(raw, "Team wiki") || strings.Contains(raw, "eyJ") {
		t.Errorf("offline copy %q", raw)
	}
}

func TestMyAppsEmpty(t *testing.T) {
	tiles := &AppTiles{Label: "Applications", Apps: nil, Empty: T(MsgPortalEmpty)}
	doc := render(t, tiles)
	if got := text(mustID(t, doc, "apps-empty")); got != T(MsgPortalEmpty) {
		t.Errorf("empty state %q", got)
	}
}

func TestInitials(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "two_words", in: "Jane Doe", want: "JD"},
		{name: "three_words", in: "Team wiki tools", want: "TW"},
		{name: "one_word", in: "expenses", want: "E"},
		{name: "email", in: "jane.doe@example.com", want: "JD"},
		{name: "accented", in: "élodie", want: "É"},
		{name: "nothing", in: " -- ", want: "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := initials(tt.in); got != tt.want {
				t.Fatalf("initials(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestAvatarMenuKeyboard drives the menu as a keyboard user would and
// checks where focus goes and what is chosen.
func TestAvatarMenuKeyboard(t *testing.T) {
	f := newAccountFixture(t, "openid profile email p1:read:user")
	p, ctx, e := signedOnPortal(t, f)
	var focused []string
	menu := func() *AvatarMenu {
		return &AvatarMenu{Items: p.menuItems(), Open: p.menuOpen, OnOpen: p.onMenuOpen, OnChoose: p.onMenuChoose,
			Focus: func(id string) { focused = append(focused, id) }}
	}
	lastFocus := func() string {
		e.ConsumeAll()
		if len(focused) == 0 {
			return ""
		}
		return focused[len(focused)-1]
	}
	prevented := 0
	prevent := func() { prevented++ }

	var ids []string
	for _, it := range p.menuItems() {
		ids = append(ids, it.ID)
	}
	if !slices.Equal(ids, []string{menuProfile, menuDevices, menuSignoff}) {
		t.Fatalf("menu items %v", ids)
	}

	// Enter and Space are the button's native click: the key handler
	// leaves them alone (a late preventDefault would not stop the click).
	for _, key := range []string{"Enter", " "} {
		menu().buttonKey(ctx, key, prevent)
		if p.menuOpen || prevented != 0 {
			t.Fatalf("%q handled on keydown: open %v, prevented %d", key, p.menuOpen, prevented)
		}
	}
	// The click (what Enter does to a button) opens the menu on its first item.
	menu().onButtonClick(ctx, app.Event{})
	if !p.menuOpen || lastFocus() != "menu-profile" {
		t.Fatalf("after Enter: open %v, focus %q", p.menuOpen, lastFocus())
	}
	doc := render(t, p)
	// go-app's HTML encoder writes a "true" attribute bare; the DOM gets "true".
	if v, ok := attr(mustID(t, doc, "avatar"), "aria-expanded"); !ok || (v != "" && v != "true") {
		t.Errorf("aria-expanded %q once open: %s", v, dump(mustID(t, doc, "avatar")))
	}
	if _, hidden := attr(mustID(t, doc, "account-menu"), "hidden"); hidden {
		t.Error("menu hidden once open")
	}
	for _, id := range []string{"menu-profile", "menu-devices", "menu-signoff"} {
		if r, _ := attr(mustID(t, doc, id), "role"); r != "menuitem" {
			t.Errorf("#%s role %q", id, r)
		}
	}
	mustID(t, doc, "menu-backdrop")

	// Arrow keys move and wrap; Home and End jump.
	steps := []struct {
		key  string
		from int
		want string
	}{
		{"ArrowDown", 0, "menu-devices"},
		{"ArrowDown", 2, "menu-profile"},
		{"ArrowUp", 0, "menu-signoff"},
		{"End", 0, "menu-signoff"},
		{"Home", 2, "menu-profile"},
	}
	for _, s := range steps {
		menu().itemKey(ctx, s.key, s.from, prevent)
		if got := lastFocus(); got != s.want {
			t.Errorf("%s from %d: focus %q, want %q", s.key, s.from, got, s.want)
		}
	}
	// A letter does nothing.
	n := len(focused)
	menu().itemKey(ctx, "x", 0, prevent)
	if e.ConsumeAll(); len(focused) != n || !p.menuOpen {
		t.Error("a letter moved focus or closed the menu")
	}

	// Escape closes and returns focus to the button.
	menu().itemKey(ctx, "Escape", 1, prevent)
	if p.menuOpen || lastFocus() != "avatar" {
		t.Fatalf("after Escape: open %v, focus %q", p.menuOpen, lastFocus())
	}
	// ArrowUp on the button opens on the last item; Tab closes.
	menu().buttonKey(ctx, "ArrowUp", prevent)
	if !p.menuOpen || lastFocus() != "menu-signoff" {
		t.Fatalf("after ArrowUp: open %v, focus %q", p.menuOpen, lastFocus())
	}
	menu().itemKey(ctx, "Tab", 2, prevent)
	if p.menuOpen {
		t.Fatal("Tab left the menu open")
	}
	// A tap: the button toggles, the backdrop closes.
	menu().onButtonClick(ctx, app.Event{})
	if !p.menuOpen {
		t.Fatal("click did not open the menu")
	}
	menu().onBackdrop(ctx, app.Event{})
	if p.menuOpen {
		t.Fatal("a tap outside left the menu open")
	}

	// Enter on Devices is the button's click: off to MyAccount's
	// Authentication tab, the menu closed.
	menu().choose(ctx, menuDevices)
	if got := f.browser.last(); got != "/"+testEnv+"/myaccount/#mfa" || p.menuOpen || p.phase != phaseLeaving {
		t.Fatalf("Devices went to %q (open %v, phase %v)", got, p.menuOpen, p.phase)
	}
	p.phase = phaseReady
	menu().choose(ctx, menuProfile)
	if got := f.browser.last(); got != "/"+testEnv+"/myaccount/#profile" {
		t.Fatalf("Profile went to %q", got)
	}

	// Sign off: back through /as/signoff to the portal, offline copy gone.
	idToken := p.sess.idToken
	menu().choose(ctx, menuSignoff)
	to := pageURL(t, f.browser.last())
	if to.Path != "/"+testEnv+"/as/signoff" || to.Query().Get("id_token_hint") != idToken ||
		to.Query().Get("post_logout_redirect_uri") != portalRedirectURI {
		t.Errorf("sign-off went to %s", to)
	}
	if p.sess != nil || f.local.Contains("myapps."+testEnv+".user."+userID) || f.local.Contains("myapps."+testEnv+".last") {
		t.Errorf("after sign-off: session %v, storage %v", p.sess != nil, f.local.keys())
	}
}

func TestMyAppsOffline(t *testing.T) {
	f := newAccountFixture(t, "openid profile email p1:read:user")
	signedOnPortal(t, f)

	// A reload offline: the last copy, read-only, with the banner, and no
	// Sign off (no tokens to end the session with).
	f.browser.offline = true
	ctx, e := newHarness(t)
	p := &MyAppsPage{acct: f.acct}
	p.mount(ctx, pageURL(t, portalRedirectURI))
	e.ConsumeAll()
	doc := render(t, p)
	mustID(t, doc, "offline-banner")
	mustID(t, doc, "tile-a1")
	if p.sess != nil || byID(doc, "menu-signoff") != nil {
		t.Error("offline copy offers Sign off")
	}
	mustID(t, doc, "menu-devices")

	// Nobody seen: an error with a Try again button.
	f.local.Clear()
	p = &MyAppsPage{acct: f.acct}
	p.mount(ctx, pageURL(t, portalRedirectURI))
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "error")); got != T(MsgOfflineNoData) {
		t.Errorf("#error = %q", got)
	}
	if got := text(mustID(t, doc, "retry")); got != T(MsgRetry) {
		t.Errorf("#retry = %q", got)
	}
}

func TestMyAppsRoute(t *testing.T) {
	for _, p := range []string{"/" + testEnv + "/myapps/", "/" + testEnv + "/myapps"} {
		if !IsAppPath(p) {
			t.Errorf("IsAppPath(%q) = false", p)
		}
	}
	for _, p := range []string{"/" + testEnv + "/myapps/x", "/not-a-uuid/myapps/"} {
		if IsAppPath(p) {
			t.Errorf("IsAppPath(%q) = true", p)
		}
	}
}
