#!/usr/bin/env bash
# The JIT's share of a redis-benchmark-compare run: starts CowKV (./cowkv, port 17131, loopback)
# with -Xlog:jit+compilation and runs three rounds of `redis-benchmark -t set,get,incr -n 1000000
# -r 1000000 -c 50` at -P 1 and -P 16 (FLUSHALL before each), printing requests/s and how many
# compiled methods were made not entrant (deoptimized or replaced) during each run
# (docs/benchmarks-cow.md, session 12). Needs java, redis-cli, redis-benchmark.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
port=17131
work="$(mktemp -d)"
log="$work/jit.log"
JAVA_OPTS="-Xlog:jit+compilation=debug:file=$log:uptime" "$here/cowkv" --port $port --bind 127.0.0.1 \
  --save "" --dir "$work" > "$work/cowkv.log" 2>&1 &
cleanup() { redis-cli -p $port shutdown nosave >/dev/null 2>&1 || true; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.2; done
for round in 1 2 3; do
  for P in 1 16; do
    redis-cli -p $port flushall >/dev/null
    t0=$(awk -F'[][]' 'END{print $2}' "$log")
    line=$(redis-benchmark -p $port -t set,get,incr -n 1000000 -r 1000000 -c 50 -P $P -q --csv 2>/dev/null \
      | tr -d '"' | awk -F, 'NR>1{printf "%s %d  ", $1, $2}')
    n=$(awk -F'[][]' -v t="$t0" '{x=$2; sub("s","",x); if (x+0 > t+0 && /made not entrant/) c++} END{print c+0}' "$log")
    echo "round $round P$P: $line methods made not entrant: $n"
  done
done
