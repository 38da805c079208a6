import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("declaredTypes(at:): the types a schema allows at a location")
struct DeclaredTypesTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "code": ["type": "string"],
            "count": ["type": ["integer", "null"]],
            "zip": ["$ref": "#/$defs/zip"],
            "mode": ["enum": ["fast", "slow"]],
            "either": ["anyOf": [["type": "boolean"], ["type": "integer"]]],
            "limited": ["allOf": [["type": "number"], ["minimum": 0]]],
            "free": ["description": "no type"],
            "list": ["type": "array", "items": ["type": "string"]],
        ],
        "additionalProperties": ["type": "boolean"],
        "$defs": ["zip": ["type": "string", "pattern": "^[0-9]{5}$"]],
    ]

    @Test("type, a type list, $ref, enum values, anyOf and allOf members, additionalProperties and items", arguments: [
        (["code"], Set(["string"])),
        (["count"], Set(["integer", "null"])),
        (["zip"], Set(["string"])),
        (["mode"], Set(["string"])),
        (["either"], Set(["boolean", "integer"])),
        (["limited"], Set(["number"])),
        (["other"], Set(["boolean"])),
        (["list", 0], Set(["string"])),
    ] as [([JSONSchema.PathComponent], Set<String>)])
    func declared(path: [JSONSchema.PathComponent], types: Set<String>) throws {
        #expect(try JSONSchema(Self.schema).declaredTypes(at: path) == types)
    }

    @Test("nil where no schema declares a type")
    func undeclared() throws {
        let schema = try JSONSchema(Self.schema)
        #expect(schema.declaredTypes(at: ["free"]) == nil)
        #expect(try JSONSchema(["type": "object"]).declaredTypes(at: ["x"]) == nil)
    }
}
