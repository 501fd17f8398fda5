#!/usr/bin/env bash
# The run command: sets up what is missing, starts the local Cognito server (cognito-local) seeded with
# the dev pool and keeping its users in .local/cognito-data, then serves the app with `trunk serve` on
# http://127.0.0.1:8080 (rebuilds on change). Extra arguments go to trunk serve. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
scripts/setup.sh

# public/config.json (copied into the app by Trunk) points at this port and the dev pool.
COGNITO_PORT=9339
cargo build --locked --quiet -p cognito-local
mkdir -p .local
target/debug/cognito-local --port "$COGNITO_PORT" \
  --pool crates/cognito-local/pools/dev.json --data .local/cognito-data &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$COGNITO_PORT/_local/health" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "cognito-local did not start (is port $COGNITO_PORT busy?)"; exit 1; }
  sleep 0.2
done
echo "[run] local Cognito at http://127.0.0.1:$COGNITO_PORT (pool us-east-1_LocalDev01); codes appear in this log"
trunk serve "$@"
