import ArazzoExecutor
import ArazzoHTTP
import ArazzoTestServer
import Foundation
import Testing

@Suite("Transport hygiene: redirects, clear-text credentials, TLS default")
struct TransportHygieneTests {
    static let canary = "canary-secret-7f3a9c41d2"

    @Test("A redirect to another host is returned, not followed: the other host sees nothing")
    func redirectToOtherHostNotFollowed() async throws {
        let collector = FaultServer()
        let collectorPort = try await collector.start()
        let redirector = ScriptedServer(script: ExchangeScript(exchanges: [
            Exchange(
                request: ExpectedRequest(method: "GET", path: "/login"),
                response: ScriptedResponse(
                    status: 307,
                    headers: [HTTPHeaderField(name: "Location", value: "http://127.0.0.1:\(collectorPort)/ok")])),
        ]))
        let response = try await withServer(redirector) { redirector in
            try await withTestExecutor { executor in
                try await executor.execute(HTTPRequest(
                    method: "GET", url: redirector.baseURL + "/login",
                    headers: ["Authorization": "Bearer " + Self.canary]))
            }
        }
        await collector.stop()
        #expect(response.status == 307)
        #expect(response.headers["Location"] == "http://127.0.0.1:\(collectorPort)/ok")
        #expect(collector.receivedRequests.isEmpty)
        #expect(redirector.receivedRequests.count == 1)
    }

    @Test("A redirect loop costs exactly one request")
    func redirectLoopOneRequest() async throws {
        let server = FaultServer(fault: .redirectLoop)
        let response = try await withServer(server) { server in
            try await withTestExecutor { executor in
                try await executor.execute(HTTPRequest(
                    method: "GET", url: server.baseURL + "/again", headers: ["Authorization": "Basic Zm9vOmJhcg=="]))
            }
        }
        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/again")
        #expect(server.receivedRequests.count == 1)
    }

    @Test("TLS certificates are verified unless insecureSkipTLSVerification (the --insecure flag) is set")
    func tlsDefault() {
        #expect(AsyncHTTPExecutor.Configuration().insecureSkipTLSVerification == false)
        #expect(AsyncHTTPExecutor().configuration.insecureSkipTLSVerification == false)
    }

    @Test("http: with an Authorization header to another machine warns, naming only host:port")
    func plainHTTPWarns() throws {
        let request = HTTPRequest(
            method: "POST", url: "http://api.example.com/v1/b2b/totp",
            headers: ["Authorization": "Basic " + Self.canary])
        let warning = try #require(CredentialTransportCheck.warning(for: request))
        #expect(warning == "credentials (header Authorization) are sent unencrypted over http to api.example.com:80; use an https server URL unless this network is trusted")
        #expect(!warning.contains(Self.canary))
    }

    @Test("What counts as a credential on plain http", arguments: [
        // (url, headers, secret headers, secrets, warns)
        ("http://api.example.com:8080/x", ["X-API-Key": "v"], [String](), [String](), true),
        ("http://api.example.com/x", ["X-Token": "v"], ["x-token"], [], true),
        ("http://api.example.com/x?key=\(canary)", [:], [], [canary], true),
        ("http://api.example.com/x?key=[REDACTED]", [:], [], [], true),
        ("http://api.example.com/x", ["X-Trace": "[REDACTED]"], [], [], true),
        ("http://api.example.com/x", ["Accept": "application/json"], [], [canary], false),
        ("https://api.example.com/x", ["Authorization": "Bearer t"], [], [], false),
        ("http://127.0.0.1:8080/x", ["Authorization": "Bearer t"], [], [], false),
        ("http://localhost/x", ["Authorization": "Bearer t"], [], [], false),
        ("http://[::1]:9/x", ["Authorization": "Bearer t"], [], [], false),
        ("http://127.0.0.1.evil.test/x", ["Authorization": "Bearer t"], [], [], true),
        ("HTTP://API.EXAMPLE.COM/x", ["authorization": "Bearer t"], [], [], true),
    ] as [(String, [String: String], [String], [String], Bool)])
    func whatCounts(url: String, headers: [String: String], secretHeaders: [String], secrets: [String], warns: Bool) {
        let request = HTTPRequest(
            method: "GET", url: url,
            headers: HeaderFields(headers.map { HeaderFields.Field(name: $0.key, value: $0.value) }))
        let warning = CredentialTransportCheck.warning(for: request, secretHeaders: Set(secretHeaders), secrets: secrets)
        #expect((warning != nil) == warns, "\(url): \(warning ?? "no warning")")
        #expect(warning?.contains(Self.canary) != true)
    }

    @Test("User info in an http URL is not taken for the host and is not repeated")
    func userInfoNotRepeated() throws {
        let request = HTTPRequest(
            method: "GET", url: "http://127.0.0.1@evil.test:8080/x", headers: ["Authorization": "Bearer t"])
        let warning = try #require(CredentialTransportCheck.warning(for: request))
        #expect(warning.contains("to evil.test:8080;"))
        #expect(!warning.contains("127.0.0.1"))
    }
}
