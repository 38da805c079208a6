import ArazzoJSON
import ArazzoJSONSchema
import Foundation
import Testing

/// Violation locations (JSON Pointer into the instance, keyword location through `$ref`), message
/// bounds, dialect selection, format assertion and what the resolution hook is asked.
struct LocationAndDialectTests {
    static let order: JSONValue = [
        "$defs": ["item": [
            "type": "object", "required": ["sku"],
            "properties": ["price": ["type": "number", "minimum": 0], "sku": ["type": "string"]],
        ]],
        "properties": ["items": ["type": "array", "items": ["$ref": "#/$defs/item"]]],
    ]

    @Test("a violation names the instance by JSON Pointer and the keyword by its evaluation path")
    func pointers() throws {
        let schema = try JSONSchema(Self.order)
        let found = schema.validate(["items": [["sku": "a", "price": 1], ["sku": "b", "price": -2], ["price": 3]]])
        #expect(found.map(\.instancePointer) == ["/items/1/price", "/items/2/sku"])
        #expect(found.map(\.schemaPath) == ["/properties/items/items/$ref/properties/price/minimum", "/properties/items/items/$ref/required"])
        #expect(found.map(\.description) == ["$.items[1].price: expected a number >= 0, found -2", "$.items[2].sku: required property 'sku' is missing"])
    }

    @Test("member names with / and ~ are escaped in pointers")
    func escaping() throws {
        let schema = try JSONSchema(["properties": ["a/b": ["properties": ["c~d": ["type": "string"]]]]])
        let found = schema.validate(["a/b": ["c~d": 1]])
        #expect(found.map(\.instancePointer) == ["/a~1b/c~0d"])
        #expect(found.map(\.schemaPath) == ["/properties/a~1b/properties/c~0d/type"])
    }

    @Test("instance text in a message stays short")
    func bounded() throws {
        let long = String(repeating: "x", count: 500)
        let found = try JSONSchema(["enum": ["a"], "pattern": "^y"]).validate(.string(long))
        #expect(found.count == 2)
        for v in found {
            #expect(v.message.count < 160, "\(v.message)")
            #expect(v.message.contains("…"))
        }
        let alternatives: JSONValue = ["anyOf": [["type": "integer"], ["type": "number"], ["type": "boolean"], ["type": "null"], ["type": "array"]]]
        let summary = try JSONSchema(alternatives).validate(.string(long))
        #expect(summary.count == 1)
        #expect(summary.first.map { $0.message.count < 230 } == true, "\(summary)")
        let array = JSONValue.array(Array(repeating: .string(long), count: 50))
        let constFound = try JSONSchema(["const": 1]).validate(array)
        #expect(constFound.first.map { $0.message.count < 100 } == true)
    }

    @Test("$schema draft-04 selects draft 4; the dialect parameter applies otherwise")
    func dialects() throws {
        let draft4: JSONValue = ["$schema": "http://json-schema.org/draft-04/schema#", "minimum": 5, "exclusiveMinimum": true]
        #expect(try JSONSchema(draft4).validate(5).map(\.keyword) == ["exclusiveMinimum"])
        #expect(try JSONSchema(draft4).isValid(6))
        let plain: JSONValue = ["maximum": 5, "exclusiveMaximum": true]
        #expect(try JSONSchema(plain, dialect: .draft4).validate(5).map(\.keyword) == ["exclusiveMaximum"])
        // 2020-12 requires a number for exclusiveMaximum.
        #expect(compileError(plain) != nil)
        // Draft 4 `dependencies`, both forms; `const` is no keyword there.
        let deps: JSONValue = ["dependencies": ["a": ["b"], "c": ["required": ["d"]]], "const": 1]
        let schema = try JSONSchema(deps, dialect: .draft4)
        #expect(schema.validate(["a": 1]).map(\.instancePointer) == ["/b"])
        #expect(schema.validate(["c": 1]).map(\.schemaPath) == ["/dependencies/c/required"])
        #expect(schema.isValid(["x": 1]))
    }

    @Test("format is an annotation unless assertFormat is on")
    func formats() throws {
        let schema: JSONValue = ["properties": [
            "when": ["format": "date-time"], "id": ["format": "uuid"], "n": ["format": "int32"], "d": ["format": "double"],
        ]]
        let bad: JSONValue = ["when": "2024-13-01T00:00:00Z", "id": "nope", "n": 3_000_000_000, "d": 1.5]
        #expect(try JSONSchema(schema).isValid(bad))
        let asserting = try JSONSchema(schema, options: JSONSchema.Options(assertFormat: true))
        #expect(asserting.validate(bad).map(\.instancePointer) == ["/when", "/id", "/n"])
        #expect(asserting.validate(bad).first?.message == "expected an RFC 3339 date-time (2024-05-01T12:00:00Z), found string \"2024-13-01T00:00:00Z\"")
        #expect(asserting.isValid(["when": "2024-02-29T23:59:60Z", "id": "123e4567-e89b-12d3-a456-426614174000", "n": -2_147_483_648]))
    }

