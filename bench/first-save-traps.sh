#!/usr/bin/env bash
# The JIT traps a process's first BGSAVE hits (docs/benchmarks-cow.md, session 14): starts CowKV
# (./cowkv, port 17132, loopback) with -XX:+LogCompilation, fills 1M keys x 512 B, runs one
# `redis-benchmark -t set -r 1000000 -d 512 -c 20 -n 800000` without a save and one with a BGSAVE
# sent 0.5 s in, then prints the writer's summary and every uncommon trap from 0.3 s before the
# BGSAVE to the end of the save, with its thread (the keyspace thread is cowkv-main). Extra server flags in
# COWKV_ARGS (e.g. "--prime-save-path no"). Needs java, python3, redis-cli, redis-benchmark.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
port=17132
keys=1000000
size=512
work="$(mktemp -d)"
solo_start $port "-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$work/comp.log"
jpid=$solo_pid
solo_fill $keys $size
echo "without a save: $(solo_writer $keys $size)"
(solo_writer $keys $size > "$work/during.txt") &
bp=$!
sleep 0.5
start=$(jvm_uptime "$jpid")
redis-cli -p $port bgsave >/dev/null
wait_bgsave $port
end=$(jvm_uptime "$jpid")
wait $bp
ps -L -o tid=,comm= -p "$jpid" > "$work/threads.txt"
echo "with a BGSAVE: $(cat "$work/during.txt")"
grep -E "primed|saving started" "$work/cowkv.log" | sed 's/^[^*]*\* //'
sleep 1
python3 - "$work/comp.log" "$start" "$end" "$work/threads.txt" <<'PY'
import re, sys
log, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
text = open(log, errors="replace").read()
names = dict(line.split(None, 1) for line in open(sys.argv[4]).read().split("\n") if line.strip())
trap = re.compile(r"<uncommon_trap thread='(\d+)' reason='(\w+)' action='(\w+)'[^>]*?stamp='([\d.]+)'[^>]*>(.*?)</uncommon_trap>", re.S)
n = 0
for m in trap.finditer(text):
    stamp = float(m.group(4))
    if lo - 0.3 <= stamp <= hi:  # the JVM's clock starts a little after the process
        where = re.search(r"<jvms bci='(\d+)' method='([^']+)'", m.group(5))
        print(f"{stamp:9.3f}s {names.get(m.group(1), m.group(1)).strip():16s} {m.group(2):18s} {where.group(2) if where else '?'} @{where.group(1) if where else '?'}")
        n += 1
print(f"{n} traps from about the BGSAVE (0.3 s before it) to the end of the save")
PY
