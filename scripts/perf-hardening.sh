#!/usr/bin/env bash
# Pages under import load, and server memory on zip bombs (docs/PERFORMANCE.md, issue 8):
#   scripts/perf-hardening.sh [DIR]
# Uses DIR/demo/messages.csv of scripts/perf.sh (~1M messages; generated if missing).
# Serves a copy of a year's database, signs in, and measures the overview and the
# league (hey, 16 clients) while (1) a command-line import of the 1M messages and
# (2) an import uploaded through the web page run; then uploads three 1 MB xlsx
# bombs and reads the server's peak RSS after each.
# Needs: go (installs hey v0.1.5), curl, python3, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/kefuboard-perf}
mkdir -p "$dir"
CGO_ENABLED=0 go build -o "$dir/kefuboard" ./cmd/kefuboard
GOBIN="$dir/bin" go install github.com/rakyll/hey@v0.1.5
bin="$dir/kefuboard"; hey="$dir/bin/hey"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
if [ ! -s "$dir/demo/messages.csv" ]; then
  "$bin" demo --out "$dir/demo" --days 365 --agents 10 --chats 30 --seed 1 | sed -n 1p
fi
work="$dir/hardening"; rm -rf "$work"; mkdir -p "$work"
db="$work/k.db"
echo "== base database: one year of orders and a month of chats for shop 'perf'"
"$bin" import --db "$db" --shop perf --platform pdd "$dir/demo/orders.csv" >/dev/null
head -c 3000000 "$dir/demo/messages.csv" > "$work/month.csv"
"$bin" import --db "$db" --shop perf "$work/month.csv" >/dev/null || true
printf 'perf-password-2026\n' | "$bin" user add --db "$db" --name perf --role owner >/dev/null
port=18090; base="http://127.0.0.1:$port"; pid=
trap 'kill $pid 2>/dev/null || true' EXIT
start() { # a fresh server process, signed in: $cookie and $token
  [ -n "$pid" ] && kill "$pid" && wait "$pid" 2>/dev/null || true
  "$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>>"$work/serve.log" &
  pid=$!
  for i in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
  jar="$work/cookies.txt"; rm -f "$jar"
  csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "username=perf" \
    --data-urlencode "password=perf-password-2026" "$base/login"
  cookie="kefuboard_session=$(awk '$6=="kefuboard_session"{print $7}' "$jar")"
  token=$(curl -s -b "$cookie" "$base/import" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
}
start
load() { # label
  for page in "/?p=30d" "/league?p=30d"; do
    echo "   $1 — $page"
    "$hey" -z 15s -c 16 -H "Cookie: $cookie" "$base$page" | grep -E 'Requests/sec|95%|99%|Status code|\[[0-9]+\]' | sed 's/^/     /'
  done
}
echo "== pages, idle"
load "idle"
echo "== pages while a command-line import of $(wc -l < "$dir/demo/messages.csv") lines runs (shop perf2)"
/usr/bin/time -f "   CLI import: wall %e s, peak RSS %M KB" "$bin" import --db "$db" --shop perf2 "$dir/demo/messages.csv" \
  > "$work/cli-import.log" 2>"$work/cli-import.err" &
ipid=$!
sleep 2
load "during CLI import"
wait $ipid || true
tail -1 "$work/cli-import.err"
echo "== pages while an import uploaded through the web page runs (shop perf3)"
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$cookie" -H "X-CSRF-Token: $token" \
  -F shop=new -F new_shop=perf3 -F platform=pdd -F tz=Asia/Shanghai -F "files=@$dir/demo/messages.csv" "$base/import/preview")
staging=${loc##*/}
job=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$cookie" --data-urlencode "_csrf=$token" \
  --data-urlencode "staging=$staging" --data-urlencode "include_0=1" "$base/import/commit")
echo "   job: $job"
load "during web import"
for i in $(seq 600); do
  curl -s -b "$cookie" "$job/progress" | grep -q 'data-testid="import-report"' && break; sleep 1
done
echo "   web import done"
echo "== zip bombs: server peak RSS (VmHWM) after each upload"
python3 - "$dir/demo/refunds.xlsx" "$work" <<'PY'
import sys, zipfile
base, out = sys.argv[1], sys.argv[2]
def bomb(name, part, head, fill, n, tail):
    src = zipfile.ZipFile(base)
    with zipfile.ZipFile(f"{out}/{name}.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            if i.filename != part:
                z.writestr(i, src.read(i.filename))
        with z.open(part, "w", force_zip64=True) as w:
            w.write(head)
            chunk = fill * (1 << 16)
            for _ in range(n // len(chunk)):
                w.write(chunk)
            w.write(tail)
ws = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
bomb("shared-string", "xl/sharedStrings.xml", b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>', b"a", 900 << 20, b"</t></si></sst>")
bomb("inline-cell", "xl/worksheets/sheet1.xml", ws, b"b", 900 << 20, b"</t></is></c></row></sheetData></worksheet>")
bomb("whitespace", "xl/worksheets/sheet1.xml", ws + b"x</t></is></c>", b" ", 900 << 20, b"</row></sheetData></worksheet>")
PY
for b in shared-string inline-cell whitespace; do
  start # a new process, so its peak RSS is this bomb's
  size=$(stat -c %s "$work/$b.xlsx")
  start=$(date +%s.%N)
  code=$(curl -s -o "$work/$b.html" -w '%{http_code}' -b "$cookie" -H "X-CSRF-Token: $token" \
    -F shop=new -F new_shop=bomb -F platform=pdd -F tz=Asia/Shanghai -F "files=@$work/$b.xlsx" "$base/import/preview")
  took=$(echo "$(date +%s.%N) - $start" | bc)
  echo "   $b.xlsx ($((size / 1024)) KB): HTTP $code in ${took}s, server $(grep VmHWM /proc/$pid/status | tr -s ' ')"
done
