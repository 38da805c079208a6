import ArazzoJSON
import Foundation

/// The JSON types `type` can name.
enum SchemaType: String, Sendable, CaseIterable {
    case null, boolean, object, array, number, string, integer

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
    let schemaPath: String
    /// For boolean schemas: `true` admits everything, `false` nothing.
    let boolean: Bool?
    let ref: Int?
    let types: [SchemaType]?
    let enumValues: [JSONValue]?
    let constValue: JSONValue?
    // Objects.
    let required: [String]
    let properties: [(name: String, node: Int)]
    let patternProperties: [(pattern: Pattern, node: Int)]
    let additionalProperties: Int?
    let propertyNames: Int?
    let dependentRequired: [(name: String, requires: [String])]
    let minProperties: Int?
    let maxProperties: Int?
    let dependentSchemas: [(name: String, node: Int)]
    let unevaluatedProperties: Int?
    // Arrays.
    let prefixItems: [Int]
    let items: Int?
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
    let defaultValue: JSONValue?

    init(_ b: Builder) {
        schemaPath = b.schemaPath
        boolean = b.boolean
        ref = b.ref
        types = b.types
        enumValues = b.enumValues
        constValue = b.constValue
        required = b.required
        properties = b.properties
        patternProperties = b.patternProperties
        additionalProperties = b.additionalProperties
        propertyNames = b.propertyNames
        dependentRequired = b.dependentRequired
        minProperties = b.minProperties
        maxProperties = b.maxProperties
        dependentSchemas = b.dependentSchemas
        unevaluatedProperties = b.unevaluatedProperties
        unevaluatedItems = b.unevaluatedItems
        prefixItems = b.prefixItems
        items = b.items
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
        multipleOf = b.multipleOf
        allOf = b.allOf
        anyOf = b.anyOf
        oneOf = b.oneOf
        not = b.not
        ifNode = b.ifNode
        thenNode = b.thenNode
        elseNode = b.elseNode
        format = b.format
        defaultValue = b.defaultValue
    }

    /// The mutable twin used while compiling.
    struct Builder {
        var schemaPath: String
        var boolean: Bool?
        var ref: Int?
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
        var unevaluatedProperties: Int?
        var unevaluatedItems: Int?
        var prefixItems: [Int] = []
        var items: Int?
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
        var multipleOf: NumberValue?
        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
        var not: Int?
        var ifNode: Int?
        var thenNode: Int?
        var elseNode: Int?
        var format: String?
        var defaultValue: JSONValue?

        init(schemaPath: String) { self.schemaPath = schemaPath }
    }
}

/// The compiled form of a schema and everything it references.
final class Program: Sendable {
    let nodes: [SchemaNode]
    /// Schemas obtained from the resolution hook, by `$ref` string, in the order first met.
    let externals: [String: JSONValue]
    let hasSecrets: Bool
    /// Whether `unevaluatedProperties`/`unevaluatedItems` occur, so evaluation must track which
    /// members and elements other keywords evaluated.
    let tracksEvaluation: Bool

    init(nodes: [SchemaNode], externals: [String: JSONValue]) {
        self.nodes = nodes
        self.externals = externals
        self.hasSecrets = nodes.contains { $0.format == "password" }
        self.tracksEvaluation = nodes.contains { $0.unevaluatedProperties != nil || $0.unevaluatedItems != nil }
    }
}

/// Turns schema JSON into a `Program`. `$ref` targets are compiled from a work list rather than by
/// recursion, so reference chains of any length cost no stack, and each target is compiled once.
struct Compiler {
    private struct Root {
        let value: JSONValue
        let name: String
    }
    private struct Key: Hashable {
        let root: Int
        let tokens: [String]
    }
    private struct Pending {
        let index: Int
        let root: Int
        let tokens: [String]
        let value: JSONValue
    }

    private var builders: [SchemaNode.Builder?] = []
    private var roots: [Root] = []
    private var externalRoots: [String: Int] = [:]
    private var externals: [String: JSONValue] = [:]
    private var compiled: [Key: Int] = [:]
    private var pending: [Pending] = []
    private let options: JSONSchema.Options
    private let resolveRef: (String) -> JSONValue?

    init(options: JSONSchema.Options, resolveRef: @escaping (String) -> JSONValue?) {
        self.options = options
        self.resolveRef = resolveRef
    }

