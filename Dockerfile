# syntax=docker/dockerfile:1
#
# MyAccount as one static binary plus its PWA assets.
#   docker build -t myaccount .
#   docker run -p 8080:8080 -v myaccount-data:/data myaccount
# The build stage runs the same Makefile targets as a developer does.

FROM golang:1.26-bookworm AS build
WORKDIR /src

# Modules first, so editing code does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .
# wasm: assets/web/app.wasm (+ .br and .gz via server/cmd/precompress);
# server: bin/myaccount, static (CGO_ENABLED=0, pure-Go SQLite).
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    make wasm server \
 && mkdir -p /out/data

# distroless static: no shell, no package manager, runs as uid 65532 "nonroot".
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /src/bin/myaccount /app/myaccount
COPY --from=build /src/assets /app/assets
# An empty /data owned by nonroot: a fresh named volume copies this ownership,
# so the server can create its SQLite file and keys there.
COPY --from=build --chown=65532:65532 /out/data /data

ENV DATA_DIR=/data \
    ASSETS_DIR=/app/assets \
    ADDR=:8080
VOLUME /data
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/app/myaccount"]
CMD ["serve"]
