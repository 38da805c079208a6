#!/usr/bin/env bash
# Regenerates the pictures docs/reports.md shows: the Stytch fixture's workflow graph, coloured by
# its run on --mock, as Graphviz SVG (docs/images/stytch-graph.svg), and the flows fixture's
# graph (docs/images/flows-graph.svg; every edge kind). Needs Graphviz (`dot`) and a built arazzo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
run="${ARAZZO_RUN:-.build/debug/arazzo-run}"
command -v dot >/dev/null || { echo "docs-graph.sh: dot is missing (Debian package graphviz)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p docs/images
"$run" run Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml --mock \
  --inputs Fixtures/stytch/inputs.example.yaml --json "$tmp/stytch.json" >/dev/null
"$run" graph Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml --format dot --run "$tmp/stytch.json" \
  | dot -Tsvg -o docs/images/stytch-graph.svg
# `flaky` fails by design: exit 1 is expected here.
"$run" run Fixtures/graph/flows.arazzo.yaml --mock --json "$tmp/flows.json" >/dev/null || true
"$run" graph Fixtures/graph/flows.arazzo.yaml --format dot --run "$tmp/flows.json" | dot -Tsvg -o docs/images/flows-graph.svg
echo "wrote docs/images/stytch-graph.svg docs/images/flows-graph.svg"
