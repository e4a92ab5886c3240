package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// agreementSetup makes, through the API, an enabled agreement with an
// English revision in effect and names it in the sign-on policy (password
// only, so the agreement is the only step after the password). It returns
// the agreement and language ids.
func agreementSetup(t *testing.T, e *env) (string, string) {
	t.Helper()
	envID, tok := e.srv.Bootstrap.DefaultEnvID, e.adminToken()
	ag := decode[resource.Agreement](t, respWant(t, e.api("POST", paths.Build(paths.Agreements, envID), tok, `{"name":"Terms of use"}`), 201))
	l := decode[resource.AgreementLanguage](t, respWant(t, e.api("POST", paths.Build(paths.AgreementLanguages, envID, ag.ID), tok, `{"locale":"en"}`), 201))
	respWant(t, e.api("POST", paths.Build(paths.AgreementRevisions, envID, ag.ID, l.ID), tok,
		`{"contentType":"text/html","effectiveAt":"2026-01-01T00:00:00Z","text":"<p>Be <b>nice</b>.<script>alert(1)</script></p>"}`), 201)
	respWant(t, e.api("PUT", paths.Build(paths.Agreement, envID, ag.ID), tok, `{"name":"Terms of use","enabled":true}`), 200)
	pols := decode[resource.List[resource.SignOnPolicy]](t, respWant(t, e.api("GET", paths.Build(paths.SignOnPolicies, envID), tok, ""), 200))
	p := pols.Embedded["signOnPolicies"][0]
	respWant(t, e.api("PUT", paths.Build(paths.SignOnPolicy, envID, p.ID), tok,
		`{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST","agreementId":"`+ag.ID+`"}`), 200)
	return ag.ID, l.ID
}

// TestSignOnAgreementConsent: the password step leads to
// AGREEMENT_CONSENT_REQUIRED with the sanitised text; the flow cannot be
// resumed before consent; accepting records the consent and completes;
// the next sign-on does not ask; a new revision requiring re-consent asks
// again, and declining fails the flow.
func TestSignOnAgreementConsent(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("ann", "ann@example.com", userPassword)
	agID, langID := agreementSetup(t, e)
	envID := e.srv.Bootstrap.DefaultEnvID

	b := e.browser()
	p := newPKCE()
	id := b.startFlow(p)
	f := decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200))
	if f.Status != resource.FlowAgreementConsentRequired || f.ResumeURL != "" {
		t.Fatalf("after password: %+v", f)
	}
	if f.Embedded == nil || f.Embedded.Agreement == nil {
		t.Fatalf("no agreement embedded: %+v", f)
	}
	ag := f.Embedded.Agreement
	if ag.ID != agID || ag.Locale != "en" || ag.ContentType != "text/html" || ag.Text != "<p>Be <b>nice</b>.</p>" {
		t.Errorf("embedded agreement %+v", ag)
	}
	if _, ok := f.Links[resource.ActionAgreementConsent]; !ok {
		t.Errorf("no agreement.consent link: %+v", f.Links)
	}
	// The resume URL is refused while consent is pending.
	resp := b.do("GET", strings.TrimPrefix(testPublicURL+paths.Build(paths.Resume, envID)+"?flowId="+id, testPublicURL), "", nil)
	if resp.StatusCode == http.StatusFound && strings.Contains(resp.Header.Get("Location"), "code=") {
		t.Fatalf("resumed before consent: %s", resp.Header.Get("Location"))
	}
	// Another action is not available; accept must be a boolean.
	respWant(t, b.action(id, "otp.check", resource.OTPCheck{OTP: "123456"}), 400)
	respWant(t, b.action(id, "agreement.consent", map[string]any{}), 400)

	f = decode[resource.Flow](t, respWant(t, b.action(id, "agreement.consent", map[string]bool{"accept": true}), 200))
	if f.Status != resource.FlowCompleted || f.ResumeURL == "" {
		t.Fatalf("after consent: %+v", f)
	}
	b.resume(f.ResumeURL, p)
	stored, err := e.st.GetUser(t.Context(), envID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.AgreementConsents) != 1 || stored.AgreementConsents[0].AgreementID != agID ||
		stored.AgreementConsents[0].LanguageID != langID || stored.AgreementConsents[0].RevisionID != ag.Revision.ID ||
		!stored.AgreementConsents[0].ConsentedAt.Equal(e.clock.Now()) {
		t.Fatalf("consents %+v", stored.AgreementConsents)
	}

	// Consented: the next sign-on completes at once.
	b2 := e.browser()
	id = b2.startFlow(newPKCE())
	f = decode[resource.Flow](t, respWant(t, b2.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("second sign-on: %s", f.Status)
	}

	// A new revision without re-consent does not ask; one with it does.
	tok := e.adminToken()
	revs := paths.Build(paths.AgreementRevisions, envID, agID, langID)
	at := e.clock.Now().Add(-time.Minute).Format(time.RFC3339)
	respWant(t, e.api("POST", revs, tok, `{"contentType":"text/plain","effectiveAt":"`+at+`","text":"v2"}`), 201)
	id = b2.startFlow(newPKCE())
	f = decode[resource.Flow](t, respWant(t, b2.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200))
	if f.Status != resource.FlowCompleted {
		t.Fatalf("after a revision without re-consent: %s", f.Status)
	}
	e.clock.Add(time.Second)
	at = e.clock.Now().Format(time.RFC3339)
	respWant(t, e.api("POST", revs, tok, `{"contentType":"text/plain","effectiveAt":"`+at+`","text":"v3","requireReconsent":true}`), 201)
	id = b2.startFlow(newPKCE())
	f = decode[resource.Flow](t, respWant(t, b2.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "ann", Password: userPassword}), 200))
	if f.Status != resource.FlowAgreementConsentRequired || f.Embedded.Agreement.Text != "v3" {
		t.Fatalf("after a revision requiring re-consent: %+v", f)
	}
	f = decode[resource.Flow](t, respWant(t, b2.action(id, "agreement.consent", map[string]bool{"accept": false}), 200))
	if f.Status != resource.FlowFailed || f.ResumeURL != "" {
		t.Fatalf("declined: %+v", f)
	}
	stored, _ = e.st.GetUser(t.Context(), envID, u.ID)
	if len(stored.AgreementConsents) != 1 || stored.AgreementConsents[0].RevisionID != ag.Revision.ID {
		t.Errorf("decline changed the consents: %+v", stored.AgreementConsents)
	}
}

