package ui

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// The console's Users section: the chosen environment's users, searched,
// created and opened; an opened user's profile, password, devices,
// sessions and activity, with what a user writer may do to each. Every
// action is one management API call; the server decides, the section only
// hides what the administrator's role cannot do (CanEditUsers).

// adminUsersPage is how many users one list request reads (the API's
// most).
const adminUsersPage = 100

// adminUserEvents is how many activity entries one request reads.
const adminUserEvents = 20

// AdminUsers is the Users section (#panel-users).
type AdminUsers struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	users   []resource.User
	next    string // cursor of the list's next page, "" at the end
	listErr string
	query   string
	// found holds the server's answer to "Search all usernames" for the
	// query foundFor, while the list itself is only partly read.
	found    []resource.User
	foundFor string
	// opening is the user being read; their row stays (disabled) until
	// the answer, then the section shows them.
	opening  string
	creating bool

	// busy names the action under way (its button stays mounted and
	// disabled until the answer); err and notice are the last one's.
	busy    string
	err     string
	notice  string
	confirm string // the action waiting for "Yes"
	// part is where err and notice show: next to the control that acted
	// ("list", "profile", "account", "devices", "sessions", "events").
	part string

	d *userDetail
}

// userDetail is an opened user and what the section read about them.
type userDetail struct {
	user       resource.User
	password   resource.PasswordState
	devices    []resource.Device
	sessions   []resource.UserSession
	events     []resource.UserEvent
	eventsNext string
	editing    bool
}

// newUser is what the create form collects.
type newUser struct {
	Username, Email, Given, Family, Password string
	ForceChange                              bool
}

// profileEdit is what the profile form collects: the basic contact fields.
type profileEdit struct {
	Given, Family, Email, PrimaryPhone, MobilePhone string
}

// OnMount loads the first page of users.
func (s *AdminUsers) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate loads them again for another environment.
func (s *AdminUsers) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminUsers) load(ctx app.Context) {
	if s.C != nil && s.l.loadedFor != s.C.Env.ID {
		// Another environment: nothing of the last one stays on screen.
		s.d, s.users, s.next, s.query, s.creating, s.opening = nil, nil, "", "", false, ""
		s.found, s.foundFor = nil, ""
		s.busy, s.err, s.notice, s.confirm, s.listErr = "", "", "", "", ""
	}
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) (userPage, error) {
		return listUsers(ctx, c, "", "")
	}, func(p userPage, err error) {
		s.users, s.next, s.listErr = p.users, p.next, ""
		if err != nil {
			s.listErr = adminErrorText(err)
		}
	})
}

// userPage is one page of the users list.
type userPage struct {
	users []resource.User
	next  string
}

// listUsers reads a page of the environment's users after cursor, those
// the filter keeps when there is one.
func listUsers(ctx context.Context, c *AdminContext, cursor, filter string) (userPage, error) {
	q := url.Values{"limit": {strconv.Itoa(adminUsersPage)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if filter != "" {
		q.Set("filter", filter)
	}
	var out resource.List[resource.User]
	if err := c.API.Call(ctx, "GET", paths.Build(paths.Users, c.Env.ID)+"?"+q.Encode(), c.Token, "", nil, &out); err != nil {
		return userPage{}, err
	}
	p := userPage{users: out.Embedded["users"], next: cursorOf(out.Links["next"].Href)}
	if p.users == nil {
		p.users = []resource.User{}
	}
	return p, nil
}

// cursorOf is the cursor a list's next link carries ("" for none).
func cursorOf(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" {
		return ""
	}
	return u.Query().Get("cursor")
}

// matchUsers keeps the users whose username, email or name contains
// query, ignoring case; an empty query keeps them all. It searches the
// pages the console has read; the API searches the rest by username
// prefix only (searchAll).
func matchUsers(users []resource.User, query string) []resource.User {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return users
	}
	var out []resource.User
	for _, u := range users {
		hay := []string{u.Username, u.Email}
		if u.Name != nil {
			hay = append(hay, u.Name.Formatted, u.Name.Given, u.Name.Family, u.Name.Given+" "+u.Name.Family)
		}
		if slices.ContainsFunc(hay, func(h string) bool { return strings.Contains(strings.ToLower(h), q) }) {
			out = append(out, u)
		}
	}
	return out
}

// userName is a user's name for people: their formatted name, given and
// family names, or "".
func userName(u resource.User) string {
	if u.Name == nil {
		return ""
	}
	if u.Name.Formatted != "" {
		return u.Name.Formatted
	}
	return strings.TrimSpace(u.Name.Given + " " + u.Name.Family)
}

// createBody is the API body for the create form, with the problems the
// shared checks find first (field id → message) so nothing is sent that
// the server would refuse for the same reason.
func createBody(in newUser) (resource.UserCreate, map[string]string) {
	bad := map[string]string{}
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if err := valid.Username(username); err != nil {
		bad["username"] = T(MsgAdminUsersFieldProblem, T(MsgAdminUsersUsername), err.Error())
	}
	email := strings.TrimSpace(in.Email)
	if err := valid.Email(email); err != nil {
		bad["email"] = T(MsgAdminUsersFieldProblem, T(MsgAdminUsersEmail), err.Error())
	}
	body := resource.UserCreate{Username: username, Email: email}
	if g, f := strings.TrimSpace(in.Given), strings.TrimSpace(in.Family); g != "" || f != "" {
		body.Name = &resource.Name{Given: g, Family: f}
	}
	if in.Password != "" {
		if err := valid.Password(in.Password); err != nil {
			bad["password"] = T(MsgAdminUsersFieldProblem, T(MsgAdminUsersPassword), err.Error())
		}
		body.Password = &resource.Password{Value: in.Password, ForceChange: in.ForceChange}
	}
	return body, bad
}

