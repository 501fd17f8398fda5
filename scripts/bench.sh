#!/usr/bin/env bash
# The benchmark command: builds the release app and the SRP benchmark module, then runs
# e2e/bench/run.mjs: SRP in headless Chromium (cognito-core wasm vs amazon-cognito-identity-js, same
# page, median of BENCH_RUNS=31 runs), the same code natively, the release app against the release local
# server (login click -> profile and reload -> profile, median of BENCH_APP_RUNS=15), and the first-load
# size per file, next to the floor: the smallest app on the same stack (crates/size-floor).
# Prints a table and writes bench-results.json.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
scripts/setup.sh
trunk build --release --locked
(cd crates/size-floor && trunk build --release --locked)
cargo build --quiet --release --locked --target wasm32-unknown-unknown -p srp-bench-wasm
cargo build --quiet --release --locked -p cognito-local
export COGNITO_LOCAL_BIN="$PROJECT_ROOT/target/release/cognito-local"
wasm-bindgen --target web --out-dir target/bench-pkg target/wasm32-unknown-unknown/release/srp_bench_wasm.wasm
node e2e/bench/run.mjs
