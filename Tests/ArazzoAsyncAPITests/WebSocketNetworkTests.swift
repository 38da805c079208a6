import ArazzoExecutor
import ArazzoHTTP
import ArazzoJSON
import ArazzoTestSupport
import ArazzoWebSocket
import Foundation
import Testing

/// WebSocket connections take the HTTP executor's proxy and TLS settings (decision NET9), against
/// real peers: Python `websockets` serving wss with a private CA made by openssl at test time, and
/// Debian's tinyproxy as the proxy.
@Suite(
    "WebSocket transport: proxies and TLS settings", .serialized,
    .enabled(if: WebSocketPeer.available && NetworkPeers.haveOpenSSL && NetworkPeers.haveTinyproxy, WebSocketPeer.missing),
    .timeLimit(.minutes(1)))
struct WebSocketNetworkTests {
    static let keyPassword = "canary-ws-key-pw-0a4d"

    /// Sends one JSON message to `/echo` and expects it back.
    static func echo(_ transport: WebSocketTransport, _ endpoint: ChannelEndpoint) async throws {
        try await transport.send(TransportMessage(payload: .json(["hello": "ws"])), to: endpoint)
        let back = try await transport.receive(from: endpoint, timeout: .seconds(5)) { _ in true }
        #expect(back.payload == .json(["hello": "ws"]))
        await transport.close()
    }

    /// The error subscribing to `endpoint` fails with (records an issue if it connects).
    static func failure(_ transport: WebSocketTransport, _ endpoint: ChannelEndpoint) async -> MessageTransportError? {
        defer { Task { await transport.close() } }
        do {
            try await transport.subscribe(endpoint)
            Issue.record("connected to \(endpoint.url)")
            return nil
        } catch {
            return error
        }
    }