// profilePatch is the JSON merge patch of the profile form: the name's
// parts and phones (an empty one is cleared, null), the email when given
// (it cannot be cleared).
func profilePatch(in profileEdit) map[string]any {
	orNull := func(s string) any {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
		return nil
	}
	p := map[string]any{
		"name":         map[string]any{"given": orNull(in.Given), "family": orNull(in.Family)},
		"primaryPhone": orNull(in.PrimaryPhone),
		"mobilePhone":  orNull(in.MobilePhone),
	}
	if e := strings.TrimSpace(in.Email); e != "" {
		p["email"] = e
	}
	return p
}

// deviceBody is the API body of an administrator's ACTIVE device for the
// user: an email address, or a phone number for SMS. ok is false (with
// the problem) when the target is empty or not an address.
func deviceBody(kind, target string) (map[string]any, string) {
	target = strings.TrimSpace(target)
	switch kind {
	case resource.DeviceEmail:
		if err := valid.Email(target); err != nil {
			return nil, T(MsgAdminUsersFieldProblem, T(MsgAdminUsersDevEmail), err.Error())
		}
		return map[string]any{"type": kind, "email": target, "status": resource.DeviceActive}, ""
	case resource.DeviceSMS:
		if target == "" {
			return nil, T(MsgAdminUsersPhoneNeeded)
		}
		return map[string]any{"type": kind, "phone": target, "status": resource.DeviceActive}, ""
	}
	return nil, T(MsgAdminUsersPickType)
}

// act runs one API call for the opened user under ctx.Async: key names it
// (busy while it runs), apply takes the answer on the UI goroutine. A
// second action while one runs is ignored.
func act[E any](s *AdminUsers, ctx app.Context, key string, call func(context.Context, *AdminContext) (E, error), apply func(E)) {
	if s.busy != "" {
		return
	}
	s.busy, s.err, s.notice, s.part = key, "", "", partOf(key)
	c := s.C
	ctx.Async(func() {
		v, err := call(context.Background(), c)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy = ""
			if err != nil {
				s.err = adminErrorText(err)
				return
			}
			s.confirm = ""
			apply(v)
		})
	})
}

// partOf is the part of the section an action's key belongs to.
func partOf(key string) string {
	for _, p := range []struct{ prefix, part string }{
		{"create", "list"}, {"more", "list"}, {"open", "list"}, {"profile", "profile"},
		{"enabled", "account"}, {"unlock", "account"}, {"password", "account"}, {"delete", "account"},
		{"device-", "devices"}, {"block-", "devices"}, {"unblock-", "devices"},
		{"signoff", "sessions"}, {"events", "events"},
	} {
		if strings.HasPrefix(key, p.prefix) {
			return p.part
		}
	}
	return "list"
}

// fail shows a problem found before any call, in part.
func (s *AdminUsers) fail(part, msg string) { s.part, s.err, s.notice = part, msg, "" }

// none is an action's answer without a body.
type none struct{}

func (s *AdminUsers) userPath(p string, more ...string) string {
	return paths.Build(p, append([]string{s.C.Env.ID, s.d.user.ID}, more...)...)
}

// search narrows the list as the administrator types.
func (s *AdminUsers) search(q string) { s.query = q }

// searchQuery is the query as the server compares usernames.
func (s *AdminUsers) searchQuery() string { return strings.ToLower(strings.TrimSpace(s.query)) }

// searchAll asks the server for the usernames that start with the query,
// for a list the console has only partly read.
func (s *AdminUsers) searchAll(ctx app.Context) {
	q := s.searchQuery()
	if q == "" {
		return
	}
	act(s, ctx, "search", func(ctx context.Context, c *AdminContext) (userPage, error) {
		return listUsers(ctx, c, "", "username sw "+strconv.Quote(q))
	}, func(p userPage) {
		s.found, s.foundFor = p.users, q
	})
}

// shownUsers is what the list shows: the read pages' matches, then the
// server's username matches for the same query that are not among them.
func (s *AdminUsers) shownUsers() []resource.User {
	shown := matchUsers(s.users, s.query)
	if s.foundFor == "" || s.foundFor != s.searchQuery() {
		return shown
	}
	shown = slices.Clone(shown)
	for _, u := range s.found {
		if !slices.ContainsFunc(shown, func(v resource.User) bool { return v.ID == u.ID }) {
			shown = append(shown, u)
		}
	}
	return shown
}

// more reads the next page of users.
func (s *AdminUsers) more(ctx app.Context) {
	cursor := s.next
	act(s, ctx, "more", func(ctx context.Context, c *AdminContext) (userPage, error) {
		return listUsers(ctx, c, cursor, "")
	}, func(p userPage) {
		s.users, s.next = append(s.users, p.users...), p.next
	})
}

