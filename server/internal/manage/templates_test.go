package manage

import (
	"net/http"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func contentURL(env, name, locale string) string {
	return paths.Build(paths.TemplateContent, env, name, locale)
}

const frenchPasswordChanged = `{"subject":"Votre mot de passe a été changé","body":"Votre mot de passe a été changé. Pas vous ? ${secureUrl}\n"}`

// TestTemplateAccess: readers read, Environment Admins write, users and
// other environments' administrators do neither.
func TestTemplateAccess(t *testing.T) {
	h := newHarness(t)
	d := defaultEnv
	fr := contentURL(d, notify.TemplatePasswordChanged, "fr")
	tests := []struct {
		name, principal, method, path, body string
		want                                int
	}{
		{"no_token", "", http.MethodGet, paths.Build(paths.Templates, d), "", http.StatusUnauthorized},
		{"user_lists", "alice", http.MethodGet, paths.Build(paths.Templates, d), "", http.StatusForbidden},
		{"user_puts", "alice", http.MethodPut, fr, frenchPasswordChanged, http.StatusForbidden},
		{"user_deletes", "alice", http.MethodDelete, fr, "", http.StatusForbidden},
		{"user_with_roles_claim_puts", "aliceWithRoles", http.MethodPut, fr, frenchPasswordChanged, http.StatusForbidden},
		{"env_worker_not_admin_puts", "defaultWorker", http.MethodPut, fr, frenchPasswordChanged, http.StatusForbidden},
		{"read_only_lists", "readOnly", http.MethodGet, paths.Build(paths.Templates, d), "", http.StatusOK},
		{"read_only_reads_en", "readOnly", http.MethodGet, contentURL(d, notify.TemplatePasswordChanged, "en"), "", http.StatusOK},
		{"read_only_puts", "readOnly", http.MethodPut, fr, frenchPasswordChanged, http.StatusForbidden},
		{"read_only_deletes", "readOnly", http.MethodDelete, fr, "", http.StatusForbidden},
		{"identity_admin_puts", "idAdmin", http.MethodPut, fr, frenchPasswordChanged, http.StatusForbidden},
		{"admin_of_default_puts_other_env", "envAdmin", http.MethodPut, contentURL(otherEnv, notify.TemplatePasswordChanged, "fr"), frenchPasswordChanged, http.StatusForbidden},
		{"worker_of_default_reads_other_env", "worker", http.MethodGet, paths.Build(paths.Templates, otherEnv), "", http.StatusForbidden},
		{"star_missing_env", "star", http.MethodGet, paths.Build(paths.Templates, missingEnv), "", http.StatusNotFound},
		{"star_puts_missing_env", "star", http.MethodPut, contentURL(missingEnv, notify.TemplatePasswordChanged, "fr"), frenchPasswordChanged, http.StatusNotFound},
		{"unknown_template_get", "readOnly", http.MethodGet, paths.Build(paths.Template, d, "nope"), "", http.StatusNotFound},
		{"unknown_template_put", "envAdmin", http.MethodPut, contentURL(d, "nope", "fr"), frenchPasswordChanged, http.StatusNotFound},
		{"unknown_template_delete", "envAdmin", http.MethodDelete, contentURL(d, "nope", "fr"), "", http.StatusNotFound},
		{"not_overridden_get", "readOnly", http.MethodGet, fr, "", http.StatusNotFound},
		{"not_overridden_delete", "envAdmin", http.MethodDelete, fr, "", http.StatusNotFound},
		{"bad_locale_get", "readOnly", http.MethodGet, contentURL(d, notify.TemplatePasswordChanged, "not_a-locale!"), "", http.StatusBadRequest},
		{"bad_locale_put", "envAdmin", http.MethodPut, contentURL(d, notify.TemplatePasswordChanged, "xx-123456789"), frenchPasswordChanged, http.StatusBadRequest},
		{"env_admin_puts", "envAdmin", http.MethodPut, fr, frenchPasswordChanged, http.StatusOK},
		{"worker_puts", "worker", http.MethodPut, contentURL(d, notify.TemplatePasswordChanged, "de"), `{"subject":"Passwort geändert","body":"Passwort geändert."}`, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, h.env(d).Templates)
			res := h.do(tt.method, tt.path, tt.principal, tt.body)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if tt.want >= 400 {
				if after := snapshot(t, h.env(d).Templates); after != before {
					t.Errorf("templates changed by a refused request")
				}
				if tt.want == http.StatusBadRequest {
					mustContain(t, res.targets(t), "locale:INVALID_VALUE")
				}
			}
		})
	}
}

