import Arazzo
import ArazzoExecutor
import ArazzoHTTP
import ArazzoTestServer
import ArazzoTesting
import Foundation
import Synchronization
import Testing

/// The authorization code flow with PKCE through the library API (decisions OA1–OA6): the
/// engine listens on loopback, the test plays the browser through ``OAuthOptions/userAgent``,
/// and the loopback ``OAuthServer`` checks the code_verifier against the S256 challenge.
@Suite("OAuth authorization code with PKCE, through the library", .timeLimit(.minutes(1)))
struct OAuthFlowTests {

    struct Run {
        var result: RunResult
        var counts: OAuthServer.Counts
        var authorizationURLs: [String]
    }

    /// Runs `workflowId` against a fresh server; the user agent plays the browser (through
    /// `rewrite`, which may tamper with the authorization URL).
    static func run(
        _ workflowId: String, server configuration: OAuthServer.Configuration, clientSecret: String = "",
        clock: (any Clock<Duration>)? = nil, rewrite: @escaping @Sendable (String) -> String = { $0 }
    ) async throws -> Run {
        let server = OAuthServer(configuration: configuration)
        let port = try await server.start()
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try OAuthServer.openAPIDescription(port: port).write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try OAuthServer.arazzoDescription.write(toFile: directory.file("flow.arazzo.yaml"), atomically: true, encoding: .utf8)
        let seen = URLLog()
        let result = try await withTestExecutor { executor in
            var options = RunOptions(executor: executor)
            if let clock { options.clock = clock }
            options.oauth = OAuthOptions(userAgent: { request in
                seen.append(request.url)
                _ = try await OAuthServer.playBrowser(request.url, through: executor, rewrite: rewrite)
            })
            var runner = try await WorkflowRunner.load(path: directory.file("flow.arazzo.yaml"), options: options)
            try runner.useCredentials(["pkce=oauth2:cli-app" + (clientSecret.isEmpty ? "" : ":" + clientSecret), "oidc=oauth2:cli-app", "legacy=oauth2:cli-app"])
            return try await runner.run(workflowId: workflowId)
        }
        let counts = server.counts
        await server.stop()
        return Run(result: result, counts: counts, authorizationURLs: seen.urls)
    }

    final class URLLog: Sendable {
        private let lock = Mutex<[String]>([])
        func append(_ url: String) { lock.withLock { $0.append(url) } }
        var urls: [String] { lock.withLock { $0 } }
    }

