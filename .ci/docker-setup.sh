#!/usr/bin/env bash
# Sets up a local Docker engine and the CowKV test images for the container tests in
# integration-tests (io.cowkv.it.docker), on a machine with no container registry:
#   1. installs docker.io and debootstrap (Debian packages), starts dockerd in the background
#      and waits for its socket;
#   2. builds the base image cowkv-test/base: a `debootstrap --variant=minbase bookworm` root
#      filesystem plus a JRE that jlink makes from this machine's JDK 17;
#   3. builds the server jar if missing, then the CowKV image cowkv-test/cowkv:latest from
#      docker/Dockerfile with BASE_IMAGE=cowkv-test/base.
#
# It never fails the CI run: when a step cannot be done it says why and exits 0, and the
# container tests skip (@Testcontainers(disabledWithoutDocker = true), plus an image check).
# Every step has a time limit. dockerd's pid goes to $COWKV_DOCKERD_PIDFILE so the caller can
# stop it (see .ci/run's trap); a dockerd that was already running is reused and left alone.
#
# Usage: .ci/docker-setup.sh            (from anywhere; as root or with sudo)
# Env:   COWKV_DOCKERD_PIDFILE (default /tmp/cowkv-dockerd.pid), COWKV_DOCKER_WORK (default
#        /tmp/cowkv-docker), COWKV_JDK (default /usr/lib/jvm/java-17-openjdk-amd64).
set -uo pipefail
cd "$(dirname "$0")/.."

PIDFILE="${COWKV_DOCKERD_PIDFILE:-/tmp/cowkv-dockerd.pid}"
WORK="${COWKV_DOCKER_WORK:-/tmp/cowkv-docker}"
JDK="${COWKV_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
BASE_IMAGE=cowkv-test/base
IMAGE=cowkv-test/cowkv:latest
SUITE=bookworm
MIRROR=http://deb.debian.org/debian

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

log() { echo "docker-setup: $*"; }
# give_up REASON: the container tests will skip; CI goes on.
give_up() {
  log "Docker is not available: $*"
  log "the container tests (io.cowkv.it.docker) will be skipped; process-based tests cover the server."
  exit 0
}

# --- 1. packages --------------------------------------------------------------------------
need=()
command -v dockerd     >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
[ -x "$JDK/bin/jlink" ] && [ -d "$JDK/jmods" ] || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $SUDO apt-get update -qq >/dev/null || log "apt-get update failed (trying the install anyway)"
  timeout 600 $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/cowkv-docker-apt.log 2>&1 \
    || give_up "apt-get install ${need[*]} failed (see /tmp/cowkv-docker-apt.log)"
fi
command -v dockerd >/dev/null 2>&1 || give_up "no dockerd after installing docker.io"

# --- 2. the engine ------------------------------------------------------------------------
if timeout 10 docker version >/dev/null 2>&1; then
  log "a Docker engine is already running; using it"
else
  # Installing docker.io may leave its systemd units enabled but not started (no systemd
  # here). Start dockerd ourselves, in the background, logging to a file.
  log "starting dockerd (log: /tmp/cowkv-dockerd.log)"
  # Containers use host networking (tests bind to 127.0.0.1): no bridge, no iptables rules.
  $SUDO dockerd --bridge=none --iptables=false --ip-forward=false >/tmp/cowkv-dockerd.log 2>&1 &
  echo $! >"$PIDFILE"
  ok=""
  for _ in $(seq 1 60); do
    if [ -S /var/run/docker.sock ] && timeout 5 docker version >/dev/null 2>&1; then ok=1; break; fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then break; fi
    sleep 1
  done
  if [ -z "$ok" ]; then
    log "dockerd did not come up within 60 s; last lines of its log:"
    tail -n 15 /tmp/cowkv-dockerd.log | sed 's/^/  dockerd: /'
    give_up "dockerd did not start"
  fi
  log "dockerd is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
fi

# --- 3. the base image: debootstrap root filesystem + jlink JRE ----------------------------
mkdir -p "$WORK"
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "base image $BASE_IMAGE exists; reusing it"
else
  rootfs="$WORK/rootfs"
  $SUDO rm -rf "$rootfs" "$WORK/jre"
  log "debootstrap --variant=minbase $SUITE (log: $WORK/debootstrap.log)"
  timeout 600 $SUDO debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 5 "$WORK/debootstrap.log"; give_up "debootstrap failed"; }
  # The modules the server jar needs (jdeps), plus jdk.crypto.ec for TLS; a fixed list if
  # jdeps cannot tell.
  modules=""
  jar=server/target/cowkv-server.jar
  if [ -f "$jar" ]; then
    modules="$(timeout 120 "$JDK/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar" 2>/dev/null | tail -n 1)"
  fi
  case "$modules" in
    java.base*) ;;
    *) modules="java.base,java.desktop,java.management,java.naming,java.sql,jdk.jfr,jdk.management,jdk.unsupported" ;;
  esac
  modules="$modules,jdk.crypto.ec"
  log "jlink JRE with modules $modules"
  timeout 300 "$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
      --compress=2 --output "$WORK/jre" >"$WORK/jlink.log" 2>&1 \
    || { cat "$WORK/jlink.log"; give_up "jlink failed"; }
  $SUDO mkdir -p "$rootfs/opt/java"
  $SUDO cp -a "$WORK/jre" "$rootfs/opt/java/openjdk"
  $SUDO rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"* \
      "$rootfs/usr/share/doc" "$rootfs/usr/share/man" "$rootfs/usr/share/locale"
  log "docker import -> $BASE_IMAGE"
  $SUDO tar -C "$rootfs" -c . | timeout 300 docker import \
      --change 'ENV JAVA_HOME=/opt/java/openjdk' \
      --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["/bin/bash"]' \
      - "$BASE_IMAGE" >/dev/null \
    || give_up "docker import of the base image failed"
  $SUDO rm -rf "$rootfs" "$WORK/jre"
fi

# --- 4. the CowKV image -------------------------------------------------------------------
jar=server/target/cowkv-server.jar
if [ ! -f "$jar" ]; then
  log "building the server jar"
  timeout 900 ./mvnw -q -B -DskipTests -pl server -am package >"$WORK/mvn.log" 2>&1 \
    || { tail -n 20 "$WORK/mvn.log"; give_up "the server jar did not build"; }
fi
# A context with only what the Dockerfile copies (the legacy builder ignores
# docker/Dockerfile.dockerignore and would otherwise send the whole repository).
ctx="$WORK/context"
rm -rf "$ctx"
mkdir -p "$ctx/server/target" "$ctx/docker"
cp "$jar" "$ctx/server/target/cowkv-server.jar"
cp docker/Dockerfile docker/entrypoint.sh "$ctx/docker/"
log "docker build $IMAGE (FROM $BASE_IMAGE)"
if ! timeout 600 docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -f "$ctx/docker/Dockerfile" \
      -t "$IMAGE" "$ctx" >"$WORK/build.log" 2>&1; then
  tail -n 20 "$WORK/build.log"
  give_up "docker build failed"
fi
rm -rf "$ctx"
log "ready: $IMAGE ($(docker image inspect --format '{{.Size}}' "$IMAGE" 2>/dev/null) bytes)"
exit 0
