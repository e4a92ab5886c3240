//go:build js

package apiclient

import (
	"context"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/myaccount/myaccount/app/promise"
)

// FetchTransport sends requests with the browser's fetch. Cookies go along
// for same-origin requests only (the hosted sign-on's flow cookie), and
// responses are never served from the HTTP cache. Going through fetch
// rather than net/http keeps about 5 MB of HTTP client out of app.wasm.
type FetchTransport struct{}

// DefaultTransport is the browser's fetch.
func DefaultTransport() Transport { return FetchTransport{} }

// Do implements Transport.
func (FetchTransport) Do(ctx context.Context, req Request) (Response, error) {
	headers := js.Global().Get("Headers").New()
	for k, v := range req.Header {
		headers.Call("set", k, v)
	}
	opts := js.Global().Get("Object").New()
	opts.Set("method", req.Method)
	opts.Set("headers", headers)
	opts.Set("credentials", "same-origin")
	opts.Set("cache", "no-store")
	if req.Body != nil {
		body := js.Global().Get("Uint8Array").New(len(req.Body))
		js.CopyBytesToJS(body, req.Body)
		opts.Set("body", body)
	}
	abort := js.Global().Get("AbortController").New()
	opts.Set("signal", abort.Get("signal"))
	stop := context.AfterFunc(ctx, func() { abort.Call("abort") })
	defer stop()

	res, err := await(js.Global().Call("fetch", req.URL, opts))
	if err != nil {
		// fetch rejects only when no answer arrived.
		return Response{}, fmt.Errorf("%s %s: %w: %s", req.Method, req.URL, ErrNetwork, err)
	}
	out := Response{Status: res.Get("status").Int(), Header: map[string]string{}}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		out.Header[strings.ToLower(args[1].String())] = args[0].String()
		return nil
	})
	res.Get("headers").Call("forEach", each)
	each.Release()

	buf, err := await(res.Call("arrayBuffer"))
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: read body: %w: %s", req.Method, req.URL, ErrNetwork, err)
	}
	arr := js.Global().Get("Uint8Array").New(buf)
	out.Body = make([]byte, arr.Get("length").Int())
	js.CopyBytesToGo(out.Body, arr)
	return out, nil
}

// await waits for a promise; a rejection is a jsError.
func await(p js.Value) (js.Value, error) {
	return promise.Await(p, func(reason js.Value) error { return jsError{reason} })
}

// jsError carries a rejected promise's reason.
type jsError struct{ v js.Value }

func (e jsError) Error() string {
	if e.v.Type() == js.TypeObject {
		if m := e.v.Get("message"); m.Type() == js.TypeString {
			return m.String()
		}
	}
	return e.v.String()
}
