package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/shared/resource"
)

// TestConsentsPanel: each consent shows its version, language and date
// with Revoke; confirming shows the question, and while the revoke is under
// way its button stays mounted, disabled.
func TestConsentsPanel(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	k := resource.UserAgreementConsent{Agreement: resource.Ref{ID: "ag1"}, Name: "Terms", Status: resource.ConsentAccepted,
		Locale: "fr", Revision: &resource.Ref{ID: "rev1"}, ConsentedAt: &at}
	tests := []struct {
		name  string
		panel *ConsentsPanel
		want  []string
		not   []string
	}{
		{name: "listed", panel: &ConsentsPanel{Consents: []resource.UserAgreementConsent{k}, CanRevoke: true},
			want: []string{"Terms", "rev1", "language fr", `id="revoke-ag1"`}, not: []string{"confirm-revoke"}},
		{name: "confirming", panel: &ConsentsPanel{Consents: []resource.UserAgreementConsent{k}, CanRevoke: true, Confirming: "ag1"},
			want: []string{"Revoke your consent to Terms?", `id="confirm-revoke-ag1"`, `id="cancel-revoke-ag1"`}},
		{name: "busyKeepsButton", panel: &ConsentsPanel{Consents: []resource.UserAgreementConsent{k}, CanRevoke: true, Confirming: "ag1", Busy: "ag1"},
			want: []string{`id="confirm-revoke-ag1"`, "disabled"}},
		{name: "offline", panel: &ConsentsPanel{Consents: []resource.UserAgreementConsent{k}},
			want: []string{"Terms"}, not: []string{"revoke-ag1"}},
		{name: "empty", panel: &ConsentsPanel{}, want: []string{`id="consents-empty"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := app.HTMLString(tt.panel)
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %q in %s", w, html)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(html, n) {
					t.Errorf("unexpected %q in %s", n, html)
				}
			}
		})
	}
}
