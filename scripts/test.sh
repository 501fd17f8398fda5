#!/usr/bin/env bash
# The test command: sets up what is missing, then runs every test. CI (.ci/run) calls exactly this.
#   0. formatting (cargo fmt --check, leptosfmt --check for view!) and lints (cargo clippy -D warnings, host and wasm32)
#   1. host unit and vector tests (cargo test)
#   2. the committed SRP vectors are regenerated with amazon-cognito-identity-js and must be identical
#   3. the core's SRP in headless Chromium (wasm-bindgen-test)
#   4. release build of the app (trunk build --release)
#   5. the CloudFormation template passes cfn-lint; cargo deny (advisories, licenses, bans, sources)
#   6. node tests: amazon-cognito-identity-js against the local Cognito server, the SRP probe, and
#      end-to-end tests in headless Chromium (playwright-core) against the release build; the deploy
#      command against moto's S3 server
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"

started=$SECONDS
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
step() { printf '\n=== %s\n' "$*"; }

# Adds the counts of cargo/wasm-bindgen-test ("test result: ok. N passed; M failed") and node --test
# ("# pass N", "# fail M") summaries found in a log.
count() {
  local counts
  counts=$(awk '
    /^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed/ { p += $4; f += $6 }
    /^# pass [0-9]+$/ { p += $3 }
    /^# fail [0-9]+$/ { f += $3 }
    END { print p + 0, f + 0 }' "$1")
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
}

run_counted() {
  local log="$logs/$1"
  shift
  if "$@" 2>&1 | tee "$log"; then count "$log"; else count "$log"; echo "FAILED: $*"; summary; exit 1; fi
}

summary() {
  printf '\n=== done in %ss\n' "$((SECONDS - started))"
  printf 'tests: %s passed, %s failed\n' "$passed" "$failed"
}

step "setup"
scripts/setup.sh

step "formatting and lints (cargo fmt --check; leptosfmt --check on view!; cargo clippy -D warnings, host and wasm32)"
if cargo fmt --all --check \
  && leptosfmt --check src \
  && cargo clippy --locked --workspace --all-targets --quiet -- -D warnings \
  && cargo clippy --locked --target wasm32-unknown-unknown -p cognito-spa -p cognito-core --quiet -- -D warnings; then
  echo "formatted; no lint warnings"
  passed=$((passed + 1))
else
  echo "FAILED: cargo fmt --check, leptosfmt --check or cargo clippy (run 'leptosfmt src && cargo fmt --all' and fix the lints above)"
  failed=$((failed + 1)); summary; exit 1
fi

step "host tests (cargo test)"
run_counted host cargo test --workspace --locked

step "SRP vectors still what amazon-cognito-identity-js computes"
node e2e/srp-vectors/generate.mjs "$logs/srp.json"
if cmp -s "$logs/srp.json" crates/cognito-core/tests/vectors/srp.json; then
  echo "vectors identical"
  passed=$((passed + 1))
else
  echo "FAILED: crates/cognito-core/tests/vectors/srp.json differs from a fresh run of the generator"
  diff <(head -c 2000 "$logs/srp.json") <(head -c 2000 crates/cognito-core/tests/vectors/srp.json) || true
  failed=$((failed + 1)); summary; exit 1
fi

step "core in headless Chromium (wasm-bindgen-test)"
# The runner starts Debian's chromedriver; crates/cognito-core/webdriver.json has the browser flags.
run_counted wasm cargo test --locked -p cognito-core --target wasm32-unknown-unknown --test browser

step "release build (trunk build --release)"
trunk build --release --locked

step "CloudFormation template (cfn-lint)"
if cfn-lint deploy/template.yaml; then
  echo "deploy/template.yaml: no findings"
  passed=$((passed + 1))
else
  echo "FAILED: cfn-lint deploy/template.yaml"
  failed=$((failed + 1)); summary; exit 1
fi

step "supply chain (cargo deny: advisories from deny/advisory-db, licenses, bans, sources)"
if scripts/advisory-db.sh prepare && cargo deny --offline check; then
  passed=$((passed + 1))
else
  echo "FAILED: cargo deny --offline check"
  failed=$((failed + 1)); summary; exit 1
fi

step "node and end-to-end tests (amazon-cognito-identity-js, Chromium + Playwright)"
cargo build --locked --quiet -p cognito-local
# --test-force-exit: a file whose tests are done never holds the run (a leftover child process or timer
# once kept one alive in CI for good).
run_counted e2e node --test --test-force-exit --test-reporter=tap e2e/tests/

summary
[ "$failed" -eq 0 ]
