import ArazzoJSON

/// The JSON types `type` can name.
enum SchemaType: String, Sendable, CaseIterable {
    case null, boolean, object, array, number, string, integer

    /// `admits` from a node's kind and number, for the checker's instances of either shape.
    func admits(_ kind: JSONTape.Kind, _ number: NumberValue?) -> Bool {
        switch (self, kind) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string):
            return true
        case (.number, .int), (.number, .double), (.integer, .int):
            return true
        case (.integer, .double):
            guard case .double(let d)? = number else { return false }
            return d.isFinite && d.rounded() == d
        default:
            return false
        }
    }

    func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string):
            return true
        case (.number, .int), (.number, .double), (.integer, .int):
            return true
        case (.integer, .double(let d)):
            return d.isFinite && d.rounded() == d
        default:
            return false
        }
    }
}

/// One compiled schema: its keywords parsed once, subschemas referred to by index into
/// `Program.nodes` so that recursive `$ref`s form a graph instead of an infinite tree.
final class SchemaNode: Sendable {
    /// Where the schema is: the document's name plus a JSON pointer (`#/$defs/item`).
    let schemaPath: String
    /// The schema resource (by index into `Program.resources`) the node belongs to, for the dynamic
    /// scope `$dynamicRef` searches.
    let resource: Int
    /// For boolean schemas: `true` admits everything, `false` nothing.
    let boolean: Bool?
    let ref: Int?
    /// `$dynamicRef`: the statically resolved target, and the anchor name to look up in the dynamic
    /// scope when the target carries a matching `$dynamicAnchor` (nil: behaves like `$ref`).
    let dynamicRef: Int?
    let dynamicAnchor: String?
    let types: [SchemaType]?
    let enumValues: [JSONValue]?
    let constValue: JSONValue?
    // Objects.
    let required: [String]
    /// The distinct `required` names as a byte table whose answer is the name's bit in a mask,
    /// so a tape object is checked in one walk of its names (decision JF3); nil unless all are
    /// ASCII (and at most 64).
    let requiredTable: ASCIIPropertyTable?
    /// One bit per distinct `required` name: what that walk must see.
    let requiredMask: UInt64
    let properties: [(name: String, node: Int)]
    /// `properties` by name, for the per-member lookup of names the byte table cannot answer.
    let propertyLookup: [String: Int]
    /// The byte table of `properties` (decision PA2), nil unless every name is ASCII.
    let asciiProperties: ASCIIPropertyTable?
    let patternProperties: [(pattern: Pattern, node: Int)]
    let additionalProperties: Int?
    let propertyNames: Int?
    let dependentRequired: [(name: String, requires: [String])]
    let minProperties: Int?
    let maxProperties: Int?
    let dependentSchemas: [(name: String, node: Int)]
    /// `dependentSchemas`, or draft 4's `dependencies`.
    let dependentSchemasKeyword: String
    let unevaluatedProperties: Int?
    // Arrays.
    let prefixItems: [Int]
    let items: Int?
    /// Which keyword `items` came from (`items`, or `additionalItems` after an array-valued `items`).
    let itemsKeyword: String
    /// Which keyword `prefixItems` came from (`prefixItems`, or an array-valued `items`).
    let prefixKeyword: String
    let contains: Int?
    let minContains: Int?
    let maxContains: Int?
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool
    let unevaluatedItems: Int?
    // Strings.
    let minLength: Int?
    let maxLength: Int?
    let pattern: Pattern?
    // Numbers.
    let minimum: NumberValue?
    let maximum: NumberValue?
    let exclusiveMinimum: NumberValue?
    let exclusiveMaximum: NumberValue?
    /// Draft 4's boolean `exclusiveMinimum`/`exclusiveMaximum` turn `minimum`/`maximum` exclusive;
    /// the violation then still names the keyword written.
    let minimumExclusive: Bool
    let maximumExclusive: Bool
    let multipleOf: NumberValue?
    // Applicators.
    let allOf: [Int]
    let anyOf: [Int]
    let oneOf: [Int]
    let not: Int?
    let ifNode: Int?
    let thenNode: Int?
    let elseNode: Int?
    // Annotations the engine uses.
    let format: String?
    /// The check `format` asserts, when `Options.assertFormat` is on and the format is known.
    let formatCheck: FormatCheck?
    let defaultValue: JSONValue?
    /// Whether the node has any keyword that looks at an object's members, so evaluation can skip
    /// the member loop otherwise.
    let checksMembers: Bool
    /// The JSON types `type` admits, one bit per `JSONTape.Kind` (`typeBit`), all of them without
    /// `type`; `integerDoubles` when a `.double` is admitted only if integral (decision JC1).
    let typeMask: UInt8
    /// The `properties` and distinct `required` names in one byte table, so the verdict pass
    /// answers both in one walk of a tape object's names; the answer is `memberCode`'s (decision
    /// JC1). Nil unless every name is ASCII and there are at most 64, or when neither keyword is.
    let memberTable: ASCIIPropertyTable?
    /// `enum` when every value is an ASCII string (at most 64), as a byte table, so a raw ASCII
    /// tape string is matched without being decoded (decision JC1).
    let enumStrings: ASCIIPropertyTable?
    /// Whether the node has none of the in-place applicators (`allOf`, `anyOf`, `oneOf`, `not`,
    /// `if`, `unevaluated*`), so the checker skips reading each (decision JC1).
    let hasNoApplicators: Bool
    /// Whether `minLength`, `maxLength` or `pattern` is present: a string is read only then.
    let checksStrings: Bool

