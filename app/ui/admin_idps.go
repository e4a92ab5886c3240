package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/apiclient"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// AdminIdentityProviders is the console's External identity providers
// section: the environment's OpenID Connect providers. The client secret
// is write-only: the console shows whether one is set and offers a field
// to replace it (left empty, the one there is stays).
type AdminIdentityProviders struct {
	app.Compo
	C *AdminContext

	l       adminLoader
	list    []resource.ExternalIdentityProvider
	errText string
	notice  string

	// editing is "new", a provider's id, or "" (the list).
	editing string
	formErr string
	busy    string
	confirm string // the id of the provider whose delete is being confirmed
}

// idpForm is the provider form as read at submit time.
type idpForm struct {
	Name, Description, Issuer, ClientID, ClientSecret, Scopes string
	Email, GivenName, FamilyName                              string
	Enabled, CreateUsers, RemoveSecret                        bool
}

// idpBody is the POST (editing false) or PUT body of a provider, or the
// message saying what is missing. PUT replaces the provider, except the
// client secret: left out it stays, null removes it.
func idpBody(f idpForm, editing bool) (map[string]any, Msg) {
	name, issuer, clientID := strings.TrimSpace(f.Name), strings.TrimSpace(f.Issuer), strings.TrimSpace(f.ClientID)
	switch {
	case name == "":
		return nil, MsgConNameRequired
	case issuer == "":
		return nil, MsgConIdpIssuerRequired
	case clientID == "":
		return nil, MsgConIdpClientIDRequired
	}
	b := map[string]any{"type": resource.IdentityProviderOIDC, "name": name, "issuer": issuer, "clientId": clientID,
		"enabled": f.Enabled, "createUsers": f.CreateUsers,
		"attributeMapping": map[string]string{"email": strings.TrimSpace(f.Email),
			"givenName": strings.TrimSpace(f.GivenName), "familyName": strings.TrimSpace(f.FamilyName)}}
	if d := strings.TrimSpace(f.Description); d != "" || editing {
		b["description"] = d
	}
	if scopes := strings.FieldsFunc(f.Scopes, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' }); len(scopes) > 0 {
		if !slices.Contains(scopes, "openid") {
			return nil, MsgConIdpOpenID
		}
		b["scopes"] = scopes
	}
	switch {
	case editing && f.RemoveSecret:
		b["clientSecret"] = nil
	case f.ClientSecret != "":
		b["clientSecret"] = f.ClientSecret
	}
	return b, ""
}

// OnMount loads the providers.
func (s *AdminIdentityProviders) OnMount(ctx app.Context) { s.load(ctx) }

// OnUpdate reloads them for another environment.
func (s *AdminIdentityProviders) OnUpdate(ctx app.Context) { s.load(ctx) }

func (s *AdminIdentityProviders) load(ctx app.Context) {
	if s.C != nil && s.l.loadedFor != s.C.Env.ID {
		// Another environment: back to its list (a form opened while
		// the list loads stays open).
		s.editing, s.confirm, s.notice = "", "", ""
	}
	adminLoad(ctx, &s.l, s.C, func(ctx context.Context, c *AdminContext) ([]resource.ExternalIdentityProvider, error) {
		return apiclient.ListOf[resource.ExternalIdentityProvider](ctx, c.API, paths.Build(paths.IdentityProviders, c.Env.ID), c.Token, "identityProviders")
	}, func(list []resource.ExternalIdentityProvider, err error) {
		s.list, s.errText = list, ""
		if err != nil {
			s.errText = adminErrorText(err)
		}
	})
}

// edit opens the form for "new" or a provider's id ("" closes it).
func (s *AdminIdentityProviders) edit(id string) {
	if s.busy == "" {
		s.editing, s.formErr, s.notice, s.confirm = id, "", "", ""
	}
}

// save creates or replaces the provider being edited.
func (s *AdminIdentityProviders) save(ctx app.Context, f idpForm) {
	if s.busy != "" || s.editing == "" {
		return
	}
	id := s.editing
	body, msg := idpBody(f, id != "new")
	if msg != "" {
		s.formErr = T(msg)
		return
	}
	method, path := "POST", paths.Build(paths.IdentityProviders, s.C.Env.ID)
	if id != "new" {
		method, path = "PUT", paths.Build(paths.IdentityProvider, s.C.Env.ID, id)
	}
	s.busy, s.formErr = "idps-save", ""
	c := s.C
	var out resource.ExternalIdentityProvider
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, method, path, c.Token, "", body, &out)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.formErr = adminErrorText(err)
			return
		}
		if i := slices.IndexFunc(s.list, func(p resource.ExternalIdentityProvider) bool { return p.ID == out.ID }); i >= 0 {
			s.list[i] = out
		} else {
			s.list = append(s.list, out)
		}
		s.editing, s.notice = "", T(MsgConIdpSaved, out.Name)
	})
}