// create adds a user; they join the list and the section says so.
func (s *AdminUsers) create(ctx app.Context, in newUser) {
	body, bad := createBody(in)
	if len(bad) > 0 {
		for _, k := range []string{"username", "email", "password"} {
			if bad[k] != "" {
				s.fail("list", bad[k])
				return
			}
		}
	}
	act(s, ctx, "create", func(ctx context.Context, c *AdminContext) (resource.User, error) {
		var out resource.User
		err := c.API.Call(ctx, "POST", paths.Build(paths.Users, c.Env.ID), c.Token, "", body, &out)
		return out, err
	}, func(u resource.User) {
		if s.next == "" {
			s.users = append(s.users, u)
		}
		s.creating, s.notice = false, T(MsgAdminUsersCreated, u.Username)
	})
}

// open reads a user and what the section shows about them, then shows
// them. The list stays until then (the clicked row keeps its button).
func (s *AdminUsers) open(ctx app.Context, id string) {
	if s.busy != "" {
		return
	}
	s.opening, s.busy, s.err, s.notice, s.part = id, "open", "", "", "list"
	c := s.C
	ctx.Async(func() {
		d, err := readUser(context.Background(), c, id)
		ctx.Dispatch(func(ctx app.Context) {
			s.opening, s.busy = "", ""
			if err != nil {
				s.err = adminErrorText(err)
				return
			}
			s.d, s.confirm, s.creating = d, "", false
		})
	})
}

// readUser reads the user, their password state, devices, sessions and
// first page of activity.
func readUser(ctx context.Context, c *AdminContext, id string) (*userDetail, error) {
	env := c.Env.ID
	d := &userDetail{}
	if err := c.API.Call(ctx, "GET", paths.Build(paths.User, env, id), c.Token, "", nil, &d.user); err != nil {
		return nil, err
	}
	if err := c.API.Call(ctx, "GET", paths.Build(paths.UserPassword, env, id), c.Token, "", nil, &d.password); err != nil {
		return nil, err
	}
	var devs resource.List[resource.Device]
	if err := c.API.Call(ctx, "GET", paths.Build(paths.Devices, env, id), c.Token, "", nil, &devs); err != nil {
		return nil, err
	}
	d.devices = orEmpty(devs.Embedded["devices"])
	var sess resource.List[resource.UserSession]
	if err := c.API.Call(ctx, "GET", paths.Build(paths.Sessions, env, id), c.Token, "", nil, &sess); err != nil {
		return nil, err
	}
	d.sessions = orEmpty(sess.Embedded["sessions"])
	evs, next, err := listUserEvents(ctx, c, id, "")
	if err != nil {
		return nil, err
	}
	d.events, d.eventsNext = evs, next
	return d, nil
}

func orEmpty[E any](s []E) []E {
	if s == nil {
		return []E{}
	}
	return s
}

