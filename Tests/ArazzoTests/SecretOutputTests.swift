import Foundation
import Testing
import Arazzo
import OrderedCollections

/// Collects a run's events (the handler is called from the run's task).
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [RunEvent] = []
    func append(_ event: RunEvent) { lock.withLock { list.append(event) } }
    var events: [RunEvent] { lock.withLock { list } }

    /// Every event's payload as JSON text (traces and results), for leak searches.
    var text: String {
        events.map { event -> String in
            switch event.kind {
            case .workflowStarted: return event.context.workflowId
            case .stepStarted: return event.context.stepId ?? ""
            case .stepFinished(let trace): return String(decoding: (try? JSONEncoder().encode(trace)) ?? Data(), as: UTF8.self)
            case .workflowFinished(let result): return String(decoding: (try? JSONEncoder().encode(result)) ?? Data(), as: UTF8.self)
            }
        }.joined(separator: "\n")
    }
}

@Suite("Secret step outputs (--secret-output, x-arazzo-secret-outputs)")
struct SecretOutputTests {
    static let token = "tok-secret-canary-91f2"

    /// Every form the token may take in a report.
    static func forms(_ secret: String) -> [String] {
        [secret, Data(secret.utf8).base64EncodedString(), String(secret.prefix(12))]
    }

    static func leaks(_ text: String, _ secret: String = token) -> [String] {
        forms(secret).filter { text.contains($0) }
    }

    /// login returns a token; use sends it on (header, query, body) and the server echoes it,
    /// raw and base64; check fails a criterion that mentions it.
    static let workflows = """
          - workflowId: wf
            steps:
              - stepId: login
                operationId: getStatus
                outputs: {token: $response.body#/token, user: $response.body#/user}
              - stepId: use
                operationId: getOpen
                parameters:
                  - {name: X-Session, in: header, value: $steps.login.outputs.token}
                  - {name: t, in: query, value: $steps.login.outputs.token}
                outputs: {echo: $response.body#/echo, b64: $response.body#/b64}
              - stepId: check
                operationId: getStatus
                successCriteria:
                  - {context: $steps.login.outputs.token, condition: '^expired$', type: regex}
            outputs:
              token: $steps.login.outputs.token
              echo: $steps.use.outputs.echo
              user: $steps.login.outputs.user
        """

    static func executor() -> InMemoryExecutor {
        InMemoryExecutor(routes: [
            .init("GET", "/v1/status", replies: [
                .json(["token": .string(token), "user": "alice"]),
                .json(["token": .string(token)]),
            ]),
            .init("GET", "/v1/open", .json([
                "echo": .string("you sent " + token), "b64": .string(Data(token.utf8).base64EncodedString()),
            ])),
        ])
    }

    @Test("A marked output is redacted from the moment it has a value: its own response, later requests, responses, criteria, failure message, outputs, events")
    func redactedEverywhere() async throws {
        let document = try await petsDocument(Self.workflows)
        let executor = Self.executor()
        let log = EventLog()
        let result = try await engine(document, executor) {
            $0.secretOutputs = [SecretOutputs.Reference(stepId: "login", outputName: "token")]
        }.run(workflowId: "wf", inputs: [:], events: { log.append($0) })
        // What was sent is real: the token reached the server.
        let sent = await executor.requests
        #expect(sent.count == 3)
        #expect(sent[1].headers["X-Session"] == Self.token)
        #expect(sent[1].url.hasSuffix("?t=" + Self.token))
        // What was recorded is not.
        let reason = try #require(failure(result))
        #expect(reason.stepId == "check")
        #expect(result.steps[0].outputs["token"] == "[REDACTED]")
        #expect(result.steps[0].outputs["user"] == "alice")
        #expect(result.steps[0].response.map { String(decoding: $0.body, as: UTF8.self) } == #"{"token":"[REDACTED]","user":"alice"}"#)
        #expect(result.steps[1].request?.headers["X-Session"] == "[REDACTED]")
        #expect(result.steps[1].outputs["echo"] == "you sent [REDACTED]")
        #expect(result.steps[1].outputs["b64"] == "[REDACTED]")
        #expect(result.outputs["token"] == "[REDACTED]")
        #expect(result.outputs["user"] == "alice")
        let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(Self.leaks(report) == [])
        #expect(Self.leaks(log.text) == [])
        #expect(Self.leaks(reason.message) == [])
        #expect(reason.message.contains("[REDACTED]"), "\(reason.message)")
    }

    @Test("Unmarked, the same output is an ordinary value (the control for the test above)")
    func unmarkedIsVisible() async throws {
        let document = try await petsDocument(Self.workflows)
        let result = try await engine(document, Self.executor()).run(workflowId: "wf")
        #expect(result.steps[0].outputs["token"] == .string(Self.token))
        #expect(result.outputs["token"] == .string(Self.token))
    }

