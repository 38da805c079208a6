import ArazzoJSON
import Foundation
import OrderedCollections

/// Turns schema JSON into a `Program`.
///
/// Compilation runs in two passes per document. Indexing walks the subschema positions (not `enum`,
/// `const` or unknown keywords) to learn each schema's base URI and to register every `$id`,
/// `$anchor` and `$dynamicAnchor` under its absolute URI; then nodes are compiled, and `$ref`
/// targets are queued on a work list rather than compiled by recursion, so reference chains of any
/// length cost no stack and each target is compiled once (cycles close on the already-queued node).
struct Compiler {
    /// A schema location: a document and a JSON pointer inside it.
    struct Key: Hashable {
        let root: Int
        let tokens: [String]
    }
    private struct Document {
        let value: JSONValue
        /// The prefix of schema paths in messages: `#` for the root, the hook's key otherwise.
        let name: String
        let base: URIReference
        let dialect: JSONSchema.Dialect
        /// False when the document's meta-schema declares a `$vocabulary` without the validation
        /// vocabulary: its assertion keywords (`type`, `minimum`, `required`, …) are then annotations.
        let validates: Bool
    }
    private struct Pending {
        let index: Int
        let key: Key
        let value: JSONValue
    }

    /// Schemes of the base URIs given to documents without an absolute identifier; a reference
    /// that only resolves against one of these goes to the hook as written.
    static let localScheme = "arazzo-local"

    private var builders: [SchemaNode.Builder?] = []
    private var documents: [Document] = []
    private var hookDocuments: [String: Int] = [:]
    private var externals: [String: JSONValue] = [:]
    private var compiled: [Key: Int] = [:]
    private var pending: [Pending] = []
    /// Absolute URIs (resources without fragment, anchors with `#name`) → location.
    private var locations: [String: Key] = [:]
    /// Base URI in effect at each indexed schema location.
    private var baseAt: [Key: URIReference] = [:]
    /// Resource URI → `$dynamicAnchor` name → location.
    private var dynamicAnchorLocations: [String: [String: Key]] = [:]
    /// Names some `$dynamicRef` may resolve dynamically.
    private var dynamicNames: Set<String> = []
    private var resources: [String] = []
    private var resourceIndex: [String: Int] = [:]
    private let options: JSONSchema.Options
    private let dialect: JSONSchema.Dialect
    private let resolveRef: (String) -> JSONValue?

    init(options: JSONSchema.Options, dialect: JSONSchema.Dialect, resolveRef: @escaping (String) -> JSONValue?) {
        self.options = options
        self.dialect = dialect
        self.resolveRef = resolveRef
    }

    mutating func compile(_ schema: JSONValue) throws(SchemaError) -> Program {
        let root = addDocument(schema, name: "#", base: nil, inherited: dialect)
        _ = enqueue(Key(root: root, tokens: []))
        while true {
            while let next = pending.popLast() {
                try compileNode(next.value, key: next.key, into: next.index, depth: 0)
            }
            // Every `$dynamicAnchor` a `$dynamicRef` may land on must be compiled too, wherever it is.
            var queued = false
            for (_, anchors) in dynamicAnchorLocations {
                for (name, key) in anchors where dynamicNames.contains(name) && compiled[key] == nil {
                    _ = enqueue(key)
                    queued = true
                }
            }
            if !queued { break }
        }
        var nodes: [SchemaNode] = []
        nodes.reserveCapacity(builders.count)
        for builder in builders {
            // Every allocated slot is filled before the work list drains; an empty one would be a
            // compiler bug, which degrades to an always-true schema rather than a crash.
            nodes.append(SchemaNode(builder ?? SchemaNode.Builder(schemaPath: "#")))
        }
        var dynamic = Array(repeating: [String: Int](), count: resources.count)
        for (resource, anchors) in dynamicAnchorLocations {
            guard let r = resourceIndex[resource] else { continue }
            for (name, key) in anchors {
                if let node = compiled[key] { dynamic[r][name] = node }
            }
        }
        return Program(nodes: nodes, externals: externals, dynamicAnchors: dynamic)
    }

    // MARK: Documents and indexing

