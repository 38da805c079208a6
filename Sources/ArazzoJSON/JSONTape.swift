/// A flat index of one JSON text: every value as one token in a single array, with no allocation
/// per node (decision TP1).
///
/// Built in one pass by the tree parser's own code (`JSONValue(parsing:)`), so it accepts exactly
/// the texts the tree parser accepts and fails with the same `JSONParseError`. Numbers are decoded
/// while indexing (they cost no allocation); strings are kept as byte ranges and decoded on demand
/// by the parser's string code. `Node.value` materialises any node to the `JSONValue` the tree
/// parser gives for it: the same integers and doubles, escapes and repeated-name rule.
///
/// Tokens are in document order: a container's token is followed by its contents (an object's
/// as name, value, name, value, …), and records the index just past them and its member or
/// element count, so skipping a subtree is one read.
public final class JSONTape: Sendable {
    /// The JSON text.
    public let bytes: [UInt8]
    let tokens: ContiguousArray<Token>

    /// One value (or member name) of the text.
    struct Token: Sendable {
        enum Kind: UInt8, Sendable {
            case null, `true`, `false`, int, double
            /// A string without escapes, all ASCII: `a..<b` is its content.
            case asciiString
            /// A string without escapes, with non-ASCII UTF-8 (validated): `a..<b`.
            case string
            /// A string with escapes: `a..<b` is its content, decoded on demand.
            case escapedString
            /// `a` is the token index past the container, `b` its member or element count.
            case object, array
            /// An object two of whose names are equal: `b` counts its members as written, before
            /// the repeated-name rule.
            case repeatingObject
        }
        var kind: Kind
        var a: Int
        /// The count, the string's end, the `Int` or the `Double`'s bit pattern.
        var b: Int

        /// The JSON type of the node this token starts.
        @inline(__always)
        var nodeKind: JSONTape.Kind {
            switch kind {
            case .null: return .null
            case .true, .false: return .bool
            case .int: return .int
            case .double: return .double
            case .asciiString, .string, .escapedString: return .string
            case .array: return .array
            case .object, .repeatingObject: return .object
            }
        }

        /// Members or elements as written; 0 for other values.
        @inline(__always)
        var containerCount: Int {
            switch kind {
            case .object, .repeatingObject, .array: return b
            default: return 0
            }
        }

        /// The number this token holds, as the tree holds it; nil for other tokens.
        @inline(__always)
        var numberValue: NumberValue? {
            switch kind {
            case .int: return .int(b)
            case .double: return .double(Double(bitPattern: UInt64(UInt(bitPattern: b))))
            default: return nil
            }
        }

        /// Whether this token is a string (raw ASCII, raw UTF-8 or escaped).
        @inline(__always)
        var isString: Bool {
            switch kind {
            case .asciiString, .string, .escapedString: return true
            default: return false
            }
        }

        /// The token index just past the node this token starts, it being at `index`.
        @inline(__always)
        func end(at index: Int) -> Int {
            switch kind {
            case .object, .repeatingObject, .array: return a
            default: return index + 1
            }
        }
    }

    /// Indexes RFC 8259 JSON text; the grammar, limits and errors of `JSONValue(parsing:maxDepth:)`.
    public init(parsing bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) {
        let result = bytes.withUnsafeBufferPointer { buffer in
            // The tape keeps its open containers in its own tokens: no stacks to reserve.
            var parser = JSONTextParser(buffer, maxDepth: maxDepth, reserving: false)
            return parser.parseTapeDocument()
        }
        self.tokens = try result.get()
        self.bytes = bytes
    }

    /// The top-level value.
    public var root: Node { Node(tape: self, index: 0) }

    /// A node's JSON type, as the tree's cases name them.
    public enum Kind: Sendable, Hashable {
        /// `null`.
        case null
        /// `true` or `false`.
        case bool
        /// A number the tree holds as `.int`.
        case int
        /// A number the tree holds as `.double`.
        case double
        /// A string.
        case string
        /// An array.
        case array
        /// An object.
        case object
    }

    /// One value in a tape: a position, cheap to copy; read it without building a tree.
    public struct Node: Sendable {
        /// The tape the node is in.
        public let tape: JSONTape
        /// The node's token.
        let index: Int

        @inline(__always)
        var token: Token { tape.tokens[index] }

        /// The node's JSON type.
        public var kind: Kind { token.nodeKind }

        /// Whether two of an object's names are equal: its `members` then repeat names, and
        /// `count` counts the repeats.
        public var repeatsNames: Bool { token.kind == .repeatingObject }

        /// The token index just past this node and everything in it.
        @inline(__always)
        var end: Int { token.end(at: index) }

        /// Members of an object (as written, repeats included) or elements of an array; 0 for
        /// other values.
        public var count: Int { token.containerCount }

