import Foundation
import Logging
import Testing
import Arazzo
import ArazzoTestSupport

/// Records every observer callback as a line and checks the pairing as it goes: a step event
/// belongs to the innermost open run, a step finishes before anything else of its run happens,
/// a run finishes innermost first.
final class PairingObserver: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var open: [(runId: String, step: String?)] = []
    private var lines: [String] = []
    private var problems: [String] = []
    private var contexts: [RunEventContext] = []

    func workflowStarted(_ context: RunEventContext) {
        lock.withLock {
            if context.parentRunId != open.last?.runId { problems.append("\(context.workflowId): parent is not the open run") }
            open.append((context.runId, nil))
            lines.append("start \(context.workflowId)")
            contexts.append(context)
        }
    }

    func workflowFinished(_ result: RunResult, context: RunEventContext) {
        lock.withLock {
            if open.last?.runId != context.runId { problems.append("\(context.workflowId) finished out of order") }
            if open.last?.step != nil { problems.append("\(context.workflowId) finished with step \(open.last?.step ?? "") open") }
            _ = open.popLast()
            lines.append("end \(context.workflowId) \(result.succeeded ? "ok" : "failed")")
        }
    }

    func stepStarted(_ context: RunEventContext) {
        lock.withLock {
            guard open.last?.runId == context.runId, open.last?.step == nil else {
                problems.append("step \(context.stepId ?? "") started outside its run or inside another step")
                return
            }
            open[open.count - 1].step = "\(context.stepId ?? "")#\(context.attempt ?? 0)"
            lines.append("step \(context.stepId ?? "") \(context.attempt ?? 0)")
            contexts.append(context)
        }
    }

    func stepFinished(_ trace: StepTrace, context: RunEventContext) {
        lock.withLock {
            let key = "\(trace.stepId)#\(trace.attempt)"
            if open.last?.runId != context.runId || open.last?.step != key || context.stepId != trace.stepId {
                problems.append("step \(key) finished without its start")
            } else {
                open[open.count - 1].step = nil
            }
            lines.append("done \(trace.stepId) \(trace.attempt)")
        }
    }

    /// Every callback, in order.
    var seen: [String] { lock.withLock { lines } }
    /// Pairing violations, and runs or steps still open.
    var violations: [String] {
        lock.withLock { problems + open.map { "run \($0.runId) still open (step \($0.step ?? "none"))" } }
    }
    /// The contexts of every start (workflow and step).
    var starts: [RunEventContext] { lock.withLock { contexts } }
}

@Suite("Run events, observers and logging")
struct ObservabilityTests {
    /// `main` depends on `dep` and calls `child` from a step.
    static func nestedDocument() async throws -> LoadedDocument {
        try await petsDocument("""
              - workflowId: main
                dependsOn: [dep]
                steps:
                  - {stepId: first, operationId: getStatus}
                  - {stepId: call, workflowId: child}
              - workflowId: dep
                steps:
                  - {stepId: d, operationId: getStatus}
              - workflowId: child
                steps:
                  - {stepId: c, operationId: getStatus}
            """)
    }

    @Test("Every event carries its run: unique run ids, the parent run and step, the step and attempt")
    func eventContexts() async throws {
        var events: [RunEvent] = []
        let stream = engine(try await Self.nestedDocument(), InMemoryExecutor(routes: [RunBehaviourTests.statusOK]))
            .events(workflowId: "main", inputs: [:])
        for await event in stream { events.append(event) }
        let starts = events.filter { if case .workflowStarted = $0.kind { return true } else { return false } }.map(\.context)
        #expect(starts.map(\.workflowId) == ["main", "dep", "child"])
        #expect(Set(starts.map(\.runId)).count == 3)
        let (main, dep, child) = (starts[0], starts[1], starts[2])
        #expect(main.parentRunId == nil && main.parentStepId == nil)
        // Decision O1: a dependency's parent is the run that depends on it; it runs before any step.
        #expect(dep.parentRunId == main.runId && dep.parentStepId == nil)
        #expect(child.parentRunId == main.runId && child.parentStepId == "call")
        #expect(starts.allSatisfy { $0.stepId == nil && $0.attempt == nil })
        #expect(main.runId.range(of: #"^[0-9a-f]{16}-[0-9]+$"#, options: .regularExpression) != nil)

        let steps = events.compactMap { event -> String? in
            guard case .stepFinished(let trace) = event.kind else { return nil }
            #expect(event.context.stepId == trace.stepId && event.context.attempt == trace.attempt)
            let owner = starts.first { $0.runId == event.context.runId }?.workflowId ?? "?"
            return "\(owner)/\(trace.stepId)"
        }
        #expect(steps == ["dep/d", "main/first", "child/c", "main/call"])
        guard case .workflowFinished(let result)? = events.last?.kind else {
            Issue.record("the stream does not end with workflowFinished")
            return
        }
        #expect(result.workflowId == "main" && result.succeeded)
        #expect(events.last?.context.runId == main.runId)

        // Another run of the same engine gets other ids.
        var again: Set<String> = []
        for await event in engine(try await Self.nestedDocument(), InMemoryExecutor(routes: [RunBehaviourTests.statusOK]))
            .events(workflowId: "main", inputs: [:]) { again.insert(event.context.runId) }
        #expect(again.isDisjoint(with: Set(starts.map(\.runId))))
    }

