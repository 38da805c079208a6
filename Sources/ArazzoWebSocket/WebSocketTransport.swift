#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
public import ArazzoExecutor
public import ArazzoHTTP
internal import ArazzoJSON
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import NIOSSL
internal import NIOWebSocket
import Foundation
import OrderedCollections
import Synchronization

/// A ``MessageTransport`` for AsyncAPI `ws` and `wss` servers over SwiftNIO's WebSocket codec: one
/// connection per endpoint URL (a channel's address is the WebSocket path), opened on the first
/// subscribe or send and read continuously into the endpoint's bounded buffer.
///
/// Mapping (docs/asyncapi.md, where AsyncAPI and RFC 6455 are silent): one message is one data
/// frame (fragments are joined); JSON and text payloads go as text frames, bytes as binary
/// frames; a received frame's payload is JSON when it parses as JSON, else text, else bytes.
/// WebSocket frames have no headers, so ``HeaderMode`` says what happens to message headers.
///
/// Connections take the HTTP executor's proxy and TLS settings (``NetworkSettings``; decision
/// NET9): a proxy is reached with a `CONNECT` tunnel for `ws` and `wss` alike, `NO_PROXY`
/// applies, and `wss` trusts, presents and skips verification as ``AsyncHTTPExecutor/TLS`` says.
public actor WebSocketTransport: MessageTransport {
    /// The proxy and TLS settings of WebSocket connections: the same types the HTTP executor
    /// takes, so one set of settings serves both (docs/networking.md).
    public struct NetworkSettings: Sendable, Hashable {
        /// The proxies: `ws` URLs use ``ProxyConfiguration/httpProxy``, `wss` URLs
        /// ``ProxyConfiguration/httpsProxy`` (as curl picks them), each through a `CONNECT`
        /// tunnel; hosts ``ProxyConfiguration/noProxy`` matches go direct. Nil: always direct.
        public var proxy: ProxyConfiguration?
        /// Trusted certificate authorities, the client certificate, hosts not verified. Only
        /// ``AsyncHTTPExecutor/TLS/clientCertificate`` is presented: per-source certificates
        /// belong to OpenAPI operations.
        public var tls: AsyncHTTPExecutor.TLS
        /// Accept any TLS certificate. Only for test servers.
        public var insecureSkipTLSVerification: Bool

        /// Creates settings; the default goes direct and verifies against the system roots.
        public init(proxy: ProxyConfiguration? = nil, tls: AsyncHTTPExecutor.TLS = .init(), insecureSkipTLSVerification: Bool = false) {
            self.proxy = proxy
            self.tls = tls
            self.insecureSkipTLSVerification = insecureSkipTLSVerification
        }

        /// The proxy and TLS settings of an HTTP executor's configuration.
        public init(_ configuration: AsyncHTTPExecutor.Configuration) {
            self.init(proxy: configuration.proxy, tls: configuration.tls, insecureSkipTLSVerification: configuration.insecureSkipTLSVerification)
        }
    }

    /// What becomes of application headers, which WebSocket frames cannot carry.
    public enum HeaderMode: Sendable, Hashable {
        /// A frame is the payload alone; sending a message with headers fails with
        /// `.unsupported` (rather than dropping them, which would break a header correlation id
        /// silently), and received messages have no headers.
        case payloadOnly
        /// A frame is the JSON text `{"headers": {…}, "payload": …}`; a received JSON object with
        /// a `payload` member and no members but `headers` and `payload` is read the same way,
        /// any other frame as a bare payload. For peers that agree on this envelope.
        case envelope
    }

    /// What the transport does with headers.
    public let headerMode: HeaderMode
    /// The most messages buffered per endpoint.
    public let bufferCapacity: Int
    /// The largest frame (after joining fragments) accepted, in bytes.
    public let maxFrameSize: Int
    /// How long connecting and the opening handshake may take.
    public let connectTimeout: Duration
    /// PEM files of certificate authorities trusted for `wss` besides the system's (a test or
    /// in-house CA), in addition to those of ``network``.
    public let additionalTrustRootFiles: [String]
    /// The proxy and TLS settings.
    public let network: NetworkSettings
    /// The TLS material of ``network``, read once; a failure fails each `wss` connection.
    private let tlsMaterial: Result<LoadedTLS, AsyncHTTPExecutor.TLSSetupError>

    private var connections: [String: Connection] = [:]
    private var connecting: [String: Task<Connection, any Error>] = [:]

    /// Creates a transport.
    public init(
        headerMode: HeaderMode = .payloadOnly, bufferCapacity: Int = 256, maxFrameSize: Int = 1 << 20,
        connectTimeout: Duration = .seconds(10), additionalTrustRootFiles: [String] = [],
        network: NetworkSettings = NetworkSettings()
    ) {
        self.additionalTrustRootFiles = additionalTrustRootFiles
        self.network = network
        var tls = network.tls
        tls.certificateAuthorities += additionalTrustRootFiles.map { .file($0) }
        tlsMaterial = Result { () throws(AsyncHTTPExecutor.TLSSetupError) in try LoadedTLS(tls) }
        self.headerMode = headerMode
        self.bufferCapacity = bufferCapacity
        self.maxFrameSize = maxFrameSize
        self.connectTimeout = connectTimeout
    }

    public func subscribe(_ endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        _ = try await connection(for: endpoint)
    }

    public func send(_ message: TransportMessage, to endpoint: ChannelEndpoint) async throws(MessageTransportError) {
        let frame = try encode(message)
        let connection = try await connection(for: endpoint)
        do {
            try await connection.writer.write(frame)
        } catch {
            throw MessageTransportError(.closed, "could not send on \(endpoint.url): the connection is closed")
        }
    }

    public func receive(
        from endpoint: ChannelEndpoint, timeout: Duration,
        where matches: @escaping @Sendable (TransportMessage) -> Bool
    ) async throws(MessageTransportError) -> TransportMessage {
        let connection = try await connection(for: endpoint)
        return try await connection.buffer.take(timeout: timeout, describing: endpoint.url, where: matches)
    }

    public func close() async {
        let open = connections.values
        connections.removeAll()
        for connection in open {
            // A close frame first, so the peer sees a clean close (RFC 6455 §5.5.1), not a drop.
            var code = ByteBufferAllocator().buffer(capacity: 2)
            code.write(webSocketErrorCode: .normalClosure)
            try? await connection.writer.write(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: code))
            connection.writer.finish()
            connection.reader.cancel()
            await connection.buffer.close(MessageTransportError(.closed, "the WebSocket transport was closed"))
        }
    }

    // MARK: Frames

    func encode(_ message: TransportMessage) throws(MessageTransportError) -> WebSocketFrame {
        var payload = message.payload
        if !message.headers.isEmpty {
            switch headerMode {
            case .payloadOnly:
                let names = message.headers.keys.sorted().joined(separator: ", ")
                throw MessageTransportError(
                    .unsupported,
                    "WebSocket frames carry no headers, so header \(names) cannot be sent; correlate on the payload or use the envelope header mode")
            case .envelope:
                var headers = JSONObject()
                for name in message.headers.keys.sorted() { headers[name] = message.headers[name] }
                var object = JSONObject()
                object["headers"] = .object(headers)
                object["payload"] = message.payload.jsonValue ?? .null
                if case .binary = message.payload {
                    throw MessageTransportError(.unsupported, "a binary payload cannot be wrapped in the JSON header envelope")
                }
                payload = .json(.object(object))
            }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        buffer.writeBytes(payload.bytes)
        let opcode: WebSocketOpcode
        if case .binary = payload { opcode = .binary } else { opcode = .text }
        return WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: buffer)
    }

    static func decode(_ bytes: [UInt8], mode: HeaderMode) -> TransportMessage {
        let payload = MessagePayload.decoding(bytes)
        if mode == .envelope, case .json(.object(let object)) = payload, let inner = object["payload"],
           object.keys.allSatisfy({ $0 == "headers" || $0 == "payload" }) {
            var headers: [String: JSONValue] = [:]
            if case .object(let fields)? = object["headers"] {
                for (name, value) in fields { headers[name] = value }
            }
            return TransportMessage(headers: headers, payload: .json(inner))
        }
        return TransportMessage(payload: payload)
    }

    // MARK: Connections

    struct Connection: Sendable {
        let writer: NIOAsyncChannelOutboundWriter<WebSocketFrame>
        let buffer: MessageBuffer
        let reader: Task<Void, Never>
    }

    private func connection(for endpoint: ChannelEndpoint) async throws(MessageTransportError) -> Connection {
        if let open = connections[endpoint.url] { return open }
        let task: Task<Connection, any Error>
        if let pending = connecting[endpoint.url] {
            task = pending
        } else {
            let target = try WebSocketURL(endpoint)
            let capacity = bufferCapacity
            let mode = headerMode
            let maxFrame = maxFrameSize
            let limit = connectTimeout
            let proxy = network.proxy?.proxy(scheme: target.secure ? "https" : "http", host: target.host, port: target.port)
            var tls: TLSConfiguration?
            if target.secure {
                switch tlsMaterial {
                case .success(let material):
                    let verify = !(network.insecureSkipTLSVerification || network.tls.skipsVerification(of: target.host))
                    tls = material.configuration(identity: material.identity, verify: verify)
                case .failure(let error):
                    throw MessageTransportError(.connectionFailed, "could not open a WebSocket to \(endpoint.url): the TLS settings cannot be used: \(error)")
                }
            }
            task = Task { [tls] in
                try await Self.open(target, capacity: capacity, mode: mode, maxFrameSize: maxFrame, timeout: limit, tls: tls, proxy: proxy)
            }
            connecting[endpoint.url] = task
        }
        do {
            let connection = try await task.value
            connecting[endpoint.url] = nil
            connections[endpoint.url] = connection
            return connection
        } catch let error as MessageTransportError {
            connecting[endpoint.url] = nil
            throw error
        } catch {
            connecting[endpoint.url] = nil
            throw MessageTransportError(.connectionFailed, "could not open a WebSocket to \(endpoint.url): \(error)")
        }
    }

    enum UpgradeResult: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case declined(HTTPResponseStatus?)
    }

    private static func open(
        _ target: WebSocketURL, capacity: Int, mode: HeaderMode, maxFrameSize: Int, timeout: Duration,
        tls tlsConfiguration: TLSConfiguration?, proxy: ProxyServer?
    ) async throws -> Connection {
        let tls: NIOSSLContext?
        do {
            tls = try tlsConfiguration.map { try NIOSSLContext(configuration: $0) }
        } catch {
            throw MessageTransportError(.connectionFailed, "could not set up TLS for \(target.url): \(error)")
        }
        // Messages name the server, and the proxy as `via proxy HOST:PORT` (never its credentials).
        let via = proxy.map { " via proxy \($0.host.contains(":") ? "[\($0.host)]" : $0.host):\($0.port)" } ?? ""
        let at = " (\(target.url)\(via))"
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let tunnel = proxy.map { _ in loop.makePromise(of: Void.self) }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let proxy, let tunnel {
                            try channel.pipeline.syncOperations.addHandler(ConnectTunnelHandler(target: target, proxy: proxy, promise: tunnel))
                        }
                    }
                }
                .connect(host: proxy?.host ?? target.host, port: proxy?.port ?? target.port).get()
        } catch {
            tunnel?.fail(error)
            let what = proxy == nil ? "could not connect" : "the proxy cannot be reached"
            throw MessageTransportError(.connectionFailed, "could not open a WebSocket: \(what) (\(Self.describe(error)))\(at)")
        }
        // Connecting, the tunnel and the opening handshake share one limit.
        let limit = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { channel.close(promise: nil) }
        defer { limit.cancel() }
        if let tunnel {
            do {
                try await tunnel.futureResult.get()
            } catch let refusal as ConnectTunnelHandler.Refusal {
                channel.close(promise: nil)
                switch refusal {
                case .credentials:
                    throw MessageTransportError(
                        .connectionFailed,
                        "the proxy wants credentials (407 Proxy Authentication Required), or refused the ones given\(at); \(AsyncHTTPExecutor.proxyCredentialsRemedy)")
                case .status(let code):
                    throw MessageTransportError(.connectionFailed, "the proxy refused to open a tunnel to the server (\(code))\(at)")
                case .notHTTP:
                    throw MessageTransportError(.connectionFailed, "the proxy's answer to CONNECT is not HTTP\(at)")
                }
            } catch {
                channel.close(promise: nil)
                throw MessageTransportError(.connectionFailed, "the proxy closed the connection before opening a tunnel (\(Self.describe(error)))\(at)")
            }
        }
        // SNI and certificate checks need a name; an IP literal is checked against the
        // certificate's IP addresses instead, and must not be sent as SNI.
        let serverName: String? = target.host.contains(":") || target.host.allSatisfy { $0.isNumber || $0 == "." } ? nil : target.host
        let tlsFailure = TLSFailureRecorder(at: at)
        let upgrade: EventLoopFuture<UpgradeResult>
        do {
            upgrade = try await channel.eventLoop.submit { () throws -> EventLoopFuture<UpgradeResult> in
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(tlsFailure)
                }
                return try Self.configureUpgrade(channel, target: target, maxFrameSize: maxFrameSize)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw MessageTransportError(.connectionFailed, "could not open a WebSocket (\(Self.describe(error)))\(at)")
        }
        let result: UpgradeResult
        do {
            result = try await upgrade.get()
        } catch {
            channel.close(promise: nil)
            if let message = tlsFailure.message ?? TLSFailureRecorder.message(error, at: at) {
                throw MessageTransportError(.connectionFailed, "tls: \(message)")
            }
            throw MessageTransportError(.connectionFailed, "the server at \(target.url) declined the WebSocket handshake (\(Self.describe(error)))")
        }
        guard case .websocket(let webSocket) = result else {
            channel.close(promise: nil)
            throw MessageTransportError(.connectionFailed, "the server at \(target.url) answered without upgrading to WebSocket; check the server host and the channel address")
        }
        let buffer = MessageBuffer(capacity: capacity)
        let (writerStream, writerContinuation) = AsyncStream<NIOAsyncChannelOutboundWriter<WebSocketFrame>>.makeStream()
        let url = target.url
        let reader = Task {
            do {
                try await webSocket.executeThenClose { inbound, outbound in
                    writerContinuation.yield(outbound)
                    writerContinuation.finish()
                    for try await frame in inbound {
                        switch frame.opcode {
                        case .text, .binary:
                            let bytes = frame.unmaskedData.readableBytesView
                            await buffer.deliver(Self.decode(Array(bytes), mode: mode))
                        case .ping:
                            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
                            try? await outbound.write(pong)
                        case .connectionClose:
                            return
                        default:
                            continue
                        }
                    }
                }
            } catch {
                writerContinuation.finish()
            }
            await buffer.close(MessageTransportError(.closed, "the server closed the WebSocket \(url)"))
        }
        var iterator = writerStream.makeAsyncIterator()
        guard let writer = await iterator.next() else {
            reader.cancel()
            throw MessageTransportError(.connectionFailed, "the WebSocket \(target.url) closed while opening")
        }
        return Connection(writer: writer, buffer: buffer, reader: reader)
    }
}

