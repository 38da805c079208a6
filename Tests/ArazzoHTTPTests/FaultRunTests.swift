import Arazzo
import ArazzoHTTP
import ArazzoTestServer
import Foundation
import ArazzoTesting
import Testing

/// Whole runs (loader + engine + AsyncHTTPExecutor) against misbehaving servers: every fault must
/// end as a step failure with the typed transport reason in the trace, within the configured
/// limits, with retry budgets honoured. (It lives with the HTTP tests because it needs the real
/// executor and the fault server, which the engine's own test target does not depend on.)
@Suite("Faults while running: engine + AsyncHTTPExecutor + FaultServer", .timeLimit(.minutes(1)))
struct FaultRunTests {
    /// One GET operation per fault route.
    static let openAPI = """
        openapi: 3.1.0
        info: {title: Faults, version: 1.0.0}
        servers:
        - url: https://faults.invalid
        paths:
        \(Fault.routes.map { fault in
            "  \(fault.path):\n    get:\n      operationId: \(fault.path.dropFirst())\n      responses:\n        '200': {description: ok}"
        }.joined(separator: "\n"))
        """

    /// A one-step workflow calling `operationId`, succeeding on 200, with `onFailure` as YAML lines.
    static func arazzo(_ operationId: String, onFailure: String? = nil) -> String {
        var text = """
            arazzo: 1.0.1
            info: {title: Fault run, version: 1.0.0}
            sourceDescriptions:
            - name: faults
              url: ./faults.yaml
              type: openapi
            workflows:
            - workflowId: call
              steps:
              - stepId: call
                operationId: \(operationId)
                successCriteria:
                - condition: $statusCode == 200

            """
        if let onFailure {
            text += "    onFailure:\n" + onFailure.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }

    /// A retry action with the given budget and no delay of its own.
    static func retry(_ limit: Int, after seconds: Int = 0) -> String {
        "- name: again\n  type: retry\n  retryAfter: \(seconds)\n  retryLimit: \(limit)"
    }

    /// Loads the workflow next to the fault description and runs it against `baseURL`.
    static func run(
        _ operationId: String, baseURL: String, onFailure: String? = nil, clock: any Clock<Duration> = ImmediateClock(),
        credential: Credential? = nil, configure: (inout RunLimits) -> Void = { _ in }
    ) async throws -> RunResult {
        let directory = try TemporaryDirectory(prefix: "fault-run-")
        defer { directory.cleanup() }
        try directory.write(["faults.yaml": openAPI])
        let document = try await ArazzoLoader().load(text: arazzo(operationId, onFailure: onFailure), baseURL: directory.file("arazzo.yaml"))
        return try await withTestExecutor { executor in
            var options = RunOptions(executor: executor)
            options.serverOverrides = ["faults": baseURL]
            options.clock = clock
            if let credential { options.credentials.bind(credential, toSource: "faults") }
            options.limits.requestTimeout = .seconds(5)
            configure(&options.limits)
            return try await WorkflowEngine(document: document, options: options).run(workflowId: "call", inputs: [:])
        }
    }

    /// The failure kind of a failed run ("" when it succeeded).
    static func failureKind(_ result: RunResult) -> String {
        if case .failed(let reason) = result.outcome { return reason.kind.rawValue }
        return ""
    }

    @Test("Connection refused: one attempt, .connectionRefused in the trace")
    func connectionRefused() async throws {
        let port = try await FaultServer.closedPort()
        let result = try await Self.run("ok", baseURL: "http://127.0.0.1:\(port)")
        #expect(!result.succeeded)
        #expect(Self.failureKind(result) == "transport")
        #expect(result.steps.count == 1)
        #expect(result.steps.first?.transportError?.kind == .connectionRefused)
        #expect(result.steps.first?.response == nil)
    }

    @Test("Per-fault reason in the trace", arguments: [
        ("reset", TransportError.Kind.connectionReset),
        ("close", .connectionReset),
        ("hang", .timeout),
        ("slow", .timeout),
        ("huge", .bodyTooLarge),
        ("garbage", .invalidResponse),
    ])
    func faultReason(operationId: String, kind: TransportError.Kind) async throws {
        let server = FaultServer()
        let result = try await withServer(server) { server in
            try await Self.run(operationId, baseURL: server.baseURL) { limits in
                limits.requestTimeout = .milliseconds(800)
                limits.maxResponseBytes = 1 << 20
            }
        }
        #expect(!result.succeeded)
        #expect(Self.failureKind(result) == "transport")
        #expect(result.steps.map(\.transportError?.kind) == [kind])
        #expect(server.receivedRequests.count == 1)
    }

    @Test("An unannounced 2 GB body is cut at maxResponseBytes while streaming; memory stays bounded")
    func unannouncedHugeBody() async throws {
        let before = residentBytes()
        let server = FaultServer(fault: .hugeBody(bytes: 2 << 30, announced: false))
        let result = try await withServer(server) { server in
            try await Self.run("huge", baseURL: server.baseURL) { $0.maxResponseBytes = 4 << 20 }
        }
        #expect(result.steps.map(\.transportError?.kind) == [.bodyTooLarge])
        if let before, let after = residentBytes() {
            // Generous: other suites run in parallel; a buffered 2 GB body would be far above this.
            #expect(after - before < 1 << 30, "resident memory grew by \(after - before) bytes")
        }
    }

    @Test("TLS to a plain HTTP port: .tls")
    func tlsToPlainPort() async throws {
        let server = ScriptedServer(script: ExchangeScript(exchanges: []))
        let result = try await withServer(server) { server in
            try await Self.run("ok", baseURL: "https://127.0.0.1:\(server.port ?? 0)")
        }
        #expect(result.steps.map(\.transportError?.kind) == [.tls])
        #expect(Self.failureKind(result) == "transport")
    }

    @Test("A redirect loop is not followed: the 302 fails the criterion, each retry costs one request")
    func redirectLoop() async throws {
        let server = FaultServer()
        let result = try await withServer(server) { server in
            try await Self.run("redirect", baseURL: server.baseURL, onFailure: Self.retry(2))
        }
        #expect(!result.succeeded)
        #expect(Self.failureKind(result) == "retries-exhausted")
        #expect(result.steps.map(\.response?.status) == [302, 302, 302])
        #expect(server.receivedRequests.count == 3)
    }

    @Test("A 5xx storm: retries stop at retryLimit, each waits the server's Retry-After (fake clock)")
    func stormExhaustsBudget() async throws {
        let server = FaultServer(fault: .unavailableStorm(failures: nil, retryAfterSeconds: 1))
        let clock = ImmediateClock()
        let result = try await withServer(server) { server in
            try await Self.run("storm", baseURL: server.baseURL, onFailure: Self.retry(3), clock: clock)
        }
        #expect(!result.succeeded)
        #expect(Self.failureKind(result) == "retries-exhausted")
        #expect(result.steps.map(\.attempt) == [1, 2, 3, 4])
        #expect(result.steps.map(\.action.description) == ["retry after 1s", "retry after 1s", "retry after 1s", "fail"])
        #expect(clock.slept == [.seconds(1), .seconds(1), .seconds(1)])
        #expect(server.receivedRequests.count == 4)
    }

    @Test("A 5xx storm that ends: the step succeeds on the attempt after the storm")
    func stormRecovers() async throws {
        let server = FaultServer(fault: .unavailableStorm(failures: 2, retryAfterSeconds: 7))
        let clock = ImmediateClock()
        let result = try await withServer(server) { server in
            try await Self.run("storm", baseURL: server.baseURL, onFailure: Self.retry(5), clock: clock)
        }
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.steps.map(\.response?.status) == [503, 503, 200])
        #expect(clock.slept == [.seconds(7), .seconds(7)])
    }

