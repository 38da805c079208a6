#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import NIOCore
import NIOConcurrencyHelpers
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback server that tests and benchmarks start, use and stop.
///
/// Every server binds `127.0.0.1` on an ephemeral port, so tests can run in parallel.
public protocol LoopbackServer: Sendable {
    /// Binds and starts accepting; returns the bound port. Starting twice returns the same port.
    func start() async throws -> Int
    /// Closes the listening socket and every open connection, and waits until they are closed.
    func stop() async
    /// The bound port while running, else `nil`.
    var port: Int? { get }
}

extension LoopbackServer {
    /// `http://127.0.0.1:PORT` while running (port 0 before `start()`).
    public var baseURL: String { "http://127.0.0.1:\(port ?? 0)" }
}

/// Starts `server`, runs `body`, and stops the server whether `body` returns or throws.
public func withServer<Server: LoopbackServer, Result>(
    _ server: Server,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (Server) async throws -> Result
) async throws -> Result {
    _ = try await server.start()
    let result: Result
    do {
        result = try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
    return result
}

/// The listening socket and the connections it accepted, so `stop()` can close all of them.
final class ConnectionRegistry: Sendable {
    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopping = false
        var accepted = 0
    }

    private let state = NIOLockedValueBox(State())

    var port: Int? {
        state.withLockedValue { $0.listener?.localAddress?.port }
    }

    var listener: (any Channel)? { state.withLockedValue { $0.listener } }

    /// Connections accepted since the server was made.
    var acceptedCount: Int { state.withLockedValue { $0.accepted } }

    /// Connections open now.
    var openCount: Int { state.withLockedValue { $0.connections.count } }

    func setListener(_ channel: any Channel) -> Bool {
        state.withLockedValue {
            guard $0.listener == nil else { return false }
            $0.listener = channel
            $0.stopping = false
            return true
        }
    }

    /// Registers an accepted connection; returns `false` when the server is stopping.
    func register(_ channel: any Channel) -> Bool {
        let accepted = state.withLockedValue {
            guard !$0.stopping else { return false }
            $0.connections[ObjectIdentifier(channel)] = channel
            $0.accepted += 1
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.state.withLockedValue { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        }
        return accepted
    }

    func stop() async {
        let (listener, connections) = state.withLockedValue {
            state -> ((any Channel)?, [any Channel]) in
            state.stopping = true
            let result = (state.listener, Array(state.connections.values))
            state.listener = nil
            state.connections = [:]
            return result
        }
        if let listener {
            try? await listener.close()
        }
        for connection in connections {
            connection.close(promise: nil)
        }
        for connection in connections {
            try? await connection.closeFuture.get()
        }
    }
}

/// Binds a server bootstrap on 127.0.0.1 with the options every loopback server shares.
func bindLoopback(
    group: any EventLoopGroup,
    registry: ConnectionRegistry,
    port: Int = 0,
    configure: @escaping @Sendable (any Channel) throws -> Void
) async throws -> Int {
    if let existing = registry.port { return existing }
    let bootstrap = ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 256)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.maxMessagesPerRead, value: 16)
        .childChannelInitializer { channel in
            guard registry.register(channel) else {
                return channel.close()
            }
            return channel.eventLoop.makeCompletedFuture {
                try configure(channel)
            }
        }
    let listener = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
    guard registry.setListener(listener) else {
        try? await listener.close()
        return registry.port ?? 0
    }
    return listener.localAddress?.port ?? 0
}

