package valid

import (
	"errors"
	"strings"
	"testing"
)

func TestPortalStartURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{name: "https", in: "https://app.example.com/login", want: nil},
		{name: "localhost", in: "http://localhost:3000/", want: nil},
		{name: "loopback_ip", in: "http://127.0.0.1:8080/start", want: nil},
		{name: "empty", in: "", want: ErrRequired},
		{name: "plain_http", in: "http://app.example.com/", want: ErrFormat},
		{name: "javascript", in: "javascript:alert(1)", want: ErrFormat},
		{name: "javascript_slashes", in: "javascript://example.com/%0aalert(1)", want: ErrFormat},
		{name: "data", in: "data:text/html;base64,PHA+", want: ErrFormat},
		{name: "relative", in: "/somewhere", want: ErrFormat},
		{name: "user_info", in: "https://user:pw@app.example.com/", want: ErrFormat},
		{name: "space", in: "https://app.example.com/a b", want: ErrFormat},
		{name: "too_long", in: "https://app.example.com/" + strings.Repeat("a", MaxPortalURL), want: ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PortalStartURL(tt.in); !errors.Is(got, tt.want) {
				t.Fatalf("PortalStartURL(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPortalIconURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{name: "https", in: "https://cdn.example.com/icon.png", want: nil},
		{name: "png", in: "data:image/png;base64,iVBORw0KGgo=", want: nil},
		{name: "svg", in: "data:image/svg+xml;base64,PHN2Zy8+", want: nil},
		{name: "http", in: "http://cdn.example.com/icon.png", want: ErrFormat},
		{name: "localhost_icon", in: "http://localhost/icon.png", want: ErrFormat},
		{name: "html_data", in: "data:text/html;base64,PHA+", want: ErrFormat},
		{name: "not_base64", in: "data:image/png;base64,@@@", want: ErrFormat},
		{name: "svg_plain", in: "data:image/svg+xml,<svg/>", want: ErrFormat},
		{name: "javascript", in: "javascript:alert(1)", want: ErrFormat},
		{name: "oversized", in: "data:image/png;base64," + strings.Repeat("A", MaxIconDataURL), want: ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PortalIconURL(tt.in); !errors.Is(got, tt.want) {
				t.Fatalf("PortalIconURL(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
