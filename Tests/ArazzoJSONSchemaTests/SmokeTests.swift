import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Test func smoke() throws {
    let schema = try JSONSchema(["type": "string"])
    #expect(schema.validate(1).map(\.description) == ["$: expected string, found integer 1"])
}
