#!/usr/bin/env bash
# Memory for N keys of B-byte values (keys key:0..key:N-1, loaded with redis-cli --pipe) on a
# freshly started CowKV and a freshly started redis-server, one after the other, --rounds times:
# used_memory, and process RSS 6 s and 20 s after the load (CowKV trims the JVM's native heap every
# 5 s; jemalloc purges dirty pages over about 10 s, so Redis's RSS falls between the two readings).
#
#   bench/memory-per-key.sh [--keys N] [--value-size B] [--rounds K]
#
# COWKV_JAVA_OPTS adds JVM options for CowKV. Loopback only; ports 17001 (CowKV) and 17002 (Redis).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
keys=1000000
size=64
rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys="$2"; shift 2 ;;
    --value-size) size="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cport=17001
rport=17002
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
bench_require redis-server redis-cli java
bench_setup
gen="$work/fill.resp"
awk -v n="$keys" -v s="$size" 'BEGIN{ v=sprintf("%0" s "d", 0); gsub(/0/,"v",v); for(i=0;i<n;i++){ k="key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, s, v } }' > "$gen"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $keys keys x $size B, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), redis $(redis-server --version | awk '{print $3}')"
echo "| round | server | used_memory | per key | RSS at 6 s | RSS at 20 s |"
echo "| --- | --- | --- | --- | --- | --- |"
mb() { awk -v b="$1" 'BEGIN{printf "%.1f MiB", b/1048576}'; }
for r in $(seq 1 "$rounds"); do
  bench_stop
  bench_start
  for port in $cport $rport; do
    before=$(field $port memory used_memory)
    redis-cli -p $port --pipe < "$gen" >/dev/null
    after=$(field $port memory used_memory)
    pid=$([ $port = $cport ] && echo "$cpid" || echo "$rpid")
    sleep 6
    r6=$(rss "$pid")
    sleep 14
    r20=$(rss "$pid")
    name=$([ $port = $cport ] && echo CowKV || echo Redis)
    per=$(awk -v a="$after" -v b="$before" -v n="$keys" 'BEGIN{printf "%.1f B", (a-b)/n}')
    echo "| $r | $name | $after | $per | $(mb "$r6") | $(mb "$r20") |"
  done
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