// remove deletes a provider after a confirmation.
func (s *AdminIdentityProviders) remove(ctx app.Context, id string) {
	if s.busy != "" {
		return
	}
	if s.confirm != id {
		s.confirm, s.errText, s.notice = id, "", ""
		return
	}
	s.busy, s.errText = "idps-confirm-delete-"+id, ""
	c := s.C
	adminAsync(ctx, func(ctx context.Context) error {
		return c.API.Call(ctx, "DELETE", paths.Build(paths.IdentityProvider, c.Env.ID, id), c.Token, "", nil, nil)
	}, func(err error) {
		s.busy = ""
		if err != nil {
			s.errText = adminErrorText(err)
			return
		}
		s.list = slices.DeleteFunc(s.list, func(p resource.ExternalIdentityProvider) bool { return p.ID == id })
		s.confirm, s.notice = "", T(MsgConIdpDeleted)
	})
}

// Render implements app.Composer.
func (s *AdminIdentityProviders) Render() app.UI {
	if s.editing != "" {
		return s.form()
	}
	w := s.C.CanWrite()
	return app.Div().Class("admin-section").Body(
		app.H2().Text(T(MsgConIdps)),
		app.P().Class("hint").Text(T(MsgConIdpHint)),
		&ErrorMessage{Text: s.errText},
		app.P().ID("idps-notice").Class("notice").Role("status").Text(s.notice),
		adminListStatus("idps", s.l.loading, s.errText, len(s.list), MsgConIdpEmpty),
		app.Ul().ID("idps-list").Class("devices").Body(
			app.Range(s.list).Slice(func(i int) app.UI { return s.row(s.list[i], w) }),
		),
		app.If(w, func() app.UI {
			return app.Button().ID("idps-new").Type("button").Class("action").Text(T(MsgConIdpNew)).
				OnClick(func(ctx app.Context, e app.Event) { s.edit("new") })
		}),
	)
}

func (s *AdminIdentityProviders) row(p resource.ExternalIdentityProvider, w bool) app.UI {
	confirmID := "idps-confirm-delete-" + p.ID
	return app.Li().Class("device", "idp-row").Body(
		app.Div().Class("device-head").Body(
			app.Span().Class("device-nickname").Text(p.Name),
			app.Span().Class("badge").Text(enabledText(p.Enabled)),
		),
		app.P().Class("device-target").Text(p.Issuer),
		app.P().Class("device-status").Text(T(MsgConIdpClientLine, p.ClientID, secretState(p.ClientSecretSet))),
		app.If(w, func() app.UI {
			return app.Div().Class("row-actions").Body(
				app.Button().ID("idps-edit-"+p.ID).Type("button").Class("action").Text(T(MsgConEdit)).
					OnClick(func(ctx app.Context, e app.Event) { s.edit(p.ID) }, app.EventScope(p.ID)),
				app.Button().ID("idps-delete-"+p.ID).Type("button").Class("action").Text(T(MsgConDelete)).
					OnClick(func(ctx app.Context, e app.Event) { s.remove(ctx, p.ID) }, app.EventScope(p.ID)),
			)
		}),
		app.If(s.confirm == p.ID, func() app.UI {
			return app.Div().Class("confirm").Body(
				app.P().Text(T(MsgConIdpDeleteQ, p.Name)),
				app.Div().Class("row-actions").Body(
					app.Button().ID(confirmID).Type("button").Class("action", "danger").Disabled(s.busy == confirmID).Text(T(MsgConDelete)).
						OnClick(func(ctx app.Context, e app.Event) { s.remove(ctx, p.ID) }, app.EventScope(p.ID)),
					app.Button().ID("idps-cancel-delete").Type("button").Class("action").Text(T(MsgCancel)).
						OnClick(func(ctx app.Context, e app.Event) {
							if s.busy == "" {
								s.confirm = ""
							}
						}),
				),
			)
		}),
	)
}

