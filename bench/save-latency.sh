#!/usr/bin/env bash
# Several BGSAVEs under write load in ONE CowKV process (docs/benchmarks-cow.md, session 10):
# fills N keys of B bytes (redis-benchmark -P 16), then per save runs
# `redis-benchmark -t set -r N -d B -c 20 -n R` with a BGSAVE sent 0.5 s into it, and prints
# redis-benchmark's summary (ops/s, p99, max), the save's time and copied bytes, and memory (RSS,
# arena native bytes) after the fill, at the end of each save and 10 s after the last one, and
# the server's own latency monitor (LATENCY LATEST, threshold 1 ms), its slow log's five slowest
# commands (SLOWLOG, from 1 ms) and the VM's steal time for each save.
#
# Usage: bench/save-latency.sh [--keys N] [--value-size B] [--requests R] [--saves K] [--idle] [--pin] [--nice-jit] [--nice-main N]
#   --idle  switch each snapshot thread to SCHED_IDLE (chrt) as soon as it exists
#   --pin   run CowKV on core 0 and redis-benchmark on core 1 (taskset)
#   --nice-jit  renice the JIT compiler threads to 19 before each BGSAVE
#   --nice-main N  renice the keyspace thread (cowkv-main) to N (negative values need root)
# COWKV_ARGS adds server flags (e.g. "--io-transport epoll").
# CowKV starts through ./cowkv (its JVM options); COWKV_JAVA_OPTS adds options after those, e.g.
#   COWKV_JAVA_OPTS="-Xms3g -Xmn2g -Xlog:gc,safepoint:file=/tmp/gc.log:time,uptime"
# Loopback only, port 17111. Needs java, redis-server's tools (redis-cli, redis-benchmark).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
keys=1000000
size=512
requests=800000
saves=4
idle=0
pin=0
nicejit=0
nicemain=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys="$2"; shift 2 ;;
    --value-size) size="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --saves) saves="$2"; shift 2 ;;
    --idle) idle=1; shift ;;
    --pin) pin=1; shift ;;
    --nice-jit) nicejit=1; shift ;;
    --nice-main) nicemain="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
port=17111
jar="$here/server/target/cowkv-server.jar"
[ -f "$jar" ] || (cd "$here" && ./mvnw -q -B -DskipTests -pl server -am package)
work="$(mktemp -d)"
cp "$jar" "$work/cowkv-server.jar"
server_cpu=()
client_cpu=()
if [ "$pin" = 1 ]; then
  server_cpu=(taskset -c 0)
  client_cpu=(taskset -c 1)
fi
# shellcheck disable=SC2086
COWKV_JAR="$work/cowkv-server.jar" JAVA_OPTS="${COWKV_JAVA_OPTS:-}" "${server_cpu[@]}" "$here/cowkv" --port "$port" \
  --bind 127.0.0.1 --save "" --dir "$work" ${COWKV_ARGS:-} > "$work/cowkv.log" 2>&1 &
pid=$!
trap 'redis-cli -p $port shutdown nosave >/dev/null 2>&1 || kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done

info() { redis-cli -p "$port" info "$1" | tr -d '\r' | awk -F: -v k="$2" '$1==k{print $2}'; }
mem() {
  echo "$1: RSS $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 )) MB, used_memory $(info memory used_memory), arena_native_bytes $(info memory arena_native_bytes)"
}
redis-cli -p "$port" config set latency-monitor-threshold 1 >/dev/null
redis-cli -p "$port" config set slowlog-log-slower-than 1000 >/dev/null
# steal_ticks: the machine's steal time so far (/proc/stat, all CPUs, in USER_HZ ticks).
steal_ticks() { awk '/^cpu /{print $9}' /proc/stat; }
# slowest PORT START N: the N slowest slow-log entries as "<µs> <command> @<s after START>", from
# redis-cli's flat output of SLOWLOG GET (id, time, µs, the arguments, the client's ip:port, its name).
slowest() {
  redis-cli -p "$1" slowlog get 128 | awk -v start="$2" '
    st == 0 { st = 1; next }
    st == 1 { t = $0; st = 2; next }
    st == 2 { us = $0; cmd = ""; st = 3; next }
    st == 3 && /^127\.0\.0\.1:[0-9]+$/ { print us, cmd, "@" (t - start) "s"; st = 4; next }
    st == 3 { if (cmd == "") cmd = $0; next }
    st == 4 { st = 0; next }' | sort -rn | head -"$3" | paste -sd';' | sed 's/;/; /g'
}
if [ "$nicemain" != 0 ]; then
  ps -L -o tid=,comm= -p "$pid" | awk '$2 == "cowkv-main"{print $1}' | xargs -r renice -n "$nicemain" -p >/dev/null
