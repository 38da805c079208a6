import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

@Suite("arazzo-run over Swagger 2.0 sources")
struct SwaggerCLITests {
    static let workflow = """
        arazzo: 1.0.1
        info: {title: Swagger pets, version: 1.0.0}
        sourceDescriptions: [{name: pets, url: swagger.json, type: openapi}]
        workflows:
          - workflowId: adopt
            steps:
              - stepId: list
                operationId: listPets
                parameters: [{name: tags, in: query, value: [cat, dog]}]
                successCriteria: [{condition: $statusCode == 200}]
                outputs: {firstId: $response.body#/0/id}
              - stepId: adopt
                operationId: adoptPet
                parameters: [{name: petId, in: path, value: $steps.list.outputs.firstId}]
                requestBody: {payload: {owner: Ada}}
                successCriteria: [{condition: $statusCode == 201}]
                outputs: {certificate: $response.body#/certificate, owner: $response.body#/owner/name}
            outputs:
              firstId: $steps.list.outputs.firstId
              certificate: $steps.adopt.outputs.certificate
              owner: $steps.adopt.outputs.owner
        """

    /// A JSON Swagger 2.0 description: examples for one response, a schema with `$ref`s to
    /// `#/definitions` for the other.
    static let swagger = """
        {
          "swagger": "2.0",
          "info": {"title": "Pets", "version": "1"},
          "host": "pets.example",
          "basePath": "/v1",
          "schemes": ["https"],
          "produces": ["application/json"],
          "paths": {
            "/pets": {
              "get": {
                "operationId": "listPets",
                "parameters": [{"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}}],
                "responses": {
                  "200": {
                    "description": "pets",
                    "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                    "examples": {"application/json": [{"id": 41, "name": "Tom"}]}
                  }
                }
              }
            },
            "/pets/{petId}/adoption": {
              "post": {
                "operationId": "adoptPet",
                "parameters": [
                  {"name": "petId", "in": "path", "required": true, "type": "integer"},
                  {"name": "adoption", "in": "body", "schema": {"type": "object"}}
                ],
                "responses": {"201": {"$ref": "#/responses/Adopted"}}
              }
            }
          },
          "responses": {
            "Adopted": {"description": "adopted", "schema": {"$ref": "#/definitions/Adoption"}}
          },
          "definitions": {
            "Pet": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "Adoption": {
              "type": "object",
              "required": ["certificate", "owner"],
              "properties": {
                "certificate": {"type": "string", "format": "uuid"},
                "owner": {"$ref": "#/definitions/Owner"}
              }
            },
            "Owner": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "example": "Ada"}}}
          }
        }
        """

    @Test("arazzo-run FILE --mock answers a Swagger 2.0 source from its examples and its schemas")
    func mock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Self.workflow.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        try Self.swagger.write(toFile: directory.file("swagger.json"), atomically: true, encoding: .utf8)
        let result = await Invocation.run([directory.file("arazzo.yaml"), "--mock"], environment: ["NO_COLOR": "1"])
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stdout.contains("✓ list  listPets  200"))
        #expect(result.stdout.contains("✓ adopt  adoptPet  201"))
        #expect(result.stdout.contains("firstId = 41"))
        #expect(result.stdout.contains("certificate = \"3fa85f64-5717-4562-b3fc-2c963f66afa6\""))
        #expect(result.stdout.contains("owner = \"Ada\""))
        #expect(result.stdout.contains("1 workflow succeeded, 0 failed"))
    }

    @Test("validate accepts a workflow over a Swagger 2.0 source")
    func validate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Self.workflow.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        try Self.swagger.write(toFile: directory.file("swagger.json"), atomically: true, encoding: .utf8)
        let result = await Invocation.run(["validate", directory.file("arazzo.yaml")], environment: ["NO_COLOR": "1"])
        #expect(result.code == 0, "\(result.stderr)\n\(result.stdout)")
    }
}
