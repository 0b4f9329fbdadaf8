#!/usr/bin/env bash
# What giving a dump's worth of memory or disk back to the machine does to a writer's latency:
# starts CowKV (persistence off), fills it with 1M keys of 512 B, then runs the issue's writer
# (`redis-benchmark -t set -r 1000000 -d 512 -c 20`, 800,000 SETs, no save) once per mode, and 3 s
# into each run another process does one of:
#   none     nothing (the baseline)
#   rm       deletes a 530 MB file that is in the page cache
#   chunk    truncates that file 8 MiB at a time, then deletes it
#   slow     truncates it 4 MiB per 30 ms (about 5 s), then deletes it
#   fadv     drops its page cache 4 MiB per 30 ms (posix_fadvise DONTNEED), then deletes it
#   direct   deletes a 530 MB file written with O_DIRECT (no page cache)
#   memfree  a process holding 530 MB of anonymous memory exits (HOG_MB sets the size)
#   fresh    writes a new 530 MB file (one fsync) and renames it over the old one
#   recycle  writes the 530 MB over the old file in place (one fsync)
# Prints redis-benchmark's line and how long the step took. docs/benchmarks-cow.md, session 17.
#
# Usage: bench/free-stall.sh [modes...]   (default: none rm memfree none rm memfree)
# Needs java 17+, python3, redis-cli and redis-benchmark. Loopback only, port 17104. The files go
# to a temporary folder under $TMPDIR (or /tmp).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/bench/lib.sh"
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(none rm memfree none rm memfree)
work="$(mktemp -d)"
solo_start 17104 ""
hog=
trap '[ -z "$hog" ] || kill "$hog" 2>/dev/null || true; redis-cli -p 17104 shutdown nosave >/dev/null 2>&1 || true; sleep 1; rm -rf "$work"' EXIT
echo "# date $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), 1M keys x 512 B, 800000 SETs per run, -c 20"
solo_fill 1000000 512
big="$work/big.rdb"
write_big() { # FILE FLAGS...: a 530 MB file
  local f="$1"
  shift
  dd if=/dev/zero of="$f" bs=1M count=530 status=none "$@"
}
for mode in "${modes[@]}"; do
  case $mode in
    direct) write_big "$big" oflag=direct conv=fsync ;;
    memfree)
      python3 -c 'import sys, time; b = b"x" * (int(sys.argv[1]) << 20); print("ready", flush=True); time.sleep(3600)' \
        "${HOG_MB:-530}" > "$work/hog.out" &
      hog=$!
      until [ -s "$work/hog.out" ]; do sleep 0.1; done ;;
    *) write_big "$big" conv=fsync ;;
  esac
  out="$work/writer.out"
  solo_writer 1000000 512 > "$out" &
  writer=$!
  sleep 3
  t0=$(date +%s%N)
  case $mode in
    none) ;;
    rm|direct) rm -f "$big" ;;
    memfree) kill "$hog"; wait "$hog" 2>/dev/null || true; hog= ;;
    chunk|slow|fadv)
      python3 - "$big" "$mode" <<'PY'
import os, sys, time
path, mode = sys.argv[1], sys.argv[2]
step = (8 if mode == "chunk" else 4) << 20
pause = 0.001 if mode == "chunk" else 0.03
if mode == "fadv":
    fd = os.open(path, os.O_RDONLY); size = os.fstat(fd).st_size; off = 0
    while off < size:
        os.posix_fadvise(fd, off, step, os.POSIX_FADV_DONTNEED); off += step; time.sleep(pause)
else:
    fd = os.open(path, os.O_WRONLY); size = os.fstat(fd).st_size
    while size > 0:
        size = max(0, size - step); os.ftruncate(fd, size); time.sleep(pause)
os.close(fd); os.unlink(path)
PY
      ;;
    fresh) write_big "$work/new.rdb" conv=fsync; mv "$work/new.rdb" "$big" ;;
    recycle) write_big "$big" conv=fsync,notrunc ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  t1=$(date +%s%N)
  wait "$writer"
  echo "$mode: $(cat "$out") (the step took $(( (t1 - t0) / 1000000 )) ms)"
  # clean up outside the measured run, and let the machine settle before the next one
  sleep 2
  rm -f "$big" "$work/new.rdb"
  sleep 3
done
