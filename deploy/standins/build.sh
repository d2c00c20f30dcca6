#!/usr/bin/env bash
# Stand-ins for the three base images deploy/ uses (python:3.11-slim, postgres:15,
# rabbitmq:3.13-management), for machines that cannot reach an image registry. Each is built
# from Debian bookworm packages and tagged with the real image's name, so deploy/Dockerfile and
# deploy/docker-compose.yml run unchanged. An image that is already present or can be pulled is
# used as it is: nothing is built then. They are stand-ins, not the official images: Debian's
# PostgreSQL 15 and Python 3.11, and Debian's RabbitMQ (3.10, same quorum queues and management
# plugin) under the 3.13 tag.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CNNT_STANDIN_CACHE:-/var/cache/cnnt-standins}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
base=cnnt-standin/debian:bookworm

present() { docker image inspect "$1" >/dev/null 2>&1; }

debian_base() {
  present "$base" && return 0
  local tarball="$cache/bookworm-minbase.tar"
  if [ ! -s "$tarball" ]; then
    # debootstrap takes a while; its result is kept, so a second machine run starts from it.
    command -v debootstrap >/dev/null || { echo "debootstrap is needed (apt-get install debootstrap)" >&2; exit 1; }
    local root; root=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    mkdir -p "$cache"
    tar -C "$root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$root"
  fi
  docker import "$tarball" "$base" >/dev/null
}

needed=()
for pair in python:python:3.11-slim postgres:postgres:15 rabbitmq:rabbitmq:3.13-management; do
  dir=${pair%%:*} image=${pair#*:}
  if present "$image"; then echo "$image: present"; continue; fi
  if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then echo "$image: pulled"; continue; fi
  needed+=("$pair")
done
[ ${#needed[@]} -gt 0 ] || exit 0
debian_base
mkdir -p "$cache"
# The three builds wait mostly on Debian's mirror and dpkg, so they run side by side.
pids=()
for pair in "${needed[@]}"; do
  dir=${pair%%:*} image=${pair#*:}
  echo "$image: building a stand-in from Debian packages (deploy/standins/$dir)"
  docker build -q --build-arg "BASE=$base" -t "$image" "$here/$dir" >"$cache/$dir.build.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    dir=${needed[$i]%%:*}
    echo "building the $dir stand-in failed:" >&2 && cat "$cache/$dir.build.log" >&2
    failed=1
  fi
done
exit "$failed"
