package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/shared/resource"
)

// The components below only display: their exported fields are their
// props, OnX fields their callbacks. Pages own the data and the I/O.

// Loading is the loading indicator (#loading), announced politely to
// screen readers.
type Loading struct {
	app.Compo
	Label string
}

// Render implements app.Composer.
func (c *Loading) Render() app.UI {
	return app.Div().ID("loading").Class("loading").Role("status").Aria("live", "polite").Body(
		app.Span().Class("spinner").Aria("hidden", "true"),
		app.Span().Text(c.Label),
	)
}

// ErrorMessage shows an error (#error) as an alert; nothing when Text is
// empty.
type ErrorMessage struct {
	app.Compo
	Text string
}

// Render implements app.Composer.
func (c *ErrorMessage) Render() app.UI {
	if c.Text == "" {
		return app.Div().Class("error-slot")
	}
	return app.P().ID("error").Class("error").Role("alert").Text(c.Text)
}

// OfflineBanner tells the user the data shown is the last copy seen.
type OfflineBanner struct {
	app.Compo
	Text string
}

// Render implements app.Composer.
func (c *OfflineBanner) Render() app.UI {
	return app.Div().ID("offline-banner").Class("banner", "banner-offline").Role("status").Text(c.Text)
}

// Tab is one entry of a Tabs list.
type Tab struct {
	ID    string
	Label string
}

// Tabs is a WAI-ARIA tab list: buttons with role=tab (#tab-{id}),
// aria-selected on the active one, and roving tabindex with arrow keys,
// Home and End. The panels are the page's (#panel-{id}).
type Tabs struct {
	app.Compo
	Label    string
	Tabs     []Tab
	Active   string
	OnSelect func(ctx app.Context, id string)
}

// Render implements app.Composer.
func (c *Tabs) Render() app.UI {
	return app.Div().Class("tabs").Role("tablist").Aria("label", c.Label).Body(
		app.Range(c.Tabs).Slice(func(i int) app.UI {
			t := c.Tabs[i]
			active := t.ID == c.Active
			tabindex := -1
			if active {
				tabindex = 0
			}
			return app.Button().
				Type("button").
				ID("tab-"+t.ID).
				Class("tab").
				Role("tab").
				Aria("selected", active).
				Aria("controls", "panel-"+t.ID).
				TabIndex(tabindex).
				OnClick(func(ctx app.Context, e app.Event) { c.choose(ctx, t.ID, false) }, app.EventScope(t.ID)).
				OnKeyDown(func(ctx app.Context, e app.Event) { c.key(ctx, e, i) }, app.EventScope(t.ID)).
				Text(t.Label)
		}),
	)
}

func (c *Tabs) key(ctx app.Context, e app.Event, i int) {
	n := len(c.Tabs)
	if n == 0 {
		return
	}
	j := -1
	switch e.Get("key").String() {
	case "ArrowRight", "ArrowDown":
		j = (i + 1) % n
	case "ArrowLeft", "ArrowUp":
		j = (i + n - 1) % n
	case "Home":
		j = 0
	case "End":
		j = n - 1
	}
	if j < 0 {
		return
	}
	e.PreventDefault()
	c.choose(ctx, c.Tabs[j].ID, true)
}

func (c *Tabs) choose(ctx app.Context, id string, moveFocus bool) {
	if c.OnSelect != nil {
		c.OnSelect(ctx, id)
	}
	if moveFocus {
		ctx.Defer(func(app.Context) { jsBrowser{}.Focus("tab-" + id) })
	}
}

func orNotSet(s string) string {
	if s == "" {
		return T(MsgNotSet)
	}
	return s
}

// DeviceList shows the user's MFA devices in their order: type, nickname,
// masked target, status, and "Default" on the first ACTIVE one
// (resource.DefaultDevice).
type DeviceList struct {
	app.Compo
	Devices []resource.Device
}

// Render implements app.Composer.
func (c *DeviceList) Render() app.UI {
	if len(c.Devices) == 0 {
		return app.P().Class("empty").Text(T(MsgDevicesEmpty))
	}
	def := resource.DefaultDevice(c.Devices)
	return app.Ul().Class("devices").Body(
		app.Range(c.Devices).Slice(func(i int) app.UI {
			d := c.Devices[i]
			li := app.Li().Class("device").DataSet("device-id", d.ID)
			if i == def {
				li = li.Class("device-default")
			}
			return li.Body(deviceSummary(d, i == def))
		}),
	)
}

// deviceSummary is what a device row shows about the device: type,
// "Default", nickname, masked target and status.
func deviceSummary(d resource.Device, isDefault bool) app.UI {
	return app.Div().Class("device-summary").Body(
		app.Div().Class("device-head").Body(
			app.If(d.Type == resource.DeviceSMS || d.Type == resource.DeviceVoice, func() app.UI {
				return app.Span().Class("device-icon", "device-icon-phone").Aria("hidden", "true")
			}),
			app.Span().Class("device-type").Text(deviceKindLabel(d)),
			app.If(isDefault, func() app.UI {
				return app.Span().Class("badge").Text(T(MsgDeviceDefault))
			}),
		),
		app.If(d.Nickname != "", func() app.UI {
			return app.Div().Class("device-nickname").Text(d.Nickname)
		}),
		app.If(deviceTarget(d) != "", func() app.UI {
			return app.Div().Class("device-target").Text(deviceTarget(d))
		}),
		app.If(d.AuthenticatorName != "" && d.AuthenticatorName != d.Nickname, func() app.UI {
			return app.Div().Class("device-target", "device-authenticator").Text(d.AuthenticatorName)
		}),
		app.Div().Class("device-status", "device-status-"+strings.ToLower(d.Status)).Text(deviceStatusLabel(d.Status)),
		app.If(d.Type == resource.DeviceEmail, func() app.UI {
			return app.Div().Class("device-weak").Text(T(MsgEmailLeastSecure))
		}),
	)
}

func deviceTypeLabel(t string) string {
	switch t {
	case resource.DeviceEmail:
		return T(MsgDevEmail)
	case resource.DeviceSMS:
		return T(MsgDevSMS)
	case resource.DeviceVoice:
		return T(MsgDevVoice)
	case resource.DeviceTOTP:
		return T(MsgDevTOTP)
	case resource.DeviceFIDO2:
		return T(MsgDevFIDO2)
	}
	return t
}

func deviceStatusLabel(s string) string {
	switch s {
	case resource.DeviceActive:
		return T(MsgDevActive)
	case resource.DeviceActivationRequired:
		return T(MsgDevPending)
	case resource.DeviceBlocked:
		return T(MsgDevBlocked)
	}
	return s
}

// deviceTarget is where a device delivers codes, masked: the server masks
// targets in flows; the self-management API may not, and a list on screen
// need not show a whole address.
func deviceTarget(d resource.Device) string {
	switch {
	case d.Email != "":
		return resource.MaskEmail(d.Email)
	case d.Phone != "":
		return resource.MaskPhone(d.Phone)
	}
	return ""
}
