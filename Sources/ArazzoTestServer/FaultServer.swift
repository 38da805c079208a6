#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import Foundation

/// A misbehaving peer, for testing that a client ends every exchange with a typed failure within
/// its deadline and with bounded memory.
public enum Fault: Sendable, Hashable {
    /// A well-formed `200 {"ok":true}` (a control case, keep-alive).
    case ok
    /// Announce `announcedBytes` of body, send `sentBytes`, then reset the connection (RST).
    case resetMidBody(announcedBytes: Int = 1000, sentBytes: Int = 100)
    /// Read the request, then close the connection without answering.
    case closeWithoutResponse
    /// Accept and read the request, never answer (the connection stays open until `stop()`).
    case neverRespond
    /// Send a head announcing `totalBytes`, then one body byte per `interval`.
    case slowBody(totalBytes: Int = 10, interval: Duration = .seconds(1))
    /// Stream `bytes` of body lazily from one shared chunk, as fast as the client reads. With
    /// `announced` the head carries `Content-Length`; without it the body runs until the server
    /// closes (so a client must enforce its cap while streaming).
    case hugeBody(bytes: Int64 = 2 << 30, announced: Bool = true)
    /// `302 Found` with `Location` pointing at the same target, forever.
    case redirectLoop
    /// Bytes that are not HTTP at all (the connection is left open so the client must parse them).
    case invalidHTTP
    /// Answer `status` with `Retry-After: retryAfterSeconds` to the first `failures` requests (all of
    /// them when `nil`), then `200 {"ok":true}`.
    case unavailableStorm(failures: Int? = nil, retryAfterSeconds: Int = 1, status: Int = 503)

    /// The path that selects this fault on a routing ``FaultServer``.
    public var path: String {
        switch self {
        case .ok: "/ok"
        case .resetMidBody: "/reset"
        case .closeWithoutResponse: "/close"
        case .neverRespond: "/hang"
        case .slowBody: "/slow"
        case .hugeBody: "/huge"
        case .redirectLoop: "/redirect"
        case .invalidHTTP: "/garbage"
        case .unavailableStorm: "/storm"
        }
    }

    /// The faults a routing server answers by path (`/ok`, `/reset`, `/close`, `/hang`, `/slow`,
    /// `/huge`, `/redirect`, `/garbage`, `/storm`), with default parameters.
    public static let routes: [Fault] = [
        .ok, .resetMidBody(), .closeWithoutResponse, .neverRespond, .slowBody(), .hugeBody(), .redirectLoop,
        .invalidHTTP, .unavailableStorm(),
    ]
}

/// A loopback server that misbehaves on purpose. It speaks HTTP/1.1 through its own minimal byte
/// handling (no HTTP codec), so it can send truncated, slow, endless or invalid responses.
///
/// With `fault` set, every request gets that fault; otherwise the request path picks one of
/// ``Fault/routes`` (unknown paths get 404).
public final class FaultServer: LoopbackServer {
    private let group: any EventLoopGroup
    private let registry = ConnectionRegistry()
    private let fixedFault: Fault?
    private let log = NIOLockedValueBox<[ReceivedRequest]>([])
    private let stormCount = NIOLockedValueBox(0)

    /// Creates a server answering every request with `fault`, or routing by path when `nil`.
    public init(fault: Fault? = nil, eventLoopGroup: (any EventLoopGroup)? = nil) {
        fixedFault = fault
        group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
    }

    /// Binds 127.0.0.1 on an ephemeral port and returns it.
    public func start() async throws -> Int {
        let context = FaultContext(fixedFault: fixedFault, log: log, stormCount: stormCount)
        return try await bindLoopback(group: group, registry: registry) { channel in
            try channel.pipeline.syncOperations.addHandler(FaultHandler(context: context))
        }
    }

    /// Closes the server and every open (hanging, slow, streaming) connection.
    public func stop() async { await registry.stop() }

    /// The bound port while running.
    public var port: Int? { registry.port }

    /// Every request (head and body) received so far.
    public var receivedRequests: [ReceivedRequest] { log.withLockedValue { $0 } }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed), for "connection refused".
    public static func closedPort() async throws -> Int {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 1
        try await listener.close()
        return port
    }
}

/// State the connections of one server share.
struct FaultContext: Sendable {
    let fixedFault: Fault?
    let log: NIOLockedValueBox<[ReceivedRequest]>
    let stormCount: NIOLockedValueBox<Int>
}

