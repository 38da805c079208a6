import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("Applicators: allOf, anyOf, oneOf, not, if/then/else")
struct ApplicatorTests {
    @Test("allOf reports every member's violations")
    func allOf() throws {
        let schema: JSONValue = ["allOf": [["type": "string"], ["minLength": 3], ["pattern": "^a"]]]
        #expect(try violations(schema, "b") == [
            "$: expected at least 3 characters, found 1",
            "$: \"b\" does not match the pattern '^a'",
        ])
        #expect(try violations(schema, "abc") == [])
    }

    @Test("anyOf passes when one alternative does")
    func anyOfPasses() throws {
        #expect(try violations(["anyOf": [["type": "string"], ["minimum": 10]]], 12) == [])
    }

    @Test("anyOf failure summarises each alternative's first problem")
    func anyOfSummary() throws {
        let found = try violations(["anyOf": [["type": "string"], ["minimum": 10]]], 5)
        #expect(found == [
            "$: matches none of the 2 anyOf alternatives: [0] expected string, found integer 5; [1] expected a number >= 10, found 5"
        ])
    }

    @Test("oneOf with no match names nested paths and counts the rest")
    func oneOfNone() throws {
        let schema: JSONValue = [
            "oneOf": [
                ["required": ["a"]],
                ["required": ["b", "c"]],
            ]
        ]
        let found = try JSONSchema(schema).validate(["z": 1])
        #expect(found.map(\.description) == [
            "$: matches none of the 2 oneOf alternatives: [0] $.a: required property 'a' is missing; [1] $.b: required property 'b' is missing (+1 more)"
        ])
        #expect(found.map(\.keyword) == ["oneOf"])
    }

    @Test("oneOf with several matches says which")
    func oneOfMany() throws {
        let schema: JSONValue = ["oneOf": [["type": "integer"], ["type": "number", "minimum": 0], ["type": "string"]]]
        #expect(try violations(schema, 3) == ["$: matches 2 oneOf alternatives ([0] and [1]); it must match exactly one"])
        #expect(try violations(schema, -3) == [])
        #expect(try violations(schema, "s") == [])
    }

    @Test("not")
    func not() throws {
        let schema: JSONValue = ["properties": ["mode": ["not": ["enum": ["debug"]]]]]
        #expect(try violations(schema, ["mode": "debug"]) == ["$.mode: must not match the schema in 'not' (#/properties/mode/not)"])
        #expect(try violations(schema, ["mode": "prod"]) == [])
    }

    @Test("if/then/else picks the branch by the condition")
    func ifThenElse() throws {
        let schema: JSONValue = [
            "if": ["properties": ["kind": ["const": "card"]], "required": ["kind"]],
            "then": ["required": ["number"]],
            "else": ["required": ["iban"]],
        ]
        #expect(try violations(schema, ["kind": "card"]) == ["$.number: required property 'number' is missing"])
        #expect(try violations(schema, ["kind": "bank"]) == ["$.iban: required property 'iban' is missing"])
        #expect(try violations(schema, ["kind": "card", "number": "4111"]) == [])
    }

    @Test("if without then or else has no effect")
    func ifAlone() throws {
        #expect(try violations(["if": false], 1) == [])
    }

    @Test("nested applicators keep the deep instance path")
    func nestedPaths() throws {
        let schema: JSONValue = [
            "properties": ["pets": ["items": ["anyOf": [["type": "string"], ["type": "object", "required": ["name"]]]]]]
        ]
        #expect(try violations(schema, ["pets": ["rex", 4]]) == [
            "$.pets[1]: matches none of the 2 anyOf alternatives: [0] expected string, found integer 4; [1] expected object, found integer 4"
        ])
    }
}
