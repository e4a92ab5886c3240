package server

import (
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/shared/paths"
)

// TestPasswordChangedNoticeInUsersLanguage: the Default environment has
// its own French password-changed text; a user whose locale is fr-FR gets
// it (fr-FR → fr), a user without a locale gets the built-in English one.
// A user token cannot change the texts.
func TestPasswordChangedNoticeInUsersLanguage(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	admin := e.adminToken()
	fr := paths.Build(paths.TemplateContent, envID, notify.TemplatePasswordChanged, "fr")
	respWant(t, e.api("PUT", fr, admin,
		`{"subject":"Votre mot de passe MyAccount a été changé","body":"Votre mot de passe a été changé. Ce n'était pas vous ? ${secureUrl}\n"}`), 200)

	// Sign-on passcodes follow the flow user's language too.
	respWant(t, e.api("PUT", paths.Build(paths.TemplateContent, envID, notify.TemplateStrongAuthentication, "fr"), admin,
		`{"subject":"Votre code MyAccount","body":"Votre code : ${otp}. Il expire dans ${minutes} minutes.\n"}`), 200)

	const old, next = "a long password for them", "violet skies over the harbour"
	users := map[string]string{"dora": "fr-FR", "erin": ""}
	for name, locale := range users {
		u := e.createUser(name, name+"@example.com", old)
		if locale != "" {
			// The profile's locale, set as an administrator would.
			respWant(t, e.api("PATCH", paths.Build(paths.User, envID, u.ID), admin, `{"locale":"`+locale+`"}`), 200)
		}
		tok := e.browser().signOnScoped(passwordScopes, name, old, name+".mfa@example.com")
		if name == "erin" {
			// An end user's token cannot write the environment's texts.
			wantStatus(t, e.api("PUT", fr, tok.AccessToken, `{"subject":"x","body":"y"}`), 403)
		}
		resp := e.apiCT("PUT", paths.Build(paths.UserPassword, envID, u.ID), tok.AccessToken, paths.ActionPasswordReset, resetJSON(old, next))
		respWant(t, resp, 200)
	}

	got := map[string]string{}
	for _, m := range e.mail.msgs {
		if strings.Contains(m.Subject, "mot de passe") || strings.Contains(m.Subject, "password was changed") {
			got[m.To] = m.Subject + "|" + m.Text
		}
	}
	if want := "Votre mot de passe MyAccount a été changé|Votre mot de passe a été changé. Ce n'était pas vous ? "; !strings.HasPrefix(got["dora@example.com"], want) ||
		!strings.Contains(got["dora@example.com"], envID) {
		t.Errorf("fr-FR user got %q, want the environment's French text", got["dora@example.com"])
	}
	wantSubject, _ := notify.PasswordChangedNotice(false, "")
	if g := got["erin@example.com"]; !strings.HasPrefix(g, wantSubject+"|Your password was changed. Every other sign-on session") {
		t.Errorf("user without a locale got %q, want the built-in English text", g)
	}
	codes := map[string]string{}
	for _, m := range e.mail.msgs {
		if strings.HasSuffix(m.To, ".mfa@example.com") {
			codes[m.To] = m.Subject
		}
	}
	if codes["dora.mfa@example.com"] != "Votre code MyAccount" || codes["erin.mfa@example.com"] != "Your MyAccount one-time passcode" {
		t.Errorf("sign-on passcode subjects %v, want French for dora and the built-in for erin", codes)
	}
	// The template's variables are listed for the admin console.
	body := string(wantStatus(t, e.api("GET", paths.Build(paths.Templates, envID), admin, ""), 200))
	if !strings.Contains(body, `"name":"password_changed"`) || strings.Count(body, `"locales":["fr"]`) != 2 {
		t.Errorf("templates list: %.300s", body)
	}
}
