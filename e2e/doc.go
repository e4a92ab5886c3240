// Package e2e holds the end-to-end tests: the real server binary, started
// as a process on the embedded SQLite database with a loopback SMTP
// receiver, driven by a real Chromium through chromedp (the PWA's sign-on,
// MyAccount, reload, sign-off and offline shell) and by plain HTTP (two
// server processes sharing one database file). Run them with `make test`,
// which builds app.wasm and installs Chromium first.
//
// Screenshots of each page go to e2e/out/<TestName>/ (git-ignored).
package e2e
