import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("Assertion keywords")
struct KeywordTests {
    static let typeCases: [Case] = [
        Case("string ok", ["type": "string"], "x"),
        Case("string vs integer", ["type": "string"], 123, ["$: expected string, found integer 123"]),
        Case("integer ok", ["type": "integer"], 5),
        Case("integer accepts 1.0", ["type": "integer"], 1.0),
        Case("integer rejects 1.5", ["type": "integer"], 1.5, ["$: expected integer, found number 1.5"]),
        Case("number accepts integer", ["type": "number"], 7),
        Case("number rejects string", ["type": "number"], "7", ["$: expected number, found string \"7\""]),
        Case("boolean rejects null", ["type": "boolean"], nil, ["$: expected boolean, found null"]),
        Case("null ok", ["type": "null"], nil),
        Case("array of types ok", ["type": ["string", "null"]], nil),
        Case("array of types message", ["type": ["string", "integer", "null"]], true,
             ["$: expected string, integer or null, found boolean true"]),
        Case("object rejects array", ["type": "object"], [1, 2], ["$: expected object, found array of 2 items"]),
        Case("array rejects object", ["type": "array"], ["a": 1], ["$: expected array, found object with 1 property"]),
    ]

    @Test("type", arguments: typeCases)
    func type(_ c: Case) throws {
        #expect(try violations(c.schema, c.instance) == c.expected)
    }

    static let valueCases: [Case] = [
        Case("enum ok", ["enum": ["a", "b", 1]], 1.0),
        Case("enum miss", ["enum": ["a", "b"]], "c", ["$: expected one of \"a\", \"b\"; found \"c\""]),
        Case("enum structural", ["enum": [["x": [1, 2]]]], ["x": [1, 2]]),
        Case("const ok", ["const": ["a": 1, "b": 2]], ["b": 2, "a": 1]),
        Case("const miss", ["const": 5], 6, ["$: expected 5, found 6"]),
        Case("const null vs false", ["const": nil], false, ["$: expected null, found false"]),
    ]

    @Test("enum and const", arguments: valueCases)
    func values(_ c: Case) throws {
        #expect(try violations(c.schema, c.instance) == c.expected)
    }

    static let objectCases: [Case] = [
        Case("required missing two", ["required": ["a", "b", "c"]], ["b": 1],
             ["$.a: required property 'a' is missing", "$.c: required property 'c' is missing"]),
        Case("required ignores non-objects", ["required": ["a"]], "text"),
        Case("properties nested path", ["properties": ["user": ["properties": ["age": ["type": "integer"]]]]],
             ["user": ["age": "ten"]], ["$.user.age: expected integer, found string \"ten\""]),
        Case("odd member names are quoted", ["properties": ["a b": ["type": "string"], "it's": ["type": "string"]]],
             ["a b": 1, "it's": 2],
             ["$['a b']: expected string, found integer 1", "$['it\\'s']: expected string, found integer 2"]),
        Case("additionalProperties false", ["properties": ["a": true, "b": true], "additionalProperties": false],
             ["a": 1, "zz": 2], ["$.zz: property 'zz' is not allowed; expected 'a' or 'b'"]),
        Case("additionalProperties false no properties", ["additionalProperties": false],
             ["x": 1], ["$.x: property 'x' is not allowed; this object allows no properties"]),
        Case("additionalProperties schema", ["properties": ["a": true], "additionalProperties": ["type": "integer"]],
             ["a": "s", "b": 2, "c": "no"], ["$.c: expected integer, found string \"no\""]),
        Case("patternProperties", ["patternProperties": ["^x-": ["type": "string"]], "additionalProperties": false],
             ["x-ok": "y", "x-bad": 1, "other": 2],
             ["$['x-bad']: expected string, found integer 1",
              "$.other: property 'other' is not allowed; expected names matching '^x-'"]),
        Case("minProperties", ["minProperties": 2], ["a": 1], ["$: expected at least 2 properties, found 1"]),
        Case("maxProperties", ["maxProperties": 1], ["a": 1, "b": 2], ["$: expected at most 1 property, found 2"]),
        Case("propertyNames", ["propertyNames": ["maxLength": 3]], ["abcd": 1, "ab": 2],
             ["$.abcd: property name \"abcd\" is invalid: expected at most 3 characters, found 4"]),
        Case("dependentRequired", ["dependentRequired": ["card": ["cvc"]]], ["card": "4111"],
             ["$.cvc: property 'cvc' is required when 'card' is present"]),
    ]

