#!/usr/bin/env bash
# Snapshot copy-on-write comparison: starts a real redis-server and CowKV on loopback ports,
# runs cowkv-load's scenario against both (uniform full-speed overwrites during BGSAVE, then a
# 10% hot-set variant) and writes text/JSON/HTML reports under bench/out/<timestamp>/<scenario>/.
#
# Usage: bench/cow-compare.sh [--redis-only] [--keys N] [--value-size B] [--baseline-seconds S]
#                             [--redis-port P] [--cowkv-port P] [--keep-dumps] [-- extra cowkv-load options]
#   --redis-only   run against the real Redis alone
#   --keep-dumps   keep the servers' dump.rdb files (hundreds of MB at 1M keys; removed by default)
# COWKV_JAVA_OPTS (optional) adds JVM options for the CowKV server (after the ones ./cowkv passes).
# Needs: java 17+, redis-server and redis-cli (Debian package redis-server) on PATH. Both servers
# run with saving disabled (no automatic save point can fire during a run); the jars are copied
# into the output folder first, so rebuilding the worktree during a run does not disturb it.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # for cowkv_start (CowKV with the JVM options ./cowkv passes)
keys=1000000
value_size=512
baseline=5
redis_port=16379
cowkv_port=16380
redis_only=0
keep_dumps=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --redis-only) redis_only=1 ;;
    --keys) keys="$2"; shift ;;
    --value-size) value_size="$2"; shift ;;
    --baseline-seconds) baseline="$2"; shift ;;
    --redis-port) redis_port="$2"; shift ;;
    --cowkv-port) cowkv_port="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    --keep-dumps) keep_dumps=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "cow-compare.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

for tool in java redis-server redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || { echo "cow-compare.sh: '$tool' is not on PATH" >&2; exit 1; }
done

load_jar="$root/client/target/cowkv-load.jar"
server_jar="$root/server/target/cowkv-server.jar"
if [ ! -f "$load_jar" ]; then
  echo "building cowkv-load.jar ..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl client -am package)
fi
if [ "$redis_only" = 0 ] && [ ! -f "$server_jar" ]; then
  echo "building cowkv-server.jar ..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl server -am package)
fi

stamp="$(date +%Y%m%d-%H%M%S)"
out="$here/out/$stamp"
mkdir -p "$out/redis-data" "$out/cowkv-data" "$out/jars"
cp "$load_jar" "$out/jars/cowkv-load.jar"
load_jar="$out/jars/cowkv-load.jar"
if [ "$redis_only" = 0 ]; then
  cp "$server_jar" "$out/jars/cowkv-server.jar"
  server_jar="$out/jars/cowkv-server.jar"
fi
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep_dumps" = 0 ] && [ -n "${out:-}" ]; then
    rm -f "$out/redis-data/dump.rdb" "$out/cowkv-data/dump.rdb" "$out"/*-data/temp-*.rdb
  fi
}
trap cleanup EXIT INT TERM

wait_for() { # port name pid
  for _ in $(seq 1 200); do
    if redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null | grep -q PONG; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "cow-compare.sh: $2 exited; see its log in $out" >&2; exit 1; }
    sleep 0.1
  done
  echo "cow-compare.sh: $2 did not answer PING on 127.0.0.1:$1" >&2
  exit 1
}

for p in "$redis_port" $([ "$redis_only" = 0 ] && echo "$cowkv_port"); do
  if redis-cli -h 127.0.0.1 -p "$p" PING >/dev/null 2>&1; then
    echo "cow-compare.sh: something already listens on 127.0.0.1:$p" >&2
    exit 1
  fi
done

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$out/redis-data" --daemonize no --loglevel warning >"$out/redis.log" 2>&1 &
pids+=($!)
wait_for "$redis_port" redis-server "${pids[-1]}"

targets=(--host 127.0.0.1 --port "$redis_port" --label "redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')")
if [ "$redis_only" = 0 ]; then
  (cd "$out/cowkv-data" && cowkv_start "$server_jar" --port "$cowkv_port" --bind 127.0.0.1 --save "" \
    --dir "$out/cowkv-data") >"$out/cowkv.log" 2>&1 &
  pids+=($!)
  wait_for "$cowkv_port" CowKV "${pids[-1]}"
  targets+=(--compare "127.0.0.1:$cowkv_port" --compare-label cowkv)
fi

{
  echo "date: $(date -Iseconds)"
  echo "machine: $(uname -srm), $(nproc) cpus, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu: $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "redis: $(redis-server --version)"
  echo "cowkv: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
  echo "lscpu:"; lscpu 2>/dev/null | grep -v "^Flags" | head -16 | sed 's/^/  /'
  echo "load before: $(uptime)"
} >"$out/machine.txt"

run() { # name, then cowkv-load options
  local name="$1"; shift
  echo "== $name" >&2
  echo "load before $name: $(uptime)" | tee -a "$out/machine.txt" >&2
  java -jar "$load_jar" "${targets[@]}" --keys "$keys" --value-size "$value_size" \
    --baseline-seconds "$baseline" --out "$out/$name" "$@" "${extra[@]}" | tee "$out/$name.log"
  echo "load after $name: $(uptime)" | tee -a "$out/machine.txt" >&2
  # INFO persistence after the save: Redis's fields, and CowKV's own cowkv_* fields at the end
  redis-cli -h 127.0.0.1 -p "$redis_port" INFO persistence | tr -d '\r' >"$out/$name/redis-info-persistence.txt" || true
  if [ "$redis_only" = 0 ]; then
    redis-cli -h 127.0.0.1 -p "$cowkv_port" INFO persistence | tr -d '\r' >"$out/$name/cowkv-info-persistence.txt" || true
    grep -E 'cowkv_|rdb_last_cow_size' "$out/$name/cowkv-info-persistence.txt" >&2 || true
  fi
  echo "cowkv-load ${targets[*]} --keys $keys --value-size $value_size --baseline-seconds $baseline --out $out/$name $* ${extra[*]}" \
    >"$out/$name/command.txt"
}

# 1) fill, then full-speed uniform random overwrites during the save
run uniform --distribution uniform --write-ratio 1.0
# 2) same data, 90% of the writes on a hot set of 10% of the keys
run hot10 --skip-fill --distribution hot:10 --hot-ops 90 --write-ratio 1.0

echo "reports in $out" >&2
