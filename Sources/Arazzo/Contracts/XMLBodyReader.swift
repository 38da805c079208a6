import Foundation
import ArazzoJSON
import ArazzoXPath
import OrderedCollections

/// Reads an XML body into the JSON value its schema describes, following the OpenAPI XML Object
/// (`name`, `attribute`, `wrapped`; decision CT7), so the converted schema can validate it.
///
/// Objects are keyed by schema property names: a finding's pointer names the property, which is
/// the element or attribute name unless `xml.name` renames it.
struct XMLBodyReader {
    /// What the root element should be called and what it was, when they differ.
    struct RootMismatch: Equatable {
        var expected: String
        var found: String
    }

    let checker: ContractChecker

    /// Elements nested deeper than this in the schema walk are read as text.
    static let maxDepth = 64

    /// The schema's members with `$ref` chains followed and `allOf` branches merged: the
    /// properties, types, items and XML Object a reader needs.
    struct View {
        var properties: [(name: String, schema: JSONValue)] = []
        var types: [String] = []
        var items: JSONValue?
        var xml: JSONObject?
    }

    func view(_ schema: JSONValue?, depth: Int = 0) -> View {
        var result = View()
        guard depth < 16, let resolved = checker.dereferenced(schema) else { return result }
        result.types = checker.typeNames(resolved)
        result.items = resolved["items"]
        result.xml = resolved["xml"]?.objectValue
        if case .object(let properties)? = resolved["properties"] {
            for (name, property) in properties { result.properties.append((name, property)) }
        }
        if case .array(let branches)? = resolved["allOf"] {
            for branch in branches {
                let part = view(branch, depth: depth + 1)
                for property in part.properties where !result.properties.contains(where: { $0.name == property.name }) {
                    result.properties.append(property)
                }
                if result.types.isEmpty { result.types = part.types }
                if result.items == nil { result.items = part.items }
                if result.xml == nil { result.xml = part.xml }
            }
        }
        if result.types.isEmpty, !result.properties.isEmpty { result.types = ["object"] }
        return result
    }

    /// The component a lone `$ref` names (`#/components/schemas/Pet` → `Pet`).
    static func componentName(_ schema: JSONValue?) -> String? {
        guard case .object(let members)? = schema, case .string(let reference)? = members["$ref"],
              let last = reference.split(separator: "/").last else { return nil }
        return String(last).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// The element name a schema asks for: its own `xml.name`, else its `$ref` target's, else
    /// the component the `$ref` names, else `fallback`.
    func elementName(_ schema: JSONValue?, fallback: String?) -> String? {
        if case .object(let members)? = schema, case .string(let name)? = members["xml"]?.objectValue?["name"] { return name }
        if case .string(let name)? = view(schema).xml?["name"] { return name }
        return Self.componentName(schema) ?? fallback
    }

    /// The body's value, and the root-name mismatch when the schema names its root.
    func read(_ root: XMLElementNode, schema: JSONValue) -> (value: JSONValue, mismatch: RootMismatch?) {
        var mismatch: RootMismatch?
        if let expected = elementName(schema, fallback: nil), expected != root.name {
            mismatch = RootMismatch(expected: expected, found: root.name)
        }
        return (value(of: root, schema: schema, depth: 0), mismatch)
    }

    /// One element as the schema's type: an object from attributes and children, an array from
    /// its children (the element is the wrapper), a scalar from its text.
    func value(of element: XMLElementNode, schema: JSONValue?, depth: Int) -> JSONValue {
        let shape = view(schema)
        guard depth < Self.maxDepth else { return .string(element.text) }
        if shape.types.contains("object") || (shape.types.isEmpty && (!element.children.isEmpty || !element.attributes.isEmpty)) {
            return object(element, shape: shape, depth: depth)
        }
        if shape.types.contains("array") {
            let itemName = elementName(shape.items, fallback: nil)
            let items = element.children.filter { itemName == nil || $0.name == itemName }
            return .array(items.map { value(of: $0, schema: shape.items, depth: depth + 1) })
        }
        return scalar(element.text, types: shape.types)
    }

    private func object(_ element: XMLElementNode, shape: View, depth: Int) -> JSONValue {
        var members = JSONObject()
        var usedChildren = Set<Int>()
        var usedAttributes = Set<String>()
        for (name, property) in shape.properties {
            let propertyShape = view(property)
            let own = property.objectValue?["xml"]?.objectValue
            let xml = own ?? propertyShape.xml
            let xmlName = explicitName(property) ?? name
            if xml?["attribute"] == .bool(true) {
                if let attribute = element.attributes.first(where: { $0.name == xmlName }) {
                    members[name] = scalar(attribute.value, types: propertyShape.types)
                    usedAttributes.insert(attribute.name)
                }
                continue
            }
            if propertyShape.types.contains("array") {
                // Items are named by `items.xml.name`, else the property (decision M4 writes them so).
                let itemName = explicitName(propertyShape.items) ?? name
                if xml?["wrapped"] == .bool(true) {
                    guard let index = element.children.firstIndex(where: { $0.name == xmlName }) else { continue }
                    usedChildren.insert(index)
                    let wrapper = element.children[index]
                    members[name] = .array(wrapper.children.filter { $0.name == itemName }
                        .map { value(of: $0, schema: propertyShape.items, depth: depth + 2) })
                } else {
                    let indices = element.children.indices.filter { element.children[$0].name == itemName && !usedChildren.contains($0) }
                    guard !indices.isEmpty else { continue }
                    usedChildren.formUnion(indices)
                    members[name] = .array(indices.map { value(of: element.children[$0], schema: propertyShape.items, depth: depth + 1) })
                }
                continue
            }
            guard let index = element.children.indices.first(where: { element.children[$0].name == xmlName && !usedChildren.contains($0) }) else {
                continue
            }
            usedChildren.insert(index)
            members[name] = value(of: element.children[index], schema: property, depth: depth + 1)
        }
        // What the schema does not describe becomes a string member, so `additionalProperties:
        // false` can report it (decision CT7).
        for attribute in element.attributes where !usedAttributes.contains(attribute.name) && members[attribute.name] == nil {
            members[attribute.name] = .string(attribute.value)
        }
        for (index, child) in element.children.enumerated() where !usedChildren.contains(index) && members[child.name] == nil {
            members[child.name] = .string(child.text)
        }
        return .object(members)
    }

    /// A member's or item's explicit `xml.name` (its own, else its `$ref` target's); a component's
    /// name does not name a member (decision M4 writes members under their property names).
    private func explicitName(_ items: JSONValue?) -> String? {
        if case .object(let members)? = items, case .string(let name)? = members["xml"]?.objectValue?["name"] { return name }
        if case .string(let name)? = view(items).xml?["name"] { return name }
        return nil
    }

    /// Text read as the schema's scalar type when it parses as one; otherwise the string, so the
    /// schema reports the type.
    func scalar(_ text: String, types: [String]) -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if types.contains("integer"), let int = Int(trimmed) { return .int(int) }
        if types.contains("number") {
            if let int = Int(trimmed) { return .int(int) }
            if let double = Double(trimmed), double.isFinite { return .double(double) }
        }
        if types.contains("boolean"), trimmed == "true" || trimmed == "false" { return .bool(trimmed == "true") }
        if types.contains("null"), trimmed.isEmpty, !types.contains("string") { return .null }
        return .string(text)
    }
}