extension WebSocketTransport {
    /// The HTTP/1.1 upgrade on `channel` (already connected, tunnelled and wrapped in TLS as needed).
    static func configureUpgrade(_ channel: any Channel, target: WebSocketURL, maxFrameSize: Int) throws -> EventLoopFuture<UpgradeResult> {
        let upgrader = NIOTypedWebSocketClientUpgrader<UpgradeResult>(
            maxFrameSize: maxFrameSize,
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                            maxAccumulatedFrameSize: maxFrameSize))
                    return UpgradeResult.websocket(
                        try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                }
            })
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path, headers: headers)
        let configuration = NIOTypedHTTPClientUpgradeConfiguration(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture { UpgradeResult.declined(nil) }
            })
        var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
        // A frame the server sends right after its 101 can share a read with the response;
        // dropping those bytes (NIO's default) would lose exactly the early message the buffer
        // exists for.
        pipeline.leftOverBytesStrategy = .forwardBytes
        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
    }

    /// An error in a few words: NIO's connection errors name the failing address, never secrets.
    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case 111, 61: return "connection refused"
            case 110, 60: return "timed out"
            default: return "I/O error \(error.errnoCode)"
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "timed out" }
        return String(describing: error)
    }
}

/// Opens a `CONNECT` tunnel through an HTTP proxy (RFC 9110 §9.3.6), for `ws` and `wss` alike
/// (decision NET9): sends the request as soon as the connection is up, reads the proxy's
/// response head, and removes itself once the proxy answers 2xx, leaving a raw byte stream to
/// the server.
final class ConnectTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let target: WebSocketURL
    private let proxy: ProxyServer
    private let promise: EventLoopPromise<Void>
    private var received = ByteBuffer()
    private var done = false
    /// A proxy's response head is small; a longer one is not a proxy's answer.
    private static let maxHeadBytes = 16 << 10

    init(target: WebSocketURL, proxy: ProxyServer, promise: EventLoopPromise<Void>) {
        self.target = target
        self.proxy = proxy
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        let authority = "\(target.host.contains(":") ? "[\(target.host)]" : target.host):\(target.port)"
        var request = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let username = proxy.username {
            request += "Proxy-Authorization: Basic \(Base64.encode(Array("\(username):\(proxy.password ?? "")".utf8)))\r\n"
        }
        request += "\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        let view = received.readableBytesView
        guard let end = view.firstRange(of: [13, 10, 13, 10]) else {
            if received.readableBytes > Self.maxHeadBytes { finish(context, .notHTTP) }
            return
        }
        let statusLine = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self).prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        let status = parts.count >= 2 && parts[0].hasPrefix("HTTP/1.") ? Int(parts[1]) : nil
        switch status {
        case .some(200..<300):
            // The client speaks first in both protocols tunnelled here (the HTTP upgrade, the TLS
            // ClientHello), so nothing follows the proxy's head until then.
            done = true
            promise.succeed()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .some(407):
            finish(context, .credentials)
        case .some(let code):
            finish(context, .status(code))
        case .none:
            finish(context, .notHTTP)
        }
    }

    /// Why the proxy did not open the tunnel.
    enum Refusal: Error {
        case credentials
        case status(Int)
        case notHTTP
    }

    private func finish(_ context: ChannelHandlerContext, _ error: Refusal) {
        guard !done else { return }
        done = true
        promise.fail(error)
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(ChannelError.eof)
        }
        context.fireChannelInactive()
    }
}

