package ui

import (
	"context"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminEnvironments is the console's Environments section. It is global:
// it lists every environment the administrator holds a role over (the
// console's own list, AdminContext.Envs), creates one (SANDBOX or
// PRODUCTION), renames one, and deletes one after its name is typed
// again (the server's delete is soft; the Administrators environment
// cannot be deleted). After a change the console reads its list again,
// so the environment picker follows.
type AdminEnvironments struct {
	app.Compo
	C *AdminContext

	// mounted is the section's own context: the console's reload answers
	// through it, so it is not dropped when the clicked button goes.
	mounted     app.Context
	haveMounted bool

	form     string // "new", or "rename:<id>", or "delete:<id>"
	typed    string // the name typed to confirm a delete
	formErr  string
	busy     string
	notice   string
	reloaded func(ctx app.Context) // tests watch the reload
}

// envForm is the New environment form as read at submit time.
type envForm struct{ Name, Type, Description string }

// envBody is the POST /v1/environments body, or the message saying what
// is wrong.
func envBody(f envForm) (map[string]any, Msg) {
	name := strings.TrimSpace(f.Name)
	if name == "" {
		return nil, MsgConNameRequired
	}
	if f.Type != resource.EnvSandbox && f.Type != resource.EnvProduction {
		return nil, MsgConEnvTypeRequired
	}
	b := map[string]any{"name": name, "type": f.Type}
	if d := strings.TrimSpace(f.Description); d != "" {
		b["description"] = d
	}
	return b, ""
}

// deleteConfirmed reports whether the name typed matches the
// environment's, which a delete needs.
func deleteConfirmed(typed, name string) bool {
	return name != "" && strings.TrimSpace(typed) == name
}

// OnMount keeps the section's context for the reloads.
func (s *AdminEnvironments) OnMount(ctx app.Context) { s.mounted, s.haveMounted = ctx, true }

// OnUpdate keeps the section's newest context.
func (s *AdminEnvironments) OnUpdate(ctx app.Context) { s.mounted, s.haveMounted = ctx, true }

// canCreate: creating and deleting environments is for an Environment
// Admin over every environment; the server decides.
func (s *AdminEnvironments) canCreate() bool {
	return s.C.roleOver("*", resource.RoleEnvironmentAdmin)
}

func (s *AdminEnvironments) open(form string) {
	if s.busy == "" {
		s.form, s.typed, s.formErr, s.notice = form, "", "", ""
	}
}

// reload reads the console's environment list again.
func (s *AdminEnvironments) reload(ctx app.Context) {
	if s.haveMounted {
		ctx = s.mounted
	}
	if s.reloaded != nil {
		s.reloaded(ctx)
		return
	}
	if s.C.Reload != nil {
		s.C.Reload(ctx)
	}
}

// write sends one environment request and reloads the list after it.
func (s *AdminEnvironments) write(ctx app.Context, btn, method, path string, body any, done string) {
	s.busy, s.formErr = btn, ""
	c := s.C
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, method, path, c.Token, "", body, nil)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.formErr = adminNewErrorText(err)
			return
		}
		s.form, s.typed, s.notice = "", "", done
		s.reload(ctx)
	})
}

// create adds an environment.
func (s *AdminEnvironments) create(ctx app.Context, f envForm) {
	if s.busy != "" {
		return
	}
	body, msg := envBody(f)
	if msg != "" {
		s.formErr = T(msg)
		return
	}
	s.write(ctx, "environments-create", "POST", paths.Environments, body, T(MsgConEnvCreated, body["name"]))
}

// rename renames an environment.
func (s *AdminEnvironments) rename(ctx app.Context, id, name string) {
	if s.busy != "" {
		return
	}
	name = strings.TrimSpace(name)
	if name == "" {
		s.formErr = T(MsgConNameRequired)
		return
	}
	s.write(ctx, "environments-rename-save", "PATCH", paths.Build(paths.Environment, id), map[string]any{"name": name}, T(MsgConEnvRenamed, name))
}

// remove deletes an environment once its name has been typed again.
func (s *AdminEnvironments) remove(ctx app.Context, e resource.Environment) {
	if s.busy != "" || e.Administrators {
		return
	}
	if !deleteConfirmed(s.typed, e.Name) {
		s.formErr = T(MsgConEnvTypeName, e.Name)
		return
	}
	s.write(ctx, "environments-confirm-delete", "DELETE", paths.Build(paths.Environment, e.ID), nil, T(MsgConEnvDeleted, e.Name))
}

// Render implements app.Composer.
func (s *AdminEnvironments) Render() app.UI {
	return app.Div().Class("admin-section").Body(
		app.H2().Text(T(MsgConEnvironments)),
		app.P().Class("hint").Text(T(MsgConEnvHint)),
		app.P().ID("environments-notice").Class("notice").Role("status").Text(s.notice),
		app.Ul().ID("environments-list").Class("devices").Body(
			app.Range(s.C.Envs).Slice(func(i int) app.UI { return s.row(s.C.Envs[i]) }),
		),
		app.If(s.canCreate() && s.form != "new", func() app.UI {
			return app.Button().ID("environments-new").Type("button").Class("action").Text(T(MsgConEnvNew)).
				OnClick(func(ctx app.Context, e app.Event) { s.open("new") })
		}),
		app.If(s.form == "new", func() app.UI { return s.newForm() }),
	)
}

