//go:build !js

package ui

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

func TestVisibleTabsByScope(t *testing.T) {
	tests := []struct {
		name  string
		scope string
		want  []string
	}{
		{name: "both", scope: "openid profile email p1:read:user p1:read:device", want: []string{"profile", "mfa"}},
		{name: "userOnly", scope: "openid p1:read:user", want: []string{"profile"}},
		{name: "deviceOnly", scope: "openid p1:read:device", want: []string{"mfa"}},
		{name: "none", scope: "openid profile email", want: nil},
		{name: "consents", scope: "p1:read:user p1:read:userConsent", want: []string{"profile", "consents"}},
		{name: "sessions", scope: "p1:read:user p1:read:sessions", want: []string{"profile", "sessions", "activity"}},
		{name: "password", scope: "p1:read:user p1:validate:userPassword", want: []string{"profile", "password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tab := range visibleTabs(scope.Parse(tt.scope)) {
				got = append(got, tab.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("tabs = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTabsMatch(t *testing.T) {
	e := app.NewTestEngine()
	tabs := &Tabs{Label: "Sections", Tabs: visibleTabs(scope.Parse("p1:read:user p1:read:device")), Active: "mfa"}
	if err := e.Load(tabs); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	handler := func(app.Context, app.Event) {}
	tab := func(id, label string, selected bool, tabindex int) app.UI {
		return app.Button().Type("button").ID("tab-"+id).Class("tab").Role("tab").
			Aria("selected", selected).Aria("controls", "panel-"+id).TabIndex(tabindex).
			OnClick(handler).OnKeyDown(handler).Text(label)
	}
	if err := app.Match(app.Div().Class("tabs").Role("tablist").Aria("label", "Sections"), tabs, 0); err != nil {
		t.Error(err)
	}
	if err := app.Match(tab("profile", "My profile", false, -1), tabs, 0, 0); err != nil {
		t.Error(err)
	}
	if err := app.Match(tab("mfa", "Authentication", true, 0), tabs, 0, 1); err != nil {
		t.Error(err)
	}
	if err := app.Match(app.Text("Authentication"), tabs, 0, 1, 0); err != nil {
		t.Error(err)
	}
}

func readyPage(scopes string) *MyAccountPage {
	return &MyAccountPage{
		phase:  phaseReady,
		loaded: true,
		sess:   &session{sub: "u1", scopes: scope.Parse(scopes)},
		scopes: scope.Parse(scopes),
		user:   &resource.User{ID: "u1", Username: "jane", Email: "jane@example.com", Name: &resource.Name{Given: "Jane", Family: "Doe"}},
		devices: []resource.Device{
			{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com"},
		},
	}
}

func TestMyAccountPageTabs(t *testing.T) {
	tests := []struct {
		name     string
		scope    string
		tab      string
		present  []string
		absent   []string
		selected string
	}{
		{name: "both", scope: "openid p1:read:user p1:read:device", present: []string{"tab-profile", "tab-mfa", "panel-profile", "panel-mfa"}, selected: "profile"},
		{name: "mfaFragment", scope: "openid p1:read:user p1:read:device", tab: "mfa", present: []string{"tab-profile", "tab-mfa"}, selected: "mfa"},
		{name: "userOnly", scope: "openid p1:read:user", tab: "mfa", present: []string{"tab-profile", "profile-username"}, absent: []string{"tab-mfa", "panel-mfa"}, selected: "profile"},
		{name: "deviceOnly", scope: "openid p1:read:device", present: []string{"tab-mfa"}, absent: []string{"tab-profile", "profile-username"}, selected: "mfa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := readyPage(tt.scope)
			p.tab = tt.tab
			doc := render(t, p)
			for _, id := range tt.present {
				mustID(t, doc, id)
			}
			for _, id := range tt.absent {
				if byID(doc, id) != nil {
					t.Errorf("#%s shown for scope %q", id, tt.scope)
				}
			}
			for _, tab := range findAll(doc, func(n *nodeT) bool { r, _ := attr(n, "role"); return r == "tab" }) {
				id, _ := attr(tab, "id")
				v, _ := attr(tab, "aria-selected")
				// go-app writes a true attribute bare (aria-selected) and false as "false".
				sel := v != "false"
				if sel != (id == "tab-"+tt.selected) {
					t.Errorf("%s aria-selected=%q, selected tab should be %s", id, v, tt.selected)
				}
				panel := mustID(t, doc, "panel-"+strings.TrimPrefix(id, "tab-"))
				if r, _ := attr(panel, "role"); r != "tabpanel" {
					t.Errorf("panel role = %q", r)
				}
				if lb, _ := attr(panel, "aria-labelledby"); lb != id {
					t.Errorf("panel aria-labelledby = %q, want %q", lb, id)
				}
				if _, hidden := attr(panel, "hidden"); hidden == sel {
					t.Errorf("panel of %s hidden=%v", id, hidden)
				}
			}
			mustID(t, doc, "signoff")
			if byID(doc, "offline-banner") != nil {
				t.Error("offline banner shown online")
			}
		})
	}
}

func TestMyAccountPageStates(t *testing.T) {
	tests := []struct {
		name    string
		page    *MyAccountPage
		present []string
		absent  []string
		text    string
	}{
		{name: "loading", page: &MyAccountPage{phase: phaseLoading}, present: []string{"loading"}, absent: []string{"tab-profile", "signoff", "error"}},
		{name: "leaving", page: &MyAccountPage{phase: phaseLeaving}, present: []string{"loading"}, text: "Signing you on"},
		{name: "error", page: &MyAccountPage{phase: phaseError, errText: "boom", retry: retrySignOn}, present: []string{"error", "retry"}, absent: []string{"signoff"}, text: "boom"},
		{name: "dataLoading", page: func() *MyAccountPage {
			p := readyPage("p1:read:user")
			p.loading, p.loaded, p.user = true, false, nil
			return p
		}(),
			present: []string{"loading", "tab-profile"}, absent: []string{"profile-username"}},
		{name: "offlineWithCopy", page: func() *MyAccountPage {
			p := readyPage("p1:read:user p1:read:device")
			p.sess, p.offline = nil, true
			return p
		}(),
			present: []string{"offline-banner", "profile-username", "tab-mfa"}, absent: []string{"signoff"}},
		{name: "offlineNoCopy", page: &MyAccountPage{phase: phaseError, offline: true, errText: T(MsgOfflineNoData), retry: retryStart},
			present: []string{"offline-banner", "error", "retry"}, text: "You are offline"},
		{name: "noTabs", page: readyPage("openid"), absent: []string{"tab-profile", "tab-mfa"}, text: T(MsgNoTabs)},
		{name: "devicesEmpty", page: func() *MyAccountPage { p := readyPage("p1:read:device"); p.devices = []resource.Device{}; return p }(),
			present: []string{"panel-mfa"}, text: T(MsgDevicesEmpty)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, tt.page)
			for _, id := range tt.present {
				mustID(t, doc, id)
			}
			for _, id := range tt.absent {
				if byID(doc, id) != nil {
					t.Errorf("#%s should not be shown", id)
				}
			}
			if !strings.Contains(text(doc), tt.text) {
				t.Errorf("text %q not in %q", tt.text, text(doc))
			}
		})
	}
}

func TestDeviceListDefaultMarker(t *testing.T) {
	devices := []resource.Device{
		{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceActivationRequired, Email: "pending@example.com"},
		{ID: "d2", Type: resource.DeviceEmail, Status: resource.DeviceActive, Email: "jane@example.com", Nickname: "Work mail"},
		{ID: "d3", Type: resource.DeviceSMS, Status: resource.DeviceActive, Phone: "+15551234567"},
	}
	doc := render(t, &DeviceList{Devices: devices})
	rows := byClass(doc, "device")
	if len(rows) != 3 {
		t.Fatalf("%d .device rows, want 3", len(rows))
	}
	defaults := byClass(doc, "device-default")
	if len(defaults) != 1 || defaults[0] != rows[1] {
		t.Fatalf("default marker on %d rows; want exactly the first ACTIVE one (d2)", len(defaults))
	}
	if id, _ := attr(rows[1], "data-device-id"); id != "d2" {
		t.Errorf("default row is %q", id)
	}
	if got := text(rows[1]); !strings.Contains(got, "Default") || !strings.Contains(got, "Work mail") || !strings.Contains(got, "j***@example.com") || !strings.Contains(got, "Active") {
		t.Errorf("default row text = %q", got)
	}
	if got := text(rows[0]); strings.Contains(got, "Default") || !strings.Contains(got, "Activation required") {
		t.Errorf("pending row text = %q", got)
	}
	if got := text(rows[2]); !strings.Contains(got, "Text message") || !strings.Contains(got, "********4567") || strings.Contains(got, "5551234567") {
		t.Errorf("sms row text = %q", got)
	}
}

func TestDeviceListNoActiveDevice(t *testing.T) {
	doc := render(t, &DeviceList{Devices: []resource.Device{{ID: "d1", Type: resource.DeviceEmail, Status: resource.DeviceBlocked}}})
	if n := len(byClass(doc, "device-default")); n != 0 {
		t.Fatalf("%d default markers with no ACTIVE device", n)
	}
}

func TestMessagesTable(t *testing.T) {
	if got := T(MsgErrWrongCode, 2); got != "Wrong code, 2 attempts left" {
		t.Errorf("T(MsgErrWrongCode, 2) = %q", got)
	}
	if got := T(Msg("no.such.id")); got != "no.such.id" {
		t.Errorf("missing id shows %q", got)
	}
	for id, s := range english {
		if s == "" {
			t.Errorf("%s is empty", id)
		}
	}
}
