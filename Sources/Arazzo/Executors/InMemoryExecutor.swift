public import ArazzoJSON
public import ArazzoExecutor
import Synchronization
import OrderedCollections

/// A step executor that never touches the network: it answers from scripted responses keyed by
/// method and path, or from a closure, and records every request it receives.
///
/// ```swift
/// let executor = InMemoryExecutor(routes: [
///     .init("POST", "/v1/b2b/totp", .json(["secret": "JBSWY3DP"])),
/// ])
/// ```
public struct InMemoryExecutor: StepExecutor {
    /// What a route answers with, per call.
    public enum Reply: Sendable, Hashable {
        /// An HTTP response.
        case response(HTTPResponse)
        /// A transport failure (refused, reset, timeout, ...).
        case failure(TransportError)

        /// A JSON response.
        public static func json(_ value: JSONValue, status: Int = 200, headers: HeaderFields = [:]) -> Reply {
            var fields = headers
            if fields["Content-Type"] == nil { fields.append(name: "Content-Type", value: "application/json") }
            return .response(HTTPResponse(status: status, headers: fields, body: value.jsonBytes()))
        }

        /// A response with a status, optional text body and headers.
        public static func status(_ status: Int, body: String = "", headers: HeaderFields = [:]) -> Reply {
            .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
        }
    }

    /// Scripted replies for one method and path.
    public struct Route: Sendable, Hashable {
        /// The method (upper case); `*` matches any.
        public var method: String
        /// The URL path to match; `{name}` matches one segment, a trailing `*` any rest.
        public var path: String
        /// The replies, in order; the last one repeats once the others are used up.
        public var replies: [Reply]

        /// Creates a route.
        public init(_ method: String, _ path: String, _ replies: Reply...) {
            self.method = method.uppercased()
            self.path = path
            self.replies = replies
        }

        /// Creates a route from a list of replies.
        public init(_ method: String, _ path: String, replies: [Reply]) {
            self.method = method.uppercased()
            self.path = path
            self.replies = replies
        }
    }

    /// A closure that answers requests.
    public typealias Handler = @Sendable (HTTPRequest) async throws(TransportError) -> HTTPResponse

    private let routes: [Route]
    private let handler: Handler?
    private let log: RequestLog

    /// Answers from `routes` (first matching route wins; unmatched requests get a 404).
    public init(routes: [Route]) {
        self.routes = routes
        self.handler = nil
        self.log = RequestLog()
    }

    /// Answers every request with `handler`.
    public init(handler: @escaping Handler) {
        self.routes = []
        self.handler = handler
        self.log = RequestLog()
    }

    /// Every request received so far, in order.
    public var requests: [HTTPRequest] {
        get async { log.requests }
    }

    /// Answers `request` from the routes or the handler, recording it first.
    public func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        if let handler {
            _ = log.record(request, route: nil)
            return try await handler(request)
        }
        let path = Self.path(of: request.url)
        let routeIndex = routes.firstIndex { ($0.method == "*" || $0.method == request.method) && Self.matches($0.path, path) }
        let call = log.record(request, route: routeIndex)
        guard let routeIndex else {
            return HTTPResponse(
                status: 404, headers: ["Content-Type": "application/json"],
                body: JSONValue.object(["error": .string("no scripted route for \(request.method) \(path)")]).jsonBytes())
        }
        let replies = routes[routeIndex].replies
        guard !replies.isEmpty else { return HTTPResponse(status: 204) }
        switch replies[min(call, replies.count - 1)] {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    /// The path part of an absolute or relative URL (no query, no fragment).
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            rest = rest[rest.index(colon, offsetBy: 3)...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        return rest.isEmpty ? "/" : String(rest)
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        if pattern == path { return true }
        let p = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let s = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in p.enumerated() {
            if segment == "*" && index == p.count - 1 { return true }
            guard index < s.count else { return false }
            if segment.hasPrefix("{") && segment.hasSuffix("}") && !s[index].isEmpty { continue }
            if segment != s[index] { return false }
        }
        return p.count == s.count
    }
}

/// Records requests and counts calls per route, shared by copies of an executor. A lock rather
/// than an actor: recording must not suspend the step (no executor hop per request).
final class RequestLog: Sendable {
    private struct State {
        var recorded: [HTTPRequest] = []
        var calls: [Int: Int] = [:]
    }
    private let state = Mutex(State())

    var requests: [HTTPRequest] { state.withLock { $0.recorded } }

    /// Records a request; returns how many earlier calls the route had.
    func record(_ request: HTTPRequest, route: Int?) -> Int {
        state.withLock { state in
            state.recorded.append(request)
            guard let route else { return 0 }
            let count = state.calls[route, default: 0]
            state.calls[route] = count + 1
            return count
        }
    }
}
