package apiclient

import (
	"context"
	"errors"
	"strings"
)

// ErrNetwork marks a request that never got an HTTP answer (offline, DNS,
// connection refused, CORS): the UI shows its offline state for these and
// its error state for everything else.
var ErrNetwork = errors.New("network unreachable")

// IsNetwork reports whether err is a network failure rather than an answer.
func IsNetwork(err error) bool { return errors.Is(err, ErrNetwork) }

// Request is one HTTP request as the client builds it. Header names are
// canonical ("Content-Type").
type Request struct {
	Method string
	URL    string
	Header map[string]string
	Body   []byte
}

// Response is one HTTP answer. Header names are lower-cased so lookups do
// not depend on how a transport reports them.
type Response struct {
	Status int
	Header map[string]string
	Body   []byte
}

// Get returns the value of a response header, case-insensitively.
func (r Response) Get(name string) string { return r.Header[strings.ToLower(name)] }

// Transport sends one request. In the browser it is fetch (see
// transport_js.go); on the host it is net/http (transport_host.go), so host
// tests run the same Client against httptest. A Transport returns an error
// wrapping ErrNetwork when no answer arrived, and a Response (any status)
// otherwise.
type Transport interface {
	Do(ctx context.Context, req Request) (Response, error)
}
