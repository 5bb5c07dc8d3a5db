#!/usr/bin/env bash
# Runs the Dockerfile's build steps without a Docker engine and checks what the
# image promises: a static CGO_ENABLED=0 binary, a server that runs as the
# non-root uid 65532 with its database in a /data-like volume directory, and a
# health check that needs no shell tools (`kefuboard healthcheck`).
#   scripts/docker-build-check.sh        (CI runs it from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "docker-build-check: $*" >&2; exit 1; }

# 1. The Dockerfile still says what this script mirrors.
build_line='go build -trimpath -ldflags="-s -w" -o /out/kefuboard ./cmd/kefuboard'
for want in \
  "$build_line" \
  'ENV CGO_ENABLED=0' \
  'FROM gcr.io/distroless/static-debian12:nonroot' \
  'USER 65532:65532' \
  'COPY --from=build --chown=65532:65532 /out/data /data' \
  'ENV KEFUBOARD_DB=/data/kefuboard.db' \
  'KEFUBOARD_ADDR=:8080' \
  'VOLUME /data' \
  'EXPOSE 8080' \
  'CMD ["/kefuboard", "healthcheck"]' \
  'ENTRYPOINT ["/kefuboard"]' \
  'CMD ["serve"]'; do
  grep -qF -- "$want" Dockerfile || fail "Dockerfile lacks: $want"
done
grep -qF 'kefuboard-data:/data' docker-compose.yml || fail "docker-compose.yml does not mount a volume on /data"
grep -qF 'restart: unless-stopped' docker-compose.yml || fail "docker-compose.yml has no restart policy"

# 2. The build stage, as in the Dockerfile.
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/out"
echo "== build: CGO_ENABLED=0 $build_line"
CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags="-s -w" -o "$tmp/out/kefuboard" ./cmd/kefuboard
mkdir -p "$tmp/out/data"
bin="$tmp/out/kefuboard"
ls -l "$bin" | awk '{print "   " $5 " bytes"}'

# 3. Static: distroless/static has no libc, so the binary must not need one.
info=$(go version -m "$bin")
grep -qE '^\s+build\s+CGO_ENABLED=0$' <<<"$info" || fail "binary not built with CGO_ENABLED=0: $info"
grep -qE '^\s+build\s+-trimpath=true$' <<<"$info" || fail "binary not built with -trimpath"
if command -v file >/dev/null; then
  f=$(file -b "$bin")
  grep -q 'statically linked' <<<"$f" || fail "not statically linked: $f"
  echo "   file: $f"
fi
if command -v ldd >/dev/null; then
  if ldd "$bin" >/dev/null 2>&1; then fail "ldd finds dynamic libraries: $(ldd "$bin")"; fi
fi
if command -v readelf >/dev/null && readelf -l "$bin" | grep -q INTERP; then
  fail "binary has an ELF interpreter (dynamic)"
fi
echo "   static: ok"

# 4. Run it as the image does: uid/gid 65532 when we can switch user (root),
# the environment of the image only, the database in a fresh /data-like
# directory owned by that user, working directory /data.
data="$tmp/data"
cp -a "$tmp/out/data" "$data"
as=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || fail "running as root needs setpriv (util-linux) to drop to uid 65532"
  chown 65532:65532 "$data"
  as=(setpriv --reuid=65532 --regid=65532 --clear-groups)
  who="uid 65532"
else
  who="uid $(id -u) (not root: cannot switch to 65532)"
fi
port=
for p in $(seq 18180 18230); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free port"
image_env=(env -i KEFUBOARD_DB="$data/kefuboard.db" KEFUBOARD_ADDR="127.0.0.1:$port")
run() { (cd "$data" && exec "${as[@]}" "${image_env[@]}" "$bin" "$@"); }

echo "== serve as $who, KEFUBOARD_DB=$data/kefuboard.db, port $port"
(cd "$data" && exec "${as[@]}" "${image_env[@]}" "$bin" serve) >"$tmp/serve.log" 2>&1 &
pid=$!
ok=
for _ in $(seq 100); do
  if run healthcheck >/dev/null 2>&1; then ok=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
[ -n "$ok" ] || { cat "$tmp/serve.log" >&2; fail "healthcheck never succeeded"; }
echo "   healthcheck: $(run healthcheck)"
# A fresh install leads to the first-run page (GET /login redirects to /setup).
run healthcheck --url "http://127.0.0.1:$port/login" >/dev/null || fail "GET /login (→ /setup) failed on a fresh database"
[ -s "$data/kefuboard.db" ] || fail "no database in the data directory"
owner=$(stat -c %u "$data/kefuboard.db")
if [ "$(id -u)" = 0 ] && [ "$owner" != 65532 ]; then fail "database owned by uid $owner, want 65532"; fi
uid=$(awk '/^Uid:/{print $2}' "/proc/$pid/status")
if [ "$(id -u)" = 0 ] && [ "$uid" != 65532 ]; then fail "serve runs as uid $uid, want 65532"; fi
echo "   database: $(stat -c '%s bytes, uid %u' "$data/kefuboard.db")"

# 5. SIGTERM (docker stop) shuts down cleanly, and the health check then fails.
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=
[ "$code" = 0 ] || { cat "$tmp/serve.log" >&2; fail "serve exited with $code on SIGTERM"; }
if run healthcheck >/dev/null 2>&1; then fail "healthcheck succeeded with the server stopped"; fi
echo "   SIGTERM: clean exit; healthcheck fails when down: ok"
echo "docker-build-check: ok"
