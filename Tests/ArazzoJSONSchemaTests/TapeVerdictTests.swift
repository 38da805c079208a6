import ArazzoJSON
import ArazzoJSONSchema
import OrderedCollections
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

    /// `required` checked in one walk of the names against a table (decision JF3), and
    /// `properties` found through the hashed table (JF1): names sharing prefixes, lengths and
    /// signatures, repeated and missing names, escaped names, more than 64 names.
    @Test func requiredAndPropertiesTablesAgreeWithTheTree() throws {
        let similar = (0..<12).map { "a\($0 % 10)\($0 / 10)b" } + ["a", "ab", "abb", "", "b"]
        let many = (0..<70).map { "p\($0)" }
        let schemas: [JSONValue] = [
            ["required": .array(similar.map { .string($0) })],
            ["required": .array((similar + similar.prefix(3)).map { .string($0) })],
            ["required": ["ab", "a", "ab"]],
            ["required": .array(many.map { .string($0) })],
            ["required": .array(many.prefix(64).map { .string($0) })],
            ["required": .array(many.prefix(63).map { .string($0) })],
            ["properties": .object(JSONObject(uniqueKeysWithValues: similar.map { ($0, ["type": "integer", "minimum": 1] as JSONValue) })), "additionalProperties": false],
            ["properties": .object(JSONObject(uniqueKeysWithValues: many.map { ($0, ["type": "integer"] as JSONValue) })), "required": ["p0"]],
        ]
        func text(_ names: [String]) -> String {
            "{" + names.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
        }
        var texts: [String] = [text(similar), text(similar.reversed()), text(Array(similar.dropLast())), text(Array(similar.dropFirst(3))),
            text(many), text(Array(many.dropLast())), text(Array(many.prefix(64))), text(Array(many.prefix(63))), text(["ab", "a"]),
            text(["ab", "a", "abc", "a0b"]), #"{"\u0061b":1,"a":2}"#, #"{"ab":1,"ab":2,"a":0}"#, "{}"]
        texts.append(text(similar + ["a00b"]))
        for schema in schemas {
            for text in texts {
                #expect(try Self.agree(schema, text), "\(schema) on \(text)")
            }
        }
    }

    /// The verdict pass over borrowed tape nodes (decision JG1) reads escaped, non-ASCII and
    /// nested names and values as the tree does, and the tree's `required` by key position (JG2)
    /// meets canonically equal names as its dictionary does: both agree with the full evaluator.
    @Test func borrowedWalkAndTreeRequiredAgreeWithTheEvaluator() throws {
        let schemas: [JSONValue] = [
            ["type": "object", "required": ["\u{e9}", "a"], "properties": ["a": ["type": "array", "items": ["type": "object", "required": ["k"], "properties": ["k": ["type": "string", "minLength": 2]]]]]],
            ["propertyNames": ["pattern": "^[a-z\u{e9}]+$"], "additionalProperties": ["enum": [1, "x", ["y": [true]]]]],
            ["properties": ["s": ["const": "a\"b\u{e9}"], "n": ["type": "number", "maximum": 2.5]], "unevaluatedProperties": false],
            ["type": "array", "prefixItems": [["type": "integer"]], "items": ["required": ["z"]], "contains": ["type": "object"]],
            ["required": ["a"], "dependentRequired": ["a": ["b"]], "minProperties": 2],
        ]
        let texts = [
            #"{"\u00e9":1,"a":[{"k":"ab"},{"k":"\u0061b"}]}"#, #"{"e\u0301":1,"a":[{"k":"ab"}]}"#, #"{"a":[{"k":"a"}],"é":2}"#,
            #"{"a":[{"j":1}]}"#, #"{"ab":1,"c":"x","d":{"y":[true]}}"#, #"{"ab":1,"C":"x"}"#, #"{"s":"a\"b\u00e9","n":2.5}"#,
            #"{"s":"a\"bé","n":3}"#, #"{"s":"a\"bé","m":1}"#, #"[1,{"z":0},{"z":1}]"#, #"[1,2]"#, #"["x"]"#, "5", #""é""#, "[]",
            #"{"a":1,"b":2}"#, #"{"a":1,"c":2}"#, #"{"\u0061":1,"a":2}"#,
        ]
        for schema in schemas {
            let compiled = try JSONSchema(schema)
            for text in texts {
                #expect(try Self.agree(schema, text), "\(schema) on \(text)")
                let tree = try JSONValue(parsing: Array(text.utf8))
                #expect(compiled.isValid(tree) == compiled.violations(tree).isEmpty, "\(schema) on \(text)")
            }
        }
    }
}
