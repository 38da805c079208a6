import ArazzoJSON
import ArazzoJSONSchema
import Testing
import OrderedCollections

@Suite("Limits and helpers")
struct LimitsAndHelpersTests {
    @Test("default limits stop a deeply nested value without exhausting the stack")
    func defaultDepth() async throws {
        var value: JSONValue = 1
        for _ in 0..<3_000 { value = ["a": value] }
        let schema = try JSONSchema(["properties": ["a": ["$ref": "#"]]])
        let nested = value
        let found = await Task { schema.validate(nested) }.value
        #expect(found.map(\.keyword) == ["maxEvaluationDepth"])
        #expect(schema.applyingDefaults(to: nested) == nested)
        #expect(schema.secretPaths(in: nested) == [])
    }

    @Test("one compiled pattern is used from many tasks at once")
    func concurrentPatterns() async throws {
        let schema = try JSONSchema(["items": ["pattern": "^[a-z]+-[0-9]{3}$"]])
        let instance: JSONValue = .array((0..<200).map { .string($0 % 2 == 0 ? "abc-\(100 + $0 % 900)" : "bad\($0)") })
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { schema.validate(instance).count } }
            var all: [Int] = []
            for await count in group { all.append(count) }
            return all
        }
        #expect(counts == Array(repeating: 100, count: 8))
    }

    @Test("multipleOf with exponent-form decimals", arguments: [
        (0.00003, 0.00001, true),
        (1e-7, 1e-8, true),
        (0.0000301, 0.00001, false),
        (4.5, 1.5, true),
        (1e308, 0.123456789, false),  // the quotient overflows: not a multiple, and no crash
    ])
    func multipleOfDecimals(_ x: Double, _ divisor: Double, _ expected: Bool) throws {
        let schema = try JSONSchema(["multipleOf": .double(divisor)])
        #expect(schema.isValid(.double(x)) == expected)
    }

    @Test("fragmentResolver resolves pointer fragments only")
    func fragmentResolver() {
        let resolve = JSONSchema.fragmentResolver(in: ["a": ["b c": 1]])
        #expect(resolve("#/a/b%20c") == 1)
        #expect(resolve("#/a/missing") == nil)
        #expect(resolve("other.json#/a") == nil)
        #expect(resolve("#anchor") == nil)
    }

    @Test("renderPath spells paths the way violations do")
    func renderPath() {
        #expect(JSONSchema.renderPath([]) == "$")
        #expect(JSONSchema.renderPath(["user", 0, "first name", "_ok1"]) == "$.user[0]['first name']._ok1")
        #expect(JSONSchema.renderPath(["1abc", "", "a\\b"]) == "$['1abc']['']['a\\\\b']")
    }

    @Test("a schema that compiles too many subschemas is rejected")
    func nodeLimit() {
        var properties = JSONObject()
        for i in 0..<100 { properties["p\(i)"] = ["type": "string"] }
        do {
            _ = try JSONSchema(["properties": .object(properties)], options: .init(maxSchemaNodes: 50))
            Issue.record("expected a schema error")
        } catch {
            #expect(error.message == "schema has more than 50 subschemas (counting each $ref target once)")
        }
    }
}