    @Test("object keywords", arguments: objectCases)
    func objects(_ c: Case) throws {
        #expect(try violations(c.schema, c.instance) == c.expected)
    }

    static let arrayCases: [Case] = [
        Case("items", ["items": ["type": "integer"]], [1, "two", 3, nil],
             ["$[1]: expected integer, found string \"two\"", "$[3]: expected integer, found null"]),
        Case("prefixItems then items", ["prefixItems": [["type": "string"], ["type": "integer"]], "items": ["type": "boolean"]],
             ["a", 1, true, 5], ["$[3]: expected boolean, found integer 5"]),
        Case("prefixItems with items false", ["prefixItems": [true], "items": false],
             [1, 2], ["$[1]: expected at most 1 item; no more are allowed"]),
        Case("legacy array items", ["items": [["type": "string"]], "additionalItems": ["type": "integer"]],
             [1, 2], ["$[0]: expected string, found integer 1"]),
        Case("minItems", ["minItems": 2], [1], ["$: expected at least 2 items, found 1"]),
        Case("maxItems", ["maxItems": 1], [1, 2], ["$: expected at most 1 item, found 2"]),
        Case("uniqueItems", ["uniqueItems": true], [1, "a", 1.0, ["k": 1], ["k": 1]],
             ["$[2]: items must be unique; this equals item [0]", "$[4]: items must be unique; this equals item [3]"]),
        Case("uniqueItems false allows repeats", ["uniqueItems": false], [1, 1]),
        Case("contains", ["contains": ["type": "string"]], [1, 2], ["$: expected at least 1 item matching 'contains', found 0"]),
        Case("maxContains", ["contains": ["type": "string"], "maxContains": 1], ["a", "b"],
             ["$: expected at most 1 item matching 'contains', found 2"]),
    ]

    @Test("array keywords", arguments: arrayCases)
    func arrays(_ c: Case) throws {
        #expect(try violations(c.schema, c.instance) == c.expected)
    }

    static let stringCases: [Case] = [
        Case("minLength", ["minLength": 3], "ab", ["$: expected at least 3 characters, found 2"]),
        Case("maxLength", ["maxLength": 2], "abc", ["$: expected at most 2 characters, found 3"]),
        Case("length counts code points: emoji is one", ["maxLength": 1], "😀"),
        Case("length counts code points: decomposed é is two", ["maxLength": 1], "e\u{301}",
             ["$: expected at most 1 character, found 2"]),
        Case("pattern searches", ["pattern": "[0-9]{3}"], "ab123cd"),
        Case("pattern anchored", ["pattern": "^[0-9]{6}$"], "12345",
             ["$: \"12345\" does not match the pattern '^[0-9]{6}$'"]),
        Case("pattern $ is end of input only", ["pattern": "^abc$"], "abc\n",
             ["$: \"abc\\n\" does not match the pattern '^abc$'"]),
        Case("pattern \\d is ASCII", ["pattern": "^\\d+$"], "١٢٣",
             ["$: \"١٢٣\" does not match the pattern '^\\d+$'"]),
        Case("pattern \\w is ASCII", ["pattern": "^\\w+$"], "héllo",
             ["$: \"héllo\" does not match the pattern '^\\w+$'"]),
        Case("pattern \\d in a class", ["pattern": "^[\\d-]+$"], "12-34"),
        Case("string keywords ignore numbers", ["minLength": 5, "pattern": "^x"], 1),
    ]

    @Test("string keywords", arguments: stringCases)
    func strings(_ c: Case) throws {
        #expect(try violations(c.schema, c.instance) == c.expected)
    }

    static let numberCases: [Case] = [
        Case("minimum", ["minimum": 1], 0, ["$: expected a number >= 1, found 0"]),
        Case("minimum inclusive", ["minimum": 1], 1),
        Case("maximum", ["maximum": 10], 10.5, ["$: expected a number <= 10, found 10.5"]),
        Case("exclusiveMinimum", ["exclusiveMinimum": 1], 1, ["$: expected a number > 1, found 1"]),
        Case("exclusiveMaximum", ["exclusiveMaximum": 1.5], 1.5, ["$: expected a number < 1.5, found 1.5"]),
        Case("exact big integers", ["maximum": 9_007_199_254_740_992], 9_007_199_254_740_993,
             ["$: expected a number <= 9007199254740992, found 9007199254740993"]),
        Case("multipleOf integer", ["multipleOf": 5], 12, ["$: expected a multiple of 5, found 12"]),
        Case("multipleOf integer ok", ["multipleOf": 5], -15),
        Case("multipleOf decimal 0.3 of 0.1", ["multipleOf": 0.1], 0.3),
        Case("multipleOf decimal miss", ["multipleOf": 0.01], 0.125, ["$: expected a multiple of 0.01, found 0.125"]),
        Case("multipleOf huge integer", ["multipleOf": 7], 9_223_372_036_854_775_807),
        Case("number keywords ignore strings", ["minimum": 5], "1"),
    ]

