#!/usr/bin/env bash
# Build the images deploy/docker-compose.yml runs, from this checkout, offline-capable: the
# wheelhouse (deploy/wheelhouse.sh), then deploy/Dockerfile once per component:
# cnnt-<service>:TAG for registration, evaluation, certification, support and the console (each
# with only its own dependencies), and cnnt-platform:TAG (the `cnnt` tools: the migrate step,
# operators' commands). `make up` runs it.
# Usage: deploy/build-images.sh [TAG]          build the images, tagged TAG (default: latest)
#        deploy/build-images.sh --env [TAG]    build nothing; print, one NAME=VALUE a line, the
#                                              variables that make deploy/docker-compose.yml
#                                              run the images tagged TAG (default: latest)
# Keep both forms when the packaging changes: the compose smoke run of a later commit upgrades
# from this one by building it with this script and starting this commit's compose file with
# the variables `--env` prints (tests/compose_smoke/engine.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=cnnt
components=(platform registration evaluation certification support console)

if [ "${1:-}" = "--env" ]; then
  echo "CNNT_IMAGE_PREFIX=$prefix"
  echo "CNNT_IMAGE_TAG=${2:-latest}"
  exit 0
fi
tag=${1:-latest}

"$here/wheelhouse.sh" "$here/.." "$here/wheelhouse"
# The locked wheels are one layer the six builds share; each then installs its own closure.
for i in "${!components[@]}"; do
  component=${components[$i]}
  echo "[$((i + 1))/${#components[@]}] $prefix-$component:$tag"
  docker build -q -f "$here/Dockerfile" --build-arg "COMPONENT=$component" \
    -t "$prefix-$component:$tag" "$here/.." >/dev/null
done
echo "built ${components[*]/#/$prefix-} (tag $tag)"
