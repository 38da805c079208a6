import ArazzoTestServer
import ArazzoTestSupport
import ArazzoTesting
import Foundation
import Testing

/// `arazzo-run run` with the proxy and TLS flags against real peers: tinyproxy, `openssl s_server`
/// with a private PKI (docs/networking.md). Secrets (the proxy password, the key password) are
/// canaries that must appear in no output.
@Suite("CLI proxies and TLS", .enabled(if: NetworkPeers.haveTinyproxy && NetworkPeers.haveOpenSSL), .timeLimit(.minutes(2)))
struct NetworkCLITests {
    static let proxyPassword = "canary-cli-proxy-pw-2e7a"
    static let keyPassword = "canary-cli-key-pw-91b3"

    /// One source `api` with one GET step; `cert` a second source for the per-source checks.
    static func files() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write([
            "api.yaml": """
                openapi: 3.1.0
                info: {title: API, version: 1.0.0}
                servers: [{url: 'https://api.invalid'}]
                paths:
                  /:
                    get: {operationId: root, responses: {'200': {description: ok}}}
                """,
            "arazzo.yaml": """
                arazzo: 1.0.1
                info: {title: Network, version: 1.0.0}
                sourceDescriptions:
                - {name: api, url: ./api.yaml, type: openapi}
                - {name: other, url: ./api.yaml, type: openapi}
                workflows:
                - workflowId: wf
                  steps:
                  - {stepId: root, operationId: $sourceDescriptions.api.root, successCriteria: [{condition: $statusCode == 200}]}
                """,
        ])
        return directory
    }

    /// Every output of a run, for canary checks: stdout, stderr, and the report files.
    static func outputs(_ run: Invocation, _ directory: TemporaryDirectory) -> String {
        let files = ["out.json", "out.har", "out.html"].map { (try? String(contentsOfFile: directory.file($0), encoding: .utf8)) ?? "" }
        return ([run.stdout, run.stderr] + files).joined(separator: "\n")
    }

    @Test("--proxy with credentials: the proxy sees the request in absolute form; the password is in no output; --no-proxy bypasses it")
    func proxy() async throws {
        let proxy = try await TinyProxy.start(username: "alice", password: Self.proxyPassword)
        defer { proxy.stop() }
        let directory = try Self.files()
        defer { directory.cleanup() }
        let server = CountingServer()
        try await withServer(server) { server in
            let base = [directory.file("arazzo.yaml"), "--server", "api=\(server.baseURL)", "-v",
                        "--json", directory.file("out.json"), "--har", directory.file("out.har"), "--html", directory.file("out.html")]
            let log = CapturedLog()
            let proxied = await Invocation.run(
                base + ["--proxy", "http://alice:\(Self.proxyPassword)@127.0.0.1:\(proxy.port)", "--log-level", "trace"],
                settings: log.settings)
            #expect(proxied.code == 0, "\(proxied.stdout)\n\(proxied.stderr)")
            #expect(proxy.requests == ["GET http://127.0.0.1:\(server.port ?? 0)/ HTTP/1.1"], "\(proxy.log)")
            // The recorded request is the one to the server: its URL, no proxy header.
            let har = (try? String(contentsOfFile: directory.file("out.har"), encoding: .utf8)) ?? ""
            #expect(har.contains("\"url\": \"\(server.baseURL)/\"") || har.contains("\"url\":\"\(server.baseURL)/\""), "\(har)")
            #expect(!Self.outputs(proxied, directory).lowercased().contains("proxy-authorization"))
            #expect(!Self.outputs(proxied, directory).contains(Self.proxyPassword))
            #expect(FileManager.default.fileExists(atPath: directory.file("out.html")))
            #expect(log.text.contains("GET") && !log.text.contains(Self.proxyPassword), "\(log.text)")
            let seen = proxy.requests.count

            // The same through HTTP_PROXY, bypassed by --no-proxy: the proxy sees nothing more.
            let bypassed = await Invocation.run(
                base + ["--no-proxy", "localhost,127.0.0.1"],
                environment: ["HTTP_PROXY": "http://alice:\(Self.proxyPassword)@127.0.0.1:\(proxy.port)"])
            #expect(bypassed.code == 0, "\(bypassed.stdout)\n\(bypassed.stderr)")
            #expect(proxy.requests.count == seen, "\(proxy.log)")
            #expect(server.targets == ["/", "/"])
        }
    }

    @Test("A proxy that wants credentials fails the step with one line saying to give them in the proxy URL; a wrong password is in no output")
    func proxyRefused() async throws {
        let proxy = try await TinyProxy.start(username: "alice", password: "right-one")
        defer { proxy.stop() }
        let directory = try Self.files()
        defer { directory.cleanup() }
        let outputs = ["-v", "--json", directory.file("out.json"), "--har", directory.file("out.har"), "--html", directory.file("out.html")]
        let anonymous = await Invocation.run(
            [directory.file("arazzo.yaml"), "--server", "api=http://127.0.0.1:9", "--proxy", "127.0.0.1:\(proxy.port)"] + outputs)
        #expect(anonymous.code == 1)
        #expect(anonymous.stdout.contains(
            "transport error: other: the proxy wants credentials (407 Proxy Authentication Required), or refused the ones given (http://127.0.0.1:9 via proxy 127.0.0.1:\(proxy.port)); give the user name and password in the proxy URL, http://USER:PASSWORD@HOST:PORT\n"),
            "\(anonymous.stdout)")
        // tinyproxy answers a wrong password on a forwarded request with a 401 of its own: the step's response (NET1).
        let wrong = await Invocation.run(
            [directory.file("arazzo.yaml"), "--server", "api=http://127.0.0.1:9"] + outputs,
            environment: ["http_proxy": "http://alice:\(Self.proxyPassword)@127.0.0.1:\(proxy.port)"])
        #expect(wrong.code == 1)
        #expect(!Self.outputs(wrong, directory).contains(Self.proxyPassword))
    }

    /// An AsyncAPI source on a `wss` server and a workflow that sends an order and receives its reply.
    static func webSocketFiles() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write([
            "asyncapi.yaml": try Repository.text("Fixtures/conformance/async-ws-server-override/asyncapi.yaml"),
            "arazzo.yaml": try Repository.text("Fixtures/conformance/async-ws-server-override/arazzo.yaml"),
        ])
        return directory
    }

    @Test("wss: untrusted without --cacert (the hint names the flag), trusted with it; ws through --proxy is a CONNECT tunnel; the password is in no output",
          .enabled(if: PythonPeer.available))
    func webSocket() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let secure = try await PythonPeer.start([PythonPeer.root + "/scripts/peers/ws_peer.py", "--tls", pki.serverCertificate, pki.serverKey])
        defer { secure.stop() }
        let directory = try Self.webSocketFiles()
        defer { directory.cleanup() }
        let base = [directory.file("arazzo.yaml"), "--input", "reqid=r-1"]
        let untrusted = await Invocation.run(base + ["--server", "orders=wss://127.0.0.1:\(secure.port)"])
        #expect(untrusted.code == 1)
        #expect(untrusted.stdout.contains(
            "tls: the server's TLS certificate is not trusted: no trusted certificate authority signed it (wss://127.0.0.1:\(secure.port)/orders); pass the CA bundle that signed it with --cacert FILE"),
            "\(untrusted.stdout)")
        let trusted = await Invocation.run(base + ["--server", "orders=wss://127.0.0.1:\(secure.port)", "--cacert", pki.caCertificate])
        #expect(trusted.code == 0, "\(trusted.stdout)\n\(trusted.stderr)")

        let proxy = try await TinyProxy.start(username: "alice", password: Self.proxyPassword)
        defer { proxy.stop() }
        let plain = try await PythonPeer.start([PythonPeer.root + "/scripts/peers/ws_peer.py"])
        defer { plain.stop() }
        let proxied = await Invocation.run(
            base + ["--server", "orders=ws://127.0.0.1:\(plain.port)", "--proxy", "http://alice:\(Self.proxyPassword)@127.0.0.1:\(proxy.port)",
                    "-v", "--json", directory.file("out.json"), "--har", directory.file("out.har"), "--html", directory.file("out.html")])
        #expect(proxied.code == 0, "\(proxied.stdout)\n\(proxied.stderr)")
        #expect(proxy.requests == ["CONNECT 127.0.0.1:\(plain.port) HTTP/1.1"], "\(proxy.log)")
        #expect(!Self.outputs(proxied, directory).contains(Self.proxyPassword))
    }

    @Test("Unusable network flags are usage errors with one line that names the flag and never the secret")
    func usageErrors() async throws {
        let directory = try Self.files()
        defer { directory.cleanup() }
        let file = directory.file("arazzo.yaml")
        let cases: [([String], [String: String], String)] = [
            (["--proxy", "https://u:\(Self.proxyPassword)@p.test"], [:], "error: --proxy: the proxy URL's scheme must be http (got 'https'; HTTPS and SOCKS proxies are not supported)"),
            ([], ["HTTPS_PROXY": "http://u:\(Self.proxyPassword)@p.test:0"], "error: the HTTPS_PROXY environment variable: the proxy URL's port must be a number from 1 to 65535"),
            (["--cacert-only"], [:], "error: --cacert-only needs at least one --cacert FILE"),
            (["--cacert", directory.file("nope.pem")], [:], "error: --cacert \(directory.file("nope.pem")): no such file"),
            (["--cert", "client.pem"], [:], "error: --cert client.pem: needs --key FILE too"),
            (["--key", "api=k.pem"], [:], "error: --key api=k.pem: needs --cert api=FILE too"),
        ]
        for (flags, environment, expected) in cases {
            let run = await Invocation.run([file] + flags, environment: environment)
            #expect(run.code == 2, "\(flags)")
            #expect(run.stderr == expected + "\n", "\(flags)")
            #expect(!run.stderr.contains(Self.proxyPassword))
        }
    }

    @Test("--cacert: untrusted without it (the hint names the flag), trusted with it, with --cacert-only, or with --insecure=HOST")
    func cacert() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(certificate: pki.serverCertificate, key: pki.serverKey)
        defer { server.stop() }
        let directory = try Self.files()
        defer { directory.cleanup() }
        let base = [directory.file("arazzo.yaml"), "--server", "api=https://127.0.0.1:\(server.port)"]
        let untrusted = await Invocation.run(base)
        #expect(untrusted.code == 1)
        #expect(untrusted.stdout.contains(
            "the server's TLS certificate is not trusted: no trusted certificate authority signed it (https://127.0.0.1:\(server.port)); pass the CA bundle that signed it with --cacert FILE"),
            "\(untrusted.stdout)")
        for flags in [["--cacert", pki.caCertificate], ["--cacert", pki.caCertificate, "--cacert-only"], ["--insecure=127.0.0.1"]] {
            let run = await Invocation.run(base + flags)
            #expect(run.code == 0, "\(flags): \(run.stdout)\n\(run.stderr)")
        }
        let otherHost = await Invocation.run(base + ["--insecure=localhost"])
        #expect(otherHost.code == 1, "\(otherHost.stdout)")
    }

    @Test("--cert/--key: refused without (the hint names the flags), served with; an encrypted key's password from ARAZZO_KEY_PASSWORD appears in no output")
    func clientCertificate() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(
            certificate: pki.serverCertificate, key: pki.serverKey, requireClientCertificateFrom: pki.caCertificate)
        defer { server.stop() }
        let directory = try Self.files()
        defer { directory.cleanup() }
        let base = [directory.file("arazzo.yaml"), "--server", "api=https://127.0.0.1:\(server.port)", "--cacert", pki.caCertificate,
                    "-v", "--json", directory.file("out.json"), "--har", directory.file("out.har")]
        let refused = await Invocation.run(base)
        #expect(refused.code == 1)
        #expect(refused.stdout.contains("; pass a client certificate with --cert FILE --key FILE"), "\(refused.stdout)")
        let global = await Invocation.run(base + ["--cert", pki.clientCertificate, "--key", pki.clientKey])
        #expect(global.code == 0, "\(global.stdout)\n\(global.stderr)")
        let environment = ["ARAZZO_KEY_PASSWORD": Self.keyPassword]
        let log = CapturedLog()
        let encrypted = await Invocation.run(
            base + ["--cert", "api=\(pki.clientCertificate)", "--key", "api=\(pki.encryptedClientKey)", "--log-level", "trace"],
            environment: environment, settings: log.settings)
        #expect(encrypted.code == 0, "\(encrypted.stdout)\n\(encrypted.stderr)")
        #expect(!Self.outputs(encrypted, directory).contains(Self.keyPassword))
        #expect(!log.text.isEmpty && !log.text.contains(Self.keyPassword))
        // Another source's certificate is not presented to api's requests.
        let otherSource = await Invocation.run(
            base + ["--cert", "other=\(pki.clientCertificate)", "--key", "other=\(pki.encryptedClientKey)"],
            environment: ["ARAZZO_KEY_PASSWORD_OTHER": Self.keyPassword])
        #expect(otherSource.code == 1, "\(otherSource.stdout)\n\(otherSource.stderr)")
        #expect(!Self.outputs(otherSource, directory).contains(Self.keyPassword))
        // A wrong password: a usage error naming the key file, not the password.
        let wrong = await Invocation.run(
            base + ["--cert", pki.clientCertificate, "--key", pki.encryptedClientKey], environment: ["ARAZZO_KEY_PASSWORD": "x" + Self.keyPassword])
        #expect(wrong.code == 2)
        #expect(wrong.stderr == "error: --key \(pki.encryptedClientKey): cannot be read as a PEM private key with the password given (wrong password?)\n")
        #expect(!Self.outputs(wrong, directory).contains(Self.keyPassword))
        // A source no document has.
        let unknown = await Invocation.run(base + ["--cert", "nosuch=\(pki.clientCertificate)", "--key", "nosuch=\(pki.clientKey)"])
        #expect(unknown.code == 2)
        #expect(unknown.stderr == "error: --cert nosuch=…: no source description is named 'nosuch'\n", "\(unknown.stderr)")
    }
}