    @Test("numeric keywords", arguments: numberCases)
    func numbers(_ c: Case) throws {
        #expect(try violations(c.schema, c.instance) == c.expected)
    }

    @Test("boolean schemas: true admits everything, false nothing")
    func booleanSchemas() throws {
        #expect(try violations(true, ["anything": [1, 2]]) == [])
        #expect(try violations(false, 1) == ["$: no value is allowed here (the schema is false)"])
        #expect(try violations(["properties": ["gone": false]], ["gone": 1]) == ["$.gone: no value is allowed here (the schema is false)"])
    }

    @Test("annotations and unknown keywords do not affect validation")
    func annotationsIgnored() throws {
        let schema: JSONValue = [
            "title": "T", "description": "D", "default": 5, "examples": [1], "format": "email",
            "x-custom": ["type": "string"], "$comment": "c", "deprecated": true,
        ]
        #expect(try violations(schema, 42) == [])
    }

    @Test("every violation is reported, not just the first")
    func allViolations() throws {
        let schema: JSONValue = [
            "type": "object", "required": ["id"],
            "properties": ["name": ["type": "string", "minLength": 2], "tags": ["type": "array", "items": ["type": "string"]]],
        ]
        let found = try violations(schema, ["name": "x", "tags": ["ok", 1, false]])
        #expect(found == [
            "$.id: required property 'id' is missing",
            "$.name: expected at least 2 characters, found 1",
            "$.tags[1]: expected string, found integer 1",
            "$.tags[2]: expected string, found boolean false",
        ])
    }

    @Test("violations carry keyword and path separately, and encode as JSON")
    func violationFields() throws {
        let v = try #require(try JSONSchema(["properties": ["code": ["type": "string"]]]).validate(["code": 123]).first)
        #expect(v.instancePath == "$.code")
        #expect(v.keyword == "type")
        #expect(v.message == "expected string, found integer 123")
        #expect(v.description == "$.code: expected string, found integer 123")
        let encoded = try JSONEncoderForTests.encode(v)
        #expect(v.instancePointer == "/code")
        #expect(v.schemaPath == "/properties/code/type")
        #expect(encoded == #"{"instancePath":"$.code","instancePointer":"\/code","keyword":"type","message":"expected string, found integer 123","schemaPath":"\/properties\/code\/type"}"#)
        // The older three-key form still decodes; the new locations are then empty.
        let old = try JSONDecoder().decode(SchemaViolation.self, from: Data(#"{"instancePath":"$.code","keyword":"type","message":"m"}"#.utf8))
        #expect(old == SchemaViolation(instancePath: "$.code", keyword: "type", message: "m"))
        #expect(try JSONDecoder().decode(SchemaViolation.self, from: Data(JSONEncoder().encode(v))) == v)
    }

    @Test("long values are shortened in messages")
    func longValues() throws {
        let long = String(repeating: "a", count: 100)
        let found = try violations(["type": "integer"], .string(long))
        #expect(found == ["$: expected integer, found string \"\(String(repeating: "a", count: 40))\"…"])
    }
}

import Foundation

enum JSONEncoderForTests {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

@Suite("Pattern safety")
struct PatternSafetyTests {
    @Test("catastrophic backtracking is abandoned with a violation instead of hanging")
    func backtracking() throws {
        let subject = String(repeating: "a", count: 40) + "!"
        let found = try JSONSchema(["pattern": "^(a+)+$"]).validate(.string(subject))
        #expect(found.map(\.keyword) == ["pattern"])
        #expect(found.first?.message.hasSuffix("the pattern backtracks too much; simplify it") == true)
    }

    @Test("ordinary patterns on long strings still finish normally")
    func longSubject() throws {
        let subject = String(repeating: "ab", count: 50_000) + "Z"
        #expect(try violations(["pattern": "Z$"], .string(subject)) == [])
    }
}
