import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("Defaults")
struct DefaultsTests {
    @Test("absent properties get their default; present ones are kept, null included")
    func topLevel() throws {
        let schema = try JSONSchema([
            "properties": ["limit": ["type": "integer", "default": 10], "sort": ["default": "asc"], "q": ["type": "string"]]
        ])
        #expect(schema.applyingDefaults(to: ["q": "cat"]) == ["q": "cat", "limit": 10, "sort": "asc"])
        #expect(schema.applyingDefaults(to: ["limit": 3, "sort": nil]) == ["limit": 3, "sort": nil])
    }

    @Test("defaults nest: inside present objects, and inside inserted defaults")
    func nested() throws {
        let schema = try JSONSchema([
            "properties": [
                "paging": [
                    "type": "object",
                    "default": ["size": 20],
                    "properties": ["size": ["default": 50], "page": ["default": 1]],
                ]
            ]
        ])
        #expect(schema.applyingDefaults(to: [:]) == ["paging": ["size": 20, "page": 1]])
        #expect(schema.applyingDefaults(to: ["paging": ["size": 5]]) == ["paging": ["size": 5, "page": 1]])
    }

    @Test("defaults behind $ref and in allOf members apply")
    func throughRefAndAllOf() throws {
        let document: JSONValue = ["components": ["inputs": ["region": ["type": "string", "default": "eu"]]]]
        let schema = try JSONSchema(
            [
                "allOf": [["properties": ["retries": ["default": 3]]]],
                "properties": ["region": ["$ref": "#/components/inputs/region"]],
            ], resolveRef: JSONSchema.fragmentResolver(in: document))
        #expect(schema.applyingDefaults(to: [:]) == ["region": "eu", "retries": 3])
    }

    @Test("if/then defaults follow the condition; oneOf only when exactly one alternative fits")
    func conditional() throws {
        let schema = try JSONSchema([
            "if": ["required": ["card"]],
            "then": ["properties": ["currency": ["default": "EUR"]]],
            "oneOf": [
                ["required": ["a"], "properties": ["fromA": ["default": true]]],
                ["required": ["b"], "properties": ["fromB": ["default": true]]],
            ],
        ])
        #expect(schema.applyingDefaults(to: ["card": 1, "a": 1]) == ["card": 1, "a": 1, "currency": "EUR", "fromA": true])
        #expect(schema.applyingDefaults(to: ["b": 1]) == ["b": 1, "fromB": true])
        #expect(schema.applyingDefaults(to: ["a": 1, "b": 1]) == ["a": 1, "b": 1])
    }

    @Test("array elements get their item defaults")
    func arrays() throws {
        let schema = try JSONSchema(["items": ["properties": ["qty": ["default": 1]]]])
        #expect(schema.applyingDefaults(to: [["sku": "a"], ["sku": "b", "qty": 4]]) == [["sku": "a", "qty": 1], ["sku": "b", "qty": 4]])
    }

    @Test("non-objects and schemas without defaults are returned unchanged")
    func unchanged() throws {
        let schema = try JSONSchema(["properties": ["a": ["default": 1]]])
        #expect(schema.applyingDefaults(to: "text") == "text")
        #expect(try JSONSchema(["type": "object"]).applyingDefaults(to: ["x": 1]) == ["x": 1])
    }

    @Test("a recursive schema with a default terminates")
    func recursive() throws {
        let schema = try JSONSchema(["properties": ["next": ["$ref": "#"], "v": ["default": 0]]])
        #expect(schema.applyingDefaults(to: ["next": ["next": [:]]]) == ["v": 0, "next": ["v": 0, "next": ["v": 0]]])
    }
}
