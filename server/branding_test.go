package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestLogoUploadLimits: over the network, an upload announcing 50 MB is
// refused with 413 on its Content-Length before anything is read, one over
// the logo's own 512 KB limit (but under the server's) by the handler, and
// neither stores anything; a small PNG is stored and served publicly.
func TestLogoUploadLimits(t *testing.T) {
	e := newOpsEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	admin := e.adminToken()
	logo := paths.Build(paths.BrandingLogo, envID)

	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	head := fmt.Sprintf("PUT %s HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: %d\r\nAuthorization: Bearer %s\r\n\r\n",
		logo, 50<<20, admin)
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 413 {
		t.Fatalf("50 MB upload: %d", resp.StatusCode)
	}

	var pngBytes bytes.Buffer
	if err := png.Encode(&pngBytes, image.NewRGBA(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	big := append(bytes.Clone(pngBytes.Bytes()), make([]byte, 600<<10)...)
	r := e.send(t, "PUT", logo, admin, bytes.NewReader(big), "Content-Type", "image/png")
	var apiErr struct{ Code string }
	_ = json.NewDecoder(r.Body).Decode(&apiErr)
	if r.StatusCode != 413 || apiErr.Code != "REQUEST_TOO_LARGE" {
		t.Fatalf("600 KB upload: %d %s", r.StatusCode, apiErr.Code)
	}
	pub := paths.Build(paths.PublicLogo, envID)
	wantStatus(t, e.do(httptest.NewRequest("GET", pub, nil)), 404)

	r = e.send(t, "PUT", logo, admin, bytes.NewReader(pngBytes.Bytes()), "Content-Type", "image/png")
	if r.StatusCode != 200 {
		t.Fatalf("small PNG: %d", r.StatusCode)
	}
	resp = e.do(httptest.NewRequest("GET", pub, nil))
	body := wantStatus(t, resp, 200)
	if !bytes.Equal(body, pngBytes.Bytes()) || resp.Header.Get("Content-Type") != "image/png" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("served logo: %v", resp.Header)
	}
}

// TestBrandedEmail: once the environment has a company name and a logo,
// its e-mails (here the sign-on passcode) end with both, the logo as an
// absolute PUBLIC_URL link; the public branding.json shows them too.
func TestBrandedEmail(t *testing.T) {
	e := newSQLiteEnv(t)
	envID := e.srv.Bootstrap.DefaultEnvID
	admin := e.adminToken()
	respWant(t, e.api("PUT", paths.Build(paths.Branding, envID), admin,
		`{"companyName":"Acme Corp","colors":{"brand":"#0b5394","textOnBrand":"#ffffff","background":""},"footer":"Acme footer"}`), 200)
	var img bytes.Buffer
	_ = png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	respWant(t, e.apiCT("PUT", paths.Build(paths.BrandingLogo, envID), admin, "image/png", img.String()), 200)

	var pb resource.PublicBranding
	_ = json.Unmarshal(wantStatus(t, e.do(httptest.NewRequest("GET", paths.Build(paths.PublicBranding, envID), nil)), 200), &pb)
	logoURL := testPublicURL + paths.Build(paths.PublicLogo, envID) + "?v="
	if pb.CompanyName != "Acme Corp" || !strings.HasPrefix(pb.LogoURL, logoURL) || pb.Footer != "Acme footer" {
		t.Fatalf("branding.json: %+v", pb)
	}

	e.createUser("dana", "dana@example.com", "a long password for them")
	e.browser().signOnScoped(passwordScopes, "dana", "a long password for them", "dana.mfa@example.com")
	found := false
	for _, m := range e.mail.msgs {
		if m.To == "dana.mfa@example.com" {
			found = true
			if !strings.Contains(m.Text, "\n-- \nAcme Corp\nLogo: "+logoURL) {
				t.Errorf("e-mail without the branding:\n%s", m.Text)
			}
			if otpRE.FindString(m.Text) == "" {
				t.Errorf("e-mail lost its passcode:\n%s", m.Text)
			}
		}
	}
	if !found {
		t.Fatal("no e-mail sent")
	}
}
