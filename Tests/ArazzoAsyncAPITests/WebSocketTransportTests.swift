import ArazzoAsyncAPI
import ArazzoExecutor
import ArazzoJSON
import ArazzoTestSupport
import ArazzoWebSocket
import Foundation
import ArazzoTesting
import Testing

/// The real peer: `scripts/peers/ws_peer.py` on Python's `websockets`, from the virtualenv
/// `scripts/setup-peers.sh` installs. Without it the tests skip and say why.
enum WebSocketPeer {
    static let script = PythonPeer.root + "/scripts/peers/ws_peer.py"
    static var available: Bool { PythonPeer.available }
    static let missing: Comment = "no WebSocket peer: run scripts/setup-peers.sh (installs Python websockets into .venv-peers)"

    /// A running peer, ws or (with a certificate) wss.
    struct Running: Sendable {
        let peer: PythonPeer
        let scheme: String

        var port: Int { peer.port }

        func endpoint(_ path: String, host: String = "127.0.0.1") -> ChannelEndpoint {
            ChannelEndpoint(protocol: scheme, url: "\(scheme)://\(host):\(port)\(path)", address: path)
        }

        static func start(tls: (certificate: String, key: String)? = nil, clientCA: String? = nil) async throws -> Running {
            let peer = try await PythonPeer.start(
                [WebSocketPeer.script] + (tls.map { ["--tls", $0.certificate, $0.key] } ?? []) + (clientCA.map { ["--client-ca", $0] } ?? []))
            return Running(peer: peer, scheme: tls == nil ? "ws" : "wss")
        }

        func stop() { peer.stop() }
    }
}

@Suite("WebSocket transport against a real peer (Python websockets)", .serialized, .enabled(if: WebSocketPeer.available, WebSocketPeer.missing))
struct WebSocketTransportTests {
    @Test("send then receive the reply matching the correlation id, skipping a decoy")
    func requestReply() async throws {
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let transport = WebSocketTransport()
        let orders = peer.endpoint("/orders")
        let correlation = try #require(CorrelationID(location: "$message.payload#/reqid"))
        try await transport.send(TransportMessage(payload: .json(["reqid": 41, "item": "pen"])), to: orders)
        let reply = try await transport.receive(from: orders, timeout: .seconds(5)) { correlation.matches($0, expected: "41") }
        #expect(reply.payload == .json(["reqid": 41, "status": "confirmed", "orderId": "order-41"]))
        await transport.close()
    }

    @Test("a reply that arrives before receive is called waits in the buffer")
    func replyBeforeReceive() async throws {
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let transport = WebSocketTransport()
        let orders = peer.endpoint("/orders")
        try await transport.send(TransportMessage(payload: .json(["reqid": 7])), to: orders)
        try await Task.sleep(for: .milliseconds(500))
        let correlation = try #require(CorrelationID(location: "$message.payload#/reqid"))
        let reply = try await transport.receive(from: orders, timeout: .milliseconds(100)) { correlation.matches($0, expected: 7) }
        #expect(reply.payload.jsonValue?["orderId"] == "order-7")
        // The decoy is still buffered for whoever wants it.
        let decoy = try await transport.receive(from: orders, timeout: .milliseconds(100)) { _ in true }
        #expect(decoy.payload.jsonValue?["status"] == "decoy")
        await transport.close()
    }

    @Test("a message pushed right after subscribing is kept for a later receive")
    func subscribeBuffers() async throws {
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let transport = WebSocketTransport()
        let push = peer.endpoint("/push")
        try await transport.subscribe(push)
        try await Task.sleep(for: .milliseconds(300))
        let hello = try await transport.receive(from: push, timeout: .milliseconds(100)) { _ in true }
        #expect(hello.payload == .json(["event": "hello"]))
        await transport.close()
    }

