import ArazzoJSON
import ArazzoJSONSchema
import Testing
import OrderedCollections

@Suite("$ref and $defs")
struct ReferenceTests {
    /// A components-like document, as the engine would hand over the Arazzo description.
    static let document: JSONValue = [
        "components": [
            "inputs": [
                "pet": [
                    "type": "object",
                    "required": ["name"],
                    "properties": [
                        "name": ["type": "string"],
                        "tags": ["type": "array", "items": ["$ref": "#/components/inputs/tag"]],
                        "owner": ["$ref": "#/components/inputs/person"],
                    ],
                ],
                "tag": ["type": "string", "maxLength": 5],
                "person": ["type": "object", "properties": ["friend": ["$ref": "#/components/inputs/person"], "age": ["type": "integer"]]],
                "bad": ["type": "text"],
            ]
        ]
    ]

    @Test("$defs through a local pointer")
    func defs() throws {
        let schema: JSONValue = [
            "$defs": ["positive": ["type": "integer", "minimum": 1]],
            "properties": ["n": ["$ref": "#/$defs/positive"]],
        ]
        #expect(try violations(schema, ["n": 0]) == ["$.n: expected a number >= 1, found 0"])
        #expect(try violations(schema, ["n": 3]) == [])
    }

    @Test("$ref applies together with its sibling keywords")
    func siblings() throws {
        let schema: JSONValue = ["$defs": ["s": ["type": "string"]], "$ref": "#/$defs/s", "maxLength": 3]
        #expect(try violations(schema, 1234) == ["$: expected string, found integer 1234"])
        #expect(try violations(schema, "abcd") == ["$: expected at most 3 characters, found 4"])
    }

