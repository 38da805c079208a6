import ArazzoJSON
import ArazzoJSONSchema
import Testing

@Suite("Secrets (format: password)")
struct SecretTests {
    static let document: JSONValue = ["components": ["inputs": ["credential": ["type": "string", "format": "password"]]]]

    static func schema() throws -> JSONSchema {
        try JSONSchema(
            [
                "type": "object",
                "properties": [
                    "username": ["type": "string"],
                    "password": ["type": "string", "format": "password"],
                    "api": ["properties": ["key": ["$ref": "#/components/inputs/credential"]]],
                    "pins": ["type": "array", "items": ["format": "password"]],
                    "either": ["anyOf": [["type": "integer"], ["type": "string", "format": "password"]]],
                    "vault": ["format": "password", "type": "object"],
                ],
            ], resolveRef: JSONSchema.fragmentResolver(in: document))
    }

    @Test("isSecret follows properties, items, $ref and anyOf branches", arguments: [
        (["password"] as [JSONSchema.PathComponent], true),
        (["username"], false),
        (["api", "key"], true),
        (["api", "other"], false),
        (["pins", 3], true),
        (["either"], true),
        (["vault", "inner", "deep"], true),
        ([], false),
        (["nope"], false),
    ])
    func isSecret(_ path: [JSONSchema.PathComponent], _ expected: Bool) throws {
        #expect(try Self.schema().isSecret(path) == expected)
    }

    @Test("secretPaths and secretValues list what an instance holds")
    func paths() throws {
        let instance: JSONValue = [
            "username": "ann", "password": "hunter2", "api": ["key": "k-1"], "pins": ["1234", "9999"], "vault": ["a": 1],
        ]
        let schema = try Self.schema()
        #expect(schema.secretPaths(in: instance) == ["$.password", "$.api.key", "$.pins[0]", "$.pins[1]", "$.vault"])
        #expect(schema.secretValues(in: instance) == ["hunter2", "k-1", "1234", "9999", ["a": 1]])
    }

    @Test("secretPaths lists the declared secret locations without an instance")
    func declared() throws {
        #expect(try Self.schema().secretPaths == ["$.password", "$.api.key", "$.pins[*]", "$.either", "$.vault"])
        let recursive = try JSONSchema([
            "properties": ["child": ["$ref": "#"], "token": ["format": "password"]],
            "additionalProperties": ["properties": ["pin": ["format": "password"]]],
        ])
        // One level of recursion is shown; the next would revisit the same schemas.
        #expect(recursive.secretPaths == ["$.child.token", "$.child.*.pin", "$.token", "$.*.pin"])
    }

    @Test("redactingSecrets replaces exactly the secret values")
    func redact() throws {
        let redacted = try Self.schema().redactingSecrets(in: ["username": "ann", "password": "hunter2", "api": ["key": "k", "id": 7]])
        #expect(redacted == ["username": "ann", "password": "<redacted>", "api": ["key": "<redacted>", "id": 7]])
    }

    @Test("hasSecrets is false for schemas without password formats")
    func noSecrets() throws {
        let schema = try JSONSchema(["properties": ["a": ["format": "email"]]])
        #expect(!schema.hasSecrets)
        #expect(schema.secretPaths(in: ["a": "x"]) == [])
        #expect(try Self.schema().hasSecrets)
    }
}
