#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets in fuzz/corpus/<target>/:
# LDS files and DG1 specimens from the shared public test vectors, and
# sessions recorded against the virtual passport, encoded in each target's
# input format (see examples/seed_gen.rs). The corpus directories are not
# committed (.gitignore); run this once before fuzzing, or again after the
# input formats change. Existing corpus files are kept (libFuzzer adds its
# own findings there too).
#
#   fuzz/seed-corpus.sh [SHARED_TEST_VECTORS]   (default: ../../shared/test-vectors)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vectors="${1:-$here/../../shared/test-vectors}"
if [ ! -d "$vectors/lds" ]; then
  echo "seed-corpus: the shared test vectors are missing at $vectors (expected $vectors/lds)" >&2
  exit 1
fi
cd "$here"
# A plain build (no fuzzing flags): the generator is an ordinary program.
cargo run --quiet --release --example seed_gen -- "$vectors" "$here/corpus"
