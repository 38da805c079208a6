import Foundation
import Testing
import Arazzo
import OrderedCollections

/// Several workflows as one run through the public API (decision A18, issue 12): each runs at most
/// once, later ones read earlier ones' values, and a workflow an error reaches is refused while the
/// others run.
@Suite("One run of several workflows")
struct DocumentRunTests {
    static let files = InMemoryExecutor.Route("GET", "/v1/status", .json(["name": "rex"]))

    /// `top` depends on `base` and reads its output.
    static let topAfterBase = """
              - workflowId: top
                dependsOn: [base]
                steps:
                  - {stepId: t, operationId: getOpen}
                outputs:
                  seen: $workflows.base.outputs.name
              - workflowId: base
                steps:
                  - stepId: b
                    operationId: getStatus
                    outputs: {name: $response.body#/name}
                outputs:
                  name: $steps.b.outputs.name
            """

    @Test("runAll: a dependency that ran as an entry is not run again, and later entries read its outputs")
    func sharedRun() async throws {
        let document = try await petsDocument(Self.topAfterBase)
        #expect(document.runOrder == ["base", "top"])
        let executor = InMemoryExecutor(routes: [Self.files, .init("GET", "/v1/open", .status(200))])
        let entries = await engine(document, executor).runAll()
        #expect(entries.map(\.workflowId) == ["base", "top"])
        guard case .ran(let top)? = entries.last else {
            Issue.record("top did not run: \(entries)")
            return
        }
        #expect(top.succeeded, "\(top.outcome)")
        #expect(top.workflows.isEmpty)
        #expect(top.outputs["seen"] == "rex")
        #expect(await executor.requests.map(\.url).filter { $0.hasSuffix("/status") }.count == 1)
    }

    @Test("DocumentRun: an entry that already ran as a dependency is reported, not run again")
    func alreadyRan() async throws {
        let document = try await petsDocument("""
              - workflowId: top
                dependsOn: [base]
                steps:
                  - {stepId: t, operationId: getOpen}
              - workflowId: base
                steps:
                  - {stepId: b, operationId: getStatus}
            """)
        let executor = InMemoryExecutor(routes: [Self.files, .init("GET", "/v1/open", .status(200))])
        let entries = await engine(document, executor).runAll(["top", "base"])
        guard entries.count == 2, case .alreadyRan(let earlier) = entries[1] else {
            Issue.record("base should have been reported as already run: \(entries)")
            return
        }
        #expect(earlier.dependencyOf == "top")
        #expect(earlier.result.succeeded)
        #expect(await executor.requests.count == 2)

        let run = engine(document, executor).startRun()
        let first = try await run.run(workflowId: "base")
        let again = try await run.run(workflowId: "base")
        #expect(first.succeeded && again.succeeded)
        #expect(run.earlierRun(of: "base")?.dependencyOf == nil)
        #expect(await executor.requests.count == 3)
    }

    @Test("runAll refuses only the workflow an error reaches; the clean one runs")
    func refusesOnlyTheInvalid() async throws {
        let document = try await petsDocument(cleanAndBrokenWorkflows)
        let diagnostics = document.validate()
        #expect(diagnostics.hasErrors)
        let executor = InMemoryExecutor(routes: [Self.files])
        let entries = await engine(document, executor).runAll(diagnostics: diagnostics)
        guard entries.count == 2, case .ran(let clean) = entries[0], case .refused(let id, let failure) = entries[1] else {
            Issue.record("expected clean to run and broken to be refused: \(entries)")
            return
        }
        #expect(clean.succeeded)
        #expect(id == "broken")
        #expect(failure.diagnostics.contains { $0.code == "unknown-operation" })
        // The single-workflow entry point judges by the same diagnostics.
        await #expect(throws: RunFailure.self) {
            try await engine(document, executor).startRun(diagnostics: diagnostics).run(workflowId: "broken")
        }
    }

    @Test("A15: an exhausted retry fails the step; a later matching action does not run")
    func exhaustedRetryFails() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria: [{condition: $statusCode == 200}]
                    onFailure:
                      - {name: again, type: retry, retryLimit: 2}
                      - {name: fallback, type: goto, stepId: last}
                  - {stepId: last, operationId: getOpen}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(503)), .init("GET", "/v1/open", .status(200))])
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(failure(result)?.kind == .retriesExhausted)
        #expect(failure(result)?.message.contains("retry action 'again' used its 2 retries") == true)
        #expect(result.steps.map(\.action.description) == ["retry after 0s", "retry after 0s", "fail"])
        #expect(await executor.requests.count == 3)
    }
}
