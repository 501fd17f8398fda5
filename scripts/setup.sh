#!/usr/bin/env bash
# Installs what building, running and testing need, from the package registries only, and only what is
# missing: running it again installs nothing. Used by scripts/run.sh and scripts/test.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"

TRUNK_VERSION=0.21.14
DEBIAN_PACKAGES=(chromium chromium-driver)
did=()
say() { printf '[setup] %s\n' "$*"; }

# wasm-bindgen-cli must be exactly the wasm-bindgen the app links (Cargo.lock).
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
  did+=("wasm32 target")
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding Rust component $component"
    rustup component add "$component"
    did+=("$component")
  fi
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install --locked --force "trunk@$TRUNK_VERSION"
  did+=("trunk $TRUNK_VERSION")
fi

CARGO_DENY_VERSION=0.20.2
if [ "$(cargo-deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
  say "installing cargo-deny $CARGO_DENY_VERSION (a few minutes)"
  cargo install --locked --force "cargo-deny@$CARGO_DENY_VERSION"
  did+=("cargo-deny $CARGO_DENY_VERSION")
fi

# leptosfmt formats what rustfmt leaves alone: the `view!` macros (the test command checks both).
LEPTOSFMT_VERSION=0.1.33
if [ "$(leptosfmt --version 2>/dev/null)" != "leptosfmt $LEPTOSFMT_VERSION" ]; then
  say "installing leptosfmt $LEPTOSFMT_VERSION (a few minutes)"
  cargo install --locked --force "leptosfmt@$LEPTOSFMT_VERSION"
  did+=("leptosfmt $LEPTOSFMT_VERSION")
fi

bindgen_version="$(lock_version wasm-bindgen)"
[ -n "$bindgen_version" ] || { say "Cargo.lock names no wasm-bindgen"; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (about 5 minutes)"
  # Not --locked: one of its locked dependency versions is no longer on crates.io.
  cargo install --force "wasm-bindgen-cli@$bindgen_version"
  did+=("wasm-bindgen-cli $bindgen_version")
fi
if ! grep -q "wasm_bindgen = \"$bindgen_version\"" Trunk.toml; then
  say "Trunk.toml [tools] wasm_bindgen must be \"$bindgen_version\" (Cargo.lock)"
  exit 1
fi

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  did+=("${missing[@]}")
fi

# Node packages (amazon-cognito-identity-js, aws-amplify, esbuild, playwright-core, binaryen): reinstalled when the lock changes.
stamp=e2e/node_modules/.installed-package-lock.json
if ! cmp -s e2e/package-lock.json "$stamp"; then
  say "installing node packages (npm ci)"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
  cp e2e/package-lock.json "$stamp"
  did+=("node packages")
fi
wasm_opt_version="$(wasm-opt --version 2>/dev/null || true)"
case "$wasm_opt_version" in
  *"version_132"*) ;;
  *) say "wasm-opt on PATH is not binaryen 132: '$wasm_opt_version'"; exit 1 ;;
esac

# Python tools (aws cli, cfn-lint, moto's S3 server) in a project virtualenv: reinstalled when the
# requirements change.
venv=.tools/python
if ! cmp -s deploy/requirements.txt "$venv/.installed-requirements.txt"; then
  say "installing Python tools (aws cli, cfn-lint, moto) into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r deploy/requirements.txt
  cp deploy/requirements.txt "$venv/.installed-requirements.txt"
  did+=("python tools")
fi

# Trunk builds offline; make sure every crate is in the local registry first.
if ! cargo fetch --locked --quiet 2>/dev/null --offline; then
  say "fetching crates"
  cargo fetch --locked
  did+=("crates")
fi

if [ ${#did[@]} -eq 0 ]; then
  say "everything already installed"
else
  say "installed: ${did[*]}"
fi
