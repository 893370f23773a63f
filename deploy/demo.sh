#!/usr/bin/env bash
# Sets up, builds and starts cylch-server with the demo persona-validation workshop on an
# embedded SQLite file (data/demo.db). Prints the join code and links, and a staff sign-in for
# a demo admin (made at the first run; its password is kept in data/demo-admin-password).
# Run again, it keeps the same workshop (--import-once): its links were printed at the first
# run; the demo admin opens its console and big screen from the staff pages.
# Ctrl-C stops it cleanly.
# Environment: PORT (default 8080), BIND (default 0.0.0.0, so phones on the network can join).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
bash deploy/build.sh
mkdir -p data
server=build/server/cylch-server
if [[ ! -s data/demo-admin-password ]]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' > data/demo-admin-password)
  "$server" user add --db data/demo.db --role admin --name demo-admin \
    --password-file data/demo-admin-password >/dev/null
fi
echo "staff sign-in: http://<this machine>:${PORT:-8080}/s/login" \
  "  name: demo-admin  password: $(cat data/demo-admin-password)"
exec "$server" \
  --bind "${BIND:-0.0.0.0}" --port "${PORT:-8080}" \
  --db data/demo.db --web-root web_client/dist \
  --import deploy/templates/persona-validation.json --import-once