/// Reads raw HTTP/1.1 requests and answers them according to the fault.
final class FaultHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let maxHeadBytes = 64 << 10
    private static let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 << 10)

    private let shared: FaultContext
    private var buffer = ByteBuffer()
    /// Once a fault takes over the connection, further input is ignored.
    private var busy = false
    private var hugeRemaining: Int64 = 0
    private var closeAfterHugeBody = false

    init(context: FaultContext) {
        shared = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        guard !busy else { return }
        buffer.writeBuffer(&incoming)
        processRequests(context: context)
    }

    private func processRequests(context: ChannelHandlerContext) {
        while !busy, let request = parseRequest() {
            shared.log.withLockedValue { $0.append(request) }
            respond(to: request, context: context)
        }
        if buffer.readableBytes > Self.maxHeadBytes { context.close(promise: nil) }
    }

    /// Takes one complete request (head and `Content-Length` body) off the buffer, if there is one.
    private func parseRequest() -> ReceivedRequest? {
        let view = buffer.readableBytesView
        guard let headEnd = findHeadEnd(view) else { return nil }
        let headBytes = view[view.startIndex..<headEnd]
        let lines = String(decoding: headBytes, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        var headers: [HTTPHeaderField] = []
        var length = 0
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeaderField(name: name, value: value))
            if HeaderFields.namesMatch(name, "content-length") { length = Int(value) ?? 0 }
        }
        let bodyStart = headEnd + 4
        guard length >= 0, view.endIndex - bodyStart >= length else { return nil }
        let body = Array(view[bodyStart..<(bodyStart + length)])
        buffer.moveReaderIndex(forwardBy: bodyStart + length - view.startIndex)
        buffer.discardReadBytes()
        return ReceivedRequest(
            method: requestLine.first.map(String.init) ?? "",
            target: requestLine.count > 1 ? String(requestLine[1]) : "/", headers: headers, body: body)
    }

    private func findHeadEnd(_ view: ByteBufferView) -> Int? {
        var index = view.startIndex
        while index + 3 < view.endIndex {
            if view[index] == 13, view[index + 1] == 10, view[index + 2] == 13, view[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    private func respond(to request: ReceivedRequest, context: ChannelHandlerContext) {
        let fault = shared.fixedFault ?? Fault.routes.first { $0.path == request.path }
        guard let fault else {
            writeSimple(context: context, status: "404 Not Found", extraHeaders: [], body: #"{"error":"no such fault"}"#)
            return
        }
        switch fault {
        case .ok:
            writeSimple(context: context, status: "200 OK", extraHeaders: [], body: #"{"ok":true}"#)
        case .resetMidBody(let announced, let sent):
            busy = true
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(announced)\r\n\r\n"
            var out = context.channel.allocator.buffer(string: head)
            out.writeRepeatingByte(UInt8(ascii: "x"), count: max(0, min(sent, announced - 1)))
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in resetConnection(channel) }
        case .closeWithoutResponse:
            busy = true
            context.close(promise: nil)
        case .neverRespond:
            busy = true
        case .slowBody(let total, let interval):
            busy = true
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(total)\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: head)), promise: nil)
            Self.dripByte(channel: context.channel, remaining: total, interval: TimeAmount(interval))
        case .hugeBody(let bytes, let announced):
            busy = true
            let framing = announced ? "Content-Length: \(bytes)" : "Connection: close"
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\(framing)\r\n\r\n"
            context.write(wrapOutboundOut(context.channel.allocator.buffer(string: head)), promise: nil)
            hugeRemaining = max(0, bytes)
            closeAfterHugeBody = !announced
            pumpHugeBody(context: context)
        case .redirectLoop:
            writeSimple(
                context: context, status: "302 Found",
                extraHeaders: [("Location", request.target)], body: "")
        case .invalidHTTP:
            busy = true
            let garbage = "SPEAKING NOT HTTP \u{1}\u{2}\u{3}\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: garbage)), promise: nil)
        case .unavailableStorm(let failures, let retryAfter, let status):
            let served = shared.stormCount.withLockedValue { count -> Int in
                count += 1
                return count
            }
            if let failures, served > failures {
                writeSimple(context: context, status: "200 OK", extraHeaders: [], body: #"{"ok":true}"#)
            } else {
                writeSimple(
                    context: context, status: "\(status) \(reasonPhrase(status))",
                    extraHeaders: [("Retry-After", String(retryAfter))],
                    body: #"{"error":"unavailable"}"#)
            }
        }
    }

    private func writeSimple(
        context: ChannelHandlerContext, status: String, extraHeaders: [(String, String)], body: String
    ) {
        var head = "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in extraHeaders { head += "\(name): \(value)\r\n" }
        head += "\r\n" + body
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: head)), promise: nil)
    }

    private static func dripByte(channel: any Channel, remaining: Int, interval: TimeAmount) {
        guard remaining > 0 else { return }
        channel.eventLoop.scheduleTask(in: interval) {
            guard channel.isActive else { return }
            channel.writeAndFlush(channel.allocator.buffer(string: "x"), promise: nil)
            dripByte(channel: channel, remaining: remaining - 1, interval: interval)
        }
    }

    /// Writes while the socket accepts more, then waits for writability; memory stays at one
    /// shared chunk plus the channel's high-water mark.
    private func pumpHugeBody(context: ChannelHandlerContext) {
        while hugeRemaining > 0 && context.channel.isWritable {
            let size = Int(min(Int64(Self.chunk.readableBytes), hugeRemaining))
            let slice = Self.chunk.getSlice(at: Self.chunk.readerIndex, length: size) ?? Self.chunk
            context.write(wrapOutboundOut(slice), promise: nil)
            hugeRemaining -= Int64(size)
        }
        if hugeRemaining == 0 && closeAfterHugeBody {
            closeAfterHugeBody = false
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        context.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if hugeRemaining > 0 && context.channel.isWritable {
            pumpHugeBody(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
#endif
