import ArazzoCLI
import ArazzoExecutor
import ArazzoJSON
import ArazzoTestServer
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// Canary credentials run through the real CLI code path (`CLI.main`) against loopback servers;
/// every output (console, `-v`, `--json`, `--junit`, `--har`, `--html`, stderr) is searched for every canary
/// in every encoding a report might use. Zero hits allowed.
@Suite("Secrets never leak into any output", .timeLimit(.minutes(1)))
struct SecretLeakTests {
    // MARK: Canaries

    static let projectSecret = "canary-secret-7f3a9c41d2e8"
    static let projectID = "canary-project-5e1f0b"
    static let bearer = "canary-bearer-b81c2d77"
    static let headerKey = "canary-hkey-93aa10f4"
    static let cookieKey = "canary-ckey-2b7e55c1"
    /// Characters that change under percent-, form-, JSON- and XML-encoding.
    static let queryKey = "canary+q/key=0c77&e2<x>"
    static let pin = "canary-pin-4421aa90"
    static let sessionToken = "canary-session-token-9d8e61"

    /// Every form a secret may take in a report.
    static func forms(_ secret: String) -> [String] {
        var forms = [secret, Data(secret.utf8).base64EncodedString()]
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: unreserved) {
            forms.append(encoded)
            forms.append(encoded.lowercased())  // lower-case hex digits are equally valid
        }
        forms.append(secret.replacingOccurrences(of: "/", with: "\\/"))
        forms.append(secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;"))
        // A prefix long enough to be unmistakable catches truncated or split copies.
        forms.append(String(secret.prefix(14)))
        return Array(Set(forms))
    }

    /// The canaries of the credentials the user supplied (the Basic pair in every form too).
    static var credentialCanaries: [String: [String]] {
        [
            "basic password": forms(projectSecret),
            "basic user:password": forms(projectID + ":" + projectSecret),
            "bearer token": forms(bearer),
            "apiKey header": forms(headerKey),
            "apiKey query": forms(queryKey),
            "apiKey cookie": forms(cookieKey),
            "password input": forms(pin),
            "oauth2 client secret": forms(clientSecret),
            "oauth2 client id:secret": forms("canary-client:" + clientSecret),
            "oauth2 access token": forms(accessToken),
        ]
    }

    /// Every canary hit in `outputs` (name of output → text).
    static func leaks(in outputs: [String: String], canaries: [String: [String]]) -> [String] {
        var hits: [String] = []
        for (output, text) in outputs.sorted(by: { $0.key < $1.key }) {
            for (name, forms) in canaries.sorted(by: { $0.key < $1.key }) {
                for form in forms where text.contains(form) {
                    hits.append("\(output) contains the \(name) as \(form.debugDescription)")
                }
            }
        }
        return hits
    }

    /// Runs the CLI with every report on, returns every text it produced.
    static func runAllOutputs(_ arguments: [String], environment: [String: String] = [:]) async throws -> (Invocation, [String: String]) {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let reports = ["--json": "run.json", "--junit": "junit.xml", "--har": "run.har", "--html": "run.html"]
        // The most verbose run logs everything too (docs/observability.md).
        var full = arguments + ["-v", "--log-level", "trace"]
        for (flag, name) in reports.sorted(by: { $0.key < $1.key }) { full += [flag, directory.file(name)] }
        let log = CapturedLog()
        let verbose = await Invocation.run(full, environment: environment, settings: log.settings)
        let plain = await Invocation.run(arguments, environment: environment)
        var outputs = [
            "-v stdout": verbose.stdout, "-v stderr": verbose.stderr,
            "console stdout": plain.stdout, "console stderr": plain.stderr, "--log-level trace": log.text,
        ]
        // The log is there to be searched: every run logs at least its workflow's start.
        #expect(log.text.contains("info workflow "), "no log lines")
        for (flag, name) in reports {
            outputs[flag] = (try? String(contentsOfFile: directory.file(name), encoding: .utf8)) ?? ""
        }
        return (verbose, outputs)
    }

    // MARK: Stytch