    init(_ b: Builder) {
        schemaPath = b.schemaPath
        resource = b.resource
        boolean = b.boolean
        ref = b.ref
        dynamicRef = b.dynamicRef
        dynamicAnchor = b.dynamicAnchor
        types = b.types
        enumValues = b.enumValues
        constValue = b.constValue
        required = b.required
        var distinct: [String] = []
        for name in b.required where !distinct.contains(name) { distinct.append(name) }
        requiredTable = ASCIIPropertyTable(distinct.enumerated().map { (name: $0.element, node: $0.offset) })
        requiredMask = distinct.count >= 64 ? ~0 : (1 << UInt64(distinct.count)) - 1
        properties = b.properties
        var lookup: [String: Int] = [:]
        for property in b.properties { lookup[property.name] = property.node }
        propertyLookup = lookup
        asciiProperties = ASCIIPropertyTable(b.properties)
        patternProperties = b.patternProperties
        additionalProperties = b.additionalProperties
        propertyNames = b.propertyNames
        dependentRequired = b.dependentRequired
        minProperties = b.minProperties
        maxProperties = b.maxProperties
        dependentSchemas = b.dependentSchemas
        dependentSchemasKeyword = b.dependentSchemasKeyword
        unevaluatedProperties = b.unevaluatedProperties
        unevaluatedItems = b.unevaluatedItems
        prefixItems = b.prefixItems
        items = b.items
        itemsKeyword = b.itemsKeyword
        prefixKeyword = b.prefixKeyword
        contains = b.contains
        minContains = b.minContains
        maxContains = b.maxContains
        minItems = b.minItems
        maxItems = b.maxItems
        uniqueItems = b.uniqueItems
        minLength = b.minLength
        maxLength = b.maxLength
        pattern = b.pattern
        minimum = b.minimum
        maximum = b.maximum
        exclusiveMinimum = b.exclusiveMinimum
        exclusiveMaximum = b.exclusiveMaximum
        minimumExclusive = b.minimumExclusive
        maximumExclusive = b.maximumExclusive
        multipleOf = b.multipleOf
        allOf = b.allOf
        anyOf = b.anyOf
        oneOf = b.oneOf
        not = b.not
        ifNode = b.ifNode
        thenNode = b.thenNode
        elseNode = b.elseNode
        format = b.format
        formatCheck = b.formatCheck
        defaultValue = b.defaultValue
        checksMembers = !b.properties.isEmpty || !b.patternProperties.isEmpty
            || b.additionalProperties != nil || b.propertyNames != nil
        if let types = b.types {
            var mask: UInt8 = 0
            for type in types {
                switch type {
                case .null: mask |= Self.typeBit(.null)
                case .boolean: mask |= Self.typeBit(.bool)
                case .object: mask |= Self.typeBit(.object)
                case .array: mask |= Self.typeBit(.array)
                case .string: mask |= Self.typeBit(.string)
                case .number: mask |= Self.typeBit(.int) | Self.typeBit(.double)
                case .integer: mask |= Self.typeBit(.int) | Self.integerDoubles
                }
            }
            typeMask = mask
        } else {
            typeMask = 0x7F
        }
        // Each name once: a property's first node (as `propertyLookup` and the table keep it),
        // a required name's bit in `requiredMask`.
        var memberNames: [String] = []
        var memberCodes: [String: Int] = [:]
        for property in b.properties where memberCodes[property.name] == nil {
            memberNames.append(property.name)
            memberCodes[property.name] = property.node + 1
        }
        for (bit, name) in distinct.enumerated() {
            if memberCodes[name] == nil { memberNames.append(name) }
            memberCodes[name, default: 0] |= (bit + 1) << 32
        }
        memberTable = distinct.count <= 64
            ? ASCIIPropertyTable(memberNames.map { (name: $0, node: memberCodes[$0] ?? 0) }) : nil
        if let values = b.enumValues {
            var strings: [(name: String, node: Int)] = []
            for value in values {
                guard case .string(let text) = value else { break }
                strings.append((name: text, node: 0))
            }
            enumStrings = strings.count == values.count ? ASCIIPropertyTable(strings) : nil
        } else {
            enumStrings = nil
        }
        checksStrings = b.minLength != nil || b.maxLength != nil || b.pattern != nil
        hasNoApplicators = b.allOf.isEmpty && b.anyOf.isEmpty && b.oneOf.isEmpty && b.not == nil && b.ifNode == nil
            && b.unevaluatedProperties == nil && b.unevaluatedItems == nil
    }

