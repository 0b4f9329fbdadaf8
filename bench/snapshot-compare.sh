#!/usr/bin/env bash
# Freeze/fork time and BGSAVE duration of CowKV and Redis with the same data sets.
#
#   bench/snapshot-compare.sh [--keys "1000000 10000000"] [--value-size 64]
#
# For each key count: FLUSHALL both servers, load N keys (key:0..key:N-1, VALUE-SIZE bytes) with
# redis-cli --pipe, BGSAVE, poll INFO persistence every 20 ms until the save ends, and report
# latest_fork_usec (Redis: fork; CowKV: page-table freeze), the wall time of the save, dump size,
# used_memory and RSS. Both servers on loopback, each writing to its own temp dir; the dumps are
# checked with redis-check-rdb. Report: stdout and bench/out/snapshot-<timestamp>.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
counts="1000000 10000000"
vsize=64
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) counts="$2"; shift 2 ;;
    --value-size) vsize="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cport=17101
rport=17102
COWKV_JAVA_OPTS="-Xmx2g"
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
bench_setup
now_ms() { date +%s%3N; }

out="$here/bench/out"; mkdir -p "$out"
report="$out/snapshot-$(date -u +%Y%m%dT%H%M%SZ).md"
{
echo "# BGSAVE: CowKV freeze vs Redis fork"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- java: $(java -version 2>&1 | head -1); redis: $(redis-server --version | awk '{print $3}'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- command: bench/snapshot-compare.sh --keys \"$counts\" --value-size $vsize"
echo
echo "| keys | server | used_memory | RSS | latest_fork_usec | BGSAVE wall time | dump size | redis-check-rdb |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} | tee "$report"
for n in $counts; do
  gen="$work/fill.resp"
  awk -v n="$n" -v vs="$vsize" 'BEGIN{ v=sprintf("%0" vs "d", 0); gsub(/0/,"v",v); for(i=0;i<n;i++){ k="key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, vs, v } }' > "$gen"
  for port in $cport $rport; do
    name=$([ $port = $cport ] && echo CowKV || echo Redis)
    dir="$work/$([ $port = $cport ] && echo c || echo r)"
    pid=$([ $port = $cport ] && echo "$cpid" || echo "$rpid")
    redis-cli -p $port flushall >/dev/null
    rm -f "$dir"/*.rdb
    redis-cli -p $port --pipe < "$gen" >/dev/null
    used=$(field $port memory used_memory)
    r=$(rss "$pid")
    t0=$(now_ms)
    redis-cli -p $port bgsave >/dev/null
    sleep 0.02
    while [ "$(field $port persistence rdb_bgsave_in_progress)" != "0" ]; do sleep 0.02; done
    t1=$(now_ms)
    fork=$(field $port stats latest_fork_usec)
    size=$(stat -c %s "$dir/dump.rdb")
    check=$(redis-check-rdb "$dir/dump.rdb" 2>&1 | grep -q "RDB looks OK" && echo OK || echo FAIL)
    echo "| $n | $name | $used | $r | $fork | $((t1 - t0)) ms | $size | $check |" | tee -a "$report"
  done
  rm -f "$gen"
done
echo | tee -a "$report"
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$report"
