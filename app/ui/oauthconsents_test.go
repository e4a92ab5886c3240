package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/scope"
)

func wantHTML(t *testing.T, html string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(html, w) {
			t.Errorf("missing %q in %s", w, html)
		}
	}
	for _, n := range not {
		if strings.Contains(html, n) {
			t.Errorf("unexpected %q in %s", n, html)
		}
	}
}

// TestAppConsentsPanel: each application shows its name and what it may
// do in words, with Revoke; confirming asks first; while the revoke is under
// way its button stays mounted, disabled; offline or without the update
// scope there is no Revoke; a deleted application still shows.
func TestAppConsentsPanel(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	k := resource.UserOAuthConsent{ID: "k1", Application: resource.ConsentAppRef{ID: "a1", Name: "Photo Printer"},
		Scopes: []string{"openid", "email", "x:custom"}, Status: resource.OAuthConsentAccepted, GrantedAt: at, UpdatedAt: at}
	list := []resource.UserOAuthConsent{k}
	tests := []struct {
		name  string
		panel *AppConsentsPanel
		want  []string
		not   []string
	}{
		{name: "listed", panel: &AppConsentsPanel{Consents: list, CanRevoke: true},
			want: []string{"Photo Printer", "Sign you in with your account", "See your email address", "x:custom", `id="revoke-app-k1"`, `data-application-id="a1"`},
			not:  []string{"confirm-revoke-app"}},
		{name: "confirming", panel: &AppConsentsPanel{Consents: list, CanRevoke: true, Confirming: "k1"},
			want: []string{"Revoke the access of Photo Printer?", `id="confirm-revoke-app-k1"`, `id="cancel-revoke-app-k1"`}},
		{name: "busyKeepsButton", panel: &AppConsentsPanel{Consents: list, CanRevoke: true, Confirming: "k1", Busy: "k1"},
			want: []string{`id="confirm-revoke-app-k1"`, "disabled"}},
		{name: "cannotRevoke", panel: &AppConsentsPanel{Consents: list},
			want: []string{"Photo Printer"}, not: []string{"revoke-app-k1"}},
		{name: "removedApp", panel: &AppConsentsPanel{Consents: []resource.UserOAuthConsent{{ID: "k2", Scopes: []string{}}}},
			want: []string{"A removed application"}},
		{name: "notice", panel: &AppConsentsPanel{Notice: T(MsgAppConsentRevoked)}, want: []string{`id="app-consents-notice"`, "Access revoked"}},
		{name: "empty", panel: &AppConsentsPanel{}, want: []string{`id="app-consents-empty"`}},
		{name: "loading", panel: &AppConsentsPanel{Loading: true}, not: []string{`id="app-consents-empty"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantHTML(t, app.HTMLString(tt.panel), tt.want, tt.not) })
	}
}

// TestConsentHistoryPanel: given, declined and revoked consents of
// agreements and applications in words, an administrator's change marked.
func TestConsentHistoryPanel(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	entry := func(kind, change, name, actor string) resource.ConsentHistoryEntry {
		return resource.ConsentHistoryEntry{ID: kind + change, Kind: kind, Change: change, Target: resource.Ref{ID: "t"}, Name: name,
			Actor: resource.EventActor{Type: "USER", ID: actor}, CreatedAt: at}
	}
	tests := []struct {
		name  string
		entry resource.ConsentHistoryEntry
		want  []string
		not   []string
	}{
		{"appGiven", entry(resource.ConsentKindApplication, resource.ConsentGiven, "Photo Printer", "me"), []string{"You allowed Photo Printer", `data-change="GIVEN"`}, []string{"administrator"}},
		{"appRevoked", entry(resource.ConsentKindApplication, resource.ConsentRevoked, "Photo Printer", "me"), []string{"Access of Photo Printer revoked", `data-kind="APPLICATION"`}, nil},
		{"appDenied", entry(resource.ConsentKindApplication, resource.ConsentDeclined, "", "me"), []string{"You denied A removed application"}, nil},
		{"agreementGiven", entry(resource.ConsentKindAgreement, resource.ConsentGiven, "Terms", "me"), []string{"You accepted Terms", `data-kind="AGREEMENT"`}, nil},
		{"agreementRevokedByAdmin", entry(resource.ConsentKindAgreement, resource.ConsentRevoked, "Terms", "admin"), []string{"Consent to Terms revoked (by an administrator)"}, nil},
		{"agreementDeclined", entry(resource.ConsentKindAgreement, resource.ConsentDeclined, "", "me"), []string{"You declined a removed agreement"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantHTML(t, app.HTMLString(&ConsentHistoryPanel{Entries: []resource.ConsentHistoryEntry{tt.entry}, Self: "me"}), tt.want, tt.not)
		})
	}
	wantHTML(t, app.HTMLString(&ConsentHistoryPanel{}), []string{`id="consent-history-empty"`}, nil)
}

// TestConsentStep: the consent screen names the application, says in
// words what each scope allows, offers Allow and Deny, and on a broader
// request marks the new scopes.
func TestConsentStep(t *testing.T) {
	first := resource.FlowConsent{Application: resource.Ref{ID: "a1"}, Name: "Photo Printer",
		Scopes: []string{"openid", "profile"}, New: []string{"openid", "profile"}}
	html := app.HTMLString(&ConsentStep{Consent: first})
	wantHTML(t, html, []string{"Photo Printer wants to access your account", "See your name and username", `id="submit"`, `id="deny"`,
		"If you allow it, Photo Printer will be able to:"}, []string{"badge", "disabled"})

	broader := resource.FlowConsent{Name: "Photo Printer", Scopes: []string{"openid", "profile", "email"}, New: []string{"email"}}
	html = app.HTMLString(&ConsentStep{Consent: broader, Busy: true})
	wantHTML(t, html, []string{"asks for more access", `class="new"`, "See your email address", "disabled"}, nil)
	if strings.Count(html, `class="badge"`) != 1 {
		t.Errorf("want one new scope marked: %s", html)
	}
}

// TestConsentsTabScopes: the Consents tab shows with either consent scope.
func TestConsentsTabScopes(t *testing.T) {
	has := func(tabs []Tab) bool {
		for _, t := range tabs {
			if t.ID == tabConsents {
				return true
			}
		}
		return false
	}
	if !has(visibleTabs(scope.Set{scope.ReadOAuthConsent})) || !has(visibleTabs(scope.Set{scope.ReadUserConsent})) {
		t.Error("Consents tab hidden with a consent scope")
	}
	if has(visibleTabs(scope.Set{scope.ReadUser})) {
		t.Error("Consents tab shown without a consent scope")
	}
}
