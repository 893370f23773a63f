#!/usr/bin/env bash
# Builds cylch-server (and the tests) in build/, and the web client into web_client/dist.
# Usage: deploy/build.sh [extra cmake options]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCYLCH_WERROR=ON "$@" >/dev/null
ninja -C build -j"$(nproc)"
(cd web_client && npm run build --silent >/dev/null)
echo "build: done (build/server/cylch-server, web_client/dist)"