        /// The boolean, for `true` and `false`.
        public var boolValue: Bool? {
            switch token.kind {
            case .true: return true
            case .false: return false
            default: return nil
            }
        }

        /// The number, as the tree holds it (`.int` or `.double`); nil for other values.
        public var numberValue: NumberValue? { token.numberValue }

        /// The decoded string, for a string node.
        public var stringValue: String? {
            let token = token
            return token.isString ? tape.string(token) : nil
        }

        /// The node as the `JSONValue` the tree parser builds for it.
        public var value: JSONValue { tape.materialize(index) }

        /// The elements of an array (nothing for other values), in order.
        public var elements: Elements { Elements(tape: tape, index: index) }

        /// The members of an object (nothing for other values), in document order, repeats
        /// included: what the text says, before the repeated-name rule.
        public var members: Members { Members(tape: tape, index: index) }

        /// The value an object gives `name`: the last member whose name equals it as Swift
        /// strings compare (so as `JSONObject` does); nil for a missing name or a non-object.
        public func member(named name: String) -> Node? {
            guard kind == .object else { return nil }
            var name = name
            return name.withUTF8 { wanted in
                // A non-ASCII string can still equal an ASCII one (U+212A KELVIN SIGN is `K`), so
                // bytes decide only when both sides are ASCII.
                var ascii = true
                for byte in wanted where byte >= 0x80 {
                    ascii = false
                    break
                }
                // One borrow of each buffer for the whole walk: no array copy, retain or bounds
                // check per member (this runs once per `required` name and pointer step).
                return tape.tokens.withUnsafeBufferPointer { tokens in
                    tape.bytes.withUnsafeBufferPointer { bytes -> Node? in
                        var found: Int?
                        var current = index + 1
                        // Without a repeated name (as Swift strings compare, which the parser
                        // marks), the first match is the only one: the walk stops there.
                        let repeating = tokens[index].kind == .repeatingObject
                        for _ in 0..<tokens[index].b {
                            let key = tokens[current]
                            let matches: Bool
                            if ascii && key.kind == .asciiString {
                                matches = key.b - key.a == wanted.count && bytes.bytes(at: key.a, equal: wanted)
                            } else {
                                matches = tape.string(key) == String(decoding: wanted, as: UTF8.self)
                            }
                            let value = current + 1
                            if matches {
                                found = value
                                if !repeating { break }
                            }
                            current = tokens[value].end(at: value)
                        }
                        return found.map { Node(tape: tape, index: $0) }
                    }
                }
            }
        }

        /// Calls `body` with each member name of an object in document order, repeats included:
        /// its bytes when it is a raw ASCII name, nil otherwise (escaped or non-ASCII: decode it
        /// to compare). Stops when `body` returns false. One borrow of the tape for the whole
        /// walk, so a caller matching names against a table pays no retain per member.
        public func forEachMemberName(_ body: (UnsafeBufferPointer<UInt8>?) -> Bool) {
            withBorrowed { $0.forEachMemberName(body) }
        }

        /// Calls `body` with this node over the tape's borrowed buffers: a walk whose node, member
        /// and element copies retain nothing (decision JG1). The node must not escape `body`.
        package func withBorrowed<R>(_ body: (Borrowed) -> R) -> R {
            withExtendedLifetime(tape) {
                tape.tokens.withUnsafeBufferPointer { tokens in
                    tape.bytes.withUnsafeBufferPointer { bytes in
                        body(Borrowed(tokens: tokens, bytes: bytes, tape: .passUnretained(tape), index: index))
                    }
                }
            }
        }

        /// The element at `position`; nil when out of range or not an array.
        public func element(at position: Int) -> Node? {
            let token = token
            guard token.kind == .array, position >= 0, position < token.b else { return nil }
            var current = index + 1
            for _ in 0..<position { current = Node(tape: tape, index: current).end }
            return Node(tape: tape, index: current)
        }
    }

