package ui

import (
	"cmp"
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/resource"
)

// securityPageSize is how many security events one page reads.
const securityPageSize = 25

// securityKinds are the filter's choices, "" for every kind.
var securityKinds = []struct {
	kind  string
	label Msg
}{
	{"", MsgAdminSecAll},
	{resource.SecurityFailureBurst, MsgAdminSecBurst},
	{resource.SecurityLockout, MsgAdminSecLockout},
	{resource.SecuritySecured, MsgAdminSecSecured},
}

// securityFilter is the API filter for kind ("" for none).
func securityFilter(kind string) string {
	if kind == "" {
		return ""
	}
	return `kind eq "` + kind + `"`
}

// AdminSecurity is the chosen environment's security events: failed
// sign-on bursts, lockouts and secured accounts, newest first, paged and
// filterable by kind (the API aggregates bursts).
type AdminSecurity struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	kind    string
	events  []resource.SecurityEvent
	next    string
	more    bool // a "Load more" read is under way
	errText string
}

// OnMount loads the newest events.
func (s *AdminSecurity) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminSecurity) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminSecurity) load(ctx app.Context) {
	kind := s.kind
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) (apiclient.SecurityEventPage, error) {
		return c.API.ListSecurityEvents(ctx, c.Env.ID, c.Token, "", securityFilter(kind), securityPageSize)
	}, func(p apiclient.SecurityEventPage, err error) {
		s.events, s.next, s.errText = p.Events, p.Next, ""
		if err != nil {
			s.errText = adminErrorText(err)
		}
	})
}

// onKind filters by another kind: the list is read again from the top.
func (s *AdminSecurity) onKind(ctx app.Context, e app.Event) {
	s.kind = ctx.JSSrc().Get("value").String()
	s.l.loadedFor = ""
	s.load(ctx)
}

// onMore reads the next page; the button stays mounted, disabled.
func (s *AdminSecurity) onMore(ctx app.Context, e app.Event) {
	if s.more || s.next == "" {
		return
	}
	s.more = true
	c, cursor, kind, env := s.C, s.next, s.kind, s.C.Env.ID
	ctx.Async(func() {
		p, err := c.API.ListSecurityEvents(context.Background(), env, c.Token, cursor, securityFilter(kind), securityPageSize)
		ctx.Dispatch(func(ctx app.Context) {
			s.more = false
			if s.C.Env.ID != env || s.kind != kind {
				return
			}
			if err != nil {
				s.errText = adminErrorText(err)
				return
			}
			s.events, s.next = append(s.events, p.Events...), p.Next
		})
	})
}

// securityEventText says what happened, in words.
func securityEventText(ev resource.SecurityEvent) string {
	who := ""
	if ev.User != nil {
		who = cmp.Or(ev.User.Username, ev.User.ID)
	}
	switch ev.Kind {
	case resource.SecurityFailureBurst:
		if ev.GroupedBy == resource.BurstByIP {
			return T(MsgAdminSecBurstIP, ev.Count, ev.RemoteIP)
		}
		return T(MsgAdminSecBurstUser, ev.Count, who)
	case resource.SecurityLockout:
		if who == "" {
			return T(MsgAdminSecLockedIP, ev.RemoteIP)
		}
		return T(MsgAdminSecLockedUser, who)
	case resource.SecuritySecured:
		return T(MsgAdminSecSecuredUser, who)
	}
	return ev.Kind
}

// securityPlace is where it came from: the address and, with GEOIP_DB,
// its city and country.
func securityPlace(ev resource.SecurityEvent) string {
	place := ev.RemoteIP
	if ev.City != "" || ev.Country != "" {
		loc := ev.City
		if ev.Country != "" {
			if loc != "" {
				loc += ", "
			}
			loc += ev.Country
		}
		place += " (" + loc + ")"
	}
	return place
}

// Render implements app.Composer.
func (s *AdminSecurity) Render() app.UI {
	return app.Div().Body(
		app.H2().Text(T(MsgAdminSecurity)),
		app.P().Class("hint").Text(T(MsgAdminSecHint)),
		app.Div().Class("field").Body(
			app.Label().For("security-kind").Text(T(MsgAdminSecKind)),
			app.Select().ID("security-kind").OnChange(s.onKind).Body(
				app.Range(securityKinds).Slice(func(i int) app.UI {
					k := securityKinds[i]
					return app.Option().Value(k.kind).Selected(k.kind == s.kind).Text(T(k.label))
				}),
			),
		),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.errText != "", func() app.UI { return &ErrorMessage{Text: s.errText} }),
		app.If(!s.l.loading && s.errText == "" && len(s.events) == 0, func() app.UI {
			return app.P().ID("security-empty").Class("empty").Text(T(MsgAdminSecEmpty))
		}),
		app.Ul().ID("security-events").Class("devices").Body(
			app.Range(s.events).Slice(func(i int) app.UI {
				ev := s.events[i]
				when := ev.CreatedAt.Local().Format("2006-01-02 15:04")
				if ev.Count > 1 && !ev.FirstAt.IsZero() {
					when = ev.FirstAt.Local().Format("2006-01-02 15:04") + " – " + ev.CreatedAt.Local().Format("15:04")
				}
				return app.Li().Class("device", "security-event").DataSet("kind", ev.Kind).Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("badge").Text(ev.Kind),
						app.Span().Class("device-nickname").Text(securityEventText(ev)),
					),
					app.If(ev.RemoteIP != "", func() app.UI { return app.P().Class("device-target").Text(securityPlace(ev)) }),
					app.P().Class("device-status").Text(when),
				)
			}),
		),
		app.If(s.next != "", func() app.UI {
			return app.Button().ID("security-more").Type("button").Class("action").Disabled(s.more).
				Text(T(MsgAdminSecMore)).OnClick(s.onMore)
		}),
	)
}
