//go:build !js

package apiclient

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// HTTPTransport sends requests with net/http. It exists for host tests and
// host tools; the wasm build uses FetchTransport instead.
type HTTPTransport struct {
	// Client defaults to http.DefaultClient. Give it a cookie jar to carry
	// the flow cookie the way a browser does.
	Client *http.Client
}

// DefaultTransport is net/http's default client on the host.
func DefaultTransport() Transport { return HTTPTransport{} }

// Do implements Transport.
func (t HTTPTransport) Do(ctx context.Context, req Request) (Response, error) {
	c := t.Client
	if c == nil {
		c = http.DefaultClient
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return Response{}, fmt.Errorf("build request: %w", err)
	}
	for k, v := range req.Header {
		hr.Header.Set(k, v)
	}
	res, err := c.Do(hr)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: %w: %v", req.Method, req.URL, ErrNetwork, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: read body: %w: %v", req.Method, req.URL, ErrNetwork, err)
	}
	out := Response{Status: res.StatusCode, Header: make(map[string]string, len(res.Header)), Body: b}
	for k := range res.Header {
		out.Header[strings.ToLower(k)] = res.Header.Get(k)
	}
	return out, nil
}
