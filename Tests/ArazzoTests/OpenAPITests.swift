import Foundation
import Testing
import Arazzo
import ArazzoOpenAPI
import OrderedCollections

@Suite("OpenAPI descriptions: references, servers, mock responses")
struct OpenAPITests {
    static let workflow = """
        arazzo: 1.0.1
        info: {title: t, version: 1.0.0}
        sourceDescriptions: [{name: api, url: specs/api.yaml, type: openapi}]
        workflows:
          - workflowId: wf
            steps:
              - stepId: get
                operationId: getThing
                parameters: [{name: id, in: path, value: 42}, {name: tags, in: query, value: [a, b]}]
                outputs: {name: $response.body#/name, id: $response.body#/id}
            outputs: {name: $steps.get.outputs.name, id: $steps.get.outputs.id}
        """

    static let api = """
        openapi: 3.0.3
        info: {title: api, version: '1'}
        servers:
          - url: https://{region}.api.example/{base}
            variables:
              region: {default: eu, enum: [eu, us]}
              base: {default: v2}
        paths:
          /things/{id}:
            $ref: 'paths/thing.yaml'
        components:
          parameters:
            Tags: {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
        """

    static let thing = """
        parameters:
          - $ref: '#/parameters/Id'
        get:
          operationId: getThing
          parameters:
            - $ref: '../api.yaml#/components/parameters/Tags'
          servers:
            - url: https://things.example/base
          responses:
            '200':
              $ref: '../shared/responses.yaml#/Thing'
        parameters_unused: {}
        """

    static let responses = """
        Thing:
          description: a thing
          content:
            application/json:
              schema: {$ref: '#/Schema'}
        Schema:
          type: object
          required: [id, name, created, kind, tags]
          properties:
            id: {type: string, format: uuid}
            name: {type: string, minLength: 12}
            created: {type: string, format: date-time}
            kind: {type: string, enum: [cat, dog]}
            size: {type: integer, minimum: 3}
            tags: {type: array, items: {type: string, format: email}}
        """

    static func document() async throws -> LoadedDocument {
        // The path item's own `parameters` $ref points into its file: put the target there.
        let thingWithParameter = thing.replacingOccurrences(of: "parameters_unused: {}", with: "")
            .replacingOccurrences(of: "'#/parameters/Id'", with: "'#/x-parameters/Id'") + "\nx-parameters:\n  Id: {name: id, in: path, required: true, schema: {type: integer}}\n"
        return try await load(workflow, sources: [
            "specs/api.yaml": api, "specs/paths/thing.yaml": thingWithParameter, "specs/shared/responses.yaml": responses,
        ])
    }

    @Test("relative-file $refs (path item, parameters, responses, nested schema refs) resolve; operation servers win")
    func references() async throws {
        let document = try await Self.document()
        let api = try #require(document.openAPIDocument(source: "api"))
        let operation = try #require(api.operation(id: "getThing"))
        #expect(operation.path == "/things/{id}")
        #expect(operation.pointer == "/paths/~1things~1{id}/get")
        #expect(api.operation(pointer: "/paths/~1things~1{id}/get")?.operationId == "getThing")
        #expect(operation.parameters.map(\.name) == ["id", "tags"])
        #expect(operation.parameter(named: "tags", in: .query)?.serialization.explode == false)
        #expect(operation.servers == ["https://things.example/base"])
        #expect(api.servers == ["https://eu.api.example/v2"])
        #expect(operation.responses.first?.content.first?.schema != nil)
        #expect(document.validate().errors.isEmpty)
    }

