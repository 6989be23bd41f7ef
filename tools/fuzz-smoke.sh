#!/usr/bin/env bash
# Short fuzz smoke run: builds the cargo-fuzz targets in fuzz/ on the stable
# toolchain (no sanitizer, see fuzz/README.md), seeds the corpus when there
# is none, runs every target for SECONDS (default 10) and prints executions
# and findings per target. Exits non-zero when any target crashed, timed out
# or ran out of memory; the inputs are left in fuzz/artifacts/<target>/.
#
#   tools/fuzz-smoke.sh [SECONDS] [TARGET...]
#
# Not part of the default test command (tools/test.sh), which must stay fast
# and deterministic.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/lib/setup.sh

seconds="${1:-10}"
shift || true
ensure_cargo
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

log "building the fuzz targets"
cargo fuzz build --sanitizer none

if [ -z "$(ls -A fuzz/corpus 2>/dev/null)" ]; then
  log "seeding fuzz/corpus"
  fuzz/seed-corpus.sh
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

# Inputs up to this size for the targets whose seeds are whole sessions or files.
max_len() {
  case "$1" in
    session|lds_dg2) echo 65536 ;;
    lds_sod) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

logs="$(mktemp -d)"
failed=()
printf '%-22s %12s %8s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  status=ok
  if ! cargo fuzz run --sanitizer none "$t" -- \
      -max_total_time="$seconds" -max_len="$(max_len "$t")" \
      -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=20 \
      -print_final_stats=1 >"$log" 2>&1; then
    status="FAILED ($(grep -m1 -oE 'ERROR: libFuzzer: [a-z -]+' "$log" | sed 's/ERROR: libFuzzer: //' || echo 'see log'))"
    failed+=("$t")
  fi
  runs=$(grep -m1 -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  rate=$(grep -m1 -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  printf '%-22s %12s %8s  %s\n' "$t" "$runs" "$rate" "$status"
  if [ "$status" != ok ]; then
    sed -n '/panicked at/,/^stack backtrace/p' "$log" | head -8 | sed 's/^/    /'
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  log "findings in: ${failed[*]} (logs in $logs, inputs in fuzz/artifacts/)"
  exit 1
fi
log "no findings (logs in $logs)"
