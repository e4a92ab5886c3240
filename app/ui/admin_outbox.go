package ui

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// adminLoader is the load-on-mount, reload-on-environment-change pattern
// every console section follows: Start on mount and on update; it runs
// load under ctx.Async once per environment and hands the answer to apply
// in the UI goroutine.
type adminLoader struct {
	loadedFor string
	loading   bool
}

// need reports whether c's environment has not been loaded yet, and
// marks it as being loaded.
func (l *adminLoader) need(c *AdminContext) bool {
	if c == nil || l.loadedFor == c.Env.ID {
		return false
	}
	l.loadedFor, l.loading = c.Env.ID, true
	return true
}

// adminLoad runs load for the section's current environment under
// ctx.Async and applies the answer, unless the environment changed again
// meanwhile (the later answer wins).
func adminLoad[E any](ctx app.Context, l *adminLoader, c *AdminContext, load func(context.Context, *AdminContext) (E, error), apply func(E, error)) {
	if !l.need(c) {
		return
	}
	env := c.Env.ID
	ctx.Async(func() {
		v, err := load(context.Background(), c)
		ctx.Dispatch(func(ctx app.Context) {
			if l.loadedFor != env {
				return
			}
			l.loading = false
			apply(v, err)
		})
	})
}

// AdminOverview is the console's first page: the chosen environment.
type AdminOverview struct {
	app.Compo
	C *AdminContext
}

// Render implements app.Composer.
func (s *AdminOverview) Render() app.UI {
	e := s.C.Env
	return app.Div().Body(
		app.H1().ID("admin-env-name").Text(e.Name),
		app.Dl().Class("fields").Body(
			app.Dt().Text(T(MsgAdminEnvID)), app.Dd().ID("admin-env-id").Text(e.ID),
			app.Dt().Text(T(MsgAdminEnvType)), app.Dd().Text(e.Type),
		),
		app.P().Body(
			app.A().ID("admin-env-myaccount").Href(paths.Build(paths.MyAccount, e.ID)).Text(T(MsgAdminEnvMyAccount)),
		),
	)
}

// AdminOutbox lists the messages the dev outbox holds for the chosen
// environment (sign-on codes and notifications when no SMTP server or SMS
// gateway is configured), newest first.
type AdminOutbox struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	msgs    []resource.OutboxMessage
	errText string
}

// OnMount loads the outbox.
func (s *AdminOutbox) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads it for another environment.
func (s *AdminOutbox) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminOutbox) load(ctx app.Context) {
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) ([]resource.OutboxMessage, error) {
		return apiclient.ListOf[resource.OutboxMessage](ctx, c.API, paths.Build(paths.Outbox, c.Env.ID), c.Token, "messages")
	}, func(m []resource.OutboxMessage, err error) {
		s.msgs, s.errText = m, ""
		if err != nil {
			s.errText = adminErrorText(err)
		}
	})
}

// Render implements app.Composer.
func (s *AdminOutbox) Render() app.UI {
	return app.Div().Body(
		app.H2().Text(T(MsgAdminOutbox)),
		app.P().Class("hint").Text(T(MsgAdminOutboxHint)),
		app.If(s.l.loading, func() app.UI { return &Loading{Label: T(MsgLoading)} }),
		app.If(s.errText != "", func() app.UI { return &ErrorMessage{Text: s.errText} }),
		app.If(!s.l.loading && s.errText == "" && len(s.msgs) == 0, func() app.UI {
			return app.P().Class("empty").Text(T(MsgAdminOutboxEmpty))
		}),
		app.Ul().ID("admin-outbox").Class("devices").Body(
			app.Range(s.msgs).Slice(func(i int) app.UI {
				m := s.msgs[i]
				return app.Li().Class("device", "outbox-message").Body(
					app.Div().Class("device-head").Body(
						app.Span().Class("badge").Text(m.Channel),
						app.Span().Class("device-nickname").Text(m.To),
					),
					app.If(m.Subject != "", func() app.UI { return app.P().Class("device-target").Text(m.Subject) }),
					app.Pre().Class("outbox-body").Text(m.Body),
					app.P().Class("device-status").Text(m.CreatedAt.Local().Format("2006-01-02 15:04:05")),
				)
			}),
		),
	)
}
