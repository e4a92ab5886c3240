//go:build !js

package apiclient

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestProfileCalls(t *testing.T) {
	const sub = "0d8f5d0a-7c1e-4b9e-8f3f-7f0b8c6b2a10"
	var got []string
	c := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != paths.Build(paths.User, env, sub) || r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("%s %s auth %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		got = append(got, r.Method+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("If-Match"))
		switch {
		case r.Method == "PATCH" && r.Header.Get("If-Match") == `"3"`:
			var patch map[string]any
			_ = json.NewDecoder(r.Body).Decode(&patch)
			if _, ok := patch["nickname"]; !ok || patch["nickname"] != nil {
				t.Errorf("patch %v: nickname must be null", patch)
			}
			w.Header().Set("ETag", `"4"`)
			writeJSON(w, 200, resource.User{ID: sub, Username: "jane"})
		case r.Method == "PATCH":
			writeJSON(w, 412, apierr.Error{Code: apierr.Conflict, Message: "changed"})
		case r.Header.Get("Content-Type") == paths.ActionUserSendVerificationCode:
			w.WriteHeader(204)
		default:
			w.Header().Set("ETag", `"3"`)
			writeJSON(w, 200, resource.User{ID: sub, Username: "jane", Email: "jane@example.com"})
		}
	})
	ctx := context.Background()
	p, err := c.GetProfile(ctx, sub, "tok")
	if err != nil || p.ETag != `"3"` || p.User.Email != "jane@example.com" {
		t.Fatalf("GetProfile = %+v, %v", p, err)
	}
	p, err = c.PatchProfile(ctx, sub, "tok", `"3"`, map[string]any{"nickname": nil})
	if err != nil || p.ETag != `"4"` {
		t.Fatalf("PatchProfile = %+v, %v", p, err)
	}
	if _, err := c.PatchProfile(ctx, sub, "tok", `"2"`, map[string]any{"nickname": "x"}); !IsConflict(err) {
		t.Fatalf("stale PatchProfile: %v", err)
	}
	if _, err := c.VerifyContact(ctx, sub, "tok", "123456"); err != nil {
		t.Fatal(err)
	}
	if err := c.ResendContactCode(ctx, sub, "tok"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CancelContactChange(ctx, sub, "tok"); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET  ", `PATCH application/json "3"`, `PATCH application/json "2"`, "POST " + paths.ActionUserVerify + " ",
		"POST " + paths.ActionUserSendVerificationCode + " ", "POST " + paths.ActionUserCancelVerification + " "}
	if len(got) != len(want) {
		t.Fatalf("requests %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d = %q, want %q", i, got[i], want[i])
		}
	}
}
