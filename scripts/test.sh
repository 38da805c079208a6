#!/usr/bin/env bash
# Runs every test (Swift Testing; each conformance case is a test case of its own, docs/conformance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The real peers in .venv-peers/: Python websockets (the AsyncAPI cases) and the official MCP
# client (`arazzo-run serve --mcp`, Tests/ArazzoMCPTests).
./scripts/setup-peers.sh --required
# Debian packages the peer tests need, installed when missing; the tests fail (never skip) without
# them: tinyproxy (the forwarding proxy) and the openssl CLI (the private PKI and the TLS server) of
# the proxy and TLS tests (docs/networking.md); Graphviz's `dot`, which checks every DOT graph, and
# headless Chromium, which renders the HTML report (Tests/ArazzoCLITests/GraphReportCLITests.swift).
missing=()
[ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
[ -x /usr/bin/openssl ] || missing+=(openssl)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
# gdb: the watchdog below prints the test process's threads if a run ever hangs.
command -v gdb >/dev/null 2>&1 || missing+=(gdb)
command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1 || missing+=(chromium-headless-shell)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
swift build --build-tests
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# A watchdog: a test that never ends would otherwise hold CI until its own limit. After
# ARAZZO_TEST_TIMEOUT seconds (default 1200; the suite takes 1–3 minutes) it prints every thread's
# backtrace of the test process (gdb, when installed) so the hang can be located, and stops it.
limit="${ARAZZO_TEST_TIMEOUT:-1200}"
swift test --skip-build --disable-xctest >"$log" 2>&1 &
test_pid=$!
tail -n +1 -f --pid="$test_pid" "$log" &
tail_pid=$!
(
  waited=0
  while [ "$waited" -lt "$limit" ]; do
    sleep 5; waited=$((waited + 5))
    kill -0 "$test_pid" 2>/dev/null || exit 0
  done
  if kill -0 "$test_pid" 2>/dev/null; then
    echo "test.sh: the test run passed ${limit} s; thread backtraces of the test process follow" >&2
    for p in $(pgrep -f 'PackageTests.xctest' || true); do
      if command -v gdb >/dev/null 2>&1; then
        gdb -q -batch -p "$p" -ex 'thread apply all bt 30' 2>/dev/null | grep -E '^(Thread|#)' >&2 || true
      fi
      kill -9 "$p" 2>/dev/null || true
    done
  fi
) &
watchdog=$!
status=0
wait "$test_pid" || status=$?
kill "$watchdog" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true
if [ "$status" -ne 0 ]; then
  echo "test.sh: swift test failed (exit $status)" >&2
  exit "$status"
fi
# Swift Testing closes with "✔/━ Test run with N tests … passed" (━ when known issues were
# recorded); repeat it as a plain summary line so any CI reader counts the tests.
count="$(grep -oE 'Test run with [0-9]+ tests' "$log" | tail -1 | grep -oE '[0-9]+' || true)"
if [ -n "$count" ]; then
  echo "tests: $count passed, 0 failed"
fi
# The HTML report as headless Chromium drew it (GraphReportCLITests), for people to look at.
for shot in .build/report-screenshots/*.png; do
  if [ -f "$shot" ]; then echo "report screenshot: $PWD/$shot"; fi
done
# The embedding example (Examples/Embedding, docs/embedding.md): built above with everything else;
# it must exit 0 and print the outputs its in-process executor leads to.
example="$(swift build --show-bin-path)/arazzo-example-embedding"
example_out="$("$example")" || { echo "$example_out"; echo "arazzo-example-embedding failed" >&2; exit 1; }
if ! grep -qF 'adopt-pet succeeded: petId = 7, adoptionId = "ad-0007"' <<<"$example_out"; then
  echo "$example_out"
  echo "arazzo-example-embedding: the expected outputs line is missing" >&2
  exit 1
fi
echo "example: arazzo-example-embedding ran, outputs as expected"
# What an embedder of the library product resolves: no networking packages with `traits: []`
# (docs/embedding.md, "Dependencies and traits"); 16–30 s. ARAZZO_EMBEDDER_BUILD=1 also builds and
# runs the lean embedder (35–70 s more: it compiles the library from scratch).
if [ "${ARAZZO_EMBEDDER_BUILD:-0}" = 1 ]; then
  ./scripts/check-embedder.sh --build
else
  ./scripts/check-embedder.sh
fi
# Every target still compiles with the Networking trait off (the files that need it are guarded
# with `#if Networking`; docs/embedding.md). Its own scratch path, so the main build stays warm.
swift build --disable-default-traits --scratch-path .build-notraits 2>&1 | tail -1