    static let stytchWorkflow = Repository.fixture("stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml")
    static let totpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    static func stytchArguments(port: Int, code: String) -> [String] {
        [
            stytchWorkflow, "--server", "stytchB2bApi=http://127.0.0.1:\(port)",
            "--input", "organization_id=organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "--input", "member_id=member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "--input", "code=\"\(code)\"",
        ]
    }

    static func stytchServer() -> StytchServer {
        StytchServer(configuration: .init(
            projectID: projectID, secret: projectSecret, secretGenerator: { _, _ in SecretLeakTests.totpSecret }))
    }

    @Test("Stytch workflow, Basic credentials from --auth: no canary in console, -v, JSON, JUnit, HAR")
    func stytchAuthFlag() async throws {
        let server = Self.stytchServer()
        let port = try await server.start()
        let code = TOTP.code(secretBase32: Self.totpSecret, at: Date()) ?? "000000"
        let (run, outputs) = try await Self.runAllOutputs(
            Self.stytchArguments(port: port, code: code) + ["--auth", "stytchB2bApi=basic:\(Self.projectID):\(Self.projectSecret)"])
        await server.stop()
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(server.receivedRequests.count == 4)  // two runs of two steps: the credentials did work
        #expect(outputs["--har"]?.isEmpty == false)
        #expect(Self.leaks(in: outputs, canaries: Self.credentialCanaries) == [])
    }

    @Test("Stytch workflow, credentials from ARAZZO_AUTH_*, rejected by the server (401): no canary")
    func stytchEnvironmentRejected() async throws {
        let server = StytchServer(configuration: .init(projectID: Self.projectID, secret: "the-real-secret-differs"))
        let port = try await server.start()
        let (run, outputs) = try await Self.runAllOutputs(
            Self.stytchArguments(port: port, code: "123456"),
            environment: ["ARAZZO_AUTH_STYTCHB2BAPI": "basic:\(Self.projectID):\(Self.projectSecret)"])
        await server.stop()
        #expect(run.code == 1)
        #expect(run.stdout.contains("401"))
        #expect(Self.leaks(in: outputs, canaries: Self.credentialCanaries) == [])
    }

    @Test("Stytch workflow against a closed port and in a dry run: transport errors and printed requests carry no canary")
    func stytchTransportErrorAndDryRun() async throws {
        let port = try await FaultServer.closedPort()
        let auth = ["--auth", "stytchB2bApi=basic:\(Self.projectID):\(Self.projectSecret)"]
        let (failed, outputs) = try await Self.runAllOutputs(Self.stytchArguments(port: port, code: "123456") + auth)
        #expect(failed.code == 1)
        #expect(failed.stdout.contains("connectionRefused"))
        #expect(Self.leaks(in: outputs, canaries: Self.credentialCanaries) == [])
        let (dry, dryOutputs) = try await Self.runAllOutputs(Self.stytchArguments(port: port, code: "123456") + auth + ["--dry-run"])
        #expect(dry.code == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Authorization"))
        #expect(Self.leaks(in: dryOutputs, canaries: Self.credentialCanaries) == [])
    }

    @Test("Malformed credential flags and variables are reported without their secret part", arguments: [
        ["--auth", "stytchB2bApi=basic:\(projectSecret)"],
        ["--auth", "stytchB2bApi=token:\(projectSecret)"],
        ["--auth", "basic:\(projectID):\(projectSecret)"],
        ["--auth", "stytchB2bApi=oauth2::\(projectSecret)"],
    ])
    func malformedCredentials(flags: [String]) async throws {
        let run = await Invocation.run([Self.stytchWorkflow, "--mock", "--inputs", Repository.fixture("stytch/inputs.example.yaml")] + flags)
        #expect(run.code != 0)
        #expect(!run.stderr.isEmpty)
        #expect(Self.leaks(in: ["stdout": run.stdout, "stderr": run.stderr], canaries: Self.credentialCanaries) == [])
    }