    @Test("A huge Retry-After is capped to RunLimits.maxRetryDelay, and the cap is noted")
    func retryAfterCapped() async throws {
        let server = FaultServer(fault: .unavailableStorm(failures: 1, retryAfterSeconds: 86_400))
        let clock = ImmediateClock()
        let result = try await withServer(server) { server in
            try await Self.run("storm", baseURL: server.baseURL, onFailure: Self.retry(1), clock: clock) {
                $0.maxRetryDelay = .seconds(2)
            }
        }
        #expect(result.succeeded)
        #expect(clock.slept == [.seconds(2)])
        #expect(result.steps.first?.notes.contains { $0.contains("capped to 2s") } == true)
    }

    @Test("Transport failures are retried within the budget only")
    func transportRetriesHonourBudget() async throws {
        let server = FaultServer(fault: .resetMidBody())
        let result = try await withServer(server) { server in
            try await Self.run("reset", baseURL: server.baseURL, onFailure: Self.retry(2))
        }
        #expect(Self.failureKind(result) == "retries-exhausted")
        #expect(result.steps.map(\.transportError?.kind) == [.connectionReset, .connectionReset, .connectionReset])
        #expect(server.receivedRequests.count == 3)
    }

    @Test("The run deadline shortens the request timeout: a hanging server ends the run as .timeout")
    func runDeadline() async throws {
        let server = FaultServer(fault: .neverRespond)
        let result = try await withServer(server) { server in
            // The deadline is read from the run's clock: a real hang needs the real clock.
            try await Self.run("hang", baseURL: server.baseURL, onFailure: Self.retry(100), clock: ContinuousClock()) { limits in
                limits.requestTimeout = .seconds(30)
                limits.runDeadline = .milliseconds(700)
            }
        }
        #expect(!result.succeeded)
        #expect(result.steps.first?.transportError?.kind == .timeout)
        // The retry budget of 100 is not used up: the deadline stops the run.
        #expect(result.steps.count < 5)
        #expect(Self.failureKind(result) == "deadline")
    }

    @Test("A redirect to another host during a run is not followed: the credential stays with the first host")
    func redirectWithCredentials() async throws {
        let collector = FaultServer()
        let collectorPort = try await collector.start()
        let redirector = ScriptedServer(script: ExchangeScript(exchanges: [
            Exchange(
                request: ExpectedRequest(method: "GET", path: "/ok"),
                response: ScriptedResponse(
                    status: 307, headers: [HTTPHeaderField(name: "Location", value: "http://127.0.0.1:\(collectorPort)/ok")])),
        ]))
        let result = try await withServer(redirector) { redirector in
            try await Self.run("ok", baseURL: redirector.baseURL, credential: .bearer(token: "canary-bearer-77e1"))
        }
        await collector.stop()
        #expect(result.steps.map(\.response?.status) == [307])
        #expect(collector.receivedRequests.isEmpty)
        #expect(redirector.receivedRequests.first?.headers.contains { $0.value == "Bearer canary-bearer-77e1" } == true)
        #expect(result.steps.first?.request?.headers["Authorization"] == "[REDACTED]")
    }
}
