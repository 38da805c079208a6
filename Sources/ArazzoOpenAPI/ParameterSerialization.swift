public import ArazzoJSON
import OrderedCollections

/// How one parameter value is written into a request, per the OpenAPI 3 parameter fields
/// `in`, `style`, `explode` and `allowReserved` (OAS 3.0.3/3.1 §Parameter Object, "Style Values").
public struct ParameterSerialization: Sendable, Hashable {
    /// Where the parameter goes.
    public enum Location: String, Sendable, Hashable, Codable, CaseIterable {
        /// A templated path segment (`/pets/{id}`).
        case path
        /// The query string.
        case query
        /// A request header.
        case header
        /// A cookie in the `Cookie` header.
        case cookie
    }

    /// The OpenAPI serialization styles.
    public enum Style: String, Sendable, Hashable, Codable, CaseIterable {
        /// `5`, `3,4,5`, `role,admin` — path and header default.
        case simple
        /// `.5`, `.3.4.5` — path only.
        case label
        /// `;id=5` — path only.
        case matrix
        /// `id=5&id=6` — query and cookie default.
        case form
        /// `id=3%204%205` — query arrays and objects.
        case spaceDelimited
        /// `id=3|4|5` — query arrays and objects (the `|` is sent as `%7C`).
        case pipeDelimited
        /// `id[role]=admin` — query objects.
        case deepObject
    }

    /// Where the parameter goes.
    public var location: Location
    /// The style.
    public var style: Style
    /// Whether arrays and objects are written as separate parameters / `name=value` members.
    public var explode: Bool
    /// Whether reserved characters pass through unencoded (query only).
    public var allowReserved: Bool

    /// Creates a serialization; `style` and `explode` default per `location` as OpenAPI says
    /// (path/header: simple; query/cookie: form; explode is true exactly for form).
    public init(location: Location, style: Style? = nil, explode: Bool? = nil, allowReserved: Bool = false) {
        self.location = location
        let effectiveStyle = style ?? ParameterSerialization.defaultStyle(for: location)
        self.style = effectiveStyle
        self.explode = explode ?? (effectiveStyle == .form)
        self.allowReserved = allowReserved
    }

    /// The OpenAPI default style for a location.
    public static func defaultStyle(for location: Location) -> Style {
        switch location {
        case .path, .header: return .simple
        case .query, .cookie: return .form
        }
    }

    /// Why a value cannot be serialized as asked.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// One line saying what to change.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// Which styles a location accepts.
    public var isValidCombination: Bool {
        switch location {
        case .path: return [.simple, .label, .matrix].contains(style)
        case .query: return [.form, .spaceDelimited, .pipeDelimited, .deepObject].contains(style)
        case .header: return style == .simple
        case .cookie: return style == .form
        }
    }

    // MARK: - Serializing

    /// The text replacing `{name}` in a path template (already percent-encoded).
    public func pathValue(name: String, value: JSONValue) throws(Failure) -> String {
        try check(value, name: name)
        let enc: (String) -> String = { PercentEncoding.encode($0) }
        switch (style, value) {
        case (.simple, _):
            return joined(value, explode: explode, pairSeparator: explode ? "=" : ",", separator: ",", encode: enc)
        case (.label, _):
            let sep = explode ? "." : ","
            return "." + joined(value, explode: explode, pairSeparator: explode ? "=" : ",", separator: sep, encode: enc)
        case (.matrix, .array(let items)):
            if explode {
                return items.map { ";" + enc(name) + "=" + enc(Self.text($0)) }.joined()
            }
            return ";" + enc(name) + "=" + items.map { enc(Self.text($0)) }.joined(separator: ",")
        case (.matrix, .object(let members)):
            if explode {
                return members.map { ";" + enc($0.key) + "=" + enc(Self.text($0.value)) }.joined()
            }
            return ";" + enc(name) + "=" + members.map { enc($0.key) + "," + enc(Self.text($0.value)) }.joined(separator: ",")
        case (.matrix, _):
            return ";" + enc(name) + (Self.text(value).isEmpty ? "" : "=" + enc(Self.text(value)))
        default:
            throw Failure(message: "style '\(style.rawValue)' cannot be used for path parameter '\(name)'; use simple, label or matrix")
        }
    }

