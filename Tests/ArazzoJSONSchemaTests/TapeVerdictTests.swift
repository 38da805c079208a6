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

    /// One walk answers `properties` and `required` from one table (decision JC1): names that are
    /// both, either, or neither; a required name met only escaped or by a repeat; a walk that
    /// stops once every required name is seen; more than 64 names together. `enum` of ASCII
    /// strings matched by bytes against raw, escaped and non-ASCII strings and other types; the
    /// type mask with integral and fractional doubles.
    @Test func oneMemberWalkEnumBytesAndTypeMaskAgreeWithTheTree() throws {
        let many = (0..<40).map { "p\($0)" }
        let schemas: [JSONValue] = [
            ["properties": ["a": ["type": "integer"], "b": ["type": "string"]], "required": ["b", "c"]],
            ["properties": ["a": ["type": "integer"]], "required": ["b", "c"], "additionalProperties": ["type": "integer"]],
            ["required": ["a", "b"], "minProperties": 1],
            ["properties": .object(JSONObject(uniqueKeysWithValues: many.map { ($0, ["type": "integer"] as JSONValue) })),
             "required": .array((0..<30).map { .string("q\($0)") })],
            ["properties": .object(JSONObject(uniqueKeysWithValues: many.prefix(30).map { ($0, ["type": "integer"] as JSONValue) })),
             "required": .array((0..<30).map { .string("q\($0)") } + ["p3"])],
            ["properties": ["a": ["enum": ["x", "yz", "", "K"]], "b": ["enum": ["x", 1, "é"]], "c": ["type": ["integer", "null"]],
                            "d": ["type": "number"], "e": ["type": "integer", "enum": [1, 2.0]]]],
            ["anyOf": [["required": ["a"]], ["required": ["b"]]], "properties": ["a": ["enum": ["x"]]]],
        ]
        let texts = [
            #"{"a":1,"b":"s","c":0}"#, #"{"b":"s"}"#, #"{"a":1,"c":2}"#, #"{"\u0062":"s","c":0}"#, #"{"c":0,"b":1,"b":"s"}"#,
            #"{"a":"x","b":"x"}"#, #"{"a":"\u0078","b":1}"#, #"{"a":"","b":"é"}"#, "{\"a\":\"\u{212A}\"}", #"{"a":"xy"}"#,
            #"{"a":1.0,"c":2.0,"d":1.5,"e":2}"#, #"{"c":2.5}"#, #"{"c":null,"e":1.0}"#, #"{"e":3}"#, #"{"a":["x"]}"#, "{}",
            "{" + (0..<30).map { "\"q\($0)\":\($0)" }.joined(separator: ",") + ",\"p3\":\"s\"}",
            "{" + (0..<30).map { "\"q\($0)\":\($0)" }.joined(separator: ",") + "}",
        ]
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
