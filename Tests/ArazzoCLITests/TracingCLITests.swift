import ArazzoCLI
import ArazzoExecutor
import ArazzoTestServer
import ArazzoTestSupport
import Foundation
import Testing

/// `arazzo-run run --otlp-endpoint` (docs/observability.md, "Tracing"): the real binary exports
/// its spans over OTLP/HTTP to a real receiver (scripts/peers/otlp_receiver.py, decoding with
/// the `opentelemetry-proto` package that scripts/setup-peers.sh installs), while a loopback
/// server records the `traceparent` each request carries. A missing receiver fails the test.
@Suite("Tracing through the CLI")
struct TracingCLITests {
    static let openAPI = """
        openapi: 3.1.0
        info: {title: Items, version: 1.0.0}
        servers: [{url: "http://api.invalid"}]
        components:
          securitySchemes:
            key: {type: apiKey, in: query, name: api_key}
        security: [{key: []}]
        paths:
          /status:
            get:
              operationId: getStatus
              responses: {"200": {description: ok}}
          /items/{id}:
            get:
              operationId: getItem
              parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
              responses: {"200": {description: ok}, "404": {description: missing}}
        """

    /// `parent` checks the status, then calls `child`, whose one step fails (404).
    static let arazzo = """
        arazzo: 1.0.1
        info: {title: Traced, version: 1.0.0}
        sourceDescriptions: [{name: api, url: ./openapi.yaml, type: openapi}]
        workflows:
          - workflowId: parent
            steps:
              - stepId: status
                operationId: getStatus
                successCriteria: [{condition: $statusCode == 200}]
              - stepId: callChild
                workflowId: child
          - workflowId: child
            steps:
              - stepId: item
                operationId: getItem
                parameters: [{name: id, in: path, value: 42}]
                successCriteria: [{condition: $statusCode == 200}]
        """

    static let secret = "qk-5ecret-7718"

    /// One exported span, as the receiver wrote it.
    struct ExportedSpan: Decodable {
        struct Status: Decodable {
            var code: String
            var message: String
        }
        var service: String?
        var traceId: String
        var spanId: String
        var parentSpanId: String
        var name: String
        var kind: String
        var attributes: [String: AttributeValue]
        var status: Status
    }

