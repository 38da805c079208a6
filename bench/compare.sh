#!/usr/bin/env bash
# Side-by-side benchmark: swift-arazzo against the Python arazzo-runner 0.9.6, and against the
# physical limits of our own design. Prints one table of medians and ratios; docs/performance.md
# quotes a run of it.
#
#   bench/compare.sh            full run (≥ 5 interleaved repetitions per figure; several minutes)
#   bench/compare.sh --smoke    tiny counts, for CI (same code paths, numbers not meaningful)
#
# Options: --bin DIR    use arazzo-run and arazzo-bench from DIR instead of building them
#          --reps N     repetitions per figure (default 5; smoke 2)
# Environment: STYTCH_FULL_OPENAPI  the real 1.4 MB Stytch B2B description (default
#              ../shared/fixtures/stytch/openapi/stytch-b2b-openapi.yml next to the repository);
#              figure 3 is skipped when it is absent.
#              PYTHON  the interpreter used to create the virtualenv (default python3).
#
# Set-up it does on its own: a virtualenv in .build/bench-venv with arazzo-runner==0.9.6 (when
# missing), release builds of arazzo-run and arazzo-bench, one loopback Stytch-shaped server
# (`arazzo-bench serve-stytch`) that both runners use, and a work directory with copies of the
# reference workflow and OpenAPI description whose `servers` point at that server. The copies also
# declare `security: [basicAuth: []]` at the top level: the real description attaches no security
# requirement to any operation, and the Python runner only sends credentials for declared
# requirements (ours binds them to the source description either way). Both runners read the
# same copies.
set -Eeuo pipefail
# Any failed step says which one and how it ended (a benchmark that died of a signal exits 128+N),
# instead of the script stopping without a word.
trap 'status=$?; echo "compare.sh: line $LINENO failed (exit $status): $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SMOKE=0
BIN=""
REPS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1 ;;
        --bin) BIN="$2"; shift ;;
        --reps) REPS="$2"; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$SMOKE" = 1 ]; then
    REPS="${REPS:-2}"; WF_RUNS=20; FRESH_RUNS=5; REAL_RUNS=1; TP_SECONDS=0.3; TP_REPEATS=1
    PARSE_ITER=2; JSONPATH_ITER=2; COND_ROUNDS=500; ENGINE_RUNS=200; ENGINE_ITER=2
else
    REPS="${REPS:-5}"; WF_RUNS=1000; FRESH_RUNS=1000; REAL_RUNS=1; TP_SECONDS=4; TP_REPEATS=5
    PARSE_ITER=15; JSONPATH_ITER=20; COND_ROUNDS=20000; ENGINE_RUNS=5000; ENGINE_ITER=7
fi

log() { echo "[compare] $*" >&2; }

# --- set-up: the Python peer -------------------------------------------------------------------
VENV="$ROOT/.build/bench-venv"
if [ ! -x "$VENV/bin/arazzo-runner" ]; then
    log "creating $VENV with arazzo-runner==0.9.6"
    mkdir -p "$ROOT/.build"
    "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check arazzo-runner==0.9.6
fi
PY="$VENV/bin/python"
PEER_VERSION="$("$PY" -c 'import importlib.metadata as m; print(m.version("arazzo-runner"))')"

# --- set-up: our binaries ----------------------------------------------------------------------
if [ -z "$BIN" ]; then
    # Both built the way the CLI ships (scripts/build-release.sh: static Swift runtime, lld,
    # packed relative relocations); see docs/performance.md, figure 5.
    log "building arazzo-run and arazzo-bench (scripts/build-release.sh)"
    BIN="$("$ROOT/scripts/build-release.sh" arazzo-run arazzo-bench | tail -1)"
fi
RUN="$BIN/arazzo-run"
BENCH="$BIN/arazzo-bench"
for tool in "$RUN" "$BENCH"; do
    [ -x "$tool" ] || { echo "compare.sh: $tool is missing" >&2; exit 1; }
done
STARTED=$(date +%s)

# --- set-up: the server and the work directory -------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/arazzo-bench.XXXXXX")"
# shellcheck source=bench/stytch-server.sh
. "$ROOT/bench/stytch-server.sh"
cleanup() {
    stop_stytch_server
    rm -rf "$WORK"
}
trap cleanup EXIT
start_stytch_server "$WORK"
log "loopback Stytch server at $URL (pid $SERVER_PID)"