    /// The bit of `kind` in `typeMask`.
    @inline(__always)
    static func typeBit(_ kind: JSONTape.Kind) -> UInt8 {
        switch kind {
        case .null: return 1
        case .bool: return 2
        case .int: return 4
        case .double: return 8
        case .string: return 16
        case .array: return 32
        case .object: return 64
        }
    }

    /// In `typeMask`: `integer` admits a `.double` whose value is integral.
    static let integerDoubles: UInt8 = 0x80

    /// `type` for an instance of `kind` (and `number`, for a `.double`): `SchemaType.admits` over
    /// the node's types, as one mask test.
    @inline(__always)
    func admitsType(_ kind: JSONTape.Kind, _ number: () -> NumberValue?) -> Bool {
        if typeMask & Self.typeBit(kind) != 0 { return true }
        guard kind == .double, typeMask & Self.integerDoubles != 0, case .double(let d)? = number() else { return false }
        return d.isFinite && d.rounded() == d
    }

    /// The `properties` node (nil: none) and the `required` bit (0: not required) of a
    /// `memberTable` answer.
    @inline(__always)
    static func memberCode(_ code: Int) -> (property: Int?, requiredBit: UInt64) {
        let node = code & 0xFFFF_FFFF
        let bit = code >> 32
        return (node == 0 ? nil : node - 1, bit == 0 ? 0 : 1 << UInt64(bit - 1))
    }

    /// The `properties` subschema for a member named `name`, if one is declared.
    ///
    /// Names compare as Swift strings do (canonical equivalence), as the dictionary always did;
    /// the byte table answers without hashing whenever that gives the same answer (decision PA2).
    @inline(__always)
    func property(named name: String) -> Int? {
        if properties.isEmpty { return nil }
        if let table = asciiProperties,
            let found = name.utf8.withContiguousStorageIfAvailable({ table.lookup($0) })
        {
            switch found {
            case .found(let node): return node
            case .absent: return nil
            case .ask: break
            }
        }
        return propertyLookup[name]
    }