fi
echo "# date $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $keys keys x $size B, idle=$idle pin=$pin nice-jit=$nicejit"
echo "# JVM: $(tr '\0' ' ' < /proc/$pid/cmdline); transport $(info server multiplexing_api)"
"${client_cpu[@]}" redis-benchmark -p "$port" -t set -r "$keys" -n $((keys * 2)) -d "$size" -c 50 -P 16 -q >/dev/null 2>&1
sleep 6
mem "after fill"
for s in $(seq 1 "$saves"); do
  out="$work/bench-$s.csv"
  ("${client_cpu[@]}" redis-benchmark -p "$port" -t set -r "$keys" -d "$size" -c 20 -n "$requests" -q --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1=="SET"{printf "%d ops/s, p99 %s ms, max %s ms", $2, $7, $8}' > "$out") &
  bp=$!
  sleep 0.5
  redis-cli -p "$port" latency reset >/dev/null
  redis-cli -p "$port" slowlog reset >/dev/null
  save_start=$(date +%s)
  steal_before=$(steal_ticks)
  if [ "$nicejit" = 1 ]; then
    ps -L -o tid=,comm= -p "$pid" | awk '$2 ~ /^C[12]$/ || $3 ~ /^CompilerThre/{print $1}' | xargs -r renice -n 19 -p >/dev/null
  fi
  redis-cli -p "$port" bgsave >/dev/null
  if [ "$idle" = 1 ]; then
    for _ in $(seq 1 500); do
      tid=$(ps -L -o tid=,comm= -p "$pid" | awk '$2 ~ /^cowkv-bgsave/{print $1}' | tail -1)
      if [ -n "$tid" ]; then chrt --idle -p 0 "$tid" || true; break; fi
      sleep 0.002
    done
  fi
  wait_bgsave "$port"
  mem "save $s done"
  wait "$bp"
  echo "save $s: writer $(cat "$out"); save $(info persistence rdb_last_bgsave_time_sec) s, rdb_last_cow_size $(info persistence rdb_last_cow_size), status $(info persistence rdb_last_bgsave_status)"
  # The server's own view (latency monitor, threshold 1 ms): the slowest command and the freeze
  # of this save; no line for an event means nothing reached 1 ms.
  echo "save $s: server events >= 1 ms (event, max ms): $(redis-cli -p "$port" latency latest | paste -sd' ' \
    | awk '{for (i = 1; i + 3 <= NF; i += 4) printf "%s %s ms; ", $i, $(i + 3)}')"
  # Time the hypervisor did not run this VM's vCPUs while they had work (/proc/stat steal; 1
  # tick = 10 ms): on the development VM it grows during saves that write to disk, as VM-wide
  # stalls of 4-8 ms (docs/benchmarks-cow.md, session 18).
  echo "save $s: steal during BGSAVE and writer: $(( $(steal_ticks) - steal_before )) ticks"
  # Which commands those were (slow log from 1 ms; the time is seconds after the BGSAVE).
  echo "save $s: slowest commands (us, command, when): $(slowest "$port" "$save_start" 5)"
  if [ -n "${SAVE_LATENCY_HISTORY:-}" ]; then
    echo "save $s: command events (unix time, ms): $(redis-cli -p "$port" latency history command | paste -sd' ')"
  fi
done
sleep 10
mem "10 s after the last save"
