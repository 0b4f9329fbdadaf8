#!/usr/bin/env bash
# How much a third busy thread moves the writer's worst latency on this machine, with no save:
# starts CowKV (./cowkv, port 17121, loopback), fills 1M keys x 512 B, then runs
# `redis-benchmark -t set -r 1000000 -d 512 -c 20 -n 600000` alone and next to a busy loop in a
# separate process at nice 0, at nice 19 and at SCHED_IDLE, twice. Prints ops/s, p99 and max per
# run (docs/benchmarks-cow.md, session 12). Needs java, redis-cli, redis-benchmark, chrt.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
port=17121
work="$(mktemp -d)"
"$here/cowkv" --port $port --bind 127.0.0.1 --save "" --dir "$work" > "$work/cowkv.log" 2>&1 &
cleanup() { redis-cli -p $port shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.2; done
redis-benchmark -p $port -t set -r 1000000 -n 2000000 -d 512 -c 50 -P 16 -q >/dev/null 2>&1
sleep 3
run() {
  redis-benchmark -p $port -t set -r 1000000 -d 512 -c 20 -n 600000 -q --csv 2>/dev/null | tr -d '"' \
    | awk -F, -v l="$1" '$1=="SET"{printf "%-12s %d ops/s, p99 %s ms, max %s ms\n", l, $2, $7, $8}'
}
hog() { "$@" bash -c 'while :; do :; done' & echo $!; }
for _ in 1 2; do
  run none
  h=$(hog nice -n 0); run hog-nice0; kill "$h"
  h=$(hog nice -n 19); run hog-nice19; kill "$h"
  h=$(hog chrt --idle 0); run hog-idle; kill "$h"
done