// listUserEvents reads a page of a user's activity after cursor.
func listUserEvents(ctx context.Context, c *AdminContext, id, cursor string) ([]resource.UserEvent, string, error) {
	q := url.Values{"limit": {strconv.Itoa(adminUserEvents)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var out resource.List[resource.UserEvent]
	if err := c.API.Call(ctx, "GET", paths.Build(paths.UserEvents, c.Env.ID, id)+"?"+q.Encode(), c.Token, "", nil, &out); err != nil {
		return nil, "", err
	}
	return orEmpty(out.Embedded["events"]), cursorOf(out.Links["next"].Href), nil
}

// back returns to the list.
func (s *AdminUsers) back() {
	if s.busy == "" {
		s.d, s.err, s.notice, s.confirm = nil, "", "", ""
	}
}

// setUser takes a changed user into the detail and the list.
func (s *AdminUsers) setUser(u resource.User) {
	s.d.user = u
	for i := range s.users {
		if s.users[i].ID == u.ID {
			s.users[i] = u
		}
	}
}

// saveProfile writes the basic contact fields.
func (s *AdminUsers) saveProfile(ctx app.Context, in profileEdit) {
	path := s.userPath(paths.User)
	act(s, ctx, "profile", func(ctx context.Context, c *AdminContext) (resource.User, error) {
		var out resource.User
		return out, c.API.Call(ctx, "PATCH", path, c.Token, "", profilePatch(in), &out)
	}, func(u resource.User) {
		s.setUser(u)
		s.d.editing, s.notice = false, T(MsgAdminUsersSaved)
	})
}

// setEnabled enables or disables the user (a disabled user cannot sign
// on, and their sessions end).
func (s *AdminUsers) setEnabled(ctx app.Context, on bool) {
	path := s.userPath(paths.User)
	act(s, ctx, "enabled", func(ctx context.Context, c *AdminContext) (resource.User, error) {
		var out resource.User
		return out, c.API.Call(ctx, "PATCH", path, c.Token, "", map[string]any{"enabled": on}, &out)
	}, func(u resource.User) {
		s.setUser(u)
		s.notice = T(pick(u.Enabled, MsgAdminUsersEnabledDone, MsgAdminUsersDisabledDone))
	})
}

// unlock ends the user's password lockout.
func (s *AdminUsers) unlock(ctx app.Context) {
	path := s.userPath(paths.UserPassword)
	act(s, ctx, "unlock", func(ctx context.Context, c *AdminContext) (resource.PasswordState, error) {
		var out resource.PasswordState
		return out, c.API.Call(ctx, "POST", path, c.Token, paths.ActionPasswordUnlock, struct{}{}, &out)
	}, func(p resource.PasswordState) {
		s.d.password, s.notice = p, T(MsgAdminUsersUnlocked)
	})
}

// setPassword sets the user's password, forceChange making them choose
// another at the next sign-on; their sessions end.
func (s *AdminUsers) setPassword(ctx app.Context, value string, forceChange bool) {
	if value == "" {
		s.fail("account", T(MsgAdminUsersPasswordNeeded))
		return
	}
	if err := valid.Password(value); err != nil {
		s.fail("account", T(MsgAdminUsersFieldProblem, T(MsgAdminUsersPassword), err.Error()))
		return
	}
	path := s.userPath(paths.UserPassword)
	act(s, ctx, "password", func(ctx context.Context, c *AdminContext) (resource.PasswordState, error) {
		var out resource.PasswordState
		return out, c.API.Call(ctx, "PUT", path, c.Token, paths.ActionPasswordSet,
			resource.PasswordSet{Value: value, ForceChange: forceChange}, &out)
	}, func(p resource.PasswordState) {
		s.d.password, s.d.sessions, s.notice = p, []resource.UserSession{}, T(MsgAdminUsersPasswordSet)
	})
}

// deleteUser deletes the user, after a confirmation, and goes back to the
// list.
func (s *AdminUsers) deleteUser(ctx app.Context) {
	if s.confirm != "delete" {
		s.confirm, s.err, s.notice, s.part = "delete", "", "", "account"
		return
	}
	id, name, path := s.d.user.ID, s.d.user.Username, s.userPath(paths.User)
	act(s, ctx, "delete", func(ctx context.Context, c *AdminContext) (none, error) {
		return none{}, c.API.Call(ctx, "DELETE", path, c.Token, "", nil, nil)
	}, func(none) {
		s.users = slices.DeleteFunc(s.users, func(u resource.User) bool { return u.ID == id })
		s.d, s.notice, s.part = nil, T(MsgAdminUsersDeleted, name), "list"
	})
}

// addDevice creates an ACTIVE email or SMS device for the user (an
// administrator's device needs no pairing).
func (s *AdminUsers) addDevice(ctx app.Context, kind, target string) {
	body, problem := deviceBody(kind, target)
	if problem != "" {
		s.fail("devices", problem)
		return
	}
	path := s.userPath(paths.Devices)
	act(s, ctx, "device-add", func(ctx context.Context, c *AdminContext) (resource.Device, error) {
		var out resource.Device
		return out, c.API.Call(ctx, "POST", path, c.Token, "", body, &out)
	}, func(d resource.Device) {
		s.d.devices, s.notice = append(s.d.devices, d), T(MsgAdminUsersDeviceAdded)
	})
}

// setBlocked blocks or unblocks a device.
func (s *AdminUsers) setBlocked(ctx app.Context, id string, block bool) {
	action, key := paths.ActionDeviceUnblock, "unblock-"+id
	if block {
		action, key = paths.ActionDeviceBlock, "block-"+id
	}
	path := s.userPath(paths.Device, id)
	act(s, ctx, key, func(ctx context.Context, c *AdminContext) (resource.Device, error) {
		var out resource.Device
		return out, c.API.Call(ctx, "POST", path, c.Token, action, struct{}{}, &out)
	}, func(d resource.Device) {
		for i := range s.d.devices {
			if s.d.devices[i].ID == d.ID {
				s.d.devices[i] = d
			}
		}
		s.notice = T(pick(block, MsgAdminUsersBlocked, MsgAdminUsersUnblocked))
	})
}

// deleteDevice deletes a device after a confirmation.
func (s *AdminUsers) deleteDevice(ctx app.Context, id string) {
	key := "device-delete-" + id
	if s.confirm != key {
		s.confirm, s.err, s.notice, s.part = key, "", "", "devices"
		return
	}
	path := s.userPath(paths.Device, id)
	act(s, ctx, key, func(ctx context.Context, c *AdminContext) (none, error) {
		return none{}, c.API.Call(ctx, "DELETE", path, c.Token, "", nil, nil)
	}, func(none) {
		s.d.devices = slices.DeleteFunc(s.d.devices, func(d resource.Device) bool { return d.ID == id })
		s.notice = T(MsgAdminUsersDeviceDeleted)
	})
}

// signOff ends one session of the user, or all of them (id "").
func (s *AdminUsers) signOff(ctx app.Context, id string) {
	path, key := s.userPath(paths.Sessions), "signoff-all"
	if id != "" {
		path, key = s.userPath(paths.Session, id), "signoff-"+id
	}
	act(s, ctx, key, func(ctx context.Context, c *AdminContext) (none, error) {
		return none{}, c.API.Call(ctx, "DELETE", path, c.Token, "", nil, nil)
	}, func(none) {
		s.d.sessions = slices.DeleteFunc(s.d.sessions, func(x resource.UserSession) bool { return id == "" || x.ID == id })
		s.notice = T(MsgAdminUsersSignedOff)
	})
}

// moreEvents reads the next page of the user's activity.
func (s *AdminUsers) moreEvents(ctx app.Context) {
	id, cursor := s.d.user.ID, s.d.eventsNext
	type page struct {
		evs  []resource.UserEvent
		next string
	}
	act(s, ctx, "events", func(ctx context.Context, c *AdminContext) (page, error) {
		evs, next, err := listUserEvents(ctx, c, id, cursor)
		return page{evs, next}, err
	}, func(p page) {
		s.d.events, s.d.eventsNext = append(s.d.events, p.evs...), p.next
	})
}

// formChecked is whether the submitted form's checkbox name is ticked.
func formChecked(ctx app.Context, name string) bool {
	el := ctx.JSSrc().Get("elements").Call("namedItem", name)
	return el.Truthy() && el.Get("checked").Bool()
}

// Render implements app.Composer.
func (s *AdminUsers) Render() app.UI {
	return app.Div().ID("users").Class("admin-users").Body(
		app.If(s.d == nil, func() app.UI { return s.listView() }).Else(func() app.UI { return s.detailView() }),
	)
}

// status shows the last action's error or notice when it belongs to
// part; it stays the last child of the part (go-app diffs by position).
func (s *AdminUsers) status(part string) app.UI {
	mine := s.part == part
	return app.Div().Class("users-status").Body(
		app.If(mine && s.err != "", func() app.UI { return app.P().ID("users-error").Class("error").Role("alert").Text(s.err) }),
		app.If(mine && s.notice != "", func() app.UI { return app.P().ID("users-notice").Class("notice").Role("status").Text(s.notice) }),
	)
}

func (s *AdminUsers) listView() app.UI {
	shown := s.shownUsers()
	canEdit := s.C.CanEditUsers()
	return app.Div().ID("users-list-view").Body(
		app.H2().Text(T(MsgAdminUsers)),
		app.Div().Class("field").Body(
			app.Label().For("users-search").Text(T(MsgAdminUsersSearch)),
			app.Input().ID("users-search").Type("search").Value(s.query).AutoComplete(false).
				Placeholder(T(MsgAdminUsersSearchHint)).
				OnInput(func(ctx app.Context, e app.Event) { s.search(ctx.JSSrc().Get("value").String()) }),
		),
		app.If(s.next != "", func() app.UI {
			return app.Div().Class("row-actions").Body(
				app.P().Class("hint").Text(T(MsgAdminUsersPartial, len(s.users))),
				app.If(s.searchQuery() != "", func() app.UI {
					return app.Button().ID("users-search-all").Type("button").Class("action").Disabled(s.busy != "").
						Text(T(pick(s.busy == "search", MsgLoading, MsgAdminUsersSearchAll))).
						OnClick(func(ctx app.Context, e app.Event) { s.searchAll(ctx) })
				}),
			)
		}),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.listErr != "", func() app.UI { return &ErrorMessage{Text: s.listErr} }),
		app.If(!s.l.loading && s.listErr == "" && len(shown) == 0, func() app.UI {
			return app.P().ID("users-empty").Class("empty").Text(T(pick(s.query == "", MsgAdminUsersNone, MsgAdminUsersNoMatch)))
		}),
		app.Ul().ID("users-list").Class("devices").Body(
			app.Range(shown).Slice(func(i int) app.UI {
				u := shown[i]
				return app.Li().Class("device", "user-row").DataSet("username", u.Username).Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("device-type").Text(u.Username),
						app.If(!u.Enabled, func() app.UI { return app.Span().Class("badge").Text(T(MsgAdminUsersDisabled)) }),
					),
					app.If(userName(u) != "", func() app.UI { return app.Div().Class("device-nickname").Text(userName(u)) }),
					app.If(u.Email != "", func() app.UI { return app.Div().Class("device-target").Text(u.Email) }),
					app.Button().ID("users-open-"+u.ID).Type("button").Class("action").Disabled(s.busy != "").
						Aria("label", T(MsgAdminUsersOpenNamed, u.Username)).
						Text(T(pick(s.opening == u.ID, MsgLoading, MsgAdminUsersOpen))).
						OnClick(func(ctx app.Context, e app.Event) { s.open(ctx, u.ID) }),
				)
			}),
		),
		app.If(s.next != "", func() app.UI {
			return app.Button().ID("users-more").Type("button").Class("action").Disabled(s.busy != "").
				Text(T(MsgAdminUsersMore)).OnClick(func(ctx app.Context, e app.Event) { s.more(ctx) })
		}),
		app.If(canEdit && !s.creating, func() app.UI {
			return app.Button().ID("users-new").Type("button").Class("action").Text(T(MsgAdminUsersNew)).
				OnClick(func(ctx app.Context, e app.Event) { s.creating, s.err, s.notice = true, "", "" })
		}),
		app.If(canEdit && s.creating, func() app.UI { return s.createForm() }),
		s.status("list"),
	)
}

