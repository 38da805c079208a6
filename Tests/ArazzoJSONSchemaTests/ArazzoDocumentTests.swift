import ArazzoJSON
import ArazzoJSONSchema
import ArazzoYAML
import Foundation
import ArazzoTestSupport
import Testing

/// Workflow `inputs` schemas taken from real Arazzo descriptions.
@Suite("Inputs schemas of Arazzo descriptions")
struct ArazzoDocumentTests {
    static let examples = "/work/shared/spec/examples/1.0.0"

    static func load(_ path: String) throws -> JSONValue {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try YAMLParser.parse(text, file: path).jsonValue
    }

    static func stytch() throws -> (document: JSONValue, inputs: JSONSchema) {
        let root = Repository.rootURL
        let document = try load(root.appendingPathComponent("Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml").path)
        let inputs = try #require(document["workflows"]?[0]?["inputs"])
        return (document, try JSONSchema(inputs, resolveRef: JSONSchema.fragmentResolver(in: document)))
    }

    @Test("Stytch: complete inputs are valid")
    func stytchValid() throws {
        let schema = try Self.stytch().inputs
        #expect(schema.validate(["organization_id": "org-1", "member_id": "m-1", "code": "123456", "session_duration_minutes": 60]) == [])
    }

    @Test("Stytch: a missing code is reported at $.code")
    func stytchMissingCode() throws {
        let found = try Self.stytch().inputs.validate(["organization_id": "org-1", "member_id": "m-1"])
        #expect(found == [SchemaViolation(
            instancePath: "$.code", keyword: "required", message: "required property 'code' is missing",
            instancePointer: "/code", schemaPath: "/required")])
    }

    @Test("Stytch: session_duration_minutes \"x\" is a type violation")
    func stytchWrongType() throws {
        let found = try Self.stytch().inputs.validate([
            "organization_id": "org-1", "member_id": "m-1", "code": "123456", "session_duration_minutes": "x",
        ])
        #expect(found.map(\.description) == ["$.session_duration_minutes: expected integer, found string \"x\""])
        #expect(found.map(\.keyword) == ["type"])
    }

    @Test("Stytch: every problem at once")
    func stytchEverything() throws {
        let found = try Self.stytch().inputs.validate(["member_id": 42, "session_duration_minutes": 1.5])
        #expect(found.map(\.description) == [
            "$.organization_id: required property 'organization_id' is missing",
            "$.code: required property 'code' is missing",
            "$.member_id: expected string, found integer 42",
            "$.session_duration_minutes: expected integer, found number 1.5",
        ])
        #expect(try Self.stytch().inputs.validate("not an object").map(\.description) == ["$: expected object, found string \"not an object\""])
    }

    @Test("pet-coupons: inputs $ref into components, with a nested $ref", .enabled(if: FileManager.default.fileExists(atPath: examples)))
    func petCoupons() throws {
        let document = try Self.load(Self.examples + "/pet-coupons.arazzo.yaml")
        let inputs = try #require(document["workflows"]?[0]?["inputs"])
        let schema = try JSONSchema(inputs, resolveRef: JSONSchema.fragmentResolver(in: document))
        #expect(schema.validate(["my_pet_tags": ["puppy"], "store_id": "pets.example.com"]) == [])
        #expect(schema.validate(["my_pet_tags": "puppy", "store_id": 7]).map(\.description) == [
            "$.my_pet_tags: expected array, found string \"puppy\"",
            "$.store_id: expected string, found integer 7",
        ])
    }

    @Test("every inputs schema in the OAI examples compiles", .enabled(if: FileManager.default.fileExists(atPath: examples)))
    func allExamplesCompile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examples).filter { $0.hasSuffix(".arazzo.yaml") || $0 == "bnpl-arazzo.yaml" }
        #expect(files.count >= 6)
        var compiled = 0
        for file in files.sorted() {
            let document = try Self.load(Self.examples + "/" + file)
            for workflow in document["workflows"]?.arrayValue ?? [] {
                guard let inputs = workflow["inputs"] else { continue }
                _ = try JSONSchema(inputs, resolveRef: JSONSchema.fragmentResolver(in: document))
                compiled += 1
            }
        }
        #expect(compiled >= 6)
    }

    /// Secrets come from `format: password` only: this example names a property `password` without
    /// the format, so the schema does not flag it (name-based redaction is the engine's call).
    @Test("LoginAndRetrievePets: secrets are declared by format, not guessed from names", .enabled(if: FileManager.default.fileExists(atPath: examples)))
    func loginPassword() throws {
        let document = try Self.load(Self.examples + "/LoginAndRetrievePets.arazzo.yaml")
        let inputs = try #require(document["workflows"]?[0]?["inputs"])
        let schema = try JSONSchema(inputs, resolveRef: JSONSchema.fragmentResolver(in: document))
        #expect(!schema.isSecret(["password"]))
        #expect(!schema.hasSecrets)
    }
}
