package manage

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

func TestListUsersPaging(t *testing.T) {
	h := newHarness(t)
	for i := range 5 {
		res := h.do(http.MethodPost, paths.Build(paths.Users, defaultEnv), "star",
			fmt.Sprintf(`{"username":"user%d","email":"user%d@example.com"}`, i, i))
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
	}
	want := h.userCount(defaultEnv) // alice, bob and the five
	if want != 7 {
		t.Fatalf("%d users in the environment", want)
	}
	var seen []string
	next := paths.Build(paths.Users, defaultEnv) + "?limit=3"
	pages := 0
	for next != "" {
		pages++
		res := h.do(http.MethodGet, next, "readOnly", "")
		if res.status != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		var l resource.List[resource.User]
		res.decode(t, &l)
		for _, u := range l.Embedded["users"] {
			if u.Environment.ID != defaultEnv {
				t.Fatalf("user of environment %s listed", u.Environment.ID)
			}
			seen = append(seen, u.ID)
		}
		if l.Count != len(l.Embedded["users"]) || l.Links["self"].Href == "" {
			t.Fatalf("page %d envelope: count %d, links %v", pages, l.Count, l.Links)
		}
		next = ""
		if n, ok := l.Links["next"]; ok {
			if len(l.Embedded["users"]) != 3 {
				t.Fatalf("a short page %d has a next link", pages)
			}
			if !strings.HasPrefix(n.Href, publicURL+"/") {
				t.Fatalf("next link %q is not under PUBLIC_URL", n.Href)
			}
			next = strings.TrimPrefix(n.Href, publicURL)
		}
	}
	if pages != 3 || len(seen) != want {
		t.Fatalf("%d pages, %d users, want 3 pages and %d users", pages, len(seen), want)
	}
	if !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != len(seen) {
		t.Fatalf("users out of order or repeated: %v", seen)
	}

	// The default page size, and the bounds.
	var l resource.List[resource.User]
	h.do(http.MethodGet, paths.Build(paths.Users, defaultEnv), "star", "").decode(t, &l)
	if l.Count != want || l.Links["next"].Href != "" {
		t.Fatalf("default page: count %d, next %q", l.Count, l.Links["next"].Href)
	}
	bad := []refusedQuery{
		{"limit_zero", "limit=0", "limit"},
		{"limit_too_big", "limit=101", "limit"},
		{"limit_not_a_number", "limit=ten", "limit"},
		{"cursor_garbage", "cursor=%24ne", "cursor"},
		{"cursor_not_an_id", "cursor=" + url.QueryEscape(encodeCursor("alice")), "cursor"},
	}
	wantUserListRefused(t, h, bad)
}

// TestListUsersByUsernamePrefix: `filter=username sw "…"` lists the
// matching users by username, page by page, in the caller's environment
// only; any other filter or a foreign cursor is refused.
func TestListUsersByUsernamePrefix(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"al", "albert", "alina", "anna"} {
		res := h.do(http.MethodPost, paths.Build(paths.Users, defaultEnv), "star",
			fmt.Sprintf(`{"username":%q,"email":"%s@example.com"}`, name, name))
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
	}
	res := h.do(http.MethodPost, paths.Build(paths.Users, otherEnv), "star", `{"username":"alex","email":"alex@example.com"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("create in the other environment: %d %s", res.status, res.body)
	}
	search := func(filter string) string {
		return paths.Build(paths.Users, defaultEnv) + "?limit=2&filter=" + url.QueryEscape(filter)
	}
	var seen []string
	next, pages := search(`username sw "AL"`), 0
	for next != "" {
		pages++
		res := h.do(http.MethodGet, next, "readOnly", "")
		if res.status != http.StatusOK || pages > 5 {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		var l resource.List[resource.User]
		res.decode(t, &l)
		for _, u := range l.Embedded["users"] {
			seen = append(seen, u.Username)
		}
		next = strings.TrimPrefix(l.Links["next"].Href, publicURL)
		if next != "" && !strings.Contains(next, "filter=") {
			t.Fatalf("the next link drops the filter: %s", next)
		}
	}
	// alice is a harness user; the other environment's alex is not listed.
	if want := []string{"al", "albert", "alice", "alina"}; !slices.Equal(seen, want) || pages != 2 {
		t.Fatalf("%d pages of %v, want 2 pages of %v", pages, seen, want)
	}
	res = h.do(http.MethodGet, search(`USERNAME SW "zz"`), "star", "")
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"users":[]`) {
		t.Fatalf("no match: %d %s", res.status, res.body)
	}
	res = h.do(http.MethodGet, search(`username sw "al"`), "alice", "")
	if res.status != http.StatusForbidden {
		t.Fatalf("an end user searched: %d %s", res.status, res.body)
	}
	bad := []refusedQuery{
		{"email", "filter=" + url.QueryEscape(`email eq "alice@example.com"`), "filter"},
		{"two_clauses", "filter=" + url.QueryEscape(`username sw "a" or username sw "b"`), "filter"},
		{"unquoted", "filter=" + url.QueryEscape(`username sw al`), "filter"},
		{"operator_object", "filter=" + url.QueryEscape(`username sw {"$ne":""}`), "filter"},
		{"too_long", "filter=" + url.QueryEscape(`username sw "`+strings.Repeat("a", 200)+`"`), "filter"},
		{"id_cursor", "filter=" + url.QueryEscape(`username sw "a"`) + "&cursor=" + encodeCursor(aliceID), "cursor"},
	}
	wantUserListRefused(t, h, bad)
}