// field is a labelled input of the section's forms.
func usersField(id, name, label, typ, value, autocomplete string) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		app.Input().ID(id).Name(name).Type(typ).Value(value).Attr("autocomplete", autocomplete),
	)
}

func usersCheck(id, name, label string, checked bool) app.UI {
	return app.Div().Class("users-check").Body(
		app.Input().ID(id).Name(name).Type("checkbox").Checked(checked),
		app.Label().For(id).Text(label),
	)
}

func (s *AdminUsers) createForm() app.UI {
	return app.Form().ID("users-create-form").Class("users-form").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			s.create(ctx, newUser{Username: formValue(ctx, "username"), Email: formValue(ctx, "email"),
				Given: formValue(ctx, "given"), Family: formValue(ctx, "family"), Password: formValue(ctx, "password"),
				ForceChange: formChecked(ctx, "forceChange")})
		}).Body(
		app.H3().Text(T(MsgAdminUsersNew)),
		usersField("users-username", "username", T(MsgAdminUsersUsername), "text", "", "off"),
		usersField("users-email", "email", T(MsgAdminUsersEmail), "email", "", "off"),
		usersField("users-given", "given", T(MsgAdminUsersGiven), "text", "", "off"),
		usersField("users-family", "family", T(MsgAdminUsersFamily), "text", "", "off"),
		usersField("users-password", "password", T(MsgAdminUsersPassword), "password", "", "new-password"),
		usersCheck("users-force", "forceChange", T(MsgAdminUsersForceChange), true),
		app.P().Class("hint").Text(T(MsgAdminUsersPasswordHint)),
		app.Div().Class("row-actions").Body(
			app.Button().ID("users-create").Type("submit").Class("action", "primary-action").Disabled(s.busy != "").Text(T(MsgAdminUsersCreate)),
			app.Button().ID("users-create-cancel").Type("button").Class("action").Disabled(s.busy != "").Text(T(MsgCancel)).
				OnClick(func(ctx app.Context, e app.Event) { s.creating, s.err = false, "" }),
		),
	)
}

