import OrderedCollections
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
        String(decoding: jsonBytes(options), as: UTF8.self)
    }

    /// The value as UTF-8 JSON bytes.
    public func jsonBytes(_ options: WritingOptions = .init()) -> [UInt8] {
        // Writing bytes into one growing array keeps serialization linear in the output size.
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, options: options, depth: 0)
        return out
    }

    private func write(to out: inout [UInt8], options: WritingOptions, depth: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: JSONValue.format(d).utf8)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            if a.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if options.prettyPrinted { JSONValue.newline(&out, depth + 1) }
                element.write(to: &out, options: options, depth: depth + 1)
            }
            if options.prettyPrinted { JSONValue.newline(&out, depth) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            func member(_ i: Int, _ key: String, _ value: JSONValue) {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if options.prettyPrinted { JSONValue.newline(&out, depth + 1) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if options.prettyPrinted { out.append(UInt8(ascii: " ")) }
                value.write(to: &out, options: options, depth: depth + 1)
            }
            if options.sortedKeys {
                for (i, key) in o.keys.sorted().enumerated() { member(i, key, o[key, default: .null]) }
            } else {
                // In order, value beside key: no array of keys and no hash lookup per member.
                for (i, pair) in o.enumerated() { member(i, pair.key, pair.value) }
            }
            if options.prettyPrinted { JSONValue.newline(&out, depth) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ depth: Int) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// Formats a double the way JSON readers expect: shortest round-trip digits, `1.0` kept,
    /// non-finite values as `null` (JSON has no spelling for them).
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        // Swift's description is the shortest round-trip form and valid JSON ("1.0", "1e+20").
        return d.description
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `s` as a JSON string literal, escaping what RFC 8259 §7 requires.
    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied at once (per-byte appends were most of
            // writing a request body); UTF-8 continuation and lead bytes are copied as they are,
            // so the output stays UTF-8.
            var runStart = 0
            var i = 0
            while i < bytes.count {
                // Eight bytes at a time to the next byte that needs an escape: the parser's word
                // test flags exactly those (quote, backslash, below 0x20), and its lowest flag is
                // exact (decision JF1).
                if let base = bytes.baseAddress, i + 8 <= bytes.count {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let flags = JSONTextParser.runEnds(UInt64(littleEndian: word))
                    if flags == 0 {
                        i += 8
                        continue
                    }
                    i += flags.trailingZeroBitCount >> 3
                }
                let byte = bytes[i]
                i += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < i - 1 { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i - 1])) }
                runStart = i
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0xF)])
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { jsonText() }
}