    /// Registers a document and indexes its identifiers; `base` nil gives it a local base URI.
    private mutating func addDocument(_ value: JSONValue, name: String, base: URIReference?, inherited: JSONSchema.Dialect) -> Int {
        let d = documents.count
        let documentBase = base ?? URIReference("\(Self.localScheme):doc\(d)")
        let declared = Self.declaredDialect(value) ?? inherited
        documents.append(Document(value: value, name: name, base: documentBase, dialect: declared, validates: validationVocabulary(of: value)))
        locations[documentBase.text] = locations[documentBase.text] ?? Key(root: d, tokens: [])
        index(value, key: Key(root: d, tokens: []), base: documentBase, dialect: declared, depth: 0)
        return d
    }

    /// Whether the meta-schema a document's `$schema` names (when it is neither standard dialect)
    /// keeps the validation vocabulary. The meta-schema is fetched through the hook; one that
    /// cannot be fetched, or that has no `$vocabulary`, keeps every vocabulary.
    private func validationVocabulary(of value: JSONValue) -> Bool {
        guard Self.declaredDialect(value) == nil, case .object(let members) = value,
              case .string(let uri)? = members["$schema"]
        else { return true }
        let documentURI = URIReference(uri).withoutFragment.text
        guard case .object(let meta)? = MetaSchemas.document(documentURI) ?? resolveRef(documentURI),
              case .object(let vocabularies)? = meta["$vocabulary"]
        else { return true }
        return vocabularies["https://json-schema.org/draft/2020-12/vocab/validation"] != nil
    }

    /// The keywords of the 2020-12 validation vocabulary.
    static let validationKeywords: Set<String> = [
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
        "maxProperties", "minProperties", "required", "dependentRequired",
    ]

    /// The dialect a document's `$schema` names, if it names one this engine knows.
    static func declaredDialect(_ value: JSONValue) -> JSONSchema.Dialect? {
        guard case .object(let members) = value, case .string(let uri)? = members["$schema"] else { return nil }
        var text = uri
        if text.hasSuffix("#") { text.removeLast() }
        switch text {
        case "http://json-schema.org/draft-04/schema", "https://json-schema.org/draft-04/schema": return .draft4
        case "https://json-schema.org/draft/2020-12/schema": return .draft2020_12
        default: return nil
        }
    }

    /// The keywords whose value is one subschema, a map of subschemas, or an array of them.
    private static func subschemaPositions(_ dialect: JSONSchema.Dialect) -> (single: Set<String>, map: Set<String>, array: Set<String>) {
        switch dialect {
        case .draft2020_12:
            return (["additionalProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "contains",
                     "not", "if", "then", "else", "items", "additionalItems"],
                    ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"],
                    ["allOf", "anyOf", "oneOf", "prefixItems", "items"])
        case .draft4:
            return (["additionalProperties", "not", "items", "additionalItems"],
                    ["properties", "patternProperties", "definitions", "dependencies", "$defs"],
                    ["allOf", "anyOf", "oneOf", "items"])
        }
    }

    private mutating func index(_ value: JSONValue, key: Key, base: URIReference, dialect: JSONSchema.Dialect, depth: Int) {
        guard depth <= options.maxSchemaDepth + 1, case .object(let members) = value else { return }
        var base = base
        switch dialect {
        case .draft2020_12:
            if case .string(let id)? = members["$id"] {
                let resolved = URIReference(id).resolved(against: base)
                if (resolved.fragment ?? "").isEmpty {
                    base = resolved.withoutFragment
                    locations[base.text] = key
                }
            }
            if case .string(let anchor)? = members["$anchor"] {
                locations[base.text + "#" + anchor] = key
            }
            if case .string(let anchor)? = members["$dynamicAnchor"] {
                locations[base.text + "#" + anchor] = key
                dynamicAnchorLocations[base.text, default: [:]][anchor] = key
            }
        case .draft4:
            // Draft 4 ignores everything beside `$ref`, `id` included.
            if case .string(let id)? = members["id"], members["$ref"] == nil {
                let resolved = URIReference(id).resolved(against: base)
                let previous = base
                base = resolved.withoutFragment
                if let fragment = resolved.fragment, !fragment.isEmpty {
                    locations[resolved.text] = key
                    if base != previous { locations[base.text] = key }
                } else {
                    locations[base.text] = key
                }
            }
        }
        baseAt[key] = base
        let positions = Self.subschemaPositions(dialect)
        for (name, sub) in members {
            switch sub {
            case .array(let elements) where positions.array.contains(name):
                for (i, element) in elements.enumerated() {
                    index(element, key: Key(root: key.root, tokens: key.tokens + [name, String(i)]), base: base, dialect: dialect, depth: depth + 1)
                }
            case .object(let map) where positions.map.contains(name):
                for (member, element) in map {
                    index(element, key: Key(root: key.root, tokens: key.tokens + [name, member]), base: base, dialect: dialect, depth: depth + 1)
                }
            case .object where positions.single.contains(name):
                index(sub, key: Key(root: key.root, tokens: key.tokens + [name]), base: base, dialect: dialect, depth: depth + 1)
            default:
                break
            }
        }
    }

