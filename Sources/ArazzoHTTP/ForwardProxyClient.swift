#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Plain-`http` requests through a forwarding proxy, as curl sends them (decision NET1): the
/// request line carries the absolute URL (`GET http://host:port/path?query HTTP/1.1`), `Host` is
/// the target's, and `Proxy-Authorization: Basic …` goes with every request when the proxy URL
/// has credentials. AsyncHTTPClient only tunnels (`CONNECT`), so this small HTTP/1.1 client on
/// SwiftNIO sits beside it; the executor routes proxied `http` requests here and everything else
/// to AsyncHTTPClient (`AsyncHTTPExecutor.send`).
///
/// It behaves as the AsyncHTTPClient path does for the engine: the connect timeout and the
/// request's total deadline, no read timeout, no redirects, no decompression, the body capped
/// while it streams, and keep-alive connections pooled per proxy (idle ones reused, at most
/// `maxIdlePerProxy`, closed after `idleTimeout` and on ``shutdown()``).
final class ForwardProxyClient: Sendable {
    struct Settings: Sendable {
        var connectTimeout: Duration
        var idleTimeout: Duration
        var maxIdlePerProxy: Int
    }

    /// One open connection to a proxy and the handler that reads its responses.
    struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<ForwardExchangeHandler>
        var id: ObjectIdentifier { ObjectIdentifier(channel) }
    }

    private struct Idle {
        var connection: Connection
        var since: ContinuousClock.Instant
        /// Closes it when it has idled for the idle timeout; cancelled when a request takes it.
        var expiry: Scheduled<Void>
    }

    private struct State {
        var idle: [ProxyServer: [Idle]] = [:]
        /// Every open connection, idle or busy, so shutdown closes them all.
        var open: [ObjectIdentifier: any Channel] = [:]
        var isShutDown = false
        /// How many connections were opened (tests: keep-alive reuse is observable).
        var opened = 0
    }

    private let settings: Settings
    private let state = Mutex(State())

    init(settings: Settings) {
        self.settings = settings
    }

    /// A client with the executor's connect and idle timeouts, keeping at most
    /// `maxConnectionsPerHost` idle connections per proxy.
    convenience init(_ configuration: AsyncHTTPExecutor.Configuration) {
        self.init(settings: .init(
            connectTimeout: configuration.connectTimeout, idleTimeout: configuration.idleConnectionTimeout,
            maxIdlePerProxy: max(1, configuration.maxConnectionsPerHost)))
    }

    /// Connections opened so far.
    var connectionsOpened: Int { state.withLock { $0.opened } }

    /// Closes every connection; later requests fail.
    func shutdown() async {
        let channels = state.withLock { state -> [any Channel] in
            state.isShutDown = true
            for idle in state.idle.values.joined() { idle.expiry.cancel() }
            state.idle = [:]
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for channel in channels {
            try? await channel.close()
        }
    }

    // MARK: Sending

    /// Sends `request` (parsed and header-checked by AsyncHTTPClient as `parsed`) through
    /// `proxy` and returns the response as the executor does.
    func send(
        _ request: HTTPRequest, _ parsed: HTTPClient.Request, proxy: ProxyServer, started: ContinuousClock.Instant
    ) async throws(TransportError) -> HTTPResponse {
        let collected = try await send(
            request, headers: parsed.headers, target: Target(url: request.url, parsed), proxy: proxy,
            location: AsyncHTTPExecutor.Target(parsed, proxy: proxy))
        return collected.response(since: started)
    }

    /// The parts of the target the request line and `Host` need.
    struct Target: Sendable {
        /// `http://host[:port]/path?query`: what goes on the request line.
        var absoluteForm: String
        /// `host[:port]`: the `Host` header.
        var authority: String

        /// The path and query are taken from `url` as written (no fragment; `/` when empty), as
        /// AsyncHTTPClient sends them; host and port from the parsed request, the port only when
        /// it is not 80, without user information.
        init(url: String, _ parsed: HTTPClient.Request) {
            let host = parsed.host.contains(":") ? "[\(parsed.host)]" : parsed.host
            authority = parsed.port == 80 ? host : "\(host):\(parsed.port)"
            var rest = Substring(url)
            if let schemeEnd = rest.firstRange(of: "://") { rest = rest[schemeEnd.upperBound...] }
            rest = rest[(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)...]
            if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
            let target = rest.hasPrefix("/") ? String(rest) : "/" + rest
            absoluteForm = "http://\(authority)\(target)"
        }
    }

    /// Sends `request` to `target` through `proxy`; `location` names both in messages.
    func send(
        _ request: HTTPRequest, headers: HTTPHeaders, target: Target, proxy: ProxyServer,
        location: AsyncHTTPExecutor.Target
    ) async throws(TransportError) -> CollectedResponse {
        let deadline = NIODeadline.now() + TimeAmount(request.timeout)
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target.absoluteForm)
        head.headers = headers
        if !head.headers.contains(name: "host") { head.headers.add(name: "Host", value: target.authority) }
        if let body = request.body { head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        if let username = proxy.username {
            // Only on the wire: the recorded request (HAR, -v, spans) never carries it (NET4).
            let basic = Base64.encode(Array("\(username):\(proxy.password ?? "")".utf8))
            head.headers.replaceOrAdd(name: "Proxy-Authorization", value: "Basic \(basic)")
        }
        let exchange = Exchange(
            head: head, body: request.body, maxBytes: max(0, request.maxResponseBytes),
            expectsBody: request.method != "HEAD")
        // A pooled connection the proxy closed while it sat idle fails before any response byte;
        // an idempotent request is then sent once more on a new connection. Others are not
        // (RFC 9110 §9.2.2): the proxy may have forwarded them before the connection went.
        let retryable = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(request.method.uppercased())
        var attempt = 0
        while true {
            attempt += 1
            let (connection, reused) = try await connection(to: proxy, deadline: deadline, location: location, request: request)
            let outcome = await run(exchange, on: connection, deadline: deadline)
            switch outcome {
            case .success(let response, let reusable):
                release(connection, to: proxy, reusable: reusable)
                if response.head.status.code == 407 {
                    throw TransportError(
                        .other,
                        "the proxy wants credentials (407 Proxy Authentication Required), or refused the ones given\(location.parenthesised); \(AsyncHTTPExecutor.proxyCredentialsRemedy)")
                }
                return response
            case .failure(let failure, let beforeResponse):
                release(connection, to: proxy, reusable: false)
                if retryable, reused, beforeResponse, attempt == 1, !Task.isCancelled, Self.isClosure(failure) { continue }
                throw AsyncHTTPExecutor.classify(failure, target: location, request: request)
            }
        }
    }

    private static func isClosure(_ error: any Error) -> Bool {
        if let error = error as? ChannelError {
            switch error {
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed: return true
            default: return false
            }
        }
        if let error = error as? IOError { return [104, 54, 32].contains(error.errnoCode) }
        return false
    }

    /// An idle pooled connection, or a new one.
    private func connection(
        to proxy: ProxyServer, deadline: NIODeadline, location: AsyncHTTPExecutor.Target, request: HTTPRequest
    ) async throws(TransportError) -> (Connection, reused: Bool) {
        let now = ContinuousClock.now
        let (found, stale, shutDown) = state.withLock { state -> (Connection?, [any Channel], Bool) in
            if state.isShutDown { return (nil, [], true) }
            var stale: [any Channel] = []
            var pool = state.idle[proxy] ?? []
            var found: Connection?
            while let last = pool.popLast() {
                last.expiry.cancel()
                if last.connection.channel.isActive, now - last.since < settings.idleTimeout {
                    found = last.connection
                    break
                }
                stale.append(last.connection.channel)
                state.open[last.connection.id] = nil
            }
            state.idle[proxy] = pool
            return (found, stale, false)
        }
        for channel in stale { channel.close(promise: nil) }
        if shutDown { throw TransportError(.other, "the executor was shut down") }
        if let found { return (found, true) }
        if Task.isCancelled { throw TransportError(.cancelled, "the request was cancelled\(location.parenthesised)") }

        let remaining = deadline - .now()
        let connectLimit = min(TimeAmount(settings.connectTimeout), remaining)
        let channel: any Channel
        do {
            guard remaining > .zero else { throw HTTPClientError.deadlineExceeded }
            channel = try await ClientBootstrap(group: HTTPClient.defaultEventLoopGroup)
                .connectTimeout(connectLimit)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: proxy.host, port: proxy.port).get()
        } catch {
            let failure = AsyncHTTPExecutor.classify(error, target: location, request: request)
            if failure.kind == .timeout, connectLimit < TimeAmount(settings.connectTimeout) {
                // The request's whole deadline ran out while connecting.
                throw AsyncHTTPExecutor.classify(HTTPClientError.deadlineExceeded, target: location, request: request)
            }
            if failure.kind == .cancelled { throw failure }
            // The proxy, not the server, is what could not be reached (NET1).
            throw TransportError(failure.kind, "the proxy cannot be reached: \(failure.message)")
        }
        let handler: NIOLoopBound<ForwardExchangeHandler>
        do {
            handler = try await channel.eventLoop.submit {
                let handler = ForwardExchangeHandler()
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(handler)
                return NIOLoopBound(handler, eventLoop: channel.eventLoop)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw AsyncHTTPExecutor.classify(error, target: location, request: request)
        }
        let connection = Connection(channel: channel, handler: handler)
        let accepted = state.withLock { state -> Bool in
            guard !state.isShutDown else { return false }
            state.open[connection.id] = channel
            state.opened += 1
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            throw TransportError(.other, "the executor was shut down")
        }
        // A connection the proxy closes leaves the pool at once.
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.forget(connection, of: proxy)
        }
        return (connection, false)
    }

    /// Puts a connection back in its proxy's idle pool, or closes it.
    private func release(_ connection: Connection, to proxy: ProxyServer, reusable: Bool) {
        let since = ContinuousClock.now
        // Close it once it has idled for the idle timeout, unless a request takes it meanwhile.
        let expiry = connection.channel.eventLoop.scheduleTask(in: TimeAmount(settings.idleTimeout)) { [weak self] () -> Void in
            self?.expire(connection, of: proxy, since: since)
        }
        let keep = state.withLock { state -> Bool in
            guard reusable, !state.isShutDown, connection.channel.isActive,
                (state.idle[proxy]?.count ?? 0) < settings.maxIdlePerProxy else {
                state.open[connection.id] = nil
                return false
            }
            state.idle[proxy, default: []].append(Idle(connection: connection, since: since, expiry: expiry))
            return true
        }
        if !keep {
            expiry.cancel()
            connection.channel.close(promise: nil)
        }
    }

    private func expire(_ connection: Connection, of proxy: ProxyServer, since: ContinuousClock.Instant) {
        let expired = state.withLock { state -> Bool in
            guard let index = state.idle[proxy]?.firstIndex(where: { $0.connection.id == connection.id && $0.since == since }) else {
                return false
            }
            state.idle[proxy]?.remove(at: index)
            state.open[connection.id] = nil
            return true
        }
        if expired { connection.channel.close(promise: nil) }
    }

    private func forget(_ connection: Connection, of proxy: ProxyServer) {
        state.withLock { state in
            state.idle[proxy]?.removeAll {
                guard $0.connection.id == connection.id else { return false }
                $0.expiry.cancel()
                return true
            }
            state.open[connection.id] = nil
        }
    }

    // MARK: One exchange

    struct Exchange: Sendable {
        var head: HTTPRequestHead
        var body: [UInt8]?
        var maxBytes: Int
        var expectsBody: Bool
    }

    enum Outcome: Sendable {
        case success(CollectedResponse, reusable: Bool)
        /// `beforeResponse`: nothing of a response had arrived.
        case failure(any Error, beforeResponse: Bool)
    }

    /// Writes the request and waits for its whole response, the deadline or cancellation.
    private func run(_ exchange: Exchange, on connection: Connection, deadline: NIODeadline) async -> Outcome {
        let loop = connection.channel.eventLoop
        let promise = loop.makePromise(of: Outcome.self)
        let handler = connection.handler
        let channel = connection.channel
        loop.execute {
            handler.value.start(exchange, promise: promise, channel: channel)
        }
        // The deadline and cancellation complete the promise themselves (a promise completes
        // once; later completions are ignored), so they hold whenever they come, even before
        // the handler has taken the exchange; the connection is closed, never reused.
        let timer = loop.scheduleTask(deadline: deadline) {
            promise.succeed(.failure(HTTPClientError.deadlineExceeded, beforeResponse: false))
            channel.close(promise: nil)
        }
        let outcome = await withTaskCancellationHandler {
            (try? await promise.futureResult.get()) ?? .failure(HTTPClientError.cancelled, beforeResponse: false)
        } onCancel: {
            promise.succeed(.failure(CancellationError(), beforeResponse: false))
            channel.close(promise: nil)
        }
        timer.cancel()
        return outcome
    }
}