// secretState is "set" or "not set": the secret itself never comes back.
func secretState(set bool) string {
	if set {
		return T(MsgConIdpSecretSet)
	}
	return T(MsgConIdpSecretNotSet)
}

func (s *AdminIdentityProviders) form() app.UI {
	var cur *resource.ExternalIdentityProvider
	for i := range s.list {
		if s.list[i].ID == s.editing {
			cur = &s.list[i]
		}
	}
	p := resource.ExternalIdentityProvider{Enabled: true, Scopes: []string{"openid", "email", "profile"},
		AttributeMapping: resource.IdentityProviderMapping{Email: "email", GivenName: "given_name", FamilyName: "family_name"}}
	title := T(MsgConIdpNew)
	if cur != nil {
		p, title = *cur, T(MsgConIdpEdit, cur.Name)
	}
	editing := cur != nil
	return app.Form().ID("idps-form").Class("admin-section", "admin-form").NoValidate(true).OnSubmit(func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		s.save(ctx, idpForm{Name: formValue(ctx, "idps-name"), Description: formValue(ctx, "idps-description"),
			Issuer: formValue(ctx, "idps-issuer"), ClientID: formValue(ctx, "idps-client-id"),
			ClientSecret: formValue(ctx, "idps-client-secret"), Scopes: formValue(ctx, "idps-scopes"),
			Email: formValue(ctx, "idps-map-email"), GivenName: formValue(ctx, "idps-map-given"),
			FamilyName: formValue(ctx, "idps-map-family"), Enabled: adminFormChecked(ctx, "idps-enabled"),
			CreateUsers: adminFormChecked(ctx, "idps-create-users"), RemoveSecret: adminFormChecked(ctx, "idps-remove-secret")})
	}, app.EventScope(s.editing)).Body(
		app.H2().Text(title),
		adminField(T(MsgConName), "idps-name", p.Name, app.Input().Type("text").MaxLength(256).Required(true)),
		adminField(T(MsgConDescription), "idps-description", p.Description, app.Input().Type("text").MaxLength(1024)),
		adminField(T(MsgConIdpIssuer), "idps-issuer", p.Issuer, app.Input().Type("url").Required(true).Attr("spellcheck", "false")),
		adminField(T(MsgConIdpClientID), "idps-client-id", p.ClientID, app.Input().Type("text").Required(true).Attr("spellcheck", "false")),
		app.If(editing, func() app.UI {
			return app.P().ID("idps-secret-status").Class("field-hint").Text(T(MsgConIdpSecretNow, secretState(p.ClientSecretSet)))
		}),
		adminField(secretLabel(editing), "idps-client-secret", "", app.Input().Type("password").Attr("autocomplete", "new-password").MaxLength(512)),
		app.If(editing && p.ClientSecretSet, func() app.UI {
			return adminCheckbox(T(MsgConIdpRemoveSecret), "idps-remove-secret", false)
		}),
		adminField(T(MsgConIdpScopes), "idps-scopes", strings.Join(p.Scopes, " "), app.Input().Type("text").Attr("spellcheck", "false")),
		app.FieldSet().Class("profile-section").Body(
			app.Legend().Text(T(MsgConIdpMapping)),
			adminField(T(MsgConIdpMapEmail), "idps-map-email", p.AttributeMapping.Email, app.Input().Type("text")),
			adminField(T(MsgConIdpMapGiven), "idps-map-given", p.AttributeMapping.GivenName, app.Input().Type("text")),
			adminField(T(MsgConIdpMapFamily), "idps-map-family", p.AttributeMapping.FamilyName, app.Input().Type("text")),
		),
		adminCheckbox(T(MsgConEnabled), "idps-enabled", p.Enabled),
		adminCheckbox(T(MsgConIdpCreateUsers), "idps-create-users", p.CreateUsers),
		&ErrorMessage{Text: s.formErr},
		adminSubmit("idps-save", T(MsgConSave), s.busy == "idps-save"),
		app.Button().ID("idps-cancel").Type("button").Class("link").Text(T(MsgCancel)).
			OnClick(func(ctx app.Context, e app.Event) { s.edit("") }),
	)
}

func secretLabel(editing bool) string {
	if editing {
		return T(MsgConIdpReplaceSecret)
	}
	return T(MsgConIdpSecret)
}
