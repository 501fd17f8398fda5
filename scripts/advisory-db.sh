#!/usr/bin/env bash
# The RustSec advisory database for `cargo deny check advisories`, kept in the repository so the test
# command never downloads it (nothing may be fetched from GitHub at build or test time).
#
#   scripts/advisory-db.sh update DIR   refresh deny/advisory-db/ from a full checkout DIR of
#                                       https://github.com/rustsec/advisory-db: the advisories of every
#                                       crate named in Cargo.lock, and the snapshot's commit and date
#   scripts/advisory-db.sh check        fail when Cargo.lock names a crate the snapshot was not made for
#   scripts/advisory-db.sh prepare      (the test command) build the git repository cargo-deny reads,
#                                       offline, under target/advisory-dbs/
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
SNAPSHOT=deny/advisory-db
# cargo-deny's folder name for the default database URL (https://github.com/rustsec/advisory-db).
DB="target/advisory-dbs/advisory-db-3157b0e258782691"

# Crates from a registry (a `source` line): the workspace's own crates have no advisories.
lock_crates() {
  awk '/^\[\[package\]\]/ { name = "" } /^name = / { name = $3 } /^source = / { gsub(/"/, "", name); print name }' Cargo.lock | sort -u
}

case "${1:-}" in
  update)
    full="${2:?usage: scripts/advisory-db.sh update DIR}"
    [ -d "$full/crates" ] || { echo "$full is not an advisory-db checkout" >&2; exit 1; }
    rm -rf "$SNAPSHOT" && mkdir -p "$SNAPSHOT/crates"
    lock_crates > "$SNAPSHOT/COVERS"
    while read -r crate; do
      if [ -d "$full/crates/$crate" ]; then cp -r "$full/crates/$crate" "$SNAPSHOT/crates/"; fi
    done < "$SNAPSHOT/COVERS"
    git -C "$full" log -1 --format='%H %cI' > "$SNAPSHOT/SNAPSHOT"
    echo "advisories of $(ls "$SNAPSHOT/crates" | wc -l) of $(wc -l < "$SNAPSHOT/COVERS") crates, from $(cat "$SNAPSHOT/SNAPSHOT")"
    ;;
  check)
    missing=$(comm -23 <(lock_crates) <(sort -u "$SNAPSHOT/COVERS"))
    if [ -n "$missing" ]; then
      echo "Cargo.lock names crates the advisory snapshot was not made for: $(echo $missing)" >&2
      echo "refresh it: git clone https://github.com/rustsec/advisory-db /tmp/adb && scripts/advisory-db.sh update /tmp/adb" >&2
      exit 1
    fi
    ;;
  prepare)
    "$0" check
    date=$(cut -d' ' -f2 "$SNAPSHOT/SNAPSHOT")
    rm -rf "$DB" && mkdir -p "$DB"
    cp -r "$SNAPSHOT/crates" "$DB/"
    git -C "$DB" init -q
    git -C "$DB" add -A
    GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" git -C "$DB" -c user.name=snapshot -c user.email=snapshot@localhost \
      commit -q -m "advisory-db snapshot $(cut -d' ' -f1 "$SNAPSHOT/SNAPSHOT")"
    ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