    @Test("O1: a goto workflow's parent is the run whose step took the action, with that step")
    func gotoParent() async throws {
        let document = try await petsDocument("""
              - workflowId: start
                steps:
                  - stepId: jump
                    operationId: getStatus
                    onSuccess:
                      - {name: go, type: goto, workflowId: target}
              - workflowId: target
                steps:
                  - {stepId: t, operationId: getStatus}
            """)
        let observer = PairingObserver()
        let result = try await engine(document, InMemoryExecutor(routes: [RunBehaviourTests.statusOK])) {
            $0.observers = [observer]
        }.run(workflowId: "start")
        #expect(result.succeeded, "\(result.outcome)")
        #expect(observer.violations == [])
        let runs = observer.starts.filter { $0.stepId == nil }
        #expect(runs.map(\.workflowId) == ["start", "target"])
        #expect(runs.last?.parentRunId == runs.first?.runId && runs.last?.parentStepId == "jump")
    }

    @Test("A refused run still gives the stream a started/finished pair")
    func refusedStreamIsPaired() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                inputs: {type: object, required: [n], properties: {n: {type: integer}}}
                steps:
                  - {stepId: a, operationId: getStatus}
            """)
        var kinds: [String] = []
        var ids: Set<String> = []
        for await event in engine(document, InMemoryExecutor(routes: [])).events(workflowId: "wf", inputs: [:]) {
            ids.insert(event.context.runId)
            switch event.kind {
            case .workflowStarted: kinds.append("start")
            case .workflowFinished(let result): kinds.append("end \(failure(result)?.kind.rawValue ?? "ok")")
            default: kinds.append("other")
            }
        }
        #expect(kinds == ["start", "end inputs"])
        #expect(ids.count == 1)
    }

    @Test("Observers from RunOptions see paired callbacks; runAll entries are top-level runs")
    func observersAndRunAll() async throws {
        let observer = PairingObserver()
        let runner = WorkflowRunner(document: try await Self.nestedDocument(), options: {
            var options = RunOptions(executor: InMemoryExecutor(routes: [RunBehaviourTests.statusOK]))
            options.observers = [observer]
            return options
        }())
        let entries = await runner.runAll(inputs: [:])
        #expect(entries.count == 3)
        #expect(observer.violations == [])
        #expect(observer.seen == [
            "start dep", "step d 1", "done d 1", "end dep ok",
            "start main", "step first 1", "done first 1", "step call 1",
            "start child", "step c 1", "done c 1", "end child ok",
            "done call 1", "end main ok",
            // A workflow only called by a step is no dependency: run-all runs it as an entry too (A18).
            "start child", "step c 1", "done c 1", "end child ok",
        ])
        let tops = observer.starts.filter { $0.stepId == nil && $0.parentRunId == nil }.map(\.workflowId)
        #expect(tops == ["dep", "main", "child"])
    }

    @Test("Pairing holds when the executor throws, retries run out, a step timeout passes")
    func pairingOnFailures() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    onFailure:
                      - {name: again, type: retry, retryAfter: 1, retryLimit: 2}
              - workflowId: timed
                steps:
                  - {stepId: call, workflowId: slow, timeout: 1000}
            \(slowWorkflow)
            """, arazzo: "1.1.0")
        let clock = ImmediateClock()
        let throwing = InMemoryExecutor.taking(.seconds(5), on: clock, thenThrowing: TransportError(.connectionRefused, "nothing listens"))
        let observer = PairingObserver()
        let e = engine(document, throwing) {
            $0.clock = clock
            $0.observers = [observer]
        }
        let retried = try await e.run(workflowId: "wf")
        #expect(failure(retried)?.kind == .retriesExhausted)
        let timed = try await e.run(workflowId: "timed")
        #expect(failure(timed)?.kind == .timeout)
        #expect(observer.violations == [])
        #expect(observer.seen == [
            "start wf", "step s 1", "done s 1", "step s 2", "done s 2", "step s 3", "done s 3", "end wf failed",
            "start timed", "step call 1", "start slow", "step first 1", "done first 1", "end slow failed",
            "done call 1", "end timed failed",
        ])
    }

    @Test("Pairing holds when the run's task is cancelled mid-request, inside a called workflow")
    func pairingOnCancellation() async throws {
        let document = try await petsDocument("""
              - workflowId: outer
                steps:
                  - {stepId: call, workflowId: inner}
                  - {stepId: after, operationId: getStatus}
              - workflowId: inner
                steps:
                  - {stepId: wait, operationId: getStatus}
            """)
        let started = AsyncStream<Void>.makeStream()
        let executor = InMemoryExecutor { _ throws(TransportError) in
            started.continuation.yield()
            // Real waiting, ended by the cancellation below.
            try? await Task.sleep(for: .seconds(60))
            throw TransportError(.cancelled, "cancelled while waiting")
        }
        let observer = PairingObserver()
        let e = engine(document, executor) { $0.observers = [observer] }
        let task = Task { try await e.run(workflowId: "outer") }
        for await _ in started.stream { break }
        task.cancel()
        let result = try await task.value
        #expect(failure(result)?.kind == .cancelled || failure(result)?.kind == .workflow)
        #expect(observer.violations == [])
        #expect(observer.seen == [
            "start outer", "step call 1", "start inner", "step wait 1", "done wait 1", "end inner failed",
            "done call 1", "end outer failed",
        ])
    }

    // MARK: - Logging

    static let canaries = ["hunter2-canary", "bearer-canary-1", "key-canary-2", "client-secret-canary", "tok-canary-7777"]

    @Test("Logging: levels, correlation metadata, and no secret in any line")
    func logging() async throws {
        let log = RecordingLog()
        let result = try await engine(try await SecurityTests.document(), SecurityTests.executor()) {
            $0.credentials.bind(.bearer(token: "bearer-canary-1"), toScheme: "token")
            $0.credentials.bind(.oauth2ClientCredentials(clientId: "client", clientSecret: "client-secret-canary", scopes: []), toScheme: "oauth")
            $0.logger = log.logger(level: .trace)
        }.run(workflowId: "wf", inputs: SecurityTests.inputs)
        #expect(result.succeeded, "\(result.outcome)")
        let records = log.records
        for record in records {
            for canary in Self.canaries {
                #expect(!record.text.contains(canary), "\(record.text)")
            }
        }
        let info = records.filter { $0.level == .info }.map(\.message)
        #expect(info.first == "workflow wf started")
        #expect(info.last?.hasPrefix("workflow wf succeeded in ") == true)
        let debug = records.filter { $0.level == .debug }.map(\.message)
        #expect(debug.contains { $0.hasPrefix("GET https://pets.example/v1/pets/1 → 200 in ") })
        #expect(debug.contains { $0.hasPrefix("GET https://pets.example/v1/status?pw=[REDACTED] → 200 in ") }, "\(debug)")
        #expect(debug.contains("step pet succeeded; action: next"))
        #expect(records.contains { $0.level == .trace && $0.message == "step pet attempt 1 started" })
        // Correlation: every line names the run and workflow; step lines the step and attempt.
        #expect(records.allSatisfy { $0.metadata["runId"] != nil && $0.metadata["workflowId"] == "wf" })
        let requestLine = try #require(records.first { $0.message.hasPrefix("GET https://pets.example/v1/pets/1") })
        #expect(requestLine.metadata["stepId"] == "pet" && requestLine.metadata["attempt"] == "1")
        #expect(records.filter { $0.level == .warning }.isEmpty)
    }

    @Test("Logging: criteria verdicts and retries at debug, exhausted retries at warning; a warning logger sees only those")
    func loggingRetries() async throws {
        let document = try await retryingStatusDocument(retryLimit: 1)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(503))])
        let debugLog = RecordingLog()
        _ = try await engine(document, executor) { $0.logger = debugLog.logger(level: .debug) }.run(workflowId: "wf")
        let lines = debugLog.records.map { "\($0.level) \($0.message)" }
        #expect(lines.contains("debug criterion failed: `$statusCode == 200` is false: `$statusCode` was 503"), "\(lines)")
        #expect(lines.contains("debug step s failed; action: retry after 2s (again)"))
        #expect(lines.contains("debug step s failed; action: fail (again)"))
        #expect(lines.contains { $0.hasPrefix("warning retries exhausted: step s: ") })
        #expect(!lines.contains { $0.hasPrefix("trace") })

        let warningLog = RecordingLog()
        _ = try await engine(document, executor) { $0.logger = warningLog.logger(level: .warning) }.run(workflowId: "wf")
        #expect(warningLog.records.map(\.level) == [.warning])
    }
}
