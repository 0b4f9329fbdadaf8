# Shared by the bench scripts (source it after setting here, cport and rport; COWKV_JAVA_OPTS is
# optional). Starts CowKV (from a copy of the jar, so a rebuild cannot disturb a run) and
# redis-server on loopback ports with persistence off, each with its own dir under $work, and
# stops and removes everything on exit.

# bench_require TOOL...: exits with a message when a tool the script needs is not on PATH.
bench_require() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "missing $t (apt-get install redis-server redis-tools)" >&2; exit 2; }
  done
}

bench_setup() {
  jar="$here/server/target/cowkv-server.jar"
  [ -f "$jar" ] || (cd "$here" && ./mvnw -q -B -DskipTests -pl server -am package)
  work="$(mktemp -d)"
  cp "$jar" "$work/cowkv-server.jar"
  mkdir -p "$work/c" "$work/r"
  trap bench_cleanup EXIT
  bench_start
}

cowkv_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# cowkv_start JAR ARGS...: runs CowKV from JAR through ./cowkv (so with the JVM options users
# get), in the foreground; COWKV_JAVA_OPTS adds JVM options after those (the last one wins).
cowkv_start() {
  local jar="$1"
  shift
  COWKV_JAR="$jar" JAVA_OPTS="${COWKV_JAVA_OPTS:-}" exec "$cowkv_root/cowkv" "$@"
}

# Starts both servers and waits until they answer; sets cpid and rpid. COWKV_ARGS adds CowKV flags.
bench_start() {
  # shellcheck disable=SC2086
  cowkv_start "$work/cowkv-server.jar" --port "$cport" --bind 127.0.0.1 --save "" \
    --dir "$work/c" ${COWKV_ARGS:-} > "$work/cowkv.log" 2>&1 &
  cpid=$!
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/r" \
    --daemonize yes --logfile "$work/redis.log"
  for p in "$cport" "$rport"; do
    for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.2; done
  done
  rpid=$(redis-cli -p "$rport" info server | tr -d '\r' | awk -F: '/^process_id/{print $2}')
}

bench_stop() {
  redis-cli -p "$cport" shutdown nosave >/dev/null 2>&1 || true
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
  sleep 1
  [ -n "${cpid:-}" ] && kill "$cpid" 2>/dev/null || true
}

bench_cleanup() {
  bench_stop
  rm -rf "$work"
}

# field PORT SECTION NAME: one INFO field's value.
field() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v f="$3" '$1==f{print $2}'; }
# rss PID: resident set size in bytes.
rss() { awk '/VmRSS/{print $2*1024}' "/proc/$1/status"; }
# jvm_uptime PID: seconds since process PID started, the time base of -Xlog's uptime and of
# LogCompilation's stamps (within about 10 ms).
jvm_uptime() {
  awk -v tck="$(getconf CLK_TCK)" -v st="$(awk '{print $22}' "/proc/$1/stat")" '{printf "%.3f", $1 - st / tck}' /proc/uptime
}
# wait_bgsave PORT: returns once the server on PORT has no BGSAVE in progress (at most 10 min).
# Polls INFO every 50 ms over ONE redis-cli connection: starting redis-cli, tr and awk for each
# poll took a core for 3-4 ms every time, next to the server under measurement (perf sched,
# docs/benchmarks-cow.md, session 15).
wait_bgsave() {
  redis-cli -p "$1" -i 0.05 -r 12000 info persistence 2>/dev/null | tr -d '\r' \
    | awk -F: '$1 == "rdb_bgsave_in_progress" && $2 == 0 {exit}' || true
}

# For scripts that measure one CowKV process on its own (the first-save scripts).
# solo_start PORT JAVA_OPTIONS: starts CowKV through ./cowkv on loopback PORT with persistence off,
# its dir in $work (the caller's mktemp -d), JAVA_OPTIONS as JAVA_OPTS and COWKV_ARGS as extra
# server flags; stops it and removes $work on exit; returns once it answers, with its pid in
# solo_pid.
solo_start() {
  solo_port="$1"
  # shellcheck disable=SC2086
  JAVA_OPTS="$2" "$cowkv_root/cowkv" --port "$solo_port" --bind 127.0.0.1 --save "" --dir "$work" \
    ${COWKV_ARGS:-} > "$work/cowkv.log" 2>&1 &
  trap 'redis-cli -p $solo_port shutdown nosave >/dev/null 2>&1 || true; sleep 1; rm -rf "$work"' EXIT
  for _ in $(seq 100); do redis-cli -p "$solo_port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  solo_pid=$(redis-cli -p "$solo_port" info server | tr -d '\r' | awk -F: '/^process_id/{print $2}')
}
# solo_fill KEYS SIZE: writes KEYS random keys of SIZE bytes, twice over (pipelined).
solo_fill() {
  redis-benchmark -p "$solo_port" -t set -r "$1" -n $(($1 * 2)) -d "$2" -c 50 -P 16 -q >/dev/null 2>&1
}
# solo_writer KEYS SIZE: one run of the issue's writer (800,000 SETs, 20 clients, no pipelining)
# -> "N ops/s, p99 X ms, max Y ms".
solo_writer() {
  redis-benchmark -p "$solo_port" -t set -r "$1" -d "$2" -c 20 -n 800000 -q --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1=="SET"{printf "%d ops/s, p99 %s ms, max %s ms", $2, $7, $8}'
}