    /// The base URI at a location: from the index when it was indexed, else its parent's base
    /// changed by its own identifier (for pointers into places indexing does not walk).
    private func base(at key: Key) -> URIReference {
        if let known = baseAt[key] { return known }
        let document = documents[key.root]
        guard !key.tokens.isEmpty else { return document.base }
        let parent = base(at: Key(root: key.root, tokens: Array(key.tokens.dropLast())))
        let idKey = document.dialect == .draft4 ? "id" : "$id"
        if case .object(let members)? = value(at: key), case .string(let id)? = members[idKey] {
            let resolved = URIReference(id).resolved(against: parent)
            if (resolved.fragment ?? "").isEmpty { return resolved.withoutFragment }
        }
        return parent
    }

    private func value(at key: Key) -> JSONValue? {
        try? JSONPointer(tokens: key.tokens).resolve(in: documents[key.root].value)
    }

    private mutating func resource(for base: URIReference) -> Int {
        let text = base.text
        if let known = resourceIndex[text] { return known }
        resources.append(text)
        resourceIndex[text] = resources.count - 1
        return resources.count - 1
    }

    // MARK: Nodes

    private mutating func allocate() -> Int {
        builders.append(nil)
        return builders.count - 1
    }

    private func path(_ key: Key) -> String {
        documents[key.root].name + JSONPointer(tokens: key.tokens).description
    }

    /// Compiles an inline subschema into a fresh node.
    private mutating func child(_ value: JSONValue, _ key: Key, depth: Int) throws(SchemaError) -> Int {
        let index = allocate()
        try compileNode(value, key: key, into: index, depth: depth + 1)
        return index
    }

    private mutating func enqueue(_ key: Key) -> Int {
        if let index = compiled[key] { return index }
        let index = allocate()
        compiled[key] = index
        pending.append(Pending(index: index, key: key, value: value(at: key) ?? .bool(true)))
        return index
    }