    /// The mutable twin used while compiling.
    struct Builder {
        var schemaPath: String
        var resource = 0
        var boolean: Bool?
        var ref: Int?
        var dynamicRef: Int?
        var dynamicAnchor: String?
        var types: [SchemaType]?
        var enumValues: [JSONValue]?
        var constValue: JSONValue?
        var required: [String] = []
        var properties: [(name: String, node: Int)] = []
        var patternProperties: [(pattern: Pattern, node: Int)] = []
        var additionalProperties: Int?
        var propertyNames: Int?
        var dependentRequired: [(name: String, requires: [String])] = []
        var minProperties: Int?
        var maxProperties: Int?
        var dependentSchemas: [(name: String, node: Int)] = []
        var dependentSchemasKeyword = "dependentSchemas"
        var unevaluatedProperties: Int?
        var unevaluatedItems: Int?
        var prefixItems: [Int] = []
        var items: Int?
        var itemsKeyword = "items"
        var prefixKeyword = "prefixItems"
        var contains: Int?
        var minContains: Int?
        var maxContains: Int?
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false
        var minLength: Int?
        var maxLength: Int?
        var pattern: Pattern?
        var minimum: NumberValue?
        var maximum: NumberValue?
        var exclusiveMinimum: NumberValue?
        var exclusiveMaximum: NumberValue?
        var minimumExclusive = false
        var maximumExclusive = false
        var multipleOf: NumberValue?
        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
        var not: Int?
        var ifNode: Int?
        var thenNode: Int?
        var elseNode: Int?
        var format: String?
        var formatCheck: FormatCheck?
        var defaultValue: JSONValue?

        init(schemaPath: String) { self.schemaPath = schemaPath }
    }
}

/// `properties` whose names are all ASCII, as bytes with a one-word signature each (length,
/// first and last byte), so a member name is matched by comparing words and then bytes, without
/// hashing the string (decision PA2). The signatures are placed in a small open-addressing table
/// (one multiply picks the slot), so a lookup reads one or two slots whatever the number of
/// names, instead of scanning every signature (decision JF1).
///
/// Two ASCII names are equal as Swift strings exactly when their bytes are; a name with other
/// bytes can still equal an ASCII one canonically (U+212A KELVIN SIGN is `K`), so for such a name
/// that is not found byte for byte the table says `ask`, and the dictionary decides.
///
/// A final class over one allocation it owns (the words, then the bytes), written in `init` and
/// only read after: a lookup reads it through two pointers, where reading two arrays cost a
/// closure and a bounds check per access (decision JC1). `@unchecked Sendable` for the pointers;
/// nothing writes them once the table is built.
final class ASCIIPropertyTable: @unchecked Sendable {
    /// `slotCount` slots (a name's index + 1, 0 for empty; at most half full, so a probe for an
    /// absent name meets an empty slot soon), then per name its signature, its node, and its
    /// first byte in `bytes` (then one last start: the end of the last name).
    private let words: UnsafeMutablePointer<UInt64>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let wordCount: Int
    private let byteCount: Int
    private let slotCount: Int
    private let nameCount: Int
    /// `64 - log2(slotCount)`: the slot is the top bits of the multiplied signature.
    private let shift: UInt64

    enum Lookup {
        case found(Int)
        case absent
        case ask
    }

    /// Nil when a name is not ASCII, or when there are too many names for the table to be worth
    /// building (then the dictionary alone answers). A repeated name keeps its first node.
    init?(_ properties: [(name: String, node: Int)]) {
        guard !properties.isEmpty, properties.count <= 64 else { return nil }
        var signatures: [UInt64] = []
        var starts: [UInt64] = []
        var nodes: [UInt64] = []
        var bytes: [UInt8] = []
        for property in properties {
            let name = Array(property.name.utf8)
            guard name.allSatisfy({ $0 < 0x80 }) else { return nil }
            signatures.append(Self.signature(name[...]))
            starts.append(UInt64(bytes.count))
            bytes += name
            nodes.append(UInt64(truncatingIfNeeded: property.node))
        }
        starts.append(UInt64(bytes.count))
        var bits: UInt64 = 2
        while (1 << bits) < 2 * properties.count { bits += 1 }
        var slots = [UInt64](repeating: 0, count: 1 << bits)
        let mask = slots.count - 1
        for (i, signature) in signatures.enumerated() {
            var slot = Self.slot(signature, shift: 64 - bits)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt64(i + 1)
        }
        let words = slots + signatures + nodes + starts
        self.words = UnsafeMutablePointer<UInt64>.allocate(capacity: words.count)
        self.words.initialize(from: words, count: words.count)
        self.wordCount = words.count
        // At least one byte, so the pointer is never of an empty allocation.
        self.bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        self.bytes.initialize(from: bytes, count: bytes.count)
        self.byteCount = bytes.count
        self.slotCount = slots.count
        self.nameCount = properties.count
        self.shift = 64 - bits
    }

    deinit {
        words.deallocate()
        bytes.deallocate()
    }

