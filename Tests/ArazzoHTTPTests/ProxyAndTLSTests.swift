import ArazzoExecutor
import ArazzoHTTP
import ArazzoTestServer
import ArazzoTestSupport
import Foundation
import Testing

/// The executor through a real forwarding proxy (Debian's tinyproxy) and against real TLS servers
/// (`openssl s_server`) with a private PKI made at test time (docs/networking.md).
@Suite("AsyncHTTPExecutor through tinyproxy", .enabled(if: NetworkPeers.haveTinyproxy && NetworkPeers.haveOpenSSL), .timeLimit(.minutes(1)))
struct ProxyExecutorTests {
    @Test("http through the proxy in absolute form, as curl sends it: the proxy logs GET http://…, never CONNECT")
    func httpThroughProxy() async throws {
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        let server = CountingServer()
        try await withServer(server) { server in
            let configuration = AsyncHTTPExecutor.Configuration(
                proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxy.port)))
            try await withTestExecutor(configuration) { executor in
                let response = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/via-proxy?a=1&b=%20#frag"))
                #expect(response.status == 200)
                #expect(response.body == Array("{\"n\": 1}".utf8))
            }
            #expect(server.targets == ["/via-proxy?a=1&b=%20"])
            let port = server.port ?? 0
            // Decision NET1: the request line carries the absolute URL; no tunnel for plain http.
            #expect(proxy.requests == ["GET http://127.0.0.1:\(port)/via-proxy?a=1&b=%20 HTTP/1.1"], "\(proxy.log)")
        }
    }

    @Test("https through the proxy with CONNECT; TLS runs end to end with the server, trusted through the private CA")
    func httpsThroughProxy() async throws {
        let pki = try await TestPKI.make(keyPassword: "unused-4411")
        defer { pki.cleanup() }
        let tls = try await OpenSSLServer.start(certificate: pki.serverCertificate, key: pki.serverKey)
        defer { tls.stop() }
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        let configuration = AsyncHTTPExecutor.Configuration(
            proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxy.port)),
            tls: .init(certificateAuthorities: [.file(pki.caCertificate)]))
        try await withTestExecutor(configuration) { executor in
            let response = try await executor.execute(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(tls.port)/"))
            #expect(response.status == 200)
        }
        #expect(proxy.requests.contains { $0.hasPrefix("CONNECT 127.0.0.1:\(tls.port) ") }, "\(proxy.log)")
    }

    @Test("A host NO_PROXY names goes direct: the server answers, the proxy logs nothing")
    func noProxyBypass() async throws {
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        let server = CountingServer()
        try await withServer(server) { server in
            let environment = ["http_proxy": proxy.url, "NO_PROXY": "localhost, 127.0.0.1"]
            let configuration = AsyncHTTPExecutor.Configuration(proxy: try ProxyConfiguration.fromEnvironment(environment))
            try await withTestExecutor(configuration) { executor in
                let response = try await executor.execute(HTTPRequest(method: "GET", url: server.baseURL + "/direct"))
                #expect(response.status == 200)
            }
            #expect(server.targets == ["/direct"])
        }
        #expect(proxy.requests == [], "\(proxy.log)")
    }

    @Test("Proxy credentials: missing ones fail with a 407 message, the right ones pass; the password appears in no error")
    func proxyAuthentication() async throws {
        let password = "canary-proxy-pass-9c2f"
        let proxy = try await TinyProxy.start(username: "alice", password: password)
        defer { proxy.stop() }
        let server = CountingServer()
        try await withServer(server) { server in
            let request = HTTPRequest(method: "GET", url: server.baseURL + "/auth", timeout: .seconds(10))
            let anonymous = AsyncHTTPExecutor.Configuration(proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxy.port)))
            try await withTestExecutor(anonymous) { executor in
                let error = await expectFailure(executor, request)
                #expect(error?.message == "the proxy wants credentials (407 Proxy Authentication Required), or refused the ones given (http://127.0.0.1:\(server.port ?? 0) via proxy 127.0.0.1:\(proxy.port)); give the user name and password in the proxy URL, http://USER:PASSWORD@HOST:PORT", "\(String(describing: error))")
            }
            // The CONNECT path (https) says the same.
            try await withTestExecutor(anonymous) { executor in
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "https://127.0.0.1:1/", timeout: .seconds(10)))
                #expect(error?.message.hasSuffix("(https://127.0.0.1:1 via proxy 127.0.0.1:\(proxy.port)); give the user name and password in the proxy URL, http://USER:PASSWORD@HOST:PORT") == true, "\(String(describing: error))")
            }
            let wrong = try ProxyServer(url: "http://alice:wrong-\(password)@127.0.0.1:\(proxy.port)")
            try await withTestExecutor(.init(proxy: ProxyConfiguration(proxy: wrong))) { executor in
                // tinyproxy 1.11 answers wrong credentials on a forwarded request with a 401 of its
                // own (not 407); as in curl, that is the step's response (decision NET1).
                let response = try await executor.execute(request)
                #expect(response.status == 401)
                #expect(!String(decoding: response.body, as: UTF8.self).contains(password))
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "https://127.0.0.1:1/", timeout: .seconds(10)))
                #expect(error.map { !"\($0)".contains(password) && !$0.message.contains(password) } == true)
            }
            let authorized = try ProxyServer(url: "http://alice:\(password)@127.0.0.1:\(proxy.port)")
            try await withTestExecutor(.init(proxy: ProxyConfiguration(proxy: authorized))) { executor in
                let response = try await executor.execute(request)
                #expect(response.status == 200)
            }
            #expect(server.targets == ["/auth"])
        }
    }
}