// refusedQuery is a user-list query string the API refuses with 400
// INVALID_VALUE on target.
type refusedQuery struct{ name, query, target string }

func wantUserListRefused(t *testing.T, h *harness, bad []refusedQuery) {
	t.Helper()
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, paths.Build(paths.Users, defaultEnv)+"?"+tt.query, "star", "")
			if res.status != http.StatusBadRequest || !slices.Equal(res.targets(t), []string{tt.target + ":INVALID_VALUE"}) {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
		})
	}
}

func TestListDevices(t *testing.T) {
	h := newHarness(t)
	for _, who := range []string{"alice", "readOnly"} {
		t.Run(who, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, paths.Build(paths.Devices, defaultEnv, aliceID), who, "")
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			var l resource.List[resource.Device]
			res.decode(t, &l)
			ds := l.Embedded["devices"]
			// Stored order, unmasked targets, the default is the first ACTIVE one.
			if len(ds) != 2 || ds[0].Email != "old@example.com" || ds[1].Email != "alice@example.com" ||
				ds[1].Nickname != "Work" || resource.DefaultDevice(ds) != 1 || ds[0].User.ID != aliceID ||
				ds[0].Environment.ID != defaultEnv || !strings.HasSuffix(ds[1].Links["self"].Href, "/devices/"+ds[1].ID) {
				t.Fatalf("devices %+v", ds)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		h.use(t)
		res := h.do(http.MethodGet, paths.Build(paths.Devices, defaultEnv, bobID), "star", "")
		if res.status != http.StatusOK || !strings.Contains(string(res.body), `"devices":[]`) {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
	})
}

func TestListEnvironments(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name      string
		principal string
		want      []string
	}{
		{"every_environment", "star", []string{adminEnv, defaultEnv, otherEnv}},
		{"one_environment", "envAdmin", []string{defaultEnv}},
		{"read_only", "readOnly", []string{defaultEnv}},
		{"worker", "worker", []string{defaultEnv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.use(t)
			res := h.do(http.MethodGet, paths.Environments, tt.principal, "")
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			var l resource.List[resource.Environment]
			res.decode(t, &l)
			var got []string
			for _, e := range l.Embedded["environments"] {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("environments %v, want %v", got, tt.want)
			}
		})
	}
	var e resource.Environment
	h.do(http.MethodGet, paths.Build(paths.Environment, adminEnv), "star", "").decode(t, &e)
	if e.ID != adminEnv || !e.Administrators || e.Name != "Administrators" || e.Links["self"].Href != publicURL+paths.Build(paths.Environment, adminEnv) {
		t.Fatalf("environment %+v", e)
	}
}

func TestListOutbox(t *testing.T) {
	h := newHarness(t)
	for i := range 4 {
		if err := h.store.AddOutboxMessage(t.Context(), &store.OutboxMessage{EnvironmentID: defaultEnv,
			ID: fmt.Sprintf("00000000-0000-7000-8000-00000000010%d", i), Channel: "EMAIL", To: "alice@example.com",
			Subject: fmt.Sprintf("message %d", i), Body: "Your passcode", CreatedAt: t0.Add(time.Duration(i) * time.Minute),
			ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	var l resource.List[resource.OutboxMessage]
	res := h.do(http.MethodGet, paths.Build(paths.Outbox, defaultEnv)+"?limit=2", "star", "")
	res.decode(t, &l)
	ms := l.Embedded["messages"]
	if res.status != http.StatusOK || len(ms) != 2 || ms[0].Subject != "message 3" || ms[1].Subject != "message 2" {
		t.Fatalf("status %d, messages %+v", res.status, ms)
	}
	h.do(http.MethodGet, paths.Build(paths.Outbox, otherEnv), "star", "").decode(t, &l)
	if len(l.Embedded["messages"]) != 0 {
		t.Fatalf("another environment's outbox shows %d messages", len(l.Embedded["messages"]))
	}
	if res := h.do(http.MethodGet, paths.Build(paths.Outbox, defaultEnv)+"?limit=101", "star", ""); res.status != http.StatusBadRequest {
		t.Fatalf("limit 101: status %d", res.status)
	}
}
