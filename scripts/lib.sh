# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
#
# Shared by scripts/test and scripts/demo (source it, don't run it): installs
# missing Debian 12 packages, then configures and builds with CMake + Ninja.
#
# Environment:
#   ARBITER_BUILD_DIR  build folder, relative to the repo root (default: build)
#   ARBITER_JOBS       parallel compile jobs (default: nproc)

ARBITER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARBITER_BUILD_DIR="${ARBITER_BUILD_DIR:-build}"
ARBITER_JOBS="${ARBITER_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# Everything a build and a full test run need.
ARBITER_PACKAGES=(
  build-essential cmake ninja-build g++
  libabsl-dev libre2-dev libyaml-cpp-dev
  catch2 libbenchmark-dev nlohmann-json3-dev
)

arbiter_log() { printf '==> %s\n' "$*" >&2; }

# Installs the packages in ARBITER_PACKAGES that are not installed yet.
arbiter_ensure_packages() {
  local missing=() pkg
  for pkg in "${ARBITER_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
        grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  arbiter_log "installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      arbiter_log "not root and no sudo: install ${missing[*]} by hand"
      return 1
    fi
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configures a Release build with Ninja; extra arguments go to cmake.
arbiter_configure() {
  local fresh=()
  local cache="$ARBITER_ROOT/$ARBITER_BUILD_DIR/CMakeCache.txt"
  # A build folder made with another generator cannot be reused as is.
  if [ -f "$cache" ] && ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$cache"; then
    fresh=(--fresh)
  fi
  arbiter_log "configuring $ARBITER_BUILD_DIR"
  cmake -S "$ARBITER_ROOT" -B "$ARBITER_ROOT/$ARBITER_BUILD_DIR" "${fresh[@]}" \
    -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
}

# Builds everything, or the targets given as arguments.
arbiter_build() {
  local targets=()
  if [ "$#" -gt 0 ]; then
    targets=(--target "$@")
  fi
  arbiter_log "building $ARBITER_BUILD_DIR${*:+ ($*)}"
  cmake --build "$ARBITER_ROOT/$ARBITER_BUILD_DIR" --parallel "$ARBITER_JOBS" \
    "${targets[@]}"
}
