import ArazzoJSON
import ArazzoJSONSchema
import Foundation
import Testing

/// One row of a keyword table: a schema, an instance, and the violations expected as golden text.
struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let schema: JSONValue
    let instance: JSONValue
    let expected: [String]

    init(_ name: String, _ schema: JSONValue, _ instance: JSONValue, _ expected: [String] = []) {
        self.name = name
        self.schema = schema
        self.instance = instance
        self.expected = expected
    }

    var testDescription: String { name }
}

/// The violations of `instance` against `schema`, as `path: message` lines.
func violations(_ schema: JSONValue, _ instance: JSONValue, resolveRef: (String) -> JSONValue? = { _ in nil }) throws -> [String] {
    try JSONSchema(schema, resolveRef: resolveRef).validate(instance).map(\.description)
}

/// The schema error `schema` compiles to, if any.
func compileError(_ schema: JSONValue, resolveRef: (String) -> JSONValue? = { _ in nil }) -> SchemaError? {
    do {
        _ = try JSONSchema(schema, resolveRef: resolveRef)
        return nil
    } catch {
        return error
    }
}

