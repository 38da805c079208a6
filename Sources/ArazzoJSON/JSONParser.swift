/// A JSON text that is not valid RFC 8259 JSON, with where the problem is.
import OrderedCollections
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line saying what is wrong.
    public let message: String
    /// 1-based line (lines end at `\n`).
    public let line: Int
    /// 1-based column, counted in Unicode scalars like `SourceLocation`.
    public let column: Int
    /// 0-based byte offset in the UTF-8 input (a leading BOM counts).
    public let offset: Int

    /// Creates an error value.
    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

extension JSONValue {
    /// Parses RFC 8259 JSON text from UTF-8 bytes.
    ///
    /// The grammar is applied strictly: no comments, trailing commas, leading zeros, `NaN`,
    /// single quotes or unescaped control characters; the input must be valid UTF-8 (a leading
    /// UTF-8 byte-order mark is skipped). Numbers written without fraction or exponent that fit
    /// in `Int` become `.int`; every other number becomes `.double` (so does `-0`, to keep its
    /// sign), correctly rounded, with magnitudes beyond `Double`'s range becoming ±infinity. A `\u` escape of a lone surrogate is an error rather than a silent U+FFFD, because
    /// the replacement would change the data. When an object repeats a key the last value wins,
    /// at the position of the first occurrence. Containers nested deeper than `maxDepth` are an
    /// error; parsing is iterative, so depth costs heap, not stack.
    public init(parsing bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) {
        let result = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONTextParser(buffer, maxDepth: maxDepth)
            return parser.parseDocument()
        }
        self = try result.get()
    }

    /// Parses RFC 8259 JSON text; see `init(parsing:maxDepth:)` for bytes.
    public init(parsing text: String, maxDepth: Int = 512) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { buffer in
            var parser = JSONTextParser(buffer, maxDepth: maxDepth)
            return parser.parseDocument()
        }
        self = try result.get()
    }
}

/// Where a string's decoded bytes go: an array for the tree, nowhere for the tape (which only
/// validates escapes; it decodes on demand).
protocol DecodedBytes {
    mutating func append(_ byte: UInt8)
}

extension Array: DecodedBytes where Element == UInt8 {}

/// Keeps no bytes.
struct DiscardingSink: DecodedBytes {
    @inline(__always) mutating func append(_ byte: UInt8) {}
}