/// Remembers the first TLS failure of a `wss` handshake, in the executor's words (decision NET8):
/// the upgrade itself only fails with "the channel closed".
final class TLSFailureRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    private let at: String
    private let recorded = Mutex<String?>(nil)

    init(at: String) { self.at = at }

    /// The message of the first TLS failure, if there was one.
    var message: String? { recorded.withLock { $0 } }

    /// The executor's message for `error` when it is a TLS failure.
    static func message(_ error: any Error, at: String) -> String? {
        if let error = error as? NIOSSLError, case .uncleanShutdown = error {
            // With TLS 1.3 a server refuses a client certificate after the handshake; Python's
            // ssl (and others) then just drop the connection, so no alert names the reason.
            return "the server closed the TLS connection before answering the WebSocket handshake: it may want a client certificate, or not accept the one presented\(at); \(AsyncHTTPExecutor.clientCertificateRemedy)"
        }
        let typeName = String(reflecting: type(of: error))
        guard typeName.hasPrefix("NIOSSL.") else { return nil }
        return AsyncHTTPExecutor.classifyTLS(error, typeName: typeName, at: at).message
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let text = Self.message(error, at: at) {
            recorded.withLock { if $0 == nil { $0 = text } }
        }
        context.fireErrorCaught(error)
    }
}

