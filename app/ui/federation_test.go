//go:build !js

package ui

import (
	"net/url"
	"strings"
	"testing"

	"github.com/myaccount/myaccount/shared/resource"
)

func TestProvePasswordStepNamesTheAccount(t *testing.T) {
	doc := render(t, &ProvePasswordStep{Username: "dora@example.com", Error: "The password is incorrect."})
	if n := byID(doc, "prove-explain"); n == nil || !strings.Contains(text(n), "dora@example.com") {
		t.Fatal("the step does not name the account")
	}
	if byID(doc, "password") == nil || byID(doc, "submit") == nil {
		t.Fatal("no password field or button")
	}
	if !strings.Contains(text(doc), "The password is incorrect.") {
		t.Fatal("the error is not shown")
	}
}

func TestProvidersViewKeepsToThisSite(t *testing.T) {
	here, _ := url.Parse("http://localhost:8080/e1/signon/?flowId=f1")
	p := &SignOnPage{here: here}
	f := &resource.Flow{Embedded: &resource.FlowEmbedded{IdentityProviders: []resource.FlowIdentityProvider{
		{ID: "a", Name: "Upstream", Href: "http://localhost:8080/e1/flows/f1/identityProviders/a"},
		{ID: "b", Name: "Elsewhere", Href: "https://evil.example/start"},
	}}}
	doc := render(t, p.providersView(f))
	if n := byID(doc, "idp-a"); n == nil || text(n) != "Sign in with Upstream" {
		t.Fatal("the provider is not offered")
	}
	if byID(doc, "idp-b") != nil {
		t.Fatal("a provider link off this site is offered")
	}
	if doc := render(t, p.providersView(&resource.Flow{})); byID(doc, "identity-providers") != nil {
		t.Fatal("providers shown for a flow without any")
	}
}

func TestLinkProvidersOffersUnlinkedOnly(t *testing.T) {
	doc := render(t, &LinkProviders{Env: "e1",
		Providers: []resource.AppIdentityProvider{{ID: "a", Name: "Upstream"}, {ID: "b", Name: "Other"}},
		Linked:    []resource.LinkedAccount{{ID: "l1", IdentityProvider: resource.Ref{ID: "a"}}}})
	if byID(doc, "link-a") != nil {
		t.Error("a linked provider is offered again")
	}
	if n := byID(doc, "link-b"); n == nil || text(n) != "Link Other" {
		t.Error("the unlinked provider is not offered")
	}
}

func TestLinkErrorText(t *testing.T) {
	for _, tc := range []struct{ name, code string }{
		{name: "taken", code: resource.FederationLinkedToOther},
		{name: "unavailable", code: resource.FederationUnavailable},
		{name: "limit", code: resource.FederationLimit},
		{name: "unknown", code: "SOMETHING"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := linkErrorText(tc.code); got == "" || strings.HasPrefix(got, "linked.") {
				t.Errorf("%s reads %q", tc.code, got)
			}
		})
	}
}
