import ArazzoJSON
import Foundation
import OrderedCollections

/// Which way a message travels: `readOnly` properties may not be sent in a request,
/// `writeOnly` ones may not come back in a response.
enum ContractDirection: String, Sendable, Hashable {
    case request
    case response
}

/// Turns an OpenAPI Schema Object into a JSON Schema 2020-12 schema the `ArazzoJSONSchema` engine
/// validates with, for one direction (docs/contracts.md, "Conversion").
///
/// OpenAPI 3.0 (and Swagger 2.0, which the loader converts to the 3.0 shape) schemas are rewritten:
/// `nullable`/`x-nullable` become a type array with `null`, boolean `exclusiveMinimum`/`Maximum`
/// the numeric form, siblings of `$ref` are dropped. For every version, `readOnly`/`writeOnly`
/// properties are forbidden in the direction that may not carry them (and dropped from
/// `required`), and a `discriminator` picks the `oneOf`/`anyOf` branch when the discriminating
/// property is present. Every `$ref` is rewritten to ``referencePrefix`` + the reference, so the
/// engine asks the resolution hook for it and the target is converted lazily, once.
struct OpenAPISchemaConverter {
    /// What a converted `$ref` starts with; the rest is the reference as the description wrote it,
    /// with `%` and `#` percent-encoded.
    static let referencePrefix = "arazzo-contract:"

