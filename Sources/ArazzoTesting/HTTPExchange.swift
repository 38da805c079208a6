public import ArazzoExecutor
import ArazzoJSON
import Foundation

// The wire-level records a script speaks: what a server (loopback or in memory) received and what it
// answers. They live here, without SwiftNIO, so the in-memory executor and the loopback servers of
// ArazzoTestServer share one definition.

/// One header field (or query item) as a loopback server received or sends it: the executor
/// contract's field, so a script, a received request and an ``HTTPRequest`` speak one type.
public typealias HTTPHeaderField = HeaderFields.Field

/// A request exactly as a loopback server received it.
public struct ReceivedRequest: Sendable, Hashable, Codable {
    /// The method (`GET`, `POST`, ...).
    public var method: String
    /// The raw request target: path plus `?query` when there is one.
    public var target: String
    /// The header fields in the order they arrived.
    public var headers: [HTTPHeaderField]
    /// The body bytes (empty when there was none).
    public var body: [UInt8]

    /// Creates a record.
    public init(method: String, target: String, headers: [HTTPHeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The raw (percent-encoded) path, without the query.
    public var path: String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        return String(target[..<mark])
    }

    /// The raw query string after `?`, or `nil` when the target has none.
    public var rawQuery: String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: mark)...])
    }

    /// The query items, percent-decoded, in order. `+` stays `+` (RFC 3986 query, not form encoding).
    public var queryItems: [HTTPHeaderField] {
        guard let raw = rawQuery, !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return HTTPHeaderField(
                    name: percentDecoded(pair[..<eq]), value: percentDecoded(pair[pair.index(after: eq)...]))
            }
            return HTTPHeaderField(name: percentDecoded(pair), value: "")
        }
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { HeaderFields.namesMatch($0.name, name) }?.value
    }

    /// The body as UTF-8 text, or `nil` when it is not valid UTF-8.
    public var bodyText: String? { String(validating: body, as: UTF8.self) }
}


/// The response a loopback server sends for one request.
public struct ServerResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, in order; `Content-Length` is added when absent.
    public var headers: [HTTPHeaderField]
    /// The body bytes.
    public var body: [UInt8]
    /// How long to wait before answering (on the event loop, no thread blocked).
    public var delay: Duration?
    /// Instead of answering normally, fail the exchange this way (after `delay`).
    public var fault: ConnectionFault?

    /// Creates a response.
    public init(
        status: Int, headers: [HTTPHeaderField] = [], body: [UInt8] = [], delay: Duration? = nil,
        fault: ConnectionFault? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.fault = fault
    }
}

/// Transport failures a well-formed server can still inject into one exchange.
public enum ConnectionFault: String, Sendable, Hashable, Codable {
    /// Close the connection without answering (the client sees the connection end early).
    case closeConnection
    /// Send the head announcing the body and half of it, then reset the connection (TCP RST).
    case resetMidBody
    /// Never answer; the connection stays open until the server stops (the client times out).
    case noResponse
}
