#!/usr/bin/env bash
# Build the images deploy/docker-compose.yml runs, from this checkout, offline-capable: the
# wheelhouse (deploy/wheelhouse.sh), then deploy/Dockerfile. Today that is one image,
# cnnt-platform:TAG, for migrate, the four services and the console. `make up` runs it.
# Usage: deploy/build-images.sh [TAG]          build the images, tagged TAG (default: latest)
#        deploy/build-images.sh --env [TAG]    build nothing; print, one NAME=VALUE a line, the
#                                              variables that make deploy/docker-compose.yml
#                                              run the images tagged TAG (default: latest)
# Keep both forms when the packaging changes: the compose smoke run of a later commit upgrades
# from this one by building it with this script and starting this commit's compose file with
# the variables `--env` prints (tests/compose_smoke/engine.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "--env" ]; then
  echo "CNNT_IMAGE=cnnt-platform:${2:-latest}"
  exit 0
fi
tag=${1:-latest}

"$here/wheelhouse.sh" "$here/.." "$here/wheelhouse"
docker build -f "$here/Dockerfile" -t "cnnt-platform:$tag" "$here/.."
echo "built cnnt-platform:$tag"
