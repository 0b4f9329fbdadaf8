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
solo_start $port "-Xlog:gc:file=$work/gc.log:uptime"
pid=$solo_pid
# cpu REGEX: CPU time in ms (utime + stime) of the process's threads whose name matches
cpu() {
  local t n sum=0
  for t in /proc/"$pid"/task/*; do
    n=$(cat "$t/comm" 2>/dev/null || true)
    if [[ "$n" =~ $1 ]]; then sum=$((sum + $(awk '{print $14 + $15}' "$t/stat"))); fi
  done
  echo $((sum * 1000 / $(getconf CLK_TCK)))
}
solo_fill $keys $size
echo "without a save: $(solo_writer $keys $size)"
c2=$(cpu '^C2 CompilerThre'); c1=$(cpu '^C1 CompilerThre'); main=$(cpu '^cowkv-main')
(solo_writer $keys $size > "$work/during.txt") &
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
