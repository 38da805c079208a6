#!/usr/bin/env bash
# Installs the real protocol peers the tests talk to into the git-ignored virtualenv .venv-peers/,
# from the machine's PyPI index: Python's `websockets` package (the AsyncAPI transport tests) and
# `opentelemetry-proto` (the OTLP/HTTP receiver of the tracing tests, scripts/peers/otlp_receiver.py).
# Safe to run again: it does nothing once the pinned versions are there. When it cannot install, it
# says so and exits 0; the WebSocket tests then skip with that reason (they never pass without a
# peer), and the tracing test fails.
# `--required` (scripts/test.sh, CI) makes that a failure instead: a run whose peer tests skipped
# proves nothing, and the WebSocket conformance cases fail without a peer.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
[ "${1:-}" = "--required" ] && fail=1
venv=".venv-peers"
want="websockets==17.4 opentelemetry-proto==1.45.2 protobuf==7.36.2"
if [ -x "$venv/bin/python3" ] && "$venv/bin/python3" -c '
import sys, websockets
from importlib.metadata import version
sys.exit(0 if websockets.__version__ == "17.4" and version("opentelemetry-proto") == "1.45.2" else 1)' 2>/dev/null; then
  exit 0
fi
# Debian splits venv and ensurepip out of python3: install them when missing.
if ! python3 -c 'import venv, ensurepip' 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  echo "setup-peers: installing python3-venv" >&2
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv >/dev/null
fi
if ! python3 -m venv "$venv" >/dev/null 2>&1; then
  echo "setup-peers: WARNING: python3 -m venv failed (install python3-venv); the WebSocket peer tests will be skipped" >&2
  exit "$fail"
fi
# shellcheck disable=SC2086  # $want is a list of requirements
if ! "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check $want; then
  echo "setup-peers: WARNING: pip could not install $want; the WebSocket peer tests will be skipped and the tracing test fails" >&2
  exit "$fail"
fi
echo "setup-peers: $want installed in $venv" >&2
