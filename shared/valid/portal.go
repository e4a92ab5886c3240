package valid

import (
	"encoding/base64"
	"net/url"
	"strings"
	"unicode"
)

// Limits of an application's portal tile.
const (
	// MaxPortalURL bounds a tile's start URL and an https icon URL.
	MaxPortalURL = 2048
	// MaxIconDataURL bounds an icon given inline as a data: URL: enough
	// for a small PNG or SVG tile icon, small enough that every user's
	// list of applications stays light.
	MaxIconDataURL = 48 << 10
)

// PortalStartURL checks the URL a portal tile opens: an absolute https
// URL, or http on a loopback host (development), without user info or
// whitespace. Anything else (javascript:, data:, relative URLs) would let
// a tile run script in the portal or send users somewhere unexpected.
func PortalStartURL(s string) error {
	if s == "" {
		return ErrRequired
	}
	if len(s) > MaxPortalURL {
		return ErrTooLong
	}
	if !webURL(s, true) {
		return ErrFormat
	}
	return nil
}

// PortalIconURL checks a tile icon: an absolute https URL, or a base64
// data: URL of a PNG or SVG image of at most MaxIconDataURL bytes. An SVG
// shown through <img> runs no script.
func PortalIconURL(s string) error {
	if s == "" {
		return ErrRequired
	}
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		if len(s) > MaxIconDataURL {
			return ErrTooLong
		}
		mediaType, data, ok := strings.Cut(rest, ",")
		if !ok {
			return ErrFormat
		}
		switch strings.ToLower(mediaType) {
		case "image/png;base64", "image/svg+xml;base64":
		default:
			return ErrFormat
		}
		if _, err := base64.StdEncoding.DecodeString(data); err != nil || data == "" {
			return ErrFormat
		}
		return nil
	}
	if len(s) > MaxPortalURL {
		return ErrTooLong
	}
	if !webURL(s, false) {
		return ErrFormat
	}
	return nil
}

// webURL reports whether s is an absolute https URL (or, with loopback,
// an http URL on localhost, 127.0.0.1 or [::1]) with a host and no user
// info, whitespace or control characters.
func webURL(s string, loopback bool) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		h := u.Hostname()
		return loopback && (h == "localhost" || h == "127.0.0.1" || h == "::1")
	}
	return false
}
