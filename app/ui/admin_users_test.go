//go:build !js

package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

const (
	usersEnv = "6c1e3a52-4a43-4b8e-9a53-2a7d2f0c1e01"
	kateID   = "9b0c7d7e-1b7e-4c55-8a43-77d3c2a1f002"
	leoID    = "9b0c7d7e-1b7e-4c55-8a43-77d3c2a1f003"
)

// usersFake is the management API of one environment's users, as the
// Users section uses it. fail answers a "METHOD path" with an error.
type usersFake struct {
	mu       sync.Mutex
	users    []resource.User
	devices  map[string][]resource.Device
	sessions map[string][]resource.UserSession
	events   []resource.UserEvent
	password resource.PasswordState
	fail     map[string]apierr.Error
	calls    []string
	nextID   int
	// pageSize > 0 splits the unfiltered list in two pages; queries are
	// the list reads' query strings.
	pageSize int
	queries  []string
}

func newUsersFake() *usersFake {
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	return &usersFake{
		users: []resource.User{
			{ID: kateID, Username: "kate", Email: "kate@example.com", Enabled: true, Name: &resource.Name{Given: "Kate", Family: "Moss"}, CreatedAt: at},
			{ID: leoID, Username: "leo", Email: "leo@example.org", Enabled: true, CreatedAt: at},
		},
		devices: map[string][]resource.Device{kateID: {
			{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "kate.mfa@example.com"},
		}},
		sessions: map[string][]resource.UserSession{kateID: {
			{ID: "s1", Browser: resource.SessionBrowser{Name: "Firefox", Version: "128.0"}, OperatingSystem: resource.SessionOS{Name: "Linux"},
				Device: resource.SessionDevice{Type: resource.SessionDesktop}, Methods: []string{"pwd"}, ActiveAt: at},
			{ID: "s2", Browser: resource.SessionBrowser{Name: "Safari"}, ActiveAt: at},
		}},
		events: []resource.UserEvent{
			{ID: "e2", Action: "SIGNON_PASSWORD", Outcome: "FAILURE", CreatedAt: at, RemoteIP: "203.0.113.9"},
			{ID: "e1", Action: "DEVICE_BLOCKED", Outcome: "SUCCESS", CreatedAt: at},
		},
		password: resource.PasswordState{Status: resource.PasswordLockedOut, SecondsUntilUnlock: 600},
		fail:     map[string]apierr.Error{},
	}
}