    @Test("the hook is asked for absolute URIs without fragment, and for local references as written")
    func hookArguments() throws {
        final class Log: @unchecked Sendable { var asked: [String] = [] }
        let log = Log()
        let remote: JSONValue = ["$defs": ["n": ["type": "integer"]]]
        let schema = try JSONSchema(
            ["$id": "https://example.com/root.json", "properties": [
                "a": ["$ref": "other.json#/$defs/n"],
                "b": ["$ref": "https://example.com/other.json#/$defs/n"],
            ]]
        ) { uri in
            log.asked.append(uri)
            return uri == "https://example.com/other.json" ? remote : nil
        }
        #expect(log.asked == ["https://example.com/other.json"])
        #expect(schema.validate(["a": "x", "b": 1.5]).map(\.instancePointer) == ["/a", "/b"])

        log.asked = []
        _ = try JSONSchema(["$ref": "#/components/x"]) { ref in
            log.asked.append(ref)
            return ["type": "string"]
        }
        #expect(log.asked == ["#/components/x"])
    }

    @Test("reference cycles through URIs compile and validate recursive data")
    func uriCycles() throws {
        let documents: [String: JSONValue] = [
            "https://example.com/a.json": ["type": "object", "properties": ["b": ["$ref": "b.json"]]],
            "https://example.com/b.json": ["type": "object", "properties": ["a": ["$ref": "a.json#"]]],
        ]
        let schema = try JSONSchema(["$ref": "https://example.com/a.json"]) { documents[$0] }
        #expect(schema.isValid(["b": ["a": ["b": [:]]]]))
        #expect(schema.validate(["b": ["a": ["b": 1]]]).map(\.instancePointer) == ["/b/a/b"])
    }

    @Test("$dynamicRef resolves through the dynamic scope")
    func dynamicScope() throws {
        // A generic list whose item type an extending schema fills in.
        let list: JSONValue = [
            "$id": "https://example.com/list", "$dynamicAnchor": "item",
            "type": "array", "items": ["$dynamicRef": "#item"],
        ]
        let strings: JSONValue = [
            "$id": "https://example.com/strings", "$ref": "list",
            "$defs": ["item": ["$dynamicAnchor": "item", "type": "string"], "list": list],
        ]
        let schema = try JSONSchema(strings)
        #expect(schema.isValid(["a", "b"]))
        #expect(schema.validate(["a", 1]).map(\.schemaPath) == ["/$ref/items/$dynamicRef/type"])
    }

    @Test("a schema can be validated against the built-in 2020-12 meta-schema")
    func metaSchema() throws {
        let meta = try JSONSchema(["$ref": "https://json-schema.org/draft/2020-12/schema"])
        #expect(meta.isValid(["type": "string", "minLength": 1]))
        #expect(!meta.isValid(["type": "text"]))
        #expect(!meta.isValid(["properties": ["a": ["minimum": "0"]]]))
    }
}

/// `pattern` answers the same whether the fast scalar matcher or ICU runs it.
struct PatternSubsetTests {
    static let cases: [(String, String, Bool)] = [
        ("^ord_[0-9a-f]{12}$", "ord_0123456789ab", true),
        ("^ord_[0-9a-f]{12}$", "ord_0123456789abc", false),
        ("^[A-Z]{3}-\\d{4}$", "ABC-0042", true),
        ("^[A-Z]{3}-\\d{4}$", "ABC-٤٢٤٢", false),  // \d is ASCII only
        ("a+b", "xxaaab", true),
        ("a+b", "xxaaa", false),
        ("^a*a*a*b$", "aaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("^.$", "\n", false),
        ("^.$", "é", true),
        ("colou?r", "my color", true),
        ("^[^0-9]+$", "abc", true),
        ("^[^0-9]+$", "ab1", false),
        ("x$", "x\n", false),  // `$` is the very end
        ("^\\w+@\\w+\\.com$", "joe@example.com", true),
        ("^[a-z-]+$", "a-b", true),
        ("^a{2,}$", "a", false),
        ("^a{2,3}?$", "aaa", true),
        ("^(ab)+$", "abab", true),  // a group: ICU runs it
        ("[]", "a", false),
        ("^[^]$", "\n", true),
        ("^\\s$", "\u{FEFF}", true),  // ECMA-262 white space, not ICU's
        ("^\\S$", "\u{FEFF}", false),
        ("^[\\s]$", "\u{3000}", true),
    ]

    @Test("a huge integer is a multiple of 0.5 although the quotient overflows")
    func overflowingMultiple() throws {
        #expect(try JSONSchema(["multipleOf": 0.5]).isValid(1e308))
        #expect(try !JSONSchema(["multipleOf": 0.3]).isValid(1e308))
    }

    @Test("fast-path and ICU patterns agree", arguments: 0..<cases.count)
    func agree(_ index: Int) throws {
        let (pattern, text, matches) = Self.cases[index]
        #expect(try JSONSchema(["pattern": .string(pattern)]).isValid(.string(text)) == matches, "\(pattern) on \(text)")
    }
}