    @Test("A malformed ARAZZO_AUTH_ variable is reported without its value")
    func malformedEnvironment() async throws {
        let run = await Invocation.run(
            [Self.stytchWorkflow, "--mock", "--inputs", Repository.fixture("stytch/inputs.example.yaml")],
            environment: ["ARAZZO_AUTH_STYTCHB2BAPI": "password:\(Self.projectSecret)"])
        #expect(run.code == 3)
        #expect(Self.leaks(in: ["stdout": run.stdout, "stderr": run.stderr], canaries: Self.credentialCanaries) == [])
    }

    // MARK: Auth cases

    static let clientSecret = "canary-client-secret-a61c0e"
    static let accessToken = "canary-oauth-access-1f2e77"

    static func authOpenAPI(port: Int) -> String { """
        openapi: 3.1.0
        info: {title: Auth cases, version: 1.0.0}
        servers:
        - url: https://auth.invalid
        components:
          securitySchemes:
            basicAuth: {type: http, scheme: basic}
            bearerAuth: {type: http, scheme: bearer}
            headerKey: {type: apiKey, in: header, name: X-API-Key}
            queryKey: {type: apiKey, in: query, name: api_key}
            cookieKey: {type: apiKey, in: cookie, name: sid}
            oauthCC:
              type: oauth2
              flows:
                clientCredentials: {tokenUrl: 'http://127.0.0.1:\(port)/token', scopes: {read: read}}
        paths:
          /basic:
            get: {operationId: basic, security: [{basicAuth: []}], responses: {'200': {description: ok}}}
          /bearer:
            get: {operationId: bearer, security: [{bearerAuth: []}], responses: {'200': {description: ok}}}
          /header:
            get: {operationId: header, security: [{headerKey: []}], responses: {'200': {description: ok}}}
          /query:
            get: {operationId: query, security: [{queryKey: []}], responses: {'200': {description: ok}}}
          /cookie:
            get: {operationId: cookie, security: [{cookieKey: []}], responses: {'200': {description: ok}}}
          /pin:
            post:
              operationId: pin
              requestBody: {content: {application/json: {schema: {type: object}}}}
              responses: {'200': {description: ok}}
          /login:
            post: {operationId: login, responses: {'200': {description: ok}}}
          /me:
            get: {operationId: me, responses: {'200': {description: ok}}}
          /oauth:
            get: {operationId: oauth, security: [{oauthCC: [read]}], responses: {'200': {description: ok}}}
        """
    }

    static let authArazzo = """
        arazzo: 1.0.1
        info: {title: Auth cases, version: 1.0.0}
        sourceDescriptions:
        - name: api
          url: ./auth.yaml
          type: openapi
        workflows:
        - workflowId: credentials
          inputs:
            type: object
            properties:
              pin: {type: string, format: password}
          steps:
          - stepId: basic
            operationId: basic
          - stepId: bearer
            operationId: bearer
          - stepId: header
            operationId: header
          - stepId: query
            operationId: query
          - stepId: cookie
            operationId: cookie
          - stepId: oauth
            operationId: oauth
          - stepId: pin
            operationId: pin
            requestBody:
              contentType: application/json
              payload: {pin: $inputs.pin, note: 'pin is {$inputs.pin}'}
            outputs:
              echoed: $response.body#/received
          outputs:
            pin: $inputs.pin
            echoed: $steps.pin.outputs.echoed
        - workflowId: returned-token
          steps:
          - stepId: login
            operationId: login
            outputs:
              token: $response.body#/token
          - stepId: me
            operationId: me
            parameters:
            - name: Authorization
              in: header
              value: Bearer {$steps.login.outputs.token}
          outputs:
            token: $steps.login.outputs.token
        - workflowId: marked-token
          steps:
          - stepId: signIn
            operationId: login
            x-arazzo-secret-outputs: [token]
            outputs:
              token: $response.body#/token
          - stepId: me
            operationId: me
            parameters:
            - name: X-Session
              in: header
              value: $steps.signIn.outputs.token
          outputs:
            token: $steps.signIn.outputs.token
        - workflowId: token-in-failure
          steps:
          - stepId: login
            operationId: login
            outputs:
              token: $response.body#/token
          - stepId: me
            operationId: me
            parameters:
            - name: session
              in: query
              value: $steps.login.outputs.token
            successCriteria:
            - context: $steps.login.outputs.token
              condition: ^expired$
              type: regex
        """