    @Test("WORKFLOW.STEP.OUTPUT marks the output in that workflow only; STEP.OUTPUT in every workflow")
    func qualified() async throws {
        let document = try await petsDocument("""
              - workflowId: a
                steps: [{stepId: login, operationId: getStatus, outputs: {token: $response.body#/token}}]
                outputs: {token: $steps.login.outputs.token}
              - workflowId: b
                steps: [{stepId: login, operationId: getStatus, outputs: {token: $response.body#/token}}]
                outputs: {token: $steps.login.outputs.token}
            """)
        func run(_ workflowId: String, _ references: [String]) async throws -> RunResult {
            let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .json(["token": .string(Self.token)]))])
            let marked = try SecretOutputs(resolving: references, in: document)
            return try await engine(document, executor) { $0.secretOutputs = marked }.run(workflowId: workflowId)
        }
        #expect(try await run("a", ["a.login.token"]).outputs["token"] == "[REDACTED]")
        #expect(try await run("b", ["a.login.token"]).outputs["token"] == .string(Self.token))
        #expect(try await run("b", ["login.token"]).outputs["token"] == "[REDACTED]")
    }

    @Test("x-arazzo-secret-outputs on a step marks its outputs without any option; object and number values are hidden leaf by leaf")
    func documentMarker() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: login
                    operationId: getStatus
                    x-arazzo-secret-outputs: [session]
                    outputs: {session: $response.body#/session, plain: $response.body#/plain}
                outputs: {session: $steps.login.outputs.session, plain: $steps.login.outputs.plain}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/status", .json([
            "session": ["id": "sess-canary-4d1e", "pin": 90817263, "codes": ["code-canary-aa", "code-canary-bb"]],
            "plain": "visible-value",
        ]))])
        let result = try await engine(document, executor).run(workflowId: "wf")
        #expect(result.succeeded)
        #expect(result.outputs["session"] == ["id": "[REDACTED]", "pin": "[REDACTED]", "codes": ["[REDACTED]", "[REDACTED]"]])
        #expect(result.outputs["plain"] == "visible-value")
        let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        for canary in ["sess-canary-4d1e", "90817263", "code-canary-aa", "code-canary-bb"] {
            #expect(!report.contains(canary), "\(canary)")
        }
        #expect(SecretOutputs.documentWarnings(in: document) == [])
    }

    @Test("Every source of secrets still redacts response bodies: a credential alone, a password input alone, a secret output alone", arguments: ["credential", "password", "output"])
    func eachSourceAloneRedacts(source: String) async throws {
        let canary = "only-canary-\(source)-5c2a"
        let document = try await petsDocument("""
              - workflowId: wf
                inputs: {type: object, properties: {pw: {type: string, format: password}}}
                steps:
                  - {stepId: first, operationId: getOpen, outputs: {value: $response.body#/value}}
                  - {stepId: second, operationId: getOpen, outputs: {value: $response.body#/value}}
                outputs: {value: $steps.second.outputs.value}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/open", .json(["value": .string(canary)]))])
        let result = try await engine(document, executor) { options in
            switch source {
            case "credential": options.credentials.bind(.apiKey(value: canary), toScheme: "key")
            case "output": options.secretOutputs = [SecretOutputs.Reference(stepId: "first", outputName: "value")]
            default: break
            }
        }.run(workflowId: "wf", inputs: source == "password" ? ["pw": .string(canary)] : [:])
        #expect(result.succeeded)
        #expect(result.steps.map { String(decoding: $0.response?.body ?? [], as: UTF8.self) } == Array(repeating: #"{"value":"[REDACTED]"}"#, count: 2))
        #expect(result.outputs["value"] == "[REDACTED]")
    }

    @Test("A password input that violates its schema is redacted in the error: at the top level and in a called workflow")
    func passwordViolation() async throws {
        let document = try await petsDocument("""
              - workflowId: inner
                inputs: {type: object, properties: {pw: {type: string, format: password, pattern: '^[0-9]+$'}}}
                steps: [{stepId: s, operationId: getOpen}]
              - workflowId: outer
                inputs: {type: object, properties: {pw: {type: string}}}
                steps:
                  - stepId: call
                    workflowId: inner
                    parameters: [{name: pw, value: $inputs.pw}]
            """)
        let canary = "pw-canary-9a8b7c"
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/open", .status(200))])
        do {
            _ = try await engine(document, executor).run(workflowId: "inner", inputs: ["pw": .string(canary)])
            Issue.record("the inputs should have been refused")
        } catch {
            let messages = error.diagnostics.map(\.message).joined(separator: "\n")
            #expect(messages.contains("[REDACTED]"), "\(messages)")
            #expect(!messages.contains(canary))
        }
        let log = EventLog()
        let result = try await engine(document, executor).run(workflowId: "outer", inputs: ["pw": .string(canary)], events: { log.append($0) })
        let reason = try #require(failure(result))
        #expect(reason.message.contains("[REDACTED]"), "\(reason.message)")
        let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(!report.contains(canary) && !log.text.contains(canary))
    }

    @Test("A run with nothing secret records bodies and outputs as they are, but still blanks Authorization headers the document writes")
    func nothingSecret() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: s
                    operationId: getOpen
                    parameters: [{name: Authorization, in: header, value: Bearer doc-written-token}, {name: X-Trace, in: header, value: t-1}]
                    outputs: {value: $response.body#/value}
            """)
        let executor = InMemoryExecutor(routes: [.init("GET", "/v1/open", .json(["value": "plain-value"], headers: ["Proxy-Authorization": "Basic eA==", "X-Other": "o"]))])
        let result = try await engine(document, executor).run(workflowId: "wf")
        let trace = try #require(result.steps.first)
        #expect(trace.request?.headers["Authorization"] == "[REDACTED]")
        #expect(trace.request?.headers["X-Trace"] == "t-1")
        #expect(trace.response?.headers["proxy-authorization"] == "[REDACTED]")
        #expect(trace.response?.headers["X-Other"] == "o")
        #expect(trace.outputs["value"] == "plain-value")
        #expect(trace.response.map { String(decoding: $0.body, as: UTF8.self) } == #"{"value":"plain-value"}"#)
    }
}

