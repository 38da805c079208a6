import ArazzoJSON
import OrderedCollections

/// What the verdict-only `Checker` reads of an instance, so that it runs on a `JSONValue` tree
/// and on a `JSONTape` alike (decision TP3). Specialised for each, never used as an existential:
/// the checker's functions are generic over it.
///
/// Everything a keyword needs whole (`enum`, `const`, `uniqueItems`, `format`) goes through
/// `jsonValue`, which the tree answers for free and the tape by materialising that one node.
protocol SchemaInstance {
    /// An object member's name as the instance holds it.
    associatedtype MemberName
    /// The members of an object, in document order.
    associatedtype MemberSequence: Sequence where MemberSequence.Element == (MemberName, Self)
    /// The elements of an array, in order.
    associatedtype ElementSequence: Sequence where ElementSequence.Element == Self

    /// The JSON type.
    var instanceKind: JSONTape.Kind { get }
    /// The whole value, as the tree parser builds it.
    var jsonValue: JSONValue { get }
    /// The number, for `.int` and `.double`.
    var instanceNumber: NumberValue? { get }
    /// The decoded string, for `.string`.
    var instanceString: String? { get }
    /// Members or elements; 0 for other values.
    var instanceCount: Int { get }
    /// Whether the object's members repeat a name, so `instanceMembers` and `instanceCount` are
    /// not the tree's: the checker then reads `jsonValue` instead.
    var repeatsNames: Bool { get }
    /// Whether an object has a member named `name` (Swift string equality).
    func hasMember(_ name: String) -> Bool
    /// Whether an object has a member for each of `node.required` (Swift string equality).
    func hasRequiredMembers(of node: SchemaNode) -> Bool
    /// The members, in document order.
    var instanceMembers: MemberSequence { get }
    /// The elements.
    var instanceElements: ElementSequence { get }
    /// A member name as a string.
    static func string(of name: MemberName) -> String
    /// The `properties` subschema of `node` for `name`.
    static func property(_ name: MemberName, in node: SchemaNode) -> Int?
    /// Whether `forEachMember` hands over the names' bytes, so the checker answers `properties`
    /// and `required` from `SchemaNode.memberTable` in that walk (decision JC1).
    static var namesAsBytes: Bool { get }
    /// Whether the bytes `forEachMember` hands over are always ASCII (a tape's raw names), so a
    /// name not found in a table is absent; else a name with other bytes is asked as a string.
    static var namesAreASCII: Bool { get }
    /// Calls `body` with each member in document order: the name's bytes when `namesAsBytes` (nil
    /// for a name the instance cannot give so: on a tape, one escaped or non-ASCII), the name, the
    /// value; stops when `body` returns false.
    func forEachMember(_ body: (UnsafeBufferPointer<UInt8>?, MemberName, Self) -> Bool)
    /// The bytes of a string the instance holds as raw ASCII, else nil (decision JC1).
    var asciiStringBytes: UnsafeBufferPointer<UInt8>? { get }
}

extension JSONValue: SchemaInstance {
    var instanceKind: JSONTape.Kind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }
    var jsonValue: JSONValue { self }
    var instanceNumber: NumberValue? { numberValue }
    var instanceString: String? { stringValue }
    var instanceCount: Int {
        switch self {
        case .object(let members): return members.count
        case .array(let elements): return elements.count
        default: return 0
        }
    }
    var repeatsNames: Bool { false }
    func hasMember(_ name: String) -> Bool {
        // The key's position, not its value: no copy of the member (decision JG2).
        if case .object(let members) = self { return members.index(forKey: name) != nil }
        return false
    }
    func hasRequiredMembers(of node: SchemaNode) -> Bool {
        if node.required.isEmpty { return true }
        // The object taken out once for all the names, not once per name as `hasMember` does,
        // and each name looked up by position (decision JG2): the request body's check ran this
        // per object of a tree the engine had just built, copying the object and each value.
        guard case .object(let members) = self else { return false }
        for name in node.required where members.index(forKey: name) == nil { return false }
        return true
    }
    var instanceMembers: LazyMapSequence<JSONObject, (String, JSONValue)> {
        if case .object(let members) = self { return members.lazy.map { ($0.key, $0.value) } }
        return JSONObject().lazy.map { ($0.key, $0.value) }
    }
    var instanceElements: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }
    static func string(of name: String) -> String { name }
    static func property(_ name: String, in node: SchemaNode) -> Int? { node.property(named: name) }
    static var namesAsBytes: Bool { true }
    static var namesAreASCII: Bool { false }
    func forEachMember(_ body: (UnsafeBufferPointer<UInt8>?, String, JSONValue) -> Bool) {
        guard case .object(let members) = self else { return }
        for (name, value) in members {
            // A native or small string's UTF-8 in place (a small one is copied to the stack).
            let goOn = name.utf8.withContiguousStorageIfAvailable { body($0, name, value) } ?? body(nil, name, value)
            if !goOn { return }
        }
    }
    var asciiStringBytes: UnsafeBufferPointer<UInt8>? { nil }
}