func (f *usersFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	reply := jsonReply(w)
	body, _ := io.ReadAll(r.Body)
	call := strings.TrimSpace(r.Method + " " + r.URL.Path + " " + r.Header.Get("Content-Type") + " " + string(body))
	f.calls = append(f.calls, call)
	if r.Header.Get("Authorization") != "Bearer tok" {
		reply(401, apierr.Unauthorized("no"))
		return
	}
	if e, ok := f.fail[r.Method+" "+r.URL.Path]; ok {
		reply(400, e)
		return
	}
	users := paths.Build(paths.Users, usersEnv)
	rest, ok := strings.CutPrefix(r.URL.Path, users)
	if !ok {
		reply(404, apierr.NotFoundError("no"))
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if rest == "" {
		switch r.Method {
		case "GET":
			q := r.URL.Query()
			f.queries = append(f.queries, r.URL.RawQuery)
			if fl := q.Get("filter"); fl != "" {
				prefix, _ := strconv.Unquote(strings.TrimPrefix(fl, "username sw "))
				var out []resource.User
				for _, u := range f.users {
					if strings.HasPrefix(u.Username, prefix) {
						out = append(out, u)
					}
				}
				reply(200, resource.NewList("users", out, "x", ""))
				return
			}
			switch {
			case f.pageSize == 0:
				reply(200, resource.NewList("users", f.users, "x", ""))
			case q.Get("cursor") == "":
				reply(200, resource.NewList("users", f.users[:f.pageSize], "x", "http://x"+users+"?cursor=p2"))
			default:
				reply(200, resource.NewList("users", f.users[f.pageSize:], "x", ""))
			}
		case "POST":
			var in resource.UserCreate
			_ = json.Unmarshal(body, &in)
			f.nextID++
			u := resource.User{ID: "new-" + string(rune('0'+f.nextID)), Username: in.Username, Email: in.Email, Name: in.Name, Enabled: true}
			f.users = append(f.users, u)
			reply(201, u)
		}
		return
	}
	i := slices.IndexFunc(f.users, func(u resource.User) bool { return u.ID == parts[0] })
	if i < 0 {
		reply(404, apierr.NotFoundError("no"))
		return
	}
	id := parts[0]
	switch {
	case len(parts) == 1 && r.Method == "GET":
		reply(200, f.users[i])
	case len(parts) == 1 && r.Method == "PATCH":
		var p struct {
			Enabled *bool `json:"enabled"`
			Email   string
			Name    *resource.Name
		}
		_ = json.Unmarshal(body, &p)
		if p.Enabled != nil {
			f.users[i].Enabled = *p.Enabled
		}
		if p.Email != "" {
			f.users[i].Email = p.Email
		}
		if p.Name != nil {
			f.users[i].Name = p.Name
		}
		reply(200, f.users[i])
	case len(parts) == 1 && r.Method == "DELETE":
		f.users = slices.Delete(f.users, i, i+1)
		reply(204, nil)
	case parts[1] == "password" && r.Method == "GET":
		reply(200, f.password)
	case parts[1] == "password":
		f.password = resource.PasswordState{Status: resource.PasswordOK}
		reply(200, f.password)
	case parts[1] == "devices" && len(parts) == 2 && r.Method == "GET":
		reply(200, resource.NewList("devices", f.devices[id], "x", ""))
	case parts[1] == "devices" && len(parts) == 2:
		var d resource.Device
		_ = json.Unmarshal(body, &d)
		d.ID = "d9"
		f.devices[id] = append(f.devices[id], d)
		reply(201, d)
	case parts[1] == "devices" && r.Method == "DELETE":
		f.devices[id] = slices.DeleteFunc(f.devices[id], func(d resource.Device) bool { return d.ID == parts[2] })
		reply(204, nil)
	case parts[1] == "devices":
		for k, d := range f.devices[id] {
			if d.ID == parts[2] {
				f.devices[id][k].Status = resource.DeviceActive
				if strings.Contains(r.Header.Get("Content-Type"), "device.block") {
					f.devices[id][k].Status = resource.DeviceBlocked
				}
				reply(200, f.devices[id][k])
				return
			}
		}
		reply(404, apierr.NotFoundError("no"))
	case parts[1] == "sessions" && r.Method == "GET":
		reply(200, resource.NewList("sessions", f.sessions[id], "x", ""))
	case parts[1] == "sessions" && r.Method == "DELETE":
		f.sessions[id] = slices.DeleteFunc(f.sessions[id], func(s resource.UserSession) bool { return len(parts) == 2 || s.ID == parts[2] })
		reply(204, nil)
	case parts[1] == "events":
		// One a page; the cursor is the index of the next.
		start := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			start = int(c[0] - '0')
		}
		next := ""
		if start+1 < len(f.events) {
			next = "http://x/events?cursor=" + string(rune('0'+start+1))
		}
		reply(200, resource.NewList("events", f.events[start:start+1], "x", next))
	default:
		reply(404, apierr.NotFoundError("no"))
	}
}

func (f *usersFake) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// lastCall is the fake's last request, "METHOD path content-type body".
func (f *usersFake) lastCall() string {
	c := f.callList()
	if len(c) == 0 {
		return ""
	}
	return c[len(c)-1]
}

