#!/usr/bin/env bash
# The main job: build arazzo-run and run the Stytch B2B TOTP enrollment workflow end to end on the
# embedded OpenAPI mock (offline, no credentials needed). Extra arguments go to arazzo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --product arazzo-run >&2
exec .build/release/arazzo-run run Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml \
  --mock --inputs Fixtures/stytch/inputs.example.yaml "$@"
