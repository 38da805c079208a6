public import ArazzoExecutor
import Foundation

/// An in-memory ``StepExecutor`` that replays an ``ExchangeScript``: each request is checked
/// against the next scripted exchange exactly as the loopback `ScriptedServer` checks it (same
/// matcher, ``ScriptReplay``), and answered with the scripted response without touching the network.
///
/// A response's delay is not slept: when it is longer than the request's timeout the request fails
/// with a `timeout` transport error, as it would over the network; otherwise it is answered at
/// once. Scripted connection faults become the transport errors a client would report.
///
/// ```swift
/// let executor = ScriptedExecutor(script: ExchangeScript(exchanges: [
///     Exchange(request: ExpectedRequest(method: "GET", path: "/pets/7"),
///              response: ScriptedResponse(json: ["id": 7])),
/// ]))
/// // … run a workflow with `RunOptions(executor: executor)` …
/// #expect(executor.problems.isEmpty)
/// ```
public final class ScriptedExecutor: StepExecutor, @unchecked Sendable {
    // Guarded by `lock`: a run's requests may come from several tasks.
    private let lock = NSLock()
    private var replay: ScriptReplay
    private let refusedHosts: Set<String>

    /// An executor replaying `script`; requests to a host in `refusing` (`host` or `host:port`)
    /// fail with `connectionRefused` without consuming an exchange.
    public init(script: ExchangeScript, refusing: Set<String> = []) {
        replay = ScriptReplay(script: script)
        refusedHosts = refusing
    }

    /// Every request received so far, in order.
    public var receivedRequests: [ReceivedRequest] { lock.withLock { replay.received } }

    /// Every way the traffic differed from the script, one line each; empty when it matched exactly
    /// (every exchange used as often as scripted, no unexpected request).
    public var problems: [String] { lock.withLock { replay.problems } }

    /// Answers `request` from the script.
    public func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let (authority, target) = Self.split(request.url)
        if refusedHosts.contains(authority) || refusedHosts.contains(Self.host(of: authority)) {
            throw TransportError(.connectionRefused, "connection refused by \(authority)")
        }
        let received = ReceivedRequest(
            method: request.method, target: target,
            headers: request.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) },
            body: request.body ?? [])
        let answer = lock.withLock { replay.answer(received) }
        if let delay = answer.delay, delay > request.timeout {
            throw TransportError(.timeout, "no response within \(request.timeout)")
        }
        switch answer.fault {
        case .resetMidBody?: throw TransportError(.connectionReset, "connection reset by peer")
        case .closeConnection?: throw TransportError(.connectionReset, "the server closed the connection")
        case .noResponse?: throw TransportError(.timeout, "no response within \(request.timeout)")
        case nil: break
        }
        var headers = HeaderFields()
        for field in answer.headers { headers.append(name: field.name, value: field.value) }
        return HTTPResponse(status: answer.status, headers: headers, body: answer.body)
    }

    /// The authority (`host[:port]`) and the request target (path and query) of an absolute URL.
    static func split(_ url: String) -> (authority: String, target: String) {
        guard let scheme = url.range(of: "://") else { return ("", url) }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var target = String(rest[end...])
        if let fragment = target.firstIndex(of: "#") { target = String(target[..<fragment]) }
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        return (String(rest[..<end]), target)
    }

    private static func host(of authority: String) -> String {
        guard let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") else { return authority }
        return String(authority[..<colon])
    }
}
