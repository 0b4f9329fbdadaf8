#!/usr/bin/env bash
# What a process's first BGSAVE costs besides the save itself (docs/benchmarks-cow.md, session 14):
# starts CowKV (./cowkv, port 17133, loopback, -Xlog:gc), fills 1M keys x 512 B, runs one
# `redis-benchmark -t set -r 1000000 -d 512 -c 20 -n 800000` without a save and one with a BGSAVE
# sent 0.5 s in, and prints the writer's summary, the CPU time the JIT compiler threads (C1, C2)
# and the keyspace thread used while the save ran (from /proc), and the GC pauses in that window.
# Extra server flags in COWKV_ARGS (e.g. "--prime-save-path no"). Needs java, redis-cli,
# redis-benchmark.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
port=17133
keys=1000000
size=512
work="$(mktemp -d)"
# shellcheck disable=SC2086
JAVA_OPTS="-Xlog:gc:file=$work/gc.log:uptime" "$here/cowkv" --port $port --bind 127.0.0.1 --save "" \
  --dir "$work" ${COWKV_ARGS:-} > "$work/cowkv.log" 2>&1 &
cleanup() { redis-cli -p $port shutdown nosave >/dev/null 2>&1 || true; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.2; done
pid=$(redis-cli -p $port info server | tr -d '\r' | awk -F: '/^process_id/{print $2}')
# cpu REGEX: CPU time in ms (utime + stime) of the process's threads whose name matches
cpu() {
  local t n sum=0
  for t in /proc/"$pid"/task/*; do
    n=$(cat "$t/comm" 2>/dev/null || true)
    if [[ "$n" =~ $1 ]]; then sum=$((sum + $(awk '{print $14 + $15}' "$t/stat"))); fi
  done
  echo $((sum * 1000 / $(getconf CLK_TCK)))
}
bench() { redis-benchmark -p $port -t set -r $keys -d $size -c 20 -n 800000 -q --csv 2>/dev/null \
  | tr -d '"' | awk -F, '$1=="SET"{printf "%d ops/s, p99 %s ms, max %s ms", $2, $7, $8}'; }
redis-benchmark -p $port -t set -r $keys -n $((keys * 2)) -d $size -c 50 -P 16 -q >/dev/null 2>&1
echo "without a save: $(bench)"
c2=$(cpu '^C2 CompilerThre'); c1=$(cpu '^C1 CompilerThre'); main=$(cpu '^cowkv-main')
(bench > "$work/during.txt") &
bp=$!
sleep 0.5
t0=$(jvm_uptime "$pid")
redis-cli -p $port bgsave >/dev/null
wait_bgsave $port
t1=$(jvm_uptime "$pid")
echo "CPU while the save ran (${t0}-${t1} s): C2 $(( $(cpu '^C2 CompilerThre') - c2 )) ms, C1 $(( $(cpu '^C1 CompilerThre') - c1 )) ms, keyspace thread $(( $(cpu '^cowkv-main') - main )) ms"
wait $bp
echo "with a BGSAVE: $(cat "$work/during.txt")"
grep -E "primed" "$work/cowkv.log" | sed 's/^[^*]*\* //' || true
echo "GC pauses while the save ran:"
awk -v a="$t0" -v b="$t1" -F'[][]' '/Pause/{x=$2; sub("s","",x); if (x+0 >= a - 0.1 && x+0 <= b + 0.1) print "  " $0}' "$work/gc.log"
