import Foundation
import Testing
import Arazzo
import OrderedCollections

/// A small API for the run tests.
let petsOpenAPI = """
openapi: 3.1.0
info: {title: Pets, version: 1.0.0}
servers:
  - url: https://{host}/v1
    variables:
      host: {default: pets.example}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-API-Key}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example/token
          scopes: {read: read pets}
paths:
  /status:
    get:
      operationId: getStatus
      responses:
        '200': {description: OK, content: {application/json: {schema: {type: object}}}}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getPet
      security: [{token: []}]
      responses:
        '200':
          description: A pet
          content:
            application/json:
              example: {id: 1, name: Rex}
  /secure:
    get:
      operationId: getSecure
      security: [{key: []}, {oauth: [read]}]
      responses:
        '200': {description: OK}
  /open:
    get:
      operationId: getOpen
      security: []
      responses:
        '200': {description: OK}
"""

func petsDocument(_ workflows: String, components: String = "", arazzo version: String = "1.0.1") async throws -> LoadedDocument {
    try await load(petsArazzo(workflows, components: components, arazzo: version), sources: ["pets.yaml": petsOpenAPI])
}

/// The text of an Arazzo document over `./pets.yaml` with `workflows` (indented list items).
func petsArazzo(_ workflows: String, components: String = "", arazzo version: String = "1.0.1") -> String {
    """
    arazzo: \(version)
    info: {title: t, version: 1.0.0}
    sourceDescriptions:
      - {name: pets, url: ./pets.yaml, type: openapi}
    workflows:
    \(workflows)
    \(components)
    """
}

/// Two workflows over `./pets.yaml`: `clean` is valid; `broken` names an operation the description
/// lacks (`getStatsu`), an error that reaches only it.
let cleanAndBrokenWorkflows = """
      - workflowId: clean
        steps:
          - {stepId: c, operationId: getStatus}
      - workflowId: broken
        steps:
          - {stepId: b, operationId: getStatsu}
    """

/// `wf`: one step `s` on `getStatus` that must see a 200, retried by `again` every 2 seconds
/// up to `retryLimit` times.
func retryingStatusDocument(retryLimit: Int) async throws -> LoadedDocument {
    try await petsDocument("""
          - workflowId: wf
            steps:
              - stepId: s
                operationId: getStatus
                successCriteria: [{condition: $statusCode == 200}]
                onFailure:
                  - {name: again, type: retry, retryAfter: 2, retryLimit: \(retryLimit)}
        """)
}

/// `slow`: two steps, for timeout tests whose exchanges take longer than the caller allows.
let slowWorkflow = """
      - workflowId: slow
        steps:
          - {stepId: first, operationId: getStatus}
          - {stepId: second, operationId: getStatus}
    """

extension InMemoryExecutor {
    /// An executor whose every exchange takes `duration` of `clock`'s time and no real time,
    /// then answers 200, or throws `error` when one is given.
    static func taking(_ duration: Duration, on clock: ImmediateClock, thenThrowing error: TransportError? = nil) -> InMemoryExecutor {
        InMemoryExecutor { _ throws(TransportError) in
            try? await clock.sleep(for: duration)
            if let error { throw error }
            return HTTPResponse(status: 200)
        }
    }
}

@Suite("Running workflows")
struct RunBehaviourTests {
    static let statusOK = InMemoryExecutor.Route("GET", "/v1/status", .json(["ok": true]))