/// Answers complete HTTP/1 requests with a synchronous responder (scripted and Stytch-shaped
/// servers): collects head and body, calls the responder on the event loop, writes the answer.
final class HTTPExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Request bodies larger than this are refused with 413 (a test server must stay bounded).
    static let maxRequestBytes = 64 << 20

    private let responder: @Sendable (ReceivedRequest) -> ServerResponse
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(responder: @escaping @Sendable (ReceivedRequest) -> ServerResponse) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            tooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > Self.maxRequestBytes {
                tooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let keepAlive = requestHead.isKeepAlive
            let response: ServerResponse
            if tooLarge {
                response = ServerResponse(status: 413)
            } else {
                var headers: [HTTPHeaderField] = []
                headers.reserveCapacity(requestHead.headers.count)
                for (name, value) in requestHead.headers {
                    headers.append(HTTPHeaderField(name: name, value: value))
                }
                let request = ReceivedRequest(
                    method: requestHead.method.rawValue, target: requestHead.uri, headers: headers,
                    body: body.readableBytes == 0 ? [] : Array(body.readableBytesView))
                response = responder(request)
            }
            if let delay = response.delay, delay > .zero {
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
                    Self.write(response, version: requestHead.version, keepAlive: keepAlive, context: loopBound.value)
                }
            } else {
                Self.write(response, version: requestHead.version, keepAlive: keepAlive, context: context)
            }
        }
    }

    private static func write(
        _ response: ServerResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        guard context.channel.isActive else { return }
        switch response.fault {
        case .noResponse?:
            return
        case .closeConnection?:
            context.close(promise: nil)
            return
        case .resetMidBody?:
            writeTruncated(response, version: version, context: context)
            return
        case nil:
            break
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(response.headers.count + 2)
        var hasLength = false
        for field in response.headers {
            if HeaderFields.namesMatch(field.name, "content-length") { hasLength = true }
            headers.add(name: field.name, value: field.value)
        }
        if !hasLength { headers.add(name: "Content-Length", value: String(response.body.count)) }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status, reasonPhrase: reasonPhrase(response.status))
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if !response.body.isEmpty {
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    /// Announces the whole body, sends half of it (at least one byte short), then resets.
    private static func writeTruncated(_ response: ServerResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        let announced = max(response.body.count, 2)
        var headers = HTTPHeaders()
        for field in response.headers where !HeaderFields.namesMatch(field.name, "content-length") {
            headers.add(name: field.name, value: field.value)
        }
        headers.add(name: "Content-Length", value: String(announced))
        let status = HTTPResponseStatus(statusCode: response.status, reasonPhrase: reasonPhrase(response.status))
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        var partial = context.channel.allocator.buffer(capacity: announced / 2)
        if response.body.isEmpty {
            partial.writeInteger(UInt8(ascii: "{"))
        } else {
            partial.writeBytes(response.body.prefix(announced / 2))
        }
        let channel = context.channel
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(partial)))).whenComplete { _ in
            resetConnection(channel)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Closes `channel` with SO_LINGER 0, which sends a TCP RST instead of an orderly FIN.
func resetConnection(_ channel: any Channel) {
    guard let provider = channel as? any SocketOptionProvider else {
        channel.close(promise: nil)
        return
    }
    provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
}

/// Reason phrases for the codes the servers use; others get a generic phrase.
func reasonPhrase(_ status: Int) -> String {
    if status == 599 { return "Unexpected Request" }
    let known = HTTPResponseStatus(statusCode: status).reasonPhrase
    return known.isEmpty ? "Status \(status)" : known
}

/// The shared core of the servers that speak well-formed HTTP/1.1.
final class HTTPServerCore: Sendable {
    let group: any EventLoopGroup
    let registry = ConnectionRegistry()
    private let responder: @Sendable (ReceivedRequest) -> ServerResponse

    init(group: any EventLoopGroup, responder: @escaping @Sendable (ReceivedRequest) -> ServerResponse) {
        self.group = group
        self.responder = responder
    }

    func start() async throws -> Int {
        let responder = self.responder
        return try await bindLoopback(group: group, registry: registry) { channel in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
            try pipeline.addHandler(HTTPExchangeHandler(responder: responder))
        }
    }

    func stop() async { await registry.stop() }

    var port: Int? { registry.port }
}
#endif