// TestSignOnPolicyAgreementID: the policy names only an agreement of its
// environment; deleting the agreement clears it.
func TestSignOnPolicyAgreementID(t *testing.T) {
	e := newSQLiteEnv(t)
	agID, _ := agreementSetup(t, e)
	envID, tok := e.srv.Bootstrap.DefaultEnvID, e.adminToken()
	pols := decode[resource.List[resource.SignOnPolicy]](t, respWant(t, e.api("GET", paths.Build(paths.SignOnPolicies, envID), tok, ""), 200))
	p := pols.Embedded["signOnPolicies"][0]
	if p.AgreementID != agID {
		t.Fatalf("policy agreementId %q", p.AgreementID)
	}
	respWant(t, e.api("PUT", paths.Build(paths.SignOnPolicy, envID, p.ID), tok,
		`{"kind":"PASSWORD","enrollDuringSignOn":true,"deviceSelection":"DEFAULT_TO_FIRST","agreementId":"00000000-0000-4000-8000-0000000000ff"}`), 400)
	respWant(t, e.api("DELETE", paths.Build(paths.Agreement, envID, agID), tok, ""), 204)
	env, err := e.st.GetEnvironment(t.Context(), envID)
	if err != nil {
		t.Fatal(err)
	}
	if env.SignOnPolicy.AgreementID != "" {
		t.Errorf("policy still names a deleted agreement")
	}
}

// TestSignOnAgreementAfterRevoke: a revoked consent is asked again at the
// next sign-on.
func TestSignOnAgreementAfterRevoke(t *testing.T) {
	e := newSQLiteEnv(t)
	u := e.createUser("bea", "bea@example.com", userPassword)
	agID, _ := agreementSetup(t, e)
	envID := e.srv.Bootstrap.DefaultEnvID
	signOn := func() (*browser, string, resource.Flow) {
		b := e.browser()
		id := b.startFlow(newPKCE())
		return b, id, decode[resource.Flow](t, respWant(t, b.action(id, "usernamePassword.check", resource.UsernamePassword{Username: "bea", Password: userPassword}), 200))
	}
	b, id, f := signOn()
	if f.Status != resource.FlowAgreementConsentRequired {
		t.Fatalf("first sign-on: %s", f.Status)
	}
	respWant(t, b.action(id, "agreement.consent", map[string]bool{"accept": true}), 200)
	if _, _, f = signOn(); f.Status != resource.FlowCompleted {
		t.Fatalf("after consent: %s", f.Status)
	}
	resp := e.api("POST", paths.Build(paths.UserAgreementConsent, envID, u.ID, agID), e.adminToken(), "{}")
	wantStatus(t, resp, http.StatusUnsupportedMediaType) // sent as JSON: revoke has its own media type
	req, _ := http.NewRequest("POST", paths.Build(paths.UserAgreementConsent, envID, u.ID, agID), strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+e.adminToken())
	req.Header.Set("Content-Type", paths.ActionConsentRevoke)
	k := decode[resource.UserAgreementConsent](t, respWant(t, e.do(req), 200))
	if k.Status != resource.ConsentPending {
		t.Fatalf("revoked: %+v", k)
	}
	if _, _, f = signOn(); f.Status != resource.FlowAgreementConsentRequired {
		t.Fatalf("after revoke: %s", f.Status)
	}
}
