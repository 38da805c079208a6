import ArazzoCLI
import ArazzoExecutor
import ArazzoHTTP
import ArazzoJSON
import ArazzoTestServer
import ArazzoTesting
import Arazzo
import Foundation
import ArazzoTestSupport
import Synchronization
import Testing

/// `--cookies` and the OAuth authorization code flow through the real CLI code path, against
/// loopback servers, with every output searched for canaries (decisions CK1–CK4, OA1–OA6).
@Suite("Cookies and interactive OAuth through the CLI", .timeLimit(.minutes(2)))
struct NetworkingCLITests {
    // MARK: Cookies

    static let sessionCookie = "canary-cookie-5f2a91c0d7"
    static let shortCookie = "ab12"

    static let cookieOpenAPI = """
        openapi: 3.1.0
        info: {title: Cookies, version: 1.0.0}
        servers: [{url: 'https://cookies.invalid'}]
        paths:
          /app/login:
            post: {operationId: login, responses: {'200': {description: ok}}}
          /app/me:
            get: {operationId: me, responses: {'200': {description: ok}}}
          /app/own:
            get:
              operationId: own
              parameters: [{name: Cookie, in: header, schema: {type: string}}]
              responses: {'200': {description: ok}}
        """

    static let cookieArazzo = """
        arazzo: 1.0.1
        info: {title: Cookies, version: 1.0.0}
        sourceDescriptions:
        - {name: api, url: ./api.yaml, type: openapi}
        workflows:
        - workflowId: session
          steps:
          - stepId: login
            operationId: login
            successCriteria:
            - {context: $response.header.Set-Cookie, condition: 'session=', type: regex}
          - stepId: me
            operationId: me
          - stepId: own
            operationId: own
            parameters:
            - {name: Cookie, in: header, value: mine=1}
        """

    static func cookieServer() -> ScriptedServer {
        ScriptedServer(script: ExchangeScript(ordered: false, exchanges: [
            Exchange(
                request: ExpectedRequest(method: "POST", path: "/app/login"),
                response: ScriptedResponse(headers: [
                    HTTPHeaderField(name: "Set-Cookie", value: "session=\(sessionCookie); Path=/app; HttpOnly"),
                    HTTPHeaderField(name: "Set-Cookie", value: "k=\(shortCookie)"),
                    HTTPHeaderField(name: "Set-Cookie", value: "wide=1; Domain=invalid"),
                ], json: ["ok": true]), times: 10),
            Exchange(request: ExpectedRequest(method: "GET", path: "/app/me"), response: ScriptedResponse(json: ["cookie": .string("session=" + sessionCookie)]), times: 10),
            Exchange(request: ExpectedRequest(method: "GET", path: "/app/own"), response: ScriptedResponse(json: ["ok": true]), times: 10),
        ]))
    }

    @Test("--cookies: the login's cookie goes to the next step, a document's own Cookie header wins, values never printed")
    func cookies() async throws {
        let server = Self.cookieServer()
        let port = try await server.start()
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Self.cookieOpenAPI.write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try Self.cookieArazzo.write(toFile: directory.file("flow.arazzo.yaml"), atomically: true, encoding: .utf8)
        let arguments = [directory.file("flow.arazzo.yaml"), "--server", "api=http://127.0.0.1:\(port)"]

        let (run, outputs) = try await SecretLeakTests.runAllOutputs(arguments + ["--cookies"])
        let withJar = server.receivedRequests
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(withJar.filter { $0.path == "/app/me" }.allSatisfy { $0.headers.contains { $0.name.lowercased() == "cookie" && $0.value == "session=\(Self.sessionCookie); k=\(Self.shortCookie)" } })
        #expect(withJar.filter { $0.path == "/app/own" }.allSatisfy { $0.headers.filter { $0.name.lowercased() == "cookie" }.map(\.value) == ["mine=1"] })
        #expect(withJar.filter { $0.path == "/app/me" }.count == 2)
        let verbose = outputs["-v stdout"] ?? ""
        #expect(verbose.contains("Cookie: session=[REDACTED]; k=[REDACTED]"), "\(verbose)")
        #expect(verbose.contains("cookie jar: the request sets its own Cookie header, so the jar's 'session', 'k' are not added"))
        #expect(verbose.contains("cookie jar: Set-Cookie 'wide' ignored: its Domain attribute 'invalid' is a public suffix"))
        #expect(outputs["--har"]?.contains("Set-Cookie") == true)
        let canaries = ["session cookie": SecretLeakTests.forms(Self.sessionCookie), "short cookie": ["=" + Self.shortCookie]]
        #expect(SecretLeakTests.leaks(in: outputs, canaries: canaries) == [])

        // Without --cookies nothing is kept: the next step carries no Cookie header.
        let before = server.receivedRequests.count
        let plain = await Invocation.run(arguments)
        let after = Array(server.receivedRequests.dropFirst(before))
        await server.stop()
        #expect(plain.code == 0, "\(plain.stderr)")
        #expect(after.contains { $0.path == "/app/me" })
        #expect(after.filter { $0.path == "/app/me" }.allSatisfy { !$0.headers.contains { $0.name.lowercased() == "cookie" } })
    }