# A copy of the OpenAPI description whose top-level `servers` is the loopback URL, with a
# top-level basicAuth requirement (see the header comment).
rewrite_openapi() {
    awk -v url="$URL" '
        /^servers:/ { print "servers:"; print "- url: " url; print "security:"; print "- basicAuth: []"; skip = 1; next }
        skip && /^[^ -]/ { skip = 0 }
        skip { next }
        { print }' "$1" >"$2"
    grep -q "^- url: $URL\$" "$2" || { echo "compare.sh: could not rewrite the servers of $1" >&2; exit 1; }
}
WORKFLOW_NAME=stytch-b2b-totp-enrollment-workflow.yml
mkdir -p "$WORK/small/arazzo" "$WORK/small/openapi"
cp "$ROOT/Fixtures/stytch/arazzo/$WORKFLOW_NAME" "$WORK/small/arazzo/"
rewrite_openapi "$ROOT/Fixtures/stytch/openapi/stytch-b2b-openapi.yml" "$WORK/small/openapi/stytch-b2b-openapi.yml"
SMALL="$WORK/small/arazzo/$WORKFLOW_NAME"

FULL_OPENAPI="${STYTCH_FULL_OPENAPI:-$ROOT/../shared/fixtures/stytch/openapi/stytch-b2b-openapi.yml}"
REAL=""
if [ -f "$FULL_OPENAPI" ]; then
    mkdir -p "$WORK/real/arazzo" "$WORK/real/openapi"
    cp "$ROOT/Fixtures/stytch/arazzo/$WORKFLOW_NAME" "$WORK/real/arazzo/"
    rewrite_openapi "$FULL_OPENAPI" "$WORK/real/openapi/stytch-b2b-openapi.yml"
    REAL="$WORK/real/arazzo/$WORKFLOW_NAME"
fi

# Credentials and inputs, identical on both sides (bench/stytch-server.sh).
export STYTCH_BASICAUTH_USERNAME="$PROJECT_ID" STYTCH_BASICAUTH_PASSWORD="$PROJECT_SECRET"