    @Test("A11: a step without successCriteria succeeds once a response arrives, whatever its status")
    func vacuousSuccess() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: s, operationId: getStatus}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(500))])
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(result.steps.first?.action.description == "next")
    }

    @Test("A27: a goto loop stops at maxSteps with a clear reason")
    func loopGuard() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: poll
                    operationId: getStatus
                    onSuccess:
                      - {name: again, type: goto, stepId: poll}
            """)
        let result = try await engine(document, InMemoryExecutor(routes: [Self.statusOK])) { $0.limits.maxSteps = 5 }
            .run(workflowId: "wf")
        let reason = try #require(failure(result))
        #expect(reason.kind == .maxSteps)
        #expect(result.steps.count == 5)
        #expect(result.steps.allSatisfy { $0.action == .gotoStep("poll") })
    }

    @Test("A15: retryLimit counts retries; delays come from retryAfter or a larger Retry-After, on the injected clock")
    func retryDelays() async throws {
        let document = try await retryingStatusDocument(retryLimit: 3)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", replies: [
            .status(503), .status(503, headers: ["Retry-After": "7"]), .status(503, headers: ["Retry-After": "1"]), .status(503),
        ])])
        let clock = ImmediateClock()
        let result = try await engine(document, executor) { $0.clock = clock }.run(workflowId: "wf")
        let reason = try #require(failure(result))
        #expect(reason.kind == .retriesExhausted)
        #expect(result.steps.map(\.attempt) == [1, 2, 3, 4])
        #expect(result.steps.map(\.action.description) == ["retry after 2s", "retry after 7s", "retry after 2s", "fail"])
        #expect(clock.slept == [.seconds(2), .seconds(7), .seconds(2)])
    }

    @Test("A15: retry delays are capped by RunLimits.maxRetryDelay and the cap is noted")
    func retryCap() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria: [{condition: $statusCode == 200}]
                    onFailure: [{name: again, type: retry}]
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", replies: [
            .status(429, headers: ["Retry-After": "86400"]), .json([:]),
        ])])
        let clock = ImmediateClock()
        let result = try await engine(document, executor) {
            $0.clock = clock
            $0.limits.maxRetryDelay = .seconds(10)
        }.run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(clock.slept == [.seconds(10)])
        #expect(result.steps.first?.notes.contains { $0.contains("capped") } == true)
    }

    @Test("A16: end from onFailure fails the workflow; end from onSuccess succeeds")
    func endActions() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria: [{condition: $statusCode == 200}]
                    onSuccess: [{name: done, type: end}]
                    onFailure: [{name: stop, type: end}]
                  - {stepId: never, operationId: getStatus}
            """)
        let ok = try await engine(document, InMemoryExecutor(routes: [Self.statusOK])).run(workflowId: "wf")
        #expect(ok.succeeded)
        #expect(ok.steps.map(\.stepId) == ["s"])
        let bad = try await engine(document, InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(500))])).run(workflowId: "wf")
        #expect(failure(bad)?.kind == .endAction)
        #expect(bad.steps.map(\.action.description) == ["end"])
    }

    @Test("A12: a transport error is a step failure that goes through onFailure")
    func transportError() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    onFailure:
                      - name: recover
                        type: goto
                        stepId: fallback
                        criteria: [{condition: $statusCode == null}]
                  - {stepId: fallback, operationId: getOpen}
            """)
        let executor = InMemoryExecutor(routes: [
            .init("GET", "/v1/status", .failure(TransportError(.connectionRefused, "refused"))),
            .init("GET", "/v1/open", .status(200)),
        ])
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(result.steps.first?.transportError?.kind == .connectionRefused)
        #expect(result.steps.first?.action.description == "goto step fallback")
    }

    @Test("A13/A17: nested workflow steps pass parameters as inputs and expose the child's outputs")
    func nestedWorkflows() async throws {
        let document = try await petsDocument("""
              - workflowId: parent
                steps:
                  - stepId: child
                    workflowId: fetch
                    parameters: [{name: id, value: 7}]
                    successCriteria: [{condition: $outputs.name == 'rex'}]
                    outputs: {name: $outputs.name}
                outputs: {name: $steps.child.outputs.name, direct: $workflows.fetch.outputs.name}
              - workflowId: fetch
                inputs:
                  type: object
                  required: [id]
                  properties: {id: {type: integer}}
                steps:
                  - stepId: get
                    operationId: getPet
                    parameters: [{name: petId, in: path, value: $inputs.id}]
                    outputs: {name: $response.body#/name}
                outputs: {name: $steps.get.outputs.name}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/pets/7", .json(["name": "Rex"]))])
        let result = try await engine(document, executor).run(workflowId: "parent")
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.outputs == ["name": "Rex", "direct": "Rex"])
        #expect(result.workflows.map(\.workflowId) == ["fetch"])
        #expect(await executor.requests.first?.url == "https://pets.example/v1/pets/7")
    }

    @Test("maxDepth stops runaway nesting")
    func maxDepth() async throws {
        let document = try await petsDocument("""
              - workflowId: a
                steps:
                  - {stepId: again, workflowId: a}
            """)
        let result = try await engine(document, InMemoryExecutor(routes: [])) { $0.limits.maxDepth = 3 }.run(workflowId: "a")
        #expect(failure(result)?.kind == .workflow)
        var deepest = result
        var depth = 0
        while let child = deepest.workflows.first { deepest = child; depth += 1 }
        #expect(depth == 4)
        #expect(failure(deepest)?.kind == .maxDepth)
    }

    @Test("A18: dependsOn runs first, once per run, and its outputs are visible")
    func dependsOn() async throws {
        let document = try await petsDocument("""
              - workflowId: main
                dependsOn: [setup, other]
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria: [{condition: $workflows.setup.outputs.ok == true}]
              - workflowId: other
                dependsOn: [setup]
                steps:
                  - {stepId: o, operationId: getOpen}
              - workflowId: setup
                steps:
                  - {stepId: s, operationId: getStatus, outputs: {ok: $response.body#/ok}}
                outputs: {ok: $steps.s.outputs.ok}
            """)
        let executor = InMemoryExecutor(routes: [Self.statusOK, .init("GET", "/v1/open", .status(200))])
        let result = try await engine(document, executor).run(workflowId: "main")
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.workflows.map(\.workflowId) == ["setup", "other"])
        #expect(await executor.requests.count == 3)
    }

    @Test("A14: step onFailure comes first, workflow failureActions with other names still apply")
    func actionMerge() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                failureActions:
                  - {name: fallback, type: goto, stepId: last}
                  - {name: shadowed, type: end}
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria: [{condition: $statusCode == 200}]
                    onFailure:
                      - {name: shadowed, type: retry, retryLimit: 1, criteria: [{condition: $statusCode == 503}]}
                  - {stepId: skipped, operationId: getStatus}
                  - {stepId: last, operationId: getOpen}
            """)
        // The 503 selects the step's retry; the 500 of the retried attempt does not match it, so
        // the workflow's `fallback` is the first match (A15: each attempt selects anew).
        let executor = InMemoryExecutor(routes: [
            .init("GET", "/v1/status", replies: [.status(503), .status(500)]), .init("GET", "/v1/open", .status(200)),
        ])
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(result.steps.map(\.action.description) == ["retry after 0s", "goto step last", "next"])
    }

    @Test("A24: a workflow output of a step that never ran is omitted with a warning")
    func outputsOfSkippedSteps() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: a
                    operationId: getStatus
                    outputs: {ok: $response.body#/ok}
                    onSuccess: [{name: done, type: end}]
                  - {stepId: b, operationId: getStatus, outputs: {ok: $response.body#/ok}}
                outputs: {a: $steps.a.outputs.ok, b: $steps.b.outputs.ok}
            """)
        let result = try await engine(document, InMemoryExecutor(routes: [Self.statusOK])).run(workflowId: "wf")
        #expect(result.outputs == ["a": true])
        #expect(result.warnings == ["output 'b' omitted: step 'b' never ran"])
    }

    @Test("Task cancellation stops the run cleanly")
    func cancellation() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStatus}
                  - {stepId: b, operationId: getStatus}
            """)
        let executor = InMemoryExecutor { _ throws(TransportError) in
            withUnsafeCurrentTask { $0?.cancel() }
            return HTTPResponse(status: 200)
        }
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(failure(result)?.kind == .cancelled)
        #expect(result.steps.map(\.stepId) == ["a"])
    }

    @Test("a passed run deadline stops before the next step, on the injected clock")
    func deadline() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStatus}
                  - {stepId: b, operationId: getStatus}
            """)
        // The exchange takes 30 ms of the run's clock and no real time: the deadline is decided
        // by the injected clock, not by the wall.
        let clock = ImmediateClock()
        let executor = InMemoryExecutor.taking(.milliseconds(30), on: clock)
        let result = try await engine(document, executor) {
            $0.clock = clock
            $0.limits.runDeadline = .milliseconds(10)
        }.run(workflowId: "wf")
        #expect(failure(result)?.kind == .deadline)
        #expect(result.steps.count == 1)
        #expect(result.steps.first?.request?.timeout ?? .seconds(30) <= .milliseconds(10))
        #expect(result.steps.first?.duration == .milliseconds(30))
    }

    @Test("A18: a dependency whose inputs schema is a `$ref` receives only the inputs it declares")
    func dependencyInputsThroughReference() async throws {
        let document = try await petsDocument("""
              - workflowId: main
                inputs:
                  type: object
                  properties: {code: {type: string}, extra: {type: string}}
                dependsOn: [setup]
                steps:
                  - {stepId: s, operationId: getStatus}
              - workflowId: setup
                inputs: {$ref: '#/components/inputs/setupInputs'}
                steps:
                  - {stepId: t, operationId: getStatus}
            """, components: """
            components:
              inputs:
                code: {type: string}
                setupInputs:
                  type: object
                  properties:
                    code: {$ref: '#/components/inputs/code'}
                  additionalProperties: false
            """)
        let result = try await engine(document, InMemoryExecutor(routes: [Self.statusOK]))
            .run(workflowId: "main", inputs: ["code": "1", "extra": "x"])
        #expect(result.succeeded, "\(String(describing: failure(result)))")
        #expect(result.workflows.first { $0.workflowId == "setup" }?.succeeded == true)
    }

    @Test("V5: a workflow step's timeout is decided by the injected clock, without real waiting")
    func stepTimeoutOnInjectedClock() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: call, workflowId: slow, timeout: 60000}
            \(slowWorkflow)
            """, arazzo: "1.1.0")
        // Each exchange takes an hour of the run's clock; the test takes milliseconds of real time.
        let clock = ImmediateClock()
        let executor = InMemoryExecutor.taking(.seconds(3600), on: clock)
        let wall = ContinuousClock.now
        let result = try await engine(document, executor) { $0.clock = clock }.run(workflowId: "wf")
        #expect(ContinuousClock.now - wall < .seconds(30))
        let reason = try #require(failure(result))
        #expect(reason.stepId == "call")
        #expect(result.steps.first?.transportError?.kind == .timeout)
        let child = try #require(result.workflows.first { $0.workflowId == "slow" })
        #expect(child.steps.map(\.stepId) == ["first"])
        #expect(failure(child)?.kind == .timeout)
    }

    @Test("dry run builds every request and sends none")
    func dryRun() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getPet, parameters: [{name: petId, in: path, value: 3}]}
            """)
        let executor = InMemoryExecutor(routes: [])
        let result = try await engine(document, executor) { $0.dryRun = true }.run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(result.steps.first?.request?.url == "https://pets.example/v1/pets/3")
        #expect(await executor.requests.isEmpty)
    }

    @Test("events report each workflow and step as it happens")
    func events() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStatus}
                  - {stepId: b, operationId: getStatus}
            """)
        var seen: [String] = []
        for await event in engine(document, InMemoryExecutor(routes: [Self.statusOK])).events(workflowId: "wf", inputs: [:]) {
            switch event.kind {
            case .workflowStarted: seen.append("start \(event.context.workflowId)")
            case .stepStarted: seen.append("step \(event.context.stepId ?? "?") \(event.context.attempt ?? 0)")
            case .stepFinished(let trace): seen.append("done \(trace.stepId) \(trace.action)")
            case .workflowFinished(let result): seen.append("end \(result.workflowId) \(result.succeeded)")
            }
        }
        #expect(seen == ["start wf", "step a 1", "done a next", "step b 1", "done b next", "end wf true"])
    }

    @Test("unknown workflow ids throw with the list of workflows")
    func unknownWorkflow() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStatus}
            """)
        do {
            _ = try await engine(document, InMemoryExecutor(routes: [])).run(workflowId: "nope")
            Issue.record("expected a RunFailure")
        } catch {
            #expect(error.diagnostics.errors.first?.message == "no workflow 'nope' in \(document.url)")
            #expect(error.diagnostics.errors.first?.notes == ["the workflows are 'wf'"])
        }
    }

    @Test("results encode to JSON with durations in seconds and outcomes as status objects")
    func codable() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStatus, successCriteria: [{condition: $statusCode == 201}]}
            """)
        let result = try await engine(document, InMemoryExecutor(routes: [Self.statusOK])).run(workflowId: "wf")
        let data = try JSONEncoder().encode(result)
        let json = try JSONValue(parsing: Array(data))
        #expect(json["outcome"]?["status"] == "failed")
        #expect(json["outcome"]?["reason"]?["stepId"] == "a")
        #expect(json["steps"]?[0]?["duration"]?.numberValue != nil)
        let decoded = try JSONDecoder().decode(RunResult.self, from: data)
        #expect(decoded.workflowId == "wf")
        #expect(decoded.steps.first?.criteria.first?.passed == false)
    }
}

@Suite("Response limits and Retry-After dates")
struct ResponseLimitTests {
    @Test("a response larger than maxResponseBytes is a bodyTooLarge transport failure; requests carry the cap and timeout")
    func bodyTooLarge() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getStatus}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .status(200, body: String(repeating: "x", count: 100)))])
        let result = try await engine(document, executor) {
            $0.limits.maxResponseBytes = 10
            $0.limits.requestTimeout = .seconds(3)
        }.run(workflowId: "wf")
        #expect(failure(result)?.kind == .transport)
        #expect(result.steps.first?.transportError?.kind == .bodyTooLarge)
        let sent = try #require(await executor.requests.first)
        #expect(sent.maxResponseBytes == 10)
        #expect(sent.timeout == .seconds(3))
    }

    @Test("A15: a Retry-After HTTP-date in the past does not delay beyond retryAfter")
    func retryAfterDate() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getStatus
                    successCriteria: [{condition: $statusCode == 200}]
                    onFailure: [{name: again, type: retry, retryAfter: 1.5}]
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", replies: [
            .status(503, headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"]), .json([:]),
        ])])
        let clock = ImmediateClock()
        let result = try await engine(document, executor) { $0.clock = clock }.run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(clock.slept == [.milliseconds(1500)])
        #expect(result.steps.first?.action.description == "retry after 1.5s")
    }
}
