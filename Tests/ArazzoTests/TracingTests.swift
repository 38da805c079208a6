import Testing
import Arazzo
import ArazzoTestSupport
import Tracing
import ArazzoExecutor

/// Spans of a run (docs/observability.md, "Tracing"), through the public API with an in-memory
/// tracer scoped to each test (`withTracer`; nothing is bootstrapped).
@Suite("Tracing")
struct TracingTests {
    /// `parent` runs `status`, then `callChild` (a workflow step) whose workflow `child` runs
    /// `pet` with a password input in its path; `pet` fails its criterion.
    static let workflows = """
          - workflowId: parent
            inputs:
              type: object
              properties:
                pin: {type: string, format: password}
            steps:
              - stepId: status
                operationId: getStatus
                successCriteria: [{condition: $statusCode == 200}]
              - stepId: callChild
                workflowId: child
                parameters: [{name: pin, value: $inputs.pin}]
          - workflowId: child
            inputs:
              type: object
              properties:
                pin: {type: string, format: password}
            steps:
              - stepId: pet
                operationId: getPet
                parameters: [{name: petId, in: path, value: $inputs.pin}]
                successCriteria: [{condition: $statusCode == 200}, {condition: $response.body#/name == 'Max'}]
        """

    static func run(tracer: RecordingTracer?) async throws -> (RunResult, InMemoryExecutor) {
        let document = try await petsDocument(workflows)
        let executor = InMemoryExecutor(routes: [
            .init("GET", "/v1/status", .json(["ok": true])),
            .init("GET", "/v1/pets/{id}", .json(["id": 987_654, "name": "Rex"])),
        ])
        let run = engine(document, executor) { $0.credentials.bind(.bearer(token: "tok-5ecret-value"), toScheme: "token") }
        let result: RunResult
        if let tracer {
            result = try await withTracer(tracer) { try await run.run(workflowId: "parent", inputs: ["pin": "987654"]) }
        } else {
            result = try await run.run(workflowId: "parent", inputs: ["pin": "987654"])
        }
        return (result, executor)
    }

    @Test("a workflow span holds its step spans; a called workflow's span hangs under its calling step")
    func spanTree() async throws {
        let tracer = RecordingTracer()
        let (result, _) = try await Self.run(tracer: tracer)
        #expect(!result.succeeded)
        let parent = try #require(tracer.span(named: "workflow parent"))
        let status = try #require(tracer.span(named: "step status"))
        let call = try #require(tracer.span(named: "step callChild"))
        let child = try #require(tracer.span(named: "workflow child"))
        let pet = try #require(tracer.span(named: "step pet"))
        #expect(parent.parentSpanID == nil)
        #expect(status.parentSpanID == parent.spanID)
        #expect(call.parentSpanID == parent.spanID)
        #expect(child.parentSpanID == call.spanID)
        #expect(pet.parentSpanID == child.spanID)
        #expect(Set(tracer.spans.map(\.traceID)).count == 1)
        #expect(tracer.spans.count == 5)
        #expect(tracer.spans.allSatisfy { $0.ended })
    }

    @Test("spans carry ids, operation, attempt, outcome and the criteria verdict; failures are errors with their reason")
    func attributes() async throws {
        let tracer = RecordingTracer()
        _ = try await Self.run(tracer: tracer)
        let status = try #require(tracer.span(named: "step status"))
        #expect(status.attributes["arazzo.workflow.id"] == "parent")
        #expect(status.attributes["arazzo.step.id"] == "status")
        #expect(status.attributes["arazzo.step.attempt"] == "1")
        #expect(status.attributes["arazzo.step.kind"] == "operation")
        #expect(status.attributes["arazzo.step.operation_id"] == "getStatus")
        #expect(status.attributes["arazzo.step.operation_path"] == "GET /status")
        #expect(status.attributes["arazzo.step.source"] == "pets")
        #expect(status.attributes["arazzo.outcome"] == "succeeded")
        #expect(status.attributes["arazzo.step.criteria"] == "passed")
        #expect(status.attributes["http.response.status_code"] == "200")
        #expect(status.attributes["url.full"] == "https://pets.example/v1/status")
        #expect(status.status == nil)

        let call = try #require(tracer.span(named: "step callChild"))
        #expect(call.attributes["arazzo.step.kind"] == "workflow")
        #expect(call.attributes["arazzo.step.workflow_id"] == "child")
        #expect(call.attributes["arazzo.outcome"] == "failed")
        #expect(call.attributes["arazzo.failure.kind"] == "workflow")
        #expect(call.status == "error")

        let pet = try #require(tracer.span(named: "step pet"))
        #expect(pet.attributes["arazzo.step.criteria"] == "failed")
        #expect(pet.attributes["arazzo.step.criteria.passed"] == "1")
        #expect(pet.attributes["arazzo.step.criteria.failed"] == "1")
        #expect(pet.attributes["arazzo.failure.kind"] == "criteria")
        #expect(pet.status == "error")
        #expect(pet.statusMessage?.hasPrefix("success criterion not met") == true)

        let parent = try #require(tracer.span(named: "workflow parent"))
        #expect(parent.attributes["arazzo.workflow.id"] == "parent")
        #expect(parent.attributes["arazzo.outcome"] == "failed")
        #expect(parent.attributes["arazzo.failure.step_id"] == "callChild")
        #expect(parent.attributes["arazzo.document"]?.hasSuffix("/arazzo.yaml") == true)
        #expect(parent.status == "error")
    }