    /// A server that answers every operation, echoing secrets back in its bodies the way careless
    /// APIs do (so the reports must redact response bodies too).
    static func authServer() -> ScriptedServer {
        func ok(_ method: String, _ path: String, _ json: JSONValue) -> Exchange {
            Exchange(request: ExpectedRequest(method: method, path: path), response: ScriptedResponse(json: json), times: 10)
        }
        return ScriptedServer(script: ExchangeScript(ordered: false, exchanges: [
            ok("GET", "/basic", ["ok": true]),
            ok("GET", "/bearer", ["you_sent": .string("Bearer " + bearer)]),
            ok("GET", "/header", ["key": .string(headerKey)]),
            ok("GET", "/query", ["api_key": .string(queryKey)]),
            ok("GET", "/cookie", ["cookie": .string("sid=" + cookieKey)]),
            ok("POST", "/pin", ["received": .string(pin)]),
            ok("POST", "/login", ["token": .string(sessionToken)]),
            ok("GET", "/me", [
                "you_sent": .string("Bearer " + sessionToken),
                "b64": .string(Data(sessionToken.utf8).base64EncodedString()),
            ]),
            ok("POST", "/token", ["access_token": .string(accessToken), "token_type": "bearer"]),
            ok("GET", "/oauth", ["you_sent": .string("Bearer " + accessToken)]),
        ]))
    }

    static func authFiles(port: Int) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try authOpenAPI(port: port).write(toFile: directory.file("auth.yaml"), atomically: true, encoding: .utf8)
        try authArazzo.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func authArguments(_ directory: TemporaryDirectory, port: Int, workflow: String) -> [String] {
        [
            directory.file("arazzo.yaml"), "--workflow", workflow, "--server", "api=http://127.0.0.1:\(port)",
            "--auth", "basicAuth=basic:\(projectID):\(projectSecret)",
            "--auth", "bearerAuth=bearer:\(bearer)",
            "--auth", "headerKey=apikey:\(headerKey)",
            "--auth", "queryKey=apikey:\(queryKey)",
            "--auth", "cookieKey=apikey:\(cookieKey)",
            "--auth", "oauthCC=oauth2:canary-client:\(clientSecret)",
            "--input", "pin=\(pin)",
        ]
    }

    @Test("Basic, bearer, apiKey header and query, oauth2 client credentials, a format: password input — echoed back by the server: no canary")
    func authCases() async throws {
        let server = Self.authServer()
        let port = try await server.start()
        let directory = try Self.authFiles(port: port)
        defer { directory.cleanup() }
        let (run, outputs) = try await Self.runAllOutputs(Self.authArguments(directory, port: port, workflow: "credentials"))
        let received = server.receivedRequests
        await server.stop()
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(server.mismatches == [])
        // Each credential really went out (so a clean report means redaction, not absence).
        let basic = "Basic " + Data("\(Self.projectID):\(Self.projectSecret)".utf8).base64EncodedString()
        #expect(received.contains { $0.path == "/basic" && $0.headers.contains { $0.value == basic } })
        #expect(received.contains { $0.path == "/bearer" && $0.headers.contains { $0.value == "Bearer " + Self.bearer } })
        #expect(received.contains { $0.path == "/header" && $0.headers.contains { $0.value == Self.headerKey } })
        #expect(received.contains { $0.path == "/query" && ($0.rawQuery ?? "").contains("api_key=") })
        #expect(received.contains { $0.path == "/cookie" && $0.headers.contains { $0.value == "sid=" + Self.cookieKey } })
        #expect(received.contains { $0.path == "/oauth" && $0.headers.contains { $0.value == "Bearer " + Self.accessToken } })
        #expect(received.contains { $0.path == "/pin" && String(decoding: $0.body, as: UTF8.self).contains(Self.pin) })
        // ... and the reports show where it was hidden.
        for report in ["--json", "--har", "-v stdout"] {
            #expect(outputs[report]?.contains("[REDACTED]") == true, "\(report)")
        }
        #expect(Self.leaks(in: outputs, canaries: Self.credentialCanaries) == [])
    }

