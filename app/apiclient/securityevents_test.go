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

func TestListSecurityEvents(t *testing.T) {
	const other = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a99"
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == paths.Build(paths.SecurityEvents, other):
			writeJSON(w, 403, apierr.New(403, apierr.InsufficientPermission, "no"))
		case r.URL.Path == paths.Build(paths.SecurityEvents, env) && r.URL.Query().Get("filter") == `kind eq "ACCOUNT_LOCKED"` &&
			r.URL.Query().Get("limit") == "1" && r.Header.Get("Authorization") == "Bearer tok":
			writeJSON(w, 200, map[string]any{"count": 1, "size": 1,
				"_links":    map[string]any{"next": map[string]any{"href": "http://x" + paths.Build(paths.SecurityEvents, env) + "?cursor=abc&limit=1"}},
				"_embedded": map[string]any{"securityEvents": []resource.SecurityEvent{{ID: "e1", Kind: resource.SecurityLockout, Count: 1}}}})
		default:
			t.Errorf("got %s %s", r.Method, r.URL)
			w.WriteHeader(404)
		}
	})
	p, err := c.ListSecurityEvents(context.Background(), env, "tok", "", `kind eq "ACCOUNT_LOCKED"`, 1)
	if err != nil || len(p.Events) != 1 || p.Events[0].Kind != resource.SecurityLockout || p.Next != "abc" {
		t.Fatalf("ListSecurityEvents = %+v, %v", p, err)
	}
	_, err = c.ListSecurityEvents(context.Background(), other, "tok", "", "", 0)
	var e *apierr.Error
	if !errors.As(err, &e) || e.Code != apierr.InsufficientPermission {
		t.Fatalf("error = %v", err)
	}
}
