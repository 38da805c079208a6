#!/usr/bin/env bash
# Regenerates the pictures docs/reports.md shows: the Stytch fixture's workflow graph, coloured by
# its run on --mock, as Graphviz SVG (docs/images/stytch-graph.svg), and the flows fixture's
# graph (docs/images/flows-graph.svg; every edge kind); and the HTML run report of each, as
# headless Chromium draws it (docs/images/stytch-report.png, flows-report.png). Needs Graphviz
# (`dot`), Chromium (`chromium-headless-shell` or `chromium`) and a built arazzo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
run="${ARAZZO_RUN:-.build/debug/arazzo-run}"
command -v dot >/dev/null || { echo "docs-graph.sh: dot is missing (Debian package graphviz)" >&2; exit 1; }
chromium="$(command -v chromium-headless-shell || command -v chromium || true)"
[ -n "$chromium" ] || { echo "docs-graph.sh: Chromium is missing (Debian package chromium-headless-shell)" >&2; exit 1; }
sandbox=(); if [ "$(id -u)" -eq 0 ]; then sandbox=(--no-sandbox); fi
shot() { "$chromium" "${sandbox[@]}" --headless --disable-gpu --hide-scrollbars --window-size="$2" --screenshot="$3" "file://$1" >/dev/null 2>&1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p docs/images
"$run" run Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml --mock \
  --inputs Fixtures/stytch/inputs.example.yaml --json "$tmp/stytch.json" --html "$tmp/stytch.html" >/dev/null
"$run" graph Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml --format dot --run "$tmp/stytch.json" \
  | dot -Tsvg -o docs/images/stytch-graph.svg
# `flaky` fails by design: exit 1 is expected here.
"$run" run Fixtures/graph/flows.arazzo.yaml --mock --json "$tmp/flows.json" --html "$tmp/flows.html" >/dev/null || true
"$run" graph Fixtures/graph/flows.arazzo.yaml --format dot --run "$tmp/flows.json" | dot -Tsvg -o docs/images/flows-graph.svg
shot "$tmp/stytch.html" 1100,900 docs/images/stytch-report.png
shot "$tmp/flows.html" 1100,1400 docs/images/flows-report.png
echo "wrote docs/images/stytch-graph.svg docs/images/flows-graph.svg docs/images/stytch-report.png docs/images/flows-report.png"
