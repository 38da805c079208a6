#!/usr/bin/env bash
# The main job: build arazzo-run and run the Stytch B2B TOTP enrollment workflow end to end on the
# embedded OpenAPI mock (offline, no credentials needed). Extra arguments go to arazzo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# A debug build shares its products with the test command, so the two README commands build once.
swift build --product arazzo-run >&2
# The workflow names ../openapi/…, outside its own directory: --allow-file-root admits the layout's
# root (docs/security.md, "Which files may be read").
exec .build/debug/arazzo-run run Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml \
  --allow-file-root Fixtures/stytch --mock --inputs Fixtures/stytch/inputs.example.yaml "$@"
