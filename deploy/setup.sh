#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing Cylch needs, and the
# web client's npm packages (with --for-tests also the benchmark peer's). Run as root.
# Idempotent: quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache mold pkg-config git clang-format
  libboost1.81-dev libboost-test1.81-dev libboost-program-options1.81-dev
  nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev libsodium-dev libqrencode-dev libicu-dev
  libgpiod-dev libncurses-dev libsystemd-dev libssl-dev libjemalloc-dev
  chromium
  clang libclang-rt-14-dev
  nginx openssl systemd
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js 20 with npm (the machine image brings it; Debian 12's own nodejs 18 is too old).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # nginx is here only for deploy/check-deploy.sh (`nginx -t`): do not leave it serving :80.
  if [[ " ${missing[*]} " == *" nginx "* ]] && [[ -d /run/systemd/system ]]; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "setup: Node.js 20 or newer is needed for the web client (found $(node --version))" >&2
  exit 1
fi

# The web client's packages, exactly as locked (no browser downloads: tests use Debian's chromium).
if [[ ! -d web_client/node_modules ]] || [[ web_client/package-lock.json -nt web_client/node_modules/.package-lock.json ]]; then
  echo "setup: installing the web client's npm packages"
  (cd web_client && npm ci --no-audit --no-fund --loglevel=error)
fi
# The Node.js peer of the burst benchmark (bench/peer, a yardstick, not part of the product):
# only for the test suite (`deploy/setup.sh --for-tests`, as deploy/test.sh runs it), so that
# the demo does not wait for a benchmark tool it does not use.
# better-sqlite3 is compiled here against the installed Node's headers: no prebuilt binary and no
# header tarball is downloaded (only the npm registry is used).
if [[ "${1:-}" == "--for-tests" ]] && { [[ ! -d bench/peer/node_modules ]] || [[ bench/peer/package-lock.json -nt bench/peer/node_modules/.package-lock.json ]]; }; then
  node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  if [[ ! -f "$node_prefix/include/node/node_api.h" ]]; then
    echo "setup: the Node.js headers are missing ($node_prefix/include/node): bench/peer cannot be built" >&2
    exit 1
  fi
  echo "setup: installing the benchmark peer's npm packages (compiles better-sqlite3, a few minutes)"
  (cd bench/peer && npm_config_build_from_source=true npm_config_nodedir="$node_prefix" \
     npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: done"
