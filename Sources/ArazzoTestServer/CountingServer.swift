#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import Foundation
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix

/// A loopback HTTP/1.1 server for load tests: it counts every request, answers 200 with
/// `{"n": N}` (N the request's number, from 1), except that every `failEvery`-th request gets 500
/// — an injected error rate known exactly in advance. It keeps the request targets it saw, so a
/// test can check which inputs the runs sent.
public final class CountingServer: LoopbackServer {
    private struct State {
        var count = 0
        var targets: [String] = []
    }

    private let state: NIOLockedValueBox<State>
    private let core: HTTPServerCore

    /// A server that fails every `failEvery`-th request with 500 (nil: never); `delay` before
    /// each answer.
    public init(failEvery: Int? = nil, delay: Duration? = nil, eventLoopGroup: (any EventLoopGroup)? = nil) {
        let state = NIOLockedValueBox(State())
        self.state = state
        core = HTTPServerCore(group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton) { request in
            let n = state.withLockedValue { s in
                s.count += 1
                s.targets.append(request.target)
                return s.count
            }
            let failed = failEvery.map { $0 > 0 && n % $0 == 0 } ?? false
            return ServerResponse(
                status: failed ? 500 : 200, headers: [HTTPHeaderField(name: "Content-Type", value: "application/json")],
                body: Array("{\"n\": \(n)}".utf8), delay: delay)
        }
    }

    /// Binds 127.0.0.1 on an ephemeral port and returns it.
    public func start() async throws -> Int { try await core.start() }

    /// Closes the server and every open connection.
    public func stop() async { await core.stop() }

    /// The bound port while running.
    public var port: Int? { core.port }

    /// Connections accepted so far (keep-alive reuse shows as fewer connections than requests).
    public var connectionsAccepted: Int { core.registry.acceptedCount }

    /// Connections open now.
    public var openConnections: Int { core.registry.openCount }

    /// Requests received so far.
    public var requestCount: Int { state.withLockedValue { $0.count } }

    /// The request targets (path and query) received so far, in arrival order.
    public var targets: [String] { state.withLockedValue { $0.targets } }
}
#endif