    @Test("no secret reaches a span: the password input in the URL is redacted as in the run's records")
    func noSecrets() async throws {
        let tracer = RecordingTracer()
        let (result, _) = try await Self.run(tracer: tracer)
        let pet = try #require(tracer.span(named: "step pet"))
        #expect(pet.attributes["url.full"] == "https://pets.example/v1/pets/[REDACTED]")
        #expect(pet.attributes["url.full"] == result.workflows.first?.steps.first?.request?.url)
        for span in tracer.spans {
            let text = span.attributes.values.joined(separator: " ") + (span.statusMessage ?? "") + span.errors.joined()
            #expect(!text.contains("987654"), "\(span.name)")
            #expect(!text.contains("tok-5ecret-value"), "\(span.name)")
        }
    }

    @Test("each request carries the W3C traceparent of its step span; the recorded request does not")
    func traceparentInjected() async throws {
        let tracer = RecordingTracer()
        let (result, executor) = try await Self.run(tracer: tracer)
        let status = try #require(tracer.span(named: "step status"))
        let pet = try #require(tracer.span(named: "step pet"))
        let sent = await executor.requests
        #expect(sent.count == 2)
        #expect(sent.first?.headers["traceparent"] == "00-\(status.traceID)-\(status.spanID)-01")
        #expect(sent.last?.headers["traceparent"] == "00-\(pet.traceID)-\(pet.spanID)-01")
        #expect(sent.last?.redactedURL == "https://pets.example/v1/pets/[REDACTED]")
        #expect(result.steps.first?.request?.headers["traceparent"] == nil)
    }

    @Test("without a tracer nothing changes: no traceparent, no redacted URL on the request")
    func noTracer() async throws {
        let (result, executor) = try await Self.run(tracer: nil)
        #expect(!result.succeeded)
        let sent = await executor.requests
        #expect(sent.count == 2)
        #expect(sent.allSatisfy { $0.headers["traceparent"] == nil && $0.redactedURL == nil })
    }

    @Test("a retried step has a span per attempt, numbered")
    func attempts() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: poll
                    operationId: getStatus
                    successCriteria: [{condition: $statusCode == 200}]
                    onFailure: [{name: again, type: retry, retryAfter: 0, retryLimit: 2}]
            """)
        let tracer = RecordingTracer()
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(503))])
        _ = try await withTracer(tracer) { try await engine(document, executor).run(workflowId: "wf") }
        let polls = tracer.spans.filter { $0.name == "step poll" }
        #expect(polls.map { $0.attributes["arazzo.step.attempt"] } == ["1", "2", "3"])
        let workflow = try #require(tracer.span(named: "workflow wf"))
        #expect(polls.allSatisfy { $0.parentSpanID == workflow.spanID })
    }

    @Test("a tracer that appears after the engine was made traces the engine's next run; the run before starts no span")
    func tracerAfterEngine() async throws {
        let document = try await petsDocument(Self.workflows)
        let executor = InMemoryExecutor(routes: [
            .init("GET", "/v1/status", .json(["ok": true])),
            .init("GET", "/v1/pets/{id}", .json(["id": 987_654, "name": "Rex"])),
        ])
        let run = engine(document, executor)
        let tracer = RecordingTracer()
        _ = try await run.run(workflowId: "parent", inputs: ["pin": "987654"])
        #expect(tracer.spans.isEmpty)
        _ = try await withTracer(tracer) { try await run.run(workflowId: "parent", inputs: ["pin": "987654"]) }
        #expect(tracer.span(named: "workflow parent") != nil)
        #expect(tracer.spans.contains { $0.name == "step status" })
        let sent = await executor.requests
        #expect(sent.count == 4)
        #expect(sent.prefix(2).allSatisfy { $0.headers["traceparent"] == nil })
        #expect(sent.suffix(2).allSatisfy { $0.headers["traceparent"] != nil })
    }

    @Test("the default instrument reads as none; inside a tracer's scope it does not")
    func activeInstrument() {
        #expect(ActiveInstrument.isNone)
        withTracer(RecordingTracer()) { #expect(!ActiveInstrument.isNone) }
        #expect(ActiveInstrument.isNone)
    }
}