    /// An attribute value as text (the receiver writes strings, numbers and booleans).
    struct AttributeValue: Decodable, Equatable, CustomStringConvertible {
        var description: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { description = text }
            else if let number = try? container.decode(Int.self) { description = String(number) }
            else if let flag = try? container.decode(Bool.self) { description = String(flag) }
            else { description = String(try container.decode(Double.self)) }
        }
    }

    @Test("the exported spans form workflow → step → HTTP client trees; the traceparent on the wire is the client span's")
    func exportedTree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Self.arazzo.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        try Self.openAPI.write(toFile: directory.file("openapi.yaml"), atomically: true, encoding: .utf8)
        let spansFile = directory.file("spans.jsonl")

        let receiver = try await PythonPeer.start([PythonPeer.root + "/scripts/peers/otlp_receiver.py", "--out", spansFile])
        defer { receiver.stop() }
        let server = ScriptedServer(script: ExchangeScript(ordered: false, exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/status"), response: ScriptedResponse(status: 200, body: "{}")),
            Exchange(request: ExpectedRequest(method: "GET", path: "/items/42"), response: ScriptedResponse(status: 404, body: "{}")),
        ]))
        let port = try await server.start()
        let binary = try #require(InvalidCorpusProcessTests.executable, "arazzo-run is not built next to the tests; run `swift build --build-tests`")
        let run = try await Self.run(binary, [
            "run", directory.file("arazzo.yaml"), "--workflow", "parent",
            "--server", "api=http://127.0.0.1:\(port)", "--auth", "key=apikey:\(Self.secret)",
            "--otlp-endpoint", "http://127.0.0.1:\(receiver.port)",
        ])
        await server.stop()
        #expect(run.code == CLIExitCode.failure, "\(run.output)")
        #expect(!run.output.contains("warning: traces"), "\(run.output)")

        let lines = try String(contentsOfFile: spansFile, encoding: .utf8).split(separator: "\n")
        let spans = try lines.map { try JSONDecoder().decode(ExportedSpan.self, from: Data($0.utf8)) }
        func one(_ name: String, under parent: ExportedSpan?) throws -> ExportedSpan {
            let matches = spans.filter { $0.name == name && $0.parentSpanId == (parent?.spanId ?? "") }
            #expect(matches.count == 1, "\(name): \(spans.map { "\($0.name) \($0.spanId) ← \($0.parentSpanId)" })")
            return try #require(matches.first)
        }
        let parent = try one("workflow parent", under: nil)
        let status = try one("step status", under: parent)
        let statusRequest = try one("GET", under: status)
        let call = try one("step callChild", under: parent)
        let child = try one("workflow child", under: call)
        let item = try one("step item", under: child)
        let itemRequest = try one("GET", under: item)
        #expect(spans.count == 7)
        #expect(Set(spans.map(\.traceId)).count == 1)
        #expect(spans.allSatisfy { $0.service == "arazzo-run" })

        // Kinds, attributes and statuses.
        #expect(statusRequest.kind == "SPAN_KIND_CLIENT")
        #expect(status.kind == "SPAN_KIND_INTERNAL")
        #expect(statusRequest.attributes["http.request.method"]?.description == "GET")
        #expect(statusRequest.attributes["http.response.status_code"]?.description == "200")
        #expect(statusRequest.attributes["server.address"]?.description == "127.0.0.1")
        #expect(statusRequest.attributes["server.port"]?.description == String(port))
        #expect(statusRequest.attributes["url.full"]?.description == "http://127.0.0.1:\(port)/status?api_key=[REDACTED]")
        #expect(status.attributes["arazzo.step.operation_id"]?.description == "getStatus")
        #expect(status.attributes["arazzo.step.attempt"]?.description == "1")
        #expect(status.attributes["arazzo.outcome"]?.description == "succeeded")
        #expect(status.attributes["arazzo.step.criteria"]?.description == "passed")
        #expect(call.attributes["arazzo.step.workflow_id"]?.description == "child")
        #expect(parent.attributes["arazzo.workflow.id"]?.description == "parent")
        #expect(parent.attributes["arazzo.document"]?.description == directory.file("arazzo.yaml"))
        #expect(parent.attributes["arazzo.outcome"]?.description == "failed")
        #expect(itemRequest.attributes["http.response.status_code"]?.description == "404")
        #expect(itemRequest.status.code == "STATUS_CODE_ERROR")
        #expect(item.attributes["arazzo.step.criteria"]?.description == "failed")
        #expect(item.status.code == "STATUS_CODE_ERROR")
        #expect(item.status.message.hasPrefix("success criterion not met"), "\(item.status.message)")
        for span in [call, child, parent] { #expect(span.status.code == "STATUS_CODE_ERROR", "\(span.name)") }
        #expect(status.status.code == "STATUS_CODE_UNSET")
        for span in spans {
            let text = span.attributes.values.map(\.description).joined() + span.status.message
            #expect(!text.contains(Self.secret), "\(span.name) shows the API key")
        }

        // The trace context each request carried is its client span's.
        let received = server.receivedRequests
        let traceparents = Dictionary(uniqueKeysWithValues: received.map { request in
            (request.target.split(separator: "?").first.map(String.init) ?? "", request.headers.first { $0.name.lowercased() == "traceparent" }?.value)
        })
        #expect(traceparents["/status"] == "00-\(statusRequest.traceId)-\(statusRequest.spanId)-01")
        #expect(traceparents["/items/42"] == "00-\(itemRequest.traceId)-\(itemRequest.spanId)-01")
    }

    @Test("a collector that is not there costs a warning and a bounded wait, never the run")
    func receiverDown() async throws {
        // The wait is bounded by the exporter's 5 s timeout and a 6 s limit on the flush; wall
        // time is not asserted (the suites share two cores), the warning says which bound ended it.
        let run = await Invocation.run(
            ["run", Repository.root + "/Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml", "--mock",
             "--inputs", Repository.root + "/Fixtures/stytch/inputs.example.yaml", "--otlp-endpoint", "http://127.0.0.1:9"],
            environment: ["NO_COLOR": "1"])
        #expect(run.code == CLIExitCode.success, "\(run.stderr)")
        let warnings = run.stderr.split(separator: "\n")
        #expect(!warnings.isEmpty && warnings.allSatisfy {
            $0 == "warning: traces could not be sent to http://127.0.0.1:9/v1/traces: no answer within 5 s (is a collector listening there?)"
                || $0 == "warning: traces were not all sent to http://127.0.0.1:9/v1/traces within 6 s; giving up"
        }, "\(run.stderr)")
    }

    @Test("--otlp-endpoint must be an http(s) URL with a host")
    func badEndpoint() async {
        let run = await Invocation.run(["run", "nothing.yaml", "--otlp-endpoint", "localhost:4318"], environment: ["NO_COLOR": "1"])
        #expect(run.code == CLIExitCode.usage)
        #expect(run.stderr == "error: --otlp-endpoint localhost:4318: expected an http:// or https:// URL with a host (an OpenTelemetry collector's OTLP/HTTP endpoint, usually port 4318)\n")
    }

    /// Runs `binary arguments…` with no OTEL_* variables; its exit code and stdout + stderr.
    static func run(_ binary: String, _ arguments: [String]) async throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OTEL_") }.merging(["NO_COLOR": "1"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
