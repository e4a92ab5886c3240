//go:build js && wasm

package ui

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/myaccount/myaccount/app/promise"
)

// The WebAuthn interop: navigator.credentials.create and .get. The server
// speaks the WebAuthn JSON forms (binary members base64url); the browser
// API wants ArrayBuffers in and gives ArrayBuffers out, so this file
// converts both ways and nothing else. Both calls block their goroutine
// until the browser's prompt ends: callers run them under ctx.Async.

var b64url = base64.RawURLEncoding

// Create implements WebAuthn with navigator.credentials.create.
func (jsWebAuthn) Create(options string) (string, error) {
	return ceremony(options, "create", "creation options", "excludeCredentials", func(pk js.Value) error {
		if user := pk.Get("user"); user.Truthy() {
			return binary(user, "id")
		}
		return nil
	}, func(resp js.Value, r map[string]any) {
		r["attestationObject"] = encode(resp.Get("attestationObject"))
		if resp.Get("getTransports").Type() == js.TypeFunction {
			var ts []string
			list := resp.Call("getTransports")
			for i := range list.Length() {
				ts = append(ts, list.Index(i).String())
			}
			r["transports"] = ts
		}
	})
}

// Get implements WebAuthn with navigator.credentials.get.
func (jsWebAuthn) Get(options string) (string, error) {
	return ceremony(options, "get", "request options", "allowCredentials", nil, func(resp js.Value, r map[string]any) {
		r["authenticatorData"] = encode(resp.Get("authenticatorData"))
		r["signature"] = encode(resp.Get("signature"))
		if uh := resp.Get("userHandle"); uh.Truthy() {
			r["userHandle"] = encode(uh)
		}
	})
}

// ceremony is what create and get share: it turns the server's options
// (named what in errors) into the browser's form (the challenge, the ids
// of the credential descriptors listed in ids, and what prepare converts
// besides), calls navigator.credentials[method], and writes the credential
// back as WebAuthn JSON, the response's members beyond clientDataJSON
// added by response.
func ceremony(options, method, what, ids string, prepare func(pk js.Value) error,
	response func(resp js.Value, r map[string]any)) (string, error) {
	var o map[string]any
	if err := json.Unmarshal([]byte(options), &o); err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	pk := js.ValueOf(o)
	if err := binary(pk, "challenge"); err != nil {
		return "", err
	}
	if prepare != nil {
		if err := prepare(pk); err != nil {
			return "", err
		}
	}
	if err := binaryIDs(pk.Get(ids)); err != nil {
		return "", err
	}
	cred, err := credentials(method, pk)
	if err != nil {
		return "", err
	}
	resp := cred.Get("response")
	out := credentialJSON(cred)
	r := map[string]any{"clientDataJSON": encode(resp.Get("clientDataJSON"))}
	response(resp, r)
	out["response"] = r
	b, err := json.Marshal(out)
	return string(b), err
}

// Origin implements WebAuthn: the page's origin, which the client data
// carries too.
func (jsWebAuthn) Origin() string { return app.Window().Get("location").Get("origin").String() }

// credentials calls navigator.credentials[method]({publicKey}) and waits.
func credentials(method string, publicKey js.Value) (js.Value, error) {
	c := js.Global().Get("navigator").Get("credentials")
	if !c.Truthy() || !js.Global().Get("PublicKeyCredential").Truthy() {
		return js.Value{}, &webAuthnError{Name: "NotSupportedError", Message: "no WebAuthn in this browser"}
	}
	opts := js.Global().Get("Object").New()
	opts.Set("publicKey", publicKey)
	return await(c.Call(method, opts))
}

// credentialJSON is the PublicKeyCredential's members outside response.
func credentialJSON(cred js.Value) map[string]any {
	out := map[string]any{"id": cred.Get("id").String(), "rawId": encode(cred.Get("rawId")), "type": cred.Get("type").String(),
		"clientExtensionResults": map[string]any{}}
	if a := cred.Get("authenticatorAttachment"); a.Type() == js.TypeString {
		out["authenticatorAttachment"] = a.String()
	}
	if cred.Get("getClientExtensionResults").Type() == js.TypeFunction {
		var ext map[string]any
		s := js.Global().Get("JSON").Call("stringify", cred.Call("getClientExtensionResults")).String()
		if json.Unmarshal([]byte(s), &ext) == nil && ext != nil {
			out["clientExtensionResults"] = ext
		}
	}
	return out
}

// binary replaces obj[name], a base64url string, with its bytes.
func binary(obj js.Value, name string) error {
	v := obj.Get(name)
	if v.Type() != js.TypeString {
		return nil
	}
	b, err := b64url.DecodeString(v.String())
	if err != nil {
		return fmt.Errorf("%s is not base64url: %w", name, err)
	}
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	obj.Set(name, arr)
	return nil
}

// binaryIDs converts the id of each credential descriptor in list.
func binaryIDs(list js.Value) error {
	if !list.Truthy() {
		return nil
	}
	for i := range list.Length() {
		if err := binary(list.Index(i), "id"); err != nil {
			return err
		}
	}
	return nil
}

// encode is the base64url of an ArrayBuffer (or view).
func encode(buf js.Value) string {
	if !buf.Truthy() {
		return ""
	}
	arr := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, arr.Length())
	js.CopyBytesToGo(b, arr)
	return b64url.EncodeToString(b)
}

// await blocks the calling goroutine (never the UI one) until p settles; a
// rejection becomes a webAuthnError with the DOMException's name.
func await(p js.Value) (js.Value, error) {
	return promise.Await(p, func(reason js.Value) error {
		e := &webAuthnError{Name: "Error", Message: reason.String()}
		if reason.Type() == js.TypeObject {
			e.Name, e.Message = reason.Get("name").String(), reason.Get("message").String()
		}
		return e
	})
}
