import ArazzoJSON
import ArazzoJSONSchema
import Testing

/// The verdict pass on a tape (decision TP3) where the tape's reading differs from the tree's:
/// `required` names (repeated, escaped, canonically equal), repeated member names.
@Suite struct TapeVerdictTests {
    static func agree(_ schema: JSONValue, _ text: String) throws -> Bool {
        let compiled = try JSONSchema(schema)
        let tape = try JSONTape(parsing: Array(text.utf8))
        let tree = try JSONValue(parsing: Array(text.utf8))
        return compiled.verdictIsValid(tape.root) == compiled.isValid(tree) && compiled.validate(tape.root) == compiled.violations(tree)
    }

    @Test(arguments: [
        #"{"a":1,"b":2}"#, #"{"a":1}"#, #"{"b":1,"a":2,"c":3}"#, #"{"\u0061":1,"b":2}"#, "{\"\u{212A}\":1,\"a\":1,\"b\":2}",
        #"{"a":1,"a":2}"#, #"{}"#, #"{"K":1,"a":0}"#,
    ])
    func requiredNamesAreMetAsOnTheTree(_ text: String) throws {
        #expect(try Self.agree(["required": ["a", "b", "a"]], text))
        #expect(try Self.agree(["required": ["K", "a"]], text))
        #expect(try Self.agree(["required": ["é"], "properties": ["a": ["type": "string"]]], text))
        #expect(try Self.agree(["type": "object", "properties": ["a": ["type": "integer", "minimum": 2]], "additionalProperties": false], text))
    }
}
