public import ArazzoExecutor
public import ArazzoJSON
import OrderedCollections

/// A Correlation ID Object: where in a message its correlation id is, as an AsyncAPI runtime
/// expression (`$message.header#/correlationId`, `$message.payload#/reqid`).
public struct CorrelationID: Sendable, Hashable {
    /// The part of the message the id is read from.
    public enum Source: String, Sendable, Hashable {
        /// The application headers.
        case header
        /// The payload.
        case payload
    }

    /// `location` as written.
    public var location: String
    /// The part of the message.
    public var source: Source
    /// The pointer inside that part (empty: the whole part).
    public var pointer: JSONPointer

    /// Parses an AsyncAPI runtime expression (`$message.` `header`|`payload` [`#` JSON pointer]);
    /// nil when `location` is not one.
    public init?(location: String) {
        let prefix = "$message."
        guard location.hasPrefix(prefix) else { return nil }
        let rest = location.dropFirst(prefix.count)
        let sourceText: Substring
        let fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            sourceText = rest[..<hash]
            fragment = rest[rest.index(after: hash)...]
        } else {
            sourceText = rest
            fragment = nil
        }
        guard let source = Source(rawValue: String(sourceText)) else { return nil }
        var pointer = JSONPointer(tokens: [])
        if let fragment {
            guard let parsed = try? JSONPointer(parsing: String(fragment)) else { return nil }
            pointer = parsed
        }
        self.location = location
        self.source = source
        self.pointer = pointer
    }

    /// The id carried by `message`, or nil when the location holds nothing there.
    public func value(in message: TransportMessage) -> JSONValue? {
        let root: JSONValue?
        switch source {
        case .header:
            var object = JSONObject()
            for name in message.headers.keys.sorted() { object[name] = message.headers[name] }
            root = .object(object)
        case .payload:
            root = message.payload.jsonValue
        }
        guard let root else { return nil }
        return try? pointer.resolve(in: root)
    }

    /// Whether `message` carries `expected` at this location. Strings, numbers and booleans
    /// compare by their text (an id sent as `42` matches a step's `"42"`: an Arazzo
    /// `correlationId` is a string while the message may carry a number); anything else
    /// compares as JSON.
    public func matches(_ message: TransportMessage, expected: JSONValue) -> Bool {
        guard let found = value(in: message) else { return false }
        if let a = Self.scalarText(found), let b = Self.scalarText(expected) { return a == b }
        return found == expected
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .int, .double, .bool: return value.jsonText()
        default: return nil
        }
    }
}
