#!/usr/bin/env bash
# The main job: build arazzo-run and run the Stytch B2B TOTP enrollment workflow end to end on the
# embedded OpenAPI mock (offline, no credentials needed). Extra arguments go to arazzo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# A debug build shares its products with the test command, so the two README commands build once.
swift build --product arazzo-run >&2
# The workflow names ../openapi/…; a local document may read the files it names (docs/security.md,
# "Which files may be read"), so no file-access flag is needed.
exec .build/debug/arazzo-run run Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml \
  --mock --inputs Fixtures/stytch/inputs.example.yaml "$@"
