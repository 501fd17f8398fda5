#!/usr/bin/env bash
# The run command: sets up what is missing, then serves the app with `trunk serve` on
# http://127.0.0.1:8080 (rebuilds on change). Extra arguments go to trunk serve.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
scripts/setup.sh
exec trunk serve "$@"
