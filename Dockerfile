# syntax=docker/dockerfile:1
# kefuboard — 客服绩效看板: one static Go binary (no cgo: the SQLite driver is pure
# Go) on a distroless base, running as the non-root user 65532, its database in
# the /data volume.
#
#   docker build -t kefuboard .
#   docker run -d -p 8080:8080 -v kefuboard-data:/data kefuboard
#
# The build steps below are mirrored by scripts/docker-build-check.sh, which CI
# runs without a Docker engine: keep the two in step.

FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/kefuboard ./cmd/kefuboard \
 && mkdir -p /out/data

# distroless/static: CA certificates, /etc/passwd with nonroot (65532), no shell.
# Time zones come from the binary itself (time/tzdata).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kefuboard /kefuboard
# A new named volume starts as a copy of this directory, owned by nonroot.
COPY --from=build --chown=65532:65532 /out/data /data
ENV KEFUBOARD_DB=/data/kefuboard.db \
    KEFUBOARD_ADDR=:8080
WORKDIR /data
VOLUME /data
EXPOSE 8080
USER 65532:65532
# No shell or curl in the image: the binary checks GET /healthz itself.
# The start period covers `serve --demo`, which imports the demo shop before it listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=1m --retries=3 \
    CMD ["/kefuboard", "healthcheck"]
ENTRYPOINT ["/kefuboard"]
CMD ["serve"]