    @Test("escaped and percent-encoded pointer tokens")
    func escapedPointers() throws {
        let schema: JSONValue = [
            "$defs": ["a/b": ["type": "string"], "with space": ["type": "integer"], "t~": ["type": "null"]],
            "properties": [
                "x": ["$ref": "#/$defs/a~1b"], "y": ["$ref": "#/$defs/with%20space"], "z": ["$ref": "#/$defs/t~0"],
            ],
        ]
        #expect(try violations(schema, ["x": 1, "y": "s", "z": 0]) == [
            "$.x: expected string, found integer 1",
            "$.y: expected integer, found string \"s\"",
            "$.z: expected null, found integer 0",
        ])
    }

    @Test("$ref into components through the document hook, nested refs included")
    func componentsHook() throws {
        let schema = try JSONSchema(["$ref": "#/components/inputs/pet"], resolveRef: JSONSchema.fragmentResolver(in: Self.document))
        let found = schema.validate(["tags": ["ok", "toolong"], "owner": ["friend": ["age": "x"]]]).map(\.description)
        #expect(found == [
            "$.name: required property 'name' is missing",
            "$.tags[1]: expected at most 5 characters, found 7",
            "$.owner.friend.age: expected integer, found string \"x\"",
        ])
    }

    @Test("the hook is asked once per distinct reference")
    func hookCalledOnce() throws {
        var asked: [String] = []
        let resolver = JSONSchema.fragmentResolver(in: Self.document)
        _ = try JSONSchema(["properties": ["a": ["$ref": "#/components/inputs/pet"], "b": ["$ref": "#/components/inputs/pet"]]]) { reference in
            asked.append(reference)
            return resolver(reference)
        }
        #expect(asked.sorted() == ["#/components/inputs/person", "#/components/inputs/pet", "#/components/inputs/tag"])
    }

    @Test("a recursive schema validates a recursive value to any depth it has")
    func recursiveTree() throws {
        let schema: JSONValue = [
            "$defs": [
                "node": [
                    "type": "object",
                    "properties": ["value": ["type": "integer"], "children": ["type": "array", "items": ["$ref": "#/$defs/node"]]],
                ]
            ],
            "$ref": "#/$defs/node",
        ]
        let instance: JSONValue = ["value": 1, "children": [["value": 2, "children": [["value": 3], ["value": "four"]]]]]
        #expect(try violations(schema, instance) == ["$.children[0].children[1].value: expected integer, found string \"four\""])
    }

    @Test("a $ref cycle that never consumes the value stops at the depth limit", arguments: [
        ["$ref": "#"] as JSONValue,
        ["$defs": ["a": ["$ref": "#/$defs/b"], "b": ["$ref": "#/$defs/a"]], "$ref": "#/$defs/a"],
    ])
    func refCycle(_ schema: JSONValue) throws {
        let found = try JSONSchema(schema).validate(1)
        #expect(found.map(\.keyword) == ["maxEvaluationDepth"])
        #expect(found.first?.instancePath == "$")
    }

    @Test("a cycle through the hook compiles once and validates")
    func hookCycle() throws {
        let schema = try JSONSchema(["$ref": "#/components/inputs/person"], resolveRef: JSONSchema.fragmentResolver(in: Self.document))
        #expect(schema.validate(["friend": ["friend": ["age": 3]]]) == [])
        #expect(schema.validate(["friend": ["friend": ["age": true]]]).map(\.description) == ["$.friend.friend.age: expected integer, found boolean true"])
    }

    @Test("a value nested deeper than the limit gets one violation, not a crash")
    func deepInstance() throws {
        var value: JSONValue = 1
        for _ in 0..<2_000 { value = [value] }
        let schema = try JSONSchema(["items": ["$ref": "#"]], options: .init(maxEvaluationDepth: 100))
        let found = schema.validate(value)
        #expect(found.map(\.keyword) == ["maxEvaluationDepth"])
    }

    @Test("exponential anyOf nesting stops at the step budget")
    func stepBudget() throws {
        var defs = JSONObject()
        for i in 0..<40 {
            defs["d\(i)"] = ["anyOf": [["$ref": .string("#/$defs/d\(i + 1)")], ["$ref": .string("#/$defs/d\(i + 1)")]]]
        }
        defs["d40"] = false
        let schema = try JSONSchema(["$defs": .object(defs), "$ref": "#/$defs/d0"], options: .init(maxEvaluationSteps: 10_000))
        let found = schema.validate(1)
        #expect(found.contains { $0.keyword == "maxEvaluationSteps" })
    }

    @Test("an unresolvable reference is a schema error naming it")
    func unresolvable() {
        let error = compileError(["properties": ["a": ["$ref": "#/components/inputs/missing"]]], resolveRef: JSONSchema.fragmentResolver(in: Self.document))
        #expect(error?.description == "#/properties/a/$ref: cannot resolve $ref '#/components/inputs/missing': no such location in the schema, and the reference resolver does not know it")
        let remote = compileError(["$ref": "https://example.com/s.json"])
        #expect(remote?.description == "#/$ref: cannot resolve $ref 'https://example.com/s.json': the reference resolver does not know it")
    }

    @Test("an error inside a hook-supplied schema is located by the reference")
    func errorInsideHookSchema() {
        let error = compileError(["$ref": "#/components/inputs/bad"], resolveRef: JSONSchema.fragmentResolver(in: Self.document))
        #expect(error?.schemaPath == "#/components/inputs/bad/type")
    }

    @Test("equal sources and hook results give equal schemas")
    func hashable() throws {
        let resolver = JSONSchema.fragmentResolver(in: Self.document)
        let a = try JSONSchema(["$ref": "#/components/inputs/tag"], resolveRef: resolver)
        let b = try JSONSchema(["$ref": "#/components/inputs/tag"], resolveRef: resolver)
        let c = try JSONSchema(["$ref": "#/components/inputs/tag"]) { _ in ["type": "integer"] }
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != c)
    }

    @Test("a compiled schema is shared across tasks")
    func sendable() async throws {
        let schema = try JSONSchema(["type": "integer"])
        let counts = await withTaskGroup(of: Int.self) { group in
            for i in 0..<8 { group.addTask { schema.validate(i % 2 == 0 ? 1 : "x").count } }
            var total = 0
            for await count in group { total += count }
            return total
        }
        #expect(counts == 4)
    }
}