// TestTemplateContentValidation: bad bodies are 400 naming the field, and
// nothing is saved.
func TestTemplateContentValidation(t *testing.T) {
	h := newHarness(t)
	fr := contentURL(defaultEnv, notify.TemplatePasswordChanged, "fr")
	sms := contentURL(defaultEnv, notify.TemplateStrongAuthenticationSMS, "fr")
	tests := []struct {
		name, path, body, want, message string
	}{
		{name: "unknownVariable", path: fr, body: `{"subject":"s","body":"code ${otp} ${secureUrl}"}`, want: "body:INVALID_VALUE", message: "${otp}"},
		{name: "unknownVariableInSubject", path: fr, body: `{"subject":"s ${method}","body":"b"}`, want: "subject:INVALID_VALUE", message: "${method}"},
		{name: "missingBody", path: fr, body: `{"subject":"s"}`, want: "body:REQUIRED_VALUE"},
		{name: "missingSubject", path: fr, body: `{"body":"b"}`, want: "subject:REQUIRED_VALUE"},
		{name: "blankBody", path: fr, body: `{"subject":"s","body":"  \n"}`, want: "body:INVALID_VALUE"},
		{name: "subjectTooLong", path: fr, body: `{"subject":"` + strings.Repeat("é", store.MaxTemplateSubject+1) + `","body":"b"}`, want: "subject:SIZE_LIMIT_EXCEEDED"},
		{name: "bodyTooLong", path: fr, body: `{"subject":"s","body":"` + strings.Repeat("x", store.MaxTemplateBody+1) + `"}`, want: "body:SIZE_LIMIT_EXCEEDED"},
		{name: "subjectLineBreak", path: fr, body: `{"subject":"s\r\nBcc: x@example.com","body":"b"}`, want: "subject:INVALID_VALUE"},
		{name: "bodyControl", path: fr, body: `{"subject":"s","body":"b\u0000"}`, want: "body:INVALID_VALUE"},
		{name: "operatorObject", path: fr, body: `{"subject":{"$ne":""},"body":"b"}`, want: "subject:INVALID_VALUE"},
		{name: "unknownField", path: fr, body: `{"subject":"s","body":"b","html":"<b>x</b>"}`, want: "html:UNKNOWN_ATTRIBUTE"},
		{name: "smsSubject", path: sms, body: `{"subject":"s","body":"${otp}"}`, want: "subject:INVALID_VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.do(http.MethodPut, tt.path, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != "INVALID_DATA" {
				t.Fatalf("status %d code %s, want 400 INVALID_DATA: %s", res.status, res.code(t), res.body)
			}
			mustContain(t, res.targets(t), tt.want)
			if !strings.Contains(string(res.body), tt.message) {
				t.Errorf("message does not name %s: %s", tt.message, res.body)
			}
			if len(h.env(defaultEnv).Templates) != 0 {
				t.Errorf("refused content saved: %+v", h.env(defaultEnv).Templates)
			}
		})
	}
	res := h.do(http.MethodPut, fr, "envAdmin", `not json`)
	if res.status != http.StatusBadRequest {
		t.Errorf("not JSON: %d", res.status)
	}
	res = h.do(http.MethodPut, fr, "envAdmin", frenchPasswordChanged, "text/plain")
	if res.status < 400 {
		t.Errorf("text/plain accepted: %d", res.status)
	}
}