func (s *AdminUsers) detailView() app.UI {
	d := s.d
	u := d.user
	canEdit := s.C.CanEditUsers()
	return app.Div().ID("users-detail").DataSet("user-id", u.ID).Body(
		app.Button().ID("users-back").Type("button").Class("action").Disabled(s.busy != "").Text(T(MsgAdminUsersBack)).
			OnClick(func(ctx app.Context, e app.Event) { s.back() }),
		app.H2().ID("users-title").Text(u.Username),
		s.profileView(canEdit),
		s.accountView(canEdit),
		s.devicesView(canEdit),
		s.sessionsView(canEdit),
		s.eventsView(),
	)
}

func (s *AdminUsers) profileView(canEdit bool) app.UI {
	u := s.d.user
	if s.d.editing && canEdit {
		var given, family string
		if u.Name != nil {
			given, family = u.Name.Given, u.Name.Family
		}
		return app.Form().ID("users-profile-form").Class("users-form").NoValidate(true).
			OnSubmit(func(ctx app.Context, e app.Event) {
				e.PreventDefault()
				s.saveProfile(ctx, profileEdit{Given: formValue(ctx, "given"), Family: formValue(ctx, "family"),
					Email: formValue(ctx, "email"), PrimaryPhone: formValue(ctx, "primaryPhone"), MobilePhone: formValue(ctx, "mobilePhone")})
			}).Body(
			app.H3().Text(T(MsgAdminUsersProfile)),
			usersField("users-edit-given", "given", T(MsgAdminUsersGiven), "text", given, "off"),
			usersField("users-edit-family", "family", T(MsgAdminUsersFamily), "text", family, "off"),
			usersField("users-edit-email", "email", T(MsgAdminUsersEmail), "email", u.Email, "off"),
			usersField("users-edit-primary", "primaryPhone", T(MsgAdminUsersPrimaryPhone), "tel", u.PrimaryPhone, "off"),
			usersField("users-edit-mobile", "mobilePhone", T(MsgAdminUsersMobilePhone), "tel", u.MobilePhone, "off"),
			app.Div().Class("row-actions").Body(
				app.Button().ID("users-edit-save").Type("submit").Class("action").Disabled(s.busy != "").Text(T(MsgSave)),
				app.Button().ID("users-edit-cancel").Type("button").Class("action").Disabled(s.busy != "").Text(T(MsgCancel)).
					OnClick(func(ctx app.Context, e app.Event) { s.d.editing, s.err = false, "" }),
			),
			s.status("profile"),
		)
	}
	return app.Section().Class("users-part").Body(
		app.H3().Text(T(MsgAdminUsersProfile)),
		app.Dl().ID("users-profile").Class("fields").Body(
			app.Dt().Text(T(MsgAdminUsersUsername)), app.Dd().ID("users-profile-username").Text(u.Username),
			app.Dt().Text(T(MsgAdminUsersName)), app.Dd().ID("users-profile-name").Text(orNotSet(userName(u))),
			app.Dt().Text(T(MsgAdminUsersEmail)), app.Dd().ID("users-profile-email").Text(orNotSet(u.Email)),
			app.Dt().Text(T(MsgAdminUsersPrimaryPhone)), app.Dd().Text(orNotSet(u.PrimaryPhone)),
			app.Dt().Text(T(MsgAdminUsersMobilePhone)), app.Dd().Text(orNotSet(u.MobilePhone)),
			app.Dt().Text(T(MsgAdminUsersID)), app.Dd().Text(u.ID),
			app.Dt().Text(T(MsgAdminUsersCreatedAt)), app.Dd().Text(when(u.CreatedAt)),
		),
		app.If(canEdit, func() app.UI {
			return app.Button().ID("users-edit").Type("button").Class("action").Disabled(s.busy != "").Text(T(MsgAdminUsersEdit)).
				OnClick(func(ctx app.Context, e app.Event) { s.d.editing, s.err, s.notice = true, "", "" })
		}),
		s.status("profile"),
	)
}