    private mutating func compileNode(_ value: JSONValue, key: Key, into index: Int, depth: Int) throws(SchemaError) {
        let here = path(key)
        guard depth <= options.maxSchemaDepth else {
            throw SchemaError(message: "schema nesting exceeds \(options.maxSchemaDepth) levels", schemaPath: here)
        }
        guard builders.count <= options.maxSchemaNodes else {
            throw SchemaError(message: "schema has more than \(options.maxSchemaNodes) subschemas (counting each $ref target once)", schemaPath: here)
        }
        let dialect = documents[key.root].dialect
        let base = base(at: key)
        var b = SchemaNode.Builder(schemaPath: here)
        b.resource = resource(for: base)
        let members: JSONObject
        switch value {
        case .bool(let flag):
            // Draft 4 has no boolean schemas as such, but `additionalProperties: false` and
            // `additionalItems: false` read the same way.
            b.boolean = flag
            builders[index] = b
            return
        case .object(let object):
            members = object
        default:
            throw SchemaError(message: "a schema must be an object or a boolean, found \(describe(value))", schemaPath: here)
        }

        let root = key.root
        func sub(_ names: String...) -> Key { Key(root: root, tokens: key.tokens + names) }
        func err(_ name: String, _ message: String) -> SchemaError {
            SchemaError(message: message, schemaPath: path(sub(name)))
        }
        let modern = dialect == .draft2020_12

        if !modern, case .string(let reference)? = members["$ref"] {
            // Draft 4: a `$ref` object is the reference alone; its siblings are ignored.
            b.ref = enqueue(try resolveReference(reference, base: base, from: key, at: path(sub("$ref"))))
            builders[index] = b
            return
        }

        let validates = documents[key.root].validates
        for (name, keywordValue) in members {
            if !validates && Self.validationKeywords.contains(name) { continue }
            switch name {
            case "$ref":
                guard case .string(let reference) = keywordValue else {
                    throw err(name, "$ref must be a string, found \(describe(keywordValue))")
                }
                b.ref = enqueue(try resolveReference(reference, base: base, from: key, at: path(sub(name))))
            case "$dynamicRef" where modern:
                guard case .string(let reference) = keywordValue else {
                    throw err(name, "$dynamicRef must be a string, found \(describe(keywordValue))")
                }
                let targetKey = try resolveReference(reference, base: base, from: key, at: path(sub(name)))
                b.dynamicRef = enqueue(targetKey)
                // Dynamic only when the fragment is an anchor name and the initial target carries
                // the same `$dynamicAnchor` (the "bookend"); otherwise it is a plain `$ref`.
                let fragment = URIReference(reference).resolved(against: base).fragment ?? ""
                if !fragment.isEmpty, !fragment.hasPrefix("/"),
                   dynamicAnchorLocations[self.base(at: targetKey).text]?[fragment] == targetKey
                {
                    b.dynamicAnchor = fragment
                    dynamicNames.insert(fragment)
                }
            case "type":
                b.types = try parseTypes(keywordValue, err: { err(name, $0) })
            case "enum":
                guard case .array(let values) = keywordValue else {
                    throw err(name, "enum must be an array of allowed values, found \(describe(keywordValue))")
                }
                b.enumValues = values
            case "const" where modern:
                b.constValue = keywordValue
            case "required":
                b.required = try stringArray(keywordValue, err: { err(name, $0) })
            case "properties", "patternProperties", "dependentRequired", "dependentSchemas", "dependencies":
                if !modern && (name == "dependentRequired" || name == "dependentSchemas") { continue }
                if modern && name == "dependencies" { continue }
                guard case .object(let map) = keywordValue else {
                    throw err(name, "\(name) must be an object, found \(describe(keywordValue))")
                }
                for (member, subschema) in map {
                    let subKey = sub(name, member)
                    switch name {
                    case "properties":
                        b.properties.append((member, try child(subschema, subKey, depth: depth)))
                    case "patternProperties":
                        guard let pattern = Pattern(member) else {
                            throw SchemaError(message: "'\(member)' is not a valid regular expression", schemaPath: path(subKey))
                        }
                        b.patternProperties.append((pattern, try child(subschema, subKey, depth: depth)))
                    case "dependentSchemas":
                        b.dependentSchemas.append((member, try child(subschema, subKey, depth: depth)))
                    case "dependencies" where !isArray(subschema):
                        b.dependentSchemas.append((member, try child(subschema, subKey, depth: depth)))
                        b.dependentSchemasKeyword = name
                    default:
                        let names = try stringArray(subschema, err: { SchemaError(message: $0, schemaPath: path(subKey)) })
                        b.dependentRequired.append((member, names))
                    }
                }
            case "additionalProperties":
                b.additionalProperties = try child(keywordValue, sub(name), depth: depth)
            case "unevaluatedProperties" where modern:
                b.unevaluatedProperties = try child(keywordValue, sub(name), depth: depth)
            case "unevaluatedItems" where modern:
                b.unevaluatedItems = try child(keywordValue, sub(name), depth: depth)
            case "propertyNames" where modern:
                b.propertyNames = try child(keywordValue, sub(name), depth: depth)
            case "prefixItems" where modern:
                b.prefixItems = try schemaArray(keywordValue, name: name, key: key, depth: depth)
            case "items":
                if case .array = keywordValue {
                    // Draft 4 (and 2019-09) spelled prefixItems as an array-valued `items`.
                    b.prefixItems = try schemaArray(keywordValue, name: name, key: key, depth: depth)
                    b.prefixKeyword = "items"
                } else {
                    b.items = try child(keywordValue, sub(name), depth: depth)
                }
            case "additionalItems":
                if case .array = members["items"] {
                    b.items = try child(keywordValue, sub(name), depth: depth)
                    b.itemsKeyword = "additionalItems"
                }
            case "contains" where modern:
                b.contains = try child(keywordValue, sub(name), depth: depth)
            case "minContains" where modern: b.minContains = try count(keywordValue, err: { err(name, $0) })
            case "maxContains" where modern: b.maxContains = try count(keywordValue, err: { err(name, $0) })
            case "minItems": b.minItems = try count(keywordValue, err: { err(name, $0) })
            case "maxItems": b.maxItems = try count(keywordValue, err: { err(name, $0) })
            case "minLength": b.minLength = try count(keywordValue, err: { err(name, $0) })
            case "maxLength": b.maxLength = try count(keywordValue, err: { err(name, $0) })
            case "minProperties": b.minProperties = try count(keywordValue, err: { err(name, $0) })
            case "maxProperties": b.maxProperties = try count(keywordValue, err: { err(name, $0) })
            case "uniqueItems":
                guard case .bool(let flag) = keywordValue else {
                    throw err(name, "uniqueItems must be true or false, found \(describe(keywordValue))")
                }
                b.uniqueItems = flag
            case "pattern":
                guard case .string(let source) = keywordValue else {
                    throw err(name, "pattern must be a string, found \(describe(keywordValue))")
                }
                guard let pattern = Pattern(source) else {
                    throw err(name, "'\(source)' is not a valid regular expression")
                }
                b.pattern = pattern
            case "minimum": b.minimum = try number(keywordValue, err: { err(name, $0) })
            case "maximum": b.maximum = try number(keywordValue, err: { err(name, $0) })
            case "exclusiveMinimum", "exclusiveMaximum":
                if modern {
                    let bound = try number(keywordValue, err: { err(name, $0) })
                    if name == "exclusiveMinimum" { b.exclusiveMinimum = bound } else { b.exclusiveMaximum = bound }
                } else {
                    guard case .bool(let flag) = keywordValue else {
                        throw err(name, "in draft 4, \(name) must be true or false (it modifies \(name == "exclusiveMinimum" ? "minimum" : "maximum")), found \(describe(keywordValue))")
                    }
                    if name == "exclusiveMinimum" { b.minimumExclusive = flag } else { b.maximumExclusive = flag }
                }
            case "multipleOf":
                let divisor = try number(keywordValue, err: { err(name, $0) })
                guard divisor.doubleValue > 0 else {
                    throw err(name, "multipleOf must be greater than 0, found \(keywordValue)")
                }
                b.multipleOf = divisor
            case "allOf": b.allOf = try schemaArray(keywordValue, name: name, key: key, depth: depth, nonEmpty: true)
            case "anyOf": b.anyOf = try schemaArray(keywordValue, name: name, key: key, depth: depth, nonEmpty: true)
            case "oneOf": b.oneOf = try schemaArray(keywordValue, name: name, key: key, depth: depth, nonEmpty: true)
            case "not": b.not = try child(keywordValue, sub(name), depth: depth)
            case "if" where modern: b.ifNode = try child(keywordValue, sub(name), depth: depth)
            case "then" where modern: b.thenNode = try child(keywordValue, sub(name), depth: depth)
            case "else" where modern: b.elseNode = try child(keywordValue, sub(name), depth: depth)
            case "format":
                if case .string(let format) = keywordValue {
                    b.format = format
                    if options.assertFormat { b.formatCheck = FormatCheck(format) }
                }
            case "default":
                b.defaultValue = keywordValue
            default:
                // Annotations (title, description, examples, $defs, $schema, $comment, …), keywords
                // of the other dialect, and unknown keywords do not take part in validation.
                break
            }
        }
        builders[index] = b
    }

