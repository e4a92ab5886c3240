package manage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/internal/store/sqlite"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// benchDevices serves ListDevices through Fiber over a SQLite file
// (without the query-plan check, which doubles every statement) for alice,
// who has store.MaxDevices devices of every type and status. It returns
// the app and the list's path.
func benchDevices(b *testing.B) (*fiber.App, string) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.CreateEnvironment(ctx, testEnvironment(defaultEnv, "Default", false)); err != nil {
		b.Fatal(err)
	}
	u := &store.User{EnvironmentID: defaultEnv, ID: aliceID, Username: "alice", Email: "alice@example.com", Enabled: true,
		CreatedAt: t0, UpdatedAt: t0}
	types := []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceVoice, resource.DeviceTOTP}
	statuses := []string{resource.DeviceActive, resource.DeviceActive, resource.DeviceActivationRequired, resource.DeviceBlocked}
	for i := range store.MaxDevices {
		u.Devices = append(u.Devices, store.Device{ID: fmt.Sprintf("00000000-0000-7000-8000-0000000001%02d", i),
			Type: types[i%len(types)], Status: statuses[i%len(statuses)], Nickname: fmt.Sprintf("Device %d", i),
			Email: fmt.Sprintf("alice.%d@example.com", i), Phone: "+33612345678", CreatedAt: t0, UpdatedAt: t0})
	}
	if err := st.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	api := New(Deps{Store: st, PublicURL: publicURL, Now: func() time.Time { return t0 }, Logger: slog.New(slog.DiscardHandler)})
	app := fiber.New(fiber.Config{ErrorHandler: httpx.ErrorHandler(slog.New(slog.DiscardHandler))})
	app.Use(func(c *fiber.Ctx) error {
		p := *principals["alice"]
		authn.Set(c, &p)
		return c.Next()
	})
	app.Get(paths.Devices, api.ListDevices())
	return app, paths.Build(paths.Devices, defaultEnv, aliceID)
}

func benchList(b *testing.B, app *fiber.App, target string, want int) {
	b.Helper()
	check := func() {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d: %s", res.StatusCode, body)
		}
	}
	res, err := app.Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
	if err != nil {
		b.Fatal(err)
	}
	var l resource.List[resource.Device]
	if err := json.Unmarshal(mustRead(b, res), &l); err != nil {
		b.Fatal(err)
	}
	if len(l.Embedded["devices"]) != want {
		b.Fatalf("%d devices, want %d", len(l.Embedded["devices"]), want)
	}
	b.ReportAllocs()
	for b.Loop() {
		check()
	}
}

func mustRead(b *testing.B, res *http.Response) []byte {
	b.Helper()
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkListDevices15 is GET …/users/{id}/devices of a user with 15
// devices through the Fiber app (the session check is left out: it has its
// own benchmark in server): access rule, user read from SQLite, JSON.
func BenchmarkListDevices15(b *testing.B) {
	app, path := benchDevices(b)
	benchList(b, app, path, store.MaxDevices)
}

// BenchmarkListDevices15Filtered is the same list with a filter to parse
// and apply.
func BenchmarkListDevices15Filtered(b *testing.B) {
	app, path := benchDevices(b)
	benchList(b, app, path+"?filter="+url.QueryEscape(`type eq "SMS" and (status eq "ACTIVE" or status eq "BLOCKED")`), 4)
}
