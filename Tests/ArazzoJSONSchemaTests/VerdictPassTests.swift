import ArazzoJSON
import ArazzoJSONSchema
import OrderedCollections
import Testing

/// The verdict-only pass (decision PA1) and the byte table of `properties` (decision PA2): the
/// answers must be the full evaluator's, including where a shortcut would change them.
@Suite("Verdict pass and property table")
struct VerdictPassTests {
    /// `anyOf[0]` fails on `type` but the evaluator still applies its two `properties` (steps 3 and
    /// 4), then `anyOf[1]` (step 5). A checker that stopped the failing trial early would count 3
    /// steps and call the value valid under a limit of 4; the evaluator stops at step 5.
    @Test("A failing trial counts every step the evaluator counts, so the step limit bites the same")
    func stepLimitInsideATrial() throws {
        let schema: JSONValue = ["anyOf": [["type": "string", "properties": ["a": true, "b": true]], true]]
        let instance: JSONValue = ["a": 1, "b": 2]
        let limited = try JSONSchema(schema, options: .init(maxEvaluationSteps: 4))
        let found = limited.validate(instance)
        // The stop lands inside the trial, so the anyOf fails too; both as the evaluator says.
        #expect(found.map(\.keyword) == ["anyOf", "maxEvaluationSteps"])
        #expect(found == limited.violations(instance))
        #expect(!limited.isValid(instance))

        let roomy = try JSONSchema(schema, options: .init(maxEvaluationSteps: 5))
        #expect(roomy.validate(instance) == [])
        #expect(roomy.isValid(instance))
    }

    @Test("The depth limit reached by a valid value is reported as before")
    func depthLimit() throws {
        let schema: JSONValue = ["items": ["items": ["items": ["type": "integer"]]]]
        let instance: JSONValue = [[[1]]]
        let limited = try JSONSchema(schema, options: .init(maxEvaluationDepth: 2))
        #expect(limited.validate(instance).map(\.keyword) == ["maxEvaluationDepth"])
        #expect(limited.validate(instance) == limited.violations(instance))
        #expect(try JSONSchema(schema).validate(instance) == [])
    }

    @Test("Invalid values get the evaluator's exact violations (messages, paths, keyword locations)")
    func invalidIsTheEvaluators() throws {
        let schema = try JSONSchema([
            "type": "object", "required": ["id"],
            "properties": ["id": ["type": "string"], "tags": ["type": "array", "items": ["type": "string", "maxLength": 3]]],
            "additionalProperties": false,
        ])
        let instance: JSONValue = ["tags": ["ok", "long one", 7], "extra": true]
        let found = schema.validate(instance)
        #expect(found == schema.violations(instance))
        #expect(found.map(\.description) == [
            "$.id: required property 'id' is missing",
            "$.tags[1]: expected at most 3 characters, found 8",
            "$.tags[2]: expected string, found integer 7",
            "$.extra: property 'extra' is not allowed; expected 'id' or 'tags'",
        ])
        #expect(found.map(\.schemaPath) == [
            "/required", "/properties/tags/items/maxLength", "/properties/tags/items/type", "/additionalProperties",
        ])
    }

    /// U+212A KELVIN SIGN is canonically equivalent to `K`: Swift strings (and so the dictionary
    /// the properties were always looked up in) call them equal, though their bytes differ.
    @Test("A member name canonically equal to an ASCII property name still matches it", arguments: [
        ("K", "\u{212A}"), ("\u{212A}", "K"),
    ])
    func canonicalEquivalence(property: String, member: String) throws {
        let schema = try JSONSchema(["properties": .object([property: ["type": "integer"]]), "additionalProperties": false])
        let instance: JSONValue = .object([member: "x"])
        #expect(schema.validate(instance).map(\.keyword) == ["type"])
        #expect(schema.validate(instance) == schema.violations(instance))
        #expect(!schema.isValid(instance))
        #expect(schema.isValid(.object([member: 1])))
    }

    @Test("Names with the same length, first and last byte are told apart; the empty name is a name")
    func sameSignature() throws {
        let schema = try JSONSchema([
            "properties": ["ab_cd": ["type": "integer"], "ax_yd": ["type": "string"], "": ["type": "boolean"]],
            "additionalProperties": false,
        ])
        #expect(schema.isValid(["ab_cd": 1, "ax_yd": "s", "": true]))
        #expect(schema.validate(["ax_yd": 1]).map(\.description) == ["$.ax_yd: expected string, found integer 1"])
        #expect(schema.validate(["": 1]).map(\.description) == ["$['']: expected boolean, found integer 1"])
        #expect(schema.validate(["ab_cx": 1]).map(\.keyword) == ["additionalProperties"])
        #expect(schema.validate(["ab_c": 1]).map(\.keyword) == ["additionalProperties"])
        #expect(schema.validate(["é": 1]).map(\.keyword) == ["additionalProperties"])
    }

    @Test("Past 64 properties (the dictionary alone) and with a non-ASCII property name (no table)", arguments: [70, 3])
    func dictionaryOnly(count: Int) throws {
        var properties = JSONObject()
        for i in 0..<count { properties["p\(i)"] = ["type": "integer"] }
        properties["naïve"] = ["type": "string"]
        let schema = try JSONSchema(["properties": .object(properties), "additionalProperties": false])
        let last = "p\(count - 1)"
        #expect(schema.isValid(.object([last: 1, "p0": 2, "naïve": "x"])))
        #expect(schema.validate(.object([last: "x"])).map(\.description) == ["$.\(last): expected integer, found string \"x\""])
        #expect(schema.validate(.object(["naïve": 1])).map(\.keyword) == ["type"])
        #expect(schema.validate(.object(["q": 1])).map(\.keyword) == ["additionalProperties"])
    }
}
