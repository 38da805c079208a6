# Sourced by bench/compare.sh and scripts/update-symbol-order.sh: the loopback Stytch-shaped server
# (`arazzo-bench serve-stytch`), its fixed credentials and a valid inputs object for the reference
# workflow (the values live in Sources/arazzo-bench/StytchFixture.swift and bench/peer.py).
# Needs BENCH (the arazzo-bench binary) set by the caller.

PROJECT_ID=project-test-11111111-2222-4333-8444-555555555555
PROJECT_SECRET=secret-test-bench-0123456789abcdef0123456789ab
SERVER_PID=""
URL=""

# start_stytch_server DIR: starts the server with its log in DIR and sets SERVER_PID and URL;
# exits 1 with the log when it does not start.
start_stytch_server() {
    "$BENCH" serve-stytch >"$1/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        grep -q '^listening ' "$1/server.log" 2>/dev/null && break
        sleep 0.05
    done
    URL="$(sed -n 's/^listening //p' "$1/server.log" | head -1)"
    [ -n "$URL" ] || { echo "$(basename "$0"): the loopback server did not start:" >&2; cat "$1/server.log" >&2; exit 1; }
}

# stop_stytch_server: stops it, if it runs.
stop_stytch_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
}

# inputs_json: the workflow's inputs with the TOTP code of the current 30 s window.
inputs_json() {
    printf '{"organization_id":"organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0","member_id":"member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0","code":"%s","session_duration_minutes":60}' "$("$BENCH" totp)"
}
