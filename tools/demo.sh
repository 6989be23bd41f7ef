#!/usr/bin/env bash
# The main job on the embedded default: builds mrtd and reads the built-in
# virtual passport in-process (no reader needed), printing the result.
# Extra arguments go to `mrtd read` (e.g. --json, --stats, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/lib/setup.sh

ensure_packages "${MRTD_PACKAGES_BUILD[@]}"
ensure_cargo
cargo build --locked --quiet -p mrtd-cli
exec target/debug/mrtd read --virtual "$@"