/// The parts of a `ws://` or `wss://` URL the handshake needs.
struct WebSocketURL: Sendable {
    let url: String
    let host: String
    let port: Int
    let path: String
    let secure: Bool

    /// `host` or `host:port` as the Host header wants it.
    var hostHeader: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? shown : "\(shown):\(port)"
    }

    init(_ endpoint: ChannelEndpoint) throws(MessageTransportError) {
        url = endpoint.url
        guard let schemeEnd = endpoint.url.range(of: "://") else {
            throw MessageTransportError(.invalidEndpoint, "'\(endpoint.url)' is not a ws:// URL")
        }
        let scheme = endpoint.url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "ws" || scheme == "wss" else {
            throw MessageTransportError(.invalidEndpoint, "the WebSocket transport cannot reach '\(endpoint.url)' (scheme \(scheme), expected ws or wss)")
        }
        secure = scheme == "wss"
        let rest = endpoint.url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        self.path = path
        var hostPart = Substring(authority)
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw MessageTransportError(.invalidEndpoint, "'\(endpoint.url)' has an unclosed IPv6 address")
            }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, !hostPart.contains("@") else {
            throw MessageTransportError(.invalidEndpoint, "'\(endpoint.url)' has no usable host")
        }
        host = String(hostPart)
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else {
                throw MessageTransportError(.invalidEndpoint, "'\(endpoint.url)' has an invalid port '\(portPart)'")
            }
            port = value
        } else {
            port = secure ? 443 : 80
        }
    }
}
#endif
