#!/usr/bin/env bash
# Page-serving benchmark for docs/PERFORMANCE.md (issues 3, 9 and 10):
#   scripts/perf-web.sh [DIR] [DAYS] [AGENTS] [CHATS]
# Defaults: one year of a 10-agent shop at 150 chats per agent-day (~5M messages).
# Imports it (once; re-runs reuse DIR/web.db), serves it, signs in, and runs hey
# with 16 concurrent clients against the overview, the league table, the targets,
# alerts, Douyin-score and work-queue pages and a small
# static file. Needs: go (installs hey v0.1.5 into DIR/bin), curl.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/kefuboard-perf-web}
days=${2:-365}; agents=${3:-10}; chats=${4:-150}
mkdir -p "$dir"
CGO_ENABLED=0 go build -o "$dir/kefuboard" ./cmd/kefuboard
GOBIN="$dir/bin" go install github.com/rakyll/hey@v0.1.5
bin="$dir/kefuboard"; db="$dir/web.db"; hey="$dir/bin/hey"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
if [ ! -s "$db" ]; then
  echo "== generate $days days × $agents agents × $chats chats/agent-day"
  "$bin" demo --out "$dir/demo" --days "$days" --agents "$agents" --chats "$chats" --seed 1 --shop perf | sed -n 1p
  echo "== import"
  /usr/bin/time -f "   wall %e s, peak RSS %M KB" "$bin" import --db "$db" --shop perf --platform pdd "$dir"/demo/* 2>&1 | grep -v '^导入 ' || true
  printf 'perf-password-1\n' | "$bin" user add --db "$db" --name perf --role owner >/dev/null
fi
echo "== database: $(du -h "$db" | cut -f1), $(sqlite3 "$db" 'select count(*) from messages' 2>/dev/null || echo '?') messages"
port=18089
"$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>"$dir/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
jar="$dir/cookies.txt"; rm -f "$jar"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "username=perf" \
  --data-urlencode "password=perf-password-1" "http://127.0.0.1:$port/login"
cookie="kefuboard_session=$(awk '$6=="kefuboard_session"{print $7}' "$jar")"
run() { # name url
  echo "== $1: $2"
  "$hey" -z 20s -c 16 -H "Cookie: $cookie" "$2" | grep -E 'Requests/sec|Average|50%|95%|99%|Status code|\[[0-9]+\]' | sed 's/^/   /'
}
base="http://127.0.0.1:$port"
curl -s -o /dev/null -w "   first overview (cold): %{http_code} in %{time_total}s\n" -b "$cookie" "$base/?p=30d"
run "overview, 30 days" "$base/?p=30d"
run "overview, 7 days" "$base/?p=7d"
run "league, 30 days" "$base/league?p=30d"
run "targets, 30 days" "$base/targets?p=30d"
run "alerts, 30 days" "$base/alerts?p=30d"
run "douyin score, 30 days" "$base/douyin?p=30d"
run "cases (bad-review queue)" "$base/cases?p=30d"
run "invites (invitation queue)" "$base/invites?p=30d"
run "risks, 30 days" "$base/risks?p=30d"
run "static file (app.js)" "$base/static/js/app.js"
