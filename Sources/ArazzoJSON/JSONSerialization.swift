extension JSONValue {
    /// Options for writing JSON text.
    public struct WritingOptions: Sendable, Hashable {
        /// Indent nested values with two spaces and put each member on its own line.
        public var prettyPrinted: Bool
        /// Sort object members by key (for stable golden output); default keeps document order.
        public var sortedKeys: Bool

        /// Creates writing options.
        public init(prettyPrinted: Bool = false, sortedKeys: Bool = false) {
            self.prettyPrinted = prettyPrinted
            self.sortedKeys = sortedKeys
        }
    }

    /// The value as RFC 8259 JSON text: compact by default, non-finite doubles written as `null`.
    public func jsonText(_ options: WritingOptions = .init()) -> String {
        var out = ""
        out.reserveCapacity(64)
        write(to: &out, options: options, depth: 0)
        return out
    }

    /// The value as UTF-8 JSON bytes.
    public func jsonBytes(_ options: WritingOptions = .init()) -> [UInt8] {
        Array(jsonText(options).utf8)
    }

    private func write(to out: inout String, options: WritingOptions, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, element) in a.enumerated() {
                if i > 0 { out += "," }
                if options.prettyPrinted { JSONValue.newline(&out, depth + 1) }
                element.write(to: &out, options: options, depth: depth + 1)
            }
            if options.prettyPrinted { JSONValue.newline(&out, depth) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            let keys = options.sortedKeys ? o.keys.sorted() : Array(o.keys)
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                if options.prettyPrinted { JSONValue.newline(&out, depth + 1) }
                JSONValue.writeString(key, to: &out)
                out += options.prettyPrinted ? ": " : ":"
                o[key, default: .null].write(to: &out, options: options, depth: depth + 1)
            }
            if options.prettyPrinted { JSONValue.newline(&out, depth) }
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ depth: Int) {
        out += "\n"
        out += String(repeating: "  ", count: depth)
    }

    /// Formats a double the way JSON readers expect: shortest round-trip digits, `1.0` kept,
    /// non-finite values as `null` (JSON has no spelling for them).
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        // Swift's description is the shortest round-trip form and valid JSON ("1.0", "1e+20").
        return d.description
    }

    /// Writes `s` as a JSON string literal, escaping what RFC 8259 §7 requires.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        var pendingStart = s.unicodeScalars.startIndex
        let scalars = s.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case "\u{08}": escape = "\\b"
            case "\u{0C}": escape = "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escape = nil
                }
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[pendingStart..<index])
                out += escape
                pendingStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        out.unicodeScalars.append(contentsOf: scalars[pendingStart..<scalars.endIndex])
        out += "\""
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { jsonText() }
}