/// The parser proper: one pass over a byte buffer with an explicit container stack. It builds
/// either a `JSONValue` tree (`parseDocument`) or a `JSONTape` index (`parseTape`); both apply the
/// same helpers, so the two accept the same texts, fail with the same errors and decode strings
/// and numbers alike (decision TP1).
struct JSONTextParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0

    /// Open containers, innermost last, with where each one's elements or members begin in the
    /// flat stacks below. A container's contents stay on those stacks until it closes, and only
    /// then become its array or object, allocated at their final size: growing each one element by
    /// element reallocated its storage at every power of two (decision PA3).
    private var kinds: [Bool] = []  // true = object
    private var starts: [Int] = []
    private var elements: [JSONValue] = []
    private var members: [(key: String, value: JSONValue)] = []
    /// The name of the member being read, one per open object.
    private var keys: [String] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, reserving: Bool = true) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        guard reserving else { return }
        // Room for a typical API body's nesting and members, so the stacks do not regrow at every
        // power of two on each parse (decision PA3).
        kinds.reserveCapacity(16)
        starts.reserveCapacity(16)
        keys.reserveCapacity(16)
        elements.reserveCapacity(32)
        members.reserveCapacity(64)
    }

    private struct Failure: Error {
        let message: String
        let offset: Int
    }

    mutating func parseDocument() -> Result<JSONValue, JSONParseError> {
        do {
            return .success(try parseAll())
        } catch {
            return .failure(locate(error))
        }
    }

    /// Converts a byte offset into line and column only on failure, so the fast path never
    /// tracks them.
    private func locate(_ failure: Failure) -> JSONParseError {
        var line = 1
        var column = 1
        var position = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        let end = min(failure.offset, bytes.count)
        while position < end {
            let byte = bytes[position]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            position += 1
        }
        return JSONParseError(message: failure.message, line: line, column: column, offset: failure.offset)
    }

    // MARK: - Structure

    private mutating func parseAll() throws(Failure) -> JSONValue {
        skipByteOrderMark()
        var value: JSONValue
        nextValue: while true {
            switch try valueStart() {
            case UInt8(ascii: "{"):
                if try openContainer(closedBy: UInt8(ascii: "}")) {
                    value = .object(JSONObject())
                } else {
                    kinds.append(true)
                    starts.append(members.count)
                    keys.append(try parseKey())
                    continue nextValue
                }
            case UInt8(ascii: "["):
                if try openContainer(closedBy: UInt8(ascii: "]")) {
                    value = .array([])
                } else {
                    kinds.append(false)
                    starts.append(elements.count)
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            default:
                throw unexpected(expecting: "a value")
            }

            // Attach the finished value to the open containers, closing as many as end here.
            while let isObject = kinds.last {
                if isObject {
                    members.append((keys.removeLast(), value))
                    if try continuesContainer(isObject: true) {
                        keys.append(try parseKey())
                        continue nextValue
                    }
                    kinds.removeLast()
                    value = .object(closeObject())
                } else {
                    elements.append(value)
                    if try continuesContainer(isObject: false) { continue nextValue }
                    kinds.removeLast()
                    value = .array(closeArray())
                }
            }
            break
        }
        try expectEndOfText()
        return value
    }

    /// After a value inside an open container: consumes `,` and returns true when another member
    /// or element follows, or consumes the closing bracket and returns false. The tree's and the
    /// tape's loops both read their separators here, so the grammar and its messages exist once.
    private mutating func continuesContainer(isObject: Bool) throws(Failure) -> Bool {
        skipWhitespace()
        let separator = index < bytes.count ? bytes[index] : 0
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if separator == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == close {
                throw Failure(message: isObject ? "trailing comma before `}`" : "trailing comma before `]`", offset: index - 1)
            }
            return true
        }
        guard separator == close else {
            throw unexpected(expecting: isObject ? "`,` or `}` after an object member" : "`,` or `]` after an array element")
        }
        index += 1
        return false
    }

    /// At `{` or `[`: checks the depth, consumes the bracket and, when the container is empty,
    /// its closing bracket too (then true).
    private mutating func openContainer(closedBy close: UInt8) throws(Failure) -> Bool {
        try open()
        index += 1
        skipWhitespace()
        guard index < bytes.count, bytes[index] == close else { return false }
        index += 1
        return true
    }

    /// Where a value must begin: the first byte after whitespace (not consumed).
    private mutating func valueStart() throws(Failure) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else {
            throw Failure(message: kinds.isEmpty ? "the JSON text is empty" : "unexpected end of input; expected a value", offset: index)
        }
        return bytes[index]
    }

    /// Skips a UTF-8 byte order mark at the start of the text.
    private mutating func skipByteOrderMark() {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
    }

    /// After the top-level value: only whitespace may follow.
    private mutating func expectEndOfText() throws(Failure) {
        skipWhitespace()
        guard index == bytes.count else {
            throw Failure(message: "unexpected text after the JSON value", offset: index)
        }
    }

    /// The innermost open object's members as one object, taken off the member stacks. Assigned
    /// one by one, so a repeated key keeps its first position and takes the last value.
    private mutating func closeObject() -> JSONObject {
        let start = starts.removeLast()
        let count = members.count - start
        var keys = ContiguousArray<String>()
        var values = ContiguousArray<JSONValue>()
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        for i in start..<members.count {
            // Moved out (a placeholder left behind), not copied: no reference counting per member.
            var member: (key: String, value: JSONValue) = ("", .null)
            swap(&member, &members[i])
            keys.append(member.key)
            values.append(member.value)
        }
        members.removeLast(count)
        return Self.object(keys: keys, values: values)
    }

    /// An object of `keys[i]: values[i]`, with the repeated-name rule applied. Shared by the tree
    /// parser and `JSONTape`'s materialisation, so both build the same objects.
    static func object(keys: ContiguousArray<String>, values: ContiguousArray<JSONValue>) -> JSONObject {
        let count = keys.count
        // A small object without a repeated name (the usual case) takes the two arrays as its
        // storage; OrderedDictionary keeps no hash table below 16 members. Others are assigned
        // member by member, which applies the repeated-name rule.
        if count < 16 && !Self.repeatsAName(keys) {
            return JSONObject(uncheckedUniqueKeys: keys, values: values)
        }
        var object = JSONObject(minimumCapacity: count)
        for i in 0..<count {
            object[keys[i]] = values[i]
        }
        return object
    }

    /// Whether two of `keys` are equal (as Swift strings, as OrderedDictionary compares them).
    private static func repeatsAName(_ keys: ContiguousArray<String>) -> Bool {
        var i = 1
        while i < keys.count {
            for j in 0..<i where keys[i] == keys[j] { return true }
            i += 1
        }
        return false
    }

    /// The innermost open array's elements as one array, taken off the element stack.
    private mutating func closeArray() -> [JSONValue] {
        let start = starts.removeLast()
        let count = elements.count - start
        var array: [JSONValue] = []
        array.reserveCapacity(count)
        for i in start..<elements.count {
            var element = JSONValue.null
            swap(&element, &elements[i])
            array.append(element)
        }
        elements.removeLast(count)
        return array
    }

    /// Checks that one more container fits within `maxDepth` (open, non-empty containers are
    /// the entries of `kinds`).
    private func open() throws(Failure) {
        guard kinds.count < maxDepth else {
            throw Failure(message: "containers are nested deeper than \(maxDepth) levels", offset: index)
        }
    }

    /// Reads `"key"` and the `:` after it.
    private mutating func parseKey() throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw unexpected(expecting: "a member name in double quotes")
        }
        let key = try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw unexpected(expecting: "`:` after a member name")
        }
        index += 1
        return key
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func unexpected(expecting what: String) -> Failure {
        guard index < bytes.count else {
            return Failure(message: "unexpected end of input; expected \(what)", offset: index)
        }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "/"):
            return Failure(message: "comments are not allowed in JSON", offset: index)
        case UInt8(ascii: "'"):
            return Failure(message: "strings must use double quotes", offset: index)
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            return Failure(message: "NaN and Infinity are not JSON numbers", offset: index)
        case UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: ":"):
            return Failure(message: "unexpected `\(Character(Unicode.Scalar(byte)))`; expected \(what)", offset: index)
        case 0x21...0x7E:
            return Failure(message: "unexpected character `\(Character(Unicode.Scalar(byte)))`; expected \(what)", offset: index)
        default:
            return Failure(message: "unexpected byte 0x\(hex(byte)); expected \(what)", offset: index)
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16, uppercase: true)
        return byte < 16 ? "0" + text : text
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard index + count <= bytes.count else {
            throw Failure(message: "invalid literal; expected `\(literal)`", offset: index)
        }
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw Failure(message: "invalid literal; expected `\(literal)`", offset: index)
        }
        index += count
    }

    // MARK: - Strings

    /// Reads a string starting at its opening quote. The common case (no escapes) validates and
    /// copies the bytes in one step.
    private mutating func parseString() throws(Failure) -> String {
        let start = index + 1
        if try scanPlainString() != nil {
            // Validated (or pure ASCII): decoding cannot repair anything here.
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
        }
        return try parseEscapedString(from: start, prefixEnd: index)
    }

    /// Reads a string starting at its opening quote as far as its escape-free prefix goes. When
    /// the string has no escape (and no control byte), validates it, moves past the closing quote
    /// and returns the OR of its bytes (bit 7 set: not all ASCII); otherwise leaves `index` at the
    /// first escape or control byte (or the end) and returns nil. Nothing is allocated: the tape
    /// records the range, the tree decodes it.
    private mutating func scanPlainString() throws(Failure) -> UInt8? {
        let start = index + 1
        var position = start
        var highBits: UInt8 = 0
        // Eight bytes at a time (SWAR). The word test flags quotes, backslashes and control bytes
        // exactly from the lowest flagged byte up (a borrow only runs upward, past a true hit), so
        // its lowest flag is where the run ends: most strings, names especially, are decided
        // within their first word or two without a byte loop. Only the last 7 bytes of the text
        // are left to the byte loop below.
        if let base = bytes.baseAddress {
            var wide: UInt64 = 0
            while position + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let flags = Self.runEnds(UInt64(littleEndian: word))
                if flags != 0 {
                    let offset = flags.trailingZeroBitCount >> 3
                    // The bytes before the end still count for the ASCII test.
                    wide |= UInt64(littleEndian: word) & ((1 &<< (UInt64(offset) &* 8)) &- 1)
                    position += offset
                    break
                }
                wide |= word
                position += 8
            }
            if wide & 0x8080_8080_8080_8080 != 0 { highBits = 0x80 }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if highBits & 0x80 != 0, let failure = invalidUTF8(in: start..<position) {
                    throw failure
                }
                index = position + 1
                return highBits
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highBits |= byte
            position += 1
        }
        index = position
        return nil
    }

    /// The high bit of each byte of `word` (little-endian: byte 0 lowest) that is `"`, `\\` or
    /// below 0x20, by the classic "has a zero byte" test. Bytes above the lowest flagged one may
    /// be flagged falsely (a borrow runs upward), so only the lowest flag is to be trusted.
    @inline(__always)
    static func runEnds(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    private mutating func parseEscapedString(from start: Int, prefixEnd: Int) throws(Failure) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(prefixEnd - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<prefixEnd]))
        try scanEscapedString(from: start, prefixEnd: prefixEnd, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Reads the rest of a string whose content starts at `start`, from `prefixEnd` (the first
    /// escape, control byte or end), appending the decoded bytes after the prefix to `buffer`
    /// and moving past the closing quote. The tree passes an array; the tape, which only
    /// validates, a sink that keeps nothing, so both check a string with the same code.
    private mutating func scanEscapedString<Sink: DecodedBytes>(
        from start: Int, prefixEnd: Int, into buffer: inout Sink
    ) throws(Failure) {
        var position = prefixEnd
        // Where each raw (unescaped) run began in the input, to report bad UTF-8 exactly.
        var rawRunStart = start
        while true {
            guard position < bytes.count else {
                throw Failure(message: "unterminated string; add the closing `\"`", offset: start - 1)
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                try checkUTF8(rawRunStart..<position)
                index = position + 1
                return
            case UInt8(ascii: "\\"):
                try checkUTF8(rawRunStart..<position)
                let escapeStart = position
                guard position + 1 < bytes.count else {
                    throw Failure(message: "unterminated string; add the closing `\"`", offset: start - 1)
                }
                let escaped = bytes[position + 1]
                position += 2
                switch escaped {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(at: position, escapeStart: escapeStart)
                    position += 4
                    if (0xDC00...0xDFFF).contains(scalar) {
                        throw Failure(message: "lone low surrogate \\u\(hex16(scalar)) in string", offset: escapeStart)
                    }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else {
                            throw Failure(
                                message: "lone high surrogate \\u\(hex16(scalar)); it must be followed by a \\uDC00–\\uDFFF escape",
                                offset: escapeStart)
                        }
                        let low = try hex4(at: position + 2, escapeStart: position)
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw Failure(
                                message: "lone high surrogate \\u\(hex16(scalar)); it must be followed by a \\uDC00–\\uDFFF escape",
                                offset: escapeStart)
                        }
                        position += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    appendUTF8(scalar, to: &buffer)
                default:
                    throw Failure(
                        message: "invalid escape `\\\(printable(escaped))`; JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                        offset: escapeStart)
                }
                rawRunStart = position
            case 0x00..<0x20:
                throw Failure(
                    message: "control character U+00\(hex(byte)) in string must be escaped", offset: position)
            default:
                buffer.append(byte)
                position += 1
            }
        }
    }

    private func printable(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "0x" + hex(byte)
    }

    private func hex16(_ value: UInt32) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    private func hex4(at position: Int, escapeStart: Int) throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else {
            throw Failure(message: "`\\u` must be followed by four hex digits", offset: escapeStart)
        }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure(message: "`\\u` must be followed by four hex digits", offset: escapeStart)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func appendUTF8<Sink: DecodedBytes>(_ scalar: UInt32, to buffer: inout Sink) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private func checkUTF8(_ range: Range<Int>) throws(Failure) {
        if let failure = invalidUTF8(in: range) { throw failure }
    }

    /// The first ill-formed UTF-8 sequence in `range` (Unicode Table 3-7), or nil when the range is
    /// well-formed. Hand-written because the generic `String(validating:)` spends most of its
    /// time in runtime metadata lookups.
    private func invalidUTF8(in range: Range<Int>) -> Failure? {
        var position = range.lowerBound
        while position < range.upperBound {
            let lead = bytes[position]
            let length: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0x00..<0x80: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: return Failure(message: "invalid UTF-8 byte 0x\(hex(lead)) in string", offset: position)
            }
            for offset in 1..<max(length, 1) {
                let at = position + offset
                guard at < range.upperBound else {
                    return Failure(message: "truncated UTF-8 sequence in string", offset: position)
                }
                let byte = bytes[at]
                let low = offset == 1 ? lowest : 0x80
                let high = offset == 1 ? highest : 0xBF
                guard byte >= low && byte <= high else {
                    return Failure(message: "invalid UTF-8 sequence in string", offset: position)
                }
            }
            position += length
        }
        return nil
    }

    // MARK: - Numbers

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        var position = index
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw Failure(message: "`-` must be followed by a digit", offset: start)
        }
        // Accumulate the integer digits as a negative number so Int.min fits; in parallel keep
        // up to 19 significant digits for the floating-point fast path.
        var accumulator = 0
        var overflow = false
        var mantissa: UInt64 = 0
        var mantissaDigits = 0
        var truncated = false
        var fractionDigits = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw Failure(message: "leading zeros are not allowed in JSON numbers", offset: start)
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                let digit = Int(bytes[position] &- UInt8(ascii: "0"))
                if !overflow {
                    let (times, o1) = accumulator.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times.subtractingReportingOverflow(digit)
                    if o1 || o2 { overflow = true } else { accumulator = next }
                }
                if mantissaDigits < 19 {
                    mantissa = mantissa * 10 + UInt64(digit)
                    mantissaDigits += 1
                } else {
                    truncated = true
                }
                position += 1
            }
        }
        var integral = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw Failure(message: "a digit must follow the decimal point", offset: position)
            }
            while position < bytes.count, isDigit(bytes[position]) {
                if !truncated {
                    if mantissaDigits < 19 {
                        mantissa = mantissa * 10 + UInt64(bytes[position] &- UInt8(ascii: "0"))
                        if mantissa != 0 { mantissaDigits += 1 }
                        fractionDigits += 1
                    } else {
                        truncated = true
                    }
                }
                position += 1
            }
        }
        var exponent = 0
        var exponentOverflow = false
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            integral = false
            position += 1
            var exponentNegative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw Failure(message: "a digit must follow the exponent marker", offset: position)
            }
            while position < bytes.count, isDigit(bytes[position]) {
                if exponent < 100_000 {
                    exponent = exponent * 10 + Int(bytes[position] &- UInt8(ascii: "0"))
                } else {
                    exponentOverflow = true
                }
                position += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        index = position
        if integral && !overflow {
            if accumulator == 0 && negative { return .double(-0.0) }
            if negative { return .int(accumulator) }
            if accumulator != Int.min { return .int(-accumulator) }
        }
        // Clinger's fast path: both the significand and the power of ten are exact doubles, so
        // one IEEE multiplication or division rounds correctly.
        let scale = exponent - fractionDigits
        if !exponentOverflow, !truncated, mantissa < (1 << 53), abs(scale) <= 22 {
            var value = Double(mantissa)
            value = scale < 0 ? value / Self.exactPowersOfTen[-scale] : value * Self.exactPowersOfTen[scale]
            return .double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else {
            throw Failure(message: "number out of range", offset: start)
        }
        return .double(value)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}

// MARK: - The tape

extension JSONTextParser {
    /// Parses the whole text into tape tokens: the same grammar, limits and errors as
    /// `parseDocument`, with containers, strings and numbers recorded instead of built.
    ///
    /// The tokens are written straight into the array's storage (decision JP1). The first
    /// allocation holds a typical API body (about one token per 12 bytes); when a text needs
    /// more, the parse stops at the next value, the tokens move to an array twice the size and
    /// the parse resumes where it stopped, so the array is never copied token by token.
    mutating func parseTapeDocument() -> Result<ContiguousArray<JSONTape.Token>, JSONParseError> {
        skipByteOrderMark()
        var state = TapeState()
        var capacity = bytes.count / 8 + 8
        var tokens = ContiguousArray<JSONTape.Token>()
        // One name filter per open object up to `filteredDepth`, on the stack, kept across a resume.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.filteredDepth + 1) { filters in
            while true {
                var failure: Failure?
                var done = false
                let previous = tokens
                tokens = ContiguousArray(unsafeUninitializedCapacity: capacity) { buffer, count in
                    guard let storage = buffer.baseAddress else { return }
                    previous.withUnsafeBufferPointer { old in
                        if let source = old.baseAddress { storage.initialize(from: source, count: old.count) }
                    }
                    state.count = previous.count
                    do throws(Failure) {
                        done = try fillTape(storage, capacity: buffer.count, state: &state, filters: filters)
                    } catch {
                        failure = error
                    }
                    count = state.count
                }
                if let failure { return .failure(locate(failure)) }
                if done { return .success(tokens) }
                capacity = max(capacity * 2, tokens.count + 8)
            }
        }
    }

    /// Objects nested at most this deep have their names checked for repeats as they arrive;
    /// deeper ones when they close.
    static var filteredDepth: Int { 32 }

    /// Where a stopped tape parse resumes: tokens written, the innermost open container's token
    /// (-1 when none) and how many containers are open.
    struct TapeState {
        var count = 0
        var open = -1
        var depth = 0
        /// Whether a member name comes next.
        var named = false
    }

    /// The tape's loop over values, writing tokens at `tokens[state.count...]`. Returns true at
    /// the end of the text, false when fewer than two token slots are left before a value (the
    /// value, and the name of the member after it): then `index` and `state` are where to resume.
    ///
    /// Everything a value needs is read through one base pointer with the position in a local:
    /// no `Array` append (uniqueness and capacity checks), no stack arrays, no `self.index`
    /// round trip per byte. An open container's token keeps its parent's index in `a` (its end
    /// is known only when it closes), so the container stack lives in the tape itself. Errors
    /// leave through the tree parser's own helpers, with `index` set first, so messages and
    /// offsets are the tree parser's.
    private mutating func fillTape(
        _ tokens: UnsafeMutablePointer<JSONTape.Token>, capacity: Int, state: inout TapeState,
        filters: UnsafeMutableBufferPointer<UInt64>
    ) throws(Failure) -> Bool {
        let end = bytes.count
        guard let base = bytes.baseAddress else {
            throw Failure(message: "the JSON text is empty", offset: index)
        }
        var i = index
        var n = state.count
        var open = state.open
        var depth = state.depth
        // A member name comes before the value: read at the top of the loop, so the name's
        // code (the string scan and the repeat check) is inlined once.
        var named = state.named
        defer {
            index = i
            state.count = n
            state.open = open
            state.depth = depth
            state.named = named
        }

        nextValue: while true {
            if n + 2 > capacity { return false }
            if named {
                // The member name (an opening quote is required here) and the `:` after it.
                named = false
                guard i < end, base[i] == UInt8(ascii: "\"") else {
                    index = i
                    throw unexpected(expecting: "a member name in double quotes")
                }
                let name = try string(&i)
                tokens[n] = name
                n &+= 1
                if depth <= Self.filteredDepth {
                    Self.checkName(name, at: n &- 1, tokens, base, open: open, filter: &filters[depth])
                }
                Self.skipSpace(base, end, &i)
                guard i < end, base[i] == UInt8(ascii: ":") else {
                    index = i
                    throw unexpected(expecting: "`:` after a member name")
                }
                i &+= 1
            }
            Self.skipSpace(base, end, &i)
            guard i < end else {
                throw Failure(message: open < 0 ? "the JSON text is empty" : "unexpected end of input; expected a value", offset: i)
            }
            let byte = base[i]
            switch byte {
            case UInt8(ascii: "\""):
                tokens[n] = try string(&i)
                n += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < maxDepth else {
                    throw Failure(message: "containers are nested deeper than \(maxDepth) levels", offset: i)
                }
                let isObject = byte == UInt8(ascii: "{")
                let kind: JSONTape.Token.Kind = isObject ? .object : .array
                i += 1
                Self.skipSpace(base, end, &i)
                if i < end, base[i] == byte &+ 2 {  // `}` is `{` + 2, `]` is `[` + 2
                    i += 1
                    tokens[n] = JSONTape.Token(kind: kind, a: n + 1, b: 0)
                    n += 1
                } else {
                    tokens[n] = JSONTape.Token(kind: kind, a: open, b: 0)
                    open = n
                    n += 1
                    depth += 1
                    if isObject {
                        if depth <= Self.filteredDepth { filters[depth] = 0 }
                        named = true
                    }
                    continue nextValue
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                index = i
                let number = try parseNumber()
                i = index
                switch number {
                case .int(let value):
                    tokens[n] = JSONTape.Token(kind: .int, a: 0, b: value)
                    n += 1
                case .double(let value):
                    tokens[n] = JSONTape.Token(kind: .double, a: 0, b: Int(bitPattern: UInt(value.bitPattern)))
                    n += 1
                default: break  // `parseNumber` gives only these two
                }
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                index = i
                let kind: JSONTape.Token.Kind
                switch byte {
                case UInt8(ascii: "t"): try expectLiteral("true"); kind = .true
                case UInt8(ascii: "f"): try expectLiteral("false"); kind = .false
                default: try expectLiteral("null"); kind = .null
                }
                i = index
                tokens[n] = JSONTape.Token(kind: kind, a: 0, b: 0)
                n += 1
            default:
                index = i
                throw unexpected(expecting: "a value")
            }

            // Count the finished value in the open containers, closing as many as end here.
            while open >= 0 {
                // An open object is `.object`, or `.repeatingObject` once a name has repeated.
                let isObject = tokens[open].kind != .array
                tokens[open].b += 1
                Self.skipSpace(base, end, &i)
                let separator = i < end ? base[i] : 0
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if separator == UInt8(ascii: ",") {
                    i += 1
                    Self.skipSpace(base, end, &i)
                    if i < end, base[i] == close {
                        throw Failure(message: isObject ? "trailing comma before `}`" : "trailing comma before `]`", offset: i - 1)
                    }
                    named = isObject
                    continue nextValue
                }
                guard separator == close else {
                    index = i
                    throw unexpected(expecting: isObject ? "`,` or `}` after an object member" : "`,` or `]` after an array element")
                }
                i += 1
                let container = open
                open = tokens[container].a
                tokens[container].a = n
                if isObject && tokens[container].kind == .object
                    && (depth > Self.filteredDepth || tokens[container].b > 16 || filters[depth] &>> 63 != 0)
                    && Self.repeatsAName(bytes, UnsafeBufferPointer(start: tokens, count: n), object: container)
                {
                    tokens[container].kind = .repeatingObject
                }
                depth -= 1
            }
            break
        }
        Self.skipSpace(base, end, &i)
        guard i == end else {
            throw Failure(message: "unexpected text after the JSON value", offset: i)
        }
        return true
    }

    /// Whether `byte` is one of the four JSON whitespace bytes (bits of a word indexed by byte;
    /// all four are ≤ 0x20).
    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte <= 0x20 && (UInt64(1) &<< UInt64(byte)) & 0x1_0000_2600 != 0
    }

    /// Moves `i` past whitespace.
    @inline(__always)
    private static func skipSpace(_ base: UnsafePointer<UInt8>, _ end: Int, _ i: inout Int) {
        while i < end, isSpace(base[i]) { i &+= 1 }
    }

    /// Whether the name token `name` at `nameIndex` repeats an earlier name of the innermost
    /// open object `open`, asked as it arrives (decision JP1): each of the object's first 16 raw
    /// ASCII names sets one of 63 bits of the object's `filter` by its signature (length, first,
    /// middle and last byte, as JF2), and only a name whose bit is already set is compared with
    /// the earlier names, so an object without a repeat (the usual case) is never walked. An
    /// escaped or non-ASCII name sets the top bit: such an object, and one with more names, is
    /// checked when it closes.
    @inline(__always)
    private static func checkName(
        _ name: JSONTape.Token, at nameIndex: Int, _ tokens: UnsafeMutablePointer<JSONTape.Token>,
        _ base: UnsafePointer<UInt8>, open: Int, filter: inout UInt64
    ) {
        guard name.kind == .asciiString else {
            filter |= 1 &<< 63
            return
        }
        guard tokens[open].b < 16 else { return }
        let length = name.b &- name.a
        var signature: UInt64 = 0
        if length > 0 {
            signature = UInt64(truncatingIfNeeded: length) | UInt64(base[name.a]) &<< 32
                | UInt64(base[name.a &+ length &>> 1]) &<< 40 | UInt64(base[name.b &- 1]) &<< 48
        }
        // The hash's top 32 bits scaled to 0..<63 (bit 63 is the flag above).
        let bit: UInt64 = 1 &<< ((((signature &* 0x9E37_79B9_7F4A_7C15) &>> 32) &* 63) &>> 32)
        if filter & bit != 0 && tokens[open].kind == .object {
            var earlier = open &+ 1
            while earlier < nameIndex {
                let other = tokens[earlier]
                if other.kind == .asciiString, other.b &- other.a == length,
                    UnsafeBufferPointer(start: base + other.a, count: length)
                        .bytes(at: 0, equal: UnsafeBufferPointer(start: base + name.a, count: length))
                {
                    tokens[open].kind = .repeatingObject
                    break
                }
                let value = earlier &+ 1
                earlier = tokens[value].end(at: value)
            }
        }
        filter |= bit
    }

    /// The string token at the opening quote `position`, which moves past the closing quote: its
    /// content's byte range (`a..<b`), and whether it must be decoded (escapes) or is raw UTF-8
    /// (and then whether it is all ASCII). One pass over a raw string: the word scan finds its
    /// end and ORs its bytes, and only a string with a high bit set is validated as UTF-8.
    @inline(__always)
    private mutating func string(_ position: inout Int) throws(Failure) -> JSONTape.Token {
        let start = position + 1
        var p = start
        let end = bytes.count
        // `bytes` is not empty here (there is a quote at `position`).
        let base = bytes.baseAddress.unsafelyUnwrapped
        var wide: UInt64 = 0
        #if _endian(little)
        // Sixteen bytes at a time: the word test of `runEnds` on both halves of an SSE register
        // (each half's borrows stay in its half, so each half's lowest flag is exact). Most names
        // and values end within their first block or two, and the end is read from the flags
        // without a second pass (decision JP1).
        let ones = SIMD2<UInt64>(repeating: 0x0101_0101_0101_0101)
        let quotes = ones &* 0x22
        let backslashes = ones &* 0x5C
        let controls = ones &* 0x20
        var blocks = SIMD2<UInt64>(repeating: 0)
        while p + 16 <= end {
            let block = UnsafeRawPointer(base + p).loadUnaligned(as: SIMD2<UInt64>.self)
            let quote = block ^ quotes
            let backslash = block ^ backslashes
            let flags = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((block &- controls) & ~block))
                & SIMD2(repeating: 0x8080_8080_8080_8080)
            let low = flags[0]
            if low | flags[1] != 0 {
                // The bytes before the end still count for the ASCII test.
                wide = blocks[0] | blocks[1]
                if low != 0 {
                    let offset = low.trailingZeroBitCount &>> 3
                    wide |= block[0] & ((1 &<< (UInt64(offset) &* 8)) &- 1)
                    p += offset
                } else {
                    let offset = flags[1].trailingZeroBitCount &>> 3
                    wide |= block[0] | block[1] & ((1 &<< (UInt64(offset) &* 8)) &- 1)
                    p += 8 + offset
                }
                return try stringEnd(start: start, at: p, wide: wide, &position)
            }
            blocks |= block
            p += 16
        }
        wide = blocks[0] | blocks[1]
        #endif
        // Eight bytes at a time to the lowest byte the word test flags (decision JF1).
        while p + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            let flags = Self.runEnds(word)
            if flags != 0 {
                let offset = flags.trailingZeroBitCount &>> 3
                wide |= word & ((1 &<< (UInt64(offset) &* 8)) &- 1)
                p += offset
                return try stringEnd(start: start, at: p, wide: wide, &position)
            }
            wide |= word
            p += 8
        }
        while p < end {
            let byte = base[p]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            wide |= UInt64(byte)
            p += 1
        }
        return try stringEnd(start: start, at: p, wide: wide, &position)
    }

    /// `string` at the first quote, backslash or control byte `p` (or the end of the text).
    @inline(__always)
    private mutating func stringEnd(start: Int, at p: Int, wide: UInt64, _ position: inout Int) throws(Failure) -> JSONTape.Token {
        if p < bytes.count, bytes[p] == UInt8(ascii: "\"") {
            position = p + 1
            if wide & 0x8080_8080_8080_8080 == 0 {
                return JSONTape.Token(kind: .asciiString, a: start, b: p)
            }
            if let failure = invalidUTF8(in: start..<p) { throw failure }
            return JSONTape.Token(kind: .string, a: start, b: p)
        }
        // Escapes (or an error): validated without building the string; the tape keeps only the
        // range and decodes on demand.
        var sink = DiscardingSink()
        try scanEscapedString(from: start, prefixEnd: p, into: &sink)
        position = index
        return JSONTape.Token(kind: .escapedString, a: start, b: index - 1)
    }

    /// Whether two names of the (closed) object at token `object` are equal as Swift strings, as
    /// `repeatsAName` asks of the tree's keys: then the tape's members are not the tree's, and
    /// readers that count or walk members read the materialised object instead.
    private static func repeatsAName(
        _ bytes: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<JSONTape.Token>, object: Int
    ) -> Bool {
        let count = tokens[object].b
        if count < 2 { return false }
        @inline(__always) func past(_ value: Int) -> Int { tokens[value].end(at: value) }
        // The usual object has only raw ASCII names: each gets a one-word signature (length,
        // first, middle and last byte), and only names with equal signatures are compared byte
        // by byte (decision JF2).
        if count <= 16 {
            // One bit per signature (its hash's top seven bits, in two words): a name whose bit is
            // new cannot repeat an earlier one. Only a name whose bit is taken walks the earlier
            // names again, so a small object needs no buffer of signatures (decision JP1).
            var filter: (UInt64, UInt64) = (0, 0)
            var name = object + 1
            for _ in 0..<count {
                let token = tokens[name]
                guard token.kind == .asciiString else {
                    return repeatsANameSlowly(bytes, tokens, object: object)
                }
                let signature = Self.signature(bytes, token.a..<token.b)
                let hash = signature &* 0x9E37_79B9_7F4A_7C15
                let bit: UInt64 = 1 &<< (hash >> 58)
                let taken = hash >> 63 == 0 ? filter.0 & bit : filter.1 & bit
                if taken != 0 {
                    // Two equal ASCII names repeat whatever the other names are.
                    var earlier = object + 1
                    while earlier < name {
                        let other = tokens[earlier]
                        if other.kind == .asciiString, Self.signature(bytes, other.a..<other.b) == signature,
                            sameName(bytes, token, other)
                        {
                            return true
                        }
                        earlier = past(earlier + 1)
                    }
                }
                if hash >> 63 == 0 { filter.0 |= bit } else { filter.1 |= bit }
                name = past(name + 1)
            }
            return false
        }
        // A large object: the signatures sorted, so it costs n log n, not n² name comparisons.
        return withUnsafeTemporaryAllocation(of: (signature: UInt64, token: Int).self, capacity: count) { buffer in
            // The buffer's elements are mutable through a `var` copy of the pointer.
            var names = buffer
            var name = object + 1
            for i in 0..<count {
                let token = tokens[name]
                guard token.kind == .asciiString else {
                    return repeatsANameSlowly(bytes, tokens, object: object)
                }
                names[i] = (Self.signature(bytes, token.a..<token.b), name)
                name = past(name + 1)
            }
            names.sort { $0.signature < $1.signature }
            var runStart = 0
            for i in 1..<count {
                if names[i].signature != names[runStart].signature {
                    runStart = i
                    continue
                }
                for j in runStart..<i where sameName(bytes, tokens[names[i].token], tokens[names[j].token]) {
                    return true
                }
            }
            return false
        }
    }

    /// A raw ASCII name's signature: equal names have equal signatures.
    @inline(__always)
    private static func signature(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        let length = range.count
        guard length > 0 else { return 0 }
        return UInt64(truncatingIfNeeded: length) | UInt64(bytes[range.lowerBound]) << 32
            | UInt64(bytes[range.lowerBound + length / 2]) << 40 | UInt64(bytes[range.upperBound - 1]) << 48
    }

    /// Every pair of names compared as Swift strings: for objects with escaped or non-ASCII names.
    private static func repeatsANameSlowly(
        _ bytes: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<JSONTape.Token>, object: Int
    ) -> Bool {
        func past(_ value: Int) -> Int { tokens[value].end(at: value) }
        var name = object + 1
        for _ in 0..<tokens[object].b {
            var earlier = object + 1
            while earlier < name {
                if sameName(bytes, tokens[earlier], tokens[name]) { return true }
                earlier = past(earlier + 1)
            }
            name = past(name + 1)
        }
        return false
    }

    private static func sameName(_ bytes: UnsafeBufferPointer<UInt8>, _ x: JSONTape.Token, _ y: JSONTape.Token) -> Bool {
        if x.kind == .asciiString && y.kind == .asciiString {
            let count = x.b - x.a
            guard count == y.b - y.a else { return false }
            return bytes.bytes(at: x.a, equal: UnsafeBufferPointer(rebasing: bytes[y.a..<y.b]))
        }
        // Otherwise canonical equivalence decides (U+212A KELVIN SIGN equals `K`).
        return decodeString(bytes, contentStart: x.a) == decodeString(bytes, contentStart: y.a)
    }

    /// The string whose content starts at `start` in `bytes`, already validated by the tape:
    /// decoded by the tree parser's own code.
    static func decodeString(_ bytes: UnsafeBufferPointer<UInt8>, contentStart start: Int) -> String {
        var parser = JSONTextParser(bytes, maxDepth: 0, reserving: false)
        parser.index = start - 1
        return (try? parser.parseString()) ?? ""
    }
}