@Suite("Resolving secret output references")
struct SecretOutputReferenceTests {
    static func document() async throws -> LoadedDocument {
        try await petsDocument("""
              - workflowId: signIn
                steps:
                  - {stepId: login, operationId: getStatus, outputs: {token: $response.body#/token, a.b: $response.body#/ab}}
                  - {stepId: quiet, operationId: getStatus}
              - workflowId: other
                steps:
                  - {stepId: fetch, operationId: getStatus, outputs: {data: $response.body}}
            """)
    }

    @Test("Accepted forms", arguments: [
        ("login.token", "login.token"),
        ("signIn.login.token", "signIn.login.token"),
        ("login.a.b", "login.a.b"),
        ("signIn.login.a.b", "signIn.login.a.b"),
        ("fetch.data", "fetch.data"),
    ])
    func accepted(text: String, resolved: String) async throws {
        let outputs = try SecretOutputs(resolving: [text], in: try await Self.document())
        #expect(outputs.references.map(\.description) == [resolved])
    }

    @Test("Unknown or malformed references are errors with a did-you-mean", arguments: [
        ("token", "token: expected STEP.OUTPUT or WORKFLOW.STEP.OUTPUT"),
        ("login.", "login.: expected STEP.OUTPUT or WORKFLOW.STEP.OUTPUT"),
        ("logn.token", "logn.token: no step 'logn' in any workflow; did you mean 'login'?"),
        ("nothing.token", "nothing.token: no step 'nothing' in any workflow (steps: fetch, login, quiet)"),
        ("login.tokn", "login.tokn: step 'login' has no output 'tokn'; did you mean 'login.token'?"),
        ("login.session", "login.session: step 'login' has no output 'session' (its outputs: token, a.b)"),
        ("quiet.token", "quiet.token: step 'quiet' has no output 'token' (it declares no outputs)"),
        ("signIn.logni.token", "signIn.logni.token: workflow 'signIn' has no step 'logni'; did you mean 'signIn.login'?"),
        ("signIn.login.tokens", "signIn.login.tokens: step 'login' has no output 'tokens'; did you mean 'signIn.login.token'?"),
    ])
    func rejected(text: String, message: String) async throws {
        let document = try await Self.document()
        #expect(throws: SecretOutputs.Problem.self) { try SecretOutputs(resolving: [text], in: document) }
        do {
            _ = try SecretOutputs(resolving: [text], in: document)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("x-arazzo-secret-outputs that is not a list, or names no output, is a located warning")
    func markerWarnings() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - stepId: a
                    operationId: getStatus
                    x-arazzo-secret-outputs: token
                    outputs: {token: $response.body#/token}
                  - stepId: b
                    operationId: getStatus
                    x-arazzo-secret-outputs: [tokn]
                    outputs: {token: $response.body#/token}
            """)
        let warnings = SecretOutputs.documentWarnings(in: document)
        #expect(warnings.map(\.message) == [
            "x-arazzo-secret-outputs of step 'a' must be a list of output names; it is ignored",
            "x-arazzo-secret-outputs of step 'b' names 'tokn', which is not one of its outputs; did you mean 'token'?",
        ])
        #expect(warnings.map { $0.location?.line } == [10, 14])
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.code == "secret-outputs-marker" })
    }
}