# --- helpers -----------------------------------------------------------------------------------
# field NAME: the value of NAME=... on the `result` line of standard input.
field() { sed -n "s/^result .*\\b$1=\\([^ ]*\\).*/\\1/p" | tail -1; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# One CLI run of each side; appends wall ms and peak RSS kB to the named arrays.
cli_ours() {  # $1 = arazzo path
    inputs_json >"$WORK/inputs.json"
    "$BENCH" spawn --require "session-token-test-" -- "$RUN" run "$1" --workflow totp-enrollment \
        --inputs "$WORK/inputs.json" --auth "stytchB2bApi=basic:$PROJECT_ID:$PROJECT_SECRET"
}
cli_theirs() {  # $1 = arazzo path
    local inputs; inputs="$(inputs_json)"
    "$BENCH" spawn --require "session-token-test-" -- "$VENV/bin/arazzo-runner" --log-level WARNING \
        execute-workflow "$1" --workflow-id totp-enrollment --inputs "$inputs"
}

# --- 1 and 5: whole CLI process ----------------------------------------------------------------
log "1/5: CLI process, $REPS runs each, interleaved"
CLI_OURS=""; CLI_THEIRS=""; RSS_OURS=""; RSS_THEIRS=""
cli_ours "$SMALL" >/dev/null; cli_theirs "$SMALL" >/dev/null   # warm the page cache
for _ in $(seq 1 "$REPS"); do
    out="$(cli_ours "$SMALL")";   CLI_OURS+=" $(field wall_ms <<<"$out")";   RSS_OURS+=" $(field maxrss_kb <<<"$out")"
    out="$(cli_theirs "$SMALL")"; CLI_THEIRS+=" $(field wall_ms <<<"$out")"; RSS_THEIRS+=" $(field maxrss_kb <<<"$out")"
done

# The floor under figure 1: our CLI starting and exiting without running anything.
FLOOR_OURS=""; FLOOR_THEIRS=""
for _ in $(seq 1 "$REPS"); do
    FLOOR_OURS+=" $("$BENCH" spawn -- "$RUN" --help | field wall_ms)"
    FLOOR_THEIRS+=" $("$BENCH" spawn -- "$VENV/bin/arazzo-runner" --help | field wall_ms)"
done

# --- 2: in process, per workflow run -----------------------------------------------------------
log "2: in process, $WF_RUNS runs (reused) and $FRESH_RUNS runs (fresh) per sample, $REPS samples each"
WF_OURS=""; WF_THEIRS=""; FR_OURS=""; FR_THEIRS=""; SOCKET_FLOOR=""
for _ in $(seq 1 "$REPS"); do
    # The physical limit: the same two requests over one blocking socket (no client library).
    SOCKET_FLOOR+=" $("$BENCH" floor "$SMALL" --runs "$WF_RUNS" | field per_run_us)"
    WF_OURS+=" $("$BENCH" workflow "$SMALL" --runs "$WF_RUNS" --mode reused | field per_run_us)"
    WF_THEIRS+=" $("$PY" "$ROOT/bench/peer.py" workflow "$SMALL" --runs "$WF_RUNS" --mode reused | field per_run_us)"
    FR_OURS+=" $("$BENCH" workflow "$SMALL" --runs "$FRESH_RUNS" --mode fresh | field per_run_us)"
    FR_THEIRS+=" $("$PY" "$ROOT/bench/peer.py" workflow "$SMALL" --runs "$FRESH_RUNS" --mode fresh | field per_run_us)"
done

# --- 3: the real 1.4 MB description --------------------------------------------------------------
RE_OURS=""; RE_THEIRS=""; RECLI_OURS=""; RECLI_THEIRS=""; RERSS_OURS=""; RERSS_THEIRS=""
if [ -n "$REAL" ]; then
    log "3: load + index the real description and run, $REPS samples each (in process and CLI)"
    for _ in $(seq 1 "$REPS"); do
        RE_OURS+=" $("$BENCH" workflow "$REAL" --runs "$REAL_RUNS" --mode fresh | field per_run_us)"
        RE_THEIRS+=" $("$PY" "$ROOT/bench/peer.py" workflow "$REAL" --runs "$REAL_RUNS" --mode fresh | field per_run_us)"
        out="$(cli_ours "$REAL")";   RECLI_OURS+=" $(field wall_ms <<<"$out")";   RERSS_OURS+=" $(field maxrss_kb <<<"$out")"
        out="$(cli_theirs "$REAL")"; RECLI_THEIRS+=" $(field wall_ms <<<"$out")"; RERSS_THEIRS+=" $(field maxrss_kb <<<"$out")"
    done
else
    log "3: skipped: $FULL_OPENAPI is absent"
fi

# --- 4: throughput against a bare AsyncHTTPClient loop -------------------------------------------
log "4: throughput at concurrency 1, 8, 64 ($TP_REPEATS × $TP_SECONDS s per cell, interleaved)"
TP="$("$BENCH" throughput "$SMALL" --concurrency 1,8,64 --seconds "$TP_SECONDS" --repeats "$TP_REPEATS")"
# The same bare loop with its workers on the client's event loops, where the engine's runs execute
# (decision EL1): the ceiling for that design, printed beside the figure.
TP_LOOPS="$("$BENCH" throughput "$SMALL" --side bare --bare-on-loops --concurrency 1,8,64 --seconds "$TP_SECONDS" --repeats "$TP_REPEATS")"

# --- 7: the load generator against the same bare loop; its memory at 1,000 VUs -----------------
log "7: load generator at 64 VUs ($TP_REPEATS × $TP_SECONDS s per cell, interleaved) and peak RSS at 1,000 VUs"
LOAD="$("$BENCH" load "$SMALL" --vus 64 --rss-vus 1000 --seconds "$TP_SECONDS" --repeats "$TP_REPEATS")"

# --- 6: parse rates and engine overhead ----------------------------------------------------------
log "6: parse rates and engine overhead"
YAML_FILE="$FULL_OPENAPI"; [ -f "$YAML_FILE" ] || YAML_FILE="$ROOT/Fixtures/stytch/openapi/stytch-b2b-openapi.yml"
PARSE="$("$BENCH" parse "$YAML_FILE" --iterations "$PARSE_ITER")"
JSONPATH="$("$BENCH" jsonpath --iterations "$JSONPATH_ITER")"
CONDITIONS="$("$BENCH" conditions --rounds "$COND_ROUNDS")"
ENGINE="$(cd "$ROOT" && "$BENCH" engine "Fixtures/stytch/arazzo/$WORKFLOW_NAME" --runs "$ENGINE_RUNS" --iterations "$ENGINE_ITER")"

# --- the table ---------------------------------------------------------------------------------
row() {  # label, ours, theirs, unit, target (ratio = theirs / ours: how many times faster we are)
    local ours theirs ratio
    ours="$(median <<<"$2")"; theirs="$(median <<<"$3")"
    ratio="$(calc '%.1f×' "$theirs / $ours")"
    printf '%-46s %12s %12s %9s   %s\n' "$1" "$(calc '%.2f' "$ours") $4" "$(calc '%.2f' "$theirs") $4" "$ratio" "$5"
}
rss_row() {
    local ours theirs
    ours="$(median <<<"$2")"; theirs="$(median <<<"$3")"
    printf '%-46s %12s %12s %9s   %s\n' "$1" "$(calc '%.1f' "$ours / 1024") MB" "$(calc '%.1f' "$theirs / 1024") MB" "$(calc '%.2f×' "$theirs / $ours")" "$4"
}
echo
echo "swift-arazzo vs arazzo-runner $PEER_VERSION — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr)"
echo "$(swift --version 2>/dev/null | head -1); $("$PY" --version); medians of $REPS interleaved samples$([ "$SMALL" ] && [ "$SMOKE" = 1 ] && echo ' (SMOKE: tiny counts, not a measurement)')"
echo
printf '%-46s %12s %12s %9s   %s\n' "figure" "ours" "theirs" "ratio" "target"
printf '%-46s %12s %12s %9s   %s\n' "------" "----" "------" "-----" "------"
row "1 CLI process, one workflow run" "$CLI_OURS" "$CLI_THEIRS" ms "≥ 10×"
row "  (floor: the CLI's --help, process start only)" "$FLOOR_OURS" "$FLOOR_THEIRS" ms "-"
row "2 in process per run, reused engine/runner" "$WF_OURS" "$WF_THEIRS" µs "≥ 30×"
row "2 in process per run, fresh engine/runner" "$FR_OURS" "$FR_THEIRS" µs "≥ 30×"
BARE_C1="$(field c1_bare <<<"$TP")"
if [ -n "$BARE_C1" ]; then
    row "  (bare AsyncHTTPClient loop, same 2 requests)" "$(calc '%.2f' "1000000 / $BARE_C1")" "$WF_THEIRS" µs "our client's ceiling"
fi
row "  (blocking socket, same 2 requests)" "$SOCKET_FLOOR" "$WF_THEIRS" µs "any client's ceiling"
if [ -n "$REAL" ]; then
    row "3 load+index 1.4 MB OpenAPI + run, in process" "$(for v in $RE_OURS; do calc '%.3f' "$v / 1000"; echo; done)" "$(for v in $RE_THEIRS; do calc '%.3f' "$v / 1000"; echo; done)" ms "≥ 20×"
    row "3 load+index 1.4 MB OpenAPI + run, CLI" "$RECLI_OURS" "$RECLI_THEIRS" ms "≥ 20×"
else
    printf '%-46s %s\n' "3 realistic (1.4 MB OpenAPI)" "skipped: $FULL_OPENAPI absent"
fi
rss_row "5 peak RSS, CLI run (small description)" "$RSS_OURS" "$RSS_THEIRS" "ours ≤ 30 MB"
if [ -n "$REAL" ]; then
    rss_row "5 peak RSS, CLI run (1.4 MB description)" "$RERSS_OURS" "$RERSS_THEIRS" "-"
fi
echo
echo "4 throughput (workflows/s; ours = engine, baseline = bare AsyncHTTPClient loop, same requests)"
sed -n '/^concurrency/,/^result/p' <<<"$TP" | grep -v '^result'
echo "  bare loop on the event loops (the engine's design, EL1): $(for level in 1 8 64; do
    bare="$(field "c${level}_bare" <<<"$TP_LOOPS")"; ours="$(field "c${level}_ours" <<<"$TP")"
    printf 'c%s %s/s (engine %s) ' "$level" "$(calc '%.0f' "$bare")" "$(calc '%.1f%%' "$ours / $bare * 100")"
done)"
echo "  target: engine ≥ 90% of bare at concurrency 1, 8 and 64 (issue 16)"
echo
echo "7 load generator (requests/s at 64 VUs vs the bare AsyncHTTPClient loop; arazzo-run load's LoadGenerator)"
sed -n '/^vus/,/^result/p' <<<"$LOAD" | grep -v '^result' | sed 's/^/  /'
echo "  target: load ≥ 85% of bare; peak RSS at 1,000 VUs ≤ 150 MB"
echo
echo "6 parse rates and engine overhead"
sed -n '/^stage/,/^$/p' <<<"$PARSE" | head -4 | sed 's/^/  /'
echo "  ($(head -1 <<<"$PARSE"))"
grep -v '^result' <<<"$CONDITIONS" | sed 's/^/  /'
sed 's/^/  /' <<<"$JSONPATH"
grep -v '^result' <<<"$ENGINE" | sed 's/^/  /'
echo "  target: engine overhead ≤ 7 µs per step (issue 16)"
echo
log "measurements took $(( $(date +%s) - STARTED )) s after the build"