    /// The `name=value` pieces to join with `&` into the query string (already percent-encoded).
    public func queryPairs(name: String, value: JSONValue) throws(Failure) -> [String] {
        try check(value, name: name)
        let allowed: PercentEncoding.Allowed = allowReserved ? .unreservedAndReserved : .unreserved
        let enc: (String) -> String = { PercentEncoding.encode($0, allowing: allowed) }
        let encodedName = enc(name)
        switch (style, value) {
        case (.form, .array(let items)):
            if explode { return items.map { encodedName + "=" + enc(Self.text($0)) } }
            return [encodedName + "=" + items.map { enc(Self.text($0)) }.joined(separator: ",")]
        case (.form, .object(let members)):
            if explode { return members.map { enc($0.key) + "=" + enc(Self.text($0.value)) } }
            return [encodedName + "=" + members.map { enc($0.key) + "," + enc(Self.text($0.value)) }.joined(separator: ",")]
        case (.form, _):
            return [encodedName + "=" + enc(Self.text(value))]
        case (.spaceDelimited, .array), (.pipeDelimited, .array), (.spaceDelimited, .object), (.pipeDelimited, .object):
            let delimiter = style == .spaceDelimited ? "%20" : "%7C"
            if explode, case .array(let items) = value {
                return items.map { encodedName + "=" + enc(Self.text($0)) }
            }
            if explode, case .object(let members) = value {
                return members.map { enc($0.key) + "=" + enc(Self.text($0.value)) }
            }
            let parts: [String]
            switch value {
            case .array(let items): parts = items.map { enc(Self.text($0)) }
            case .object(let members): parts = members.flatMap { [enc($0.key), enc(Self.text($0.value))] }
            default: parts = []
            }
            return [encodedName + "=" + parts.joined(separator: delimiter)]
        case (.spaceDelimited, _), (.pipeDelimited, _):
            // OpenAPI defines these styles for arrays and objects only; a primitive is sent as form.
            return [encodedName + "=" + enc(Self.text(value))]
        case (.deepObject, .object(let members)):
            var pairs: [String] = []
            for (key, member) in members {
                if case .array(let items) = member {
                    for item in items {
                        pairs.append(encodedName + "%5B" + enc(key) + "%5D=" + enc(Self.text(item)))
                    }
                } else if case .object = member {
                    throw Failure(message: "deepObject parameter '\(name)' has a nested object at '\(key)'; OpenAPI defines deepObject for one level only")
                } else {
                    pairs.append(encodedName + "%5B" + enc(key) + "%5D=" + enc(Self.text(member)))
                }
            }
            return pairs
        case (.deepObject, _):
            throw Failure(message: "deepObject query parameter '\(name)' needs an object value, got \(value.typeName)")
        default:
            throw Failure(message: "style '\(style.rawValue)' cannot be used for query parameter '\(name)'; use form, spaceDelimited, pipeDelimited or deepObject")
        }
    }

    /// The header field value (simple style; never percent-encoded). Control characters are
    /// refused so a value cannot inject extra header lines.
    public func headerValue(name: String, value: JSONValue) throws(Failure) -> String {
        try check(value, name: name)
        guard style == .simple else {
            throw Failure(message: "style '\(style.rawValue)' cannot be used for header parameter '\(name)'; headers use simple")
        }
        let text = joined(value, explode: explode, pairSeparator: explode ? "=" : ",", separator: ",", encode: { $0 })
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
            throw Failure(message: "header parameter '\(name)' contains a control character (line break?); header values must be one line")
        }
        return text
    }

    /// The `name=value` cookie pairs (form style), to be joined with `; ` into one `Cookie` header.
    /// Cookie values are percent-encoded outside the unreserved set, so `;`, `,` and spaces are safe.
    public func cookiePairs(name: String, value: JSONValue) throws(Failure) -> [String] {
        try check(value, name: name)
        guard style == .form else {
            throw Failure(message: "style '\(style.rawValue)' cannot be used for cookie parameter '\(name)'; cookies use form")
        }
        let enc: (String) -> String = { PercentEncoding.encode($0) }
        switch value {
        case .array(let items):
            if explode { return items.map { name + "=" + enc(Self.text($0)) } }
            return [name + "=" + items.map { enc(Self.text($0)) }.joined(separator: ",")]
        case .object(let members):
            if explode { return members.map { $0.key + "=" + enc(Self.text($0.value)) } }
            return [name + "=" + members.map { enc($0.key) + "," + enc(Self.text($0.value)) }.joined(separator: ",")]
        default:
            return [name + "=" + enc(Self.text(value))]
        }
    }

    // MARK: - Helpers

    private func check(_ value: JSONValue, name: String) throws(Failure) {
        switch value {
        case .array(let items):
            if items.contains(where: Self.isStructured) {
                throw Failure(message: "parameter '\(name)' is an array of arrays/objects, which OpenAPI styles cannot express; send a string instead")
            }
        case .object(let members):
            if style != .deepObject, members.values.contains(where: Self.isStructured) {
                throw Failure(message: "parameter '\(name)' is an object with nested arrays/objects, which style '\(style.rawValue)' cannot express")
            }
        default:
            break
        }
    }

    private static func isStructured(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return true
        default: return false
        }
    }

    /// simple/label shape: `a,b,c` or `k,v,k,v` (explode=false) / `k=v,k=v` (explode=true).
    private func joined(
        _ value: JSONValue, explode: Bool, pairSeparator: String, separator: String, encode: (String) -> String
    ) -> String {
        switch value {
        case .array(let items):
            return items.map { encode(Self.text($0)) }.joined(separator: separator)
        case .object(let members):
            return members.map { encode($0.key) + pairSeparator + encode(Self.text($0.value)) }.joined(separator: separator)
        default:
            return encode(Self.text(value))
        }
    }

    /// The text of a primitive: strings as they are, numbers in JSON form, booleans as
    /// `true`/`false`, null as the empty string. Structured values (only reachable through
    /// nested arrays, which ``check`` refuses) are written as JSON.
    package static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        default: return value.jsonText()
        }
    }
}
