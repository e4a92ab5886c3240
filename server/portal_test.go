package server

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestPortalRedirectBootstrapped: the application portal signs on as the
// MyAccount client, so a new environment's MyAccount application has the
// portal's redirect URI, and an environment made before the portal existed
// gains it on the next start, once.
func TestPortalRedirectBootstrapped(t *testing.T) {
	st := openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))
	e := newEnv(t, st, nil)
	envID := e.srv.Bootstrap.DefaultEnvID
	ctx := context.Background()
	app, err := st.GetApplication(ctx, envID, bootstrap.MyAccountClientID(envID))
	if err != nil {
		t.Fatal(err)
	}
	myapps := bootstrap.MyAppsRedirect(testPublicURL, envID)
	if !slices.Contains(app.RedirectURIs, myapps) || !slices.Contains(app.RedirectURIs, e.myAccountRedirect()) {
		t.Fatalf("redirect URIs %v", app.RedirectURIs)
	}

	// An older database: MyAccount's redirect URI only, plus one an
	// administrator added.
	app.RedirectURIs = []string{e.myAccountRedirect(), "https://extra.example.com/"}
	if err := st.UpdateApplication(ctx, app); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		newEnv(t, st, e.clock)
		got, err := st.GetApplication(ctx, envID, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{e.myAccountRedirect(), "https://extra.example.com/", myapps}; !slices.Equal(got.RedirectURIs, want) {
			t.Fatalf("after restart: %v, want %v", got.RedirectURIs, want)
		}
	}
}

// TestPortalSignOnAndList: a user signs on at the portal's redirect URI
// with the MyAccount client and lists the tiles an administrator marked,
// with a real token.
func TestPortalSignOnAndList(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	admin := e.adminToken()
	resp := e.api("POST", paths.Build(paths.Applications, envID), admin,
		`{"name":"Wiki","type":"SINGLE_PAGE_APP","redirectUris":["https://wiki.example.com/cb"],"portal":{"show":true,"startUrl":"https://wiki.example.com/login"}}`)
	wiki := decode[resource.Application](t, respWant(t, resp, http.StatusCreated))
	u := e.createUser("dana", "dana@example.com", "Orange-password-1")

	// The portal's authorization request: its own redirect URI, narrower
	// scopes; the flow is the usual password + enrolment of an email.
	b := e.browser()
	p := newPKCE()
	myapps := bootstrap.MyAppsRedirect(testPublicURL, envID)
	res := b.do("GET", e.authorizeURL(p, url.Values{"redirect_uri": {myapps}, "scope": {"openid profile email p1:read:user"}}), "", nil)
	wantStatus(t, res, http.StatusFound)
	loc, _ := url.Parse(res.Header.Get("Location"))
	id := loc.Query().Get("flowId")
	if id == "" {
		t.Fatalf("authorize did not start a flow: %s", loc)
	}
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "dana", Password: "Orange-password-1"}), 200))
	if f.Status == resource.FlowMFAEnrollmentRequired {
		f = decode[resource.Flow](t, respWant(t, b.action(id, "device.register", resource.DeviceRegister{Type: "EMAIL", Email: "dana@example.com"}), 200))
	}
	f = decode[resource.Flow](t, respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: e.mail.lastOTP(t, "dana@example.com")}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("flow %+v", f)
	}
	res = b.do("GET", strings.TrimPrefix(f.ResumeURL, testPublicURL), "", nil)
	wantStatus(t, res, http.StatusFound)
	back, _ := url.Parse(res.Header.Get("Location"))
	if !strings.HasPrefix(back.String(), myapps+"?") || back.Query().Get("code") == "" {
		t.Fatalf("back at %s", back)
	}
	tok := decode[resource.TokenResponse](t, respWant(t, e.exchange(back.Query().Get("code"), p.verifier, myapps), 200))

	list := decode[resource.List[resource.PortalApplication]](t, respWant(t,
		e.api("GET", paths.Build(paths.UserApplications, envID, u.ID), tok.AccessToken, ""), http.StatusOK))
	got := list.Embedded["applications"]
	if len(got) != 1 || got[0].ID != wiki.ID || got[0].StartURL != "https://wiki.example.com/login" || got[0].Name != "Wiki" {
		t.Fatalf("tiles %+v", got)
	}
}