    private func isArray(_ value: JSONValue) -> Bool {
        if case .array = value { return true }
        return false
    }

    // MARK: References

    /// Resolves a `$ref` (or `$dynamicRef`) to a node index, queueing the target the first time.
    ///
    /// The reference is resolved against the base URI in effect (RFC 3986). A target inside a known
    /// document — by resource URI plus a JSON pointer or anchor fragment — compiles from there.
    /// Otherwise the hook is asked: with the absolute URI without fragment when the reference
    /// resolves to one (the document it returns is indexed and the fragment applied inside it); and,
    /// when that fails or there is no absolute base, with the reference text verbatim, the value it
    /// returns then being the target itself (how `fragmentResolver(in:)` serves `#/components/…`).
    private mutating func resolveReference(_ reference: String, base: URIReference, from key: Key, at here: String) throws(SchemaError) -> Key {
        let target = URIReference(reference).resolved(against: base)
        let documentURI = target.withoutFragment.text
        let fragment = (target.fragment ?? "").removingPercentEncodingIfValid
        if let resource = locations[documentURI], let found = locate(fragment, in: resource, resourceURI: documentURI) {
            return found
        }
        let inheritedDialect = documents[key.root].dialect
        if target.isAbsolute && target.scheme != Self.localScheme {
            let doc: Int?
            if let known = hookDocuments[documentURI] {
                doc = known
            } else if let builtIn = MetaSchemas.document(documentURI) ?? resolveRef(documentURI) {
                externals[documentURI] = builtIn
                let d = addDocument(builtIn, name: documentURI, base: target.withoutFragment, inherited: inheritedDialect)
                hookDocuments[documentURI] = d
                doc = d
            } else {
                doc = nil
            }
            if let doc, let found = locate(fragment, in: Key(root: doc, tokens: []), resourceURI: documentURI) {
                return found
            }
        }
        if let known = hookDocuments[reference] {
            return Key(root: known, tokens: [])
        }
        if let resolved = resolveRef(reference) {
            externals[reference] = resolved
            let d = addDocument(resolved, name: reference, base: nil, inherited: inheritedDialect)
            hookDocuments[reference] = d
            return Key(root: d, tokens: [])
        }
        let hint: String
        if reference.hasPrefix("#/") || reference == "#" {
            hint = "no such location in the schema, and the reference resolver does not know it"
        } else if reference.hasPrefix("#") {
            hint = "no $anchor or $dynamicAnchor '\(fragment)' in the schema, and the reference resolver does not know it"
        } else {
            hint = "the reference resolver does not know it"
        }
        let keyword = here.hasSuffix("/$dynamicRef") ? "$dynamicRef" : "$ref"
        throw SchemaError(message: "cannot resolve \(keyword) '\(reference)': \(hint)", schemaPath: here)
    }