    mutating func compile(_ schema: JSONValue) throws(SchemaError) -> Program {
        roots.append(Root(value: schema, name: "#"))
        let rootKey = Key(root: 0, tokens: [])
        let index = allocate()
        compiled[rootKey] = index
        try compileNode(schema, root: 0, tokens: [], into: index, depth: 0)
        while let next = pending.popLast() {
            try compileNode(next.value, root: next.root, tokens: next.tokens, into: next.index, depth: 0)
        }
        var nodes: [SchemaNode] = []
        nodes.reserveCapacity(builders.count)
        for builder in builders {
            // Every allocated slot is filled before the work list drains; an empty one would be a
            // compiler bug, which degrades to an always-true schema rather than a crash.
            nodes.append(SchemaNode(builder ?? SchemaNode.Builder(schemaPath: "#")))
        }
        return Program(nodes: nodes, externals: externals)
    }

    private mutating func allocate() -> Int {
        builders.append(nil)
        return builders.count - 1
    }

    private func path(_ root: Int, _ tokens: [String]) -> String {
        roots[root].name + JSONPointer(tokens: tokens).description
    }

    /// Compiles an inline subschema into a fresh node.
    private mutating func child(_ value: JSONValue, root: Int, tokens: [String], depth: Int) throws(SchemaError) -> Int {
        let index = allocate()
        try compileNode(value, root: root, tokens: tokens, into: index, depth: depth + 1)
        return index
    }