    @Test("a receive that nothing answers times out with a typed error")
    func receiveTimesOut() async throws {
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let transport = WebSocketTransport()
        let silent = peer.endpoint("/silent")
        try await transport.send(TransportMessage(payload: .text("anyone?")), to: silent)
        do {
            _ = try await transport.receive(from: silent, timeout: .milliseconds(300)) { _ in true }
            Issue.record("received from the silent peer")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("within 300 ms"))
        }
        await transport.close()
    }

    @Test("text that is not JSON round-trips as text")
    func echoText() async throws {
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let transport = WebSocketTransport()
        let echo = peer.endpoint("/echo")
        try await transport.send(TransportMessage(payload: .text("plain words")), to: echo)
        let back = try await transport.receive(from: echo, timeout: .seconds(5)) { _ in true }
        #expect(back.payload == .text("plain words"))
        await transport.close()
    }

    @Test("wss: TLS to a peer whose certificate a given CA file vouches for; refused without it",
          .enabled(if: NetworkPeers.haveOpenSSL))
    func secure() async throws {
        // The shared private PKI (NetworkPeers.swift): its server certificate names localhost and 127.0.0.1.
        let pki = try await TestPKI.make(keyPassword: "unused-ws-secure")
        defer { pki.cleanup() }
        let peer = try await WebSocketPeer.Running.start(tls: (pki.serverCertificate, pki.serverKey))
        defer { peer.stop() }
        let trusting = WebSocketTransport(additionalTrustRootFiles: [pki.caCertificate])
        let echo = peer.endpoint("/echo", host: "localhost")
        try await trusting.send(TransportMessage(payload: .json(["secure": true])), to: echo)
        let back = try await trusting.receive(from: echo, timeout: .seconds(5)) { _ in true }
        #expect(back.payload == .json(["secure": true]))
        await trusting.close()

        let untrusting = WebSocketTransport()
        do {
            try await untrusting.subscribe(echo)
            Issue.record("connected to an untrusted certificate")
        } catch {
            #expect(error.kind == .connectionFailed)
        }
        await untrusting.close()
    }

    @Test("headers: refused in payload-only mode, carried by the envelope mode across channels")
    func headers() async throws {
        let peer = try await WebSocketPeer.Running.start()
        defer { peer.stop() }
        let plain = WebSocketTransport()
        let message = TransportMessage(headers: ["orderRequestId": "r-9"], payload: .json(["petId": 9]))
        do {
            try await plain.send(message, to: peer.endpoint("/place-order"))
            Issue.record("headers were sent in payload-only mode")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("orderRequestId"))
        }
        await plain.close()

        let transport = WebSocketTransport(headerMode: .envelope)
        let confirm = peer.endpoint("/confirm-order")
        try await transport.subscribe(confirm)
        try await transport.send(message, to: peer.endpoint("/place-order"))
        let correlation = try #require(CorrelationID(location: "$message.header#/orderRequestId"))
        let reply = try await transport.receive(from: confirm, timeout: .seconds(5)) { correlation.matches($0, expected: "r-9") }
        #expect(reply.headers == ["orderRequestId": "r-9"])
        #expect(reply.payload == .json(["orderId": "order-9"]))
        await transport.close()
    }
}

@Suite("WebSocket transport errors (no peer needed)")
struct WebSocketTransportErrorTests {
    @Test("connection failures and unsupported URLs are typed errors")
    func failures() async throws {
        let transport = WebSocketTransport(connectTimeout: .seconds(2))
        do {
            // Port 1 on loopback: nothing listens there.
            try await transport.subscribe(ChannelEndpoint(protocol: "ws", url: "ws://127.0.0.1:1/x", address: "/x"))
            Issue.record("connected")
        } catch {
            #expect(error.kind == .connectionFailed)
        }
        do {
            try await transport.subscribe(ChannelEndpoint(protocol: "mqtt", url: "mqtt://example.com/x", address: "x"))
            Issue.record("connected")
        } catch {
            #expect(error.kind == .invalidEndpoint)
            #expect(error.message.contains("expected ws or wss"))
        }
    }
}
