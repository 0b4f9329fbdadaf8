#!/usr/bin/env bash
# BGSAVE's own time inside the server (the slow log's duration of the BGSAVE command: the freeze,
# handing the save to the snapshot thread, the log line), with no other traffic: five BGSAVEs per
# data set, each after the previous save ended (docs/architecture.md, "Threads", the log thread).
#
# Usage: bench/bgsave-command-time.sh [--keys "0 200000 1000000"] [--saves 5]
# Loopback only, port 17997; CowKV starts through ./cowkv (its JVM options). Needs redis-cli.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
keys="0 200000 1000000"
saves=5
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys="$2"; shift 2 ;;
    --saves) saves="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar="$here/server/target/cowkv-server.jar"
[ -f "$jar" ] || (cd "$here" && ./mvnw -q -B -DskipTests -pl server -am package)
work="$(mktemp -d)"
cp "$jar" "$work/cowkv-server.jar"
port=17997
COWKV_JAR="$work/cowkv-server.jar" "$here/cowkv" --port "$port" --bind 127.0.0.1 --save "" --dir "$work" \
  --enable-debug-command local > "$work/cowkv.log" 2>&1 &
pid=$!
trap 'redis-cli -p $port shutdown nosave >/dev/null 2>&1 || kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
R=(redis-cli -p "$port")
for _ in $(seq 1 100); do "${R[@]}" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "# date $(date -u '+%Y-%m-%d %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
"${R[@]}" config set slowlog-log-slower-than 0 >/dev/null
for n in $keys; do
  "${R[@]}" flushall >/dev/null
  if [ "$n" -gt 0 ]; then "${R[@]}" debug populate "$n" >/dev/null; fi
  times=()
  for _ in $(seq 1 "$saves"); do
    "${R[@]}" slowlog reset >/dev/null
    "${R[@]}" bgsave >/dev/null
    # SLOWLOG GET prints id, time, duration, then the arguments: the line before "bgsave"
    times+=("$("${R[@]}" slowlog get 10 | awk '$0 == "bgsave" { print prev; exit } { prev = $0 }')")
    while "${R[@]}" info persistence | grep -q '^rdb_bgsave_in_progress:1'; do sleep 0.05; done
  done
  echo "keys=$n bgsave_us: ${times[*]}"
done