    private mutating func compileNode(
        _ value: JSONValue, root: Int, tokens: [String], into index: Int, depth: Int
    ) throws(SchemaError) {
        let here = path(root, tokens)
        guard depth <= options.maxSchemaDepth else {
            throw SchemaError(message: "schema nesting exceeds \(options.maxSchemaDepth) levels", schemaPath: here)
        }
        guard builders.count <= options.maxSchemaNodes else {
            throw SchemaError(message: "schema has more than \(options.maxSchemaNodes) subschemas (counting each $ref target once)", schemaPath: here)
        }
        var b = SchemaNode.Builder(schemaPath: here)
        let members: JSONObject
        switch value {
        case .bool(let flag):
            b.boolean = flag
            builders[index] = b
            return
        case .object(let object):
            members = object
        default:
            throw SchemaError(message: "a schema must be an object or a boolean, found \(describe(value))", schemaPath: here)
        }

        func sub(_ key: String) -> [String] { tokens + [key] }
        func err(_ key: String, _ message: String) -> SchemaError {
            SchemaError(message: message, schemaPath: path(root, tokens + [key]))
        }

        for (key, keywordValue) in members {
            switch key {
            case "$ref":
                guard case .string(let reference) = keywordValue else {
                    throw err(key, "$ref must be a string, found \(describe(keywordValue))")
                }
                b.ref = try resolveReference(reference, from: root, at: path(root, sub(key)))
            case "$dynamicRef", "$recursiveRef":
                throw err(key, "\(key) is not supported; use $ref")
            case "type":
                b.types = try parseTypes(keywordValue, err: { err(key, $0) })
            case "enum":
                guard case .array(let values) = keywordValue else {
                    throw err(key, "enum must be an array of allowed values, found \(describe(keywordValue))")
                }
                b.enumValues = values
            case "const":
                b.constValue = keywordValue
            case "required":
                b.required = try stringArray(keywordValue, err: { err(key, $0) })
            case "properties", "patternProperties", "dependentRequired", "dependentSchemas":
                guard case .object(let map) = keywordValue else {
                    throw err(key, "\(key) must be an object, found \(describe(keywordValue))")
                }
                for (name, subschema) in map {
                    let subTokens = sub(key) + [name]
                    switch key {
                    case "properties":
                        b.properties.append((name, try child(subschema, root: root, tokens: subTokens, depth: depth)))
                    case "patternProperties":
                        guard let pattern = Pattern(name) else {
                            throw SchemaError(message: "'\(name)' is not a valid regular expression", schemaPath: path(root, subTokens))
                        }
                        b.patternProperties.append((pattern, try child(subschema, root: root, tokens: subTokens, depth: depth)))
                    case "dependentSchemas":
                        b.dependentSchemas.append((name, try child(subschema, root: root, tokens: subTokens, depth: depth)))
                    default:
                        let names = try stringArray(subschema, err: { SchemaError(message: $0, schemaPath: path(root, subTokens)) })
                        b.dependentRequired.append((name, names))
                    }
                }
            case "additionalProperties":
                b.additionalProperties = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "unevaluatedProperties":
                b.unevaluatedProperties = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "unevaluatedItems":
                b.unevaluatedItems = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "propertyNames":
                b.propertyNames = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "prefixItems":
                b.prefixItems = try schemaArray(keywordValue, key: key, root: root, tokens: tokens, depth: depth)
            case "items":
                if case .array = keywordValue {
                    // Draft 2019-09 and earlier spelled prefixItems as an array-valued `items`.
                    b.prefixItems = try schemaArray(keywordValue, key: key, root: root, tokens: tokens, depth: depth)
                } else {
                    b.items = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
                }
            case "additionalItems":
                if case .array = members["items"] {
                    b.items = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
                }
            case "contains":
                b.contains = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "minContains": b.minContains = try count(keywordValue, err: { err(key, $0) })
            case "maxContains": b.maxContains = try count(keywordValue, err: { err(key, $0) })
            case "minItems": b.minItems = try count(keywordValue, err: { err(key, $0) })
            case "maxItems": b.maxItems = try count(keywordValue, err: { err(key, $0) })
            case "minLength": b.minLength = try count(keywordValue, err: { err(key, $0) })
            case "maxLength": b.maxLength = try count(keywordValue, err: { err(key, $0) })
            case "minProperties": b.minProperties = try count(keywordValue, err: { err(key, $0) })
            case "maxProperties": b.maxProperties = try count(keywordValue, err: { err(key, $0) })
            case "uniqueItems":
                guard case .bool(let flag) = keywordValue else {
                    throw err(key, "uniqueItems must be true or false, found \(describe(keywordValue))")
                }
                b.uniqueItems = flag
            case "pattern":
                guard case .string(let source) = keywordValue else {
                    throw err(key, "pattern must be a string, found \(describe(keywordValue))")
                }
                guard let pattern = Pattern(source) else {
                    throw err(key, "'\(source)' is not a valid regular expression")
                }
                b.pattern = pattern
            case "minimum": b.minimum = try number(keywordValue, err: { err(key, $0) })
            case "maximum": b.maximum = try number(keywordValue, err: { err(key, $0) })
            case "exclusiveMinimum": b.exclusiveMinimum = try number(keywordValue, err: { err(key, $0) })
            case "exclusiveMaximum": b.exclusiveMaximum = try number(keywordValue, err: { err(key, $0) })
            case "multipleOf":
                let divisor = try number(keywordValue, err: { err(key, $0) })
                guard divisor.doubleValue > 0 else {
                    throw err(key, "multipleOf must be greater than 0, found \(keywordValue)")
                }
                b.multipleOf = divisor
            case "allOf": b.allOf = try schemaArray(keywordValue, key: key, root: root, tokens: tokens, depth: depth, nonEmpty: true)
            case "anyOf": b.anyOf = try schemaArray(keywordValue, key: key, root: root, tokens: tokens, depth: depth, nonEmpty: true)
            case "oneOf": b.oneOf = try schemaArray(keywordValue, key: key, root: root, tokens: tokens, depth: depth, nonEmpty: true)
            case "not": b.not = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "if": b.ifNode = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "then": b.thenNode = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "else": b.elseNode = try child(keywordValue, root: root, tokens: sub(key), depth: depth)
            case "format":
                if case .string(let format) = keywordValue { b.format = format }
            case "default":
                b.defaultValue = keywordValue
            default:
                // Annotations (title, description, examples, $defs, $schema, $comment, …) and
                // unknown keywords do not take part in validation.
                break
            }
        }
        builders[index] = b
    }

    /// Resolves a `$ref` to a node index, queueing the target for compilation the first time.
    ///
    /// A fragment reference (`#`, `#/…`) is first looked up in the schema document it appears in; if
    /// that fails, or for any other reference, the hook is asked with the reference text verbatim, and
    /// the schema it returns becomes a document of its own (its fragment references resolve inside
    /// it first, then through the hook again).
    private mutating func resolveReference(_ reference: String, from root: Int, at here: String) throws(SchemaError) -> Int {
        if reference.hasPrefix("#") {
            let fragment = String(reference.dropFirst()).removingPercentEncodingIfValid
            if let pointer = try? JSONPointer(parsing: fragment),
               let target = try? pointer.resolve(in: roots[root].value)
            {
                return enqueue(Key(root: root, tokens: pointer.tokens), value: target)
            }
        }
        let externalRoot: Int
        if let known = externalRoots[reference] {
            externalRoot = known
        } else {
            guard let resolved = resolveRef(reference) else {
                let hint = reference.hasPrefix("#/")
                    ? "no such location in the schema, and the reference resolver does not know it"
                    : "the reference resolver does not know it"
                throw SchemaError(message: "cannot resolve $ref '\(reference)': \(hint)", schemaPath: here)
            }
            roots.append(Root(value: resolved, name: reference))
            externalRoot = roots.count - 1
            externalRoots[reference] = externalRoot
            externals[reference] = resolved
        }
        return enqueue(Key(root: externalRoot, tokens: []), value: roots[externalRoot].value)
    }

