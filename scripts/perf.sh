#!/usr/bin/env bash
# Reproducible import/report benchmark for docs/PERFORMANCE.md.
#   scripts/perf.sh [DIR] [DAYS] [AGENTS] [CHATS]
# Defaults generate ~1,000,000 messages (365 days, 10 agents, 30 chats per agent-day).
# Needs: go, /usr/bin/time (GNU time, package "time"), sqlite3 (package "sqlite3").
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/kefuboard-perf}
days=${2:-365}; agents=${3:-10}; chats=${4:-30}
mkdir -p "$dir"
CGO_ENABLED=0 go build -o "$dir/kefuboard" ./cmd/kefuboard
bin="$dir/kefuboard"; db="$dir/perf.db"
rm -f "$db" "$db"-wal "$db"-shm
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== generate: $days days, $agents agents, $chats chats/agent-day"
"$bin" demo --out "$dir/demo" --days "$days" --agents "$agents" --chats "$chats" --seed 1 | sed -n 1p
ls -l "$dir/demo"
timed() { /usr/bin/time -f "   wall %e s, user %U s, sys %S s, peak RSS %M KB" "$@"; }
echo "== import all six files (one command)"
timed "$bin" import --db "$db" --shop perf --platform pdd "$dir/demo/messages.csv" "$dir/demo/orders.csv" \
  "$dir/demo/refunds.xlsx" "$dir/demo/reviews.csv" "$dir/demo/complaints.csv" "$dir/demo/customers.csv"
echo "== import messages.csv alone into a fresh database"
rm -f "$dir/m.db"*
timed "$bin" import --db "$dir/m.db" --shop perf "$dir/demo/messages.csv"
echo "== re-import messages.csv (all unchanged)"
timed "$bin" import --db "$dir/m.db" --shop perf "$dir/demo/messages.csv"
last=$(sqlite3 "$db" "select max(day) from daily_stats")
lastday=$(date -u -d "@$((last*86400))" +%F)
firstday=$(date -u -d "@$(((last-days+1)*86400))" +%F)
weekday=$(date -u -d "@$(((last-6)*86400))" +%F)
echo "== report whole period $firstday..$lastday (5 runs)"
for i in 1 2 3 4 5; do timed "$bin" report --db "$db" --shop perf --from "$firstday" --to "$lastday" > /dev/null; done
echo "== report one week $weekday..$lastday (5 runs)"
for i in 1 2 3 4 5; do timed "$bin" report --db "$db" --shop perf --from "$weekday" --to "$lastday" > /dev/null; done
echo "== platform exports: $days daily 客服绩效 xlsx files ($agents agents) and the PDD order export, one command"
rm -rf "$dir/pdd" "$dir/p.db"*
"$bin" demo --out "$dir/pdd" --days "$days" --agents "$agents" --seed 1 --platform-exports | sed -n 1p
timed "$bin" import --db "$dir/p.db" --shop pdd --platform pdd "$dir"/pdd/*.xlsx "$dir"/pdd/*.csv > "$dir/pdd-import.log"
grep -c agent_report "$dir/pdd-import.log" | sed 's/^/   report files imported: /'
tail -n 1 "$dir/pdd-import.log"
echo "== report whole period from platform figures (5 runs)"
for i in 1 2 3 4 5; do timed "$bin" report --db "$dir/p.db" --shop pdd --from "$firstday" --to "$lastday" > /dev/null; done
echo "== floor: sqlite3 CLI .import of messages.csv into a bare table"
rm -f "$dir/floor.db"
timed sqlite3 "$dir/floor.db" -cmd ".mode csv" ".import $dir/demo/messages.csv m" "select count(*) from m"
