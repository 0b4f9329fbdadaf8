#!/usr/bin/env bash
# Side-by-side redis-benchmark of CowKV and a real redis-server on this machine.
#
#   bench/redis-benchmark-compare.sh [--requests N] [--keys N] [--rounds N] [--quick]
#
# Starts CowKV (server/target/cowkv-server.jar, built if missing; copied to a temp dir so a
# rebuild cannot disturb the run) and redis-server on loopback ports, both without persistence,
# and runs the same redis-benchmark lines against each, alternating servers round by round:
#   SET/GET/INCR, 50 clients, random keys over --keys, pipeline 1 and 16.
# Then fills 1M keys with 64-byte values (redis-cli --pipe) and reports used_memory and process
# RSS of both, and the time of a BGSAVE freeze (latest_fork_usec) of that data.
# Output: a Markdown report on stdout and in bench/out/redis-benchmark-<timestamp>.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
requests=1000000
keys=1000000
rounds=2
fill=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests="$2"; shift 2 ;;
    --keys) keys="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --fill) fill="$2"; shift 2 ;;
    --quick) requests=200000; rounds=1; fill=200000; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cport=17001
rport=17002
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
bench_require redis-server redis-cli redis-benchmark java
bench_setup

out="$here/bench/out"
mkdir -p "$out"
report="$out/redis-benchmark-$(date -u +%Y%m%dT%H%M%SZ).md"
{
echo "# redis-benchmark: CowKV vs Redis"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- java: $(java -version 2>&1 | head -1); redis: $(redis-server --version | awk '{print $3}')"
echo "- command: bench/redis-benchmark-compare.sh --requests $requests --keys $keys --rounds $rounds --fill $fill"
echo
echo "## Throughput (requests/s; redis-benchmark -c 50 -r $keys -n $requests)"
echo
echo "| test | pipeline | CowKV | Redis | ratio CowKV/Redis |"
echo "| --- | --- | --- | --- | --- |"
} | tee "$report"

declare -A cres rres
for round in $(seq 1 "$rounds"); do
  for P in 1 16; do
    for port in $cport $rport; do
      redis-cli -p $port flushall >/dev/null
      line=$(redis-benchmark -p $port -t set,get,incr -n "$requests" -r "$keys" -c 50 -P $P -q --csv 2>/dev/null | tr -d '"')
      while IFS=, read -r name rps _; do
        [ "$name" = "test" ] && continue
        k="$name/$P"
        if [ $port = $cport ]; then cres[$k]="${cres[$k]:-} $rps"; else rres[$k]="${rres[$k]:-} $rps"; fi
      done <<< "$line"
    done
  done
done
best() { echo "$1" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }
for P in 1 16; do
  for t in SET GET INCR; do
    c=$(best "${cres[$t/$P]:-0}"); r=$(best "${rres[$t/$P]:-0}")
    ratio=$(awk -v c="$c" -v r="$r" 'BEGIN{ if (r>0) printf "%.2f", c/r; else print "n/a"}')
    echo "| $t | $P | $c | $r | $ratio |" | tee -a "$report"
  done
done

# Memory for N keys with 64-byte values, and the freeze/fork time of that data set, on freshly
# started servers (so memory retained from the throughput runs -- CowKV keeps freed arena chunks
# and Netty's pooled buffers, Redis keeps jemalloc's -- does not count).
restart() { bench_stop; bench_start; }
restart
gen="$work/fill.resp"
awk -v n="$fill" 'BEGIN{ v=sprintf("%064d", 0); gsub(/0/,"v",v); for(i=0;i<n;i++){ k="key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$64\r\n%s\r\n", length(k), k, v } }' > "$gen"
{
echo
echo "## Memory with $fill keys of 64-byte values (keys key:0..key:N-1), freshly started servers"
echo
echo "| server | used_memory (before) | used_memory (after) | per key | process RSS after | BGSAVE freeze (latest_fork_usec) |"
echo "| --- | --- | --- | --- | --- | --- |"
} | tee -a "$report"
for port in $cport $rport; do
  redis-cli -p $port flushall >/dev/null
  sleep 1
  before=$(field $port memory used_memory)
  redis-cli -p $port --pipe < "$gen" >/dev/null
  after=$(field $port memory used_memory)
  sleep 6 # settled: past CowKV's 5 s native-heap trim (and jemalloc's background purge)
  pid=$([ $port = $cport ] && echo "$cpid" || echo "$rpid")
  r=$(rss "$pid")
  redis-cli -p $port config set dir "$work/$([ $port = $cport ] && echo c || echo r)" >/dev/null 2>&1 || true
  redis-cli -p $port bgsave >/dev/null
  for _ in $(seq 1 600); do [ "$(field $port persistence rdb_bgsave_in_progress)" = "0" ] && break; sleep 0.1; done
  fork=$(field $port stats latest_fork_usec)
  name=$([ $port = $cport ] && echo CowKV || echo Redis)
  per=$(awk -v a="$after" -v b="$before" -v n="$fill" 'BEGIN{printf "%.1f B", (a-b)/n}')
  echo "| $name | $before | $after | $per | $r | $fork µs |" | tee -a "$report"
done
echo | tee -a "$report"
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$report"
echo "Report written to $report" >&2