    static var tokenCanaries: [String: [String]] { ["returned token": forms(sessionToken)] }

    @Test("A token returned by a step, marked with --secret-output and sent on in a header: no canary, raw or base64")
    func returnedToken() async throws {
        let server = Self.authServer()
        let port = try await server.start()
        let directory = try Self.authFiles(port: port)
        defer { directory.cleanup() }
        let arguments = Self.authArguments(directory, port: port, workflow: "returned-token")
        let (run, outputs) = try await Self.runAllOutputs(arguments + ["--secret-output", "login.token"])
        // Control: unmarked, the token is an ordinary output and the detector finds it.
        let (control, controlOutputs) = try await Self.runAllOutputs(arguments)
        let received = server.receivedRequests
        await server.stop()
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(control.code == 0)
        #expect(received.contains { $0.path == "/me" && $0.headers.contains { $0.value == "Bearer " + Self.sessionToken } })
        #expect(outputs["-v stdout"]?.contains("Authorization: [REDACTED]") == true)
        #expect(outputs["-v stdout"]?.contains(#"token = "[REDACTED]""#) == true)
        #expect(!Self.leaks(in: controlOutputs, canaries: Self.tokenCanaries).isEmpty)
        #expect(Self.leaks(in: outputs, canaries: Self.tokenCanaries.merging(Self.credentialCanaries) { $1 }) == [])
    }

    @Test("A token marked secret by the document (x-arazzo-secret-outputs) or qualified by workflow: no canary")
    func markedToken() async throws {
        let server = Self.authServer()
        let port = try await server.start()
        let directory = try Self.authFiles(port: port)
        defer { directory.cleanup() }
        let (marked, markedOutputs) = try await Self.runAllOutputs(Self.authArguments(directory, port: port, workflow: "marked-token"))
        let (qualified, qualifiedOutputs) = try await Self.runAllOutputs(
            Self.authArguments(directory, port: port, workflow: "returned-token") + ["--secret-output", "returned-token.login.token"])
        await server.stop()
        #expect(marked.code == 0, "\(marked.stderr)\n\(marked.stdout)")
        #expect(qualified.code == 0, "\(qualified.stderr)\n\(qualified.stdout)")
        #expect(Self.leaks(in: markedOutputs, canaries: Self.tokenCanaries) == [])
        #expect(Self.leaks(in: qualifiedOutputs, canaries: Self.tokenCanaries) == [])
    }

    @Test("A secret output in a failure message (criterion explanation), a query string and a response body: no canary")
    func tokenInFailure() async throws {
        let server = Self.authServer()
        let port = try await server.start()
        let directory = try Self.authFiles(port: port)
        defer { directory.cleanup() }
        let (run, outputs) = try await Self.runAllOutputs(
            Self.authArguments(directory, port: port, workflow: "token-in-failure") + ["--secret-output", "login.token"])
        await server.stop()
        #expect(run.code == 1)
        #expect(run.stdout.contains("failed at step me"), "\(run.stdout)")
        #expect(run.stdout.contains("[REDACTED]"))
        #expect(Self.leaks(in: outputs, canaries: Self.tokenCanaries) == [])
    }