    private mutating func enqueue(_ key: Key, value: JSONValue) -> Int {
        if let index = compiled[key] { return index }
        let index = allocate()
        compiled[key] = index
        pending.append(Pending(index: index, root: key.root, tokens: key.tokens, value: value))
        return index
    }

    private mutating func schemaArray(
        _ value: JSONValue, key: String, root: Int, tokens: [String], depth: Int, nonEmpty: Bool = false
    ) throws(SchemaError) -> [Int] {
        guard case .array(let elements) = value, !(nonEmpty && elements.isEmpty) else {
            throw SchemaError(
                message: "\(key) must be a\(nonEmpty ? " non-empty" : "n") array of schemas, found \(describe(value))",
                schemaPath: path(root, tokens + [key]))
        }
        var result: [Int] = []
        for (i, element) in elements.enumerated() {
            result.append(try child(element, root: root, tokens: tokens + [key, String(i)], depth: depth))
        }
        return result
    }

    private func parseTypes(_ value: JSONValue, err: (String) -> SchemaError) throws(SchemaError) -> [SchemaType] {
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let list) where !list.isEmpty: names = list
        default: throw err("type must be a type name or a non-empty array of them, found \(describe(value))")
        }
        var types: [SchemaType] = []
        for name in names {
            guard case .string(let text) = name, let type = SchemaType(rawValue: text) else {
                let allowed = SchemaType.allCases.map(\.rawValue).joined(separator: ", ")
                throw err("unknown type \(name); use one of \(allowed)")
            }
            types.append(type)
        }
        return types
    }

    private func stringArray(_ value: JSONValue, err: (String) -> SchemaError) throws(SchemaError) -> [String] {
        guard case .array(let elements) = value else {
            throw err("expected an array of strings, found \(describe(value))")
        }
        var result: [String] = []
        for element in elements {
            guard case .string(let s) = element else {
                throw err("expected an array of strings, found an element \(describe(element))")
            }
            result.append(s)
        }
        return result
    }

    private func count(_ value: JSONValue, err: (String) -> SchemaError) throws(SchemaError) -> Int {
        switch value {
        case .int(let i) where i >= 0: return i
        case .double(let d) where d >= 0 && d.rounded() == d && d < 9.0e18: return Int(d)
        default: throw err("expected a non-negative integer, found \(describe(value))")
        }
    }

    private func number(_ value: JSONValue, err: (String) -> SchemaError) throws(SchemaError) -> NumberValue {
        switch value {
        case .int(let i): return .int(i)
        case .double(let d) where d.isFinite: return .double(d)
        default: throw err("expected a number, found \(describe(value))")
        }
    }
}

/// A short description of a value for messages: its JSON type and, for scalars, the value itself
/// (long strings shortened).
func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return "boolean \(b)"
    case .int(let i): return "integer \(i)"
    case .double(let d): return "\(value.typeName) \(JSONValue.double(d).jsonText())"
    case .string(let s): return "string \(quoted(s))"
    case .array(let a): return "array of \(a.count) item\(a.count == 1 ? "" : "s")"
    case .object(let o): return "object with \(o.count) propert\(o.count == 1 ? "y" : "ies")"
    }
}

/// A JSON literal for messages, shortened to about 40 characters.
func quoted(_ s: String, limit: Int = 40) -> String {
    let scalars = s.unicodeScalars
    if scalars.count <= limit { return JSONValue.string(s).jsonText() }
    var short = String.UnicodeScalarView()
    short.append(contentsOf: scalars.prefix(limit))
    return JSONValue.string(String(short)).jsonText() + "…"
}

/// A value as compact JSON for messages, shortened to about 60 characters.
func literal(_ value: JSONValue) -> String {
    if case .string(let s) = value { return quoted(s) }
    let text = value.jsonText()
    let scalars = text.unicodeScalars
    guard scalars.count > 60 else { return text }
    var short = String.UnicodeScalarView()
    short.append(contentsOf: scalars.prefix(60))
    return String(short) + "…"
}
