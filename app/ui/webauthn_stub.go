//go:build !(js && wasm)

package ui

// Create implements WebAuthn outside a browser: there is no authenticator.
func (jsWebAuthn) Create(string) (string, error) { return "", errNoWebAuthn }

// Get implements WebAuthn outside a browser: there is no authenticator.
func (jsWebAuthn) Get(string) (string, error) { return "", errNoWebAuthn }

// Origin implements WebAuthn outside a browser.
func (jsWebAuthn) Origin() string { return "" }

var errNoWebAuthn = &webAuthnError{Name: "NotSupportedError", Message: "no WebAuthn outside a browser"}
