import ArazzoJSON
import Testing
import OrderedCollections

/// A JSON text and the value it must parse to.
struct ValidCase: CustomTestStringConvertible, Sendable {
    let text: String
    let expected: JSONValue
    init(_ text: String, _ expected: JSONValue) {
        self.text = text
        self.expected = expected
    }
    var testDescription: String { text.debugDescription }
}

let validCases: [ValidCase] = [
    ValidCase("null", .null),
    ValidCase("true", .bool(true)),
    ValidCase(" \t\r\n false \n", .bool(false)),
    ValidCase("\"\"", .string("")),
    ValidCase("\"héllo 😀\"", .string("héllo 😀")),
    ValidCase("[]", .array([])),
    ValidCase("{}", .object([:])),
    ValidCase("[1, [2, [3]], {\"a\": []}]", [1, [2, [3]], ["a": []]]),
    ValidCase("{\"a\":{\"b\":{\"c\":null}},\"d\":[true,false]}", ["a": ["b": ["c": nil]], "d": [true, false]]),
    ValidCase("{ \"k\" : \"v\" , \"n\" : 1 }", ["k": "v", "n": 1]),
    // Escapes, including surrogate pairs and every short form.
    ValidCase(#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t")),
    ValidCase(#""\u0041\u00e9\u20AC""#, .string("Aé€")),
    ValidCase(#""\uD83D\uDE00""#, .string("😀")),
    ValidCase(#""a\u0000b""#, .string("a\u{0}b")),
    ValidCase(#""x\ny😀z""#, .string("x\ny😀z")),
    // Numbers: integers stay exact; anything with fraction or exponent is a double.
    ValidCase("0", .int(0)),
    ValidCase("-7", .int(-7)),
    ValidCase("9223372036854775807", .int(Int.max)),
    ValidCase("-9223372036854775808", .int(Int.min)),
    ValidCase("9223372036854775808", .double(9_223_372_036_854_775_808)),
    ValidCase("1.0", .double(1.0)),
    ValidCase("1.5e3", .double(1500)),
    ValidCase("1E-2", .double(0.01)),
    ValidCase("-0.000123", .double(-0.000123)),
    ValidCase("2.5E+10", .double(2.5e10)),
    ValidCase("0.1", .double(0.1)),
    ValidCase("3.141592653589793238462643383279", .double(3.141592653589793)),
    ValidCase("1e400", .double(.infinity)),
    ValidCase("1e-400", .double(0)),
    ValidCase("123456789012345678901234567890", .double(1.2345678901234568e29)),
    ValidCase("4.9e-324", .double(.leastNonzeroMagnitude)),
    ValidCase("1.7976931348623157e308", .double(1.7976931348623157e308)),
]

@Test("valid JSON texts parse to the expected values", arguments: validCases)
func valid(_ c: ValidCase) throws {
    let value = try JSONValue(parsing: c.text)
    #expect(value == c.expected)
    #expect(try JSONValue(parsing: Array(c.text.utf8)) == c.expected)
}

@Test("integers stay .int, fractions and exponents become .double")
func numberRepresentation() throws {
    guard case .int(42) = try JSONValue(parsing: "42") else { Issue.record("42 is not .int"); return }
    guard case .double(let d) = try JSONValue(parsing: "42.0"), d == 42 else { Issue.record("42.0 is not .double"); return }
    guard case .double(let e) = try JSONValue(parsing: "4e1"), e == 40 else { Issue.record("4e1 is not .double"); return }
    guard case .double(let zero) = try JSONValue(parsing: "-0"), zero == 0, zero.sign == .minus else {
        Issue.record("-0 does not keep its sign")
        return
    }
}

@Test("doubles round-trip bit-exactly against Swift's own parser", arguments: [
    "0.1", "0.3", "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324", "123.456e-7",
    "9007199254740993", "9007199254740993.0", "0.000000000000000000000000001", "89255.0e-22", "1e23",
    "8.98846567431158e307", "1234567890.0987654321", "-2.5e-3",
])
func doubleExactness(_ text: String) throws {
    let value = try JSONValue(parsing: text)
    let expected = try #require(Double(text))
    switch value {
    case .double(let d): #expect(d.bitPattern == expected.bitPattern)
    case .int(let i): #expect(Double(i) == expected)
    default: Issue.record("not a number: \(value)")
    }
}

@Test("member order is kept; a repeated key keeps the last value at its first position")
func objectOrderAndDuplicates() throws {
    let value = try JSONValue(parsing: #"{"b":1,"a":2,"b":3}"#)
    guard case .object(let object) = value else { Issue.record("not an object"); return }
    #expect(Array(object.keys) == ["b", "a"])
    #expect(object["b"] == .int(3))
}

/// Containers are assembled when they close, from flat stacks shared by every open one
/// (decision PA3): nesting must not mix their contents, and objects past OrderedDictionary's
/// 15-member linear range keep the same duplicate rule.
@Test("nested containers keep their own elements and members; a repeated key past 15 members too")
func nestedAssemblyAndLargeObjects() throws {
    let nested = try JSONValue(parsing: #"[{"a":[1,{"b":[],"c":{}}],"d":2},[[]],{"e":{"f":{"g":[3,[4]]}}},5]"#)
    #expect(nested == [["a": [1, ["b": [], "c": [:]]], "d": 2], [[]], ["e": ["f": ["g": [3, [4]]]]], 5])
    #expect(nested[0]?.objectValue.map { Array($0.keys) } == ["a", "d"])

    let names = (0..<20).map { "k\($0)" }
    let text = "{" + names.map { "\"\($0)\":0" }.joined(separator: ",") + #","k3":{"x":1,"x":2},"k19":[7]}"#
    guard case .object(let object) = try JSONValue(parsing: text) else { Issue.record("not an object"); return }
    #expect(Array(object.keys) == names)
    #expect(object["k3"] == ["x": 2])
    #expect(object["k3"]?.objectValue?.count == 1)
    #expect(object["k19"] == [7])
    #expect(object["k0"] == 0)

    // Names equal as Swift strings (canonically equivalent) are the same member, as before.
    guard case .object(let canonical) = try JSONValue(parsing: #"{"\u00e9":1,"z":0,"e\u0301":2}"#) else {
        Issue.record("not an object"); return
    }
    #expect(canonical.count == 2)
    #expect(canonical.keys.first.map { Array($0.unicodeScalars) } == ["\u{E9}"])
    #expect(canonical["\u{E9}"] == 2)
}

@Test("a UTF-8 byte-order mark is skipped")
func byteOrderMark() throws {
    #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
    // Offsets count the BOM's bytes; columns do not count the BOM.
    #expect(throws: JSONParseError(message: "unexpected text after the JSON value", line: 1, column: 3, offset: 5)) {
        try JSONValue(parsing: [0xEF, 0xBB, 0xBF, UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "]")])
    }
}

/// An invalid JSON text and the exact error.
struct InvalidCase: CustomTestStringConvertible, Sendable {
    let bytes: [UInt8]
    let error: JSONParseError
    init(_ text: String, _ message: String, line: Int = 1, column: Int, offset: Int) {
        self.init(Array(text.utf8), message, line: line, column: column, offset: offset)
    }
    init(_ bytes: [UInt8], _ message: String, line: Int = 1, column: Int, offset: Int) {
        self.bytes = bytes
        self.error = JSONParseError(message: message, line: line, column: column, offset: offset)
    }
    var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }
}

let invalidCases: [InvalidCase] = [
    InvalidCase("", "the JSON text is empty", column: 1, offset: 0),
    InvalidCase("   ", "the JSON text is empty", column: 4, offset: 3),
    InvalidCase("[1,]", "trailing comma before `]`", column: 3, offset: 2),
    InvalidCase("{\"a\":1,}", "trailing comma before `}`", column: 7, offset: 6),
    InvalidCase("[1 2]", "unexpected character `2`; expected `,` or `]` after an array element", column: 4, offset: 3),
    InvalidCase("{\"a\" 1}", "unexpected character `1`; expected `:` after a member name", column: 6, offset: 5),
    InvalidCase("{a:1}", "unexpected character `a`; expected a member name in double quotes", column: 2, offset: 1),
    InvalidCase("{\"a\":1 \"b\":2}", "unexpected character `\"`; expected `,` or `}` after an object member", column: 8, offset: 7),
    InvalidCase("[1] x", "unexpected text after the JSON value", column: 5, offset: 4),
    InvalidCase("[1", "unexpected end of input; expected `,` or `]` after an array element", column: 3, offset: 2),
    InvalidCase("{\"a\":", "unexpected end of input; expected a value", column: 6, offset: 5),
    InvalidCase("// c\n1", "comments are not allowed in JSON", column: 1, offset: 0),
    InvalidCase("[1, /* c */ 2]", "comments are not allowed in JSON", column: 5, offset: 4),
    InvalidCase("'a'", "strings must use double quotes", column: 1, offset: 0),
    InvalidCase("NaN", "NaN and Infinity are not JSON numbers", column: 1, offset: 0),
    InvalidCase("[-Infinity]", "`-` must be followed by a digit", column: 2, offset: 1),
    InvalidCase("01", "leading zeros are not allowed in JSON numbers", column: 1, offset: 0),
    InvalidCase("-01", "leading zeros are not allowed in JSON numbers", column: 1, offset: 0),
    InvalidCase("1.", "a digit must follow the decimal point", column: 3, offset: 2),
    InvalidCase(".5", "unexpected character `.`; expected a value", column: 1, offset: 0),
    InvalidCase("1e", "a digit must follow the exponent marker", column: 3, offset: 2),
    InvalidCase("+1", "unexpected character `+`; expected a value", column: 1, offset: 0),
    InvalidCase("0x10", "unexpected text after the JSON value", column: 2, offset: 1),
    InvalidCase("tru", "invalid literal; expected `true`", column: 1, offset: 0),
    InvalidCase("[nul]", "invalid literal; expected `null`", column: 2, offset: 1),
    InvalidCase("True", "unexpected character `T`; expected a value", column: 1, offset: 0),
    InvalidCase("\"abc", "unterminated string; add the closing `\"`", column: 1, offset: 0),
    InvalidCase("\"a\\", "unterminated string; add the closing `\"`", column: 1, offset: 0),
    InvalidCase("\"a\nb\"", "control character U+000A in string must be escaped", column: 3, offset: 2),
    InvalidCase("\"\\q\"", "invalid escape `\\q`; JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", column: 2, offset: 1),
    InvalidCase("\"\\u12G4\"", "`\\u` must be followed by four hex digits", column: 2, offset: 1),
    InvalidCase("\"\\uD800\"", "lone high surrogate \\uD800; it must be followed by a \\uDC00–\\uDFFF escape", column: 2, offset: 1),
    InvalidCase("\"\\uD800\\u0041\"", "lone high surrogate \\uD800; it must be followed by a \\uDC00–\\uDFFF escape", column: 2, offset: 1),
    InvalidCase("\"x\\uDC00\"", "lone low surrogate \\uDC00 in string", column: 3, offset: 2),
    InvalidCase([0x22, 0x61, 0xFF, 0x22], "invalid UTF-8 byte 0xFF in string", column: 3, offset: 2),
    InvalidCase([0x22, 0xC3, 0x22], "truncated UTF-8 sequence in string", column: 2, offset: 1),
    InvalidCase([0x22, 0x61, 0xF0, 0x9F, 0x98, 0x22], "truncated UTF-8 sequence in string", column: 3, offset: 2),
    InvalidCase([0x22, 0xE2, 0x28, 0xA1, 0x22], "invalid UTF-8 sequence in string", column: 2, offset: 1),
    InvalidCase([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 sequence in string", column: 2, offset: 1),
    InvalidCase([0x22, 0x5C, 0x6E, 0xC0, 0xAF, 0x22], "invalid UTF-8 byte 0xC0 in string", column: 4, offset: 3),
    InvalidCase([0x5B, 0x00, 0x5D], "unexpected byte 0x00; expected a value", column: 2, offset: 1),
    // Positions: lines split at \n, columns count Unicode scalars, offsets count bytes.
    InvalidCase("{\n  \"é\": [1,\n    2,,]\n}", "unexpected `,`; expected a value", line: 3, column: 7, offset: 20),
    InvalidCase("[\"😀\", x]", "unexpected character `x`; expected a value", column: 7, offset: 9),
]

@Test("invalid JSON texts fail with the exact message and position", arguments: invalidCases)
func invalid(_ c: InvalidCase) {
    #expect(throws: c.error) { try JSONValue(parsing: c.bytes) }
}

@Test("nesting is bounded by maxDepth")
func depthLimit() throws {
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect(throws: Never.self) { try JSONValue(parsing: ok) }
    let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    #expect(throws: JSONParseError(message: "containers are nested deeper than 512 levels", line: 1, column: 513, offset: 512)) {
        try JSONValue(parsing: deep)
    }
    #expect(throws: JSONParseError(message: "containers are nested deeper than 2 levels", line: 1, column: 7, offset: 6)) {
        try JSONValue(parsing: #"{"a":[{"b":{}}]}"#, maxDepth: 2)
    }
    #expect(try JSONValue(parsing: "[[]]", maxDepth: 2) == [[]])
    #expect(try JSONValue(parsing: "1", maxDepth: 0) == 1)
}

@Test("a very deep hostile document fails cleanly instead of exhausting the stack")
func hostileDepth() {
    let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes, maxDepth: 100_000_000) }
}

@Test("parsing round-trips the serializer's output")
func roundTrip() throws {
    let value: JSONValue = [
        "id": 123, "name": "Pet \"Rex\"\n", "tags": ["a", "b"], "price": 12.5, "nested": ["x": nil, "y": [true]],
    ]
    #expect(try JSONValue(parsing: value.jsonText()) == value)
    #expect(try JSONValue(parsing: value.jsonText(.init(prettyPrinted: true))) == value)
}

@Test("error description is line:column: message")
func errorDescription() {
    #expect(JSONParseError(message: "m", line: 2, column: 5, offset: 9).description == "2:5: m")
}