    /// The `$ref` a converted schema carries for `reference`. Its `#` is encoded so the schema
    /// engine sees one absolute URI with no fragment: it then asks the hook for exactly this text
    /// and uses the (converted) answer whole, instead of asking for the document before the `#`
    /// and looking the fragment up in an unconverted copy.
    static func rewritten(_ reference: String) -> String {
        referencePrefix + reference.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "#", with: "%23")
    }

    /// The reference as the description wrote it, for a `$ref` made by ``rewritten(_:)``; `nil` for
    /// anything else.
    static func original(of rewrittenReference: String) -> String? {
        guard rewrittenReference.hasPrefix(referencePrefix) else { return nil }
        return String(rewrittenReference.dropFirst(referencePrefix.count))
            .replacingOccurrences(of: "%23", with: "#").replacingOccurrences(of: "%25", with: "%")
    }

    /// Whether the description is OpenAPI 3.0.x or Swagger 2.0 (the schema dialect before 3.1).
    let legacy: Bool
    let direction: ContractDirection
    /// Resolves a reference as written in the description (`#/components/schemas/Pet`).
    let resolve: (String) -> JSONValue?

    init(version: String, direction: ContractDirection, resolve: @escaping (String) -> JSONValue?) {
        self.legacy = !version.hasPrefix("3.1") && !version.hasPrefix("3.2")
        self.direction = direction
        self.resolve = resolve
    }

    /// Keywords whose value is one subschema.
    private static let singleSchemaKeywords: Set<String> = [
        "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedProperties", "unevaluatedItems", "additionalItems",
    ]
    /// Keywords whose value is a list of subschemas.
    private static let schemaListKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
    /// Keywords whose value maps names to subschemas.
    private static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]

    /// The converted schema; `depth` bounds inline nesting (the engine's own limit is lower).
    func convert(_ value: JSONValue, depth: Int = 0) -> JSONValue {
        guard case .object(let members) = value else { return value }
        guard depth < 200 else { return .bool(true) }
        if case .string(let reference)? = members["$ref"] {
            let rewritten = JSONValue.string(Self.rewritten(reference))
            // OpenAPI 3.0 §4.7.24.1: properties next to a `$ref` are ignored.
            if legacy { return .object(["$ref": rewritten]) }
        }
        var out = JSONObject()
        var typeNames: [String] = []
        for (key, keywordValue) in members {
            switch key {
            case "$ref":
                if case .string(let reference) = keywordValue {
                    out[key] = .string(Self.rewritten(reference))
                }
            case "items":
                if case .array(let list) = keywordValue {
                    out[key] = .array(list.map { convert($0, depth: depth + 1) })
                } else {
                    out[key] = convert(keywordValue, depth: depth + 1)
                }
            case _ where Self.singleSchemaKeywords.contains(key):
                out[key] = convert(keywordValue, depth: depth + 1)
            case _ where Self.schemaListKeywords.contains(key):
                if case .array(let list) = keywordValue {
                    out[key] = .array(list.map { convert($0, depth: depth + 1) })
                } else {
                    out[key] = keywordValue
                }
            case _ where Self.schemaMapKeywords.contains(key):
                if case .object(let map) = keywordValue {
                    out[key] = .object(map.mapValues { convert($0, depth: depth + 1) })
                } else {
                    out[key] = keywordValue
                }
            case "type":
                out[key] = keywordValue
                if case .string(let name) = keywordValue { typeNames = [name] }
            case _ where legacy && (key == "exclusiveMinimum" || key == "exclusiveMaximum"):
                // 3.0 / draft 4: a boolean that makes `minimum`/`maximum` exclusive.
                if case .bool = keywordValue { continue }
                out[key] = keywordValue
            case "example", "examples", "xml", "externalDocs", "deprecated", "nullable", "x-nullable", "discriminator":
                // Annotations (and keywords handled below): nothing to validate.
                continue
            default:
                out[key] = keywordValue
            }
        }
        if legacy {
            for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                if members[flag] == .bool(true), let limit = members[bound] {
                    out[flag] = limit
                    out[bound] = nil
                }
            }
            let nullable = members["nullable"] == .bool(true) || members["x-nullable"] == .bool(true)
            if nullable, !typeNames.isEmpty, !typeNames.contains("null") {
                // 3.0.3 §4.7.24: `nullable` only widens an explicit `type`.
                out["type"] = .array((typeNames + ["null"]).map(JSONValue.string))
                if case .array(var values)? = out["enum"], !values.contains(.null) {
                    values.append(.null)
                    out["enum"] = .array(values)
                }
            }
        }
        applyDirection(to: &out, original: members)
        if case .object(let discriminator)? = members["discriminator"] {
            applyDiscriminator(discriminator, to: &out, original: members)
        }
        return .object(out)
    }

    /// `readOnly` properties cannot appear in a request, `writeOnly` ones in a response: each
    /// becomes a `false` schema there and leaves `required`.
    private func applyDirection(to out: inout JSONObject, original: JSONObject) {
        guard case .object(let properties)? = original["properties"] else { return }
        let flag = direction == .request ? "readOnly" : "writeOnly"
        var forbidden: [String] = []
        for (name, property) in properties where marks(property, flag) {
            forbidden.append(name)
        }
        guard !forbidden.isEmpty, case .object(var converted)? = out["properties"] else { return }
        for name in forbidden { converted[name] = .bool(false) }
        out["properties"] = .object(converted)
        if case .array(let required)? = out["required"] {
            out["required"] = .array(required.filter { !forbidden.contains($0.stringValue ?? "") })
        }
    }

    /// Whether `schema` (or what its `$ref` chain leads to) sets `flag` to true.
    private func marks(_ schema: JSONValue, _ flag: String) -> Bool {
        var current = schema
        for _ in 0..<32 {
            guard case .object(let members) = current else { return false }
            if members[flag] == .bool(true) { return true }
            guard case .string(let reference)? = members["$ref"], let next = resolve(reference) else { return false }
            current = next
        }
        return false
    }

    /// With a `discriminator` and a `oneOf`/`anyOf` of references, an instance whose
    /// discriminating property names a branch is validated against that branch alone (so the
    /// findings are that branch's, not "matches none of the alternatives"); without the
    /// property, or with a value no branch is named by, the alternatives apply as written.
    private func applyDiscriminator(_ discriminator: JSONObject, to out: inout JSONObject, original: JSONObject) {
        guard case .string(let property)? = discriminator["propertyName"] else { return }
        let combinator = original["oneOf"] != nil ? "oneOf" : original["anyOf"] != nil ? "anyOf" : nil
        guard let combinator, case .array(let branches)? = original[combinator] else { return }
        var table: [(value: String, reference: String)] = []
        var named = Set<String>()
        if case .object(let mapping)? = discriminator["mapping"] {
            for (value, target) in mapping {
                guard case .string(let text) = target else { continue }
                // A mapping value is a reference, or a bare schema name under components/schemas.
                let reference = text.contains("/") || text.contains("#") ? text : "#/components/schemas/" + text
                table.append((value, reference))
                named.insert(reference)
            }
        }
        for branch in branches {
            guard case .string(let reference)? = branch.objectValue?["$ref"], !named.contains(reference),
                  let name = reference.split(separator: "/").last.map(String.init) else { continue }
            table.append((name, reference))
        }
        guard !table.isEmpty, let fallback = out[combinator] else { return }
        var chain: JSONValue = .object([combinator: fallback])
        for (value, reference) in table.reversed() {
            chain = .object([
                "if": .object(["properties": .object([property: .object(["const": .string(value)])]), "required": .array([.string(property)])]),
                "then": .object(["$ref": .string(Self.rewritten(reference))]),
                "else": chain,
            ])
        }
        out[combinator] = nil
        var allOf = out["allOf"]?.arrayValue ?? []
        allOf.append(chain)
        out["allOf"] = .array(allOf)
    }
}
