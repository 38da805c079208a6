#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
@_exported public import ArazzoTesting
import ArazzoJSON
import Foundation
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import OrderedCollections

/// A loopback HTTP/1.1 server that replays an ``ExchangeScript``: it answers each expected request
/// with its scripted response, answers anything else with status 599 and records why.
///
/// ```swift
/// let server = ScriptedServer(script: script)
/// try await withServer(server) { server in
///     // point the executor at server.baseURL ...
/// }
/// #expect(server.problems.isEmpty)
/// ```
public final class ScriptedServer: LoopbackServer {
    private let state: NIOLockedValueBox<ScriptReplay>
    private let core: HTTPServerCore

    /// Creates a server for `script`; `eventLoopGroup` defaults to NIO's shared singleton group.
    public init(script: ExchangeScript, eventLoopGroup: (any EventLoopGroup)? = nil) {
        let state = NIOLockedValueBox(ScriptReplay(script: script))
        self.state = state
        core = HTTPServerCore(group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton) { request in
            state.withLockedValue { $0.answer(request) }
        }
    }

    /// Binds 127.0.0.1 on an ephemeral port and returns it.
    public func start() async throws -> Int { try await core.start() }

    /// Closes the server and every open connection.
    public func stop() async { await core.stop() }

    /// The bound port while running.
    public var port: Int? { core.port }

    /// Replaces the script and clears the logs (the server keeps running).
    public func load(_ script: ExchangeScript) {
        state.withLockedValue { $0 = ScriptReplay(script: script) }
    }

    /// Every request received so far, in arrival order.
    public var receivedRequests: [ReceivedRequest] { state.withLockedValue { $0.received } }

    /// Every request that did not match the script.
    public var mismatches: [ScriptMismatch] { state.withLockedValue { $0.mismatches } }

    /// Indices of exchanges that were not used as many times as scripted.
    public var unusedExchanges: [Int] { state.withLockedValue { $0.unusedExchanges } }

    /// Every way the traffic differed from the script, one line each; empty when it matched exactly.
    public var problems: [String] { state.withLockedValue { $0.problems } }

}
#endif