    /// A node read over buffers borrowed from its tape: copying it, or a member or element
    /// iterator over it, retains nothing, where each `Node` copy retains the tape (decision JG1).
    /// Made only by `Node.withBorrowed`, and valid only inside its closure, which keeps the tape
    /// alive and its buffers borrowed; the verdict pass makes a node per member and element and a
    /// name per member, and those retains and releases were a large share of a step's.
    package struct Borrowed {
        let tokens: UnsafeBufferPointer<Token>
        let bytes: UnsafeBufferPointer<UInt8>
        /// For the reads that materialise (`node`), not per member.
        let tape: Unmanaged<JSONTape>
        /// The node's token.
        let index: Int

        @inline(__always)
        var token: Token { tokens[index] }

        /// The same node, holding its tape: for the reads that are not per member.
        package var node: Node { Node(tape: tape.takeUnretainedValue(), index: index) }

        /// The node's JSON type.
        package var kind: Kind { token.nodeKind }

        /// Whether two of an object's names are equal (see `Node.repeatsNames`).
        package var repeatsNames: Bool { token.kind == .repeatingObject }

        /// Members or elements as written; 0 for other values.
        package var count: Int { token.containerCount }

        /// The number, as the tree holds it; nil for other values.
        package var numberValue: NumberValue? { token.numberValue }

        /// The decoded string, for a string node.
        package var stringValue: String? {
            let token = token
            return token.isString ? JSONTape.string(token, in: bytes) : nil
        }

        /// See `Node.forEachMemberName`.
        package func forEachMemberName(_ body: (UnsafeBufferPointer<UInt8>?) -> Bool) {
            forEachMember { ascii, _, _ in body(ascii) }
        }

        /// The members of an object (nothing for other values), in document order, repeats
        /// included.
        package var members: BorrowedMembers { BorrowedMembers(node: self) }

        /// The elements of an array (nothing for other values), in order.
        package var elements: BorrowedElements { BorrowedElements(node: self) }
    }

