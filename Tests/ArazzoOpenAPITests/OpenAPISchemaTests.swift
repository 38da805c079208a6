import Testing
import ArazzoJSON
import ArazzoOpenAPI

@Suite("Schemas come with the description that resolves their $refs and its version")
struct OpenAPISchemaTests {
    @Test("a response and a request body schema resolve their references in their description")
    func responseAndBody() throws {
        let doc = try document(petsJSON)
        let operation = try #require(doc.operation(id: "tagPet"))
        let response = try #require(doc.responseSchema(of: operation, status: "200", mediaType: "application/json; charset=utf-8"))
        #expect(response.version == .openAPI30)
        #expect(response.schema == ["$ref": "#/components/schemas/Pet"])
        let pet = try #require(response.resolveReference("#/components/schemas/Pet"))
        #expect(pet["required"] == ["id"])
        #expect(response.resolveReference("#/components/schemas/Missing") == nil)
        let body = try #require(doc.requestBodySchema(of: operation, mediaType: "application/json"))
        #expect(body.resolveReference("#/components/schemas/Tag")?["type"] == "object")
        #expect(doc.requestBodySchema(of: operation, mediaType: "application/xml") == nil)
        let parameter = try #require(operation.parameter(named: "petId", in: .path))
        #expect(doc.schema(of: parameter)?.schema == ["type": "integer"])
    }

    @Test("the version line: 2.0 (converted), 3.0.x, 3.1.x (and later read as 3.1)", arguments: [
        (#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#, OpenAPIVersion.swagger2),
        (#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#, .openAPI30),
        (#"{"openapi": "3.1.1", "info": {"title": "t", "version": "1"}, "paths": {}}"#, .openAPI31),
        (#"{"openapi": "3.2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#, .openAPI31),
    ])
    func versions(json: String, expected: OpenAPIVersion) throws {
        #expect(try document(json).openAPIVersion == expected)
    }

    @Test("a Swagger 2.0 body schema points into definitions of the converted tree")
    func swagger() throws {
        let doc = try document(#"""
        {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "h", "schemes": ["https"],
         "paths": {"/p": {"get": {"operationId": "g", "produces": ["application/json"],
           "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/P"}}}}}},
         "definitions": {"P": {"type": "object"}}}
        """#)
        let operation = try #require(doc.operation(id: "g"))
        let schema = try #require(doc.responseSchema(of: operation, status: "200", mediaType: "application/json"))
        #expect(schema.version == .swagger2)
        let reference = try #require(schema.schema["$ref"]?.stringValue)
        #expect(schema.resolveReference(reference)?["type"] == "object")
    }
}
