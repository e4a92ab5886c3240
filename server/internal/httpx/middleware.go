package httpx

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

const requestIDKey = "requestId"

// RequestID returns the id the RequestIDs middleware gave this request.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}

// RequestIDs gives every request a fresh id (never taken from the client:
// a client-chosen id could forge log correlation) and echoes it in
// X-Request-Id.
func RequestIDs() fiber.Handler {
	return func(c *fiber.Ctx) error {
		setRequestID(c)
		return c.Next()
	}
}

func setRequestID(c *fiber.Ctx) {
	id := uuid.NewString()
	c.Locals(requestIDKey, id)
	c.Set("X-Request-Id", id)
}

// BeforeRouting gives an error response the middleware never saw the
// request id and security headers every response carries: fasthttp refuses
// some requests while reading them (a body over the limit) and calls the
// error handler directly. It does nothing for a request the middleware saw.
func BeforeRouting(c *fiber.Ctx, hsts bool) {
	if RequestID(c) != "" {
		return
	}
	setRequestID(c)
	setSecurityHeaders(c, hsts)
}

// AccessLog writes one structured line per request. It logs the path
// without the query string: queries carry codes and tokens.
func AccessLog(log *slog.Logger, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler has not run yet; it will set the status.
			if fe, ok := err.(*fiber.Error); ok {
				status = fe.Code
			}
		}
		log.LogAttrs(c.UserContext(), slog.LevelInfo, "http",
			slog.String("requestId", RequestID(c)),
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.Int("status", status),
			slog.Duration("took", now().Sub(start)),
			slog.String("ip", c.IP()),
		)
		return err
	}
}

// CSP is the Content-Security-Policy of every response: no inline script or
// style, WebAssembly compilation allowed. Images may also come from https
// origins: the application portal's tile icons (an administrator's https
// URL); an <img> runs no script.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:; " +
	"connect-src 'self'; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// SecurityHeaders sets the headers every response carries; API responses
// (everything but the PWA's pages and static files) are also no-store.
func SecurityHeaders(hsts bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		setSecurityHeaders(c, hsts)
		return c.Next()
	}
}

func setSecurityHeaders(c *fiber.Ctx, hsts bool) {
	c.Set("Content-Security-Policy", CSP)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if hsts {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	if IsAPIPath(c.Path()) {
		noStore(c)
	}
}

// IsAPIPath reports whether path is an API endpoint (never cached) rather
// than a PWA page or static file.
func IsAPIPath(p string) bool {
	if strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/metrics") || p == "/healthz" || p == "/readyz" {
		return true
	}
	// /{envId}/as/…, /{envId}/flows/…, /{envId}/deviceAuthentications…
	if len(p) > 38 && p[0] == '/' && p[37] == '/' {
		rest := p[38:]
		return strings.HasPrefix(rest, "as/") || strings.HasPrefix(rest, "flows/") ||
			strings.HasPrefix(rest, "deviceAuthentications") || strings.HasSuffix(rest, "config.json")
	}
	return false
}

func noStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderPragma, "no-cache")
}
