import ArazzoJSON
import ArazzoYAML
import Testing

/// YAML 1.2 core schema typing of plain scalars (YAML 1.2.2 §10.3.2).
@Suite("YAML 1.2 core schema")
struct CoreSchemaTests {
    @Test(
        "plain scalars resolve by the core schema",
        arguments: [
            ("null", JSONValue.null), ("Null", .null), ("NULL", .null), ("~", .null), ("", .null),
            ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)), ("false", .bool(false)),
            ("0", .int(0)), ("-17", .int(-17)), ("+5", .int(5)), ("0o17", .int(15)), ("0x1F", .int(31)),
            ("0xff", .int(255)), ("1.0", .double(1.0)), ("-0.5", .double(-0.5)), (".5", .double(0.5)),
            ("1.", .double(1.0)), ("1e3", .double(1000)), ("6.02E+23", .double(6.02e23)),
            (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)), ("+.INF", .double(.infinity)),
        ])
    func resolves(_ text: String, _ expected: JSONValue) {
        #expect(CoreSchema.resolve(text) == expected)
    }

    @Test(
        "YAML 1.1 spellings stay strings (no Norway problem)",
        arguments: ["yes", "no", "on", "off", "Y", "n", "1_000", "0b101", "1:30", "0x", "0o", "0o8", "0xG",
                    "-", "+", ".", "1e", "1.2.3", "nul", "truex", "2001-12-14", "0777x", "--1", "1e+"])
    func staysString(_ text: String) {
        #expect(CoreSchema.resolve(text) == .string(text))
    }

    @Test(".nan is a NaN double")
    func nan() {
        guard case .double(let d) = CoreSchema.resolve(".nan") else {
            Issue.record("expected a double")
            return
        }
        #expect(d.isNaN)
    }

    @Test("quoted and block scalars are always strings, with their style")
    func quotedStrings() throws {
        let node = try YAMLParser.parse(
            """
            a: '1'
            b: "true"
            c: |
              null
            d: >
              42
            e: 1.0
            f: !!str 12
            g: ! 12
            h: !!float 3
            """, file: "t.yaml")
        #expect(node["a"]?.scalar?.value == "1")
        #expect(node["a"]?.scalar?.style == .singleQuoted)
        #expect(node["b"]?.scalar?.value == "true")
        #expect(node["b"]?.scalar?.style == .doubleQuoted)
        #expect(node["c"]?.scalar?.value == "null\n")
        #expect(node["c"]?.scalar?.style == .literal)
        #expect(node["d"]?.scalar?.value == "42\n")
        #expect(node["d"]?.scalar?.style == .folded)
        #expect(node["e"]?.scalar?.value == .double(1.0))
        #expect(node["e"]?.scalar?.text == "1.0", "the raw text is kept so versions like 1.0 stay exact")
        #expect(node["f"]?.scalar?.value == "12")
        #expect(node["g"]?.scalar?.value == "12")
        #expect(node["h"]?.scalar?.value == .double(3))
    }

    @Test("integers beyond 64 bits become doubles, not errors")
    func hugeInteger() {
        #expect(CoreSchema.resolve("123456789012345678901234567890") == .double(123456789012345678901234567890))
    }
}