    @Test("Stytch workflow with the TOTP secret, recovery codes and session token marked secret: none in any output")
    func stytchSecretOutputs() async throws {
        let marks = ["--secret-output", "createTotp.secret", "--secret-output", "createTotp.recoveryCodes",
                     "--secret-output", "totp-enrollment.authenticateTotp.sessionToken"]
        let auth = ["--auth", "stytchB2bApi=basic:\(Self.projectID):\(Self.projectSecret)"]
        func run(_ extra: [String]) async throws -> (Invocation, [String: String]) {
            let server = Self.stytchServer()
            let port = try await server.start()
            let code = TOTP.code(secretBase32: Self.totpSecret, at: Date()) ?? "000000"
            let result = try await Self.runAllOutputs(Self.stytchArguments(port: port, code: code) + auth + extra)
            await server.stop()
            return result
        }
        func recoveryCodes(_ outputs: [String: String]) -> [String] {
            // Stytch-shaped codes (xxxx-xxxx-xxxx), not the middle of a longer dashed id.
            guard let pattern = try? NSRegularExpression(pattern: "(?<![a-z0-9-])[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}(?![a-z0-9-])") else { return ["bad pattern"] }
            return outputs.values.flatMap { text in
                pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
                    Range(match.range, in: text).map { String(text[$0]) }
                }
            }
        }
        let returned: [String: [String]] = [
            "TOTP secret": Self.forms(Self.totpSecret), "session token": ["session-token-test-"],
        ]
        let (control, controlOutputs) = try await run([])
        #expect(control.code == 0, "\(control.stderr)\n\(control.stdout)")
        #expect(!Self.leaks(in: controlOutputs, canaries: returned).isEmpty)
        #expect(recoveryCodes(controlOutputs).count >= 10)
        let (marked, outputs) = try await run(marks)
        #expect(marked.code == 0, "\(marked.stderr)\n\(marked.stdout)")
        #expect(Self.leaks(in: outputs, canaries: returned.merging(Self.credentialCanaries) { $1 }) == [])
        #expect(recoveryCodes(outputs) == [])
    }

    @Test("A format: password input that violates its schema is reported without its value", arguments: [
        "pattern: '^[0-9]{6}$'", "maxLength: 6", "enum: ['000000', '111111']", "const: '000000'", "type: integer", "format: email",
    ])
    func passwordViolation(rule: String) async throws {
        let directory = try Self.authFiles(port: 9)
        defer { directory.cleanup() }
        try """
            arazzo: 1.0.1
            info: {title: PIN rules, version: 1.0.0}
            sourceDescriptions: [{name: api, url: ./auth.yaml, type: openapi}]
            workflows:
            - workflowId: wf
              inputs:
                type: object
                properties:
                  pin: {format: password, \(rule)}
              steps:
              - {stepId: pin, operationId: pin}
            """.write(toFile: directory.file("rules.yaml"), atomically: true, encoding: .utf8)
        let run = await Invocation.run([directory.file("rules.yaml"), "--mock", "--input", "pin=\(Self.pin)"])
        #expect(run.code == 2, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("pin"))
        #expect(Self.leaks(in: ["stdout": run.stdout, "stderr": run.stderr], canaries: ["password input": Self.forms(Self.pin)]) == [])
    }

    @Test("validate and run warn, located, about an x-arazzo-secret-outputs entry that names no output")
    func markerTypoWarns() async throws {
        let directory = try Self.authFiles(port: 9)
        defer { directory.cleanup() }
        try """
            arazzo: 1.0.1
            info: {title: Marker typo, version: 1.0.0}
            sourceDescriptions: [{name: api, url: ./auth.yaml, type: openapi}]
            workflows:
            - workflowId: wf
              steps:
              - stepId: login
                operationId: login
                x-arazzo-secret-outputs: [tokn]
                outputs: {token: $response.body#/token}
            """.write(toFile: directory.file("typo.yaml"), atomically: true, encoding: .utf8)
        let warning = "typo.yaml:9:30: warning: x-arazzo-secret-outputs of step 'login' names 'tokn', which is not one of its outputs; did you mean 'token'?"
        let validate = await Invocation.run(["validate", directory.file("typo.yaml")])
        #expect(validate.code == 0, "\(validate.stdout)\n\(validate.stderr)")
        #expect((validate.stdout + validate.stderr).contains(warning), "\(validate.stdout)\n\(validate.stderr)")
        let run = await Invocation.run([directory.file("typo.yaml"), "--mock"])
        #expect(run.stderr.contains(warning), "\(run.stderr)")
    }

    @Test("--secret-output naming no output is a usage error with a did-you-mean", arguments: [
        ("logn.token", "error: --secret-output logn.token: no step 'logn' in any workflow; did you mean 'login'?"),
        ("login.tokn", "error: --secret-output login.tokn: step 'login' has no output 'tokn'; did you mean 'login.token'?"),
        ("token", "error: --secret-output token: expected STEP.OUTPUT or WORKFLOW.STEP.OUTPUT"),
    ])
    func unknownSecretOutput(reference: String, message: String) async throws {
        let directory = try Self.authFiles(port: 9)
        defer { directory.cleanup() }
        let run = await Invocation.run([directory.file("arazzo.yaml"), "--mock", "--secret-output", reference])
        #expect(run.code == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}

/// Answers every request with 200 `{}` and records the URLs (stands in for a remote API).
final class AnsweringExecutor: StepExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var urls: [String] = []
    var seen: [String] { lock.withLock { urls } }

    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        lock.withLock { urls.append(request.url) }
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array("{}".utf8))
    }
}

