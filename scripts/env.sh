# Sourced by the project's scripts: puts the project's tools on PATH. Prints nothing.
# shellcheck shell=bash
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PROJECT_ROOT
# wasm-opt comes from npm binaryen (Debian's binaryen 108 emits wasm that fails to load).
# aws, cfn-lint and moto_server come from a project virtualenv (deploy/requirements.txt).
export PATH="$PROJECT_ROOT/e2e/node_modules/.bin:$PROJECT_ROOT/.tools/python/bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROMIUM=/usr/bin/chromium
# Trunk prints pages of backtrace for ordinary build errors otherwise.
export RUST_BACKTRACE=0