// passwordStatusText says a password state for people.
func passwordStatusText(p resource.PasswordState) string {
	switch p.Status {
	case resource.PasswordLockedOut:
		return T(MsgAdminUsersLockedOut, (p.SecondsUntilUnlock+59)/60)
	case resource.PasswordOK:
		return T(MsgAdminUsersPwOK)
	case resource.PasswordNone, "":
		return T(MsgAdminUsersPwNone)
	case resource.PasswordMustChange:
		return T(MsgAdminUsersPwMustChange)
	case resource.PasswordExpired:
		return T(MsgAdminUsersPwExpired)
	}
	return p.Status
}

func (s *AdminUsers) accountView(canEdit bool) app.UI {
	u, pw := s.d.user, s.d.password
	locked := pw.Status == resource.PasswordLockedOut
	return app.Section().Class("users-part").Body(
		app.H3().Text(T(MsgAdminUsersAccount)),
		app.Dl().Class("fields").Body(
			app.Dt().Text(T(MsgAdminUsersState)),
			app.Dd().ID("users-state").Text(T(pick(u.Enabled, MsgAdminUsersEnabled, MsgAdminUsersDisabled))),
			app.Dt().Text(T(MsgAdminUsersPasswordState)),
			app.Dd().ID("users-password-state").Text(passwordStatusText(pw)),
		),
		app.If(canEdit, func() app.UI {
			return app.Div().Class("row-actions").Body(
				app.If(u.Enabled, func() app.UI {
					return app.Button().ID("users-disable").Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgAdminUsersDisable)).OnClick(func(ctx app.Context, e app.Event) { s.setEnabled(ctx, false) })
				}).Else(func() app.UI {
					return app.Button().ID("users-enable").Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgAdminUsersEnable)).OnClick(func(ctx app.Context, e app.Event) { s.setEnabled(ctx, true) })
				}),
				app.If(locked, func() app.UI {
					return app.Button().ID("users-unlock").Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgAdminUsersUnlock)).OnClick(func(ctx app.Context, e app.Event) { s.unlock(ctx) })
				}),
			)
		}),
		app.If(canEdit, func() app.UI {
			return app.Form().ID("users-password-form").Class("users-form").NoValidate(true).
				OnSubmit(func(ctx app.Context, e app.Event) {
					e.PreventDefault()
					s.setPassword(ctx, formValue(ctx, "value"), formChecked(ctx, "forceChange"))
				}).Body(
				app.H4().Text(T(MsgAdminUsersSetPassword)),
				usersField("users-setpw-value", "value", T(MsgAdminUsersNewPassword), "password", "", "new-password"),
				usersCheck("users-setpw-force", "forceChange", T(MsgAdminUsersForceChange), true),
				app.P().Class("hint").Text(T(MsgAdminUsersSetPasswordHint)),
				app.Button().ID("users-setpw").Type("submit").Class("action").Disabled(s.busy != "").Text(T(MsgAdminUsersSetPassword)),
			)
		}),
		app.If(canEdit, func() app.UI {
			return app.Div().Class("row-actions", "users-delete").Body(
				app.If(s.confirm == "delete", func() app.UI {
					return app.P().ID("users-delete-question").Class("hint").Text(T(MsgAdminUsersDeleteQuestion, u.Username))
				}),
				app.Button().ID(pickID(s.confirm == "delete", "users-delete-confirm", "users-delete")).Type("button").
					Class("action", "danger").Disabled(s.busy != "").
					Text(T(pick(s.confirm == "delete", MsgAdminUsersDeleteYes, MsgAdminUsersDelete))).
					OnClick(func(ctx app.Context, e app.Event) { s.deleteUser(ctx) }),
				app.If(s.confirm == "delete", func() app.UI {
					return app.Button().ID("users-delete-cancel").Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgCancel)).OnClick(func(ctx app.Context, e app.Event) { s.confirm = "" })
				}),
			)
		}),
		s.status("account"),
	)
}

