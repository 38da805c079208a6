#!/usr/bin/env bash
# Builds one libFuzzer target (with AddressSanitizer) and runs it.
#   fuzz/run.sh TARGET SECONDS [LIBFUZZER FLAGS...]     e.g. fuzz/run.sh yaml 60
# Targets are the folders of fuzz/Targets. The corpus lives in .build-fuzz/corpus-TARGET (seeded from
# fuzz/Seeds/TARGET, plus Fixtures/ for the document targets); crashes are written to
# .build-fuzz/artifacts-TARGET/. Reproduce one with: .build-fuzz/pkg/.build/release/fuzz-TARGET FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
[ -d "$root/fuzz/Targets/$target" ] || { echo "unknown target '$target'; one of: $(fuzz_targets | tr '\n' ' ')" >&2; exit 2; }
fuzz_prepare
fuzz_build "$target"
fuzz_seed "$target"
fuzz_run "$target" "$seconds" "$@"