extension JSONTape.Node: SchemaInstance {
    var instanceKind: JSONTape.Kind { kind }
    var jsonValue: JSONValue { value }
    var instanceNumber: NumberValue? { numberValue }
    var instanceString: String? { stringValue }
    var instanceCount: Int { count }
    func hasMember(_ name: String) -> Bool { member(named: name) != nil }
    var instanceMembers: LazyMapSequence<JSONTape.Members, (JSONTape.Name, JSONTape.Node)> {
        members.lazy.map { ($0.name, $0.value) }
    }
    var instanceElements: JSONTape.Elements { elements }
    static func string(of name: JSONTape.Name) -> String { name.string }
    static func property(_ name: JSONTape.Name, in node: SchemaNode) -> Int? {
        if node.properties.isEmpty { return nil }
        // A raw ASCII name is all ASCII, so the table's answer is final, found or not.
        if let table = node.asciiProperties, let found = name.withASCII({ table.node(forASCII: $0) }) {
            return found
        }
        return node.property(named: name.string)
    }
    static var namesAsBytes: Bool { false }
    static var namesAreASCII: Bool { false }
    func forEachMember(_ body: (UnsafeBufferPointer<UInt8>?, JSONTape.Name, JSONTape.Node) -> Bool) {
        for member in members where !body(nil, member.name, member.value) { return }
    }
    var asciiStringBytes: UnsafeBufferPointer<UInt8>? { nil }
}

/// The tape node the verdict pass walks: the same reads as `JSONTape.Node`, on copies that do not
/// retain the tape, which `JSONTape.Node.withBorrowed` keeps alive around the whole pass
/// (decision JG1).
extension JSONTape.Borrowed: SchemaInstance {
    var instanceKind: JSONTape.Kind { kind }
    var jsonValue: JSONValue { node.value }
    var instanceNumber: NumberValue? { numberValue }
    var instanceString: String? { stringValue }
    var instanceCount: Int { count }
    func hasMember(_ name: String) -> Bool { node.member(named: name) != nil }
    var instanceMembers: JSONTape.BorrowedMembers { members }
    var instanceElements: JSONTape.BorrowedElements { elements }
    static func string(of name: JSONTape.BorrowedName) -> String { name.string }
    static func property(_ name: JSONTape.BorrowedName, in node: SchemaNode) -> Int? {
        if node.properties.isEmpty { return nil }
        // A raw ASCII name is all ASCII, so the table's answer is final, found or not.
        if let table = node.asciiProperties, let found = name.withASCII({ table.node(forASCII: $0) }) {
            return found
        }
        return node.property(named: name.string)
    }
    static var namesAsBytes: Bool { true }
    static var namesAreASCII: Bool { true }
    // `forEachMember` and `asciiStringBytes` are the borrowed node's own (decision JC1).
}

/// The two tape instances, which read an object's names as raw bytes.
protocol TapeInstance: SchemaInstance {
    /// Calls `body` with each member name's bytes as written, or nil for an escaped or non-ASCII
    /// name, until it returns false.
    func forEachMemberName(_ body: (UnsafeBufferPointer<UInt8>?) -> Bool)
}

extension TapeInstance {
    /// `required` in one walk of the object's names, each looked up among the required ones,
    /// instead of a walk of the whole object per required name (decision JF3). An escaped or
    /// non-ASCII name could equal a required one only as decoded Swift strings: the lookup by
    /// name decides then.
    @inline(__always)
    func hasRequiredMembers(of node: SchemaNode) -> Bool {
        if node.required.isEmpty { return true }
        guard let table = node.requiredTable else { return node.required.allSatisfy(hasMember) }
        var seen: UInt64 = 0
        var bytesDecide = true
        forEachMemberName { ascii in
            guard let ascii else {
                bytesDecide = false
                return false
            }
            if let bit = table.node(forASCII: ascii) { seen |= 1 << UInt64(bit) }
            return seen != node.requiredMask
        }
        if !bytesDecide { return node.required.allSatisfy(hasMember) }
        return seen == node.requiredMask
    }
}

extension JSONTape.Node: TapeInstance {}
extension JSONTape.Borrowed: TapeInstance {}