    /// The location a fragment names inside the resource at `resource`: the resource itself for an
    /// empty fragment, a JSON pointer below it, or an anchor registered under the resource's URI.
    private func locate(_ fragment: String, in resource: Key, resourceURI: String) -> Key? {
        if fragment.isEmpty { return resource }
        if fragment.hasPrefix("/") {
            guard let pointer = try? JSONPointer(parsing: fragment) else { return nil }
            let key = Key(root: resource.root, tokens: resource.tokens + pointer.tokens)
            return value(at: key) == nil ? nil : key
        }
        return locations[resourceURI + "#" + fragment]
    }

    // MARK: Keyword values

    private mutating func schemaArray(
        _ value: JSONValue, name: String, key: Key, depth: Int, nonEmpty: Bool = false
    ) throws(SchemaError) -> [Int] {
        guard case .array(let elements) = value, !(nonEmpty && elements.isEmpty) else {
            throw SchemaError(
                message: "\(name) must be a\(nonEmpty ? " non-empty" : "n") array of schemas, found \(describe(value))",
                schemaPath: path(Key(root: key.root, tokens: key.tokens + [name])))
        }
        var result: [Int] = []
        for (i, element) in elements.enumerated() {
            result.append(try child(element, Key(root: key.root, tokens: key.tokens + [name, String(i)]), depth: depth))
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
