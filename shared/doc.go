// Package shared holds nothing itself; its sub-packages carry the API contract
// (resource types, error codes, scopes, route paths and validation) that both
// the PWA (compiled to WebAssembly) and the server import. Keep everything
// under shared/ free of Fiber, the Mongo driver, SQLite and testing helpers:
// a test checks the wasm build's dependency list.
package shared
