// An embedder's program in one file: load an Arazzo document with WorkflowRunner, answer its
// requests from an in-process table (a custom StepExecutor: no network), watch the run with a
// RunObserver, run every workflow in dependency order, print the outputs. Exits 0 when every
// workflow succeeded. Run it with `swift run arazzo-example-embedding [DOCUMENT] [--log]`.
import Arazzo
import Foundation
import Logging
import Synchronization

/// Answers from a table keyed by "METHOD /path" (the server's host and base path ignored), and
/// checks the bearer token the way a real store would.
struct TableExecutor: StepExecutor {
    let table: [String: (status: Int, body: JSONValue)]
    let token: String

    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard let url = URLComponents(string: request.url) else {
            throw TransportError(.invalidURL, "cannot read \(request.url)")
        }
        // The description's server is https://petstore.example/v1: keep the path after /v1.
        let path = url.path.hasPrefix("/v1") ? String(url.path.dropFirst(3)) : url.path
        if path != "/health", request.headers["Authorization"] != "Bearer \(token)" {
            return HTTPResponse(status: 401)
        }
        guard let (status, body) = table["\(request.method) \(path)"] else { return HTTPResponse(status: 404) }
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body.jsonBytes())
    }
}

/// Prints each workflow run and step attempt as it happens, nested runs indented under their
/// parent (found through the run ids every callback carries).
final class PrintingObserver: RunObserver {
    private let depths = Mutex<[String: Int]>([:])

    func workflowStarted(_ context: RunEventContext) {
        let depth = depths.withLock { depths in
            let depth = context.parentRunId.flatMap { depths[$0].map { $0 + 1 } } ?? 0
            depths[context.runId] = depth
            return depth
        }
        let parent = context.parentRunId.map { ", parent \($0)" } ?? ""
        print(indent(depth) + "▶ \(context.workflowId)  (run \(context.runId)\(parent))")
    }

    func stepFinished(_ trace: StepTrace, context: RunEventContext) {
        let mark = trace.succeeded ? "✓" : "✗"
        let exchange = trace.request.map { "\($0.method) \($0.url) → \(trace.response.map { String($0.status) } ?? "no response")" } ?? ""
        print(indent(depth(of: context) + 1) + "\(mark) \(trace.stepId) #\(trace.attempt)  \(exchange)  [\(trace.action)]")
    }

    func workflowFinished(_ result: RunResult, context: RunEventContext) {
        print(indent(depth(of: context)) + "■ \(result.workflowId) \(result.succeeded ? "succeeded" : "failed")")
    }

    private func depth(of context: RunEventContext) -> Int { depths.withLock { $0[context.runId] ?? 0 } }
    private func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
// The document sits next to this file; a path on the command line runs another one.
let documentPath = arguments.first { !$0.hasPrefix("-") }
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("pet-adoption.arazzo.yaml").path

let executor = TableExecutor(
    table: [
        "GET /health": (200, ["status": "up"]),
        "GET /pets": (200, [["id": 7, "name": "Rex", "status": "available"]]),
        "POST /pets/7/adoption": (201, ["adoptionId": "ad-0007"]),
    ],
    token: "example-token")

var options = RunOptions(executor: executor)
options.observers = [PrintingObserver()]
if arguments.contains("--log") {
    // swift-log's stderr handler at debug: requests, criteria and actions, secrets redacted.
    var logger = Logger(label: "example", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = .debug
    options.logger = logger
}

var runner: WorkflowRunner
do {
    runner = try await WorkflowRunner.load(path: documentPath, options: options)
    // TARGET=KIND:VALUE specs, or ARAZZO_AUTH_PETSTORE=bearer:… in the environment.
    try runner.useCredentials(["petstore=bearer:example-token"], environment: ProcessInfo.processInfo.environment)
} catch {
    print("error: \(error)")
    exit(2)
}

for id in runner.document.runOrder {
    let inputs = runner.inputDescriptions(of: id).map { "\($0.name): \($0.type)\($0.required ? " (required)" : "")" }
    print("workflow \(id)" + (inputs.isEmpty ? "" : " — inputs " + inputs.joined(separator: ", ")))
}

// Text inputs, typed by each workflow's schema; every workflow runs once, dependencies first.
let entries = await runner.runAll(given: InputValues(text: ["petName": "Rex", "adopter": "Ada"]))
var failed = 0
for entry in entries {
    switch entry {
    case .ran(let result):
        let outputs = result.outputs.map { "\($0.key) = \($0.value.jsonText())" }.joined(separator: ", ")
        if case .failed(let reason) = result.outcome {
            failed += 1
            print("\(result.workflowId) failed [\(reason.kind)]: \(reason)")
        } else {
            print("\(result.workflowId) succeeded" + (outputs.isEmpty ? "" : ": \(outputs)"))
        }
    case .alreadyRan(let earlier):
        print("\(earlier.result.workflowId) already ran" + (earlier.dependencyOf.map { " as a dependency of \($0)" } ?? ""))
    case .refused(let id, let failure):
        failed += 1
        print("\(id) refused: \(failure)")
    }
}
exit(failed == 0 ? 0 : 1)
