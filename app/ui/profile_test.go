//go:build !js

package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the picker's zones are checked against the zone database

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
	"github.com/myaccount/myaccount/shared/valid"
)

func TestProfileLists(t *testing.T) {
	codes := map[string]bool{}
	for _, c := range addressCountries {
		if valid.CountryCode(c.Code) != nil || c.Name == "" || codes[c.Code] {
			t.Errorf("country %+v refused, unnamed or repeated", c)
		}
		codes[c.Code] = true
	}
	if len(codes) != len(valid.CountryCodes()) {
		t.Errorf("%d countries in the picker, %d codes accepted", len(codes), len(valid.CountryCodes()))
	}
	for _, z := range timezones {
		if valid.Timezone(z) != nil {
			t.Errorf("zone %q refused by valid.Timezone", z)
		}
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("zone %q: %v", z, err)
		}
	}
}

// profileServer fakes the user resource: GET, PATCH with If-Match, and the
// user actions; each test sets what PATCH and POST answer.
type profileServer struct {
	mu      sync.Mutex
	user    resource.User
	version int
	patches []map[string]any
	ifMatch []string
	actions []string
	answer  func(w http.ResponseWriter, r *http.Request) bool // true: answered
}

func (s *profileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		if status == 200 {
			w.Header().Set("ETag", `"`+string(rune('0'+s.version))+`"`)
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	if r.URL.Path != paths.Build(paths.User, testEnv, userID) {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case "PATCH":
		var patch map[string]any
		_ = json.NewDecoder(r.Body).Decode(&patch)
		s.patches = append(s.patches, patch)
		s.ifMatch = append(s.ifMatch, r.Header.Get("If-Match"))
	case "POST":
		s.actions = append(s.actions, r.Header.Get("Content-Type"))
	}
	if s.answer != nil && r.Method != "GET" && s.answer(w, r) {
		return
	}
	if r.Method == "PATCH" {
		s.version++
	}
	reply(200, s.user)
}

func newProfilePage(t *testing.T, srv *profileServer, attrs map[string]string) (*MyAccountPage, app.Context, app.TestEngine) {
	t.Helper()
	h := httptest.NewServer(srv)
	t.Cleanup(h.Close)
	acct := &account{env: testEnv, api: apiclient.New(apiclient.Config{BaseURL: h.URL, EnvironmentID: testEnv,
		Transport: apiclient.HTTPTransport{Client: h.Client()}}), browser: &fakeBrowser{}, session: newMemStorage(), local: newMemStorage()}
	sc := scope.Set{scope.OpenID, scope.ReadUser, scope.UpdateUser}
	p := &MyAccountPage{acct: acct, env: testEnv, phase: phaseReady, loaded: true, tab: "profile",
		sess: &session{sub: userID, accessToken: "tok", scopes: sc}, scopes: sc}
	u := srv.user
	p.user = &u
	p.profile.attrs = attrs
	p.resetProfile(p.user, `"0"`)
	ctx, e := newHarness(t)
	return p, ctx, e
}

func jane() resource.User {
	return resource.User{ID: userID, Username: "jane", Email: "jane@example.com", EmailVerified: true,
		Name: &resource.Name{Given: "Jane", Family: "Doe"}, Nickname: "JD", Title: "Engineer",
		Address: &resource.Address{Locality: "Paris", CountryCode: "FR"}, Timezone: "Europe/Paris"}
}

func TestProfileFormShowsWhatTheSettingAllows(t *testing.T) {
	srv := &profileServer{user: jane()}
	p, _, _ := newProfilePage(t, srv, map[string]string{"nickname": resource.AttributeHidden, "locale": resource.AttributeReadOnly})
	doc := render(t, p)
	if v, _ := attr(mustID(t, doc, "pf-given"), "value"); v != "Jane" {
		t.Errorf("#pf-given value %q", v)
	}
	if byID(doc, "pf-nickname") != nil {
		t.Error("a HIDDEN attribute is shown")
	}
	if byID(doc, "pf-username") != nil {
		t.Error("the username (READ_ONLY by default) is an input")
	}
	if got := text(mustID(t, doc, "profile-username")); got != "jane" {
		t.Errorf("#profile-username = %q", got)
	}
	for _, id := range []string{"pf-title", "pf-locale"} {
		if _, ro := attr(mustID(t, doc, id), "readonly"); !ro {
			t.Errorf("#%s is not read-only", id)
		}
		mustID(t, doc, id+"-managed")
	}
	if _, ro := attr(mustID(t, doc, "pf-family"), "readonly"); ro {
		t.Error("#pf-family is read-only")
	}
	// The country picker has the value selected and "Not set" first.
	opts := findAll(mustID(t, doc, "pf-countryCode"), func(n *nodeT) bool { return n.Data == "option" })
	if len(opts) != len(addressCountries)+1 {
		t.Errorf("%d country options", len(opts))
	}
	for _, o := range opts {
		v, _ := attr(o, "value")
		if _, sel := attr(o, "selected"); sel != (v == "FR") {
			t.Errorf("option %q selected %v", v, sel)
		}
	}
	// Every control has a label naming it.
	labels := map[string]bool{}
	for _, l := range findAll(doc, func(n *nodeT) bool { return n.Data == "label" }) {
		f, _ := attr(l, "for")
		labels[f] = true
	}
	for _, c := range findAll(mustID(t, doc, "profile-form"), func(n *nodeT) bool {
		return n.Data == "input" || n.Data == "select" || n.Data == "textarea"
	}) {
		if id, _ := attr(c, "id"); !labels[id] {
			t.Errorf("control #%s has no label", id)
		}
	}
	mustID(t, doc, "profile-save")
	mustID(t, doc, "change-email")

	if byID(doc, "profile-verify") != nil {
		t.Error("step-up offered to a token that may write")
	}

	// A read-only token (reduced scopes): read-only form and the step-up.
	p.scopes = scope.Set{scope.OpenID, scope.ReadUser}
	doc = render(t, p)
	if byID(doc, "profile-save") != nil || byID(doc, "change-email") != nil {
		t.Error("a read-only token is offered to save")
	}
	if got := text(mustID(t, doc, "profile-verify-text")); got != T(MsgProfileVerifyEdit) {
		t.Errorf("#profile-verify-text = %q", got)
	}
	p.scopes = p.sess.scopes

	// Offline: everything read-only, nothing to save.
	p.offline = true
	doc = render(t, p)
	if byID(doc, "profile-save") != nil || byID(doc, "change-email") != nil {
		t.Error("offline form offers to save")
	}
	if _, ro := attr(mustID(t, doc, "pf-family"), "readonly"); !ro {
		t.Error("offline #pf-family is editable")
	}
}

func TestProfilePatchFromForm(t *testing.T) {
	srv := &profileServer{user: jane()}
	p, _, _ := newProfilePage(t, srv, nil)
	p.profile.values["given"] = " Janet "
	p.profile.values["nickname"] = ""
	p.profile.values["locality"] = "Lyon"
	p.profile.values["title"] = "CEO" // READ_ONLY by default: not sent
	patch, errs := p.profilePatch()
	want := map[string]any{"name": map[string]any{"given": "Janet"}, "nickname": nil, "address": map[string]any{"locality": "Lyon"}}
	if len(errs) != 0 || !reflect.DeepEqual(patch, want) {
		t.Fatalf("patch %v errs %v, want %v", patch, errs, want)
	}
	p.profile.values["mobilePhone"] = "+33 6 12 34 56 78"
	p.profile.values["primaryPhone"] = "+33 1 42 68 53 00"
	p.profile.values["photo"] = "http://example.com/me.png"
	_, errs = p.profilePatch()
	if errs["primaryPhone"] != MsgErrOnePhone || errs["photo"] != MsgErrPhoto {
		t.Fatalf("errs %v", errs)
	}
}

func TestProfileSave(t *testing.T) {
	srv := &profileServer{user: jane()}
	p, ctx, e := newProfilePage(t, srv, nil)

	// A bad phone: the inline error, and nothing sent.
	p.onProfileChange(ctx, "mobilePhone", "06 12")
	p.saveProfile(ctx, map[string]string{"mobilePhone": "06 12"})
	e.ConsumeAll()
	doc := render(t, p)
	if got := text(mustID(t, doc, "pf-mobilePhone-error")); got != T(MsgErrProfilePhone) {
		t.Errorf("#pf-mobilePhone-error = %q", got)
	}
	if _, ok := attr(mustID(t, doc, "pf-mobilePhone"), "aria-invalid"); !ok {
		t.Error("the bad phone is not aria-invalid")
	}
	if len(srv.patches) != 0 {
		t.Fatalf("a bad form was sent: %v", srv.patches)
	}

	// Cancel puts the form back.
	p.cancelProfile(ctx)
	if p.profile.values["mobilePhone"] != "" || len(p.profile.errs) != 0 {
		t.Fatalf("after cancel: %v %v", p.profile.values["mobilePhone"], p.profile.errs)
	}

	// A good change: sent with If-Match, answered, saved.
	srv.user.Nickname = "Janie"
	p.saveProfile(ctx, map[string]string{"nickname": "Janie"})
	if !p.profile.busy {
		t.Error("not busy while saving")
	}
	if doc := render(t, p); text(mustID(t, doc, "profile-save")) != T(MsgProfileSaving) {
		t.Error("the save button does not say it is saving")
	}
	e.ConsumeAll()
	if len(srv.patches) != 1 || srv.ifMatch[0] != `"0"` || srv.patches[0]["nickname"] != "Janie" {
		t.Fatalf("sent %v with If-Match %v", srv.patches, srv.ifMatch)
	}
	if p.profile.etag != `"1"` || p.profile.notice != T(MsgProfileSaved) || p.user.Nickname != "Janie" {
		t.Fatalf("after save: etag %q notice %q user %+v", p.profile.etag, p.profile.notice, p.user)
	}

	// Changed elsewhere: the conflict message and a reload.
	srv.answer = func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(412)
		_ = json.NewEncoder(w).Encode(apierr.Error{Code: apierr.Conflict, Message: "changed"})
		return true
	}
	p.saveProfile(ctx, map[string]string{"nickname": "Other"})
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "profile-conflict")); !strings.Contains(got, "changed elsewhere") {
		t.Fatalf("#profile-conflict = %q", got)
	}
	srv.user.Nickname, srv.version, srv.answer = "Set in another tab", 5, nil
	p.reloadProfile(ctx)
	e.ConsumeAll()
	if p.profile.conflict || p.profile.values["nickname"] != "Set in another tab" || p.profile.etag != `"5"` {
		t.Fatalf("after reload: conflict %v nickname %q etag %q", p.profile.conflict, p.profile.values["nickname"], p.profile.etag)
	}

	// The server's objection lands under its field.
	srv.answer = func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_ = json.NewEncoder(w).Encode(apierr.Invalid("bad", apierr.Field(apierr.DetailInvalidValue, "mobilePhone",
			"mobilePhone is not a mobile number, which text messages need.")))
		return true
	}
	p.saveProfile(ctx, map[string]string{"mobilePhone": "+33 1 42 68 53 00"})
	e.ConsumeAll()
	if p.profile.errs["mobilePhone"] != MsgErrNotMobile || p.profile.err != T(MsgProfileFix) {
		t.Fatalf("server objection: %v %q", p.profile.errs, p.profile.err)
	}

	// A new number needs a step-up: the offer to verify.
	srv.answer = func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(403)
		_ = json.NewEncoder(w).Encode(apierr.New(403, apierr.InsufficientPermission, "mfa",
			apierr.Field(apierr.DetailMFARequired, "session", "mfa")))
		return true
	}
	p.saveProfile(ctx, map[string]string{"mobilePhone": "+33 6 12 34 56 78"})
	e.ConsumeAll()
	mustID(t, render(t, p), "profile-verify")
}