    @Test("the mock answers from the schema: every described member, formats, enums, bounds; deterministic")
    func mock() async throws {
        let document = try await Self.document()
        let mock = OpenAPIMockExecutor(document: document)
        let result = try await engine(document, mock).run(workflowId: "wf")
        #expect(result.succeeded, "\(result.outcome)")
        let sent = try #require(await mock.requests.first)
        #expect(sent.url == "https://things.example/base/things/42?tags=a,b")
        let response = try #require(result.steps.first?.response)
        let body = try JSONValue(parsing: response.body)
        #expect(body == [
            "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "namexxxxxxxx", "created": "2024-01-01T00:00:00Z",
            "kind": "cat", "size": 3, "tags": ["user@example.com"],
        ])
        #expect(response.headers["Content-Type"] == "application/json")
        let again = try await engine(document, OpenAPIMockExecutor(document: document)).run(workflowId: "wf")
        #expect(again.steps.first?.response?.body == response.body)
    }

    @Test("the mock prefers examples and answers 404 for unknown operations")
    func mockExamplesAndMisses() async throws {
        let document = try await petsDocument("""
              - workflowId: wf
                steps:
                  - {stepId: a, operationId: getPet, parameters: [{name: petId, in: path, value: 1}], outputs: {name: $response.body#/name}}
            """)
        let mock = OpenAPIMockExecutor(document: document)
        let result = try await engine(document, mock).run(workflowId: "wf")
        #expect(result.steps.first?.outputs["name"] == "Rex")
        let miss = try await mock.execute(HTTPRequest(method: "GET", url: "https://pets.example/v1/nothing/here"))
        #expect(miss.status == 404)
    }

    @Test("A23: a relative server URL with a file-loaded description asks for a server override")
    func relativeServer() async throws {
        let document = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: api.yaml}]
            workflows:
              - workflowId: wf
                steps: [{stepId: s, operationId: ping}]
            """, sources: ["api.yaml": """
            openapi: 3.1.0
            info: {title: a, version: '1'}
            servers: [{url: /base/v1}]
            paths:
              /ping:
                get: {operationId: ping, responses: {'200': {description: ok}}}
            """])
        #expect(document.diagnostics.warnings.map(\.message) == [
            "source description 'api' has no type; the document is OpenAPI, so it is read as openapi (add type: openapi)",
        ])
        let executor = InMemoryExecutor(routes: [.init("GET", "/base/v1/ping", .status(200))])
        let failed = try await engine(document, executor).run(workflowId: "wf")
        #expect(failure(failed)?.kind == .request)
        #expect(failure(failed)?.message.contains("give a server override for 'api'") == true)
        let overridden = try await engine(document, executor) { $0.serverOverrides["api"] = "http://127.0.0.1:9/base/v1/" }.run(workflowId: "wf")
        #expect(overridden.succeeded)
        #expect(await executor.requests.first?.url == "http://127.0.0.1:9/base/v1/ping")
    }

    @Test("A21: XPath replacements set element text and attributes; selecting nothing is an error")
    func xmlReplacements() async throws {
        let api = """
            openapi: 3.0.3
            info: {title: a, version: '1'}
            servers: [{url: 'https://x.example'}]
            paths:
              /xml:
                post:
                  operationId: postXml
                  requestBody: {content: {application/xml: {schema: {type: string}}}}
                  responses: {'200': {description: ok}}
            """
        func run(_ target: String) async throws -> (RunResult, HTTPRequest?) {
            let document = try await load("""
                arazzo: 1.0.1
                info: {title: t, version: 1.0.0}
                sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
                workflows:
                  - workflowId: wf
                    steps:
                      - stepId: s
                        operationId: postXml
                        requestBody:
                          payload: '<p:pet xmlns:p="urn:pets" kind="cat"><p:name>Tom &amp; co</p:name></p:pet>'
                          replacements:
                            - {target: "\(target)", value: "Rex & <Max>"}
                """, sources: ["api.yaml": api])
            let executor = InMemoryExecutor(routes: [.init("POST", "/xml", .status(200))])
            let result = try await engine(document, executor).run(workflowId: "wf")
            return (result, await executor.requests.first)
        }
        let (element, sentElement) = try await run("/p:pet/p:name")
        #expect(element.succeeded, "\(element.outcome)")
        #expect(sentElement?.body.map { String(decoding: $0, as: UTF8.self) }
            == #"<p:pet xmlns:p="urn:pets" kind="cat"><p:name>Rex &amp; &lt;Max&gt;</p:name></p:pet>"#)
        #expect(sentElement?.headers["Content-Type"] == "application/xml")
        let (attribute, sentAttribute) = try await run("/p:pet/@kind")
        #expect(attribute.succeeded)
        #expect(sentAttribute?.body.map { String(decoding: $0, as: UTF8.self) }
            == #"<p:pet xmlns:p="urn:pets" kind="Rex &amp; &lt;Max&gt;"><p:name>Tom &amp; co</p:name></p:pet>"#)
        let (missing, _) = try await run("/p:pet/p:age")
        #expect(failure(missing)?.message.contains("selects nothing") == true)
    }

    /// A description whose schemas recurse, for the sampler's bounds.
    static let recursive = """
        openapi: 3.1.0
        info: {title: r, version: '1'}
        paths:
          /nodes/{id}:
            get:
              operationId: getNode
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses:
                '200':
                  description: a node
                  content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}
        components:
          schemas:
            Node:
              type: object
              required: [label, next]
              properties:
                label: {type: string}
                next: {$ref: '#/components/schemas/Node'}
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
                meta: {$ref: '#/components/schemas/Meta'}
            Meta:
              type: object
              properties:
                owner: {$ref: '#/components/schemas/Node'}
                note: {type: string}
        """

    @Test("the sampler ends $ref cycles: a required member reached again is an empty object, optional ones are left out")
    func samplerCycles() async throws {
        let document = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
            workflows:
              - workflowId: wf
                steps:
                  - {stepId: s, operationId: getNode, parameters: [{name: id, in: path, value: n}], outputs: {node: $response.body}}
            """, sources: ["api.yaml": Self.recursive])
        let result = try await engine(document, OpenAPIMockExecutor(document: document)).run(workflowId: "wf")
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.steps.first?.outputs["node"] == ["label": "label", "next": [:], "meta": ["note": "note"]])
        #expect(OpenAPIMockExecutor(document: document).placeholderServerURL == OpenAPIMockExecutor.placeholderBaseURL)
    }

    @Test("the engine tells the executor which operation a request is for; the mock answers from it")
    func operationReference() async throws {
        let document = try await Self.document()
        let mock = OpenAPIMockExecutor(document: document)
        _ = try await engine(document, mock).run(workflowId: "wf")
        let sent = try #require(await mock.requests.first)
        #expect(sent.operation?.pointer == "/paths/~1things~1{id}/get")
        #expect(sent.operation?.document.hasSuffix("/specs/api.yaml") == true)
    }

    @Test("a hand-built request (no operation reference) is matched by server, path key query and literal segment parts")
    func mockURLFallback() async throws {
        func description(_ name: String, server: String, paths: String) -> String {
            """
            openapi: 3.0.3
            info: {title: \(name), version: '1'}
            servers: [{url: '\(server)'}]
            paths:
            \(paths)
            """
        }
        func path(_ key: String, _ answer: String) -> String {
            """
              '\(key)':
                get:
                  operationId: \(answer)
                  responses: {'200': {description: ok, content: {application/json: {example: {answer: \(answer)}}}}}
            """
        }
        let document = try await load("""
            arazzo: 1.0.1
            info: {title: t, version: 1.0.0}
            sourceDescriptions:
              - {name: a, url: a.yaml, type: openapi}
              - {name: b, url: b.yaml, type: openapi}
            workflows:
              - workflowId: wf
                steps: [{stepId: s, operationId: $sourceDescriptions.a.objects, parameters: [{name: Bucket, in: path, value: x}]}]
            """, sources: [
                "a.yaml": description("a", server: "https://a.example/v0", paths: path("/{Bucket}", "objects") + "\n" + path("/{Bucket}?uploads", "uploads") + "\n" + path("/items/{id}", "a-item")),
                "b.yaml": description("b", server: "https://b.example", paths: path("/items/{id}", "b-item") + "\n" + path("/items/key:{key}", "by-key")),
            ])
        let mock = OpenAPIMockExecutor(document: document)
        func answer(_ url: String) async throws -> JSONValue? {
            let response = try await mock.execute(HTTPRequest(method: "GET", url: url))
            return try JSONValue(parsing: response.body)["answer"]
        }
        #expect(try await answer("https://a.example/v0/photos") == "objects")
        #expect(try await answer("https://a.example/v0/photos?uploads") == "uploads")
        #expect(try await answer("https://a.example/v0/items/1") == "a-item")
        #expect(try await answer("https://b.example/items/1") == "b-item")
        #expect(try await answer("https://b.example/items/key:abc") == "by-key")
    }
}