/// Reads the responses of one proxy connection, one exchange at a time. Every method runs on the
/// channel's event loop.
final class ForwardExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var promise: EventLoopPromise<ForwardProxyClient.Outcome>?
    private var exchange: ForwardProxyClient.Exchange?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    /// Sends the request of `exchange`; its outcome completes `promise`.
    func start(_ exchange: ForwardProxyClient.Exchange, promise: EventLoopPromise<ForwardProxyClient.Outcome>, channel: any Channel) {
        guard channel.isActive else {
            promise.succeed(.failure(ChannelError.ioOnClosedChannel, beforeResponse: true))
            return
        }
        self.promise = promise
        self.exchange = exchange
        head = nil
        body = []
        channel.write(HTTPClientRequestPart.head(exchange.head), promise: nil)
        if let bytes = exchange.body, !bytes.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))), promise: nil)
        }
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { error in
            handler.value.fail(error, channel: channel)
        }
    }

    /// Ends the current exchange with `error` and closes the connection (it is mid-response).
    func fail(_ error: any Error, channel: any Channel) {
        guard let promise else { return }
        self.promise = nil
        promise.succeed(.failure(error, beforeResponse: head == nil))
        channel.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard promise != nil, let exchange else { return }
        switch unwrapInboundIn(data) {
        case .head(let received):
            // 1xx heads other than 101 are interim; the final one follows.
            if received.status.code < 200, received.status.code != 101 { return }
            head = received
            // 204, 304 and 1xx never carry a body, whatever Content-Length says.
            let status = received.status.code
            let hasBody = exchange.expectsBody && status != 204 && status != 304 && status >= 200
            if hasBody, let announced = received.headers.first(name: "content-length").flatMap({ Int($0) }) {
                if announced > exchange.maxBytes {
                    fail(ResponseCollector.tooLarge(exchange.maxBytes, announced: announced), channel: context.channel)
                    return
                }
                body.reserveCapacity(min(announced, 1 << 20))
            }
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= exchange.maxBytes else {
                fail(ResponseCollector.tooLarge(exchange.maxBytes, announced: nil), channel: context.channel)
                return
            }
            buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
        case .end:
            guard let head, let promise else { return }
            self.promise = nil
            self.exchange = nil
            // Reusable when both sides keep the connection alive (HTTP/1.1 without
            // `Connection: close`, or 1.0 with `keep-alive`).
            let reusable = head.isKeepAlive && exchange.head.isKeepAlive
            promise.succeed(.success(CollectedResponse(head: head, body: body), reusable: reusable))
            body = []
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, channel: context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A close-delimited body ends with the connection: NIO's decoder sends `.end` first.
        fail(ChannelError.eof, channel: context.channel)
        context.fireChannelInactive()
    }
}

/// RFC 4648 base64, for the `Proxy-Authorization` header (here and on the WebSocket transport's `CONNECT`).
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
#endif
