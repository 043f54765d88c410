# Shared by scripts/start and scripts/test. Source it; do not run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FRONTDESK_BUILD_DIR:-$ROOT/build}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs whatever in scripts/packages.txt is missing (apt; as root or via sudo).
ensure_packages() {
  local wanted missing=()
  wanted=$(grep -v '^#' "$ROOT/scripts/packages.txt" | tr -s ' \n' '\n' | grep -v '^$')
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  log "Installing ${#missing[@]} missing packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  log "Building in $BUILD"
  local launcher=()
  # ccache makes a rebuild after a branch switch or in a second checkout cheap.
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
  ninja -C "$BUILD" "$@"
}
