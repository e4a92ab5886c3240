// Package promise waits for JavaScript promises from Go in the PWA (the
// browser's fetch, WebAuthn's navigator.credentials), so each caller keeps
// only how it reads a rejection. It builds for js only; this file gives
// the package its documentation on every platform.
package promise