    @Test("One sign-in, one code exchanged (S256 verified by the server), the token reused by the next step")
    func completesAndCaches() async throws {
        let run = try await Self.run("twice", server: .init(clientId: "cli-app", accessTokenPrefix: "tok-lib"))
        #expect(run.result.succeeded, "\(run.result.outcome)")
        #expect(run.counts.authorizations == 1)
        #expect(run.counts.codeGrants == 1)
        #expect(run.counts.refreshGrants == 0)
        #expect(run.counts.dataTokens == ["tok-lib-2", "tok-lib-2"])
        let url = try #require(run.authorizationURLs.first)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        for part in ["response_type=code", "client_id=cli-app", "scope=read", "code_challenge_method=S256", "redirect_uri=http%3A%2F%2F127.0.0.1%3A"] {
            #expect(url.contains(part), "\(part) in \(url)")
        }
        // The token never reaches the recorded trace.
        let recorded = run.result.steps.flatMap { $0.request?.headers.values(for: "Authorization") ?? [] }
        #expect(recorded == ["[REDACTED]", "[REDACTED]"])
        #expect(!String(decoding: try JSONEncoder().encode(run.result), as: UTF8.self).contains("tok-lib"))
    }

    @Test("A confidential client authenticates with Basic at the token endpoint")
    func confidentialClient() async throws {
        let run = try await Self.run("twice", server: .init(clientId: "cli-app", clientSecret: "s3cret-client"), clientSecret: "s3cret-client")
        #expect(run.result.succeeded, "\(run.result.outcome)")
        #expect(run.counts.codeGrants == 1)
    }

    @Test("An expired token is refreshed with the refresh token, not a second sign-in (OA4)")
    func refreshes() async throws {
        // expires_in 60; the first /data answers 503 and the step retries after 120 s on a clock
        // that does not really sleep, so the token has expired by the retry.
        let run = try await Self.run(
            "twice", server: .init(clientId: "cli-app", accessTokenPrefix: "tok", expiresIn: 60, failFirstData: true), clock: ImmediateClock())
        #expect(run.result.succeeded, "\(run.result.outcome)")
        #expect(run.counts.authorizations == 1)
        #expect(run.counts.refreshGrants == 1)
        #expect(run.counts.dataTokens == ["tok-2", "tok-3", "tok-3"])
    }

    @Test("openIdConnect: the discovery document's endpoints, the openid scope added")
    func openIdConnect() async throws {
        let run = try await Self.run("oidc", server: .init(clientId: "cli-app"))
        #expect(run.result.succeeded, "\(run.result.outcome)")
        #expect(run.counts.discoveries == 1)
        #expect(run.counts.codeGrants == 1)
        #expect(run.authorizationURLs.first?.contains("scope=openid+profile") == true)
    }

    @Test("A redirect with another state is refused before any token request (OA2)")
    func wrongState() async throws {
        let run = try await Self.run("once", server: .init(clientId: "cli-app", tamperState: true))
        guard case .failed(let reason) = run.result.outcome else {
            Issue.record("expected a failure, got \(run.result.outcome)")
            return
        }
        #expect(reason.stepId == "first")
        #expect(reason.kind == .request)
        #expect(reason.message == "the request could not be built: the redirect for scheme 'pkce' carried a state that does not match the one sent; refused (RFC 6749 §10.12)")
        #expect(run.counts.codeGrants == 0)
        #expect(run.counts.refusedTokenRequests == 0)
    }

    @Test("A verifier that does not match the challenge: the token endpoint's refusal as one located line")
    func wrongVerifier() async throws {
        // The browser stand-in swaps the challenge for another one: the engine's verifier no longer fits.
        let run = try await Self.run("once", server: .init(clientId: "cli-app")) { url in
            url.replacingOccurrences(of: "code_challenge=", with: "code_challenge=AAAA")
        }
        guard case .failed(let reason) = run.result.outcome else {
            Issue.record("expected a failure, got \(run.result.outcome)")
            return
        }
        #expect(reason.stepId == "first")
        #expect(reason.message.hasPrefix("the request could not be built: the oauth2 token endpoint http://127.0.0.1:"))
        #expect(reason.message.hasSuffix("/token refused the authorization code of scheme 'pkce': 400 invalid_grant (code_verifier does not match the code_challenge)"))
        #expect(!reason.message.contains("\n"))
        #expect(run.counts.refusedTokenRequests == 1)
    }

    @Test("implicit and password flows are refused with the scheme named (OA5); no user agent: refused (OA6)")
    func refusedFlows() async throws {
        let run = try await Self.run("legacy", server: .init(clientId: "cli-app"))
        guard case .failed(let reason) = run.result.outcome else {
            Issue.record("expected a failure, got \(run.result.outcome)")
            return
        }
        #expect(reason.message == "the request could not be built: security scheme 'legacy' declares the oauth2 flows [implicit, password]; the engine runs clientCredentials and authorizationCode (with PKCE) only, so bind a bearer token to it instead")
        #expect(run.authorizationURLs.isEmpty)

        let server = OAuthServer(configuration: .init(clientId: "cli-app"))
        let port = try await server.start()
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try OAuthServer.openAPIDescription(port: port).write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try OAuthServer.arazzoDescription.write(toFile: directory.file("flow.arazzo.yaml"), atomically: true, encoding: .utf8)
        let result = try await withTestExecutor { executor in
            var runner = try await WorkflowRunner.load(path: directory.file("flow.arazzo.yaml"), options: RunOptions(executor: executor))
            try runner.useCredentials(["pkce=oauth2:cli-app"])
            return try await runner.run(workflowId: "once")
        }
        await server.stop()
        guard case .failed(let noAgent) = result.outcome else {
            Issue.record("expected a failure, got \(result.outcome)")
            return
        }
        #expect(noAgent.message.contains("security scheme 'pkce' uses the oauth2 authorization code flow, which needs a user to sign in, and no user agent is configured"))
    }
}