    @Test("wss with a private CA: untrusted without it (one line saying to add the CA), trusted with it, or with the host insecure")
    func privateCA() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let peer = try await WebSocketPeer.Running.start(tls: (pki.serverCertificate, pki.serverKey))
        defer { peer.stop() }
        let echo = peer.endpoint("/echo")
        let error = await Self.failure(WebSocketTransport(), echo)
        #expect(error?.kind == .connectionFailed)
        #expect(error?.message == "tls: the server's TLS certificate is not trusted: no trusted certificate authority signed it (wss://127.0.0.1:\(peer.port)/echo); add the CA that signed it to AsyncHTTPExecutor.TLS.certificateAuthorities")
        let trusting = WebSocketTransport(network: .init(tls: .init(certificateAuthorities: [.file(pki.caCertificate)], replacesSystemRoots: true)))
        try await Self.echo(trusting, echo)
        try await Self.echo(WebSocketTransport(network: .init(tls: .init(insecureHosts: ["127.0.0.1"]))), echo)
        // The settings of an executor configuration carry over whole.
        let executorSettings = AsyncHTTPExecutor.Configuration(tls: .init(certificateAuthorities: [.file(pki.caCertificate)]))
        try await Self.echo(WebSocketTransport(network: .init(executorSettings)), echo)
    }

    @Test("wss to a server that requires a client certificate: refused without one, served with the global one (encrypted key)")
    func clientCertificate() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let peer = try await WebSocketPeer.Running.start(tls: (pki.serverCertificate, pki.serverKey), clientCA: pki.caCertificate)
        defer { peer.stop() }
        let echo = peer.endpoint("/echo")
        var tls = AsyncHTTPExecutor.TLS(certificateAuthorities: [.file(pki.caCertificate)])
        let refused = WebSocketTransport(network: .init(tls: tls))
        do {
            try await refused.send(TransportMessage(payload: .json(["x": 1])), to: echo)
            _ = try await refused.receive(from: echo, timeout: .seconds(5)) { _ in true }
            Issue.record("served without a client certificate")
        } catch {
            #expect(error.kind == .connectionFailed, "\(error)")
            #expect(error.message == "tls: the server closed the TLS connection before answering the WebSocket handshake: it may want a client certificate, or not accept the one presented (wss://127.0.0.1:\(peer.port)/echo); set AsyncHTTPExecutor.TLS.clientCertificate", "\(error)")
        }
        await refused.close()
        tls.clientCertificate = .init(
            certificate: .file(pki.clientCertificate), privateKey: .file(pki.encryptedClientKey), keyPassword: Self.keyPassword)
        try await Self.echo(WebSocketTransport(network: .init(tls: tls)), echo)
    }

    @Test("ws through tinyproxy: a CONNECT tunnel to the server's port; NO_PROXY bypasses it")
    func wsThroughProxy() async throws {
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let server = ProxyServer(host: "127.0.0.1", port: proxy.port)
        try await Self.echo(WebSocketTransport(network: .init(proxy: ProxyConfiguration(proxy: server))), peer.endpoint("/echo"))
        #expect(proxy.requests == ["CONNECT 127.0.0.1:\(peer.port) HTTP/1.1"], "\(proxy.log)")
        // ws takes the http proxy: an https-only configuration goes direct.
        try await Self.echo(
            WebSocketTransport(network: .init(proxy: ProxyConfiguration(httpProxy: nil, httpsProxy: server))), peer.endpoint("/echo"))
        let bypassing = ProxyConfiguration(proxy: server, noProxy: NoProxyList("localhost,127.0.0.1"))
        try await Self.echo(WebSocketTransport(network: .init(proxy: bypassing)), peer.endpoint("/echo"))
        #expect(proxy.requests.count == 1, "\(proxy.log)")
    }

    @Test("wss through tinyproxy: CONNECT, then TLS end to end with the server, trusted through the private CA")
    func wssThroughProxy() async throws {
        let pki = try await TestPKI.make(keyPassword: Self.keyPassword)
        defer { pki.cleanup() }
        let proxy = try await TinyProxy.start()
        defer { proxy.stop() }
        let peer = try await WebSocketPeer.Running.start(tls: (pki.serverCertificate, pki.serverKey))
        defer { peer.stop() }
        let network = WebSocketTransport.NetworkSettings(
            proxy: ProxyConfiguration(httpProxy: nil, httpsProxy: ProxyServer(host: "127.0.0.1", port: proxy.port)),
            tls: .init(certificateAuthorities: [.file(pki.caCertificate)]))
        try await Self.echo(WebSocketTransport(network: network), peer.endpoint("/echo"))
        #expect(proxy.requests == ["CONNECT 127.0.0.1:\(peer.port) HTTP/1.1"], "\(proxy.log)")
    }

    @Test("Proxy credentials: a 407 without them says to give them in the proxy URL; with them the tunnel opens; the password is in no message")
    func proxyCredentials() async throws {
        let password = "canary-ws-proxy-pw-77e1"
        let proxy = try await TinyProxy.start(username: "carol", password: password)
        defer { proxy.stop() }
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let echo = peer.endpoint("/echo")
        let anonymous = ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: proxy.port))
        let error = await Self.failure(WebSocketTransport(network: .init(proxy: anonymous)), echo)
        #expect(error?.message == "the proxy wants credentials (407 Proxy Authentication Required), or refused the ones given (ws://127.0.0.1:\(peer.port)/echo via proxy 127.0.0.1:\(proxy.port)); give the user name and password in the proxy URL, http://USER:PASSWORD@HOST:PORT")
        let wrong = ProxyConfiguration(proxy: try ProxyServer(url: "http://carol:x\(password)@127.0.0.1:\(proxy.port)"))
        let refused = await Self.failure(WebSocketTransport(network: .init(proxy: wrong)), echo)
        #expect(refused.map { !$0.description.contains(password) } == true)
        let authorized = ProxyConfiguration(proxy: try ProxyServer(url: "http://carol:\(password)@127.0.0.1:\(proxy.port)"))
        try await Self.echo(WebSocketTransport(network: .init(proxy: authorized)), echo)
    }

    @Test("A proxy nothing listens on: one line naming it")
    func unreachableProxy() async throws {
        let closed = try TinyProxy.freePort()
        let transport = WebSocketTransport(
            connectTimeout: .seconds(5),
            network: .init(proxy: ProxyConfiguration(proxy: ProxyServer(host: "127.0.0.1", port: closed, username: "u", password: "secret-pw"))))
        let error = await Self.failure(transport, ChannelEndpoint(protocol: "ws", url: "ws://example.invalid/x", address: "/x"))
        #expect(error?.message == "could not open a WebSocket: the proxy cannot be reached (connection refused) (ws://example.invalid/x via proxy 127.0.0.1:\(closed))")
        #expect(error.map { !$0.description.contains("secret-pw") } == true)
    }
}