func (s *AdminEnvironments) row(e resource.Environment) app.UI {
	rename, del := "rename:"+e.ID, "delete:"+e.ID
	return app.Li().Class("device", "environment-row").Body(
		app.Div().Class("device-head").Body(
			app.Span().Class("device-nickname").Text(e.Name),
			app.Span().Class("badge").Text(e.Type),
			app.If(e.Administrators, func() app.UI { return app.Span().Class("badge").Text(T(MsgConEnvAdministrators)) }),
		),
		app.P().Class("device-target").Text(e.ID),
		app.Div().Class("row-actions").Body(
			app.If(s.C.roleOver(e.ID, resource.RoleEnvironmentAdmin), func() app.UI {
				return app.Button().ID("environments-rename-"+e.ID).Type("button").Class("action").Text(T(MsgConEnvRename)).
					OnClick(func(ctx app.Context, ev app.Event) { s.open(rename) }, app.EventScope(e.ID))
			}),
			app.If(s.canCreate() && !e.Administrators, func() app.UI {
				return app.Button().ID("environments-delete-"+e.ID).Type("button").Class("action").Text(T(MsgConDelete)).
					OnClick(func(ctx app.Context, ev app.Event) { s.open(del) }, app.EventScope(e.ID))
			}),
		),
		app.If(s.form == rename, func() app.UI { return s.renameForm(e) }),
		app.If(s.form == del, func() app.UI { return s.deleteForm(e) }),
	)
}

func (s *AdminEnvironments) newForm() app.UI {
	return app.Form().ID("environments-new-form").Class("admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.create(ctx, envForm{Name: formValue(ctx, "environments-name"), Type: formValue(ctx, "environments-type"),
			Description: formValue(ctx, "environments-description")})
	}).Body(
		app.H3().Text(T(MsgConEnvNew)),
		adminField(T(MsgConName), "environments-name", "", app.Input().Type("text").MaxLength(256).Required(true)),
		app.Div().Class("field").Body(
			app.Label().For("environments-type").Text(T(MsgConEnvType)),
			app.Select().ID("environments-type").Name("environments-type").Body(
				app.Option().Value(resource.EnvSandbox).Selected(true).Text(T(MsgConEnvSandbox)),
				app.Option().Value(resource.EnvProduction).Text(T(MsgConEnvProduction)),
			),
		),
		adminField(T(MsgConDescription), "environments-description", "", app.Input().Type("text").MaxLength(1024)),
		&ErrorMessage{Text: s.formErr},
		adminSubmit("environments-create", T(MsgConCreate), s.busy == "environments-create"),
		app.Button().ID("environments-cancel").Type("button").Class("link").Text(T(MsgCancel)).
			OnClick(func(ctx app.Context, e app.Event) { s.open("") }),
	)
}

func (s *AdminEnvironments) renameForm(env resource.Environment) app.UI {
	return app.Form().ID("environments-rename-form").Class("rename-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.rename(ctx, env.ID, formValue(ctx, "environments-rename-name"))
	}, app.EventScope(env.ID)).Body(
		adminField(T(MsgConEnvNewName), "environments-rename-name", env.Name, app.Input().Type("text").MaxLength(256).Required(true)),
		&ErrorMessage{Text: s.formErr},
		app.Div().Class("row-actions").Body(
			adminSubmit("environments-rename-save", T(MsgConSave), s.busy == "environments-rename-save"),
			app.Button().ID("environments-cancel").Type("button").Class("link").Text(T(MsgCancel)).
				OnClick(func(ctx app.Context, e app.Event) { s.open("") }),
		),
	)
}

func (s *AdminEnvironments) deleteForm(env resource.Environment) app.UI {
	ok := deleteConfirmed(s.typed, env.Name)
	return app.Form().ID("environments-delete-form").Class("confirm").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.remove(ctx, env)
	}, app.EventScope(env.ID)).Body(
		app.P().Text(T(MsgConEnvDeleteQ, env.Name)),
		app.Div().Class("field").Body(
			app.Label().For("environments-confirm-name").Text(T(MsgConEnvTypeName, env.Name)),
			app.Input().ID("environments-confirm-name").Name("environments-confirm-name").Type("text").
				Attr("autocomplete", "off").Attr("spellcheck", "false").
				OnInput(func(ctx app.Context, e app.Event) { s.typed = ctx.JSSrc().Get("value").String() }, app.EventScope(env.ID)),
		),
		&ErrorMessage{Text: s.formErr},
		app.Div().Class("row-actions").Body(
			app.Button().ID("environments-confirm-delete").Type("submit").Class("action", "danger").
				Disabled(!ok || s.busy == "environments-confirm-delete").Text(T(MsgConDelete)),
			app.Button().ID("environments-cancel").Type("button").Class("link").Text(T(MsgCancel)).
				OnClick(func(ctx app.Context, e app.Event) { s.open("") }),
		),
	)
}
