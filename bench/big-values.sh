#!/usr/bin/env bash
# Big values through CowKV and a real redis-server on this machine (docs/benchmarks.md, "Big values").
#
#   bench/big-values.sh [--rounds N] [--sizes "100000 1048576 8388608"] [--requests N]
#
# For each value size: `redis-benchmark -t set,get -d SIZE -c 4 -n N` against each server,
# alternating servers round by round, plus the server's CPU time per request (utime+stime from
# /proc, more robust than throughput on a shared machine). Sizes of 64 KiB or more are received
# into native memory by CowKV, replies of 1 MiB or more are sent from a native copy in chunks
# (docs/architecture.md, "Big values"). COWKV_JAVA_OPTS adds JVM options (e.g. -Xmx64m: the
# values then do not fit the heap). Loopback only, ports 17021/17022.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds=2
sizes="100000 1048576 8388608"
requests=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cport=17021
rport=17022
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
bench_require redis-server redis-cli redis-benchmark java
bench_setup

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)

echo "| size | test | round | CowKV req/s | Redis req/s | ratio | CowKV CPU us/req | Redis CPU us/req |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for size in $sizes; do
  # about 400 MB moved per test, at least 200 requests
  n=${requests:-$(( 400000000 / size > 200 ? 400000000 / size : 200 ))}
  for t in set get; do
    for r in $(seq 1 "$rounds"); do
      declare -A rps cpu
      for s in cowkv redis; do
        if [ "$s" = cowkv ]; then port=$cport; pid=$cpid; else port=$rport; pid=$rpid; fi
        # the key GET reads: written by a SET run of the same size first
        if [ "$t" = get ] && [ "$r" = 1 ]; then
          redis-benchmark -p "$port" -t set -d "$size" -c 4 -n 8 -q > /dev/null
        fi
        before=$(cpu_ticks "$pid")
        line=$(redis-benchmark -p "$port" -t "$t" -d "$size" -c 4 -n "$n" -q | tr '\r' '\n' | grep -E "^(SET|GET):" | tail -1)
        after=$(cpu_ticks "$pid")
        rps[$s]=$(awk '{for(i=1;i<=NF;i++) if($(i+1)=="requests") print $i}' <<< "$line")
        cpu[$s]=$(awk -v d=$((after - before)) -v n="$n" -v tck="$tck" 'BEGIN{printf "%.0f", d * 1e6 / tck / n}')
      done
      ratio=$(awk -v a="${rps[cowkv]}" -v b="${rps[redis]}" 'BEGIN{printf "%.2f", (b > 0) ? a / b : 0}')
      echo "| $size | ${t^^} | $r | ${rps[cowkv]} | ${rps[redis]} | $ratio | ${cpu[cowkv]} | ${cpu[redis]} |"
    done
  done
done
echo
echo "CowKV RSS $(rss "$cpid") bytes, mem_clients_normal $(field "$cport" memory mem_clients_normal); Redis RSS $(rss "$rpid") bytes"
