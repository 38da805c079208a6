#!/usr/bin/env bash
# Installs the real protocol peers the tests talk to into the git-ignored virtualenv .venv-peers/,
# from the machine's PyPI index: Python's `websockets` package (the AsyncAPI transport tests) and
# the official `mcp` package (the client that drives `arazzo-run serve --mcp`, docs/mcp.md) and
# `opentelemetry-proto` (the OTLP/HTTP receiver of the tracing tests, scripts/peers/otlp_receiver.py).
# Safe to run again: it does nothing once the pinned versions are there. When it cannot install, it
# says so and exits 0; the WebSocket tests then skip and the MCP client and tracing tests fail, each
# saying why (none passes without its peer).
# `--required` (scripts/test.sh, CI) makes that a failure here already: a run whose peers are
# missing proves nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
[ "${1:-}" = "--required" ] && fail=1
venv=".venv-peers"
want=("websockets==17.4" "mcp==2.3.0" "opentelemetry-proto==1.45.2" "protobuf==7.36.2")
check='
import sys
from importlib.metadata import version
have = tuple(version(p) for p in ("websockets", "mcp", "opentelemetry-proto", "protobuf"))
sys.exit(0 if have == ("17.4", "2.3.0", "1.45.2", "7.36.2") else 1)
'
if [ -x "$venv/bin/python3" ] && "$venv/bin/python3" -c "$check" 2>/dev/null; then
  exit 0
fi
# Debian splits venv and ensurepip out of python3: install them when missing.
if ! python3 -c 'import venv, ensurepip' 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  echo "setup-peers: installing python3-venv" >&2
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv >/dev/null
fi
if ! python3 -m venv "$venv" >/dev/null 2>&1; then
  echo "setup-peers: WARNING: python3 -m venv failed (install python3-venv); the peer tests will fail" >&2
  exit "$fail"
fi
if ! "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${want[@]}"; then
  echo "setup-peers: WARNING: pip could not install ${want[*]}; the peer tests will fail" >&2
  exit "$fail"
fi
echo "setup-peers: ${want[*]} installed in $venv" >&2
