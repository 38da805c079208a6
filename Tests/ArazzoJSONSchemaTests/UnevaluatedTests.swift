import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("unevaluatedProperties, unevaluatedItems, dependentSchemas")
struct UnevaluatedTests {
    /// The composition `additionalProperties: false` cannot express: properties declared in
    /// `allOf` members and a `$ref` count as evaluated.
    static let composed: JSONValue = [
        "$defs": ["base": ["properties": ["id": ["type": "string"]]]],
        "$ref": "#/$defs/base",
        "allOf": [["properties": ["name": ["type": "string"]]]],
        "unevaluatedProperties": false,
    ]

    @Test("members declared through $ref and allOf are evaluated; others are not allowed")
    func composed() throws {
        #expect(try violations(Self.composed, ["id": "1", "name": "n"]) == [])
        #expect(try violations(Self.composed, ["id": "1", "extra": true]) == [
            "$.extra: property 'extra' is not allowed; no applicable subschema declares it"
        ])
    }

    @Test("only passing anyOf alternatives and the taken if-branch contribute")
    func conditionalAnnotations() throws {
        let schema: JSONValue = [
            "anyOf": [
                ["properties": ["a": ["type": "string"]], "required": ["a"]],
                ["properties": ["b": ["type": "string"]], "required": ["b"]],
            ],
            "if": ["properties": ["kind": ["const": "x"]]],
            "then": ["properties": ["xOnly": true]],
            "unevaluatedProperties": false,
        ]
        #expect(try violations(schema, ["a": "1", "b": "2", "kind": "x", "xOnly": 1]) == [])
        // "b" fails its alternative and "kind" fails `if`, so their annotations are dropped.
        #expect(try violations(schema, ["a": "1", "b": 2, "kind": "y", "xOnly": 1]) == [
            "$.b: property 'b' is not allowed; no applicable subschema declares it",
            "$.kind: property 'kind' is not allowed; no applicable subschema declares it",
            "$.xOnly: property 'xOnly' is not allowed; no applicable subschema declares it",
        ])
    }

    @Test("unevaluatedProperties with a schema validates the leftovers")
    func schemaValued() throws {
        let schema: JSONValue = ["properties": ["a": true], "unevaluatedProperties": ["type": "integer"]]
        #expect(try violations(schema, ["a": "x", "b": 1, "c": "no"]) == ["$.c: expected integer, found string \"no\""])
    }

    @Test("unevaluatedItems sees prefixItems and contains")
    func items() throws {
        let schema: JSONValue = [
            "prefixItems": [["type": "string"]],
            "contains": ["type": "boolean"],
            "unevaluatedItems": false,
        ]
        #expect(try violations(schema, ["a", true, false]) == [])
        #expect(try violations(schema, ["a", true, 3]) == ["$[2]: item [2] is not allowed; no applicable subschema covers it"])
    }

    @Test("dependentSchemas applies when the property is present")
    func dependentSchemas() throws {
        let schema: JSONValue = ["dependentSchemas": ["card": ["required": ["cvc"], "properties": ["cvc": ["type": "string"]]]]]
        #expect(try violations(schema, ["card": "4111"]) == ["$.cvc: required property 'cvc' is missing"])
        #expect(try violations(schema, ["card": "4111", "cvc": 1]) == ["$.cvc: expected string, found integer 1"])
        #expect(try violations(schema, ["other": 1]) == [])
    }
}