func pickID(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func (s *AdminUsers) devicesView(canEdit bool) app.UI {
	devs := s.d.devices
	return app.Section().Class("users-part").Body(
		app.H3().Text(T(MsgAdminUsersDevices)),
		app.If(len(devs) == 0, func() app.UI { return app.P().ID("users-devices-empty").Class("empty").Text(T(MsgDevicesEmpty)) }),
		app.Ul().ID("users-devices").Class("devices").Body(
			app.Range(devs).Slice(func(i int) app.UI { return s.deviceRow(devs[i], canEdit) }),
		),
		app.If(canEdit, func() app.UI {
			return app.Form().ID("users-device-form").Class("users-form").NoValidate(true).
				OnSubmit(func(ctx app.Context, e app.Event) {
					e.PreventDefault()
					s.addDevice(ctx, formValue(ctx, "type"), formValue(ctx, "target"))
				}).Body(
				app.H4().Text(T(MsgAdminUsersAddDevice)),
				app.Div().Class("field").Body(
					app.Label().For("users-dev-type").Text(T(MsgAdminUsersDevType)),
					app.Select().ID("users-dev-type").Name("type").Body(
						app.Option().Value(resource.DeviceEmail).Text(T(MsgDevEmail)),
						app.Option().Value(resource.DeviceSMS).Text(T(MsgDevSMS)),
					),
				),
				usersField("users-dev-target", "target", T(MsgAdminUsersDevTarget), "text", "", "off"),
				app.P().Class("hint").Text(T(MsgAdminUsersAddDeviceHint)),
				app.Button().ID("users-dev-add").Type("submit").Class("action").Disabled(s.busy != "").Text(T(MsgAdminUsersAddDevice)),
			)
		}),
		s.status("devices"),
	)
}

func (s *AdminUsers) deviceRow(d resource.Device, canEdit bool) app.UI {
	target := d.Email
	if target == "" {
		target = d.Phone
	}
	delKey := "device-delete-" + d.ID
	return app.Li().Class("device", "user-device").DataSet("device-id", d.ID).DataSet("status", d.Status).Body(
		app.Div().Class("device-head").Body(
			app.Span().Class("device-type").Text(deviceKindLabel(d)),
		),
		app.If(d.Nickname != "", func() app.UI { return app.Div().Class("device-nickname").Text(d.Nickname) }),
		app.If(target != "", func() app.UI { return app.Div().Class("device-target").Text(target) }),
		app.Div().Class("device-status", "device-status-"+strings.ToLower(d.Status)).Text(deviceStatusLabel(d.Status)),
		app.If(canEdit, func() app.UI {
			return app.Div().Class("row-actions").Body(
				app.If(d.Status == resource.DeviceActive, func() app.UI {
					return app.Button().ID("users-block-" + d.ID).Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgAdminUsersBlock)).OnClick(func(ctx app.Context, e app.Event) { s.setBlocked(ctx, d.ID, true) })
				}),
				app.If(d.Status == resource.DeviceBlocked, func() app.UI {
					return app.Button().ID("users-unblock-" + d.ID).Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgAdminUsersUnblock)).OnClick(func(ctx app.Context, e app.Event) { s.setBlocked(ctx, d.ID, false) })
				}),
				app.Button().ID(pickID(s.confirm == delKey, "users-devdel-confirm-"+d.ID, "users-devdel-"+d.ID)).Type("button").
					Class("action", "danger").Disabled(s.busy != "").
					Text(T(pick(s.confirm == delKey, MsgAdminUsersDeleteDeviceYes, MsgAdminUsersDeleteDevice))).
					OnClick(func(ctx app.Context, e app.Event) { s.deleteDevice(ctx, d.ID) }),
				app.If(s.confirm == delKey, func() app.UI {
					return app.Button().ID("users-devdel-cancel-" + d.ID).Type("button").Class("action").Disabled(s.busy != "").
						Text(T(MsgCancel)).OnClick(func(ctx app.Context, e app.Event) { s.confirm = "" })
				}),
			)
		}),
	)
}

func (s *AdminUsers) sessionsView(canEdit bool) app.UI {
	list := s.d.sessions
	return app.Section().Class("users-part").Body(
		app.H3().Text(T(MsgAdminUsersSessions)),
		app.If(len(list) == 0, func() app.UI {
			return app.P().ID("users-sessions-empty").Class("empty").Text(T(MsgAdminUsersNoSessions))
		}),
		app.Ul().ID("users-sessions").Class("devices").Body(
			app.Range(list).Slice(func(i int) app.UI {
				x := list[i]
				where := deviceTypeText(x.Device.Type)
				if len(x.Locations) > 0 {
					where += " · " + x.Locations[0].RemoteIP
				}
				return app.Li().Class("device", "session").DataSet("session-id", x.ID).Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("device-type").Text(agentName(x.Browser, x.OperatingSystem)),
					),
					app.Div().Class("device-target").Text(where),
					app.If(len(x.Methods) > 0, func() app.UI { return app.Div().Class("device-target").Text(methodNames(x.Methods)) }),
					app.Div().Class("device-status").Text(T(MsgAdminUsersSessionActive, when(x.ActiveAt))),
					app.If(canEdit, func() app.UI {
						return app.Button().ID("users-signoff-" + x.ID).Type("button").Class("action").Disabled(s.busy != "").
							Text(T(MsgSignOff)).OnClick(func(ctx app.Context, e app.Event) { s.signOff(ctx, x.ID) })
					}),
				)
			}),
		),
		app.If(canEdit && len(list) > 1, func() app.UI {
			return app.Button().ID("users-signoff-all").Type("button").Class("action").Disabled(s.busy != "").
				Text(T(MsgAdminUsersSignOffAll)).OnClick(func(ctx app.Context, e app.Event) { s.signOff(ctx, "") })
		}),
		s.status("sessions"),
	)
}

func (s *AdminUsers) eventsView() app.UI {
	evs := s.d.events
	return app.Section().Class("users-part").Body(
		app.H3().Text(T(MsgAdminUsersEvents)),
		app.If(len(evs) == 0, func() app.UI { return app.P().ID("users-events-empty").Class("empty").Text(T(MsgAdminUsersNoEvents)) }),
		app.Ul().ID("users-events").Class("devices").Body(
			app.Range(evs).Slice(func(i int) app.UI { return eventRow(evs[i]) }),
		),
		app.If(s.d.eventsNext != "", func() app.UI {
			return app.Button().ID("users-events-more").Type("button").Class("action").Disabled(s.busy != "").
				Text(T(MsgAdminUsersMore)).OnClick(func(ctx app.Context, e app.Event) { s.moreEvents(ctx) })
		}),
		s.status("events"),
	)
}
