#!/usr/bin/env bash
# Re-fetches the vendored front-end libraries from the npm registry into
# static/vendor (they are committed, so builds and CI need no network).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack echarts@5.6.0 htmx.org@2.0.4 >/dev/null)
tar xzf "$tmp/echarts-5.6.0.tgz" -C "$tmp" package/dist/echarts.min.js
cp "$tmp/package/dist/echarts.min.js" static/vendor/echarts-5.6.0.min.js
tar xzf "$tmp/htmx.org-2.0.4.tgz" -C "$tmp" package/dist/htmx.min.js
cp "$tmp/package/dist/htmx.min.js" static/vendor/htmx-2.0.4.min.js
sha256sum static/vendor/*
