#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
public import ArazzoExecutor
internal import ArazzoJSON
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import NIOSSL
internal import NIOWebSocket
import Foundation
import OrderedCollections

/// A ``MessageTransport`` for AsyncAPI `ws` and `wss` servers over SwiftNIO's WebSocket codec: one
/// connection per endpoint URL (a channel's address is the WebSocket path), opened on the first
/// subscribe or send and read continuously into the endpoint's bounded buffer.
///
/// Mapping (docs/asyncapi.md, where AsyncAPI and RFC 6455 are silent): one message is one data
/// frame (fragments are joined); JSON and text payloads go as text frames, bytes as binary
/// frames; a received frame's payload is JSON when it parses as JSON, else text, else bytes.
/// WebSocket frames have no headers, so ``HeaderMode`` says what happens to message headers.
public actor WebSocketTransport: MessageTransport {
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
    /// in-house CA).
    public let additionalTrustRootFiles: [String]

    private var connections: [String: Connection] = [:]
    private var connecting: [String: Task<Connection, any Error>] = [:]

    /// Creates a transport.
    public init(
        headerMode: HeaderMode = .payloadOnly, bufferCapacity: Int = 256, maxFrameSize: Int = 1 << 20,
        connectTimeout: Duration = .seconds(10), additionalTrustRootFiles: [String] = []
    ) {
        self.additionalTrustRootFiles = additionalTrustRootFiles
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
            let roots = additionalTrustRootFiles
            task = Task { try await Self.open(target, capacity: capacity, mode: mode, maxFrameSize: maxFrame, timeout: limit, trustRoots: roots) }
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
        _ target: WebSocketURL, capacity: Int, mode: HeaderMode, maxFrameSize: Int, timeout: Duration, trustRoots: [String]
    ) async throws -> Connection {
        var tls: NIOSSLContext?
        if target.secure {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if !trustRoots.isEmpty {
                configuration.additionalTrustRoots = trustRoots.map { .file($0) }
            }
            do {
                tls = try NIOSSLContext(configuration: configuration)
            } catch {
                throw MessageTransportError(.connectionFailed, "could not set up TLS for \(target.url): \(error)")
            }
        }
        // SNI and certificate checks need a name; an IP literal is checked against the
        // certificate's IP addresses instead, and must not be sent as SNI.
        let serverName: String? = target.host.contains(":") || target.host.allSatisfy { $0.isNumber || $0 == "." } ? nil : target.host
        let upgrade: EventLoopFuture<UpgradeResult> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
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
                    // A frame the server sends right after its 101 can share a read with the
                    // response; dropping those bytes (NIO's default) would lose exactly the early
                    // message the buffer exists for.
                    pipeline.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
                }
            }
        let result: UpgradeResult
        do {
            result = try await upgrade.get()
        } catch {
            throw MessageTransportError(.connectionFailed, "the server at \(target.url) declined the WebSocket handshake (\(error))")
        }
        guard case .websocket(let channel) = result else {
            throw MessageTransportError(.connectionFailed, "the server at \(target.url) answered without upgrading to WebSocket; check the server host and the channel address")
        }
        let buffer = MessageBuffer(capacity: capacity)
        let (writerStream, writerContinuation) = AsyncStream<NIOAsyncChannelOutboundWriter<WebSocketFrame>>.makeStream()
        let url = target.url
        let reader = Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
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
