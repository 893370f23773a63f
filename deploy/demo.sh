#!/usr/bin/env bash
# Sets up, builds and starts cylch-server with the demo persona-validation workshop on an
# embedded SQLite file (data/demo.db). Prints the join code and links; Ctrl-C stops it cleanly.
# Environment: PORT (default 8080), BIND (default 0.0.0.0, so phones on the network can join).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
bash deploy/build.sh
mkdir -p data
exec build/server/cylch-server \
  --bind "${BIND:-0.0.0.0}" --port "${PORT:-8080}" \
  --db data/demo.db --web-root web_client/dist \
  --import deploy/templates/persona-validation.json