// TestTemplateContentLifecycle: put (canonical locale), read, list,
// replace, the locale cap, delete; and the notice a French user gets.
func TestTemplateContentLifecycle(t *testing.T) {
	h := newHarness(t)
	res := h.do(http.MethodPut, contentURL(defaultEnv, notify.TemplatePasswordSetByAdmin, "fr-ca"), "envAdmin",
		`{"subject":"Mot de passe défini","body":"Un administrateur a défini votre mot de passe. ${secureUrl}"}`)
	if res.status != http.StatusOK {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	var c resource.TemplateContent
	res.decode(t, &c)
	if c.Locale != "fr-CA" || c.Default || c.UpdatedAt == nil || c.DeliveryMethod != resource.DeliveryEmail {
		t.Errorf("content %+v", c)
	}
	if got := h.env(defaultEnv).Templates[notify.TemplatePasswordSetByAdmin]["fr-CA"].Subject; got != "Mot de passe défini" {
		t.Errorf("stored subject %q", got)
	}
	if ev := h.events(defaultEnv); len(ev) == 0 || ev[len(ev)-1].Action != audit.ActionTemplateUpdated {
		t.Errorf("no audit event: %+v", ev)
	}
	// Echoing the read-only fields back is accepted; changing one is not.
	res = h.do(http.MethodPut, contentURL(defaultEnv, notify.TemplatePasswordSetByAdmin, "fr-CA"), "envAdmin",
		`{"template":"password_set_by_admin","locale":"fr-CA","subject":"Mot de passe défini","body":"Nouveau. ${secureUrl}"}`)
	if res.status != http.StatusOK {
		t.Fatalf("echo: %d %s", res.status, res.body)
	}
	res = h.do(http.MethodPut, contentURL(defaultEnv, notify.TemplatePasswordSetByAdmin, "fr-CA"), "envAdmin",
		`{"locale":"de","subject":"x","body":"y"}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("changed locale: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "locale:READ_ONLY")

	var tm resource.NotificationTemplate
	h.do(http.MethodGet, paths.Build(paths.Template, defaultEnv, notify.TemplatePasswordSetByAdmin), "readOnly", "").decode(t, &tm)
	if strings.Join(tm.Locales, ",") != "fr-CA" || strings.Join(tm.Variables, ",") != "secureUrl" || tm.Default.Subject != "Your MyAccount password was changed" {
		t.Errorf("template %+v", tm)
	}
	var list resource.List[resource.NotificationTemplate]
	h.do(http.MethodGet, paths.Build(paths.Templates, defaultEnv), "readOnly", "").decode(t, &list)
	if n := len(list.Embedded["templates"]); n != len(notify.TemplateList()) {
		t.Errorf("listed %d templates, want %d", n, len(notify.TemplateList()))
	}

	// A user whose locale is fr-CA gets the environment's fr-CA text.
	u := h.user(defaultEnv, aliceID)
	u.Profile.Locale = "fr-CA"
	if err := h.store.UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	h.withPassword(alicePassword)
	res = h.do(http.MethodPut, alicePasswordURL(), "idAdmin", `{"value":"a temporary passphrase"}`, paths.ActionPasswordSet)
	if res.status != http.StatusOK {
		t.Fatalf("set: %d %s", res.status, res.body)
	}
	msgs := h.mail.to("alice@example.com")
	if len(msgs) != 1 || msgs[0].Subject != "Mot de passe défini" || !strings.Contains(msgs[0].Text, "Nouveau. "+publicURL) {
		t.Fatalf("French notice not sent: %+v", msgs)
	}

	// The locale cap.
	for i, l := range []string{"de", "es", "it", "nl", "pt", "sv", "da", "fi", "nb"} {
		res = h.do(http.MethodPut, contentURL(defaultEnv, notify.TemplatePasswordSetByAdmin, l), "envAdmin", `{"subject":"s","body":"b"}`)
		if res.status != http.StatusOK {
			t.Fatalf("locale %d %s: %d %s", i, l, res.status, res.body)
		}
	}
	res = h.do(http.MethodPut, contentURL(defaultEnv, notify.TemplatePasswordSetByAdmin, "pl"), "envAdmin", `{"subject":"s","body":"b"}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("11th locale: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "locale:LIMIT_EXCEEDED")

	res = h.do(http.MethodDelete, contentURL(defaultEnv, notify.TemplatePasswordSetByAdmin, "fr-CA"), "envAdmin", "")
	if res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if _, ok := h.env(defaultEnv).Templates[notify.TemplatePasswordSetByAdmin]["fr-CA"]; ok {
		t.Errorf("deleted content still stored")
	}
}
