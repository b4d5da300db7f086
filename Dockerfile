# syntax=docker/dockerfile:1
#
# The portfolio SSH server for Fly.io (see fly.toml and the README, "Deploy on Fly.io").
# tools/deploy checks this file against fly.toml and the server's settings.

# Build: one static binary. No cgo (the final image has no libc), no local
# paths (-trimpath), no symbol tables (-s -w).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/portfolio ./cmd/portfolio

# Run: distroless static has no shell and no package manager; its nonroot
# user is uid/gid 65532, named here by number so a runtime that checks for a
# non-root user can see it without reading /etc/passwd.
# No host key is copied in or generated: it comes from the PORTFOLIO_HOST_KEY
# secret, the same on every machine and every deploy. Generation is off, so
# a machine started without the secret exits with an error naming it.
# Messages go to SQLite at /data, where fly.toml mounts a volume (without one
# the file would vanish with the machine); a PostgreSQL URL secret replaces it.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portfolio /usr/local/bin/portfolio
USER 65532:65532
ENV PORTFOLIO_ADDR=:2222 \
    PORTFOLIO_HTTP_ADDR=:9091 \
    PORTFOLIO_DATABASE=/data/portfolio.db \
    PORTFOLIO_HOST_KEY_GENERATE=false \
    PORTFOLIO_LOG_FORMAT=json
# 2222: SSH (Fly maps public port 22 here). 9091: /healthz and /metrics,
# reached only over Fly's private network.
EXPOSE 2222 9091
# The server drains sessions on SIGTERM; fly.toml's kill_signal agrees.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/portfolio"]
