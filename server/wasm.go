package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Wasm is app.wasm with its pre-compressed forms, read once at start.
type Wasm struct {
	raw, br, gz []byte
	// Hash is the hex SHA-256 of app.wasm: go-app's Version, so every
	// server instance serving the same build agrees on it.
	Hash string
}

// LoadWasm reads assetsDir/web/app.wasm and its .br and .gz siblings (made
// by `make wasm`). A missing app.wasm is an error; missing compressed forms
// are served uncompressed.
func LoadWasm(assetsDir string) (*Wasm, error) {
	p := filepath.Join(assetsDir, "web", "app.wasm")
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read app.wasm (run `make wasm`): %w", err)
	}
	w := &Wasm{raw: raw}
	sum := sha256.Sum256(raw)
	w.Hash = hex.EncodeToString(sum[:])
	w.br, _ = os.ReadFile(p + ".br")
	w.gz, _ = os.ReadFile(p + ".gz")
	return w, nil
}

func (w *Wasm) handler() fiber.Handler {
	etag := `"` + w.Hash[:32] + `"`
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/wasm")
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set(fiber.HeaderETag, etag)
		if c.Get(fiber.HeaderIfNoneMatch) == etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		ae := c.Get(fiber.HeaderAcceptEncoding)
		switch {
		case len(w.br) > 0 && acceptsEncoding(ae, "br"):
			c.Set(fiber.HeaderContentEncoding, "br")
			return c.Send(w.br)
		case len(w.gz) > 0 && acceptsEncoding(ae, "gzip"):
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(w.gz)
		}
		return c.Send(w.raw)
	}
}

// acceptsEncoding reports whether an Accept-Encoding value allows enc
// (a q=0 refuses it).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}

// Size is app.wasm's uncompressed size in bytes.
func (w *Wasm) Size() int64 { return int64(len(w.raw)) }
