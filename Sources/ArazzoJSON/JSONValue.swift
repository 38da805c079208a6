public import OrderedCollections

/// A JSON value: the one value type the engine uses for inputs, request and response bodies,
/// outputs and criterion contexts.
///
/// Integers and floating-point numbers are kept apart so that `1` and `1.0` round-trip as written
/// and 64-bit identifiers stay exact; equality compares numbers by value (`1 == 1.0`), as JSON does.
public enum JSONValue: Sendable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; member order is kept as written.
    case object(JSONObject)
}

/// The members of a JSON object, in document order.
public typealias JSONObject = OrderedDictionary<String, JSONValue>

extension JSONValue: Equatable {
    /// Structural equality; numbers compare by value, objects ignore member order, and strings
    /// compare code point by code point (JSON has no notion of Unicode canonical equivalence, so
    /// `"\u00e9"` and `"e\u0301"` differ, unlike Swift's `String ==`).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.string(a), .string(b)): return a.utf8.elementsEqual(b.utf8)
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b[key], other == value else { return false }
            }
            return true
        default:
            guard let a = lhs.numberValue, let b = rhs.numberValue else { return false }
            return a == b
        }
    }
}

extension JSONValue: Hashable {
    /// Hashes consistently with `==`: integral doubles hash like the equal integer, and object
    /// members are combined without regard to order.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .int(let i): hasher.combine(2); hasher.combine(Double(i))
        case .double(let d): hasher.combine(2); hasher.combine(d)
        // Code-point-equal strings are canonically equal, so String's hash stays consistent.
        case .string(let s): hasher.combine(3); hasher.combine(s)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o):
            hasher.combine(5)
            var combined = 0
            for (key, value) in o {
                var member = Hasher()
                member.combine(key)
                member.combine(value)
                combined ^= member.finalize()
            }
            hasher.combine(combined)
        }
    }
}

extension JSONValue {
    /// The number as a `Double`, for `.int` and `.double`; `nil` otherwise.
    public var numberValue: NumberValue? {
        switch self {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        default: return nil
        }
    }

    /// The string, for `.string`; `nil` otherwise.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, for `.bool`; `nil` otherwise.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, for `.array`; `nil` otherwise.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, for `.object`; `nil` otherwise.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` of an object; `nil` for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The JSON type name used in messages and JSON Schema: `null`, `boolean`, `integer`,
    /// `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double(let d): return d.rounded() == d && d.isFinite ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A JSON number that compares exactly between integers and doubles.
public enum NumberValue: Sendable, Hashable, Comparable {
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)

    /// The value as a `Double` (integers beyond 2^53 lose precision here only).
    public var doubleValue: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    /// Exact equality between mixed representations.
    public static func == (lhs: NumberValue, rhs: NumberValue) -> Bool {
        switch (lhs, rhs) {
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)):
            guard b.isFinite, b.rounded() == b, let exact = Int(exactly: b) else { return false }
            return exact == a
        }
    }

    /// Exact ordering between mixed representations.
    public static func < (lhs: NumberValue, rhs: NumberValue) -> Bool {
        switch (lhs, rhs) {
        case let (.int(a), .int(b)): return a < b
        case let (.double(a), .double(b)): return a < b
        case let (.int(a), .double(b)):
            if let exact = Int(exactly: b.rounded(.down)), b.isFinite { return a < exact || (a == exact && b > b.rounded(.down)) }
            return Double(a) < b
        case let (.double(a), .int(b)):
            if let exact = Int(exactly: a.rounded(.up)), a.isFinite { return exact < b || (exact == b && a < a.rounded(.up)) }
            return a < Double(b)
        }
    }

    /// Hashes integral doubles like the equal integer.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .int(let i): hasher.combine(Double(i))
        case .double(let d): hasher.combine(d)
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A double.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object, members in literal order (a repeated key keeps its last value).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
