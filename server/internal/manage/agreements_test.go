package manage

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// agreementFixture creates, as envAdmin, an agreement with an fr language
// and a plain revision in effect at t0, and returns their ids.
func (h *harness) agreementFixture(t *testing.T) (agID, langID, revID string) {
	t.Helper()
	var ag resource.Agreement
	res := h.do(http.MethodPost, paths.Build(paths.Agreements, defaultEnv), "envAdmin", `{"name":"Terms","description":"Our terms"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create agreement: %d %s", res.status, res.body)
	}
	res.decode(t, &ag)
	var l resource.AgreementLanguage
	res = h.do(http.MethodPost, paths.Build(paths.AgreementLanguages, defaultEnv, ag.ID), "envAdmin", `{"locale":"fr"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create language: %d %s", res.status, res.body)
	}
	res.decode(t, &l)
	var r resource.AgreementRevision
	res = h.do(http.MethodPost, paths.Build(paths.AgreementRevisions, defaultEnv, ag.ID, l.ID), "envAdmin",
		`{"contentType":"text/plain","text":"Conditions","effectiveAt":"2025-01-01T00:00:00Z","requireReconsent":false}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create revision: %d %s", res.status, res.body)
	}
	res.decode(t, &r)
	return ag.ID, l.ID, r.ID
}

// TestAgreementAccess: readers read, Environment Admins write, end users
// and other environments' administrators do neither; unknown ids are 404.
func TestAgreementAccess(t *testing.T) {
	h := newHarness(t)
	agID, langID, revID := h.agreementFixture(t)
	d := defaultEnv
	ags := paths.Build(paths.Agreements, d)
	ag := paths.Build(paths.Agreement, d, agID)
	langs := paths.Build(paths.AgreementLanguages, d, agID)
	revs := paths.Build(paths.AgreementRevisions, d, agID, langID)
	rev := paths.Build(paths.AgreementRevision, d, agID, langID, revID)
	const newAg = `{"name":"Privacy"}`
	const newRev = `{"contentType":"text/plain","text":"v2","effectiveAt":"2025-02-01T00:00:00Z"}`
	tests := []struct {
		name, principal, method, path, body string
		want                                int
	}{
		{"no_token", "", http.MethodGet, ags, "", http.StatusUnauthorized},
		{"user_lists", "alice", http.MethodGet, ags, "", http.StatusForbidden},
		{"user_reads_revision", "alice", http.MethodGet, rev, "", http.StatusForbidden},
		{"user_creates", "alice", http.MethodPost, ags, newAg, http.StatusForbidden},
		{"user_with_roles_claim_creates", "aliceWithRoles", http.MethodPost, ags, newAg, http.StatusForbidden},
		{"user_creates_revision", "alice", http.MethodPost, revs, newRev, http.StatusForbidden},
		{"user_deletes", "alice", http.MethodDelete, ag, "", http.StatusForbidden},
		{"read_only_lists", "readOnly", http.MethodGet, ags, "", http.StatusOK},
		{"read_only_reads_languages", "readOnly", http.MethodGet, langs, "", http.StatusOK},
		{"read_only_reads_revision", "readOnly", http.MethodGet, rev, "", http.StatusOK},
		{"read_only_creates", "readOnly", http.MethodPost, ags, newAg, http.StatusForbidden},
		{"read_only_creates_revision", "readOnly", http.MethodPost, revs, newRev, http.StatusForbidden},
		{"identity_admin_puts", "idAdmin", http.MethodPut, ag, newAg, http.StatusForbidden},
		{"identity_admin_deletes", "idAdmin", http.MethodDelete, ag, "", http.StatusForbidden},
		{"admin_of_default_creates_other_env", "envAdmin", http.MethodPost, paths.Build(paths.Agreements, otherEnv), newAg, http.StatusForbidden},
		{"worker_of_default_reads_other_env", "worker", http.MethodGet, paths.Build(paths.Agreements, otherEnv), "", http.StatusForbidden},
		{"star_reads_id_in_other_env", "star", http.MethodGet, paths.Build(paths.Agreement, otherEnv, agID), "", http.StatusNotFound},
		{"star_revision_in_other_env", "star", http.MethodPost, paths.Build(paths.AgreementRevisions, otherEnv, agID, langID), newRev, http.StatusNotFound},
		{"star_missing_env", "star", http.MethodGet, paths.Build(paths.Agreements, missingEnv), "", http.StatusNotFound},
		{"unknown_agreement", "readOnly", http.MethodGet, paths.Build(paths.Agreement, d, missingID), "", http.StatusNotFound},
		{"not_a_uuid", "readOnly", http.MethodGet, paths.Build(paths.Agreement, d, "nope"), "", http.StatusNotFound},
		{"unknown_language", "readOnly", http.MethodGet, paths.Build(paths.AgreementLanguage, d, agID, missingID), "", http.StatusNotFound},
		{"language_of_other_agreement", "envAdmin", http.MethodPost, paths.Build(paths.AgreementRevisions, d, missingID, langID), newRev, http.StatusNotFound},
		{"unknown_revision", "readOnly", http.MethodGet, paths.Build(paths.AgreementRevision, d, agID, langID, missingID), "", http.StatusNotFound},
		{"unknown_delete", "envAdmin", http.MethodDelete, paths.Build(paths.Agreement, d, missingID), "", http.StatusNotFound},
		{"worker_creates", "worker", http.MethodPost, ags, newAg, http.StatusCreated},
		{"env_admin_creates_revision", "envAdmin", http.MethodPost, revs, newRev, http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, h.env(d).Agreements)
			res := h.do(tt.method, tt.path, tt.principal, tt.body)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if tt.want >= 400 && snapshot(t, h.env(d).Agreements) != before {
				t.Errorf("agreements changed by a refused request")
			}
		})
	}
}

// TestAgreementRevisionValidation: bad revisions are 400 naming the field
// and nothing is stored.
func TestAgreementRevisionValidation(t *testing.T) {
	h := newHarness(t)
	agID, langID, _ := h.agreementFixture(t)
	revs := paths.Build(paths.AgreementRevisions, defaultEnv, agID, langID)
	tests := []struct {
		name, body, want string
	}{
		{name: "textTooLong", body: `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"` + strings.Repeat("é", store.MaxAgreementText+1) + `"}`, want: "text:SIZE_LIMIT_EXCEEDED"},
		{name: "missingText", body: `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z"}`, want: "text:REQUIRED_VALUE"},
		{name: "blankText", body: `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":" \n"}`, want: "text:INVALID_VALUE"},
		{name: "onlyScript", body: `{"contentType":"text/html","effectiveAt":"2025-02-01T00:00:00Z","text":"<script>alert(1)</script>"}`, want: "text:INVALID_VALUE"},
		{name: "badContentType", body: `{"contentType":"application/pdf","effectiveAt":"2025-02-01T00:00:00Z","text":"x"}`, want: "contentType:INVALID_VALUE"},
		{name: "missingEffectiveAt", body: `{"contentType":"text/plain","text":"x"}`, want: "effectiveAt:REQUIRED_VALUE"},
		{name: "badEffectiveAt", body: `{"contentType":"text/plain","effectiveAt":"tomorrow","text":"x"}`, want: "effectiveAt:INVALID_VALUE"},
		{name: "operatorObject", body: `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":{"$ne":""}}`, want: "text:INVALID_VALUE"},
		{name: "unknownField", body: `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"x","html":"y"}`, want: "html:UNKNOWN_ATTRIBUTE"},
		{name: "readOnlyId", body: `{"id":"x","contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"x"}`, want: "id:READ_ONLY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, h.env(defaultEnv).Agreements)
			res := h.do(http.MethodPost, revs, "envAdmin", tt.body)
			if res.status != http.StatusBadRequest || res.code(t) != "INVALID_DATA" {
				t.Fatalf("status %d code %s, want 400 INVALID_DATA: %s", res.status, res.code(t), res.body)
			}
			mustContain(t, res.targets(t), tt.want)
			if snapshot(t, h.env(defaultEnv).Agreements) != before {
				t.Errorf("refused revision stored")
			}
		})
	}
	if res := h.do(http.MethodPost, revs, "envAdmin", `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"x"}`, "text/plain"); res.status < 400 {
		t.Errorf("text/plain body accepted: %d", res.status)
	}
	// Exactly the limit, counted in characters not bytes, is accepted.
	res := h.do(http.MethodPost, revs, "envAdmin", `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"`+strings.Repeat("é", store.MaxAgreementText)+`"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("text at the limit: %d %s", res.status, res.body)
	}
}

// TestAgreementLifecycle: HTML stored sanitised, the current revision
// follows effectiveAt, enabling needs text, languages are unique per
// locale, the caps hold, delete removes everything, audit records it.
func TestAgreementLifecycle(t *testing.T) {
	h := newHarness(t)
	agID, langID, revID := h.agreementFixture(t)
	agURL := paths.Build(paths.Agreement, defaultEnv, agID)
	revs := paths.Build(paths.AgreementRevisions, defaultEnv, agID, langID)

	// A new agreement cannot start enabled; this one can be now.
	res := h.do(http.MethodPost, paths.Build(paths.Agreements, defaultEnv), "envAdmin", `{"name":"X","enabled":true}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("created enabled: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "enabled:INVALID_VALUE")
	res = h.do(http.MethodPut, agURL, "envAdmin", `{"name":"Terms of use","enabled":true}`)
	if res.status != http.StatusOK {
		t.Fatalf("enable: %d %s", res.status, res.body)
	}
	var ag resource.Agreement
	res.decode(t, &ag)
	if !ag.Enabled || ag.Name != "Terms of use" || ag.Description != "" || ag.Environment.ID != defaultEnv {
		t.Errorf("agreement %+v", ag)
	}

	// HTML is stored sanitised, and a future revision is not yet current.
	h.now = t0
	res = h.do(http.MethodPost, revs, "envAdmin", `{"contentType":"text/html","requireReconsent":true,"effectiveAt":"2025-03-02T00:00:00+01:00",`+
		`"text":"<p onclick=\"x()\">New <b>terms</b><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">link</a></p>"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("html revision: %d %s", res.status, res.body)
	}
	var rev resource.AgreementRevision
	res.decode(t, &rev)
	const clean = "<p>New <b>terms</b><a>link</a></p>"
	if rev.Text != clean || !rev.RequireReconsent || !rev.EffectiveAt.Equal(time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("revision %+v", rev)
	}
	stored := h.env(defaultEnv).Agreements[0].Languages[0].Revisions
	if len(stored) != 2 || stored[1].Text != clean {
		t.Fatalf("stored revisions %+v", stored)
	}
	var l resource.AgreementLanguage
	h.do(http.MethodGet, paths.Build(paths.AgreementLanguage, defaultEnv, agID, langID), "readOnly", "").decode(t, &l)
	if l.CurrentRevision == nil || l.CurrentRevision.ID != revID || l.Locale != "fr" {
		t.Errorf("before effectiveAt: %+v", l)
	}
	h.now = t0.Add(24 * time.Hour)
	h.do(http.MethodGet, paths.Build(paths.AgreementLanguage, defaultEnv, agID, langID), "readOnly", "").decode(t, &l)
	if l.CurrentRevision == nil || l.CurrentRevision.ID != rev.ID {
		t.Errorf("after effectiveAt: %+v", l)
	}
	var list resource.List[resource.AgreementRevision]
	h.do(http.MethodGet, revs, "readOnly", "").decode(t, &list)
	if n := len(list.Embedded["revisions"]); n != 2 {
		t.Errorf("listed %d revisions", n)
	}
	// Revisions are immutable: the route has no PUT.
	if res := h.do(http.MethodPut, paths.Build(paths.AgreementRevision, defaultEnv, agID, langID, rev.ID), "envAdmin", `{}`); res.status < 400 {
		t.Errorf("revision PUT: %d", res.status)
	}

	// One language per locale, in canonical form.
	langs := paths.Build(paths.AgreementLanguages, defaultEnv, agID)
	res = h.do(http.MethodPost, langs, "envAdmin", `{"locale":"FR"}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("duplicate locale: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "locale:INVALID_VALUE")
	res = h.do(http.MethodPost, langs, "envAdmin", `{"locale":"not_a-locale!"}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("bad locale: %d %s", res.status, res.body)
	}
	res = h.do(http.MethodPost, langs, "envAdmin", `{"locale":"en-us","enabled":false}`)
	if res.status != http.StatusCreated {
		t.Fatalf("en-US: %d %s", res.status, res.body)
	}
	var en resource.AgreementLanguage
	res.decode(t, &en)
	if en.Locale != "en-US" || en.Enabled || en.CurrentRevision != nil {
		t.Errorf("en-US %+v", en)
	}

	// The revision cap.
	for i := 2; i < store.MaxAgreementRevisions; i++ {
		if res := h.do(http.MethodPost, revs, "envAdmin", `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"x"}`); res.status != http.StatusCreated {
			t.Fatalf("revision %d: %d %s", i, res.status, res.body)
		}
	}
	res = h.do(http.MethodPost, revs, "envAdmin", `{"contentType":"text/plain","effectiveAt":"2025-02-01T00:00:00Z","text":"x"}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("revision over the cap: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), ":LIMIT_EXCEEDED")

	if ev := h.events(defaultEnv); len(ev) == 0 || ev[len(ev)-1].Action != audit.ActionAgreementUpdated {
		t.Errorf("no audit event: %+v", ev)
	}
	res = h.do(http.MethodDelete, agURL, "envAdmin", "")
	if res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if n := len(h.env(defaultEnv).Agreements); n != 0 {
		t.Errorf("%d agreements left", n)
	}
	if res := h.do(http.MethodGet, agURL, "readOnly", ""); res.status != http.StatusNotFound {
		t.Errorf("deleted agreement: %d", res.status)
	}
}

// TestAgreementEnableNeedsText: an agreement without an enabled language
// holding a revision in effect cannot be enabled.
func TestAgreementEnableNeedsText(t *testing.T) {
	h := newHarness(t)
	var ag resource.Agreement
	h.do(http.MethodPost, paths.Build(paths.Agreements, defaultEnv), "envAdmin", `{"name":"Empty"}`).decode(t, &ag)
	res := h.do(http.MethodPut, paths.Build(paths.Agreement, defaultEnv, ag.ID), "envAdmin", `{"name":"Empty","enabled":true}`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("enabled without text: %d %s", res.status, res.body)
	}
	mustContain(t, res.targets(t), "enabled:INVALID_VALUE")
	if h.env(defaultEnv).Agreements[0].Enabled {
		t.Errorf("enabled anyway")
	}
}
