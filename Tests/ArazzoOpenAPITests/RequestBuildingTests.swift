import Testing
import ArazzoJSON
import ArazzoExecutor
import ArazzoOpenAPI

/// A small description read the way the loader reads one (no files).
func document(_ json: String, url: String = "/specs/pets.json") throws -> OpenAPIDocument {
    let root = try JSONValue(parsing: json)
    return OpenAPIReader.read(root: root, node: nil, url: url, externals: [:]).0
}

let petsJSON = #"""
{
  "openapi": "3.0.3",
  "info": {"title": "pets", "version": "1"},
  "paths": {
    "/pets/{petId}": {
      "post": {
        "operationId": "tagPet",
        "parameters": [
          {"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}},
          {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "explode": false},
          {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}
        ],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Tag": {"type": "object", "properties": {"name": {"type": "string"}}},
      "Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "tag": {"$ref": "#/components/schemas/Tag"}}}
    }
  }
}
"""#

@Suite("Request building is a pure function of resolved values (docs/openapi.md)")
struct RequestBuildingTests {
    @Test("path, query, header, cookie and body from resolved values; security applied last")
    func wholeRequest() throws {
        let doc = try document(petsJSON)
        let operation = try #require(doc.operation(id: "tagPet"))
        let result = RequestBuilding.build(
            operation: operation, serverBase: "https://api.example.com/v1",
            parameters: [
                ResolvedParameter(name: "petId", location: .path, value: .value(7)),
                ResolvedParameter(name: "tags", location: .query, value: .value(["a b", "c"])),
                ResolvedParameter(name: "X-Trace", location: .header, value: .value("t-1")),
                ResolvedParameter(name: "session", location: .cookie, value: .value("s1")),
            ],
            body: ResolvedBody(payload: ["name": "good"], contentType: "application/json"),
            security: SecurityValues(
                headers: [.init(name: "Authorization", value: "Bearer k"), .init(name: "X-Trace", value: "ignored")],
                queryPairs: ["api_key=z"]),
            timeout: .seconds(5), maxResponseBytes: 1024)
        let built = try result.get()
        #expect(built.request.method == "POST")
        #expect(built.request.url == "https://api.example.com/v1/pets/7?tags=a%20b,c&api_key=z")
        #expect(built.request.headers["X-Trace"] == "t-1")
        #expect(built.request.headers["Authorization"] == "Bearer k")
        #expect(built.request.headers["Cookie"] == "session=s1")
        #expect(built.request.headers["Content-Type"] == "application/json")
        #expect(String(decoding: built.request.body ?? [], as: UTF8.self) == #"{"name":"good"}"#)
        #expect(built.request.timeout == .seconds(5))
        #expect(built.request.maxResponseBytes == 1024)
        #expect(built.pathValues == ["petId": 7])
        #expect(built.queryValues == ["tags": ["a b", "c"]])
        #expect(built.bodyValue == ["name": "good"])
        #expect(built.notes == [
            "parameter session (cookie) is not declared by operation tagPet; sent with the default style",
            "header X-Trace comes from the step's parameters; the bound credential was not applied to it",
        ])
    }

    @Test("an omitted parameter is left out with a note; the same inputs always give the same request")
    func omittedAndDeterministic() throws {
        let operation = try #require(try document(petsJSON).operation(id: "tagPet"))
        let parameters = [
            ResolvedParameter(name: "petId", location: .path, value: .value("x/y")),
            ResolvedParameter(name: "tags", location: .query, value: .omitted(reason: "input tags was not supplied")),
            ResolvedParameter(name: "q", location: .querystring, value: .value("?a=1&b=ü")),
        ]
        let first = try RequestBuilding.build(
            operation: operation, serverBase: "http://h", parameters: parameters, body: nil, security: SecurityValues()).get()
        let second = try RequestBuilding.build(
            operation: operation, serverBase: "http://h", parameters: parameters, body: nil, security: SecurityValues()).get()
        #expect(first == second)
        #expect(first.request.url == "http://h/pets/x%2Fy?a=1&b=%C3%BC")
        #expect(first.request.body == nil)
        #expect(first.notes == ["parameter tags (query) omitted: input tags was not supplied"])
    }

    @Test("build errors are typed values with one line saying what to fix", arguments: [
        ([ResolvedParameter](), "path parameter 'petId' of /pets/{petId} has no value; add a parameter with in: path"),
        ([ResolvedParameter(name: "petId", location: .path, value: .value(nil))], "parameter 'petId' resolved to null"),
        ([ResolvedParameter(name: "nope", location: .path, value: .value(1))], "path parameter 'nope' has no {nope} in the path /pets/{petId}"),
        ([ResolvedParameter(name: "q", location: .querystring, value: .value(3))],
         "querystring parameter 'q' must be a string (the whole query, e.g. 'a=1&b=2') or an object, got integer"),
    ])
    func errors(parameters: [ResolvedParameter], message: String) throws {
        let operation = try #require(try document(petsJSON).operation(id: "tagPet"))
        let result = RequestBuilding.build(
            operation: operation, serverBase: "http://h", parameters: parameters, body: nil, security: SecurityValues())
        #expect(throws: RequestBuildError(message: message)) { try result.get() }
    }

    @Test("the content type a step leaves out: the operation's JSON media type, else inferred with a note")
    func contentTypeChoice() throws {
        let operation = try #require(try document(petsJSON).operation(id: "tagPet"))
        var notes: [String] = []
        #expect(operation.requestContentType(for: "text", notes: &notes) == "application/json")
        #expect(notes.isEmpty)
    }
}
