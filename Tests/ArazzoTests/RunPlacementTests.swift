import Arazzo
import ArazzoTesting
import ArazzoTestSupport
import Synchronization
import Testing

/// Decision EL1: a run executes on the task executor its step executor prefers, for the whole
/// run (every step, after every suspension) and only for the run.
@Suite struct RunPlacementTests {
    /// Answers through a scripted executor and notes, for each request, whether it was sent from
    /// the preferred executor.
    final class PlacedExecutor: StepExecutor, Sendable {
        let base: ScriptedExecutor
        let preferred: MarkedTaskExecutor?
        let marked: MarkedTaskExecutor
        private let placements = Mutex<[Bool]>([])

        init(base: ScriptedExecutor, marked: MarkedTaskExecutor, prefers: Bool) {
            self.base = base
            self.marked = marked
            preferred = prefers ? marked : nil
        }

        var sentFromPreferred: [Bool] { placements.withLock { $0 } }

        func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            placements.withLock { $0.append(marked.isCurrent) }
            let response = try await base.execute(request)
            // After a suspension the run must still be where it was placed.
            await Task.yield()
            placements.withLock { $0.append(marked.isCurrent) }
            return response
        }

        func preferredTaskExecutor() -> (any TaskExecutor)? { preferred }
    }

    static let arazzo = """
        arazzo: 1.0.1
        info: {title: T, version: 1.0.0}
        sourceDescriptions:
          - {name: t, url: openapi.yaml, type: openapi}
        workflows:
          - workflowId: w
            steps:
              - stepId: first
                operationId: getT
                successCriteria: [{condition: $statusCode == 200}]
              - stepId: second
                operationId: getT
                successCriteria: [{condition: $statusCode == 200}]
        """
    static let openAPI = """
        openapi: 3.0.3
        info: {title: T, version: 1.0.0}
        servers: [{url: 'https://t.example'}]
        paths:
          /t:
            get:
              operationId: getT
              responses:
                '200': {description: ok}
        """

    static func run(prefers: Bool) async throws -> (RunResult, [Bool], callerOnMarked: Bool) {
        let files = try TemporaryDirectory()
        defer { files.cleanup() }
        try files.write(["arazzo.yaml": arazzo, "openapi.yaml": openAPI])
        let scripted = ScriptedExecutor(script: ExchangeScript(exchanges: [
            Exchange(request: ExpectedRequest(method: "GET", path: "/t"), response: ScriptedResponse(status: 200)),
            Exchange(request: ExpectedRequest(method: "GET", path: "/t"), response: ScriptedResponse(status: 200)),
        ]))
        let marked = MarkedTaskExecutor()
        let executor = PlacedExecutor(base: scripted, marked: marked, prefers: prefers)
        let document = try await ArazzoLoader().load(path: files.file("arazzo.yaml"))
        let result = try await WorkflowEngine(document: document, options: RunOptions(executor: executor)).run(workflowId: "w")
        return (result, executor.sentFromPreferred, marked.isCurrent)
    }

    @Test func everyExchangeOfTheRunIsOnThePreferredExecutor() async throws {
        let (result, placements, callerOnMarked) = try await Self.run(prefers: true)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(placements == [true, true, true, true])
        // The preference is the run's: the caller continues where it was.
        #expect(!callerOnMarked)
    }

    @Test func withoutAPreferenceTheRunStaysOnTheGlobalExecutor() async throws {
        let (result, placements, _) = try await Self.run(prefers: false)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(placements == [false, false, false, false])
    }
}
