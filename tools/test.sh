#!/usr/bin/env bash
# Runs every mrtd test on a Debian machine: installs what the tests need
# (pcscd, the vpcd virtual reader, PC/SC headers), starts pcscd if it is not
# running, runs the whole suite, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/lib/setup.sh

ensure_packages "${MRTD_PACKAGES_BUILD[@]}" "${MRTD_PACKAGES_TEST[@]}"
ensure_cargo
start_pcscd
trap stop_pcscd EXIT

export MRTD_REQUIRE_PCSCD=1
cargo test --workspace --locked --no-fail-fast "$@"
