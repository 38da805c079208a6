#!/usr/bin/env bash
# Regenerates scripts/arazzo-run.order.gz: the functions an arazzo-run process executes when it
# starts, prints --help, validates the reference workflow and runs it, once on the mock and once
# over loopback HTTP against `arazzo-bench serve-stytch`. scripts/build-release.sh lays these
# functions out first and together, so a CLI process faults in a few dense megabytes of code
# instead of 64 KB windows scattered over the whole text (docs/performance.md, figure 5).
#
# Stale entries are harmless: the linker skips names it does not find and lays out code that is
# not listed after the listed code, as before. Re-run it when a figure-5 measurement drifts.
# Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "update-symbol-order: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
bin="$(scripts/build-release.sh arazzo-run arazzo-bench | tail -1)"
work="$(mktemp -d "${TMPDIR:-/tmp}/arazzo-order.XXXXXX")"
BENCH="$bin/arazzo-bench"
# shellcheck source=bench/stytch-server.sh
. bench/stytch-server.sh
cleanup() {
    stop_stytch_server
    rm -rf "$work"
}
trap cleanup EXIT
# Valgrind cannot read this toolchain's DWARF 5; the symbol table is all the names need.
cp "$bin/arazzo-run" "$work/arazzo-run"
strip --strip-debug "$work/arazzo-run"

start_stytch_server "$work"
workflow=Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml
inputs_json >"$work/inputs.json"
profile() {  # name, arguments…: one callgrind run of arazzo-run
    local name="$1"; shift
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/$name.cg" "$work/arazzo-run" "$@" >"$work/$name.log" 2>&1 \
        || { echo "update-symbol-order: arazzo-run $* failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
}
# The process start comes first, so the code every command runs is laid out first.
profile help --help
profile validate validate "$workflow"
profile mock run "$workflow" --mock --inputs Fixtures/stytch/inputs.example.yaml
profile http run "$workflow" --workflow totp-enrollment --inputs "$work/inputs.json" \
    --server "stytchB2bApi=$URL" --auth "stytchB2bApi=basic:$PROJECT_ID:$PROJECT_SECRET"
# Callgrind names a function where it first lists it (fn= or cfn=); later references use the number.
for name in help validate mock http; do
    grep -oE '^c?fn=\([0-9]+\) .+' "$work/$name.cg" | sed -E 's/^c?fn=\([0-9]+\) //'
done | grep -v '^0x' | awk '!seen[$0]++' | gzip -9n >scripts/arazzo-run.order.gz
echo "update-symbol-order: $(gzip -dc scripts/arazzo-run.order.gz | wc -l) functions in scripts/arazzo-run.order.gz" >&2
