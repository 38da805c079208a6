import Foundation
import Testing
import Arazzo
import OrderedCollections

/// The redaction rule of docs/decisions.md R1: secrets are hidden in values; the engine's wording
/// keeps the document's names; a secret shorter than six characters is masked only as a whole
/// field (the header, query parameter or cookie it is sent in, an output), never by searching text.
@Suite("Redaction: values, wording and short secrets")
struct RedactionRuleTests {
    static let api = """
        openapi: 3.0.3
        info: {title: a, version: '1'}
        servers: [{url: 'https://api.example'}]
        components:
          securitySchemes:
            queryKey: {type: apiKey, in: query, name: key}
            cookieKey: {type: apiKey, in: cookie, name: sid}
            headerKey: {type: apiKey, in: header, name: X-Key}
        paths:
          /ping:
            get: {operationId: ping, responses: {'200': {description: ok}}}
          /query:
            get: {operationId: query, security: [{queryKey: []}], responses: {'200': {description: ok}}}
          /cookie:
            get: {operationId: cookie, security: [{cookieKey: []}], responses: {'200': {description: ok}}}
          /header:
            get: {operationId: header, security: [{headerKey: []}], responses: {'200': {description: ok}}}
          /echo:
            post:
              operationId: echo
              requestBody: {content: {application/json: {schema: {type: object}}}}
              responses: {'200': {description: ok}}
        """

    static func document(_ workflows: String) async throws -> LoadedDocument {
        try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
            workflows:
            \(workflows)
            """, sources: ["api.yaml": api])
    }

    static func text(_ result: RunResult) throws -> String {
        String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
    }

    @Test("A password spelled like a parameter name: the note keeps the name, the header value, the output and the quoted value in an explanation are hidden")
    func nameLikeSecret() async throws {
        let document = try await Self.document("""
              - workflowId: wf
                inputs:
                  type: object
                  properties:
                    password: {type: string, format: password}
                steps:
                  - stepId: call
                    operationId: ping
                    parameters: [{name: password, in: header, value: $inputs.password}]
                    successCriteria:
                      - condition: $inputs.password == 'nope'
                outputs: {sent: $inputs.password}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/ping", .status(200))])
        let result = try await engine(document, executor).run(workflowId: "wf", inputs: ["password": "password"])
        #expect(await executor.requests.first?.headers["password"] == "password")
        let trace = try #require(result.steps.first)
        #expect(trace.request?.headers["password"] == "[REDACTED]")
        // `sentRequest` answers without the redacted copy, and agrees with `request`.
        #expect(trace.sentRequest)
        #expect(!StepTrace(stepId: "s", operation: "o", attempt: 1).sentRequest)
        #expect(trace.notes.contains { $0.hasPrefix("parameter password (header) is not declared by operation ping") }, "\(trace.notes)")
        #expect(result.outputs["sent"] == "[REDACTED]")
        let explanation = try #require(trace.criteria.first?.explanation)
        #expect(explanation.contains("`$inputs.password` was '[REDACTED]'"), "\(explanation)")
        #expect(!explanation.contains("'password'"))
        #expect(failure(result)?.message.contains("'[REDACTED]'") == true)
    }

    @Test("A long secret that is no name of the document is hidden in wording wherever it stands")
    func longSecretInWording() async throws {
        let document = try await Self.document("""
              - workflowId: wf
                inputs:
                  type: object
                  properties:
                    token: {type: string, format: password}
                steps:
                  - stepId: call
                    operationId: ping
                    successCriteria:
                      - context: $inputs.token
                        condition: ^nope$
                        type: regex
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/ping", .status(200))])
        let result = try await engine(document, executor).run(workflowId: "wf", inputs: ["token": "tok-canary-31"])
        #expect(!(try Self.text(result)).contains("tok-canary-31"))
    }

    @Test("A short apiKey is masked in the query parameter, cookie and header it is sent in, not in a response that echoes it inside other text", arguments: [
        ("queryKey", "query", "/query"), ("cookieKey", "cookie", "/cookie"), ("headerKey", "header", "/header"),
    ])
    func shortCredential(scheme: String, operation: String, path: String) async throws {
        let document = try await Self.document("""
              - workflowId: wf
                steps:
                  - stepId: call
                    operationId: \(operation)
                    outputs: {echo: $response.body#/echo}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", path, .json(["echo": "k12-order"]))])
        let result = try await engine(document, executor) { $0.credentials.bind(.apiKey(value: "k12"), toScheme: scheme) }
            .run(workflowId: "wf")
        let sent = try #require(await executor.requests.first)
        let traced = try #require(result.steps.first?.request)
        switch operation {
        case "query":
            #expect(sent.url.hasSuffix("/query?key=k12"))
            #expect(traced.url.hasSuffix("/query?key=[REDACTED]"), "\(traced.url)")
        case "cookie":
            #expect(sent.headers["Cookie"] == "sid=k12")
            #expect(traced.headers["Cookie"] == "sid=[REDACTED]")
        default:
            #expect(sent.headers["X-Key"] == "k12")
            #expect(traced.headers["X-Key"] == "[REDACTED]")
        }
        #expect(result.outputs.isEmpty)
        #expect(result.steps.first?.outputs["echo"] == "k12-order")
        #expect(result.steps.first?.response.map { String(decoding: $0.body, as: UTF8.self) }?.contains("k12-order") == true)
    }

    @Test("A short password input is masked as a whole output value, and nowhere by text search")
    func shortPasswordInput() async throws {
        let document = try await Self.document("""
              - workflowId: wf
                inputs:
                  type: object
                  properties:
                    pin: {type: integer, format: password}
                steps:
                  - stepId: call
                    operationId: echo
                    parameters: [{name: X-Pin, in: header, value: $inputs.pin}]
                    requestBody:
                      contentType: application/json
                      payload: {order: 'order-4321'}
                    outputs: {order: $response.body#/order}
                outputs:
                  pin: $inputs.pin
                  order: $steps.call.outputs.order
            """)
        let executor = InMemoryExecutor(routes: [.init("POST", "/echo", .json(["order": "order-4321", "count": 4321]))])
        let result = try await engine(document, executor).run(workflowId: "wf", inputs: ["pin": 4321])
        let trace = try #require(result.steps.first)
        #expect(trace.request?.headers["X-Pin"] == "[REDACTED]")
        #expect(trace.request?.body.map { String(decoding: $0, as: UTF8.self) } == #"{"order":"order-4321"}"#)
        #expect(result.outputs["pin"] == "[REDACTED]")
        #expect(result.outputs["order"] == "order-4321")
    }

    @Test("A run guard's failure is a typed LimitReached; the library message names the RunLimits property")
    func typedLimit() async throws {
        let document = try await Self.document("""
              - workflowId: wf
                steps:
                  - stepId: spin
                    operationId: ping
                    onSuccess: [{name: again, type: goto, stepId: spin}]
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/ping", .status(200))])
        let result = try await engine(document, executor) { $0.limits.maxSteps = 3 }.run(workflowId: "wf")
        let reason = try #require(failure(result))
        #expect(reason.limit == LimitReached(.maxSteps, value: 3))
        #expect(reason.kind == .maxSteps)
        #expect(reason.message == "the run reached its limit of 3 steps (a goto loop?); raise RunLimits.maxSteps if this is intended")
        let decoded = try JSONDecoder().decode(FailureReason.self, from: try JSONEncoder().encode(reason))
        #expect(decoded == reason)
    }
}