    /// A member name read over the tape's borrowed bytes (see `Borrowed`).
    package struct BorrowedName {
        let bytes: UnsafeBufferPointer<UInt8>
        let token: Token

        /// The decoded name.
        package var string: String { JSONTape.string(token, in: bytes) }

        /// Calls `body` with the name's bytes when it is a raw ASCII name, else returns nil.
        package func withASCII<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
            guard token.kind == .asciiString else { return nil }
            return body(UnsafeBufferPointer(rebasing: bytes[token.a..<token.b]))
        }
    }

    /// The members of a borrowed object node.
    package struct BorrowedMembers: Sequence {
        let node: Borrowed

        /// Walks name and value tokens.
        package struct Iterator: IteratorProtocol {
            let node: Borrowed
            var current: Int
            var remaining: Int

            /// The next member.
            package mutating func next() -> (BorrowedName, Borrowed)? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let name = BorrowedName(bytes: node.bytes, token: node.tokens[current])
                let value = current + 1
                current = node.tokens[value].end(at: value)
                return (name, Borrowed(tokens: node.tokens, bytes: node.bytes, tape: node.tape, index: value))
            }
        }

        /// Starts at the first member.
        package func makeIterator() -> Iterator {
            let token = node.token
            let isObject = token.kind == .object || token.kind == .repeatingObject
            return Iterator(node: node, current: node.index + 1, remaining: isObject ? token.b : 0)
        }
    }

    /// The elements of a borrowed array node.
    package struct BorrowedElements: Sequence {
        let node: Borrowed

        /// Walks element tokens.
        package struct Iterator: IteratorProtocol {
            let node: Borrowed
            var current: Int
            var remaining: Int

            /// The next element.
            package mutating func next() -> Borrowed? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let element = current
                current = node.tokens[element].end(at: element)
                return Borrowed(tokens: node.tokens, bytes: node.bytes, tape: node.tape, index: element)
            }
        }

        /// Starts at the first element.
        package func makeIterator() -> Iterator {
            let token = node.token
            return Iterator(node: node, current: node.index + 1, remaining: token.kind == .array ? token.b : 0)
        }
    }

    /// An object member's name, read in place.
    public struct Name: Sendable {
        let tape: JSONTape
        let token: Token

        /// The decoded name.
        public var string: String { tape.string(token) }

        /// Whether the name equals `other` as Swift strings compare (canonical equivalence, as
        /// `JSONObject` keys do). Two ASCII spellings are compared byte by byte.
        public func equals(_ other: String) -> Bool {
            if token.kind == .asciiString {
                var other = other
                if let answer = other.withUTF8({ utf8 -> Bool? in
                    // A non-ASCII string can still equal an ASCII one (U+212A KELVIN SIGN is `K`).
                    for byte in utf8 where byte >= 0x80 { return nil }
                    return withASCII { $0.elementsEqual(utf8) }
                }) {
                    return answer
                }
            }
            return string == other
        }

        /// Calls `body` with the name's bytes when it is a raw ASCII name, else returns nil.
        public func withASCII<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
            guard token.kind == .asciiString else { return nil }
            return tape.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[token.a..<token.b])) }
        }
    }

    /// The members of an object node.
    public struct Members: Sequence, Sendable {
        let tape: JSONTape
        let index: Int

        /// Walks name and value tokens.
        public struct Iterator: IteratorProtocol {
            let tape: JSONTape
            var current: Int
            var remaining: Int

            /// The next member.
            public mutating func next() -> (name: Name, value: Node)? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let name = Name(tape: tape, token: tape.tokens[current])
                let value = Node(tape: tape, index: current + 1)
                current = value.end
                return (name, value)
            }
        }

        /// Starts at the first member.
        public func makeIterator() -> Iterator {
            let token = tape.tokens[index]
            let isObject = token.kind == .object || token.kind == .repeatingObject
            return Iterator(tape: tape, current: index + 1, remaining: isObject ? token.b : 0)
        }
    }

    /// The elements of an array node.
    public struct Elements: Sequence, Sendable {
        let tape: JSONTape
        let index: Int

        /// Walks element tokens.
        public struct Iterator: IteratorProtocol {
            let tape: JSONTape
            var current: Int
            var remaining: Int

            /// The next element.
            public mutating func next() -> Node? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                let node = Node(tape: tape, index: current)
                current = node.end
                return node
            }
        }

        /// Starts at the first element.
        public func makeIterator() -> Iterator {
            let token = tape.tokens[index]
            return Iterator(tape: tape, current: index + 1, remaining: token.kind == .array ? token.b : 0)
        }
    }

    // MARK: - Decoding

    /// A string token's text, decoded as the tree parser decodes it.
    func string(_ token: Token) -> String {
        bytes.withUnsafeBufferPointer { JSONTape.string(token, in: $0) }
    }

    /// A string token's text, decoded from the tape's bytes `buffer`.
    static func string(_ token: Token, in buffer: UnsafeBufferPointer<UInt8>) -> String {
        if token.kind == .escapedString {
            return JSONTextParser.decodeString(buffer, contentStart: token.a)
        }
        // Validated while indexing: decoding cannot repair anything here.
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[token.a..<token.b]), as: UTF8.self)
    }

    /// The tree of token `index`; recursion is bounded by the depth limit the tape was built with.
    func materialize(_ index: Int) -> JSONValue {
        var position = index
        return materialize(at: &position)
    }

    private func materialize(at position: inout Int) -> JSONValue {
        let token = tokens[position]
        position += 1
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .int: return .int(token.b)
        case .double: return .double(Double(bitPattern: UInt64(UInt(bitPattern: token.b))))
        case .asciiString, .string, .escapedString: return .string(string(token))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(token.b)
            for _ in 0..<token.b { elements.append(materialize(at: &position)) }
            return .array(elements)
        case .object, .repeatingObject:
            var keys = ContiguousArray<String>()
            var values = ContiguousArray<JSONValue>()
            keys.reserveCapacity(token.b)
            values.reserveCapacity(token.b)
            for _ in 0..<token.b {
                keys.append(string(tokens[position]))
                position += 1
                values.append(materialize(at: &position))
            }
            return .object(JSONTextParser.object(keys: keys, values: values))
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether `self[start...]` begins with `wanted` (the caller has checked that it is long
    /// enough): eight bytes at a time, the last word overlapping the one before, since names are
    /// mostly 8–24 bytes and a byte loop was most of a name lookup. Inlinable, so that the schema
    /// checker's property tables (ArazzoJSONSchema) compare names without a call per lookup.
    @inlinable @inline(__always)
    package func bytes(at start: Int, equal wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = wanted.count
        guard count > 0 else { return true }
        precondition(start >= 0 && start + count <= self.count)
        guard let x = baseAddress.map({ UnsafeRawPointer($0 + start) }), let y = wanted.baseAddress.map(UnsafeRawPointer.init) else {
            return false
        }
        if count < 8 {
            for offset in 0..<count where x.load(fromByteOffset: offset, as: UInt8.self) != y.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            return true
        }
        var offset = 0
        while offset + 8 < count {
            if x.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != y.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
}

extension JSONTape.Borrowed {
    /// The bytes of a string written without escapes and all ASCII, else nil (another string, or
    /// not a string): what an `enum` of ASCII strings compares byte for byte (decision JC1).
    package var asciiStringBytes: UnsafeBufferPointer<UInt8>? {
        let token = token
        guard token.kind == .asciiString else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[token.a..<token.b])
    }

    /// Calls `body` with each member of an object in document order, repeats included: its
    /// name's bytes when the name is raw ASCII (nil when escaped or non-ASCII), the name, the
    /// value; stops when `body` returns false. One call per member, where the member iterator
    /// cost a protocol witness and a name closure per member (decision JC1).
    package func forEachMember(_ body: (UnsafeBufferPointer<UInt8>?, JSONTape.BorrowedName, JSONTape.Borrowed) -> Bool) {
        let token = token
        guard token.kind == .object || token.kind == .repeatingObject else { return }
        var current = index + 1
        for _ in 0..<token.b {
            let key = tokens[current]
            let ascii = key.kind == .asciiString ? UnsafeBufferPointer(rebasing: bytes[key.a..<key.b]) : nil
            let value = current + 1
            let member = JSONTape.Borrowed(tokens: tokens, bytes: bytes, tape: tape, index: value)
            if !body(ascii, JSONTape.BorrowedName(bytes: bytes, token: key), member) { return }
            current = tokens[value].end(at: value)
        }
    }
}