    // MARK: OAuth

    static let clientSecret = "canary-oauth-client-secret-41d9"

    /// Runs the CLI; whenever it prints an authorization URL on stderr, plays the browser.
    static func runPlayingBrowser(_ arguments: [String], settings: CLISettings, executor: AsyncHTTPExecutor) async -> Invocation {
        let out = Mutex("")
        let err = Mutex("")
        let browsing = Mutex<[Task<Void, Never>]>([])
        let stderr = CLIOutput { text in
            err.withLock { $0 += text }
            for line in text.split(separator: "\n") where line.hasPrefix("  http://") && line.contains("/authorize?") {
                let url = String(line.dropFirst(2))
                browsing.withLock { $0.append(Task { _ = try? await OAuthServer.playBrowser(url, through: executor) }) }
            }
        }
        let code = await CLI.main(
            arguments: arguments, environment: [:], stdout: CLIOutput { text in out.withLock { $0 += text } }, stderr: stderr, settings: settings)
        for task in browsing.withLock({ $0 }) { await task.value }
        return Invocation(code: code, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }

    @Test("--no-browser: the URL on stderr, the test plays the browser; PKCE completes, the token refreshes; no token, code, verifier or secret printed")
    func authorizationCodeThroughCLI() async throws {
        let server = OAuthServer(configuration: .init(
            clientId: "cli-app", clientSecret: Self.clientSecret, accessTokenPrefix: "canary-access-7d1e0c",
            refreshTokenPrefix: "canary-refresh-3b9f2a", codePrefix: "canary-code-8c2a6e", expiresIn: 60, failFirstData: true))
        let port = try await server.start()
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try OAuthServer.openAPIDescription(port: port).write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try OAuthServer.arazzoDescription.write(toFile: directory.file("flow.arazzo.yaml"), atomically: true, encoding: .utf8)
        let reports = ["--json": "run.json", "--junit": "junit.xml", "--har": "run.har"]
        var arguments = [
            directory.file("flow.arazzo.yaml"), "--workflow", "twice", "--server", "api=http://127.0.0.1:\(port)",
            "--auth", "pkce=oauth2:cli-app:\(Self.clientSecret)", "--no-browser", "-v", "--log-level", "trace",
        ]
        for (flag, name) in reports.sorted(by: { $0.key < $1.key }) { arguments += [flag, directory.file(name)] }
        let log = CapturedLog()
        var settings = log.settings
        settings.clock = ImmediateClock()
        let run = await AsyncHTTPExecutor.withExecutor(configuration: .init()) { executor in
            await Self.runPlayingBrowser(arguments, settings: settings, executor: executor)
        }
        let counts = server.counts
        await server.stop()
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(run.stderr.contains("oauth2: to authorize security scheme 'pkce', open this URL in a browser"))
        #expect(counts.authorizations == 1)
        #expect(counts.codeGrants == 1)
        #expect(counts.refreshGrants == 1)
        #expect(counts.dataTokens == ["canary-access-7d1e0c-2", "canary-access-7d1e0c-3", "canary-access-7d1e0c-3"])
        var outputs = ["stdout": run.stdout, "stderr": run.stderr, "log": log.text]
        for (flag, name) in reports { outputs[flag] = (try? String(contentsOfFile: directory.file(name), encoding: .utf8)) ?? "" }
        #expect(outputs["--har"]?.contains("[REDACTED]") == true)
        let canaries = [
            "access token": SecretLeakTests.forms("canary-access-7d1e0c"), "refresh token": SecretLeakTests.forms("canary-refresh-3b9f2a"),
            "authorization code": SecretLeakTests.forms("canary-code-8c2a6e"), "client secret": SecretLeakTests.forms(Self.clientSecret),
            "code_verifier": SecretLeakTests.forms(try #require(counts.verifiers.first)),
        ]
        #expect(counts.verifiers.count == 1 && counts.verifiers[0].count == 43)
        #expect(SecretLeakTests.leaks(in: outputs, canaries: canaries) == [])
    }

    @Test("A forged state through the CLI: the step fails with one located line, exit 1")
    func wrongStateThroughCLI() async throws {
        let server = OAuthServer(configuration: .init(clientId: "cli-app", tamperState: true))
        let port = try await server.start()
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try OAuthServer.openAPIDescription(port: port).write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try OAuthServer.arazzoDescription.write(toFile: directory.file("flow.arazzo.yaml"), atomically: true, encoding: .utf8)
        let run = await AsyncHTTPExecutor.withExecutor(configuration: .init()) { executor in
            await Self.runPlayingBrowser(
                [directory.file("flow.arazzo.yaml"), "--workflow", "once", "--server", "api=http://127.0.0.1:\(port)", "--auth", "pkce=oauth2:cli-app", "--no-browser"],
                settings: CLISettings(), executor: executor)
        }
        await server.stop()
        #expect(run.code == 1)
        #expect(run.stdout.contains("the redirect for scheme 'pkce' carried a state that does not match the one sent; refused (RFC 6749 §10.12)"), "\(run.stdout)")
        #expect(server.counts.codeGrants == 0)
    }
}