// usersSection is a Users section on a usersFake, as an administrator
// holding role on the environment, loaded.
func usersSection(t *testing.T, role string, setup ...func(*usersFake)) (*AdminUsers, *usersFake, app.Context, app.TestEngine) {
	t.Helper()
	f := newUsersFake()
	for _, fn := range setup {
		fn(f)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	api := apiclient.New(apiclient.Config{BaseURL: srv.URL, EnvironmentID: "admins", Transport: apiclient.HTTPTransport{Client: srv.Client()}})
	c := &AdminContext{API: api, Token: "tok", Env: resource.Environment{ID: usersEnv, Name: "Default"},
		Roles: []resource.RoleAssignment{{Role: role, EnvironmentID: usersEnv}}}
	s := &AdminUsers{C: c}
	ctx, e := newHarness(t)
	s.load(ctx)
	e.ConsumeAll()
	return s, f, ctx, e
}

func rowNames(t *testing.T, s *AdminUsers) []string {
	t.Helper()
	var out []string
	for _, n := range byClass(render(t, s), "user-row") {
		v, _ := attr(n, "data-username")
		out = append(out, v)
	}
	return out
}

func TestAdminUsersRegistered(t *testing.T) {
	if s := adminSectionByID("users"); s.id != "users" || s.label != MsgAdminUsers {
		t.Errorf("section %+v", s)
	}
}

func TestPasswordStatusText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   resource.PasswordState
		want string
	}{
		{"ok", resource.PasswordState{Status: resource.PasswordOK}, "Set"},
		{"none", resource.PasswordState{Status: resource.PasswordNone}, "No password"},
		{"must_change", resource.PasswordState{Status: resource.PasswordMustChange}, "Must be changed at next sign-on"},
		{"locked_rounds_up", resource.PasswordState{Status: resource.PasswordLockedOut, SecondsUntilUnlock: 61}, "Locked out (about 2 more minutes)"},
		{"unknown_shown_as_is", resource.PasswordState{Status: "SOMETHING_NEW"}, "SOMETHING_NEW"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := passwordStatusText(tc.in); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestMatchUsers(t *testing.T) {
	users := []resource.User{
		{Username: "kate", Email: "kate@example.com", Name: &resource.Name{Given: "Kate", Family: "Moss"}},
		{Username: "leo", Email: "leo@Example.org"},
		{Username: "mia", Name: &resource.Name{Formatted: "Dr. Mia Wong"}},
	}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"empty_keeps_all", "  ", []string{"kate", "leo", "mia"}},
		{"username", "LEO", []string{"leo"}},
		{"email_any_case", "example.ORG", []string{"leo"}},
		{"domain_of_two", "example", []string{"kate", "leo"}},
		{"full_name", "kate moss", []string{"kate"}},
		{"formatted_name", "wong", []string{"mia"}},
		{"none", "zed", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, u := range matchUsers(users, tc.query) {
				got = append(got, u.Username)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCreateBody(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      newUser
		bad     []string
		wantPw  bool
		wantNam bool
	}{
		{"all", newUser{Username: " Kate ", Email: "kate@example.com", Given: "Kate", Password: "long enough words", ForceChange: true}, nil, true, true},
		{"no_password_no_name", newUser{Username: "kate", Email: "kate@example.com"}, nil, false, false},
		{"bad_email", newUser{Username: "kate", Email: "kate"}, []string{"email"}, false, false},
		{"empty", newUser{}, []string{"email", "username"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, bad := createBody(tc.in)
			var keys []string
			for k := range bad {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, tc.bad) {
				t.Fatalf("problems %v, want %v", bad, tc.bad)
			}
			if (body.Password != nil) != tc.wantPw || (body.Name != nil) != tc.wantNam {
				t.Errorf("body %+v", body)
			}
			if tc.wantPw && !body.Password.ForceChange {
				t.Error("force change lost")
			}
			if tc.name == "all" && body.Username != "kate" {
				t.Errorf("username %q not trimmed and lower-cased", body.Username)
			}
		})
	}
}

func TestProfilePatchAndDeviceBody(t *testing.T) {
	p := profilePatch(profileEdit{Given: " Kate ", Family: "", Email: "", PrimaryPhone: "+1 555", MobilePhone: " "})
	b, _ := json.Marshal(p)
	if got := string(b); got != `{"mobilePhone":null,"name":{"family":null,"given":"Kate"},"primaryPhone":"+1 555"}` {
		t.Errorf("patch %s", got)
	}
	for _, tc := range []struct {
		name, kind, target, want string
		ok                       bool
	}{
		{"email", resource.DeviceEmail, " k@example.com ", `{"email":"k@example.com","status":"ACTIVE","type":"EMAIL"}`, true},
		{"sms", resource.DeviceSMS, "+44 7700 900123", `{"phone":"+44 7700 900123","status":"ACTIVE","type":"SMS"}`, true},
		{"bad_email", resource.DeviceEmail, "k@", "", false},
		{"no_phone", resource.DeviceSMS, "", "", false},
		{"totp_not_here", resource.DeviceTOTP, "x", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, problem := deviceBody(tc.kind, tc.target)
			if (problem == "") != tc.ok {
				t.Fatalf("problem %q", problem)
			}
			if tc.ok {
				b, _ := json.Marshal(body)
				if string(b) != tc.want {
					t.Errorf("body %s", b)
				}
			}
		})
	}
}

func TestAdminUsersListSearchCreate(t *testing.T) {
	s, f, ctx, e := usersSection(t, resource.RoleEnvironmentAdmin)
	if got := rowNames(t, s); !slices.Equal(got, []string{"kate", "leo"}) {
		t.Fatalf("rows %v", got)
	}
	if got := f.callList()[0]; got != "GET "+paths.Build(paths.Users, usersEnv) {
		t.Errorf("list call %q", got)
	}
	s.search("EXAMPLE.org")
	if got := rowNames(t, s); !slices.Equal(got, []string{"leo"}) {
		t.Errorf("search rows %v", got)
	}
	s.search("nobody")
	if got := text(mustID(t, render(t, s), "users-empty")); got != T(MsgAdminUsersNoMatch) {
		t.Errorf("empty %q", got)
	}
	s.search("")

	// A bad email is refused before any call.
	s.creating = true
	mustID(t, render(t, s), "users-create-form")
	n := len(f.callList())
	s.create(ctx, newUser{Username: "nina", Email: "nina"})
	e.ConsumeAll()
	if len(f.callList()) != n || !strings.Contains(text(mustID(t, render(t, s), "users-error")), "Email") {
		t.Fatalf("bad email: calls %v, err %q", f.callList()[n:], s.err)
	}

	// The server's refusal shows its message and details.
	f.fail["POST "+paths.Build(paths.Users, usersEnv)] = apierr.Error{Code: apierr.InvalidData, Message: "The request has invalid data.",
		Details: []apierr.Detail{{Code: apierr.DetailUniqueness, Target: "username", Message: "username is already taken in this environment."}}}
	s.create(ctx, newUser{Username: "kate", Email: "k@example.com"})
	if b := byID(render(t, s), "users-create"); b == nil {
		t.Fatal("the create button left the page before the answer")
	} else if _, off := attr(b, "disabled"); !off {
		t.Error("the create button is not disabled while the call runs")
	}
	e.ConsumeAll()
	if got := text(mustID(t, render(t, s), "users-error")); got != "The request has invalid data. username is already taken in this environment." {
		t.Errorf("error %q", got)
	}
	delete(f.fail, "POST "+paths.Build(paths.Users, usersEnv))

	s.create(ctx, newUser{Username: "Nina", Email: "nina@example.com", Password: "a long temporary pass", ForceChange: true})
	e.ConsumeAll()
	if got := f.lastCall(); !strings.Contains(got, `"username":"nina"`) || !strings.Contains(got, `"password":{"value":"a long temporary pass","forceChange":true}`) {
		t.Errorf("create call %q", got)
	}
	doc := render(t, s)
	if byID(doc, "users-create-form") != nil || text(mustID(t, doc, "users-notice")) != "User nina created." {
		t.Errorf("after create:\n%s", dump(doc))
	}
	s.search("nina")
	if got := rowNames(t, s); !slices.Equal(got, []string{"nina"}) {
		t.Errorf("new user not found: %v", got)
	}
}

// TestAdminUsersSearchAll: while the list is partly read, "Search all
// usernames" asks the server for the usernames that start with the query
// and shows them after the read pages' matches; a whole list needs no
// such button.
func TestAdminUsersSearchAll(t *testing.T) {
	// kate is read, leo is on the next page.
	s, f, ctx, e := usersSection(t, resource.RoleEnvironmentAdmin, func(f *usersFake) { f.pageSize = 1 })
	s.search("LEO")
	if got := rowNames(t, s); len(got) != 0 {
		t.Fatalf("rows before the server search %v", got)
	}
	s.searchAll(ctx)
	e.ConsumeAll()
	if got := f.queries[len(f.queries)-1]; !strings.Contains(got, "filter="+url.QueryEscape(`username sw "leo"`)) {
		t.Errorf("search asked %q", got)
	}
	if got := rowNames(t, s); !slices.Equal(got, []string{"leo"}) {
		t.Fatalf("rows after the server search %v", got)
	}
	// Another query leaves the server's answer for the last one aside.
	s.search("ka")
	if got := rowNames(t, s); !slices.Equal(got, []string{"kate"}) {
		t.Errorf("rows for another query %v", got)
	}
	if byID(render(t, s), "users-search-all") == nil {
		t.Error("no Search all usernames while the list is partial")
	}
	s.more(ctx)
	e.ConsumeAll()
	if s.next != "" || byID(render(t, s), "users-search-all") != nil {
		t.Errorf("the whole list read: next %q, and the server search still offered", s.next)
	}
}

func TestAdminUsersOpenAndAct(t *testing.T) {
	s, f, ctx, e := usersSection(t, resource.RoleIdentityDataAdmin)
	s.open(ctx, kateID)
	if b := byID(render(t, s), "users-open-"+kateID); b == nil || text(b) != T(MsgLoading) {
		t.Fatal("the opened row's button left the page (or says nothing) before the answer")
	}
	e.ConsumeAll()
	doc := render(t, s)
	if got := text(mustID(t, doc, "users-profile-name")); got != "Kate Moss" {
		t.Errorf("name %q", got)
	}
	if got := text(mustID(t, doc, "users-password-state")); got != "Locked out (about 10 more minutes)" {
		t.Errorf("password state %q", got)
	}
	if n := len(byClass(mustID(t, doc, "users-devices"), "device")); n != 1 {
		t.Errorf("%d devices", n)
	}
	if n := len(byClass(mustID(t, doc, "users-sessions"), "session")); n != 2 {
		t.Errorf("%d sessions", n)
	}
	if got := text(mustID(t, doc, "users-events")); !strings.Contains(got, "203.0.113.9") {
		t.Errorf("events %q", got)
	}
	wantIDs(t, doc, []string{"users-edit", "users-disable", "users-unlock", "users-setpw", "users-delete", "users-dev-add",
		"users-block-d1", "users-devdel-d1", "users-signoff-s1", "users-signoff-all", "users-events-more"}, []string{"users-enable"})

	type step struct {
		name string
		do   func()
		call string // a part of the request the step must send
		show string // id that must show after
		text string // its text must contain
	}
	path := paths.Build(paths.User, usersEnv, kateID)
	for _, st := range []step{
		{"more_events", func() { s.moreEvents(ctx) }, "GET " + path + "/events", "users-events", "blocked"},
		{"add_email_device", func() { s.addDevice(ctx, resource.DeviceEmail, "kate2@example.com") },
			"POST " + path + `/devices application/json {"email":"kate2@example.com","status":"ACTIVE","type":"EMAIL"}`, "users-notice", "Device added"},
		{"block", func() { s.setBlocked(ctx, "d9", true) }, "POST " + path + "/devices/d9 " + paths.ActionDeviceBlock, "users-unblock-d9", "Unblock"},
		{"unblock", func() { s.setBlocked(ctx, "d9", false) }, "POST " + path + "/devices/d9 " + paths.ActionDeviceUnblock, "users-block-d9", "Block"},
		{"disable", func() { s.setEnabled(ctx, false) }, "PATCH " + path + ` application/json {"enabled":false}`, "users-state", "Disabled"},
		{"enable", func() { s.setEnabled(ctx, true) }, "PATCH " + path + ` application/json {"enabled":true}`, "users-disable", ""},
		{"unlock", func() { s.unlock(ctx) }, "POST " + path + "/password " + paths.ActionPasswordUnlock, "users-password-state", "Set"},
		{"sign_off_one", func() { s.signOff(ctx, "s1") }, "DELETE " + path + "/sessions/s1", "users-signoff-s2", ""},
		{"set_password", func() { s.setPassword(ctx, "another long password", true) },
			"PUT " + path + "/password " + paths.ActionPasswordSet + ` {"value":"another long password","forceChange":true}`, "users-sessions-empty", ""},
		{"profile", func() { s.saveProfile(ctx, profileEdit{Given: "Katherine", Family: "Moss", Email: "kate@example.net"}) },
			"PATCH " + path + ` application/json {"email":"kate@example.net","mobilePhone":null,"name":{"family":"Moss","given":"Katherine"},"primaryPhone":null}`,
			"users-profile-email", "kate@example.net"},
	} {
		t.Run(st.name, func(t *testing.T) {
			st.do()
			e.ConsumeAll()
			if s.err != "" {
				t.Fatalf("error %q", s.err)
			}
			if got := f.lastCall(); !strings.HasPrefix(got, st.call) {
				t.Errorf("call %q, want %q", got, st.call)
			}
			if got := text(mustID(t, render(t, s), st.show)); !strings.Contains(got, st.text) {
				t.Errorf("#%s %q, want %q", st.show, got, st.text)
			}
		})
	}
	if got := text(byClass(mustID(t, render(t, s), "users-devices"), "device")[1]); !strings.Contains(got, "kate2@example.com") || !strings.Contains(got, "Active") {
		t.Errorf("added device row %q (administrators see the whole address)", got)
	}

	// Deleting a device asks first; the question's button is the one
	// that acts and stays until the answer.
	n := len(f.callList())
	s.deleteDevice(ctx, "d9")
	mustID(t, render(t, s), "users-devdel-confirm-d9")
	if len(f.callList()) != n {
		t.Fatal("delete sent before the confirmation")
	}
	s.deleteDevice(ctx, "d9")
	if byID(render(t, s), "users-devdel-confirm-d9") == nil {
		t.Fatal("the confirm button left before the answer")
	}
	e.ConsumeAll()
	if byID(render(t, s), "users-devdel-d9") != nil || f.lastCall() != "DELETE "+path+"/devices/d9" {
		t.Errorf("device still shown; last call %q", f.lastCall())
	}

	// A refused set shows the server's words and changes nothing.
	f.fail["PUT "+path+"/password"] = apierr.Error{Code: apierr.InvalidData, Message: "The password does not meet the policy.",
		Details: []apierr.Detail{{Target: "value", Message: "Not a common or breached password."}}}
	s.setPassword(ctx, "password1", true)
	e.ConsumeAll()
	if got := text(mustID(t, render(t, s), "users-error")); got != "The password does not meet the policy. Not a common or breached password." {
		t.Errorf("error %q", got)
	}

	// Delete the user: confirmed, then back on the list without them.
	s.deleteUser(ctx)
	mustID(t, render(t, s), "users-delete-question")
	s.deleteUser(ctx)
	e.ConsumeAll()
	if s.d != nil || f.lastCall() != "DELETE "+path {
		t.Fatalf("after delete: last call %q", f.lastCall())
	}
	if got := rowNames(t, s); !slices.Equal(got, []string{"leo"}) {
		t.Errorf("rows %v", got)
	}
}

func TestAdminUsersReadOnly(t *testing.T) {
	s, f, ctx, e := usersSection(t, resource.RoleReadOnly)
	doc := render(t, s)
	if byID(doc, "users-new") != nil {
		t.Error("Create user offered to a read-only administrator")
	}
	s.open(ctx, kateID)
	e.ConsumeAll()
	doc = render(t, s)
	wantIDs(t, doc, []string{"users-profile", "users-devices", "users-sessions", "users-events", "users-state"},
		[]string{"users-edit", "users-disable", "users-unlock", "users-setpw", "users-delete", "users-dev-add",
			"users-block-d1", "users-devdel-d1", "users-signoff-s1", "users-signoff-all", "users-password-form"})
	for _, c := range f.callList() {
		if !strings.HasPrefix(c, "GET ") {
			t.Errorf("a read-only view wrote: %q", c)
		}
	}
}

// TestAdminUsersEnvironmentChange: another environment loads its own
// list, and nothing of the last one's opened user stays.
func TestAdminUsersEnvironmentChange(t *testing.T) {
	s, f, ctx, e := usersSection(t, resource.RoleEnvironmentAdmin)
	s.open(ctx, kateID)
	e.ConsumeAll()
	c := *s.C
	c.Env = resource.Environment{ID: "7c1e3a52-4a43-4b8e-9a53-2a7d2f0c1e09"}
	c.Roles = []resource.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}}
	s.C = &c
	s.load(ctx)
	e.ConsumeAll()
	if s.d != nil || len(s.users) != 0 || s.listErr == "" {
		t.Errorf("after the switch: detail %v, %d users, error %q", s.d != nil, len(s.users), s.listErr)
	}
	if got := f.lastCall(); !strings.Contains(got, c.Env.ID) {
		t.Errorf("last call %q", got)
	}
}
