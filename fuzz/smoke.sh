#!/usr/bin/env bash
# CI smoke run: builds every fuzz target, then runs each for SECONDS (default 20) on its seed corpus.
# Fails (exit 1) when any target crashes, hangs, times out or runs out of memory; the failing input
# is in .build-fuzz/artifacts-TARGET/.
#   fuzz/smoke.sh [SECONDS]
set -uo pipefail
source "$(dirname "$0")/lib.sh"
seconds="${1:-20}"
set -e
fuzz_prepare
start=$(date +%s)
for target in $(fuzz_targets); do
  echo "smoke: building fuzz-$target" >&2
  fuzz_build "$target"
done
echo "smoke: built every target in $(( $(date +%s) - start )) s" >&2
set +e
failed=()
for target in $(fuzz_targets); do
  fuzz_seed "$target"
  log="$work/smoke-$target.log"
  if fuzz_run "$target" "$seconds" >"$log" 2>&1; then
    echo "smoke: $target ok ($(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions)" >&2
  else
    echo "smoke: $target FAILED; log $log" >&2
    tail -40 "$log" >&2
    failed+=("$target")
  fi
done
echo "smoke: finished in $(( $(date +%s) - start )) s" >&2
if [ "${#failed[@]}" -gt 0 ]; then
  echo "smoke: failing targets: ${failed[*]}" >&2
  exit 1
fi
