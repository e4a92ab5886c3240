package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// brandingCases check an environment's branding round-trips: the logo's
// bytes exactly (every byte value, at the largest accepted size), and
// removing the logo or switching the theme and footer off sticks.
func brandingCases() []testCase {
	return []testCase{
		{name: "Environment/Branding", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			e := newEnvironment(newID())
			must(t, "create", s.CreateEnvironment(ctx, e))
			logo := make([]byte, 512<<10)
			for i := range logo {
				logo[i] = byte(i * 7)
			}
			e.Branding = store.Branding{
				CompanyName: "Acme ✓ $where a.b", BrandColour: "#1f4e79", TextOnBrand: "#ffffff",
				BackgroundColour: "#f5f7fa", Footer: "Line one\nLine two <b>not html</b>",
				Logo: &store.Logo{ContentType: "image/png", Data: logo, Width: 640, Height: 480,
					ETag: "abc123", UpdatedAt: at(7 * time.Minute)},
				UpdatedAt: at(8 * time.Minute),
			}
			e.SelfService.ThemeOff, e.SelfService.FooterOff = true, true
			must(t, "update", s.UpdateEnvironment(ctx, e))
			got, err := s.GetEnvironment(ctx, e.ID)
			must(t, "get", err)
			sameRecord(t, "branded environment", e, got)
			if got.Branding.Logo == nil || !bytes.Equal(got.Branding.Logo.Data, logo) {
				t.Fatal("logo bytes changed in the store")
			}

			got.Branding.Logo = nil
			got.SelfService.FooterOff = false
			must(t, "remove logo", s.UpdateEnvironment(ctx, got))
			again, err := s.GetEnvironment(ctx, e.ID)
			must(t, "get again", err)
			sameRecord(t, "environment without logo", got, again)
			if again.Branding.Logo != nil {
				t.Fatal("removed logo came back")
			}
		}},
	}
}