func TestProfileEmailChange(t *testing.T) {
	srv := &profileServer{user: jane()}
	p, ctx, e := newProfilePage(t, srv, nil)
	p.submitEmail(ctx, "not an address")
	if p.profile.emailErr != T(MsgErrEmail) || len(srv.patches) != 0 {
		t.Fatalf("bad address: %q, sent %v", p.profile.emailErr, srv.patches)
	}
	p.profile.emailEditing = true
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.user.PendingVerification = &resource.PendingVerification{Attribute: "email", Value: "jane@new.example", ExpiresAt: exp}
	p.submitEmail(ctx, "jane@new.example")
	e.ConsumeAll()
	if len(srv.patches) != 1 || srv.patches[0]["email"] != "jane@new.example" || p.profile.emailEditing {
		t.Fatalf("sent %v, editing %v", srv.patches, p.profile.emailEditing)
	}
	doc := render(t, p)
	if got := text(mustID(t, doc, "pending-text")); !strings.Contains(got, "jane@new.example") {
		t.Errorf("#pending-text = %q", got)
	}
	if byID(doc, "change-email") != nil {
		t.Error("a second change is offered while one waits")
	}

	// A wrong code: the error under the code.
	srv.answer = func(w http.ResponseWriter, r *http.Request) bool {
		d := apierr.Field(apierr.DetailInvalidOTP, "verificationCode", "wrong")
		d.InnerError = map[string]any{"attemptsRemaining": 2}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_ = json.NewEncoder(w).Encode(apierr.Invalid("wrong", d))
		return true
	}
	p.submitCode(ctx, "123456")
	e.ConsumeAll()
	if got := text(mustID(t, render(t, p), "code-error")); got != T(MsgErrWrongCode, 2) {
		t.Errorf("#code-error = %q", got)
	}

	// The right one: the new address shows.
	srv.answer = nil
	srv.user.Email, srv.user.PendingVerification = "jane@new.example", nil
	p.submitCode(ctx, "654321")
	e.ConsumeAll()
	doc = render(t, p)
	if got := text(mustID(t, doc, "profile-email")); got != "jane@new.example" {
		t.Errorf("#profile-email = %q", got)
	}
	if byID(doc, "pending-form") != nil {
		t.Error("the code form stays after the change")
	}
	if got := srv.actions; len(got) != 2 || got[0] != paths.ActionUserVerify {
		t.Errorf("actions %v", got)
	}
}
