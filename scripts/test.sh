#!/usr/bin/env bash
# Runs every test (Swift Testing; the conformance suite prints its own "N passed, N failed" line).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build --build-tests
swift test --skip-build --disable-xctest