    @inline(__always)
    private static func signature<C: Collection>(_ name: C) -> UInt64 where C.Element == UInt8 {
        UInt64(truncatingIfNeeded: name.count) | UInt64(name.first ?? 0) << 48 | UInt64(name.reversed().first ?? 0) << 56
    }

    /// Fibonacci hashing: the multiply mixes length, first and last byte into the top bits.
    @inline(__always)
    private static func slot(_ signature: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (signature &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func lookup(_ name: UnsafeBufferPointer<UInt8>) -> Lookup {
        if let found = node(forASCII: name) { return .found(found) }
        for byte in name where byte >= 0x80 { return .ask }
        return .absent
    }

    /// The node of `name` found byte for byte, else nil. For a name known to be ASCII (a raw
    /// ASCII name of a tape), nil is the answer and `lookup`'s scan for other bytes is skipped.
    @inline(__always)
    func node(forASCII name: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = name.count
        let wanted = UInt64(truncatingIfNeeded: count)
            | UInt64(count > 0 ? name[0] : 0) << 48 | UInt64(count > 0 ? name[count - 1] : 0) << 56
        let words = UnsafeBufferPointer(start: self.words, count: wordCount)
        let bytes = UnsafeBufferPointer(start: self.bytes, count: byteCount)
        let signatures = slotCount
        let nodes = signatures + nameCount
        let starts = nodes + nameCount
        var slot = Self.slot(wanted, shift: shift)
        while words[slot] != 0 {
            let i = Int(truncatingIfNeeded: words[slot]) - 1
            if words[signatures + i] == wanted {
                let start = Int(truncatingIfNeeded: words[starts + i])
                // The earliest of equal names was placed first along the probe.
                if bytes.bytes(at: start, equal: name) { return Int(truncatingIfNeeded: words[nodes + i]) }
            }
            slot = (slot + 1) & (slotCount - 1)
        }
        return nil
    }
}

/// The compiled form of a schema and everything it references.
final class Program: Sendable {
    let nodes: [SchemaNode]
    /// Schemas obtained from the resolution hook, by the string the hook was asked with.
    let externals: [String: JSONValue]
    let hasSecrets: Bool
    /// Whether any subschema has a `default`: without one, filling defaults is the identity and
    /// the walk is skipped (it was a twentieth of a reused engine's step, docs/performance.md).
    let hasDefaults: Bool
    /// Whether `unevaluatedProperties`/`unevaluatedItems` occur, so evaluation must track which
    /// members and elements other keywords evaluated.
    let tracksEvaluation: Bool
    /// For each schema resource, its `$dynamicAnchor`s that some `$dynamicRef` may land on.
    let dynamicAnchors: [[String: Int]]
    /// Whether evaluation must keep the dynamic scope (some `$dynamicRef` can be dynamic).
    let usesDynamicScope: Bool

    init(nodes: [SchemaNode], externals: [String: JSONValue], dynamicAnchors: [[String: Int]]) {
        self.nodes = nodes
        self.externals = externals
        self.dynamicAnchors = dynamicAnchors
        self.hasSecrets = nodes.contains { $0.format == "password" }
        self.hasDefaults = nodes.contains { $0.defaultValue != nil }
        self.tracksEvaluation = nodes.contains { $0.unevaluatedProperties != nil || $0.unevaluatedItems != nil }
        self.usesDynamicScope = nodes.contains { $0.dynamicAnchor != nil }
    }
}

extension Program {
    /// The subschemas of `nodes` that an instance's member or element at `component` is held to:
    /// the matching `properties` and `patternProperties` (else `additionalProperties`), or the
    /// `prefixItems` entry (else `items`). Shared by the default filler and the secret walker.
    func children(_ nodes: [Int], _ component: JSONSchema.PathComponent) -> [Int] {
        var result: [Int] = []
        for index in nodes {
            let node = self.nodes[index]
            switch component {
            case .key(let name):
                var matched = false
                for property in node.properties where property.name == name {
                    matched = true
                    result.append(property.node)
                }
                for entry in node.patternProperties where entry.pattern.matches(name) {
                    matched = true
                    result.append(entry.node)
                }
                if !matched, let additional = node.additionalProperties { result.append(additional) }
            case .index(let i):
                if i < node.prefixItems.count {
                    result.append(node.prefixItems[i])
                } else if let items = node.items {
                    result.append(items)
                }
            }
        }
        return result
    }
}
