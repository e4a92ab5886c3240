package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/geoiptest"
	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// testPlaces places the in-process test client's address (Fiber's test
// connection reports 0.0.0.0) in Berlin.
var testPlaces = []geoiptest.Entry{
	{Network: "0.0.0.0/8", City: "Berlin", Country: "Germany", CountryCode: "DE"},
	{Network: "127.0.0.0/8", City: "Berlin", Country: "Germany", CountryCode: "DE"},
}

var secureLinkRE = regexp.MustCompile(`https?://\S+/secureAccount\?\S+`)

// TestSecureLinkFromNotice: with GEOIP_DB set, a sign-on from a new
// browser mails a notice placing it in its city with a one-time link; the
// link's page secures the account without a sign-on: every session's
// tokens are refused at once, the next sign-on needs a new password, the
// administrators' security events show it, and the link works once.
func TestSecureLinkFromNotice(t *testing.T) {
	mmdb := geoiptest.File(t, testPlaces...)
	e := newEnvWith(t, openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite")), testPublicURL, nil, func(o *Options) {
		o.Config.GeoIPDB = mmdb
	})
	envID := e.srv.Bootstrap.DefaultEnvID
	u := e.createUser("ivy", "ivy@example.com", userPassword)
	first := e.browser().signOnUA(sessionScopes, chromeUA, "ivy", userPassword, "ivy.mfa@example.com")
	e.clock.Add(time.Second)
	second := e.browser().signOnUA(sessionScopes, firefoxUA, "ivy", userPassword, "ivy.mfa@example.com")

	// Sessions and sign-on events carry the city.
	l := e.sessions(t, u.ID, second.AccessToken)
	if len(l) != 2 || len(l[0].Locations) == 0 || l[0].Locations[0].City != "Berlin" || l[0].Locations[0].Country != "Germany" {
		t.Fatalf("sessions %+v", l)
	}
	var placed bool
	for _, ev := range mustEvents(t, e, envID, u.ID) {
		placed = placed || ev.Action == audit.ActionSignOnCompleted && ev.Details["city"] == "Berlin" && ev.Details["countryIso"] == "DE"
	}
	if !placed {
		t.Fatal("no sign-on event placed in Berlin")
	}

	var notice string
	for _, m := range e.mail.msgs {
		if m.To == "ivy@example.com" && strings.Contains(m.Subject, "New sign-on") {
			notice = m.Text
		}
	}
	if !strings.Contains(notice, "(Berlin, Germany)") {
		t.Fatalf("notice %q does not say where", notice)
	}
	link := secureLinkRE.FindString(notice)
	lu, err := url.Parse(link)
	if err != nil || link == "" || lu.Path != paths.Build(paths.SecureLink, envID) || lu.Query().Get("user") != u.ID {
		t.Fatalf("link %q in %q", link, notice)
	}
	token := lu.Query().Get("token")

	// Another user's link cannot be aimed at ivy.
	other := e.createUser("jay", "jay@example.com", userPassword)
	post := func(user, token string) *http.Response {
		return e.form(paths.Build(paths.SecureLink, envID), url.Values{"user": {user}, "token": {token}})
	}
	wantStatus(t, post(other.ID, token), http.StatusBadRequest)

	// GET asks only.
	page := string(wantStatus(t, e.do(httptest.NewRequest("GET", strings.TrimPrefix(link, testPublicURL), nil)), http.StatusOK))
	if !strings.Contains(page, `id="secure-submit"`) {
		t.Fatalf("page %s", page)
	}
	me := paths.Build(paths.User, envID, u.ID)
	respWant(t, e.api("GET", me, first.AccessToken, ""), 200)

	// POST secures.
	done := string(wantStatus(t, post(u.ID, token), http.StatusOK))
	if !strings.Contains(done, "Your account is secured") {
		t.Fatalf("answer %s", done)
	}
	for _, tok := range []resource.TokenResponse{first, second} {
		wantStatus(t, e.api("GET", me, tok.AccessToken, ""), 401)
		if r := e.refresh(tok.RefreshToken); !invalidGrant(t, r) {
			t.Fatalf("a refresh token after the link: %d", r.StatusCode)
		}
	}
	f := decode[resource.Flow](t, respWant(t, e.browser().passwordCheck("ivy", userPassword), 200))
	if f.Status != resource.FlowMustChangePassword {
		t.Fatalf("next sign-on: %s", f.Status)
	}

	// Replay: refused.
	wantStatus(t, post(u.ID, token), http.StatusBadRequest)

	// The administrators see it, in the user's environment and their own.
	for _, env := range []string{envID, e.srv.Bootstrap.AdminEnvID} {
		q := "?filter=" + url.QueryEscape(`kind eq "ACCOUNT_SECURED"`)
		list := decode[resource.List[resource.SecurityEvent]](t, respWant(t, e.api("GET", paths.Build(paths.SecurityEvents, env)+q, e.adminToken(), ""), 200))
		ev := list.Embedded["securityEvents"]
		if len(ev) != 1 || ev[0].Details["by"] != "emailLink" || (env != envID && ev[0].Details["userId"] != u.ID) {
			t.Fatalf("security events of %s: %+v", env, ev)
		}
	}
	// An end user's token is refused.
	wantStatus(t, e.api("GET", paths.Build(paths.SecurityEvents, envID), second.AccessToken, ""), http.StatusUnauthorized)
	jay := e.browser().signOnUA(sessionScopes, chromeUA, "jay", userPassword, "jay.mfa@example.com")
	wantStatus(t, e.api("GET", paths.Build(paths.SecurityEvents, envID), jay.AccessToken, ""), http.StatusForbidden)
}

// TestGeoIPDatabaseRequiredAtStart: a GEOIP_DB that is not a database
// stops the start with an error naming the setting.
func TestGeoIPDatabaseRequiredAtStart(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "not.mmdb")
	cfg, err := config.Load(nil, func(k string) string {
		return map[string]string{"PUBLIC_URL": testPublicURL, "GEOIP_DB": "server.go"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, "server.go"} {
		cfg.GeoIPDB = path
		_, err := New(t.Context(), Options{Config: cfg, Store: openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite")), KEK: make([]byte, 32)})
		if err == nil || !strings.Contains(err.Error(), "GEOIP_DB") {
			t.Fatalf("%s: err %v", path, err)
		}
	}
}
