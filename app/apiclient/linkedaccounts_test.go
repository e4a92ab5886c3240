//go:build !js

package apiclient

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestLinkedAccounts(t *testing.T) {
	const sub, link = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60"
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		switch {
		case r.Method == "GET" && r.URL.Path == paths.Build(paths.LinkedAccounts, env, sub):
			writeJSON(w, 200, map[string]any{"count": 1, "size": 1, "_embedded": map[string]any{
				"linkedAccounts": []resource.LinkedAccount{{ID: link, Name: "Upstream", ExternalID: "s"}}}})
		case r.Method == "DELETE" && r.URL.Path == paths.Build(paths.LinkedAccount, env, sub, link):
			writeJSON(w, 400, apierr.New(400, apierr.RequestFailed, "This is the only way to sign on to the account.",
				apierr.Field(apierr.DetailInvalidAction, "linkedAccountId", "no")))
		default:
			t.Errorf("got %s %s", r.Method, r.URL.Path)
			w.WriteHeader(404)
		}
	})
	got, err := c.ListLinkedAccounts(context.Background(), sub, "tok")
	if err != nil || len(got) != 1 || got[0].Name != "Upstream" {
		t.Fatalf("ListLinkedAccounts = %+v, %v", got, err)
	}
	err = c.DeleteLinkedAccount(context.Background(), sub, "tok", link)
	var e *apierr.Error
	if !errors.As(err, &e) || e.Code != apierr.RequestFailed || len(e.Details) != 1 || e.Details[0].Code != apierr.DetailInvalidAction {
		t.Fatalf("DeleteLinkedAccount error = %v", err)
	}
}
