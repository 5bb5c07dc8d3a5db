#!/usr/bin/env bash
# Customer pages under load for docs/PERFORMANCE.md (issue 11):
#   scripts/perf-customers.sh [DIR]
# Uses the database scripts/perf-web.sh builds in DIR (default
# /tmp/kefuboard-perf-web: a year of a 10-agent shop, ~5M messages, ~220k
# buyers with a paid order). The first start of this version on it builds the
# customer records (timed). Then hey with 16 clients against the list (page 1
# and page 500, sorted and filtered), a record and the care calendar.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/kefuboard-perf-web}
db="$dir/web.db"
[ -s "$db" ] || { echo "run scripts/perf-web.sh $dir first" >&2; exit 1; }
CGO_ENABLED=0 go build -o "$dir/kefuboard" ./cmd/kefuboard
GOBIN="$dir/bin" go install github.com/rakyll/hey@v0.1.5
bin="$dir/kefuboard"; hey="$dir/bin/hey"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
echo "== open (builds the records on the first start of this version)"
/usr/bin/time -f "   wall %e s, peak RSS %M KB" "$bin" customers --db "$db" --shop perf --json 2>&1 >/dev/null | tail -1
echo "== customers --json (all buyers with a paid order, computed from the orders)"
/usr/bin/time -f "   wall %e s, peak RSS %M KB" "$bin" customers --db "$db" --shop perf --json 2>&1 >/dev/null | tail -1
echo "   $("$bin" customers --db "$db" --shop perf --json | grep -c '"buyer"') customers"
port=18090
"$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>"$dir/serve-customers.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
jar="$dir/cookies.txt"; rm -f "$jar"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "username=perf" \
  --data-urlencode "password=perf-password-1" "http://127.0.0.1:$port/login"
cookie="kefuboard_session=$(awk '$6=="kefuboard_session"{print $7}' "$jar")"
base="http://127.0.0.1:$port"
cold() { curl -s -o /dev/null -w "   cold $1: %{http_code} in %{time_total}s\n" -b "$cookie" "$base$1"; }
run() { # url
  echo "== $1"
  "$hey" -z 15s -c 16 -H "Cookie: $cookie" "$base$1" | grep -E 'Requests/sec|50%|95%|99%|\[[0-9]+\]' | sed 's/^/   /'
}
for u in "/customers" "/customers?page=500" "/customers?sort=recency&dir=asc&page=500" "/customers?sort=orders&dir=desc" \
  "/customers?sort=buyer&dir=asc&page=500" "/customers?segment=champion&sort=last_paid" "/customers?q=5678" "/customers?tab=prospects&page=500" "/care"; do
  cold "$u"
done
run "/customers"
run "/customers?page=500"
run "/customers?sort=recency&dir=asc&page=500"
run "/customers?segment=winback&sort=spend&dir=asc&page=20"
run "/customers?q=5678"
run "/care"
echo "   (the memo serves a repeated URL; the cold lines above are the first request of each after start)"
