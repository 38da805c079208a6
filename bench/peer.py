#!/usr/bin/env python3
"""The Python peer's side of bench/compare.sh: arazzo-runner's library API, in process.

    peer.py workflow ARAZZO [--runs N] [--mode reused|fresh]

Runs the reference workflow N times against the loopback Stytch server named in the (rewritten)
OpenAPI description, with the same credentials, TOTP secret and inputs as `arazzo-bench workflow`,
and prints `result per_run_us=... runs=...`. Every run must complete and return the session
token; otherwise the script exits with status 1 (a failed run is not a measurement).

- reused: one ArazzoRunner (one requests.Session) for every run, after one untimed warm-up run.
  `execute_workflow` appends four event callbacks and keeps one execution state per call; the
  script clears both after every run so the reused runner does not slow down quadratically —
  the peer's best case, not its default behaviour.
- fresh: ArazzoRunner.from_arazzo_path for every run (loads and parses the documents, creates a
  new session), like `arazzo-bench workflow --mode fresh`.

Credentials come from STYTCH_BASICAUTH_USERNAME / STYTCH_BASICAUTH_PASSWORD, the variables the
runner derives from the description's `basicAuth` scheme (see `arazzo-runner show-env-mappings`).
"""

import argparse
import base64
import hashlib
import hmac
import logging
import os
import struct
import sys
import time

from arazzo_runner import ArazzoRunner
from arazzo_runner.models import WorkflowExecutionStatus
from arazzo_runner.utils import set_log_level

# Kept in step with Sources/arazzo-bench/StytchFixture.swift.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WORKFLOW_ID = "totp-enrollment"
ORGANIZATION_ID = "organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"
MEMBER_ID = "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"
SESSION_TOKEN_PREFIX = "session-token-test-"


def totp(secret_base32: str, unix_time: int) -> str:
    """RFC 6238 with HMAC-SHA1, 30-second steps, 6 digits."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8), casefold=True)
    mac = hmac.new(key, struct.pack(">Q", unix_time // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class InputsCache:
    """The inputs with a code recomputed only when the 30-second step changes."""

    def __init__(self) -> None:
        self.step = -1
        self.inputs: dict = {}

    def current(self) -> dict:
        now = int(time.time())
        if now // 30 != self.step:
            self.step = now // 30
            self.inputs = {
                "organization_id": ORGANIZATION_ID,
                "member_id": MEMBER_ID,
                "code": totp(TOTP_SECRET, now),
                "session_duration_minutes": 60,
            }
        return self.inputs


def check(result) -> None:
    token = (result.outputs or {}).get("sessionToken")
    if result.status != WorkflowExecutionStatus.WORKFLOW_COMPLETE or not (
        isinstance(token, str) and token.startswith(SESSION_TOKEN_PREFIX)
    ):
        print(f"peer.py: a run failed: status={result.status} error={result.error} outputs={result.outputs}",
              file=sys.stderr)
        sys.exit(1)


def run_reused(path: str, runs: int, inputs: InputsCache) -> float:
    runner = ArazzoRunner.from_arazzo_path(path)

    def once() -> None:
        check(runner.execute_workflow(WORKFLOW_ID, inputs.current()))
        for callbacks in runner.event_callbacks.values():
            callbacks.clear()
        runner.execution_states.clear()

    once()
    started = time.perf_counter()
    for _ in range(runs):
        once()
    return time.perf_counter() - started


def run_fresh(path: str, runs: int, inputs: InputsCache) -> float:
    def once() -> None:
        runner = ArazzoRunner.from_arazzo_path(path)
        check(runner.execute_workflow(WORKFLOW_ID, inputs.current()))

    once()
    started = time.perf_counter()
    for _ in range(runs):
        once()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    workflow = sub.add_parser("workflow")
    workflow.add_argument("arazzo")
    workflow.add_argument("--runs", type=int, default=1000)
    workflow.add_argument("--mode", choices=["reused", "fresh"], default="reused")
    args = parser.parse_args()

    # Importing the library configures the root logger at INFO; quiet it the way the CLI's
    # `--log-level WARNING` does (the CLI runs in compare.sh use that flag too).
    set_log_level("WARNING")
    logging.getLogger().setLevel(logging.WARNING)
    for name in ("STYTCH_BASICAUTH_USERNAME", "STYTCH_BASICAUTH_PASSWORD"):
        if not os.environ.get(name):
            print(f"peer.py: {name} is not set", file=sys.stderr)
            sys.exit(2)
    runs = max(1, args.runs)
    inputs = InputsCache()
    elapsed = (run_reused if args.mode == "reused" else run_fresh)(args.arazzo, runs, inputs)
    per_run_us = elapsed / runs * 1e6
    print(f"peer workflow {args.mode}: {runs} runs of {WORKFLOW_ID}, {per_run_us:.1f} µs per run")
    print(f"result per_run_us={per_run_us:.2f} runs={runs}")


if __name__ == "__main__":
    main()
