#!/usr/bin/env bash
# Fill deploy/wheelhouse/ from uv.lock: every locked third-party wheel (deps/, with the lock's
# hashes in deps/requirements.txt), the workspace's own packages built as wheels (project/), and
# for each image what it installs (components/<component>.txt: its locked requirements with
# hashes; components/<component>.wheels: its project wheels). The components are the four
# services and the console (one image each: a service's own dependency closure, so no CLI,
# terminal or chart library where the service does not need one) and `platform` (everything:
# the `cnnt` tools, migrations of all schemas).
# deploy/Dockerfile installs from it without reaching the internet, so the images can be built
# on an offline network once this directory is copied there.
# Usage: deploy/wheelhouse.sh [SOURCE_DIR [WHEELHOUSE_DIR]]   (default: this checkout)
set -euo pipefail
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
out=${2:-$src/deploy/wheelhouse}
uv=${UV:-uv}
arch=$(uname -m)
mkdir -p "$out/deps" "$out/project"

requirements=$(cd "$src" && "$uv" export --quiet --frozen --no-dev --no-emit-workspace \
  --format requirements-txt --no-header)
if [ "$requirements" != "$(cat "$out/deps/requirements.txt" 2>/dev/null)" ]; then
  printf '%s\n' "$requirements" >"$out/deps/requirements.txt.part"
  # Wheels for the image's Python (CPython 3.11 on Linux), whatever the host runs.
  pip_download=(download --quiet --disable-pip-version-check --require-hashes --only-binary=:all:
    --python-version 3.11 --implementation cp --dest "$out/deps"
    --platform "manylinux_2_28_$arch" --platform "manylinux_2_17_$arch"
    --platform "manylinux2014_$arch" --platform "manylinux_2_5_$arch"
    --platform "manylinux1_$arch" --platform "linux_$arch" --platform any
    -r "$out/deps/requirements.txt.part")
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip "${pip_download[@]}"
  else
    "$uv" tool run --from pip pip "${pip_download[@]}"
  fi
  mv "$out/deps/requirements.txt.part" "$out/deps/requirements.txt"
fi

rm -f "$out/project/"*.whl
(cd "$src" && "$uv" build --quiet --all-packages --wheel --out-dir "$out/project")

# What each image installs: its locked third-party requirements, and its workspace packages
# (the `-e ./path` lines of the same export) as the wheel files just built.
rm -rf "$out/components" && mkdir -p "$out/components"
for component in registration evaluation certification support console platform; do
  package=(); [ "$component" = platform ] || package=(--package "cnnt-$component")
  (cd "$src" && "$uv" export --quiet --frozen --no-dev --no-emit-workspace "${package[@]}" \
    --format requirements-txt --no-header) >"$out/components/$component.txt"
  (cd "$src" && "$uv" export --quiet --frozen --no-dev --no-hashes "${package[@]}" \
    --format requirements-txt --no-header) | sed -n 's#^-e \./##p' | while read -r path; do
    name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$src/$path/pyproject.toml" | head -1 | tr - _)
    (cd "$out/project" && ls "$name"-*.whl)
  done >"$out/components/$component.wheels"
done
echo "wheelhouse: $out ($(ls "$out/deps" | grep -c '\.whl$') locked wheels, $(ls "$out/project" | wc -l) project wheels, $(ls "$out/components" | grep -c '\.txt$') images)"
