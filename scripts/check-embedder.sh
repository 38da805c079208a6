#!/usr/bin/env bash
# Checks what an embedder of the `Arazzo` library product gets (docs/embedding.md, "Dependencies
# and traits"): a package that depends on this checkout with `traits: []` resolves exactly
# swift-collections, swift-distributed-tracing and swift-log (no swift-crypto, async-http-client,
# swift-nio, swift-argument-parser, the MCP swift-sdk or swift-otel); one with the default traits
# does resolve async-http-client and swift-otel. With --build, the lean embedder is also built and run: it loads
# a document from strings and runs it on InMemoryExecutor (slow: it compiles the library from
# scratch). Prints each Package.resolved's identities.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build=0
[ "${1:-}" = "--build" ] && build=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
identity="$(basename "$root" | tr '[:upper:]' '[:lower:]')"

make_package() { # dir traits-clause
  mkdir -p "$1/Sources/Embedder"
  cat > "$1/Package.swift" <<MANIFEST
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "embedder", platforms: [.macOS(.v14)],
    dependencies: [.package(path: "$root"$2)],
    targets: [.executableTarget(
        name: "Embedder", dependencies: [.product(name: "Arazzo", package: "$identity")])])
MANIFEST
  cat > "$1/Sources/Embedder/main.swift" <<'SWIFT'
import Arazzo
import Foundation

// A document and its OpenAPI description as strings; the description is "fetched" from the same
// in-memory executor that answers the step, so nothing touches a disk or the network.
let openAPI = """
openapi: 3.1.0
info: {title: Status, version: 1.0.0}
servers: [{url: "https://api.example.test"}]
paths:
  /status:
    get:
      operationId: getStatus
      responses: {"200": {description: ok}}
"""
let arazzo = """
arazzo: 1.0.1
info: {title: Embedder check, version: 1.0.0}
sourceDescriptions: [{name: api, url: "https://api.example.test/openapi.yaml", type: openapi}]
workflows:
  - workflowId: check
    steps:
      - stepId: status
        operationId: getStatus
        successCriteria: [{condition: $statusCode == 200}]
        outputs: {state: $response.body#/state}
    outputs: {state: $steps.status.outputs.state}
"""
let executor = InMemoryExecutor(routes: [
    .init("GET", "/openapi.yaml", .status(200, body: openAPI, headers: ["Content-Type": "application/yaml"])),
    .init("GET", "/status", .json(["state": "green"])),
])
do {
    let document = try await ArazzoLoader(fetcher: executor).load(text: arazzo, baseURL: "https://api.example.test/check.arazzo.yaml")
    let problems = document.validate()
    guard !problems.hasErrors else { throw RunFailure(diagnostics: problems) }
    let result = try await WorkflowEngine(document: document, options: RunOptions(executor: executor))
        .run(workflowId: "check")
    guard result.succeeded, result.outputs["state"] == .string("green") else {
        print("embedder: unexpected result \(result.outcome)"); exit(1)
    }
    print("embedder: ran check, state = green")
} catch {
    print("embedder: \(error)"); exit(1)
}
SWIFT
}

identities() { grep -oE '"identity" *: *"[^"]+"' "$1/Package.resolved" | sed -E 's/.*"([^"]+)"$/\1/' | sort | tr '\n' ' '; }

status=0
start=$SECONDS
make_package "$work/lean" ", traits: []"
(cd "$work/lean" && swift package resolve >"$work/resolve.log" 2>&1) || { cat "$work/resolve.log" >&2; exit 1; }
lean="$(identities "$work/lean")"
echo "lean (traits: []): $lean"
# Exactly these: swift-log (logging) and swift-distributed-tracing (spans, no dependencies of its
# own) are the library's; anything more is a trait's dependency leaking into the lean graph.
want_lean="swift-collections swift-distributed-tracing swift-log "
if [ "$lean" != "$want_lean" ]; then
  echo "error: the lean embedder resolves '$lean', expected '$want_lean'" >&2; status=1
fi

make_package "$work/default" ""
(cd "$work/default" && swift package resolve >"$work/resolve.log" 2>&1) || { cat "$work/resolve.log" >&2; exit 1; }
full="$(identities "$work/default")"
echo "default traits: $full"
for trait_dependency in async-http-client swift-otel; do
  [[ " $full " == *" $trait_dependency "* ]] || { echo "error: the default-trait embedder does not resolve $trait_dependency" >&2; status=1; }
done
echo "resolve checks: $((SECONDS - start)) s"

if [ "$build" = 1 ] && [ "$status" = 0 ]; then
  start=$SECONDS
  (cd "$work/lean" && swift build 2>&1 | tail -3 && .build/debug/Embedder) || status=1
  echo "lean build and run: $((SECONDS - start)) s"
fi
exit "$status"
