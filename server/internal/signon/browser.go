package signon

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"

	"github.com/gofiber/fiber/v2"
)

// BrowserCookie binds flows to the browser that started them: a random value
// set once per browser and environment, whose hash each flow keeps. A flow
// continued from a browser without it is answered 404.
const BrowserCookie = "myaccount_browser"

// Cookies sets and reads the environment's cookies (path /{envId}/, httpOnly,
// SameSite=Lax, Secure over https).
type Cookies struct {
	Secure bool
	Rand   io.Reader
}

// BindBrowser returns the hash of this browser's binding value, creating
// the cookie when it is missing.
func (k Cookies) BindBrowser(c *fiber.Ctx, envID string) (string, error) {
	if v := c.Cookies(BrowserCookie); len(v) >= 43 {
		return hashValue(v), nil
	}
	b := make([]byte, 32)
	r := k.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	k.Set(c, envID, BrowserCookie, v, 0)
	return hashValue(v), nil
}

// BrowserHash returns the hash of this browser's binding value, "" when the
// request has none.
func BrowserHash(c *fiber.Ctx) string {
	v := c.Cookies(BrowserCookie)
	if len(v) < 43 {
		return ""
	}
	return hashValue(v)
}

// Set writes an environment cookie; maxAge 0 makes it a browser-session
// cookie, a negative maxAge deletes it.
func (k Cookies) Set(c *fiber.Ctx, envID, name, value string, maxAge int) {
	ck := &fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/" + envID + "/",
		HTTPOnly: true,
		Secure:   k.Secure,
		SameSite: fiber.CookieSameSiteLaxMode,
		MaxAge:   maxAge,
	}
	if maxAge < 0 {
		ck.Value = ""
		ck.MaxAge = -1
		ck.SessionOnly = false
	}
	c.Cookie(ck)
}

func hashValue(v string) string {
	s := sha256.Sum256([]byte(v))
	return hex.EncodeToString(s[:])
}
