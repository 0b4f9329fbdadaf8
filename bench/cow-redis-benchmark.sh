#!/usr/bin/env bash
# The BGSAVE-under-writes scenario of the persistence issue, with redis-benchmark as the writer:
# fill N keys of B bytes, then run `redis-benchmark -t set -r N -d B -c 20` (no pipelining) once
# without a save (baseline) and once with a BGSAVE started 0.5 s into it, on a real redis-server
# and on CowKV, one after the other. Prints redis-benchmark's latency summary for each run and
# the servers' copy-on-write and fork/freeze figures.
#
# Usage: bench/cow-redis-benchmark.sh [--keys N] [--value-size B] [--requests R] [--rounds K]
# COWKV_JAVA_OPTS (optional) adds JVM options for CowKV; COW_ORDER="17102 17101" runs CowKV first
# (the default runs Redis first; docs/benchmarks-cow.md, session 13, shows why the order matters).
# Needs java 17+, redis-server, redis-cli and redis-benchmark on PATH. Loopback only; ports 17101
# (Redis) and 17102 (CowKV).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
keys=1000000
size=512
requests=800000
rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys="$2"; shift 2 ;;
    --value-size) size="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cport=17102
rport=17101
. "$here/bench/lib.sh"
bench_setup

info() { field "$1" persistence "$2"; }
bench() { # port -> "rps p50 p99 max" of one redis-benchmark SET run
  redis-benchmark -p "$1" -t set -r "$keys" -d "$size" -c 20 -n "$requests" -q --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1=="SET"{printf "%d rps, p50 %s ms, p99 %s ms, max %s ms", $2, $5, $7, $8}'
}
echo "# date $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), keys $keys x $size B, $requests SETs per run, -c 20"
for port in ${COW_ORDER:-$rport $cport}; do
  name=$([ $port = $rport ] && echo redis || echo cowkv)
  redis-benchmark -p $port -t set -r "$keys" -n $((keys * 2)) -d "$size" -c 50 -P 16 -q >/dev/null 2>&1
  echo "## $name: $(redis-cli -p $port dbsize) keys, used_memory $(field $port memory used_memory)"
  for r in $(seq 1 "$rounds"); do
    echo "$name baseline:    $(bench $port)"
    out=$(mktemp)
    (bench $port > "$out") &
    bp=$!
    sleep 0.5
    redis-cli -p $port bgsave >/dev/null
    wait $bp
    wait_bgsave $port
    echo "$name during save: $(cat "$out")"
    echo "$name save: rdb_last_cow_size $(info $port rdb_last_cow_size), latest_fork_usec $(field $port stats latest_fork_usec), rdb_last_bgsave_time_sec $(info $port rdb_last_bgsave_time_sec), status $(info $port rdb_last_bgsave_status)"
    rm -f "$out"
  done
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