@Suite("CLI security flags: --allow-host, --insecure, clear-text credential warning", .timeLimit(.minutes(1)))
struct SecurityFlagTests {
    static let workflow = Repository.fixture("stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml")
    static let inputs = Repository.fixture("stytch/inputs.example.yaml")

    @Test("--allow-host refuses a host outside the list before connecting: invalidURL, nothing received")
    func refusesOtherHosts() async throws {
        let server = StytchServer()
        let port = try await server.start()
        let run = await Invocation.run([
            Self.workflow, "--inputs", Self.inputs, "--server", "stytchB2bApi=http://127.0.0.1:\(port)",
            "--allow-host", "*.stytch.com", "--allow-host", "127.0.0.1:\(port == 1 ? 2 : port - 1)",
        ])
        await server.stop()
        #expect(run.code == 1)
        #expect(run.stdout.contains("invalidURL"))
        #expect(run.stdout.contains("host http://127.0.0.1:\(port) is not allowed by --allow-host"))
        #expect(server.receivedRequests.isEmpty)
    }

    @Test("--allow-host lets the listed host through")
    func allowsListedHost() async throws {
        let executor = AnsweringExecutor()
        let run = await Invocation.run(
            [Self.workflow, "--inputs", Self.inputs, "--server", "stytchB2bApi=https://api.stytch.com", "--allow-host", "*.stytch.com"],
            settings: CLISettings(executor: executor))
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(executor.seen.count == 2)
        #expect(!run.stdout.contains("not allowed"))
    }

    @Test("An unusable --allow-host pattern is a usage error naming the flag")
    func badPattern() async {
        let run = await Invocation.run([Self.workflow, "--inputs", Self.inputs, "--mock", "--allow-host", "ftp://x.test"])
        #expect(run.code == 2)
        #expect(run.stderr.contains("error: --allow-host ftp://x.test: the scheme must be http or https"))
    }

    @Test("Credentials over plain http to another machine warn once per host; loopback and https do not")
    func clearTextWarning() async {
        let auth = ["--auth", "stytchB2bApi=basic:\(SecretLeakTests.projectID):\(SecretLeakTests.projectSecret)"]
        let plain = await Invocation.run(
            [Self.workflow, "--inputs", Self.inputs, "--server", "stytchB2bApi=http://api.example.test"] + auth,
            settings: CLISettings(executor: AnsweringExecutor()))
        let warning = "warning: credentials (header Authorization) are sent unencrypted over http to api.example.test:80"
        #expect(plain.stderr.components(separatedBy: warning).count == 2, "\(plain.stderr)")
        #expect(!plain.stderr.contains(SecretLeakTests.projectSecret))
        let tls = await Invocation.run(
            [Self.workflow, "--inputs", Self.inputs, "--server", "stytchB2bApi=https://api.example.test"] + auth,
            settings: CLISettings(executor: AnsweringExecutor()))
        #expect(!tls.stderr.contains("unencrypted"))
        for loopback in ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:8080"] {
            let local = await Invocation.run(
                [Self.workflow, "--inputs", Self.inputs, "--server", "stytchB2bApi=\(loopback)"] + auth,
                settings: CLISettings(executor: AnsweringExecutor()))
            #expect(local.code == 0, "\(local.stderr)")
            #expect(!local.stderr.contains("unencrypted"), "\(loopback): \(local.stderr)")
        }
    }

    @Test("--insecure is accepted (TLS verification is otherwise on)")
    func insecureFlag() async {
        let run = await Invocation.run([Self.workflow, "--inputs", Self.inputs, "--mock", "--insecure"])
        #expect(run.code == 0, "\(run.stderr)")
    }
}
