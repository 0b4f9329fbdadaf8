#!/bin/sh
# CowKV container entry point. POSIX sh, so it works on any base image that has a JRE
# (Debian/Ubuntu and Alpine alike).
#
#   docker run cowkv                              -> server with the container defaults
#   docker run cowkv --port 7000 --save "60 100"  -> flags, as redis-server takes them
#   docker run cowkv /etc/cowkv/cowkv.conf --loglevel verbose
#   docker run cowkv bash                         -> anything else runs as a command
#
# The configuration file is the first argument when it is not a flag; without one,
# /etc/cowkv/cowkv.conf is used when it exists (mount yours there). Container defaults
# (dir /data, bind 0.0.0.0, metrics on 9121 on all interfaces) are added only for the
# parameters that neither the flags nor the configuration file set: what you set wins.
# JAVA_OPTS adds JVM options (e.g. -Xmx512m). java is exec'ed, so it gets SIGTERM from
# `docker stop` directly and the server shuts down cleanly.
set -eu

JAR="${COWKV_JAR:-/opt/cowkv/cowkv-server.jar}"
DEFAULT_CONF="${COWKV_DEFAULT_CONF:-/etc/cowkv/cowkv.conf}"

# Not a flag, not a config file: run it as a command (a shell, a one-off tool...).
if [ "$#" -gt 0 ]; then
  case "$1" in
    -*) ;;
    *.conf) ;;
    *)
      if [ ! -f "$1" ]; then
        exec "$@"
      fi
      ;;
  esac
fi

# Informational flags go to the server alone (it answers them only as its sole argument).
if [ "$#" -eq 1 ]; then
  case "$1" in
    -v|--version|-h|--help) exec java ${JAVA_OPTS:-} -jar "$JAR" "$1" ;;
  esac
fi

conf=""
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  conf="$1"
  shift
elif [ -f "$DEFAULT_CONF" ]; then
  conf="$DEFAULT_CONF"
fi

# is_set NAME: true when a --NAME flag is among the arguments or the config file has a
# "NAME ..." directive (redis.conf syntax, case-insensitive).
is_set() {
  name="$1"
  shift
  for a in "$@"; do
    if [ "$a" = "--$name" ]; then
      return 0
    fi
  done
  if [ -n "$conf" ] && grep -Eiq "^[[:space:]]*$name([[:space:]]|\$)" "$conf"; then
    return 0
  fi
  return 1
}

# Build the final argument list: [conf] <defaults not set elsewhere> <user flags>.
# Flags after the config file override it; the defaults come first so user flags still win.
set_defaults() {
  extra=""
  is_set dir "$@" || extra="$extra --dir /data"
  is_set bind "$@" || extra="$extra --bind 0.0.0.0"
  is_set metrics-port "$@" || extra="$extra --metrics-port 9121"
  is_set metrics-bind "$@" || extra="$extra --metrics-bind 0.0.0.0"
  printf '%s' "$extra"
}
extra="$(set_defaults "$@")"

# The data lives off the Java heap: a small initial heap (as ./cowkv starts it; JAVA_OPTS comes
# after it, so -Xms there wins).
# shellcheck disable=SC2086 # JAVA_OPTS and $extra are word lists on purpose (no values with spaces)
if [ -n "$conf" ]; then
  exec java -Xms32m ${JAVA_OPTS:-} -jar "$JAR" "$conf" $extra "$@"
else
  exec java -Xms32m ${JAVA_OPTS:-} -jar "$JAR" $extra "$@"
fi