@Suite("AsyncHTTPExecutor TLS: private CAs, client certificates, per-host verification",
       .enabled(if: NetworkPeers.haveOpenSSL), .timeLimit(.minutes(1)))
struct TLSExecutorTests {
    static let keyPassword = "canary-key-pass-6d0e"

    @Test("Without the private CA the certificate is untrusted (one line, says what to add); with it, or with it alone, the request succeeds")
    func privateCA() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(certificate: pki.serverCertificate, key: pki.serverKey)
        defer { server.stop() }
        let request = HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/")
        try await withTestExecutor { executor in
            let error = await expectFailure(executor, request)
            #expect(error?.kind == .tls)
            #expect(error?.message == "the server's TLS certificate is not trusted: no trusted certificate authority signed it (https://127.0.0.1:\(server.port)); add the CA that signed it to AsyncHTTPExecutor.TLS.certificateAuthorities")
        }
        for replaces in [false, true] {
            let configuration = AsyncHTTPExecutor.Configuration(
                tls: .init(certificateAuthorities: [.file(pki.caCertificate)], replacesSystemRoots: replaces))
            try await withTestExecutor(configuration) { executor in
                #expect(executor.trustsSystemRoots == !replaces)
                let response = try await executor.execute(request)
                #expect(response.status == 200)
            }
        }
        // The unrelated CA, in memory, alone: still untrusted.
        let other = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pki.otherCACertificate)))
        try await withTestExecutor(.init(tls: .init(certificateAuthorities: [.bytes(other)], replacesSystemRoots: true))) { executor in
            #expect(await expectFailure(executor, request)?.kind == .tls)
        }
    }

    @Test("insecureHosts skips verification for the hosts named, and only those")
    func insecureHost() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(certificate: pki.serverCertificate, key: pki.serverKey)
        defer { server.stop() }
        let request = HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/")
        try await withTestExecutor(.init(tls: .init(insecureHosts: ["127.0.0.1"]))) { executor in
            let response = try await executor.execute(request)
            #expect(response.status == 200)
        }
        try await withTestExecutor(.init(tls: .init(insecureHosts: ["LOCALHOST"]))) { executor in
            #expect(await expectFailure(executor, request)?.kind == .tls)
            let local = HTTPRequest(method: "GET", url: "https://localhost:\(server.port)/")
            // localhost may resolve to ::1 first, where s_server does not listen; either way no TLS error.
            do {
                let response = try await executor.execute(local)
                #expect(response.status == 200)
            } catch {
                #expect((error as? TransportError)?.kind != .tls, "\(error)")
            }
        }
    }

    @Test("A server that requires a client certificate: refused without one, served with one, also with an encrypted key and its password")
    func clientCertificate() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(
            certificate: pki.serverCertificate, key: pki.serverKey, requireClientCertificateFrom: pki.caCertificate)
        defer { server.stop() }
        let request = HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/")
        var tls = AsyncHTTPExecutor.TLS(certificateAuthorities: [.file(pki.caCertificate)])
        try await withTestExecutor(.init(tls: tls)) { executor in
            let error = await expectFailure(executor, request)
            #expect(error?.kind == .tls)
            #expect(error?.message.hasSuffix("; set AsyncHTTPExecutor.TLS.clientCertificate") == true, "\(String(describing: error))")
        }
        tls.clientCertificate = .init(certificate: .file(pki.clientCertificate), privateKey: .file(pki.clientKey))
        try await withTestExecutor(.init(tls: tls)) { executor in
            let response = try await executor.execute(request)
            #expect(response.status == 200)
        }
        tls.clientCertificate = .init(
            certificate: .file(pki.clientCertificate), privateKey: .file(pki.encryptedClientKey), keyPassword: Self.keyPassword)
        let executor = try AsyncHTTPExecutor(validating: .init(tls: tls))
        let response = try await executor.execute(request)
        #expect(response.status == 200)
        await executor.shutdown()
        #expect(!"\(tls.clientCertificate.map { "\($0)" } ?? "")".contains(Self.keyPassword))
    }

    @Test("An encrypted key without its password, or with a wrong one, fails up front with a message naming the file, never the password")
    func wrongKeyPassword() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        for password in [nil, "wrong-" + Self.keyPassword] {
            let tls = AsyncHTTPExecutor.TLS(clientCertificate: .init(
                certificate: .file(pki.clientCertificate), privateKey: .file(pki.encryptedClientKey), keyPassword: password))
            do {
                _ = try AsyncHTTPExecutor(validating: .init(tls: tls))
                Issue.record("an unreadable key was accepted")
            } catch {
                #expect(error.subject == "client certificate key \(pki.encryptedClientKey)")
                #expect(error.reason.contains(password == nil ? "needs its password" : "wrong password"))
                #expect(!error.description.contains(Self.keyPassword))
            }
            // The non-throwing initialiser defers the same problem to each request.
            try await withTestExecutor(.init(tls: tls)) { executor in
                let error = await expectFailure(executor, HTTPRequest(method: "GET", url: "https://127.0.0.1:1/"))
                #expect(error?.kind == .tls && error?.message.contains("TLS settings cannot be used") == true)
            }
        }
        do {
            _ = try AsyncHTTPExecutor(validating: .init(tls: .init(certificateAuthorities: [.file(pki.directory.file("missing.pem"))])))
            Issue.record("a missing CA bundle was accepted")
        } catch {
            #expect(error.description == "certificate authorities \(pki.directory.file("missing.pem")): no such file")
        }
    }

    @Test("A per-source client certificate is presented only on that source's operation requests")
    func perSourceCertificate() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(
            certificate: pki.serverCertificate, key: pki.serverKey, requireClientCertificateFrom: pki.caCertificate)
        defer { server.stop() }
        let tls = AsyncHTTPExecutor.TLS(
            certificateAuthorities: [.file(pki.caCertificate)],
            clientCertificatesBySource: ["bank": .init(certificate: .file(pki.clientCertificate), privateKey: .file(pki.clientKey))])
        let url = "https://127.0.0.1:\(server.port)/"
        try await withTestExecutor(.init(tls: tls)) { executor in
            let bank = HTTPRequest(method: "GET", url: url, operation: OperationReference(document: "/a.yaml", pointer: "/paths/~1/get", sourceName: "bank"))
            let response = try await executor.execute(bank)
            #expect(response.status == 200)
            let shop = HTTPRequest(method: "GET", url: url, operation: OperationReference(document: "/b.yaml", pointer: "/paths/~1/get", sourceName: "shop"))
            #expect(await expectFailure(executor, shop)?.kind == .tls)
            #expect(await expectFailure(executor, HTTPRequest(method: "GET", url: url))?.kind == .tls)
        }
    }
}
