import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("Schema errors")
struct SchemaErrorTests {
    static let cases: [(JSONValue, String)] = [
        ("x", "#: a schema must be an object or a boolean, found string \"x\""),
        (["type": 5], "#/type: type must be a type name or a non-empty array of them, found integer 5"),
        (["properties": ["a": ["type": "str"]]], "#/properties/a/type: unknown type \"str\"; use one of null, boolean, object, array, number, string, integer"),
        (["minLength": -1], "#/minLength: expected a non-negative integer, found integer -1"),
        (["maxItems": "3"], "#/maxItems: expected a non-negative integer, found string \"3\""),
        (["pattern": "("], "#/pattern: '(' is not a valid regular expression"),
        (["patternProperties": ["[": true]], "#/patternProperties/[: '[' is not a valid regular expression"),
        (["multipleOf": 0], "#/multipleOf: multipleOf must be greater than 0, found 0"),
        (["minimum": "1"], "#/minimum: expected a number, found string \"1\""),
        (["required": "a"], "#/required: expected an array of strings, found string \"a\""),
        (["required": ["a", 1]], "#/required: expected an array of strings, found an element integer 1"),
        (["enum": "a"], "#/enum: enum must be an array of allowed values, found string \"a\""),
        (["allOf": []], "#/allOf: allOf must be a non-empty array of schemas, found array of 0 items"),
        (["anyOf": [["type": 1]]], "#/anyOf/0/type: type must be a type name or a non-empty array of them, found integer 1"),
        (["$ref": 1], "#/$ref: $ref must be a string, found integer 1"),
        (["$dynamicRef": "#meta"], "#/$dynamicRef: cannot resolve $dynamicRef '#meta': no $anchor or $dynamicAnchor 'meta' in the schema, and the reference resolver does not know it"),
        (["$ref": "#nowhere"], "#/$ref: cannot resolve $ref '#nowhere': no $anchor or $dynamicAnchor 'nowhere' in the schema, and the reference resolver does not know it"),
        (["uniqueItems": "yes"], "#/uniqueItems: uniqueItems must be true or false, found string \"yes\""),
        (["properties": [1, 2]], "#/properties: properties must be an object, found array of 2 items"),
        (["items": 3], "#/items: a schema must be an object or a boolean, found integer 3"),
    ]

    @Test("malformed keywords are rejected with their schema path", arguments: cases)
    func malformed(_ schema: JSONValue, _ expected: String) {
        #expect(compileError(schema)?.description == expected)
    }

    @Test("schema nesting beyond the limit is an error, not a stack overflow")
    func deepSchema() {
        var schema: JSONValue = true
        for _ in 0..<5_000 { schema = ["not": schema] }
        let error = compileError(schema)
        #expect(error?.message == "schema nesting exceeds 128 levels")
    }

    @Test("subschemas in unreferenced $defs are not compiled")
    func unusedDefs() throws {
        #expect(try violations(["$defs": ["broken": ["type": "nope"]], "type": "string"], "ok") == [])
    }
}
